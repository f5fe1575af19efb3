/* The advisor's decisions (advise.h): the current base, the alternatives
 * and their caveats, and the verdict. What it reads from the Dockerfile and
 * the context is advise_scan.c's; where sizes come from is facts.c's.
 *
 * Alternatives come from the catalog's ladder, as DF101 finds them (the
 * lighter variants of the same runtime, never a toolchain), plus:
 *   - for a runtime past its end of life, the lighter variants of the
 *     oldest supported release (node:16 -> node:22-slim, -alpine,
 *     distroless nodejs22);
 *   - a distroless image of the same runtime in another version when the
 *     catalog has none of the same version (python3-debian12 for 3.12),
 *     marked as a change;
 *   - for a Go binary, the static bases (scratch, distroless static,
 *     Chainguard static), and the glibc ones when it may need libc.
 * Each gets a fit (drop-in, changes, risky) from the evidence, and the
 * verdict takes the smallest drop-in that is still supported. */
#include "advisor/advise.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/advise_scan.h"
#include "dflint/arena.h"
#include "dflint/buf.h"
#include "dflint/context.h"
#include "dflint/model.h"

#include "dflint/dfa_common.h"

#define MAX_ALTS 12
/* A saving below both of these is not worth a change of base. */
#define NEGLIGIBLE_BYTES ((int64_t)2000000)
#define NEGLIGIBLE_PERCENT 5
/* An end of life this close is worth a caveat. */
#define EOL_SOON_DAYS 365

/* ---- string lists ------------------------------------------------------- */

void dfl_strlist_push(dfl_strlist *l, const char *s)
{
  l->items = dfl_xrealloc(l->items, (l->n + 1) * sizeof *l->items);
  l->items[l->n++] = dfl_xstrndup(s, strlen(s));
}

void dfl_strlist_pushf(dfl_strlist *l, const char *fmt, ...)
{
  dfl_buf b;
  dfl_buf_init(&b);
  va_list ap;
  va_start(ap, fmt);
  dfl_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  dfl_strlist_push(l, dfl_buf_cstr(&b));
  dfl_buf_free(&b);
}

void dfl_strlist_free(dfl_strlist *l)
{
  for (size_t i = 0; i < l->n; i++)
    free(l->items[i]);
  free(l->items);
  l->items = NULL;
  l->n = 0;
}

const char *dfl_advice_fit_name(dfl_advice_fit f)
{
  switch (f) {
  case DFL_FIT_DROP_IN:
    return "drop-in";
  case DFL_FIT_CHANGES:
    return "changes";
  case DFL_FIT_RISKY:
    return "risky";
  }
  return "risky";
}

void dfl_advise_format_size(int64_t bytes, bool approx, char *buf, size_t n)
{
  if (bytes < 0) {
    snprintf(buf, n, "unknown");
    return;
  }
  if (n < 2)
    return;
  size_t k = 0;
  if (approx)
    buf[k++] = '~';
  dfl_context_format_size((uint64_t)bytes, buf + k, n - k);
}

/* ---- the state of one advice ------------------------------------------- */

typedef enum app_kind { APP_OTHER, APP_NODE, APP_PYTHON, APP_GO } app_kind;

typedef struct adv {
  const dfl_advise_options *o;
  const dfl_catalog *cat;
  dfl_advice *out;
  adv_scan scan;
  const dfl_catalog_entry *cur; /* the current base's row, or NULL */
  bool cur_eol;                 /* past its end of life */
  app_kind app;
  const dfl_catalog_entry *cands[MAX_ALTS * 2];
  size_t ncands;
  /* For a base past its end of life: the release to move to, or NULL. */
  const dfl_catalog_entry *repl;
  /* The catalog matched only the repository's "*" row (a tag or digest it
   * has no row for): the traits are the repository's, but its versionless
   * siblings (python:slim) would be another version, so no ladder. */
  bool cur_repo_only;
} adv;

static void fmt_size(const dfl_image_facts *f, char *buf, size_t n)
{
  dfl_advise_format_size(f->compressed_bytes, f->estimated, buf, n);
}

static void fmt_ymd(int32_t ymd, char *buf, size_t n)
{
  snprintf(buf, n, "%04d-%02d-%02d", (int)(ymd / 10000),
           (int)(ymd / 100 % 100), (int)(ymd % 100));
}

/* "node" of "node 20". */
static size_t runtime_name_len(const dfl_catalog_entry *e)
{
  return strcspn(e->runtime, " ");
}

static bool same_runtime_name(const dfl_catalog_entry *a,
                              const dfl_catalog_entry *b)
{
  size_t n = runtime_name_len(a);
  return n && n == runtime_name_len(b) && strncmp(a->runtime, b->runtime, n) == 0;
}

static bool same_runtime_key(const dfl_catalog_entry *a,
                             const dfl_catalog_entry *b)
{
  return a->runtime_key_len == b->runtime_key_len &&
         strncmp(a->runtime, b->runtime, a->runtime_key_len) == 0;
}

static bool runtime_is(const dfl_catalog_entry *e, const char *name)
{
  size_t n = runtime_name_len(e);
  return n == strlen(name) && strncmp(e->runtime, name, n) == 0;
}

/* The runtime's version as a number for distances ("3.12" -> 3012). */
static long runtime_version(const dfl_catalog_entry *e)
{
  const char *p = strchr(e->runtime, ' ');
  if (!p)
    return -1;
  long major = 0, minor = 0;
  int n = sscanf(p + 1, "%ld.%ld", &major, &minor);
  if (n < 1)
    return -1;
  return major * 1000 + (n == 2 ? minor : 0);
}

/* What an end-of-life date is the end of: "node 16", "debian 12", else the
 * image. */
static void eol_subject(const dfl_catalog_entry *e, const char *ref, char *buf,
                        size_t n)
{
  if (e->runtime_key_len && strchr(e->runtime, ' ') &&
      (size_t)(strchr(e->runtime, ' ') - e->runtime) < e->runtime_key_len)
    snprintf(buf, n, "%.*s", (int)e->runtime_key_len, e->runtime);
  else
    snprintf(buf, n, "%s", ref);
}

static bool eol_passed(const adv *a, const dfl_catalog_entry *e)
{
  return e && e->eol_ymd && e->eol_ymd <= a->o->today;
}

/* ---- candidates --------------------------------------------------------- */

static bool have_cand(const adv *a, const dfl_catalog_entry *c)
{
  for (size_t i = 0; i < a->ncands; i++)
    if (a->cands[i] == c)
      return true;
  return false;
}

static void add_cand(adv *a, const dfl_catalog_entry *c)
{
  if (!c || a->ncands >= MAX_ALTS || have_cand(a, c) || c == a->cur)
    return;
  if (dfa_is_toolchain(NULL, c))
    return;
  /* Another tag of the very same variant is no alternative. */
  if (a->cur && strcmp(c->repository, a->cur->repository) == 0 &&
      c->kind == a->cur->kind && same_runtime_key(c, a->cur))
    return;
  a->cands[a->ncands++] = c;
}

