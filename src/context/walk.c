/* See include/dflint/context.h. The filtering follows fsutil's filterFS.Walk
 * (tonistiigi/fsutil filter.go) with exclude patterns only: BuildKit's
 * context transfer for `COPY .` has no include patterns. */
#include "dflint/context.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dflint/arena.h"
#include "dflint/buf.h"

/* ------------------------------------------------------------------ */
/* One pattern list, with what fsutil precomputes to decide whether an
 * ignored directory can be skipped whole. */

typedef struct filter {
  const dfl_ignore *ig;
  size_t n;            /* dfl_ignore_count */
  bool exclusions;     /* any `!` pattern */
  /* fsutil's onlyPrefixExcludeExceptions: no `!` pattern, once a trailing
   * slash-star or slash-double-star is dropped, has a glob character. Only then can it tell
   * from the pattern text alone that nothing inside a directory comes back. */
  bool only_prefix;
  char **prefixes;     /* those `!` patterns, trimmed, with "/" appended */
  size_t nprefixes;
} filter;

static void filter_init(filter *f, const dfl_ignore *ig)
{
  memset(f, 0, sizeof *f);
  f->ig = ig;
  f->n = dfl_ignore_count(ig);
  f->exclusions = dfl_ignore_has_exclusions(ig);
  f->only_prefix = true;
  if (!f->n)
    return;
  f->prefixes = dfl_xcalloc(f->n, sizeof *f->prefixes);
  for (size_t i = 0; i < f->n; i++) {
    if (!dfl_ignore_is_exclusion(ig, i))
      continue;
    const char *p = dfl_ignore_pattern(ig, i) + 1; /* past '!' */
    size_t len = strlen(p);
    if (len >= 3 && strcmp(p + len - 3, "/**") == 0)
      len -= 3;
    if (len >= 2 && memcmp(p + len - 2, "/*", 2) == 0)
      len -= 2;
    for (size_t k = 0; k < len; k++)
      if (strchr("*[]?^\\", p[k]))
        f->only_prefix = false;
    char *s = dfl_xmalloc(len + 2);
    memcpy(s, p, len);
    s[len] = '/';
    s[len + 1] = '\0';
    f->prefixes[f->nprefixes++] = s;
  }
}

static void filter_free(filter *f)
{
  for (size_t i = 0; i < f->nprefixes; i++)
    free(f->prefixes[i]);
  free(f->prefixes);
}

/* An ignored directory is still entered when a `!` pattern might bring
 * back something inside it. */
static bool filter_enters(const filter *f, const char *dir)
{
  if (!f->only_prefix)
    return true;
  size_t dl = strlen(dir);
  for (size_t i = 0; i < f->nprefixes; i++)
    if (strncmp(f->prefixes[i], dir, dl) == 0 && f->prefixes[i][dl] == '/')
      return true;
  return false;
}

/* ------------------------------------------------------------------ */
/* Regular files with several links, counted once. */

typedef struct inode_set {
  struct ino_key {
    dev_t dev;
    ino_t ino;
    bool used;
  } *slots;
  size_t cap, n;
} inode_set;

static size_t ino_hash(dev_t dev, ino_t ino, size_t cap)
{
  uint64_t h = (uint64_t)ino * 0x9E3779B97F4A7C15ull ^ (uint64_t)dev;
  return (size_t)(h ^ (h >> 29)) & (cap - 1);
}

