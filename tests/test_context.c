/* The build-context walk (src/context/walk.c) on real directories built in
 * /tmp: what is sent, what is found, and that nothing can make it hang or
 * leave the context. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#define _XOPEN_SOURCE 700
#include "dflint/context.h"

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

/* ---------------------------------------------------------------- */
/* A scratch context                                                 */

static char root[64];

static void setup(void)
{
  snprintf(root, sizeof root, "/tmp/dflint-ctx-XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(root));
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
  (void)st;
  (void)f;
  if (flag == FTW_DP || flag == FTW_D)
    rmdir(p);
  else
    unlink(p);
  return 0;
}

static int unlock_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
  (void)f;
  if (flag == FTW_D || flag == FTW_DNR)
    chmod(p, 0755);
  else if (flag == FTW_F && !(st->st_mode & S_IRUSR))
    chmod(p, 0644);
  return 0;
}

static void teardown(void)
{
  /* Unreadable directories first get their permissions back. */
  chmod(root, 0755);
  nftw(root, unlock_one, 16, FTW_PHYS);
  nftw(root, unlock_one, 16, FTW_PHYS);
  nftw(root, rm_one, 16, FTW_PHYS | FTW_DEPTH);
}

static const char *at(const char *rel)
{
  static char buf[4][4096];
  static int k;
  k = (k + 1) % 4;
  snprintf(buf[k], sizeof buf[k], "%s/%s", root, rel);
  return buf[k];
}

/* mkdir -p root/rel */
static void mkdirs(const char *rel)
{
  char p[4096];
  snprintf(p, sizeof p, "%s/%s", root, rel);
  for (char *s = p + strlen(root) + 1; *s; s++)
    if (*s == '/') {
      *s = '\0';
      mkdir(p, 0755);
      *s = '/';
    }
  mkdir(p, 0755);
}

/* A file of size bytes (parents created). */
static void file(const char *rel, size_t size)
{
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", rel);
  char *slash = strrchr(dir, '/');
  if (slash) {
    *slash = '\0';
    mkdirs(dir);
  }
  FILE *f = fopen(at(rel), "wb");
  ck_assert_ptr_nonnull(f);
  for (size_t i = 0; i < size; i++)
    fputc('x', f);
  fclose(f);
}

static void text(const char *rel, const char *s)
{
  FILE *f = fopen(at(rel), "wb");
  ck_assert_ptr_nonnull(f);
  fputs(s, f);
  fclose(f);
}

static dfl_ignore *ignore(const char *s)
{
  char *err = NULL;
  dfl_ignore *ig = dfl_ignore_parse(s, strlen(s), &err);
  ck_assert_msg(ig != NULL, "%s", err ? err : "?");
  return ig;
}

static int walk(const dfl_context_opts *o, dfl_context_summary *s)
{
  return dfl_context_walk(root, o, s);
}

static const dfl_context_item *found(const dfl_context_summary *s, const char *pattern)
{
  for (size_t i = 0; i < s->nfound; i++)
    if (strcmp(s->found[i].pattern, pattern) == 0)
      return &s->found[i];
  return NULL;
}

/* ---------------------------------------------------------------- */

START_TEST(test_empty)
{
  dfl_context_summary s;
  ck_assert_int_eq(walk(NULL, &s), 0);
  ck_assert_uint_eq(s.bytes, 0);
  ck_assert_uint_eq(s.files, 0);
  ck_assert_uint_eq(s.kinds, 0);
  ck_assert(!s.truncated);
  ck_assert_uint_eq(s.ntop, 0);
  dfl_context_summary_free(&s);
}
END_TEST

START_TEST(test_missing_dir)
{
  dfl_context_summary s;
  ck_assert_int_eq(dfl_context_walk("/nonexistent/dflint-ctx", NULL, &s), -1);
  ck_assert_ptr_nonnull(s.error);
  ck_assert_ptr_nonnull(strstr(s.error, "No such file"));
  dfl_context_summary_free(&s);
}
END_TEST