static void add_lighter(adv *a, const dfl_catalog_entry *e)
{
  const dfl_catalog_entry *l[8];
  size_t n = dfa_lighter(a->cat, e, l, 8);
  for (size_t i = 0; i < n; i++)
    add_cand(a, l[i]);
}

static bool presentable(const adv *a, const dfl_catalog_entry *c);

/* Debian and Ubuntu have no lighter row of their own runtime besides
 * -slim: Alpine is the lighter distribution to name (as DF101 does). */
static void add_distro_alpine(adv *a, const dfl_catalog_entry *e)
{
  if (!runtime_is(e, "debian") && !runtime_is(e, "ubuntu"))
    return;
  for (size_t i = 0; i < a->ncands; i++)
    if (a->cands[i]->kind == DFL_CAT_KIND_ALPINE)
      return;
  /* A release rather than the moving latest: the newest one with a known
   * size that is still supported. */
  const dfl_catalog_entry *best = NULL;
  for (size_t i = 0, n = dfl_catalog_count(a->cat); i < n; i++) {
    const dfl_catalog_entry *c = dfl_catalog_at(a->cat, i);
    if (strcmp(c->repository, "docker.io/library/alpine") != 0 ||
        !runtime_is(c, "alpine") || !strchr(c->runtime, ' ') ||
        c->size_amd64 < 0 || eol_passed(a, c) || !presentable(a, c))
      continue;
    if (!best || runtime_version(c) > runtime_version(best))
      best = c;
  }
  add_cand(a, best);
}

/* Whether c can be shown to someone on cur (NULL: an unknown image). */
static bool presentable(const adv *a, const dfl_catalog_entry *c)
{
  if (a->cur)
    return dfa_presentable(c, a->cur);
  return strcmp(c->tag, "latest") != 0 && strncmp(c->tag, "debug", 5) != 0 &&
         strncmp(c->tag, "nonroot", 7) != 0;
}

/* One row per family of the rows serving `runtime` ("static", "glibc"):
 * a pinned release (one with an end-of-life date) over a moving alias,
 * then a known size, then the smaller one. */
static void add_family_best(adv *a, const char *runtime)
{
  const dfl_catalog_entry *rows[64], *best[16];
  size_t n = dfl_catalog_by_runtime(a->cat, runtime, rows, 64), nb = 0;
  if (n > 64)
    n = 64;
  for (size_t i = 0; i < n; i++) {
    const dfl_catalog_entry *c = rows[i];
    /* debug variants (busybox added) are for troubleshooting only */
    if (!presentable(a, c) || c->shell)
      continue;
    size_t k = 0;
    while (k < nb && best[k]->family != c->family)
      k++;
    if (k == nb) {
      if (nb < 16)
        best[nb++] = c;
      continue;
    }
    const dfl_catalog_entry *b = best[k];
    int cb = (c->eol_ymd != 0) * 4 + (c->size_amd64 >= 0) * 2;
    int bb = (b->eol_ymd != 0) * 4 + (b->size_amd64 >= 0) * 2;
    if (cb > bb || (cb == bb && c->size_amd64 >= 0 &&
                    c->size_amd64 < b->size_amd64))
      best[k] = c;
  }
  for (size_t i = 0; i < nb; i++)
    add_cand(a, best[i]);
}

/* A distroless image of the same runtime in another version, when the
 * catalog has none of the same version: the nearest supported one. */
static void add_distroless_other_version(adv *a)
{
  /* Past its end of life, the version to be near is the one to move to. */
  const dfl_catalog_entry *e = a->repl ? a->repl : a->cur;
  if (!e || e->kind <= DFL_CAT_KIND_DISTROLESS || !strchr(e->runtime, ' '))
    return;
  for (size_t i = 0; i < a->ncands; i++)
    if (a->cands[i]->kind == DFL_CAT_KIND_DISTROLESS &&
        same_runtime_name(a->cands[i], e))
      return;
  long ev = runtime_version(e);
  const dfl_catalog_entry *best = NULL;
  long best_d = 0;
  for (size_t i = 0, n = dfl_catalog_count(a->cat); i < n; i++) {
    const dfl_catalog_entry *c = dfl_catalog_at(a->cat, i);
    if (c->kind != DFL_CAT_KIND_DISTROLESS || !same_runtime_name(c, e) ||
        !presentable(a, c) || eol_passed(a, c))
      continue;
    long d = labs(runtime_version(c) - ev);
    if (!best || d < best_d) {
      best = c;
      best_d = d;
    }
  }
  add_cand(a, best);
}

static void gather(adv *a)
{
  const dfl_catalog_entry *e = a->cur;
  int go = a->scan.go;
  if (e && !a->cur_repo_only) {
    add_lighter(a, e);
    add_distro_alpine(a, e);
    if (a->cur_eol) {
      /* The oldest release still supported a year from now: moving off an
       * end-of-life runtime onto one with months left is no fix. */
      const dfl_catalog_entry *r = dfa_supported_replacement(
          a->cat, e, dfl_facts_date_add(a->o->today, EOL_SOON_DAYS));
      if (!r)
        r = dfa_supported_replacement(a->cat, e, a->o->today);
      if (r && r != e) {
        a->repl = r;
        if (r->kind <= e->kind && r->kind != DFL_CAT_KIND_FULL &&
            r->kind != DFL_CAT_KIND_SDK)
          add_cand(a, r);
        add_lighter(a, r);
      }
    }
    if (a->app != APP_GO)
      add_distroless_other_version(a);
  }
  if (go != ADV_GO_NONE) {
    add_family_best(a, "static");
    if (go != ADV_GO_STATIC)
      add_family_best(a, "glibc");
  }
}

/* ---- fit and caveats ---------------------------------------------------- */

typedef struct judge {
  dfl_advice_alt *alt;
  const dfl_catalog_entry *c;
  bool size_said; /* a caveat already says the size is an estimate */
} judge;

/* Raises the fit to f. The changes of the level reached are joined: scratch
 * for a cgo binary behind a RUN needs both CGO_ENABLED=0 and a build
 * stage. */
static void raise_fit(judge *j, dfl_advice_fit f, const char *change)
{
  if (f < j->alt->fit)
    return;
  if (f == j->alt->fit && j->alt->change && change) {
    dfl_buf b;
    dfl_buf_init(&b);
    dfl_buf_printf(&b, "%s and %s", j->alt->change, change);
    free(j->alt->change);
    j->alt->change = dfl_buf_take(&b);
    return;
  }
  j->alt->fit = f;
  free(j->alt->change);
  j->alt->change = change ? dfl_xstrndup(change, strlen(change)) : NULL;
}

