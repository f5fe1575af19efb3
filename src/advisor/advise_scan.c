/* The advisor's reading of a Dockerfile and its build context
 * (advise_scan.h). One pass over the instructions with BuildKit's dispatch
 * state, so that COPY sources and CGO_ENABLED are read with the values the
 * build would see. */
#include "advisor/advise_scan.h"

#include <dirent.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "dflint/arena.h"
#include "dflint/buf.h"
#include "dflint/context.h"
#include "dflint/dockerignore.h"
#include "dflint/shell.h"
#include "lint/dispatch.h"

#include "buildkit/bk_dispatch.h"
#include "dflint/df_build.h"

/* Payload parts listed by name; the rest are counted ("and 3 more"). */
#define MAX_UNKNOWN_LISTED 6
/* Matches of one COPY wildcard measured, at most. */
#define MAX_GLOB_MATCHES 4096
/* Evidence files are small; a bigger one is not read. */
#define MAX_EVIDENCE_BYTES ((size_t)4 << 20)

typedef struct stage_info {
  bool cc;                /* a RUN of the stage installed a C compiler */
  int goenv;              /* go env -w CGO_ENABLED: 0 none, 1 off, 2 on */
  uint32_t cgo_env_line;  /* ENV CGO_ENABLED=... in the stage */
} stage_info;

typedef struct scan_ctx {
  adv_scan *s;
  const dfl_model *m;
  const dfl_stage *final;
  const dfl_advise_options *o;
  const dfl_catalog *cat;
  const char *dockerfile;
  char *context_dir;
  dfl_ignore *ignore;
  bool ignore_broken;
  bool *reach; /* per stage: its files can reach the final image */
  bool *chain; /* per stage: in the final stage's FROM chain */
  stage_info *info;
  size_t nunknown; /* payload parts not counted, listed or not */
  unsigned escape;
  /* Go builds seen, combined. */
  bool go_static_seen, go_unknown_seen;
  /* Evidence files named by COPY sources. */
  dfl_strlist pkg_paths, req_paths;
  /* Packages named by RUN npm install / pip install. */
  dfl_strlist npm_names, pip_names;
} scan_ctx;

/* ---- small helpers ------------------------------------------------------ */

static void set_str(char **dst, const char *s)
{
  if (*dst)
    return;
  *dst = dfl_xstrndup(s, strlen(s));
}

static bool has_str(const dfl_strlist *l, const char *s)
{
  for (size_t i = 0; i < l->n; i++)
    if (strcmp(l->items[i], s) == 0)
      return true;
  return false;
}

static void push_unique(dfl_strlist *l, const char *s)
{
  if (!has_str(l, s))
    dfl_strlist_push(l, s);
}

/* The instruction's text, first line only, at most 40 bytes: "npm ci
 * --omit=dev", "apt-get update && apt-get install -y ...". */
static void snippet(const dfl_instr *in, char *buf, size_t n)
{
  /* Blanks collapsed (a joined continuation keeps its indentation). */
  char t[128];
  size_t len = 0;
  bool more = false;
  const char *r = in->rest ? in->rest : "";
  for (size_t i = 0; i < (in->rest ? in->rest_len : 0); i++) {
    char ch = r[i] == '\n' || r[i] == '\t' ? ' ' : r[i];
    if (ch == ' ' && (len == 0 || t[len - 1] == ' '))
      continue;
    if (len + 1 >= sizeof t) {
      more = true;
      break;
    }
    t[len++] = ch;
  }
  while (len && t[len - 1] == ' ')
    len--;
  bool cut = more || len > 40;
  if (len > 40) {
    len = 40;
    while (len > 20 && t[len - 1] != ' ')
      len--;
    while (len > 0 && t[len - 1] == ' ')
      len--;
  }
  snprintf(buf, n, "%.*s%s", (int)len, t, cut ? " ..." : "");
}