START_TEST(test_totals_and_top)
{
  file("a.txt", 100);
  file("src/main.c", 1000);
  file("src/lib/x.c", 500);
  file("docs/r.md", 10);
  dfl_context_summary s;
  ck_assert_int_eq(walk(NULL, &s), 0);
  ck_assert_uint_eq(s.bytes, 1610);
  ck_assert_uint_eq(s.files, 4);
  ck_assert_uint_eq(s.dirs, 3);
  ck_assert_uint_eq(s.entries, 7);
  ck_assert_uint_eq(s.kinds, 0);
  ck_assert_uint_eq(s.ntop, 3);
  ck_assert_str_eq(s.top[0].path, "src/");
  ck_assert_uint_eq(s.top[0].bytes, 1500);
  ck_assert_uint_eq(s.top[0].files, 2);
  ck_assert(s.top[0].is_dir);
  ck_assert_str_eq(s.top[1].path, "a.txt");
  ck_assert_str_eq(s.top[2].path, "docs/");
  dfl_context_summary_free(&s);

  dfl_context_opts o = {.max_top = 1};
  ck_assert_int_eq(walk(&o, &s), 0);
  ck_assert_uint_eq(s.ntop, 1);
  ck_assert_str_eq(s.top[0].path, "src/");
  dfl_context_summary_free(&s);
}
END_TEST

START_TEST(test_git_node_modules_venv)
{
  file(".git/objects/pack/p1", 4000);
  file(".git/HEAD", 20);
  file(".git/node_modules/inner", 5); /* part of .git, not found twice */
  file("node_modules/left-pad/index.js", 300);
  file("web/node_modules/react/index.js", 200);
  file("venv/pyvenv.cfg", 50);
  file("venv/lib/site.py", 70);
  file("tools/env2/bin/activate", 30);
  file("app.py", 10);
  dfl_context_summary s;
  ck_assert_int_eq(walk(NULL, &s), 0);
  ck_assert_uint_eq(s.kinds, DFL_CONTEXT_GIT | DFL_CONTEXT_NODE_MODULES | DFL_CONTEXT_VENV);
  ck_assert_uint_eq(s.bytes, 4000 + 20 + 5 + 300 + 200 + 50 + 70 + 30 + 10);

  const dfl_context_item *g = found(&s, ".git");
  ck_assert_ptr_nonnull(g);
  ck_assert_str_eq(g->path, ".git/");
  ck_assert_uint_eq(g->bytes, 4025);
  ck_assert_uint_eq(g->kind, DFL_CONTEXT_GIT);
  ck_assert_str_eq(s.found[0].pattern, ".git"); /* biggest first */

  const dfl_context_item *n = found(&s, "node_modules");
  ck_assert_ptr_nonnull(n);
  ck_assert_uint_eq(n->bytes, 300);
  n = found(&s, "**/node_modules");
  ck_assert_ptr_nonnull(n);
  ck_assert_str_eq(n->path, "web/node_modules/");
  ck_assert_uint_eq(n->bytes, 200);

  const dfl_context_item *v = found(&s, "venv");
  ck_assert_ptr_nonnull(v);
  ck_assert_uint_eq(v->kind, DFL_CONTEXT_VENV);
  ck_assert_uint_eq(v->bytes, 120);
  v = found(&s, "tools/env2");
  ck_assert_ptr_nonnull(v);
  ck_assert_uint_eq(v->kind, DFL_CONTEXT_VENV);
  ck_assert_uint_eq(s.nfound, 5);
  dfl_context_summary_free(&s);
}
END_TEST

START_TEST(test_git_file_is_not_git_dir)
{
  /* A submodule's or worktree's .git is a small pointer file. */
  text(".git", "gitdir: ../.git/modules/x\n");
  dfl_context_summary s;
  ck_assert_int_eq(walk(NULL, &s), 0);
  ck_assert_uint_eq(s.kinds, 0);
  ck_assert_uint_eq(s.files, 1);
  dfl_context_summary_free(&s);
}
END_TEST