static void caveat(judge *j, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void caveat(judge *j, const char *fmt, ...)
{
  dfl_buf b;
  dfl_buf_init(&b);
  va_list ap;
  va_start(ap, fmt);
  dfl_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  dfl_strlist_push(&j->alt->caveats, dfl_buf_cstr(&b));
  dfl_buf_free(&b);
}

/* "bcrypt", "bcrypt and sharp", "bcrypt, sharp and canvas" */
static void join_list(const dfl_strlist *l, size_t max, dfl_buf *b)
{
  size_t n = l->n < max ? l->n : max;
  for (size_t i = 0; i < n; i++) {
    if (i)
      dfl_buf_puts(b, i + 1 == n && l->n <= max ? " and " : ", ");
    dfl_buf_puts(b, l->items[i]);
  }
  if (l->n > max)
    dfl_buf_printf(b, " and %zu more", l->n - max);
}

/* Native packages that need musl builds make an alpine alternative risky. */
static void needs_musl_builds(judge *j, const dfl_strlist *natives)
{
  dfl_buf b;
  dfl_buf_init(&b);
  dfl_buf_puts(&b, "musl builds of ");
  join_list(natives, 2, &b);
  raise_fit(j, DFL_FIT_RISKY, dfl_buf_cstr(&b));
  dfl_buf_free(&b);
}

static void judge_runtime(adv *a, judge *j)
{
  const dfl_catalog_entry *e = a->cur, *c = j->c;
  if (!e || !same_runtime_name(c, e) || same_runtime_key(c, e) ||
      !strchr(c->runtime, ' ') || !strchr(e->runtime, ' '))
    return;
  long cv = runtime_version(c), ev = runtime_version(e);
  if (a->cur_eol && cv > ev) {
    char d[16];
    fmt_ymd(e->eol_ymd, d, sizeof d);
    caveat(j, "moves from %.*s (past its end of life since %s) to %.*s: test "
           "the app on the new version",
           (int)e->runtime_key_len, e->runtime, d, (int)c->runtime_key_len,
           c->runtime);
    return;
  }
  char change[96];
  snprintf(change, sizeof change, "running %.*s instead of %.*s",
           (int)c->runtime_key_len, c->runtime, (int)e->runtime_key_len,
           e->runtime);
  if (c->family == DFL_CAT_FAMILY_DISTROLESS)
    caveat(j, "runs the distribution's %.*s, not %.*s: the version is not "
           "yours to choose, and the app must work on it",
           (int)c->runtime_key_len, c->runtime, (int)e->runtime_key_len,
           e->runtime);
  else
    caveat(j, "runs %.*s, not %.*s: test the app on that version",
           (int)c->runtime_key_len, c->runtime, (int)e->runtime_key_len,
           e->runtime);
  raise_fit(j, DFL_FIT_CHANGES, change);
}

static void judge_libc(adv *a, judge *j)
{
  const adv_scan *s = &a->scan;
  const dfl_catalog_entry *c = j->c;
  int cur = a->cur ? a->cur->libc : (a->out->base_scratch ? DFL_CAT_LIBC_NONE
                                                           : -1);
  if (c->libc == DFL_CAT_LIBC_NONE) {
    if (s->go == ADV_GO_STATIC) {
      caveat(j, "no libc: fine for the static Go binary (line %u)",
             (unsigned)s->go_line);
    } else if (s->go == ADV_GO_DYNAMIC) {
      caveat(j, "no libc: the Go binary built at line %u links libc "
             "dynamically, so it cannot start here (exec reports 'no such "
             "file or directory'); build it with CGO_ENABLED=0 first",
             (unsigned)s->go_line);
      char change[80];
      snprintf(change, sizeof change, "building with CGO_ENABLED=0 (line %u)",
               (unsigned)s->go_line);
      raise_fit(j, DFL_FIT_CHANGES, change);
    } else {
      if (s->go == ADV_GO_UNKNOWN)
        caveat(j, "no libc: only static binaries run here, and whether the "
               "Go binary built at line %u is static is unknown",
               (unsigned)s->go_line);
      else
        caveat(j, "no libc: only static binaries run here");
      raise_fit(j, DFL_FIT_RISKY, "a static binary");
    }
    return;
  }
  if (c->libc == DFL_CAT_LIBC_MUSL && cur != DFL_CAT_LIBC_MUSL) {
    if (s->go == ADV_GO_STATIC)
      return; /* a static binary does not care */
    if (s->go == ADV_GO_DYNAMIC && s->go_libc == DFL_CAT_LIBC_GLIBC) {
      caveat(j, "musl instead of glibc: the Go binary built at line %u "
             "links glibc dynamically and will not start; build it on a "
             "golang:*-alpine image or with CGO_ENABLED=0",
             (unsigned)s->go_line);
      char change[96];
      snprintf(change, sizeof change, "building the binary with "
               "CGO_ENABLED=0 (line %u) or on alpine", (unsigned)s->go_line);
      raise_fit(j, DFL_FIT_CHANGES, change);
      return;
    }
    dfl_buf b;
    dfl_buf_init(&b);
    if (a->app == APP_NODE && s->node_native.n) {
      join_list(&s->node_native, 4, &b);
      caveat(j, "musl instead of glibc: %s (%s) %s native code built for "
             "glibc; npm must fetch musl builds or compile them (python3, "
             "make and g++ in the build), and they must be tested",
             dfl_buf_cstr(&b), s->package_json ? s->package_json : "the app",
             s->node_native.n > 1 ? "are" : "is");
      needs_musl_builds(j, &s->node_native);
    } else if (a->app == APP_PYTHON && s->py_native.n) {
      join_list(&s->py_native, 4, &b);
      caveat(j, "musl instead of glibc: %s (%s) %s compiled code; pip needs "
             "musllinux wheels, and without one builds from source (a "
             "compiler and headers in the image) or fails",
             dfl_buf_cstr(&b), s->requirements ? s->requirements : "the app",
             s->py_native.n > 1 ? "ship" : "ships");
      needs_musl_builds(j, &s->py_native);
    } else if (a->app == APP_NODE) {
      if (s->package_json)
        caveat(j, "musl instead of glibc: %s lists no known native module; "
               "binaries that packages download at install time must have "
               "musl builds too",
               s->package_json);
      else
        caveat(j, "musl instead of glibc: native modules need musl builds, "
               "and there is no package.json in the build context to check");
    } else if (a->app == APP_PYTHON) {
      if (s->requirements)
        caveat(j, "musl instead of glibc: %s lists no known package with "
               "compiled code; others need musllinux wheels or a source "
               "build",
               s->requirements);
      else
        caveat(j, "musl instead of glibc: packages with compiled code need "
               "musllinux wheels or a source build, and there is no "
               "requirements file in the build context to check");
    } else {
      caveat(j, "musl instead of glibc: programs built for glibc do not run, "
             "and DNS resolution and locales behave differently");
    }
    dfl_buf_free(&b);
    return;
  }
  if (c->libc == DFL_CAT_LIBC_GLIBC && cur == DFL_CAT_LIBC_MUSL &&
      s->go != ADV_GO_STATIC)
    caveat(j, "glibc instead of musl: anything built on or for alpine (apk "
           "packages, native modules) must be rebuilt");
}

static const char *pkg_verb(int pkg)
{
  switch (pkg) {
  case DFL_CAT_PKG_APK:
    return "apk add";
  case DFL_CAT_PKG_APT:
    return "apt-get install";
  case DFL_CAT_PKG_DNF:
    return "dnf install";
  case DFL_CAT_PKG_MICRODNF:
    return "microdnf install";
  default:
    return NULL;
  }
}

static void judge_shell(adv *a, judge *j)
{
  const adv_scan *s = &a->scan;
  const dfl_catalog_entry *c = j->c;
  int cur_shell = a->cur ? a->cur->shell : (a->out->base_scratch ? 0 : -1);
  if (j->alt->facts.shell == DFL_FACT_NO) {
    if (s->shell_needs.n) {
      dfl_buf b;
      dfl_buf_init(&b);
      join_list(&s->shell_needs, 3, &b);
      caveat(j, "no shell and no package manager: %s would fail; move the RUN "
             "steps to a build stage, copy their results in, and use the "
             "exec form for the rest",
             dfl_buf_cstr(&b));
      dfl_buf_reset(&b);
      bool other = s->shell_needs.n > s->nruns;
      const char *first_other = NULL;
      for (size_t i = 0; i < s->shell_needs.n && !first_other; i++)
        if (strncmp(s->shell_needs.items[i], "RUN ", 4) != 0)
          first_other = s->shell_needs.items[i];
      if (s->nruns && other && first_other)
        dfl_buf_printf(&b, "moving the RUN steps (line %u) to a build stage "
                       "and rewriting %s without a shell",
                       (unsigned)s->first_run_line, first_other);
      else if (s->nruns)
        dfl_buf_printf(&b, "moving the RUN steps (line %u) to a build stage",
                       (unsigned)s->first_run_line);
      else
        dfl_buf_printf(&b, "rewriting %s without a shell",
                       s->shell_needs.items[0]);
      raise_fit(j, DFL_FIT_CHANGES, dfl_buf_cstr(&b));
      dfl_buf_free(&b);
    } else if (cur_shell != 0) {
      caveat(j, "no shell: nothing in this stage needs one, but `docker exec "
             "... sh` will not work for debugging%s",
             c->family == DFL_CAT_FAMILY_DISTROLESS
                 ? " (a :debug tag adds busybox)"
                 : "");
    }
    return;
  }
  if (!s->pkg_cmd || !a->cur || c->pkg == a->cur->pkg)
    return;
  const char *verb = pkg_verb(c->pkg);
  char change[96];
  snprintf(change, sizeof change, "rewriting %s (line %u) for %s", s->pkg_cmd,
           (unsigned)s->pkg_line, verb ? verb : "an image without one");
  if (verb)
    caveat(j, "%s (line %u) must become %s, with that distribution's package "
           "names",
           s->pkg_cmd, (unsigned)s->pkg_line, verb);
  else
    caveat(j, "no package manager: %s (line %u) would fail", s->pkg_cmd,
           (unsigned)s->pkg_line);
  raise_fit(j, DFL_FIT_CHANGES, change);
}

static void judge_user(adv *a, judge *j)
{
  const dfl_catalog_entry *c = j->c;
  bool cur_nonroot = a->cur && a->cur->nonroot;
  if (a->scan.user_line)
    return; /* the stage's USER decides */
  if (c->nonroot && !cur_nonroot)
    caveat(j, "runs as a non-root user (65532) by default: whatever the app "
           "writes at run time must be writable by that user");
  else if (!c->nonroot && cur_nonroot)
    caveat(j, "runs as root by default, unlike the current base: add a USER "
           "to keep a non-root user");
}

static void judge_eol(adv *a, judge *j)
{
  const dfl_catalog_entry *c = j->c;
  if (!c->eol_ymd)
    return;
  char what[128], d[16];
  eol_subject(c, j->alt->ref, what, sizeof what);
  fmt_ymd(c->eol_ymd, d, sizeof d);
  if (c->eol_ymd <= a->o->today) {
    j->alt->eol_passed = true;
    caveat(j, "%s reached its end of life on %s: no more security fixes",
           what, d);
    return;
  }
  int32_t days = dfl_facts_days_between(a->o->today, c->eol_ymd);
  if (days <= EOL_SOON_DAYS)
    caveat(j, "%s reaches its end of life on %s, in %d days", what, d,
           (int)days);
}

static void judge_family(adv *a, judge *j)
{
  const dfl_catalog_entry *c = j->c;
  if (c->family == DFL_CAT_FAMILY_SCRATCH) {
    caveat(j, "empty: no CA certificates, time-zone data, /etc/passwd or "
           "/tmp; copy them in if the app makes TLS calls, uses time zones "
           "or runs as a named user");
  } else if (c->family == DFL_CAT_FAMILY_DISTROLESS &&
             c->kind == DFL_CAT_KIND_STATIC) {
    caveat(j, "has CA certificates, time-zone data and /etc/passwd (root and "
           "nonroot users), nothing else");
  } else if (c->family == DFL_CAT_FAMILY_DISTROLESS && runtime_is(c, "glibc")) {
    if (strstr(c->repository, "/cc"))
      caveat(j, "glibc, libssl, CA certificates, libgcc_s and libstdc++");
    else
      caveat(j, "glibc, libssl and CA certificates, but no libgcc_s or "
             "libstdc++: C++ code needs gcr.io/distroless/cc-debian12");
  } else if (c->family == DFL_CAT_FAMILY_CHAINGUARD) {
    caveat(j, "Chainguard's free images offer the latest tag only, rebuilt "
           "nightly: pin it by digest");
  }
  if (c->kind == DFL_CAT_KIND_SLIM && a->cur &&
      a->cur->kind >= DFL_CAT_KIND_FULL &&
      (a->app == APP_NODE || a->app == APP_PYTHON))
    caveat(j, "slim leaves out the compilers and headers of the full image: "
           "source builds of native %s need them installed",
           a->app == APP_NODE ? "modules (node-gyp)" : "packages (pip)");
}

/* The blog's lesson: a distroless language image is not automatically
 * smaller than the alpine one (gcr.io/distroless/nodejs20-debian12 is
 * 181 MB on disk against 135 MB for node:20-alpine3.19,
 * GoogleContainerTools/distroless#1482), and its compressed figure is an
 * estimate until a registry is asked. */
static void judge_distroless(adv *a, const dfl_advice_alt *alts, size_t n,
                             judge *j)
{
  const dfl_catalog_entry *c = j->c;
  if (c->kind != DFL_CAT_KIND_DISTROLESS || runtime_is(c, "glibc"))
    return;
  /* The alpine image of the same runtime version, else of the same
   * runtime. */
  const dfl_advice_alt *al = NULL;
  for (size_t i = 0; i < n; i++)
    if (alts[i].entry->kind == DFL_CAT_KIND_ALPINE &&
        same_runtime_name(alts[i].entry, c) &&
        (!al || (same_runtime_key(alts[i].entry, c) &&
                 !same_runtime_key(al->entry, c))))
      al = &alts[i];
  if (!al)
    return;
  const dfl_image_facts *df = &j->alt->facts, *af = &al->facts;
  char as[32];
  fmt_size(af, as, sizeof as);
  if (df->compressed_bytes >= 0 && af->compressed_bytes >= 0 &&
      df->compressed_bytes >= af->compressed_bytes) {
    caveat(j, "not smaller than %s (%s)", al->ref, as);
    return;
  }
  if (df->compressed_bytes >= 0 && !df->estimated)
    return;
  const char *why = df->compressed_bytes < 0 ? "its size is unknown"
                                             : "its size is only an estimate";
  j->size_said = true;
  if (runtime_is(c, "node"))
    caveat(j, "may not be smaller than %s (%s): %s, and distroless Node "
           "images can be the larger ones (on disk, "
           "gcr.io/distroless/nodejs20-debian12 is 181 MB against 135 MB for "
           "node:20-alpine, GoogleContainerTools/distroless#1482)",
           al->ref, as, why);
  else
    caveat(j, "may not be smaller than %s (%s): %s, and distroless language "
           "images can be larger than alpine ones",
           al->ref, as, why);
  (void)a;
}

static void judge_size(adv *a, judge *j)
{
  const dfl_image_facts *f = &j->alt->facts;
  if (f->compressed_bytes < 0)
    caveat(j, "size unknown: %s",
           f->origin == DFL_FACTS_CATALOG || f->origin == DFL_FACTS_NONE
               ? "the catalog has no figure for it"
               : "the source gave none");
  else if (f->estimated && !j->size_said)
    caveat(j, "the size is the catalog's estimate, not a measurement");
  (void)a;
}

static void assess(adv *a, dfl_advice_alt *alts, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    judge j = {&alts[i], alts[i].entry, false};
    judge_runtime(a, &j);
    judge_libc(a, &j);
    judge_shell(a, &j);
    judge_user(a, &j);
    judge_eol(a, &j);
    judge_family(a, &j);
    judge_distroless(a, alts, n, &j);
    judge_size(a, &j);
  }
}