/* True when (dev, ino) was already there. */
static bool inode_seen(inode_set *s, dev_t dev, ino_t ino)
{
  if ((s->n + 1) * 2 > s->cap) {
    size_t ncap = s->cap ? s->cap * 2 : 64;
    struct ino_key *ns = dfl_xcalloc(ncap, sizeof *ns);
    for (size_t i = 0; i < s->cap; i++) {
      if (!s->slots[i].used)
        continue;
      size_t j = ino_hash(s->slots[i].dev, s->slots[i].ino, ncap);
      while (ns[j].used)
        j = (j + 1) & (ncap - 1);
      ns[j] = s->slots[i];
    }
    free(s->slots);
    s->slots = ns;
    s->cap = ncap;
  }
  size_t j = ino_hash(dev, ino, s->cap);
  while (s->slots[j].used) {
    if (s->slots[j].dev == dev && s->slots[j].ino == ino)
      return true;
    j = (j + 1) & (s->cap - 1);
  }
  s->slots[j].dev = dev;
  s->slots[j].ino = ino;
  s->slots[j].used = true;
  s->n++;
  return false;
}

/* ------------------------------------------------------------------ */

#define MAX_FOUND 256

typedef struct walker {
  filter f[2];
  size_t nf;
  uint64_t max_entries;
  struct timespec deadline;
  unsigned max_depth;
  size_t max_top;
  bool root_euid;
  dfl_buf path;   /* the current entry, relative to the context */
  inode_set inodes;
  bool stop;
  dfl_context_summary *out;
  size_t cap_top, cap_found;
} walker;

typedef struct tally {
  uint64_t bytes, files, dirs;
  bool sent;
} tally;

enum role { R_INNER, R_TOP, R_START };

static bool past(const struct timespec *deadline)
{
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return now.tv_sec > deadline->tv_sec ||
         (now.tv_sec == deadline->tv_sec && now.tv_nsec >= deadline->tv_nsec);
}

static void stop_at(walker *w, const char *limit)
{
  w->stop = true;
  w->out->truncated = true;
  if (!w->out->limit)
    w->out->limit = limit;
}

static bool exists(int dfd, const char *name, bool regular)
{
  struct stat st;
  if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
    return false;
  return !regular || S_ISREG(st.st_mode);
}

static bool any_exists(int dfd, const char *const *names)
{
  for (; *names; names++)
    if (exists(dfd, *names, false))
      return true;
  return false;
}

/* What the directory `name` is: pfd is its parent, fd itself. */
static unsigned dir_kind(const char *name, int pfd, int fd)
{
  static const char *const target_sib[] = {"Cargo.toml", "pom.xml", "build.sbt",
                                           "project.clj", NULL};
  static const char *const target_in[] = {"CACHEDIR.TAG", ".rustc_info.json", NULL};
  static const char *const build_sib[] = {
    "build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts",
    "CMakeLists.txt", "setup.py", "pyproject.toml", "package.json", NULL};
  static const char *const build_in[] = {"CMakeCache.txt", "CACHEDIR.TAG", NULL};
  static const char *const dist_sib[] = {"package.json", "setup.py", "setup.cfg",
                                         "pyproject.toml", NULL};
  if (strcmp(name, ".git") == 0)
    return DFL_CONTEXT_GIT;
  if (strcmp(name, "node_modules") == 0)
    return DFL_CONTEXT_NODE_MODULES;
  if (strcmp(name, ".next") == 0 || strcmp(name, "__pycache__") == 0)
    return DFL_CONTEXT_BUILD_OUTPUT;
  if (strcmp(name, "target") == 0 && (any_exists(pfd, target_sib) || any_exists(fd, target_in)))
    return DFL_CONTEXT_BUILD_OUTPUT;
  if (strcmp(name, "build") == 0 && (any_exists(pfd, build_sib) || any_exists(fd, build_in)))
    return DFL_CONTEXT_BUILD_OUTPUT;
  if (strcmp(name, "dist") == 0 && any_exists(pfd, dist_sib))
    return DFL_CONTEXT_BUILD_OUTPUT;
  /* bin/activate is looked up through bin: a stat, never a traversal. */
  if (exists(fd, "pyvenv.cfg", true) || exists(fd, "bin/activate", false))
    return DFL_CONTEXT_VENV;
  return 0;
}