static void unknown_part(scan_ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void unknown_part(scan_ctx *c, const char *fmt, ...)
{
  c->s->payload_complete = false;
  c->nunknown++;
  if (c->s->payload_unknown.n >= MAX_UNKNOWN_LISTED)
    return;
  dfl_buf b;
  dfl_buf_init(&b);
  va_list ap;
  va_start(ap, fmt);
  dfl_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  dfl_strlist_push(&c->s->payload_unknown, dfl_buf_cstr(&b));
  dfl_buf_free(&b);
}

static const char *base_name(const char *p)
{
  const char *b = strrchr(p, '/');
  return b ? b + 1 : p;
}

static bool is_requirements_name(const char *name)
{
  return fnmatch("requirements*.txt", name, 0) == 0;
}

/* The stage's image as its root stage names it, or NULL. */
static const char *stage_image(const scan_ctx *c, const dfl_stage *st)
{
  const dfl_stage *root = dfl_model_root_stage(c->m, st);
  if (!root || root->base_scratch || !root->base || root->base_unresolved)
    return NULL;
  return root->base;
}

static const dfl_catalog_entry *stage_entry(const scan_ctx *c,
                                            const dfl_stage *st)
{
  const char *img = stage_image(c, st);
  dfl_catalog_match mt;
  if (!img || dfl_catalog_lookup(c->cat, img, &mt, NULL) != 1)
    return NULL;
  return mt.entry;
}

/* ---- what COPY and ADD take from the context ---------------------------- */

static bool has_wildcard(const char *p)
{
  return strpbrk(p, "*?[") != NULL;
}

static int cmp_strp(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Expands a COPY wildcard the way Go's filepath.Match is applied to each
 * path component, from the context directory. Matches in sorted order. */
static void glob_rec(const char *root, const char *rel, char **comps,
                     size_t i, size_t n, dfl_strlist *out)
{
  if (out->n >= MAX_GLOB_MATCHES)
    return;
  if (i == n) {
    dfl_strlist_push(out, rel);
    return;
  }
  dfl_buf dir;
  dfl_buf_init(&dir);
  dfl_buf_printf(&dir, "%s/%s", root, rel);
  if (!has_wildcard(comps[i])) {
    dfl_buf p;
    dfl_buf_init(&p);
    dfl_buf_printf(&p, "%s%s%s", rel, *rel ? "/" : "", comps[i]);
    struct stat st;
    dfl_buf full;
    dfl_buf_init(&full);
    dfl_buf_printf(&full, "%s/%s", root, dfl_buf_cstr(&p));
    if (lstat(dfl_buf_cstr(&full), &st) == 0)
      glob_rec(root, dfl_buf_cstr(&p), comps, i + 1, n, out);
    dfl_buf_free(&full);
    dfl_buf_free(&p);
    dfl_buf_free(&dir);
    return;
  }
  DIR *d = opendir(dfl_buf_cstr(&dir));
  dfl_buf_free(&dir);
  if (!d)
    return;
  dfl_strlist names = {0};
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    if (fnmatch(comps[i], e->d_name, 0) == 0)
      dfl_strlist_push(&names, e->d_name);
  }
  closedir(d);
  if (names.n > 1)
    qsort(names.items, names.n, sizeof *names.items, cmp_strp);
  for (size_t k = 0; k < names.n; k++) {
    dfl_buf p;
    dfl_buf_init(&p);
    dfl_buf_printf(&p, "%s%s%s", rel, *rel ? "/" : "", names.items[k]);
    glob_rec(root, dfl_buf_cstr(&p), comps, i + 1, n, out);
    dfl_buf_free(&p);
  }
  dfl_strlist_free(&names);
}

static void glob_context(const char *root, const char *clean,
                         dfl_strlist *out)
{
  char *copy = dfl_xstrndup(clean, strlen(clean));
  char *comps[256];
  size_t n = 0;
  char *save = NULL;
  for (char *t = strtok_r(copy, "/", &save); t && n < 256;
       t = strtok_r(NULL, "/", &save))
    comps[n++] = t;
  glob_rec(root, "", comps, 0, n, out);
  free(copy);
}

/* Notes the evidence files a copied path holds or is. */
static void note_evidence_path(scan_ctx *c, const char *rel, bool is_dir)
{
  if (!is_dir) {
    const char *b = base_name(rel);
    if (strcmp(b, "package.json") == 0)
      push_unique(&c->pkg_paths, rel);
    else if (is_requirements_name(b))
      push_unique(&c->req_paths, rel);
    return;
  }
  static const char *const names[] = {"package.json", "requirements.txt"};
  for (size_t i = 0; i < 2; i++) {
    dfl_buf p, full;
    dfl_buf_init(&p);
    dfl_buf_init(&full);
    if (strcmp(rel, ".") == 0 || !*rel)
      dfl_buf_puts(&p, names[i]);
    else
      dfl_buf_printf(&p, "%s/%s", rel, names[i]);
    dfl_buf_printf(&full, "%s/%s", c->context_dir, dfl_buf_cstr(&p));
    struct stat st;
    if (stat(dfl_buf_cstr(&full), &st) == 0 && S_ISREG(st.st_mode))
      push_unique(i == 0 ? &c->pkg_paths : &c->req_paths, dfl_buf_cstr(&p));
    dfl_buf_free(&p);
    dfl_buf_free(&full);
  }
}

/* Measures one source path (no wildcards) into the payload. */
static void measure_path(scan_ctx *c, const dfl_instr *in, const char *rel,
                         const dfl_ignore *exclude, bool count)
{
  dfl_context_opts opts = {.ignore = c->ignore, .exclude = exclude,
                           .path = rel};
  dfl_context_summary sum;
  int rc = dfl_context_walk(c->context_dir, &opts, &sum);
  if (rc != 0 && sum.bytes == 0 && sum.files == 0) {
    if (count)
      unknown_part(c, "%s %s (line %u): not found in the build context",
                   dfl_instr_kind_name(in->kind), rel,
                   (unsigned)in->range.start.line);
    dfl_context_summary_free(&sum);
    return;
  }
  if (count) {
    c->s->context_bytes += sum.bytes;
    c->s->context_files += sum.files;
    if (sum.truncated) {
      c->s->payload_complete = false;
      dfl_strlist_pushf(&c->s->notes,
                        "the walk of %s (line %u) stopped at its %s limit: "
                        "its size is a lower bound",
                        rel, (unsigned)in->range.start.line,
                        sum.limit ? sum.limit : "");
    }
  }
  struct stat st;
  dfl_buf full;
  dfl_buf_init(&full);
  dfl_buf_printf(&full, "%s/%s", c->context_dir, rel);
  bool is_dir = stat(dfl_buf_cstr(&full), &st) == 0 && S_ISDIR(st.st_mode);
  dfl_buf_free(&full);
  note_evidence_path(c, rel, is_dir);
  dfl_context_summary_free(&sum);
}

static bool is_remote(const char *src)
{
  return strncmp(src, "http://", 7) == 0 || strncmp(src, "https://", 8) == 0 ||
         strncmp(src, "git@", 4) == 0 ||
         (strlen(src) > 4 && strcmp(src + strlen(src) - 4, ".git") == 0);
}

/* --exclude patterns of a COPY/ADD, expanded, as an ignore list (NULL when
 * there are none or one does not expand). */
static dfl_ignore *excludes_of(scan_ctx *c, const dfl_instr *in,
                               const dfl_env *env)
{
  dfl_buf b;
  dfl_buf_init(&b);
  for (size_t i = 0; i < in->nflags; i++) {
    const dfl_flag *f = &in->flags[i];
    if (f->name_len != 7 || memcmp(f->name, "exclude", 7) != 0 || !f->value)
      continue;
    dfl_lex lx = {.escape = c->escape};
    dfl_lex_result r;
    if (dfl_lex_process(&lx, f->value, f->value_len, env, &r) == 0) {
      if (r.result_len && r.result[0] == '#')
        dfl_buf_putc(&b, '/');
      dfl_buf_append(&b, r.result, r.result_len);
      dfl_buf_putc(&b, '\n');
    }
    dfl_lex_result_free(&r);
  }
  dfl_ignore *ig = b.len ? dfl_ignore_parse(b.data, b.len, NULL) : NULL;
  dfl_buf_free(&b);
  return ig;
}

static void copy_in(scan_ctx *c, const dfl_instr *in, const dfl_env *env)
{
  bool count = c->chain[dfl_model_stage_of(c->m, in)->index];
  const char *kw = dfl_instr_kind_name(in->kind);
  unsigned line = in->range.start.line;
  const dfl_flag *from = dfl_instr_flag(in, "from");
  if (from && from->value && from->value_len) {
    if (!count)
      return;
    bkd_words w = {0};
    bkd_expand_words(in, &w);
    const char *first = NULL;
    size_t flen = 0, nsrc = 0;
    for (size_t i = 0; i < w.n; i++)
      if (w.items[i].role == BKD_SOURCE) {
        if (!first) {
          first = w.items[i].text;
          flen = w.items[i].len;
        }
        nsrc++;
      }
    unknown_part(c, "%s --from=%.*s %.*s%s (line %u)", kw,
                 (int)from->value_len, from->value, (int)flen,
                 first ? first : "", nsrc > 1 ? " ..." : "", line);
    bkd_words_free(&w);
    return;
  }
  if (!c->context_dir || c->ignore_broken) {
    if (count)
      unknown_part(c, "%s (line %u): the build context was not measured",
                   kw, line);
    return;
  }
  dfl_ignore *ex = excludes_of(c, in, env);
  bkd_words w = {0};
  bkd_expand_words(in, &w);
  for (size_t i = 0; i < w.n; i++) {
    const bkd_word *wd = &w.items[i];
    if (wd->role != BKD_SOURCE)
      continue;
    bool heredoc = false;
    bkd_heredoc_of(in, wd->text, wd->len, &heredoc);
    if (heredoc)
      continue; /* counted below */
    dfl_lex lx = {.escape = c->escape};
    dfl_lex_result r;
    if (dfl_lex_process(&lx, wd->text, wd->len, env, &r) != 0 ||
        r.result_len == 0) {
      if (count)
        unknown_part(c, "%s %.*s (line %u): does not expand", kw,
                     (int)wd->len, wd->text, line);
      dfl_lex_result_free(&r);
      continue;
    }
    if (in->kind == DFL_INSTR_ADD && is_remote(r.result)) {
      if (count)
        unknown_part(c, "ADD %s (line %u): downloaded at build time",
                     r.result, line);
      dfl_lex_result_free(&r);
      continue;
    }
    /* BuildKit clamps sources to the context (filepath.Join("/", src)). */
    dfl_buf b;
    dfl_buf_init(&b);
    dfl_buf_printf(&b, "/%s", r.result);
    char *clean = dfl_path_clean(dfl_buf_cstr(&b));
    dfl_buf_free(&b);
    const char *rel = clean[1] ? clean + 1 : ".";
    if (has_wildcard(rel)) {
      dfl_strlist matches = {0};
      glob_context(c->context_dir, rel, &matches);
      if (matches.n == 0 && count)
        unknown_part(c, "%s %s (line %u): matches nothing in the build "
                        "context",
                     kw, r.result, line);
      for (size_t k = 0; k < matches.n; k++)
        measure_path(c, in, matches.items[k], ex, count);
      dfl_strlist_free(&matches);
    } else {
      measure_path(c, in, rel, ex, count);
    }
    free(clean);
    dfl_lex_result_free(&r);
  }
  bkd_words_free(&w);
  dfl_ignore_free(ex);
  /* COPY <<EOF /x: each heredoc is a file of its text. */
  for (size_t h = 0; count && h < in->nheredocs; h++) {
    c->s->context_bytes += in->heredocs[h].content_len;
    c->s->context_files++;
  }
}

/* ---- RUN ---------------------------------------------------------------- */

static const char *const pkg_managers[] = {
  "apt-get", "apt", "aptitude", "apk", "yum", "dnf", "microdnf", "zypper",
  NULL,
};

static bool word_is(const dfl_sh_word *w, const char *s)
{
  return w->len == strlen(s) && memcmp(w->text, s, w->len) == 0;
}

/* The positional arguments after `sub` of a package tool, as names:
 * `npm install bcrypt sharp@0.33`, `pip install -r x numpy==1.26`. */
static void collect_names(const dfl_sh_cmd *u, size_t from,
                          const char *value_flags, bool strip_version,
                          dfl_strlist *out)
{
  dfl_sh_args it;
  dfl_sh_args_init(&it, u, value_flags);
  size_t skip = from;
  for (const dfl_sh_word *w; (w = dfl_sh_args_next(&it));) {
    if (skip) {
      skip--;
      continue;
    }
    if (w->flags & DFL_SH_WORD_EXPANDS)
      continue;
    size_t n = w->len;
    if (strip_version) {
      /* numpy==1.26, numpy>=1, numpy[extra], bcrypt@5 (not @scope/pkg). */
      n = strcspn(w->text, "=<>~![;@ ");
      if (w->text[0] == '@') {
        const char *at = strchr(w->text + 1, '@');
        n = at ? (size_t)(at - w->text) : w->len;
      }
    }
    if (n == 0 || n > 100)
      continue;
    char name[128];
    snprintf(name, sizeof name, "%.*s", (int)n, w->text);
    push_unique(out, name);
  }
}

static bool is_pip(const dfl_sh_cmd *u, size_t *sub)
{
  if (u->argc >= 2 && (dfl_sh_is(u, "pip", DFL_SH_MATCH_PATH) ||
                       dfl_sh_is(u, "pip3", DFL_SH_MATCH_PATH))) {
    *sub = 1;
    return true;
  }
  /* python -m pip install ... */
  if (u->argc >= 4 && (dfl_sh_is(u, "python", DFL_SH_MATCH_PATH) ||
                       dfl_sh_is(u, "python3", DFL_SH_MATCH_PATH)) &&
      word_is(&u->argv[1], "-m") && word_is(&u->argv[2], "pip")) {
    *sub = 3;
    return true;
  }
  return false;
}

/* Whether linker flags ask for a static link: -extldflags then -static. */
static bool ldflags_static(const char *v)
{
  const char *x = v ? strstr(v, "-extldflags") : NULL;
  return x && strstr(x, "-static");
}

static bool tags_static(const char *v)
{
  return v && strstr(v, "netgo") && strstr(v, "osusergo");
}

static int chain_goenv(const scan_ctx *c, const dfl_stage *st)
{
  for (size_t g = 0; st && g <= c->m->nstages; g++) {
    if (c->info[st->index].goenv)
      return c->info[st->index].goenv;
    st = st->base_stage >= 0 ? &c->m->stages[st->base_stage] : NULL;
  }
  return 0;
}

static bool chain_cc(const scan_ctx *c, const dfl_stage *st)
{
  for (size_t g = 0; st && g <= c->m->nstages; g++) {
    if (c->info[st->index].cc)
      return true;
    st = st->base_stage >= 0 ? &c->m->stages[st->base_stage] : NULL;
  }
  return false;
}

static uint32_t chain_cgo_env_line(const scan_ctx *c, const dfl_stage *st)
{
  for (size_t g = 0; st && g <= c->m->nstages; g++) {
    if (c->info[st->index].cgo_env_line)
      return c->info[st->index].cgo_env_line;
    st = st->base_stage >= 0 ? &c->m->stages[st->base_stage] : NULL;
  }
  return 0;
}

/* Records one go build's outcome; dynamic wins, then unknown. */
static void go_outcome(scan_ctx *c, int kind, uint32_t line,
                       const dfl_stage *st, const char *why)
{
  adv_scan *s = c->s;
  if (c->chain[st->index])
    s->go_in_chain = true;
  if (kind == ADV_GO_DYNAMIC && s->go != ADV_GO_DYNAMIC) {
    s->go = ADV_GO_DYNAMIC;
    s->go_line = line;
    free(s->go_why);
    s->go_why = dfl_xstrndup(why, strlen(why));
    const dfl_catalog_entry *e = stage_entry(c, st);
    s->go_libc = e ? e->libc : DFL_CAT_LIBC_GLIBC;
    free(s->go_builder);
    const char *img = stage_image(c, st);
    s->go_builder = img ? dfl_xstrndup(img, strlen(img)) : NULL;
    return;
  }
  if (s->go == ADV_GO_DYNAMIC)
    return;
  if (kind == ADV_GO_UNKNOWN) {
    c->go_unknown_seen = true;
    s->go = ADV_GO_UNKNOWN;
    s->go_line = line;
    free(s->go_why);
    s->go_why = dfl_xstrndup(why, strlen(why));
    return;
  }
  if (!c->go_unknown_seen && !c->go_static_seen) {
    c->go_static_seen = true;
    s->go = ADV_GO_STATIC;
    s->go_line = line;
    free(s->go_why);
    s->go_why = dfl_xstrndup(why, strlen(why));
  }
}

/* Whether a command up to cmd assigns CGO_ENABLED (NAME=value before a
 * command, alone, or through export/env and the like): when
 * dfl_sh_env_before still has no value for it, the value is one the text
 * does not show (an expansion, a condition). */
static bool assigns_cgo(const dfl_sh_script *sc, const dfl_sh_cmd *cmd)
{
  static const char *const setters[] = {"export", "declare", "typeset",
                                        "local", "readonly", "env"};
  for (size_t k = 0; k < sc->ncmds && sc->cmds[k].start <= cmd->start; k++) {
    const dfl_sh_cmd *a = &sc->cmds[k];
    for (size_t j = 0; j < a->nassigns; j++)
      if (strcmp(a->assigns[j].name, "CGO_ENABLED") == 0)
        return true;
    bool setter = false;
    for (size_t j = 0; a->argc && j < sizeof setters / sizeof *setters; j++)
      setter = setter || dfl_sh_is(a, setters[j], DFL_SH_MATCH_PATH);
    for (size_t j = 1; setter && j < a->argc; j++)
      if (strncmp(a->argv[j].text, "CGO_ENABLED=", 12) == 0)
        return true;
  }
  return false;
}

static void go_build(scan_ctx *c, const dfl_stage *st, const dfl_sh_script *sc,
                     const dfl_sh_cmd *cmd, const dfl_sh_cmd *u,
                     const dfl_env *env, uint32_t line)
{
  char why[256];
  const char *v = dfl_sh_env_before(sc, cmd, "CGO_ENABLED");
  uint32_t vline = line;
  const char *where = "";
  if (!v && assigns_cgo(sc, cmd)) {
    snprintf(why, sizeof why, "CGO_ENABLED is set in a way the text does not "
             "show (line %u)", (unsigned)line);
    go_outcome(c, ADV_GO_UNKNOWN, line, st, why);
    return;
  }
  if (!v && env) {
    const dfl_env_entry *e = dfl_env_get(env, "CGO_ENABLED", 11);
    if (e) {
      v = e->value;
      vline = chain_cgo_env_line(c, st);
      where = " in the stage's environment";
    }
  }
  if (v) {
    if (strchr(v, '$')) {
      snprintf(why, sizeof why, "CGO_ENABLED=%s depends on a variable "
               "(line %u)", v, (unsigned)line);
      go_outcome(c, ADV_GO_UNKNOWN, line, st, why);
    } else if (strcmp(v, "0") == 0) {
      if (vline && vline != line)
        snprintf(why, sizeof why, "CGO_ENABLED=0 (line %u) for the go build "
                 "at line %u", (unsigned)vline, (unsigned)line);
      else if (vline)
        snprintf(why, sizeof why, "CGO_ENABLED=0 (line %u)", (unsigned)line);
      else
        snprintf(why, sizeof why, "CGO_ENABLED=0%s for the go build at line "
                 "%u", where, (unsigned)line);
      go_outcome(c, ADV_GO_STATIC, line, st, why);
    } else {
      snprintf(why, sizeof why, "CGO_ENABLED=%s (line %u) for the go build "
               "at line %u", v, (unsigned)(vline ? vline : line),
               (unsigned)line);
      go_outcome(c, ADV_GO_DYNAMIC, line, st, why);
    }
    return;
  }
  if (chain_goenv(c, st) == 1) {
    snprintf(why, sizeof why, "go env -w CGO_ENABLED=0 before the go build "
             "at line %u", (unsigned)line);
    go_outcome(c, ADV_GO_STATIC, line, st, why);
    return;
  }
  const char *ld = dfl_sh_flag_value(u, "-ldflags|ldflags");
  const char *tags = dfl_sh_flag_value(u, "-tags|tags");
  if (ldflags_static(ld)) {
    snprintf(why, sizeof why, "the go build at line %u links statically "
             "(-extldflags -static)", (unsigned)line);
    go_outcome(c, ADV_GO_STATIC, line, st, why);
    return;
  }
  if (tags_static(tags)) {
    snprintf(why, sizeof why, "the go build at line %u uses the pure-Go "
             "netgo and osusergo tags", (unsigned)line);
    go_outcome(c, ADV_GO_STATIC, line, st, why);
    return;
  }
  const dfl_catalog_entry *e = stage_entry(c, st);
  const char *img = stage_image(c, st);
  if (!e && !chain_cc(c, st)) {
    snprintf(why, sizeof why, "the go build at line %u runs on %s, which the "
             "catalog does not know: whether it has a C compiler (and so "
             "cgo) is unknown",
             (unsigned)line, img ? img : "an unresolved image");
    go_outcome(c, ADV_GO_UNKNOWN, line, st, why);
    return;
  }
  if ((e && e->cc) || chain_cc(c, st)) {
    snprintf(why, sizeof why, "the go build at line %u leaves cgo on, the "
             "default where gcc is installed (%s has it), and the net and "
             "os/user packages then link libc",
             (unsigned)line, img ? img : "its stage");
    go_outcome(c, ADV_GO_DYNAMIC, line, st, why);
    return;
  }
  snprintf(why, sizeof why, "%s has no C compiler, so Go turns cgo off for "
           "the go build at line %u", img ? img : "the build image",
           (unsigned)line);
  go_outcome(c, ADV_GO_STATIC, line, st, why);
}

/* go env -w CGO_ENABLED=v / -u CGO_ENABLED. */
static void go_env(scan_ctx *c, const dfl_stage *st, const dfl_sh_cmd *u)
{
  if (u->argc < 3 || !dfl_sh_is(u, "go", DFL_SH_MATCH_PATH) ||
      !word_is(&u->argv[1], "env"))
    return;
  for (size_t i = 2; i < u->argc; i++) {
    const dfl_sh_word *a = &u->argv[i];
    if (a->len > 12 && memcmp(a->text, "CGO_ENABLED=", 12) == 0)
      c->info[st->index].goenv = strcmp(a->text + 12, "0") == 0 ? 1 : 2;
  }
}

static void scan_script(scan_ctx *c, const dfl_stage *st, const dfl_instr *in,
                        const dfl_sh_script *sc, const dfl_env *env)
{
  uint32_t line = in->range.start.line;
  bool chain = c->chain[st->index];
  for (size_t i = 0; i < sc->ncmds; i++) {
    const dfl_sh_cmd *cmd = &sc->cmds[i];
    dfl_sh_cmd u = dfl_sh_unwrap(cmd);
    if (u.argc == 0)
      continue;
    const char *which = NULL;
    if (dfb_installs_any(&u, dfb_cc_packages, &which)) {
      c->info[st->index].cc = true;
      if (!c->s->cc_line) {
        c->s->cc_line = line;
        set_str(&c->s->cc_pkg, which);
      }
    }
    if (chain && !c->s->pkg_cmd)
      for (size_t k = 0; pkg_managers[k]; k++)
        if (dfl_sh_is(&u, pkg_managers[k], DFL_SH_MATCH_PATH)) {
          set_str(&c->s->pkg_cmd, pkg_managers[k]);
          c->s->pkg_line = line;
        }
    go_env(c, st, &u);
    if (dfb_is_go_build(&u))
      go_build(c, st, sc, cmd, &u, env, line);
    size_t sub;
    if (is_pip(&u, &sub) && u.argc > sub &&
        word_is(&u.argv[sub], "install"))
      collect_names(&u, sub == 1 ? 1 : 2, "r|requirement|c|constraint|e|"
                    "editable|i|index-url|extra-index-url|t|target",
                    true, &c->pip_names);
    if ((dfl_sh_is(&u, "npm", DFL_SH_MATCH_PATH) && u.argc >= 3 &&
         (word_is(&u.argv[1], "install") || word_is(&u.argv[1], "i") ||
          word_is(&u.argv[1], "add"))) ||
        (dfl_sh_is(&u, "yarn", DFL_SH_MATCH_PATH) && u.argc >= 3 &&
         word_is(&u.argv[1], "add")))
      collect_names(&u, 1, NULL, true, &c->npm_names);
  }
}

static void run_in(scan_ctx *c, const dfl_stage *st, const dfl_instr *in,
                   const dfl_env *env)
{
  uint32_t line = in->range.start.line;
  if (c->chain[st->index]) {
    c->s->nruns++;
    if (!c->s->first_run_line)
      c->s->first_run_line = line;
    dfl_strlist_pushf(&c->s->shell_needs, "RUN (line %u)", (unsigned)line);
    char snip[64];
    snippet(in, snip, sizeof snip);
    unknown_part(c, "RUN %s (line %u)", snip, (unsigned)line);
  }
  if (in->json) {
    /* RUN ["npm", "ci"]: the program and its words, as a script. */
    dfl_buf b;
    dfl_buf_init(&b);
    for (size_t i = 0; i < in->nargs; i++) {
      dfl_buf_puts(&b, i ? " '" : "'");
      for (size_t k = 0; k < in->args[i].len; k++) {
        char ch = in->args[i].value[k];
        if (ch == '\'')
          dfl_buf_puts(&b, "'\\''");
        else
          dfl_buf_putc(&b, ch);
      }
      dfl_buf_putc(&b, '\'');
    }
    dfl_sh_script *sc = dfl_sh_parse(b.data ? b.data : "", b.len);
    scan_script(c, st, in, sc, env);
    dfl_sh_free(sc);
    dfl_buf_free(&b);
    return;
  }
  dfl_sh_script *sc = dfl_sh_parse(in->rest ? in->rest : "", in->rest_len);
  scan_script(c, st, in, sc, env);
  for (size_t h = 0; h < in->nheredocs; h++) {
    const dfl_heredoc *hd = &in->heredocs[h];
    if (!dfl_sh_heredoc_is_script(sc, hd->name, hd->name_len, hd->content,
                                  hd->content_len))
      continue;
    dfl_sh_script *hs = dfl_sh_parse(hd->content, hd->content_len);
    scan_script(c, st, in, hs, env);
    dfl_sh_free(hs);
  }
  dfl_sh_free(sc);
}

/* ---- the rest of the final chain ---------------------------------------- */


static void final_instr(scan_ctx *c, const dfl_instr *in)
{
  unsigned line = in->range.start.line;
  const char *kw = dfl_instr_kind_name(in->kind);
  switch (in->kind) {
  case DFL_INSTR_CMD:
  case DFL_INSTR_ENTRYPOINT:
    if (in->nargs == 0)
      break;
    if (!in->json)
      dfl_strlist_pushf(&c->s->shell_needs, "the shell-form %s (line %u)", kw,
                        line);
    else if (dfl_instr_exec_names_shell(in, 0))
      dfl_strlist_pushf(&c->s->shell_needs, "the %s that runs a shell "
                        "(line %u)", kw, line);
    break;
  case DFL_INSTR_HEALTHCHECK:
    if (in->nargs >= 2 && in->args[0].len == 3 &&
        strncasecmp(in->args[0].value, "CMD", 3) == 0) {
      if (!in->json)
        dfl_strlist_pushf(&c->s->shell_needs, "the shell-form HEALTHCHECK "
                          "(line %u)", line);
      else if (dfl_instr_exec_names_shell(in, 1))
        dfl_strlist_pushf(&c->s->shell_needs, "the HEALTHCHECK that runs a "
                          "shell (line %u)", line);
    }
    break;
  case DFL_INSTR_USER:
    c->s->user_line = line;
    break;
  default:
    break;
  }
}

/* ENV CGO_ENABLED=... : remembered per stage for the messages. */
static void env_in(scan_ctx *c, const dfl_stage *st, const dfl_instr *in)
{
  for (size_t i = 0; i + 1 < in->nargs; i += 3)
    if (in->args[i].len == 11 && memcmp(in->args[i].value, "CGO_ENABLED", 11) == 0)
      c->info[st->index].cgo_env_line = in->range.start.line;
}

/* ---- evidence files ----------------------------------------------------- */

/* Node packages that compile native code (node-gyp, N-API) or download a
 * binary built for one libc. */
static const char *const node_native[] = {
  "argon2", "bcrypt", "better-sqlite3", "bufferutil", "canvas", "cpu-features",
  "deasync", "ffi-napi", "grpc", "heapdump", "hiredis", "isolated-vm",
  "kerberos", "leveldown", "libxmljs", "libxmljs2", "lmdb", "microtime",
  "node-pty", "node-rdkafka", "node-sass", "nodegit", "oracledb",
  "re2", "ref-napi", "serialport", "sharp", "snappy", "sodium-native",
  "sqlite3", "usb", "utf-8-validate", "zeromq", "@serialport/bindings-cpp",
  "@tensorflow/tfjs-node", "onnxruntime-node", NULL,
};

/* Python distributions that ship compiled extensions (wheels built per
 * platform and libc). Names normalized as PEP 503 does. */
static const char *const py_native[] = {
  "bcrypt", "cffi", "confluent-kafka", "cryptography", "gevent", "greenlet",
  "grpcio", "h5py", "httptools", "lightgbm", "llvmlite", "lxml", "matplotlib",
  "msgpack", "mysqlclient", "numba", "numpy", "onnxruntime", "opencv-python",
  "opencv-python-headless", "orjson", "pandas", "pillow", "psutil",
  "psycopg", "psycopg-binary", "psycopg2", "psycopg2-binary", "pyarrow",
  "pycryptodome", "pydantic-core", "pymssql", "pynacl", "pyzmq", "rapidfuzz",
  "regex", "scikit-learn", "scipy", "sentencepiece", "shapely", "tensorflow",
  "tokenizers", "torch", "ujson", "uvloop", "xgboost", "zstandard", NULL,
};

static bool in_list(const char *const *list, const char *name)
{
  for (size_t i = 0; list[i]; i++)
    if (strcmp(list[i], name) == 0)
      return true;
  return false;
}

static char *read_context_file(const scan_ctx *c, const char *rel,
                               size_t *len)
{
  dfl_buf p;
  dfl_buf_init(&p);
  dfl_buf_printf(&p, "%s/%s", c->context_dir, rel);
  FILE *f = fopen(dfl_buf_cstr(&p), "rb");
  dfl_buf_free(&p);
  if (!f)
    return NULL;
  dfl_buf b;
  dfl_buf_init(&b);
  char chunk[8192];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 &&
         b.len <= MAX_EVIDENCE_BYTES)
    dfl_buf_append(&b, chunk, n);
  fclose(f);
  if (b.len > MAX_EVIDENCE_BYTES) {
    dfl_buf_free(&b);
    return NULL;
  }
  *len = b.len;
  if (!b.data)
    return dfl_xstrndup("", 0);
  return dfl_buf_take(&b);
}