START_TEST(test_build_outputs)
{
  file("a/__pycache__/m.cpython-312.pyc", 40);
  file("b/c/__pycache__/n.cpython-312.pyc", 60);
  file("src/x.o", 7);
  file("src/y.o", 8);
  file("site/.next/cache/z", 9);
  /* build/ of scripts: no tool writes there */
  file("build/ci.sh", 11);
  /* target/ with cargo's tag, dist/ next to package.json */
  file("rust/target/CACHEDIR.TAG", 12);
  file("web/package.json", 2);
  file("web/dist/app.js", 13);
  /* build/ next to CMakeLists.txt */
  file("cpp/CMakeLists.txt", 1);
  file("cpp/build/out.bin", 14);
  /* dist/ with no marker */
  file("docs/dist/index.html", 15);
  dfl_context_summary s;
  ck_assert_int_eq(walk(NULL, &s), 0);
  ck_assert_uint_eq(s.kinds, DFL_CONTEXT_BUILD_OUTPUT);
  const dfl_context_item *p = found(&s, "**/__pycache__");
  ck_assert_ptr_nonnull(p);
  ck_assert_uint_eq(p->count, 2);
  ck_assert_uint_eq(p->bytes, 100);
  ck_assert_str_eq(p->path, "a/__pycache__/");
  const dfl_context_item *o = found(&s, "**/*.o");
  ck_assert_ptr_nonnull(o);
  ck_assert_uint_eq(o->count, 2);
  ck_assert_uint_eq(o->bytes, 15);
  ck_assert(!o->is_dir);
  ck_assert_str_eq(o->path, "src/x.o");
  ck_assert_ptr_nonnull(found(&s, "**/.next"));
  ck_assert_ptr_nonnull(found(&s, "rust/target"));
  ck_assert_ptr_nonnull(found(&s, "web/dist"));
  ck_assert_ptr_nonnull(found(&s, "cpp/build"));
  ck_assert_ptr_null(found(&s, "build"));
  ck_assert_ptr_null(found(&s, "docs/dist"));
  ck_assert_uint_eq(s.nfound, 6);
  dfl_context_summary_free(&s);
}
END_TEST

START_TEST(test_symlinks_never_followed)
{
  file("real/data", 100);
  ck_assert_int_eq(symlink(".", at("loop")), 0);
  ck_assert_int_eq(symlink("..", at("real/up")), 0);
  ck_assert_int_eq(symlink("/", at("slash")), 0);
  ck_assert_int_eq(symlink("/etc/passwd", at("pw")), 0);
  ck_assert_int_eq(symlink("loop2", at("loop1")), 0);
  ck_assert_int_eq(symlink("loop1", at("loop2")), 0);
  ck_assert_int_eq(symlink("nowhere", at("dangling")), 0);
  /* A link named like something found is only a link. */
  ck_assert_int_eq(symlink("/usr", at("node_modules")), 0);
  dfl_context_summary s;
  ck_assert_int_eq(walk(NULL, &s), 0);
  /* Each link counts its own size: the length of its target. */
  uint64_t links = strlen(".") + strlen("..") + strlen("/") + strlen("/etc/passwd") +
                   strlen("loop2") + strlen("loop1") + strlen("nowhere") + strlen("/usr");
  ck_assert_uint_eq(s.bytes, 100 + links);
  ck_assert_uint_eq(s.files, 9);
  ck_assert_uint_eq(s.dirs, 1);
  ck_assert_uint_eq(s.kinds, 0);
  ck_assert_uint_eq(s.unreadable, 0);
  ck_assert(!s.truncated);
  dfl_context_summary_free(&s);
}
END_TEST

START_TEST(test_path_through_symlink_not_followed)
{
  file("real/big", 1000);
  ck_assert_int_eq(symlink("real", at("alias")), 0);
  dfl_context_opts o = {.path = "alias/big"};
  dfl_context_summary s;
  ck_assert_int_eq(walk(&o, &s), -1);
  ck_assert_ptr_nonnull(s.error);
  dfl_context_summary_free(&s);
  /* The link itself is measured as a link. */
  o.path = "alias";
  ck_assert_int_eq(walk(&o, &s), 0);
  ck_assert_uint_eq(s.bytes, 4);
  ck_assert_uint_eq(s.files, 1);
  dfl_context_summary_free(&s);
}
END_TEST

START_TEST(test_unreadable)
{
  if (geteuid() == 0) {
    fprintf(stderr, "test_unreadable: skipped (running as root reads everything)\n");
    return;
  }
  file("ok.txt", 10);
  file("locked/secret", 100);
  file("closed.txt", 20);
  ck_assert_int_eq(chmod(at("locked"), 0), 0);
  ck_assert_int_eq(chmod(at("closed.txt"), 0), 0);
  dfl_context_summary s;
  ck_assert_int_eq(walk(NULL, &s), 0);
  ck_assert_uint_eq(s.unreadable, 2);
  ck_assert_uint_eq(s.bytes, 10);
  ck_assert(!s.truncated);
  dfl_context_summary_free(&s);

  /* Ignored, they are no problem (fsutil forgives permission errors on
   * skipped entries). */
  dfl_ignore *ig = ignore("locked\nclosed.txt\n");
  dfl_context_opts o = {.ignore = ig};
  ck_assert_int_eq(walk(&o, &s), 0);
  ck_assert_uint_eq(s.unreadable, 0);
  ck_assert_uint_eq(s.bytes, 10);
  dfl_context_summary_free(&s);
  dfl_ignore_free(ig);
}
END_TEST