/* ---- evidence, verdict -------------------------------------------------- */

static void evidence(adv *a)
{
  const adv_scan *s = &a->scan;
  dfl_strlist *ev = &a->out->evidence;
  dfl_buf b;
  dfl_buf_init(&b);
  switch (s->go) {
  case ADV_GO_STATIC:
    dfl_strlist_pushf(ev, "The Go binary is static: %s.", s->go_why);
    break;
  case ADV_GO_DYNAMIC:
    dfl_strlist_pushf(ev, "The Go binary links %s dynamically: %s.",
                      s->go_libc == DFL_CAT_LIBC_MUSL ? "musl" : "glibc",
                      s->go_why);
    break;
  case ADV_GO_UNKNOWN:
    dfl_strlist_pushf(ev, "Whether the Go binary is static is unknown: %s.",
                      s->go_why);
    break;
  default:
    break;
  }
  if (a->app == APP_NODE) {
    if (s->node_native.n) {
      join_list(&s->node_native, 4, &b);
      dfl_strlist_pushf(ev, "%s depends on %s, native code built for one "
                        "libc.",
                        s->package_json ? s->package_json : "The app",
                        dfl_buf_cstr(&b));
    } else if (s->package_json) {
      dfl_strlist_pushf(ev, "%s lists no known native module.",
                        s->package_json);
    } else {
      dfl_strlist_push(ev, "No package.json in the build context: native "
                           "modules were not checked.");
    }
  }
  if (a->app == APP_PYTHON) {
    if (s->py_native.n) {
      dfl_buf_reset(&b);
      join_list(&s->py_native, 4, &b);
      dfl_strlist_pushf(ev, "%s lists %s, with compiled code.",
                        s->requirements ? s->requirements : "The app",
                        dfl_buf_cstr(&b));
    } else if (s->requirements) {
      dfl_strlist_pushf(ev, "%s lists no known package with compiled code.",
                        s->requirements);
    } else {
      dfl_strlist_push(ev, "No requirements file in the build context: "
                           "compiled packages were not checked.");
    }
  }
  if ((a->app == APP_NODE || a->app == APP_PYTHON) && s->cc_line)
    dfl_strlist_pushf(ev, "A RUN installs %s (line %u), a sign of native "
                      "builds.",
                      s->cc_pkg, (unsigned)s->cc_line);
  dfl_buf_free(&b);
}