static void read_package_json(scan_ctx *c, const char *rel)
{
  size_t len;
  char *data = read_context_file(c, rel, &len);
  if (!data)
    return;
  json_error_t jerr;
  json_t *root = json_loadb(data, len, 0, &jerr);
  free(data);
  if (!json_is_object(root)) {
    dfl_strlist_pushf(&c->s->notes, "%s is not valid JSON (line %d): not "
                      "read", rel, jerr.line);
    json_decref(root);
    return;
  }
  set_str(&c->s->package_json, rel);
  static const char *const sections[] = {"dependencies",
                                         "optionalDependencies"};
  for (size_t k = 0; k < 2; k++) {
    json_t *deps = json_object_get(root, sections[k]);
    const char *name;
    json_t *v;
    if (json_is_object(deps))
      json_object_foreach(deps, name, v) {
        if (in_list(node_native, name))
          push_unique(&c->s->node_native, name);
      }
  }
  if (json_is_true(json_object_get(root, "gypfile")))
    push_unique(&c->s->node_native, "its own addon (gypfile)");
  json_t *scripts = json_object_get(root, "scripts");
  static const char *const hooks[] = {"preinstall", "install", "postinstall"};
  for (size_t k = 0; json_is_object(scripts) && k < 3; k++) {
    const char *s = json_string_value(json_object_get(scripts, hooks[k]));
    if (s && strstr(s, "node-gyp"))
      push_unique(&c->s->node_native, "its own addon (node-gyp)");
  }
  json_decref(root);
}