START_TEST(test_sparse_file)
{
  /* 1 GB apparent, next to nothing on disk. */
  int fd = open(at("disk.img"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ck_assert_int_ge(fd, 0);
  ck_assert_int_eq(ftruncate(fd, (off_t)1000 * 1000 * 1000), 0);
  close(fd);
  struct stat st;
  ck_assert_int_eq(stat(at("disk.img"), &st), 0);
  ck_assert_int_lt((long long)st.st_blocks * 512, 1024 * 1024);
  dfl_context_summary s;
  ck_assert_int_eq(walk(NULL, &s), 0);
  ck_assert_uint_eq(s.bytes, 1000000000ull);
  ck_assert_str_eq(s.top[0].path, "disk.img");
  dfl_context_summary_free(&s);
}
END_TEST

START_TEST(test_hardlinks_once)
{
  file("a", 500);
  mkdirs("d");
  ck_assert_int_eq(link(at("a"), at("d/b")), 0);
  dfl_context_summary s;
  ck_assert_int_eq(walk(NULL, &s), 0);
  ck_assert_uint_eq(s.bytes, 500);
  ck_assert_uint_eq(s.files, 2);
  /* Lexical order: "a" comes first and carries the bytes. */
  ck_assert_str_eq(s.top[0].path, "a");
  ck_assert_uint_eq(s.top[0].bytes, 500);
  dfl_context_summary_free(&s);
}
END_TEST

START_TEST(test_ignore_excludes)
{
  file(".git/HEAD", 20);
  file("node_modules/x.js", 300);
  file("web/node_modules/y.js", 200);
  file("src/a.c", 10);
  file("README.md", 5);
  dfl_ignore *ig = ignore(".git\nnode_modules\n*.md\n");
  dfl_context_opts o = {.ignore = ig};
  dfl_context_summary s;
  ck_assert_int_eq(walk(&o, &s), 0);
  /* "node_modules" only covers the top-level one. */
  ck_assert_uint_eq(s.kinds, DFL_CONTEXT_NODE_MODULES);
  ck_assert_ptr_nonnull(found(&s, "**/node_modules"));
  ck_assert_ptr_null(found(&s, "node_modules"));
  ck_assert_uint_eq(s.bytes, 210);
  ck_assert_uint_eq(s.files, 2);
  dfl_context_summary_free(&s);
  dfl_ignore_free(ig);

  ig = ignore("**/node_modules\n.git\n");
  o.ignore = ig;
  ck_assert_int_eq(walk(&o, &s), 0);
  ck_assert_uint_eq(s.kinds, 0);
  ck_assert_uint_eq(s.bytes, 15);
  dfl_context_summary_free(&s);
  dfl_ignore_free(ig);

  /* An extra filter (COPY --exclude) removes more; it never adds back. */
  ig = ignore(".git\n");
  dfl_ignore *ex = ignore("**/node_modules\n!README.md\n");
  o.ignore = ig;
  o.exclude = ex;
  ck_assert_int_eq(walk(&o, &s), 0);
  ck_assert_uint_eq(s.kinds, 0);
  ck_assert_uint_eq(s.bytes, 15);
  dfl_context_summary_free(&s);
  dfl_ignore_free(ig);
  dfl_ignore_free(ex);

  /* Everything ignored. */
  ig = ignore("*\n");
  o.ignore = ig;
  o.exclude = NULL;
  ck_assert_int_eq(walk(&o, &s), 0);
  ck_assert_uint_eq(s.bytes, 0);
  ck_assert_uint_eq(s.files, 0);
  ck_assert_uint_eq(s.dirs, 0);
  ck_assert_uint_eq(s.ntop, 0);
  dfl_context_summary_free(&s);
  dfl_ignore_free(ig);
}
END_TEST

START_TEST(test_ignore_exclusions)
{
  file("node_modules/keep.js", 30);
  file("node_modules/drop.js", 300);
  file("node_modules/sub/deep.js", 3000);
  file("logs/a.log", 50);
  file("logs/b.txt", 60);
  /* A prefix exclusion: only node_modules is entered, logs/ is skipped. */
  dfl_ignore *ig = ignore("node_modules\nlogs\n!node_modules/keep.js\n");
  dfl_context_opts o = {.ignore = ig};
  dfl_context_summary s;
  ck_assert_int_eq(walk(&o, &s), 0);
  ck_assert_uint_eq(s.bytes, 30);
  ck_assert_uint_eq(s.files, 1);
  ck_assert_uint_eq(s.dirs, 1); /* node_modules, sent for keep.js */
  ck_assert_uint_eq(s.kinds, DFL_CONTEXT_NODE_MODULES);
  ck_assert_uint_eq(found(&s, "node_modules")->bytes, 30);
  /* node_modules/sub and logs/ were never entered */
  ck_assert_uint_eq(s.entries, 5);
  dfl_context_summary_free(&s);
  dfl_ignore_free(ig);

  /* A glob exclusion: ignored directories are entered, and only what the
   * exclusion brings back is sent. */
  ig = ignore("node_modules\nlogs\n!**/*.txt\n");
  o.ignore = ig;
  ck_assert_int_eq(walk(&o, &s), 0);
  ck_assert_uint_eq(s.bytes, 60);
  ck_assert_uint_eq(s.files, 1);
  ck_assert_uint_eq(s.dirs, 1);
  ck_assert_uint_eq(s.kinds, 0); /* nothing of node_modules is sent */
  ck_assert_uint_eq(s.ntop, 1);
  ck_assert_str_eq(s.top[0].path, "logs/");
  dfl_context_summary_free(&s);
  dfl_ignore_free(ig);
}
END_TEST

START_TEST(test_broken_pattern)
{
  file("a", 1);
  dfl_ignore *ig = ignore("\\pL*\n");
  dfl_context_opts o = {.ignore = ig};
  dfl_context_summary s;
  ck_assert_int_eq(walk(&o, &s), -1);
  ck_assert_ptr_nonnull(s.error);
  dfl_context_summary_free(&s);
  dfl_ignore_free(ig);
}
END_TEST

START_TEST(test_subpath)
{
  file("web/src/a.js", 100);
  file("web/node_modules/b.js", 1000);
  file("api/main.go", 10);
  dfl_context_opts o = {.path = "./web/"};
  dfl_context_summary s;
  ck_assert_int_eq(walk(&o, &s), 0);
  ck_assert_uint_eq(s.bytes, 1100);
  ck_assert_uint_eq(s.dirs, 2); /* web itself not counted */
  ck_assert_uint_eq(s.ntop, 2);
  ck_assert_str_eq(s.top[0].path, "web/node_modules/");
  ck_assert_ptr_nonnull(found(&s, "**/node_modules"));
  dfl_context_summary_free(&s);

  /* Paths are clamped to the context, as BuildKit does. */
  o.path = "../../api/main.go";
  ck_assert_int_eq(walk(&o, &s), 0);
  ck_assert_uint_eq(s.bytes, 10);
  ck_assert_uint_eq(s.ntop, 1);
  ck_assert_str_eq(s.top[0].path, "api/main.go");
  dfl_context_summary_free(&s);

  /* Ignore patterns stay relative to the context. */
  dfl_ignore *ig = ignore("web/node_modules\n");
  o.path = "web";
  o.ignore = ig;
  ck_assert_int_eq(walk(&o, &s), 0);
  ck_assert_uint_eq(s.bytes, 100);
  ck_assert_uint_eq(s.kinds, 0);
  dfl_context_summary_free(&s);
  /* A path inside an ignored directory sends nothing. */
  o.path = "web/node_modules/b.js";
  ck_assert_int_eq(walk(&o, &s), 0);
  ck_assert_uint_eq(s.bytes, 0);
  dfl_context_summary_free(&s);
  dfl_ignore_free(ig);

  o.path = "missing";
  o.ignore = NULL;
  ck_assert_int_eq(walk(&o, &s), -1);
  ck_assert_ptr_nonnull(s.error);
  dfl_context_summary_free(&s);
}
END_TEST

START_TEST(test_entry_limit)
{
  for (int i = 0; i < 50; i++) {
    char name[32];
    snprintf(name, sizeof name, "d/f%02d", i);
    file(name, 10);
  }
  dfl_context_opts o = {.max_entries = 20};
  dfl_context_summary s;
  ck_assert_int_eq(walk(&o, &s), 0);
  ck_assert(s.truncated);
  ck_assert_str_eq(s.limit, "entries");
  ck_assert_uint_eq(s.entries, 20);
  ck_assert_uint_eq(s.files, 19);
  ck_assert_uint_eq(s.bytes, 190);
  dfl_context_summary_free(&s);
}
END_TEST

START_TEST(test_depth_limit)
{
  char rel[4096] = "";
  for (int i = 0; i < 40; i++)
    strcat(rel, i ? "/d" : "d");
  strcat(rel, "/leaf");
  file(rel, 7);
  dfl_context_opts o = {.max_depth = 10};
  dfl_context_summary s;
  ck_assert_int_eq(walk(&o, &s), 0);
  ck_assert(s.truncated);
  ck_assert_str_eq(s.limit, "depth");
  ck_assert_uint_eq(s.bytes, 0);
  dfl_context_summary_free(&s);
  /* Within the default depth the leaf is found. */
  ck_assert_int_eq(walk(NULL, &s), 0);
  ck_assert(!s.truncated);
  ck_assert_uint_eq(s.bytes, 7);
  ck_assert_uint_eq(s.dirs, 40);
  dfl_context_summary_free(&s);
}
END_TEST

START_TEST(test_time_limit)
{
  for (int i = 0; i < 600; i++) {
    char name[32];
    snprintf(name, sizeof name, "f%03d", i);
    file(name, 1);
  }
  dfl_context_opts o = {.max_millis = 1};
  /* The budget starts with the walk; the clock is read every 256 entries,
   * so a 600-entry walk that takes longer than 1 ms stops at 256 or 512. */
  dfl_context_summary s;
  ck_assert_int_eq(walk(&o, &s), 0);
  if (s.truncated) {
    ck_assert_str_eq(s.limit, "time");
    ck_assert_uint_lt(s.files, 600);
  }
  dfl_context_summary_free(&s);
}
END_TEST

static const struct {
  uint64_t n;
  const char *want;
} size_cases[] = {
  {0, "0 B"},
  {999, "999 B"},
  {1000, "1.0 kB"},
  {4500, "4.5 kB"},
  {18000000, "18 MB"},
  {312400000, "312 MB"},
  {999499, "999 kB"},
  {999600, "1.0 MB"},
  {1100000000, "1.1 GB"},
  {50000000, "50 MB"},
};

START_TEST(test_format_size)
{
  char buf[32];
  dfl_context_format_size(size_cases[_i].n, buf, sizeof buf);
  ck_assert_str_eq(buf, size_cases[_i].want);
}
END_TEST

static Suite *context_suite(void)
{
  Suite *s = suite_create("context");
  TCase *tc = tcase_create("walk");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_empty);
  tcase_add_test(tc, test_missing_dir);
  tcase_add_test(tc, test_totals_and_top);
  tcase_add_test(tc, test_git_node_modules_venv);
  tcase_add_test(tc, test_git_file_is_not_git_dir);
  tcase_add_test(tc, test_build_outputs);
  tcase_add_test(tc, test_symlinks_never_followed);
  tcase_add_test(tc, test_path_through_symlink_not_followed);
  tcase_add_test(tc, test_unreadable);
  tcase_add_test(tc, test_sparse_file);
  tcase_add_test(tc, test_hardlinks_once);
  tcase_add_test(tc, test_ignore_excludes);
  tcase_add_test(tc, test_ignore_exclusions);
  tcase_add_test(tc, test_broken_pattern);
  tcase_add_test(tc, test_subpath);
  tcase_add_test(tc, test_entry_limit);
  tcase_add_test(tc, test_depth_limit);
  tcase_add_test(tc, test_time_limit);
  suite_add_tcase(s, tc);

  tc = tcase_create("format");
  tcase_add_loop_test(tc, test_format_size, 0,
                      (int)(sizeof size_cases / sizeof size_cases[0]));
  suite_add_tcase(s, tc);
  return s;
}

int main(void)
{
  return tu_run_suite(context_suite());
}