/* The sentence of the evidence that explains a choice on libc grounds. */
static const char *libc_reason(const adv *a)
{
  const dfl_strlist *ev = &a->out->evidence;
  return ev->n ? ev->items[0] : NULL;
}

static int64_t threshold(int64_t cur)
{
  int64_t pct = cur > 0 ? cur * NEGLIGIBLE_PERCENT / 100 : 0;
  return pct > NEGLIGIBLE_BYTES ? pct : NEGLIGIBLE_BYTES;
}

/* How long an alternative stays supported: 2 a year or more (or no end
 * announced), 1 less than that, 0 past its end. */
static int support_level(const adv *a, const dfl_advice_alt *x)
{
  if (x->eol_passed)
    return 0;
  const dfl_catalog_entry *e = x->entry;
  if (e->eol_ymd &&
      e->eol_ymd <= dfl_facts_date_add(a->o->today, EOL_SOON_DAYS))
    return 1;
  return 2;
}

/* The smallest alternative of a fit with a known size supported at least
 * at `level` (support_level). */
static const dfl_advice_alt *smallest_at(const adv *a, dfl_advice_fit fit,
                                         int level)
{
  const dfl_advice *o = a->out;
  const dfl_advice_alt *best = NULL;
  for (size_t i = 0; i < o->nalts; i++) {
    const dfl_advice_alt *x = &o->alts[i];
    if (x->fit != fit || x->facts.compressed_bytes < 0 ||
        support_level(a, x) < level)
      continue;
    if (!best || x->facts.compressed_bytes < best->facts.compressed_bytes)
      best = x;
  }
  return best;
}

static void put_ref_size(dfl_buf *b, const char *ref,
                         const dfl_image_facts *f)
{
  char s[32];
  fmt_size(f, s, sizeof s);
  dfl_buf_printf(b, "%s (%s)", ref, s);
}