/* PEP 503: lower case, runs of -_. as one -. */
static void normalize_py(const char *s, size_t n, char *out, size_t cap)
{
  size_t k = 0;
  bool dash = false;
  for (size_t i = 0; i < n && k + 1 < cap; i++) {
    char ch = s[i];
    if (ch == '-' || ch == '_' || ch == '.') {
      dash = true;
      continue;
    }
    if (dash && k) {
      out[k++] = '-';
      if (k + 1 >= cap)
        break;
    }
    dash = false;
    out[k++] = (char)((ch >= 'A' && ch <= 'Z') ? ch - 'A' + 'a' : ch);
  }
  out[k] = '\0';
}

static void py_name(scan_ctx *c, const char *s, size_t n)
{
  char norm[128];
  normalize_py(s, n, norm, sizeof norm);
  if (in_list(py_native, norm))
    push_unique(&c->s->py_native, norm);
}

static void read_requirements(scan_ctx *c, const char *rel)
{
  size_t len;
  char *data = read_context_file(c, rel, &len);
  if (!data)
    return;
  set_str(&c->s->requirements, rel);
  for (char *line = data; line && *line;) {
    char *nl = strchr(line, '\n');
    if (nl)
      *nl = '\0';
    char *p = line + strspn(line, " \t");
    if (*p && *p != '#' && *p != '-') {
      size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyz"
                           "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");
      if (n)
        py_name(c, p, n);
    }
    line = nl ? nl + 1 : NULL;
  }
  free(data);
}