static bool ends_with(const char *s, const char *suffix)
{
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* The .dockerignore line for a found entry at rel (no trailing slash).
 * Fixed names found below the top get a leading double star, so one line
 * covers every copy; names that may be sources elsewhere (target, build,
 * dist) and virtualenvs (named anything) get their exact path. */
static char *suggest(const char *rel, const char *name, unsigned kind)
{
  bool nested = strchr(rel, '/') != NULL;
  bool fixed = kind == DFL_CONTEXT_GIT || kind == DFL_CONTEXT_NODE_MODULES ||
               (kind == DFL_CONTEXT_BUILD_OUTPUT &&
                (strcmp(name, ".next") == 0 || strcmp(name, "__pycache__") == 0));
  dfl_buf b;
  dfl_buf_init(&b);
  if (fixed)
    dfl_buf_printf(&b, "%s%s", nested ? "**/" : "", name);
  else
    dfl_buf_puts(&b, rel);
  return dfl_buf_take(&b);
}

static void add_found(walker *w, const char *rel, bool is_dir, char *pattern,
                      unsigned kind, const tally *t)
{
  dfl_context_summary *o = w->out;
  o->kinds |= kind;
  for (size_t i = 0; i < o->nfound; i++) {
    dfl_context_item *it = &o->found[i];
    if (strcmp(it->pattern, pattern) == 0) {
      it->count++;
      it->bytes += t->bytes;
      it->files += t->files;
      free(pattern);
      return;
    }
  }
  if (o->nfound == MAX_FOUND) {
    free(pattern);
    return;
  }
  if (o->nfound == w->cap_found) {
    w->cap_found = w->cap_found ? w->cap_found * 2 : 8;
    o->found = dfl_xrealloc(o->found, w->cap_found * sizeof *o->found);
  }
  dfl_context_item *it = &o->found[o->nfound++];
  memset(it, 0, sizeof *it);
  dfl_buf p;
  dfl_buf_init(&p);
  dfl_buf_printf(&p, "%s%s", rel, is_dir ? "/" : "");
  it->path = dfl_buf_take(&p);
  it->pattern = pattern;
  it->kind = kind;
  it->is_dir = is_dir;
  it->count = 1;
  it->bytes = t->bytes;
  it->files = t->files;
}

static void add_top(walker *w, const char *rel, bool is_dir, const tally *t)
{
  dfl_context_summary *o = w->out;
  if (o->ntop == w->cap_top) {
    w->cap_top = w->cap_top ? w->cap_top * 2 : 16;
    o->top = dfl_xrealloc(o->top, w->cap_top * sizeof *o->top);
  }
  dfl_context_item *it = &o->top[o->ntop++];
  memset(it, 0, sizeof *it);
  dfl_buf p;
  dfl_buf_init(&p);
  dfl_buf_printf(&p, "%s%s", rel, is_dir ? "/" : "");
  it->path = dfl_buf_take(&p);
  it->is_dir = is_dir;
  it->count = 1;
  it->bytes = t->bytes;
  it->files = t->files;
}

static void walk_children(walker *w, int fd, bool *const *parent_res, unsigned inside,
                          unsigned depth, bool top, tally *t);

typedef struct entry {
  char *name;
  struct stat st;
  bool stat_ok;
} entry;

static int cmp_entry(const void *a, const void *b)
{
  return strcmp(((const entry *)a)->name, ((const entry *)b)->name);
}

/* One entry `name` of the directory pfd; w->path already names it. st is
 * its lstat, or NULL when that failed. parent_res: the results of its
 * directory per filter (NULL entries at the top of the walk). */
static void visit(walker *w, int pfd, const char *name, const struct stat *st,
                  bool *const *parent_res, unsigned inside, unsigned depth,
                  enum role role, tally *t)
{
  if (w->stop)
    return;
  dfl_context_summary *o = w->out;
  o->entries++;
  if (o->entries > w->max_entries) {
    o->entries--;
    stop_at(w, "entries");
    return;
  }
  if ((o->entries & 255) == 0 && past(&w->deadline)) {
    stop_at(w, "time");
    return;
  }
  const char *rel = dfl_buf_cstr(&w->path);
  bool is_dir = st && S_ISDIR(st->st_mode);

  bool ignored = false, enter = true;
  bool *res[2] = {NULL, NULL};
  for (size_t k = 0; k < w->nf; k++) {
    const filter *f = &w->f[k];
    if (is_dir && f->n)
      res[k] = dfl_xcalloc(f->n, sizeof **res);
    const char *err = NULL;
    int m = dfl_ignore_match_walk(f->ig, rel, parent_res[k], res[k], &err);
    if (m < 0) {
      if (!o->error)
        o->error = strdup(err ? err : "a .dockerignore pattern cannot be evaluated");
      w->stop = true;
      free(res[0]);
      free(res[1]);
      return;
    }
    if (m == 1) {
      ignored = true;
      if (!is_dir || !filter_enters(f, rel))
        enter = false;
    }
  }
  if (ignored && !enter) {
    free(res[0]);
    free(res[1]);
    return;
  }

  tally sub = {0};
  if (!st) {
    /* fsutil would fail the transfer on it; ignored ones are forgiven. */
    if (!ignored)
      o->unreadable++;
  } else if (is_dir) {
    if (depth >= w->max_depth) {
      stop_at(w, "depth");
    } else {
      int fd = openat(pfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0) {
        if (errno == EMFILE || errno == ENFILE)
          stop_at(w, "depth"); /* one descriptor per level: too deep to hold */
        else if (!ignored)
          o->unreadable++;
      } else {
        unsigned kind = dir_kind(name, pfd, fd);
        bool *const kids_parent[2] = {res[0], res[1]};
        size_t save = w->path.len;
        walk_children(w, fd, kids_parent, inside ? inside : kind, depth + 1,
                      role == R_START, &sub);
        w->path.len = save;
        w->path.data[save] = '\0';
        rel = dfl_buf_cstr(&w->path);
        /* An ignored directory entered for a `!` pattern is only sent with
         * something in it. */
        if (!ignored)
          sub.sent = true;
        if (sub.sent && role != R_START)
          sub.dirs++;
        if (sub.sent && kind && !inside)
          add_found(w, rel, true, suggest(rel, name, kind), kind, &sub);
      }
    }
    if (!ignored && !sub.sent) {
      /* Not listable: still sent as a directory entry. */
      sub.sent = true;
      if (role != R_START)
        sub.dirs++;
    }
  } else if (!ignored) {
    bool readable = true;
    if (S_ISREG(st->st_mode) && !w->root_euid && (st->st_mode & 0444) != 0444)
      readable = faccessat(pfd, name, R_OK, AT_EACCESS) == 0;
    if (!readable) {
      o->unreadable++;
    } else {
      bool dup = S_ISREG(st->st_mode) && st->st_nlink > 1 &&
                 inode_seen(&w->inodes, st->st_dev, st->st_ino);
      if (!dup && (S_ISREG(st->st_mode) || S_ISLNK(st->st_mode)) && st->st_size > 0)
        sub.bytes = (uint64_t)st->st_size;
      sub.files = 1;
      sub.sent = true;
      if (S_ISREG(st->st_mode) && !inside && ends_with(name, ".o") && strlen(name) > 2)
        add_found(w, rel, false, dfl_xstrndup("**/*.o", 6), DFL_CONTEXT_BUILD_OUTPUT, &sub);
    }
  }
  free(res[0]);
  free(res[1]);
  if (sub.sent && role == R_TOP)
    add_top(w, rel, is_dir, &sub);
  t->bytes += sub.bytes;
  t->files += sub.files;
  t->dirs += sub.dirs;
  t->sent |= sub.sent;
}

/* Lists fd (closing it) and visits its entries in lexical order. */
static void walk_children(walker *w, int fd, bool *const *parent_res, unsigned inside,
                          unsigned depth, bool top, tally *t)
{
  DIR *d = fdopendir(fd);
  if (!d) {
    close(fd);
    w->out->unreadable++;
    return;
  }
  entry *es = NULL;
  size_t n = 0, cap = 0;
  for (;;) {
    errno = 0;
    struct dirent *de = readdir(d);
    if (!de) {
      if (errno)
        w->out->unreadable++;
      break;
    }
    if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
      continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 32;
      es = dfl_xrealloc(es, cap * sizeof *es);
    }
    es[n].name = strdup(de->d_name);
    es[n].stat_ok = false;
    n++;
  }
  if (n > 1)
    qsort(es, n, sizeof *es, cmp_entry);
  int dfd = dirfd(d);
  size_t save = w->path.len;
  for (size_t i = 0; i < n; i++) {
    if (!w->stop) {
      es[i].stat_ok = fstatat(dfd, es[i].name, &es[i].st, AT_SYMLINK_NOFOLLOW) == 0;
      w->path.len = save;
      if (w->path.data)
        w->path.data[save] = '\0';
      if (save)
        dfl_buf_putc(&w->path, '/');
      dfl_buf_puts(&w->path, es[i].name);
      visit(w, dfd, es[i].name, es[i].stat_ok ? &es[i].st : NULL, parent_res, inside,
            depth, top ? R_TOP : R_INNER, t);
    }
    free(es[i].name);
  }
  w->path.len = save;
  if (w->path.data)
    w->path.data[save] = '\0';
  free(es);
  closedir(d);
}