static void verdict(adv *a)
{
  dfl_advice *o = a->out;
  dfl_buf b;
  dfl_buf_init(&b);
  const char *cur = o->base_ref ? o->base_ref : o->base_raw;
  int64_t cs = o->base.compressed_bytes;
  char cur_size[32];
  fmt_size(&o->base, cur_size, sizeof cur_size);

  if (o->base_scratch) {
    dfl_buf_puts(&b, "scratch is empty: no base can be smaller, and what "
                     "the image weighs is what the stage copies in.");
    o->verdict = dfl_buf_take(&b);
    return;
  }
  if (!o->base_ref) {
    dfl_buf_printf(&b, "The base image %s does not resolve (a build "
                       "argument has no value; pass it with --build-arg), "
                       "so there is nothing to compare it with.",
                   o->base_raw ? o->base_raw : "");
    o->verdict = dfl_buf_take(&b);
    return;
  }
  if (a->cur_repo_only && !o->nalts) {
    dfl_buf_printf(&b, "No advice for %s: the catalog knows the repository "
                       "but not this tag, so neither the version's lighter "
                       "variants nor their sizes are known%s.",
                   cur, o->base.origin == DFL_FACTS_REGISTRY ||
                                o->base.origin == DFL_FACTS_CACHE
                            ? ""
                            : " (a registry lookup gives the size)");
    o->verdict = dfl_buf_take(&b);
    return;
  }
  if (!a->cur && !o->nalts) {
    dfl_buf_printf(&b, "No advice for %s: the catalog does not know it%s, "
                       "so neither its size nor a lighter variant is "
                       "known.",
                   cur, o->base.origin == DFL_FACTS_NONE ? "" : " well");
    o->verdict = dfl_buf_take(&b);
    return;
  }

  /* Supported for a year at least, else not past its end, else any. */
  const dfl_advice_alt *best = NULL;
  for (int level = 2; level >= 0 && !best; level--)
    best = smallest_at(a, DFL_FIT_DROP_IN, level);
  int64_t th = threshold(cs);
  bool worth = best && (cs < 0 || cs - best->facts.compressed_bytes >= th);
  bool upgrade = !worth && a->cur_eol && best && !best->eol_passed;
  const dfl_advice_alt *chosen = worth || upgrade ? best : NULL;
  int64_t ref_size = chosen ? chosen->facts.compressed_bytes : cs;

  if (worth) {
    put_ref_size(&b, best->ref, &best->facts);
    dfl_buf_puts(&b, " is the smallest base that keeps this stage working as "
                     "it is written");
    if (cs >= 0) {
      char d[32];
      int64_t gain = cs - best->facts.compressed_bytes;
      dfl_advise_format_size(gain, best->facts.estimated || o->base.estimated,
                             d, sizeof d);
      dfl_buf_printf(&b, ", %s less than %s (%s, %d%% of it)", d, cur,
                     cur_size, (int)(gain * 100 / (cs ? cs : 1)));
    }
    dfl_buf_puts(&b, ".");
    if (best->entry->kind == DFL_CAT_KIND_DISTROLESS &&
        best->facts.estimated && !runtime_is(best->entry, "glibc"))
      dfl_buf_puts(&b, " Its size is an estimate, and distroless language "
                       "images are not reliably smaller than alpine ones: "
                       "check it with the registry before switching.");
  } else if (upgrade) {
    char d[16], what[64];
    fmt_ymd(a->cur->eol_ymd, d, sizeof d);
    eol_subject(a->cur, cur, what, sizeof what);
    dfl_buf_printf(&b, "%s is past its end of life (%s) and no lighter "
                       "supported image saves much: move to ",
                   what, d);
    put_ref_size(&b, best->ref, &best->facts);
    dfl_buf_puts(&b, ".");
  } else if (a->cur_eol) {
    char d[16], what[64];
    fmt_ymd(a->cur->eol_ymd, d, sizeof d);
    eol_subject(a->cur, cur, what, sizeof what);
    dfl_buf_printf(&b, "%s is past its end of life (%s), and no supported "
                       "image lighter than %s runs this stage as written",
                   what, d, cur);
    if (a->repl) {
      char r[256];
      df_entry_ref(a->repl, r, sizeof r);
      dfl_buf_printf(&b, ": move to a supported release such as %s", r);
    }
    dfl_buf_puts(&b, ".");
  } else if (a->cur && dfa_is_toolchain(NULL, a->cur) && a->scan.nruns) {
    dfl_buf_printf(&b, "%s is a toolchain image, and this stage builds on it "
                       "(RUN at line %u), so no lighter image runs it as "
                       "written: build in a stage of its own and ship only "
                       "the result.",
                   cur, (unsigned)a->scan.first_run_line);
  } else {
    dfl_buf_printf(&b, "%s is already the best choice for this stage", cur);
    if (best) {
      char d[32];
      int64_t gain = cs - best->facts.compressed_bytes;
      if (gain > 0) {
        dfl_advise_format_size(gain, true, d, sizeof d);
        dfl_buf_puts(&b, ": the smallest lighter one that works as well, ");
        put_ref_size(&b, best->ref, &best->facts);
        dfl_buf_printf(&b, ", would save only %s", d);
        if (best->caveats.n)
          dfl_buf_printf(&b, ", and it %s", best->entry->family ==
                                                    DFL_CAT_FAMILY_SCRATCH
                                                ? "has no CA certificates, "
                                                  "time-zone data or users"
                                                : "has caveats of its own");
      } else {
        dfl_buf_puts(&b, ": no lighter image keeps it working as written");
      }
    } else {
      dfl_buf_puts(&b, ": no lighter image keeps it working as written");
    }
    dfl_buf_puts(&b, ".");
  }

  /* Why, on libc grounds: the evidence, and what it means for the
   * choice. */
  const char *why = libc_reason(a);
  bool matters = chosen || a->scan.go != ADV_GO_NONE ||
                 a->scan.node_native.n || a->scan.py_native.n;
  if (why && matters) {
    const dfl_catalog_entry *ce = chosen ? chosen->entry : a->cur;
    bool needs_glibc = a->scan.go == ADV_GO_DYNAMIC || a->scan.node_native.n ||
                       a->scan.py_native.n;
    const char *tail = NULL;
    if (ce && ce->libc == DFL_CAT_LIBC_GLIBC && needs_glibc)
      tail = ", so the image stays on glibc.";
    else if (ce && ce->libc == DFL_CAT_LIBC_MUSL && a->cur &&
             a->cur->libc == DFL_CAT_LIBC_GLIBC && !needs_glibc &&
             a->scan.go != ADV_GO_STATIC)
      tail = ", so musl should do (test it).";
    size_t n = strlen(why);
    if (tail && n && why[n - 1] == '.')
      dfl_buf_printf(&b, " %.*s%s", (int)(n - 1), why, tail);
    else
      dfl_buf_printf(&b, " %s", why);
  }

  /* scratch has nothing: name the static image that has the basics. */
  if (worth && chosen->entry->family == DFL_CAT_FAMILY_SCRATCH) {
    const dfl_advice_alt *d = NULL;
    for (size_t i = 0; i < o->nalts && !d; i++)
      if (o->alts[i].fit == DFL_FIT_DROP_IN &&
          o->alts[i].entry->family == DFL_CAT_FAMILY_DISTROLESS &&
          o->alts[i].entry->kind == DFL_CAT_KIND_STATIC)
        d = &o->alts[i];
    if (d) {
      dfl_buf_puts(&b, " If the app needs CA certificates, time zones or a "
                       "non-root user, ");
      put_ref_size(&b, d->ref, &d->facts);
      dfl_buf_puts(&b, " has them.");
    }
  }

  /* Moving off a runtime past its end of life. */
  if (worth && a->cur_eol && same_runtime_name(chosen->entry, a->cur) &&
      !same_runtime_key(chosen->entry, a->cur)) {
    char d[16];
    fmt_ymd(a->cur->eol_ymd, d, sizeof d);
    dfl_buf_printf(&b, " It also moves from %.*s, past its end of life since "
                       "%s, to %.*s: test the app on it.",
                   (int)a->cur->runtime_key_len, a->cur->runtime, d,
                   (int)chosen->entry->runtime_key_len, chosen->entry->runtime);
  }

  /* What would be smaller still, at a price. */
  const dfl_advice_alt *ch = smallest_at(a, DFL_FIT_CHANGES, 1);
  if (ch && (ref_size < 0 ||
             ref_size - ch->facts.compressed_bytes >= threshold(ref_size))) {
    dfl_buf_puts(&b, " ");
    put_ref_size(&b, ch->ref, &ch->facts);
    dfl_buf_printf(&b, " would be %s after %s",
                   chosen ? "smaller still" : ref_size >= 0 ? "smaller" : "an option",
                   ch->change);
    if (ch->entry->kind == DFL_CAT_KIND_DISTROLESS && ch->facts.estimated &&
        !runtime_is(ch->entry, "glibc"))
      dfl_buf_puts(&b, ", if its estimated size holds: distroless language "
                       "images are not reliably smaller than alpine ones");
    dfl_buf_puts(&b, ".");
  }
  /* A binary that needs glibc: the glibc base that needs changes too, if
   * the smallest one does not keep glibc ("stay on glibc or disable
   * cgo"). */
  if (ch && ch->entry->libc != DFL_CAT_LIBC_GLIBC &&
      a->scan.go == ADV_GO_DYNAMIC) {
    const dfl_advice_alt *g = NULL;
    for (size_t i = 0; i < o->nalts; i++) {
      const dfl_advice_alt *x = &o->alts[i];
      if (x->fit == DFL_FIT_CHANGES && x->entry->libc == DFL_CAT_LIBC_GLIBC &&
          x->facts.compressed_bytes >= 0 && !x->eol_passed &&
          (!g || x->facts.compressed_bytes < g->facts.compressed_bytes))
        g = x;
    }
    if (g && (ref_size < 0 || ref_size - g->facts.compressed_bytes >=
                                  threshold(ref_size))) {
      dfl_buf_puts(&b, " Keeping glibc, ");
      put_ref_size(&b, g->ref, &g->facts);
      dfl_buf_printf(&b, " would do after %s.", g->change);
    }
  }
  const dfl_advice_alt *rk = smallest_at(a, DFL_FIT_RISKY, 1);
  if (rk && (ref_size < 0 ||
             ref_size - rk->facts.compressed_bytes >= threshold(ref_size))) {
    dfl_buf_puts(&b, " ");
    put_ref_size(&b, rk->ref, &rk->facts);
    dfl_buf_printf(&b, " is smaller but risky: it needs %s.", rk->change);
  }
  bool est = (chosen && chosen->facts.estimated) || o->base.estimated;
  if (est)
    dfl_buf_puts(&b, " Sizes marked ~ are estimates.");
  if (chosen)
    o->choice = dfl_xstrndup(chosen->ref, strlen(chosen->ref));
  o->verdict = dfl_buf_take(&b);
}