static void read_evidence(scan_ctx *c)
{
  if (!c->context_dir)
    return;
  /* The files COPY names first, then those at the top of the context. */
  note_evidence_path(c, ".", true);
  for (size_t i = 0; i < c->pkg_paths.n && !c->s->package_json; i++)
    read_package_json(c, c->pkg_paths.items[i]);
  for (size_t i = 0; i < c->req_paths.n && !c->s->requirements; i++)
    read_requirements(c, c->req_paths.items[i]);
  for (size_t i = 0; i < c->npm_names.n; i++)
    if (in_list(node_native, c->npm_names.items[i]))
      push_unique(&c->s->node_native, c->npm_names.items[i]);
  for (size_t i = 0; i < c->pip_names.n; i++)
    py_name(c, c->pip_names.items[i], strlen(c->pip_names.items[i]));
}

/* ---- the pass ----------------------------------------------------------- */

static void mark(const dfl_model *m, bool *reach, int i)
{
  if (i < 0 || (size_t)i >= m->nstages || reach[i])
    return;
  reach[i] = true;
  for (size_t d = 0; d < m->stages[i].ndeps; d++)
    mark(m, reach, m->stages[i].deps[d]);
}

void adv_scan_run(adv_scan *s, const dfl_dockerfile *df, const dfl_model *m,
                  const dfl_stage *final, const char *path,
                  const dfl_advise_options *o)
{
  memset(s, 0, sizeof *s);
  s->payload_complete = true;
  scan_ctx c;
  memset(&c, 0, sizeof c);
  c.s = s;
  c.m = m;
  c.final = final;
  c.o = o;
  c.cat = o->facts->catalog;
  c.dockerfile = path;
  c.escape = (unsigned char)df->escape;
  size_t n = m->nstages ? m->nstages : 1;
  c.reach = dfl_xcalloc(n, sizeof *c.reach);
  c.chain = dfl_xcalloc(n, sizeof *c.chain);
  c.info = dfl_xcalloc(n, sizeof *c.info);
  mark(m, c.reach, (int)final->index);
  for (const dfl_stage *st = final; st;
       st = st->base_stage >= 0 ? &m->stages[st->base_stage] : NULL) {
    if (c.chain[st->index])
      break;
    c.chain[st->index] = true;
  }

  if (o->context_dir)
    c.context_dir = dfl_xstrndup(o->context_dir, strlen(o->context_dir));
  else if (path && strcmp(path, "-") != 0)
    c.context_dir = dfl_path_dir(path);
  if (c.context_dir) {
    struct stat st;
    if (stat(c.context_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
      dfl_strlist_pushf(&s->notes, "the build context %s is not a directory: "
                        "nothing was measured", c.context_dir);
      free(c.context_dir);
      c.context_dir = NULL;
    } else {
      char *err = NULL;
      c.ignore = dfl_ignore_load(c.context_dir, path, &err);
      if (err) {
        c.ignore_broken = true;
        dfl_strlist_pushf(&s->notes, "the .dockerignore cannot be used (%s): "
                          "the build would fail, nothing was measured", err);
        free(err);
      }
    }
  }

  dfl_dispatch d;
  dfl_dispatch_init(&d, m, o->build_args);
  size_t next_stage = 0;
  for (size_t i = 0; i < df->ninstrs; i++) {
    const dfl_instr *in = df->instrs[i];
    if (next_stage < m->nstages && m->stages[next_stage].from == in)
      dfl_dispatch_begin_stage(&d, &m->stages[next_stage++]);
    const dfl_stage *st = dfl_model_stage_of(m, in);
    const dfl_stage_state *state = dfl_dispatch_state(&d);
    if (st && state && c.reach[st->index] && !in->error) {
      const dfl_env *env = &state->env;
      switch (in->kind) {
      case DFL_INSTR_COPY:
      case DFL_INSTR_ADD:
        copy_in(&c, in, env);
        break;
      case DFL_INSTR_RUN:
        run_in(&c, st, in, env);
        break;
      case DFL_INSTR_ENV:
        env_in(&c, st, in);
        break;
      default:
        break;
      }
      if (c.chain[st->index])
        final_instr(&c, in);
    }
    dfl_dispatch_apply(&d, in);
  }
  dfl_dispatch_free(&d);

  if (c.nunknown > s->payload_unknown.n)
    dfl_strlist_pushf(&s->payload_unknown, "and %zu more",
                      c.nunknown - s->payload_unknown.n);
  read_evidence(&c);

  dfl_strlist_free(&c.pkg_paths);
  dfl_strlist_free(&c.req_paths);
  dfl_strlist_free(&c.npm_names);
  dfl_strlist_free(&c.pip_names);
  dfl_ignore_free(c.ignore);
  free(c.context_dir);
  free(c.reach);
  free(c.chain);
  free(c.info);
}

void adv_scan_free(adv_scan *s)
{
  dfl_strlist_free(&s->shell_needs);
  free(s->pkg_cmd);
  dfl_strlist_free(&s->payload_unknown);
  free(s->go_why);
  free(s->go_builder);
  free(s->package_json);
  dfl_strlist_free(&s->node_native);
  free(s->requirements);
  dfl_strlist_free(&s->py_native);
  free(s->cc_pkg);
  dfl_strlist_free(&s->notes);
  memset(s, 0, sizeof *s);
}