static int cmp_item(const void *a, const void *b)
{
  const dfl_context_item *x = a, *y = b;
  if (x->bytes != y->bytes)
    return x->bytes > y->bytes ? -1 : 1;
  return strcmp(x->path, y->path);
}

static void item_free(dfl_context_item *it)
{
  free(it->path);
  free(it->pattern);
}

static int fail(dfl_context_summary *out, const char *what, const char *detail)
{
  dfl_buf b;
  dfl_buf_init(&b);
  dfl_buf_printf(&b, "%s: %s", what, detail);
  out->error = dfl_buf_take(&b);
  return -1;
}

int dfl_context_walk(const char *context_dir, const dfl_context_opts *opts,
                     dfl_context_summary *out)
{
  memset(out, 0, sizeof *out);
  dfl_context_opts none = {0};
  const dfl_context_opts *o = opts ? opts : &none;
  const char *dir = context_dir && *context_dir ? context_dir : ".";

  walker w;
  memset(&w, 0, sizeof w);
  w.out = out;
  w.max_entries = o->max_entries ? o->max_entries : DFL_CONTEXT_MAX_ENTRIES;
  w.max_depth = o->max_depth ? o->max_depth : DFL_CONTEXT_MAX_DEPTH;
  w.max_top = o->max_top ? o->max_top : DFL_CONTEXT_MAX_TOP;
  uint32_t ms = o->max_millis ? o->max_millis : DFL_CONTEXT_MAX_MILLIS;
  clock_gettime(CLOCK_MONOTONIC, &w.deadline);
  w.deadline.tv_sec += ms / 1000;
  w.deadline.tv_nsec += (long)(ms % 1000) * 1000000L;
  if (w.deadline.tv_nsec >= 1000000000L) {
    w.deadline.tv_sec++;
    w.deadline.tv_nsec -= 1000000000L;
  }
  w.root_euid = geteuid() == 0;
  if (o->ignore)
    filter_init(&w.f[w.nf++], o->ignore);
  if (o->exclude)
    filter_init(&w.f[w.nf++], o->exclude);
  dfl_buf_init(&w.path);

  int rc = 0;
  int root = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root < 0) {
    rc = fail(out, dir, strerror(errno));
    goto done;
  }

  /* The path to measure: clamped to the context as BuildKit does
   * (filepath.Join("/", p)), then opened a component at a time. */
  char *clean = NULL;
  if (o->path && *o->path) {
    dfl_buf b;
    dfl_buf_init(&b);
    dfl_buf_printf(&b, "/%s", o->path);
    clean = dfl_path_clean(dfl_buf_cstr(&b));
    dfl_buf_free(&b);
  }
  bool *const no_parent[2] = {NULL, NULL};
  tally t = {0};
  if (!clean || strcmp(clean, "/") == 0) {
    walk_children(&w, root, no_parent, 0, 0, true, &t);
  } else {
    const char *rel = clean + 1;
    int pfd = root;
    const char *comp = rel;
    for (;;) {
      const char *slash = strchr(comp, '/');
      char *name = dfl_xstrndup(comp, slash ? (size_t)(slash - comp) : strlen(comp));
      struct stat st;
      if (fstatat(pfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        rc = fail(out, rel, strerror(errno));
        free(name);
        break;
      }
      if (!slash) {
        dfl_buf_puts(&w.path, rel);
        visit(&w, pfd, name, &st, no_parent, 0, 0, S_ISDIR(st.st_mode) ? R_START : R_TOP, &t);
        free(name);
        break;
      }
      int fd = S_ISDIR(st.st_mode)
                   ? openat(pfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                   : -1;
      free(name);
      if (fd < 0) {
        rc = fail(out, rel, S_ISDIR(st.st_mode) ? strerror(errno) : "not a directory");
        break;
      }
      close(pfd);
      pfd = fd;
      comp = slash + 1;
    }
    close(pfd);
  }
  free(clean);
  out->bytes = t.bytes;
  out->files = t.files;
  out->dirs = t.dirs;
  if (out->error && rc == 0)
    rc = -1;

done:
  if (out->ntop > 1)
    qsort(out->top, out->ntop, sizeof *out->top, cmp_item);
  while (out->ntop > w.max_top)
    item_free(&out->top[--out->ntop]);
  if (out->nfound > 1)
    qsort(out->found, out->nfound, sizeof *out->found, cmp_item);
  for (size_t i = 0; i < w.nf; i++)
    filter_free(&w.f[i]);
  free(w.inodes.slots);
  dfl_buf_free(&w.path);
  return rc;
}

void dfl_context_summary_free(dfl_context_summary *s)
{
  if (!s)
    return;
  for (size_t i = 0; i < s->ntop; i++)
    item_free(&s->top[i]);
  for (size_t i = 0; i < s->nfound; i++)
    item_free(&s->found[i]);
  free(s->top);
  free(s->found);
  free(s->error);
  memset(s, 0, sizeof *s);
}

void dfl_context_format_size(uint64_t bytes, char *buf, size_t n)
{
  static const char *const units[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
  if (bytes < 1000) {
    snprintf(buf, n, "%u B", (unsigned)bytes);
    return;
  }
  double v = (double)bytes;
  size_t u = 0;
  /* Move up while the printed figure would reach 1000 ("1000 kB"). */
  while (u + 1 < sizeof units / sizeof units[0] && v >= 999.5) {
    v /= 1000;
    u++;
  }
  if (v < 9.95)
    snprintf(buf, n, "%.1f %s", v, units[u]);
  else
    snprintf(buf, n, "%.0f %s", v, units[u]);
}

const char *dfl_context_kind_name(unsigned kind)
{
  switch (kind) {
  case DFL_CONTEXT_GIT:
    return "a .git directory";
  case DFL_CONTEXT_NODE_MODULES:
    return "node_modules";
  case DFL_CONTEXT_VENV:
    return "a Python virtualenv";
  case DFL_CONTEXT_BUILD_OUTPUT:
    return "build output";
  default:
    return "";
  }
}