static void slimming(adv *a)
{
  dfl_advice *o = a->out;
  if (o->base_scratch || (a->cur && a->cur->kind == DFL_CAT_KIND_STATIC))
    return;
  const char *lazy;
  switch (a->app) {
  case APP_NODE:
    lazy = "modules required on demand, native addons, locale data";
    break;
  case APP_PYTHON:
    lazy = "modules imported inside functions, plugins found through entry "
           "points, compiled extensions loaded on first use";
    break;
  case APP_GO:
    lazy = "files the binary opens only on some paths: templates, "
           "certificates, time-zone data";
    break;
  default:
    if (a->cur && runtime_is(a->cur, "java"))
      lazy = "classes loaded by reflection or ServiceLoader, resources read "
             "on rare paths";
    else
      lazy = "plugins, locale and time-zone data, files read only on rare "
             "paths";
    break;
  }
  dfl_buf b;
  dfl_buf_init(&b);
  dfl_buf_printf(&b, "slimtoolkit (docker-slim) can shrink the built image "
                     "further: `slim build` keeps only the files it sees "
                     "used while it probes the running container. What is "
                     "loaded lazily (%s) is dropped unless a probe exercises "
                     "it or --include-path keeps it, so test the slimmed "
                     "image before shipping it.",
                 lazy);
  o->slimming = dfl_buf_take(&b);
}

/* ---- the whole ---------------------------------------------------------- */

static int cmp_alt(const void *x, const void *y)
{
  const dfl_advice_alt *p = x, *q = y;
  int64_t a = p->facts.compressed_bytes, b = q->facts.compressed_bytes;
  if ((a < 0) != (b < 0))
    return a < 0 ? 1 : -1;
  if (a != b)
    return a > b ? -1 : 1;
  return strcmp(p->ref, q->ref);
}

static void base_notes(adv *a)
{
  dfl_advice *o = a->out;
  const dfl_catalog_entry *e = a->cur;
  if (!o->base_ref || o->base_scratch)
    return;
  if (!e) {
    if (o->base.origin == DFL_FACTS_NONE)
      dfl_strlist_pushf(&o->base_notes, "%s is not in the catalog%s%s%s",
                        o->base_ref, o->base.note ? " (" : "",
                        o->base.note ? o->base.note : "",
                        o->base.note ? ")" : "");
    else
      dfl_strlist_pushf(&o->base_notes, "%s is not in the catalog: its "
                        "variant, runtime and end of life are unknown",
                        o->base_ref);
    return;
  }
  if (!o->base.tag_known)
    dfl_strlist_push(&o->base_notes, "pinned by digest: the catalog matched "
                                     "the repository, not the tag, so the "
                                     "variant and version are unknown");
  else if (a->cur_repo_only)
    dfl_strlist_pushf(&o->base_notes, "the catalog knows the repository but "
                      "not this tag: its version, size and lighter variants "
                      "are unknown");
  if (e->eol_ymd) {
    char what[128], d[16];
    eol_subject(e, o->base_ref, what, sizeof what);
    fmt_ymd(e->eol_ymd, d, sizeof d);
    if (a->cur_eol)
      dfl_strlist_pushf(&o->base_notes, "%s reached its end of life on %s: "
                        "no more security fixes", what, d);
    else if (dfl_facts_days_between(a->o->today, e->eol_ymd) <= EOL_SOON_DAYS)
      dfl_strlist_pushf(&o->base_notes, "%s reaches its end of life on %s",
                        what, d);
  }
  if (dfa_is_toolchain(NULL, e))
    dfl_strlist_pushf(&o->base_notes, "%s is a toolchain image: its compiler "
                      "and build tools ship with the app", o->base_ref);
}

static app_kind app_of(const adv *a)
{
  if (a->scan.go != ADV_GO_NONE)
    return APP_GO;
  if (a->cur && runtime_is(a->cur, "node"))
    return APP_NODE;
  if (a->cur && runtime_is(a->cur, "python"))
    return APP_PYTHON;
  if (a->cur && runtime_is(a->cur, "go"))
    return APP_GO;
  return APP_OTHER;
}

int dfl_advise(const dfl_dockerfile *df, const char *path,
               const dfl_advise_options *o, dfl_advice *out, char **err)
{
  memset(out, 0, sizeof *out);
  out->base_image_bytes = -1;
  out->base.compressed_bytes = -1;
  out->file = dfl_xstrndup(path, strlen(path));
  *err = NULL;
  dfl_model_options mo = {o->build_args, o->target};
  dfl_model *m = dfl_model_build(df, &mo);
  if (m->nstages == 0 || m->target < 0 || (size_t)m->target >= m->nstages) {
    dfl_buf b;
    dfl_buf_init(&b);
    if (m->nstages == 0)
      dfl_buf_printf(&b, "%s: no FROM instruction, nothing to advise on",
                     path);
    else
      dfl_buf_printf(&b, "%s: target stage \"%s\" could not be found", path,
                     o->target ? o->target : "");
    *err = dfl_buf_take(&b);
    dfl_model_free(m);
    return -1;
  }
  const dfl_stage *final = &m->stages[m->target];
  const dfl_stage *root = dfl_model_root_stage(m, final);
  if (!root)
    root = final;
  out->stage_name = final->name_raw
                        ? dfl_xstrndup(final->name_raw, strlen(final->name_raw))
                        : NULL;
  out->stage_index = final->index;
  out->line = final->from->range.start.line;
  if (root->base_raw)
    out->base_raw = dfl_xstrndup(root->base_raw, strlen(root->base_raw));
  out->base_scratch = root->base_scratch;
  if (root->base && !root->base_unresolved)
    out->base_ref = dfl_xstrndup(root->base, strlen(root->base));

  adv a;
  memset(&a, 0, sizeof a);
  a.o = o;
  a.cat = o->facts->catalog;
  a.out = out;
  adv_scan_run(&a.scan, df, m, final, path, o);
  out->context_bytes = a.scan.context_bytes;
  out->context_files = a.scan.context_files;
  out->payload_complete = a.scan.payload_complete;
  out->payload_unknown = a.scan.payload_unknown;
  a.scan.payload_unknown = (dfl_strlist){0};

  /* The catalog row decides the ladder; the sizes come from the facts. */
  dfl_catalog_match cm;
  if (out->base_ref &&
      dfl_catalog_lookup(a.cat, out->base_ref, &cm, NULL) == 1) {
    a.cur = cm.entry;
    a.cur_eol = eol_passed(&a, a.cur);
    bool latest = false;
    dfl_image_ref r;
    if (dfl_image_ref_parse(out->base_ref, strlen(out->base_ref), &r, NULL) ==
        0) {
      latest = !r.digest && (!r.tag || strcmp(r.tag, "latest") == 0);
      dfl_image_ref_free(&r);
    }
    /* A row without a version (node's "*slim*", python's "*") stands for
     * whatever version the tag is; its siblings are versionless too. */
    a.cur_repo_only = !latest && !strchr(a.cur->runtime, ' ') &&
                      !runtime_is(a.cur, "static") &&
                      !runtime_is(a.cur, "glibc") &&
                      (a.cur->runtime[0] || strcmp(a.cur->tag, "*") == 0);
  }
  a.app = app_of(&a);
  if (out->base_ref && !out->base_scratch)
    gather(&a);

  /* Every image of this advice, asked for at once. */
  const char *refs[MAX_ALTS * 2 + 1];
  char names[MAX_ALTS * 2][256];
  size_t nrefs = 0;
  if (out->base_ref)
    refs[nrefs++] = out->base_ref;
  for (size_t i = 0; i < a.ncands; i++) {
    df_entry_ref(a.cands[i], names[i], sizeof names[i]);
    refs[nrefs++] = names[i];
  }
  dfl_facts_prefetch(o->facts, refs, nrefs, o->platform);

  if (out->base_ref) {
    dfl_facts_lookup(o->facts, out->base_ref, o->platform, &out->base);
    if (out->base.compressed_bytes >= 0)
      out->base_image_bytes =
          out->base.compressed_bytes + (int64_t)out->context_bytes;
  }
  base_notes(&a);
  for (size_t i = 0; i < a.scan.notes.n; i++)
    dfl_strlist_push(&out->base_notes, a.scan.notes.items[i]);
  evidence(&a);

  out->alts = dfl_xcalloc(a.ncands ? a.ncands : 1, sizeof *out->alts);
  for (size_t i = 0; i < a.ncands; i++) {
    dfl_advice_alt *x = &out->alts[out->nalts++];
    const char *ref = names[i];
    x->ref = dfl_xstrndup(ref, strlen(ref));
    x->entry = a.cands[i];
    dfl_facts_lookup(o->facts, ref, o->platform, &x->facts);
    x->estimated_image_bytes =
        x->facts.compressed_bytes >= 0
            ? x->facts.compressed_bytes + (int64_t)out->context_bytes
            : -1;
  }
  if (out->nalts > 1)
    qsort(out->alts, out->nalts, sizeof *out->alts, cmp_alt);
  assess(&a, out->alts, out->nalts);
  verdict(&a);
  slimming(&a);

  adv_scan_free(&a.scan);
  dfl_model_free(m);
  return 0;
}

void dfl_advice_free(dfl_advice *a)
{
  if (!a)
    return;
  free(a->file);
  free(a->stage_name);
  free(a->base_ref);
  free(a->base_raw);
  dfl_image_facts_free(&a->base);
  dfl_strlist_free(&a->base_notes);
  dfl_strlist_free(&a->payload_unknown);
  dfl_strlist_free(&a->evidence);
  for (size_t i = 0; i < a->nalts; i++) {
    free(a->alts[i].ref);
    dfl_image_facts_free(&a->alts[i].facts);
    free(a->alts[i].change);
    dfl_strlist_free(&a->alts[i].caveats);
  }
  free(a->alts);
  free(a->slimming);
  free(a->verdict);
  free(a->choice);
  memset(a, 0, sizeof *a);
}
