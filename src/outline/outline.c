/* BuildKit's outline and targets subrequests (see dflint/outline.h).
 *
 * The outline is not a static property of the file: BuildKit gets it by
 * running its whole conversion (dockerfile2llb's toDispatchState) and
 * reading what the dispatch recorded. So this file replays that conversion
 * offline, in the same order, because both the result and the first error
 * depend on it:
 *   1. file checks: empty file, the check directive, the parser, then
 *      instructions.Parse (instruction errors, "no build stage");
 *   2. buildMetaArgs: global ARGs in order, each default expanded with the
 *      ones before it, recording which names each default used (its deps);
 *   3. buildDispatchStates: every FROM expanded with the global ARGs (the
 *      names it matched are "used"), the base stage looked up, and the stage
 *      given a copy of its base's capture (or of the global one);
 *   4. the target, the stage graph (COPY --from, RUN --mount from=; both
 *      may add image "states"), the cycle check;
 *   5. image references parsed, ONBUILD triggers of a base stage prepended
 *      to the stages built on it;
 *   6. the dispatch of every reachable stage: ENV and ARG keep an env, ARG
 *      records itself in the stage's capture, RUN --mount records secrets
 *      and SSH sockets, and the expansions can fail as BuildKit's do.
 * Finally outline.go's walk collects the target's capture, its base's and
 * its dependencies', first name wins, sorted by line.
 *
 * Base images are never pulled: their config env is taken to be PATH alone,
 * and their ONBUILD triggers are unknown. Dispatch errors that need the
 * image or the build context (and STOPSIGNAL/EXPOSE/WORKDIR value checks)
 * are not reproduced; neither is `# check=error=true` failing on lint
 * warnings. */
#include "dflint/outline.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buildkit/bk_dispatch.h"
#include "dflint/arena.h"
#include "dflint/instr_check.h"
#include "dflint/parse.h"
#include "dflint/platform.h"
#include "dflint/refs.h"
#include "lint/checkconfig.h"
#include "output/gojson.h"

static const char default_path[] =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/* ---- small string helpers ------------------------------------------------ */

static bool str_eq(const char *a, size_t alen, const char *b)
{
  return strlen(b) == alen && memcmp(a, b, alen) == 0;
}

static char *lower_dup(const char *s, size_t len)
{
  char *p = dfl_xstrndup(s, len);
  for (size_t i = 0; i < len; i++)
    if (p[i] >= 'A' && p[i] <= 'Z')
      p[i] = (char)(p[i] + 32);
  return p;
}

/* The value of a flag as BuildKit's BFlags holds it: the flag text after the
 * first '=' (quotes already removed by the parser). */
static const char *flag_value(const dfl_flag *f, size_t *len)
{
  const char *eq = memchr(f->text, '=', f->text_len);
  if (!eq) {
    *len = 0;
    return NULL;
  }
  *len = f->text_len - (size_t)(eq + 1 - f->text);
  return eq + 1;
}

static bool is_flag(const dfl_flag *f, const char *name)
{
  return str_eq(f->name, f->name_len, name);
}

/* The last --name flag of in (BFlags keeps one value for a string flag). */
static const dfl_flag *last_flag(const dfl_instr *in, const char *name)
{
  const dfl_flag *found = NULL;
  for (size_t i = 0; i < in->nflags; i++)
    if (is_flag(&in->flags[i], name))
      found = &in->flags[i];
  return found;
}

/* getComment in instructions/parse.go: the first PrevComment line that
 * starts with "<name> " gives the rest of that line. */
static void doc_comment(const dfl_instr *in, const char *name, size_t nlen,
                        const char **out, size_t *olen)
{
  *out = "";
  *olen = 0;
  if (!nlen)
    return;
  for (size_t i = 0; i < in->ncomments; i++) {
    const dfl_comment *c = &in->comments[i];
    if (c->len > nlen && memcmp(c->text, name, nlen) == 0 &&
        c->text[nlen] == ' ') {
      *out = c->text + nlen + 1;
      *olen = c->len - nlen - 1;
      return;
    }
  }
}

static dfl_outline_lines lines_of(const dfl_instr *in)
{
  dfl_outline_lines l = {in->range.start.line, in->range.end.line};
  if (l.last < l.first)
    l.last = l.first;
  return l;
}

/* strconv.Atoi: optional sign, decimal digits, within int64. */
static bool go_atoi(const char *s, size_t len, long long *out)
{
  size_t i = 0;
  bool neg = false;
  if (i < len && (s[i] == '+' || s[i] == '-'))
    neg = s[i++] == '-';
  if (i == len)
    return false;
  unsigned long long v = 0;
  for (; i < len; i++) {
    if (s[i] < '0' || s[i] > '9')
      return false;
    unsigned d = (unsigned)(s[i] - '0');
    if (v > (9223372036854775808ULL - d) / 10)
      return false;
    v = v * 10 + d;
  }
  if (!neg && v > 9223372036854775807ULL)
    return false;
  *out = neg ? (long long)(0 - v) : (long long)v;
  return true;
}

/* strconv.ParseBool. */
static bool go_parse_bool(const char *s, size_t len, bool *out)
{
  static const char *const yes[] = {"1", "t", "T", "TRUE", "true", "True"};
  static const char *const no[] = {"0", "f", "F", "FALSE", "false", "False"};
  for (size_t i = 0; i < 6; i++) {
    if (str_eq(s, len, yes[i])) {
      *out = true;
      return true;
    }
    if (str_eq(s, len, no[i])) {
      *out = false;
      return true;
    }
  }
  return false;
}

/* strconv.ParseUint(s, base, 32) succeeds (base 8 or 10, no prefix). */
static bool go_parse_uint32(const char *s, size_t len, unsigned base)
{
  if (!len)
    return false;
  unsigned long long v = 0;
  for (size_t i = 0; i < len; i++) {
    if (s[i] < '0' || s[i] >= (char)('0' + base))
      return false;
    v = v * base + (unsigned)(s[i] - '0');
    if (v > 0xffffffffULL)
      return false;
  }
  return true;
}

/* go-units RAMInBytes accepts the value:
 * ^(\d+(\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$ */
static bool ram_in_bytes_ok(const char *s, size_t len)
{
  size_t i = 0;
  for (;;) {
    size_t d = i;
    while (i < len && s[i] >= '0' && s[i] <= '9')
      i++;
    if (i == d)
      return false;
    if (i < len && s[i] == '.' && i + 1 < len && s[i + 1] >= '0' &&
        s[i + 1] <= '9') {
      i++;
      continue;
    }
    break;
  }
  if (i < len && s[i] == ' ')
    i++;
  if (i < len && strchr("kKmMgGtTpP", s[i]) && s[i])
    i++;
  if (i < len && (s[i] == 'i' || s[i] == 'I'))
    i++;
  if (i < len && (s[i] == 'b' || s[i] == 'B'))
    i++;
  return i == len;
}

/* Go's path.Base. */
static void path_base(const char *p, size_t len, const char **out,
                      size_t *olen)
{
  if (!len) {
    *out = ".";
    *olen = 1;
    return;
  }
  while (len > 0 && p[len - 1] == '/')
    len--;
  if (!len) {
    *out = "/";
    *olen = 1;
    return;
  }
  size_t i = len;
  while (i > 0 && p[i - 1] != '/')
    i--;
  *out = p + i;
  *olen = len - i;
}

/* suggest.WrapError: " (did you mean X?)" for the closest option within
 * Levenshtein distance 2, nothing when val is itself an option. BuildKit's
 * options often come from a Go map, so between equally close ones its pick
 * is random; this takes the first. */
static bool suggest(dfl_buf *msg, const char *val, size_t vlen,
                    const char *const *opts, size_t nopts)
{
  const char *match = NULL;
  int best = 3;
  for (size_t i = 0; i < nopts; i++) {
    if (str_eq(val, vlen, opts[i]))
      return false;
    int d = dfl_levenshtein(val, vlen, opts[i], strlen(opts[i]));
    if (d < best) {
      best = d;
      match = opts[i];
    }
  }
  if (!match)
    return false;
  dfl_buf_printf(msg, " (did you mean %s?)", match);
  return true;
}

/* ---- the capture (outline.go's outlineCapture) --------------------------- */

/* argInfo: one ARG key's record. Records are shared by the stages' maps. */
typedef struct arg_info {
  char *key;
  char *value;
  const char *comment;
  size_t comment_len;
  dfl_outline_lines loc;
  dfl_namelist deps;
} arg_info;

typedef struct arg_ref {
  const char *key; /* the record's key */
  size_t info;
} arg_ref;

typedef struct mount_rec {
  char *id;
  bool required;
  dfl_outline_lines loc;
} mount_rec;

typedef struct capture {
  arg_ref *all; /* allArgs: the last record set for each key */
  size_t nall;
  dfl_namelist used;
  mount_rec *secrets; /* first use of each id in this stage */
  size_t nsecrets;
  mount_rec *ssh;
  size_t nssh;
} capture;

static void capture_free(capture *c)
{
  free(c->all);
  dfl_namelist_free(&c->used);
  for (size_t i = 0; i < c->nsecrets; i++)
    free(c->secrets[i].id);
  free(c->secrets);
  for (size_t i = 0; i < c->nssh; i++)
    free(c->ssh[i].id);
  free(c->ssh);
  memset(c, 0, sizeof *c);
}

/* clone(): the args and the used names (captures are cloned before any
 * secret is recorded). */
static void capture_clone(capture *dst, const capture *src)
{
  memset(dst, 0, sizeof *dst);
  if (src->nall) {
    dst->all = dfl_xmalloc(src->nall * sizeof *dst->all);
    memcpy(dst->all, src->all, src->nall * sizeof *dst->all);
    dst->nall = src->nall;
  }
  for (size_t i = 0; i < src->used.n; i++)
    dfl_namelist_add(&dst->used, src->used.names[i],
                     strlen(src->used.names[i]));
}

static const arg_ref *capture_get(const capture *c, const char *key,
                                  size_t len)
{
  for (size_t i = 0; i < c->nall; i++)
    if (str_eq(key, len, c->all[i].key))
      return &c->all[i];
  return NULL;
}

static void capture_set(capture *c, const char *key, size_t info)
{
  for (size_t i = 0; i < c->nall; i++)
    if (strcmp(c->all[i].key, key) == 0) {
      c->all[i].key = key;
      c->all[i].info = info;
      return;
    }
  c->all = dfl_xrealloc(c->all, (c->nall + 1) * sizeof *c->all);
  c->all[c->nall].key = key;
  c->all[c->nall].info = info;
  c->nall++;
}

static void record_mount(mount_rec **list, size_t *n, const char *id,
                         size_t idlen, bool required, dfl_outline_lines loc)
{
  for (size_t i = 0; i < *n; i++)
    if (str_eq(id, idlen, (*list)[i].id))
      return;
  *list = dfl_xrealloc(*list, (*n + 1) * sizeof **list);
  (*list)[*n].id = dfl_xstrndup(id, idlen);
  (*list)[*n].required = required;
  (*list)[*n].loc = loc;
  (*n)++;
}

/* ---- conversion state ---------------------------------------------------- */

/* A command of a stage: its instruction, and where BuildKit says it is (an
 * ONBUILD trigger is located at the FROM of the stage that runs it). */
typedef struct command {
  const dfl_instr *in;
  const dfl_instr *loc;
} command;

typedef struct dep {
  size_t state;
  const dfl_instr *via; /* the command that needs it (the last one) */
} dep;

/* dispatchState: a stage, or an image/context a COPY --from or RUN --mount
 * names ("unregistered" in BuildKit). */
typedef struct state {
  bool unregistered;
  const dfl_instr *from; /* the FROM; NULL for an image state */
  const dfl_instr *loc;  /* where errors about it point, or NULL */
  char *base_name;       /* the expanded base, or the image named */
  char *name;            /* lowercased stage name, or NULL */
  char *stage_name;      /* for messages: name, "stage-N", or "" */
  int base;              /* the stage it is built on, or -1 */
  const dfl_instr **instrs; /* its own instructions */
  size_t ninstrs;
  command *cmds; /* what the dispatch runs (ONBUILD triggers first) */
  size_t ncmds;
  dep *deps;
  size_t ndeps;
  capture out;
  dfl_env env;
  bool reachable;
  bool onbuild_init;
  bool dispatched;
} state;

typedef struct conv {
  const dfl_dockerfile *df;
  const dfl_env *bargs;
  dfl_lex lx;
  dfl_env global; /* globalArgs */
  arg_info *infos;
  size_t ninfos;
  capture meta; /* buildMetaArgs' allArgs */
  state *states;
  size_t nstates;
  size_t nstages;
  dfl_outline_error *err;
} conv;

/* Records BuildKit's error; returns -1 for `return fail(...)`. */
static int fail_n(conv *c, const dfl_instr *at, const char *msg, size_t len)
{
  if (c->err->message)
    return -1;
  c->err->message = dfl_xstrndup(msg, len);
  c->err->len = len;
  c->err->has_pos = at != NULL;
  if (at)
    c->err->pos = at->range.start;
  return -1;
}

static int fail_s(conv *c, const dfl_instr *at, const char *msg)
{
  return fail_n(c, at, msg, strlen(msg));
}

static int fail_buf(conv *c, const dfl_instr *at, dfl_buf *b)
{
  int rc = fail_n(c, at, b->data ? b->data : "", b->len);
  dfl_buf_free(b);
  return rc;
}

static int fail_lex(conv *c, const dfl_instr *at, dfl_lex_result *r)
{
  int rc = fail_n(c, at, r->error, r->error_len);
  dfl_lex_result_free(r);
  return rc;
}

static const dfl_env_entry *build_arg(const conv *c, const char *key,
                                      size_t len)
{
  return c->bargs ? dfl_env_get(c->bargs, key, len) : NULL;
}

static size_t new_info(conv *c, const char *key, size_t klen,
                       const dfl_instr *in, const dfl_instr *loc)
{
  c->infos = dfl_xrealloc(c->infos, (c->ninfos + 1) * sizeof *c->infos);
  arg_info *a = &c->infos[c->ninfos];
  memset(a, 0, sizeof *a);
  a->key = dfl_xstrndup(key, klen);
  a->value = dfl_xstrndup("", 0);
  /* A trigger is parsed on its own: it has no comments. */
  if (in == loc)
    doc_comment(in, key, klen, &a->comment, &a->comment_len);
  else
    a->comment = "";
  a->loc = lines_of(loc);
  return c->ninfos++;
}

static void info_set_value(conv *c, size_t info, const char *v, size_t len)
{
  free(c->infos[info].value);
  c->infos[info].value = dfl_xstrndup(v, len);
}

static size_t add_state(conv *c)
{
  c->states = dfl_xrealloc(c->states, (c->nstates + 1) * sizeof *c->states);
  state *s = &c->states[c->nstates];
  memset(s, 0, sizeof *s);
  s->base = -1;
  dfl_env_init(&s->env);
  return c->nstates++;
}

static void add_dep(state *s, size_t src, const dfl_instr *via)
{
  for (size_t i = 0; i < s->ndeps; i++)
    if (s->deps[i].state == src) {
      s->deps[i].via = via; /* a map assignment: the last command wins */
      return;
    }
  s->deps = dfl_xrealloc(s->deps, (s->ndeps + 1) * sizeof *s->deps);
  s->deps[s->ndeps].state = src;
  s->deps[s->ndeps].via = via;
  s->ndeps++;
}

/* findStateByName: case-insensitive; a later stage of the same name wins. */
static int find_state(const conv *c, const char *name, size_t len)
{
  char *low = lower_dup(name, len);
  int found = -1;
  for (size_t i = 0; i < c->nstates; i++)
    if (c->states[i].name && strcmp(c->states[i].name, low) == 0)
      found = (int)i;
  free(low);
  return found;
}

static void conv_free(conv *c)
{
  dfl_env_free(&c->global);
  for (size_t i = 0; i < c->ninfos; i++) {
    free(c->infos[i].key);
    free(c->infos[i].value);
    dfl_namelist_free(&c->infos[i].deps);
  }
  free(c->infos);
  capture_free(&c->meta);
  for (size_t i = 0; i < c->nstates; i++) {
    state *s = &c->states[i];
    free(s->base_name);
    free(s->name);
    free(s->stage_name);
    free(s->instrs);
    free(s->cmds);
    free(s->deps);
    capture_free(&s->out);
    dfl_env_free(&s->env);
  }
  free(c->states);
}

/* ---- 1. what the parsers reject ------------------------------------------ */

/* parser.Parse, then instructions.Parse: the first error, as BuildKit words
 * it. */
static int check_parse(conv *c)
{
  const dfl_dockerfile *df = c->df;
  const dfl_parse_error *pe = dfl_dockerfile_fatal_error(df);
  if (pe) {
    fail_n(c, NULL, pe->message, strlen(pe->message));
    c->err->has_pos = true;
    c->err->pos = pe->range.start;
    return -1;
  }
  bool seen_from = false;
  for (size_t i = 0; i < df->ninstrs; i++) {
    const dfl_instr *in = df->instrs[i];
    size_t len = 0;
    char *msg = dfl_instr_check_n(in, &len);
    if (msg) {
      dfl_buf b;
      dfl_buf_init(&b);
      if (dfl_instr_error_is_prefixed(in))
        dfl_buf_printf(&b, "dockerfile parse error on line %u: ",
                       in->range.start.line);
      dfl_buf_append(&b, msg, len);
      free(msg);
      return fail_buf(c, in, &b);
    }
    if (in->kind == DFL_INSTR_FROM)
      seen_from = true;
    else if (!seen_from && in->kind != DFL_INSTR_ARG)
      return fail_s(c, in, "no build stage in current context");
  }
  return 0;
}

/* The check directive (or BUILDKIT_DOCKERFILE_CHECK) must parse: BuildKit
 * builds its linter before anything else. */
static int check_lint_config(conv *c)
{
  const dfl_env_entry *barg = build_arg(c, "BUILDKIT_DOCKERFILE_CHECK", 25);
  const char *val = NULL, *what = "failed to parse check options: ";
  size_t len = 0;
  if (barg) {
    val = barg->value;
    len = barg->value_len;
    what = "failed to parse build-arg:BUILDKIT_DOCKERFILE_CHECK: ";
  } else if (c->df->directives[DFL_DIRECTIVE_CHECK].present) {
    val = c->df->directives[DFL_DIRECTIVE_CHECK].value;
    len = c->df->directives[DFL_DIRECTIVE_CHECK].len;
  }
  if (!val)
    return 0;
  dfl_check_config cfg;
  memset(&cfg, 0, sizeof cfg);
  char *msg = NULL;
  int rc = dfl_check_config_parse(val, len, &cfg, &msg);
  dfl_check_config_free(&cfg);
  if (rc == 0)
    return 0;
  dfl_buf b;
  dfl_buf_init(&b);
  dfl_buf_puts(&b, what);
  dfl_buf_puts(&b, msg ? msg : "");
  free(msg);
  return fail_buf(c, NULL, &b);
}

/* ---- 2./3. global ARGs and the stages ------------------------------------ */

/* defaultArgs: the platform args and TARGETSTAGE, a build-arg overriding
 * each. */
static void default_args(conv *c, const char *target)
{
  dfl_env_init(&c->global);
  dfl_env_add_platform_args(&c->global);
  for (size_t i = 0; i < c->global.n; i++) {
    dfl_env_entry *e = &c->global.items[i];
    const dfl_env_entry *bv = build_arg(c, e->key, strlen(e->key));
    if (bv)
      dfl_env_set(&c->global, e->key, strlen(e->key), bv->value,
                  bv->value_len);
  }
  const char *ts = target && *target ? target : NULL;
  if (!ts && c->nstages)
    ts = c->states[c->nstages - 1].name;
  if (!ts || !*ts)
    ts = "default";
  const dfl_env_entry *bv = build_arg(c, "TARGETSTAGE", 11);
  if (bv)
    dfl_env_set(&c->global, "TARGETSTAGE", 11, bv->value, bv->value_len);
  else
    dfl_env_set(&c->global, "TARGETSTAGE", 11, ts, strlen(ts));
}

/* buildMetaArgs. A default's deps are the names it matched, except the key
 * itself, whose earlier definition's deps are inherited instead
 * (ARG FOO=${FOO}456). */
static int meta_args(conv *c)
{
  const dfl_dockerfile *df = c->df;
  for (size_t i = 0; i < df->ninstrs; i++) {
    const dfl_instr *in = df->instrs[i];
    if (in->kind == DFL_INSTR_FROM)
      break;
    if (in->kind != DFL_INSTR_ARG)
      continue;
    for (size_t a = 0; a < in->nargs; a++) {
      const char *w = in->args[a].value;
      size_t wl = in->args[a].len;
      const char *eq = memchr(w, '=', wl);
      size_t kl = eq ? (size_t)(eq - w) : wl;
      size_t info = new_info(c, w, kl, in, in);
      const dfl_env_entry *bv = build_arg(c, w, kl);
      bool has_value = false;
      if (bv) {
        info_set_value(c, info, bv->value, bv->value_len);
        has_value = true;
      } else if (eq) {
        dfl_lex_result r;
        if (dfl_lex_process(&c->lx, eq + 1, wl - kl - 1, &c->global, &r) != 0)
          return fail_lex(c, in, &r);
        info_set_value(c, info, r.result, r.result_len);
        has_value = true;
        arg_info *ai = &c->infos[info];
        for (size_t m = 0; m < r.matched.n; m++)
          if (!str_eq(w, kl, r.matched.names[m]))
            dfl_namelist_add(&ai->deps, r.matched.names[m],
                             strlen(r.matched.names[m]));
        if (dfl_namelist_has(&r.matched, w, kl)) {
          const arg_ref *old = capture_get(&c->meta, w, kl);
          if (old) {
            const dfl_namelist *od = &c->infos[old->info].deps;
            for (size_t m = 0; m < od->n; m++)
              dfl_namelist_add(&ai->deps, od->names[m], strlen(od->names[m]));
          }
        }
        dfl_lex_result_free(&r);
      }
      if (has_value) {
        const arg_info *ai = &c->infos[info];
        dfl_env_set(&c->global, w, kl, ai->value, strlen(ai->value));
      }
      capture_set(&c->meta, c->infos[info].key, info);
    }
  }
  return 0;
}

/* The stages, before anything is expanded: FROM, name, own instructions. */
static void collect_stages(conv *c)
{
  const dfl_dockerfile *df = c->df;
  size_t cap = 0;
  for (size_t i = 0; i < df->ninstrs; i++) {
    const dfl_instr *in = df->instrs[i];
    if (in->kind == DFL_INSTR_FROM) {
      size_t idx = add_state(c);
      state *s = &c->states[idx];
      s->from = s->loc = in;
      if (in->nargs == 3)
        s->name = lower_dup(in->args[2].value, in->args[2].len);
      dfl_buf b;
      dfl_buf_init(&b);
      if (s->name)
        dfl_buf_puts(&b, s->name);
      else
        dfl_buf_printf(&b, "stage-%zu", idx);
      s->stage_name = dfl_buf_take(&b);
      c->nstages++;
      cap = 0;
      continue;
    }
    if (!c->nstages)
      continue;
    state *s = &c->states[c->nstages - 1];
    if (s->ninstrs == cap) {
      cap = cap ? cap * 2 : 8;
      s->instrs = dfl_xrealloc(s->instrs, cap * sizeof *s->instrs);
    }
    s->instrs[s->ninstrs++] = in;
  }
}

/* wrapSuggestAny: the first unmatched name close to a global arg. */
static void suggest_any(conv *c, dfl_buf *msg, const dfl_namelist *unmatched)
{
  const char **keys = dfl_xmalloc((c->global.n + 1) * sizeof *keys);
  for (size_t i = 0; i < c->global.n; i++)
    keys[i] = c->global.items[i].key;
  for (size_t i = 0; i < unmatched->n; i++)
    if (suggest(msg, unmatched->names[i], strlen(unmatched->names[i]), keys,
                c->global.n))
      break;
  free(keys);
}

/* The --platform part of buildDispatchStates; adds its matches to used. */
static int stage_platform(conv *c, const dfl_instr *from, dfl_namelist *used)
{
  const dfl_flag *pf = last_flag(from, "platform");
  size_t vlen = 0;
  const char *v = pf ? flag_value(pf, &vlen) : NULL;
  if (!v || !vlen)
    return 0;
  dfl_lex_result r;
  dfl_buf b;
  dfl_buf_init(&b);
  if (dfl_lex_process(&c->lx, v, vlen, &c->global, &r) != 0) {
    dfl_buf_puts(&b, "failed to process arguments for platform ");
    dfl_buf_append(&b, r.result, r.result_len);
    dfl_buf_puts(&b, ": ");
    dfl_buf_append(&b, r.error, r.error_len);
    dfl_lex_result_free(&r);
    return fail_buf(c, from, &b);
  }
  if (r.result_len == 0) {
    dfl_buf_puts(&b, "empty platform value from expression ");
    dfl_buf_append(&b, v, vlen);
    suggest_any(c, &b, &r.unmatched);
    dfl_lex_result_free(&r);
    return fail_buf(c, from, &b);
  }
  dfl_platform p;
  char *perr = NULL;
  if (dfl_platform_parse(r.result, r.result_len, &p, &perr) != 0) {
    dfl_buf_puts(&b, "failed to parse platform ");
    dfl_buf_append(&b, v, vlen);
    dfl_buf_puts(&b, ": ");
    dfl_buf_puts(&b, perr ? perr : "");
    free(perr);
    suggest_any(c, &b, &r.unmatched);
    dfl_lex_result_free(&r);
    return fail_buf(c, from, &b);
  }
  dfl_platform_free(&p);
  for (size_t m = 0; m < r.matched.n; m++)
    dfl_namelist_add(used, r.matched.names[m], strlen(r.matched.names[m]));
  dfl_lex_result_free(&r);
  return 0;
}

/* buildDispatchStates. */
static int dispatch_states(conv *c)
{
  for (size_t i = 0; i < c->nstages; i++) {
    const dfl_instr *from = c->states[i].from;
    const char *raw = from->args[0].value;
    size_t rawlen = from->args[0].len;
    dfl_lex_result r;
    if (dfl_lex_process(&c->lx, raw, rawlen, &c->global, &r) != 0)
      return fail_lex(c, from, &r);
    if (r.result_len == 0) {
      dfl_lex_result_free(&r);
      dfl_buf b;
      dfl_buf_init(&b);
      dfl_buf_puts(&b, "base name (");
      dfl_buf_append(&b, raw, rawlen);
      dfl_buf_puts(&b, ") should not be blank");
      return fail_buf(c, from, &b);
    }
    dfl_namelist used = {0};
    for (size_t m = 0; m < r.matched.n; m++)
      dfl_namelist_add(&used, r.matched.names[m], strlen(r.matched.names[m]));
    char *base = dfl_xstrndup(r.result, r.result_len);
    dfl_lex_result_free(&r);
    if (stage_platform(c, from, &used) != 0) {
      free(base);
      dfl_namelist_free(&used);
      return -1;
    }
    /* addState: an earlier stage named exactly like the expanded base. */
    state *s = &c->states[i];
    s->base_name = base;
    for (size_t k = 0; k < i; k++)
      if (c->states[k].name && strcmp(c->states[k].name, base) == 0)
        s->base = (int)k;
    capture_clone(&s->out, s->base >= 0 ? &c->states[s->base].out : &c->meta);
    for (size_t m = 0; m < used.n; m++)
      dfl_namelist_add(&s->out.used, used.names[m], strlen(used.names[m]));
    dfl_namelist_free(&used);
  }
  return 0;
}

/* resolveTarget. */
static int resolve_target(conv *c, const char *target, size_t *out)
{
  if (!target || !*target) {
    *out = c->nstages - 1;
    return 0;
  }
  int t = find_state(c, target, strlen(target));
  if (t >= 0) {
    *out = (size_t)t;
    return 0;
  }
  dfl_buf b;
  dfl_buf_init(&b);
  dfl_buf_puts(&b, "target stage ");
  dfl_go_quote(&b, target, strlen(target));
  dfl_buf_puts(&b, " could not be found");
  const char **names = dfl_xmalloc(c->nstates * sizeof *names);
  for (size_t i = 0; i < c->nstates; i++)
    names[i] = c->states[i].stage_name;
  suggest(&b, target, strlen(target), names, c->nstates);
  free(names);
  return fail_buf(c, NULL, &b);
}

/* ---- 4. the stage graph (toCommand) --------------------------------------- */

static size_t image_state(conv *c, const char *name, size_t len,
                          const dfl_instr *loc)
{
  size_t idx = add_state(c);
  state *s = &c->states[idx];
  s->unregistered = true;
  s->loc = loc;
  s->base_name = dfl_xstrndup(name, len);
  s->stage_name = dfl_xstrndup("", 0);
  return idx;
}


static bool mount_flag(const dfl_flag *f, const char **v, size_t *vlen)
{
  if (!is_flag(f, "mount"))
    return false;
  *v = flag_value(f, vlen);
  return *v != NULL;
}

/* The stage or image state a parse-time from= names ("" means scratch, as
 * detectRunMount has it). */
static size_t mount_source(conv *c, const char *from, size_t len)
{
  if (!len) {
    from = "scratch";
    len = 7;
  }
  int st = find_state(c, from, len);
  return st >= 0 ? (size_t)st : image_state(c, from, len, NULL);
}

/* The raw from= of each mount of a RUN, in order (NULL/0 when absent). */
static size_t parse_time_froms(const dfl_instr *in, dfl_buf **froms)
{
  size_t n = 0;
  *froms = NULL;
  for (size_t i = 0; i < in->nflags; i++) {
    const char *v;
    size_t vlen;
    if (!mount_flag(&in->flags[i], &v, &vlen))
      continue;
    *froms = dfl_xrealloc(*froms, (n + 1) * sizeof **froms);
    dfl_buf *fb = &(*froms)[n++];
    dfl_buf_init(fb);
    dfl_csv fl;
    dfl_csv_fields(v, vlen, &fl, NULL);
    for (size_t k = 0; k < fl.n; k++) {
      const char *t = fl.items[k].data;
      size_t tl = fl.items[k].len;
      const char *eq = memchr(t, '=', tl);
      if (!eq)
        continue;
      char *key = lower_dup(t, (size_t)(eq - t));
      if (strcmp(key, "from") == 0) {
        dfl_buf_reset(fb);
        dfl_buf_append(fb, eq + 1, tl - (size_t)(eq + 1 - t));
      }
      free(key);
    }
    dfl_csv_free(&fl);
  }
  return n;
}

/* COPY --from: the state it names, or -1 after an error. */
static int copy_source(conv *c, const dfl_instr *in, const char *from,
                       size_t len, size_t *out)
{
  dfl_lex_result r;
  if (dfl_lex_process(&c->lx, from, len, NULL, &r) != 0)
    return fail_lex(c, in, &r);
  bool same = r.result_len == len && memcmp(r.result, from, len) == 0;
  dfl_lex_result_free(&r);
  if (!same)
    return fail_s(c, in,
                  "variable expansion is not supported for --from, define a "
                  "new stage with FROM using ARG from global scope as a "
                  "workaround");
  long long idx;
  if (go_atoi(from, len, &idx)) {
    if (idx < 0 || (unsigned long long)idx >= c->nstates) {
      dfl_buf b;
      dfl_buf_init(&b);
      dfl_buf_printf(&b, "invalid stage index %lld", idx);
      return fail_buf(c, in, &b);
    }
    *out = (size_t)idx;
    return 0;
  }
  int st = find_state(c, from, len);
  *out = st >= 0 ? (size_t)st : image_state(c, from, len, in);
  return 0;
}

/* toCommand for one instruction of stage si: the states it needs. */
static int link_command(conv *c, size_t si, const dfl_instr *in,
                        const dfl_instr *loc, bool *added)
{
  if (in->kind == DFL_INSTR_COPY) {
    const dfl_flag *f = last_flag(in, "from");
    size_t len = 0;
    const char *from = f ? flag_value(f, &len) : NULL;
    if (from && len) {
      size_t src = 0;
      if (copy_source(c, loc, from, len, &src) != 0)
        return -1;
      add_dep(&c->states[si], src, in);
      *added = true;
    }
  } else if (in->kind == DFL_INSTR_RUN) {
    dfl_buf *froms;
    size_t n = parse_time_froms(in, &froms);
    for (size_t m = 0; m < n; m++) {
      size_t src = mount_source(c, froms[m].data ? froms[m].data : "",
                                froms[m].len);
      add_dep(&c->states[si], src, in);
      *added = true;
      dfl_buf_free(&froms[m]);
    }
    free(froms);
  }
  return 0;
}

static int link_stages(conv *c)
{
  for (size_t si = 0; si < c->nstages; si++)
    for (size_t k = 0; k < c->states[si].ninstrs; k++) {
      bool added = false;
      const dfl_instr *in = c->states[si].instrs[k];
      if (link_command(c, si, in, in, &added) != 0)
        return -1;
    }
  return 0;
}

/* validateCircularDependency: depth-first from each state in order. */
static const dfl_instr *cycle_from(conv *c, size_t s, bool *visited,
                                   bool *on_path)
{
  if (visited[s])
    return NULL;
  visited[s] = on_path[s] = true;
  for (size_t d = 0; d < c->states[s].ndeps; d++) {
    const dep *dp = &c->states[s].deps[d];
    if (on_path[dp->state])
      return dp->via;
    if (cycle_from(c, dp->state, visited, on_path))
      return dp->via;
  }
  on_path[s] = false;
  return NULL;
}

static int check_cycles(conv *c)
{
  bool *visited = dfl_xcalloc(c->nstates, sizeof *visited);
  bool *on_path = dfl_xcalloc(c->nstates, sizeof *on_path);
  int rc = 0;
  for (size_t s = 0; s < c->nstates && rc == 0; s++) {
    const dfl_instr *via = cycle_from(c, s, visited, on_path);
    if (via) {
      dfl_buf b;
      dfl_buf_init(&b);
      dfl_buf_printf(&b, "circular dependency detected on stage: %s",
                     c->states[s].stage_name);
      rc = fail_buf(c, via, &b);
    }
  }
  free(visited);
  free(on_path);
  return rc;
}

/* ---- 5. reachability, image references, ONBUILD triggers ----------------- */

static void mark_reachable(conv *c, size_t s)
{
  if (c->states[s].reachable)
    return;
  c->states[s].reachable = true;
  if (c->states[s].base >= 0)
    mark_reachable(c, (size_t)c->states[s].base);
  for (size_t d = 0; d < c->states[s].ndeps; d++)
    mark_reachable(c, c->states[s].deps[d].state);
}

/* resolveBaseImage's reference.ParseNormalizedNamed, for every state built
 * from an image (reachable or not). */
static int check_image_refs(conv *c)
{
  for (size_t i = 0; i < c->nstates; i++) {
    const state *s = &c->states[i];
    if (s->base >= 0 || strcmp(s->base_name, "scratch") == 0)
      continue;
    dfl_image_ref ref;
    char *msg = NULL;
    if (dfl_image_ref_parse(s->base_name, strlen(s->base_name), &ref, &msg) ==
        0) {
      dfl_image_ref_free(&ref);
      continue;
    }
    dfl_buf b;
    dfl_buf_init(&b);
    dfl_buf_puts(&b, "failed to parse stage name ");
    dfl_go_quote(&b, s->base_name, strlen(s->base_name));
    dfl_buf_puts(&b, ": ");
    dfl_buf_puts(&b, msg ? msg : "");
    free(msg);
    return fail_buf(c, s->loc, &b);
  }
  return 0;
}

static void push_cmd(state *s, const dfl_instr *in, const dfl_instr *loc)
{
  s->cmds = dfl_xrealloc(s->cmds, (s->ncmds + 1) * sizeof *s->cmds);
  s->cmds[s->ncmds].in = in;
  s->cmds[s->ncmds].loc = loc;
  s->ncmds++;
}

/* initOnBuildTriggers: the ONBUILD instructions of a stage's base stage run
 * first, located at the stage's FROM. Sets *added when they need more
 * states. */
static int init_triggers(conv *c, size_t si, bool *added)
{
  state *s = &c->states[si];
  s->onbuild_init = true;
  size_t base = (size_t)s->base;
  const dfl_instr *loc = s->from;
  for (size_t k = 0; k < c->states[base].ninstrs; k++) {
    const dfl_instr *ob = c->states[base].instrs[k];
    if (ob->kind != DFL_INSTR_ONBUILD || !ob->sub)
      continue;
    const dfl_instr *sub = ob->sub;
    if (sub->error)
      return fail_n(c, loc, sub->error, strlen(sub->error));
    size_t len = 0;
    char *msg = dfl_instr_check_n(sub, &len);
    if (msg) {
      fail_n(c, loc, msg, len);
      free(msg);
      return -1;
    }
    if (link_command(c, si, sub, loc, added) != 0)
      return -1;
    push_cmd(&c->states[si], sub, loc);
  }
  return 0;
}

static int resolve_stages(conv *c, size_t target)
{
  for (;;) {
    for (size_t i = 0; i < c->nstates; i++)
      c->states[i].reachable = false;
    mark_reachable(c, target);
    if (check_image_refs(c) != 0)
      return -1;
    bool added = false;
    for (size_t i = 0; i < c->nstages; i++) {
      state *s = &c->states[i];
      if (!s->reachable || s->onbuild_init || s->base < 0)
        continue;
      if (init_triggers(c, i, &added) != 0)
        return -1;
    }
    if (!added)
      break;
  }
  /* The stage's own commands follow its triggers. */
  for (size_t i = 0; i < c->nstages; i++)
    for (size_t k = 0; k < c->states[i].ninstrs; k++)
      push_cmd(&c->states[i], c->states[i].instrs[k], c->states[i].instrs[k]);
  return 0;
}

/* ---- 6. the dispatch ---------------------------------------------------- */

static bool non_env_arg(const char *k, size_t n)
{
  return str_eq(k, n, "BUILDKIT_SBOM_SCAN_CONTEXT") ||
         str_eq(k, n, "BUILDKIT_SBOM_SCAN_STAGE");
}

/* dispatchArg. */
static int dispatch_arg(conv *c, state *s, const command *cmd)
{
  const dfl_instr *in = cmd->in;
  for (size_t a = 0; a < in->nargs; a++) {
    const char *w = in->args[a].value;
    size_t wl = in->args[a].len;
    const char *eq = memchr(w, '=', wl);
    size_t kl = eq ? (size_t)(eq - w) : wl;
    const dfl_env_entry *bv = build_arg(c, w, kl);
    const char *val = NULL;
    size_t vlen = 0;
    bool from_global = false;
    dfl_lex_result r;
    bool expanded = false;
    if (!eq && !bv) {
      const dfl_env_entry *g = dfl_env_get(&c->global, w, kl);
      if (g) {
        val = g->value;
        vlen = g->value_len;
        from_global = true; /* the global ARG's record stays */
      }
    }
    if (bv) {
      val = bv->value;
      vlen = bv->value_len;
    } else if (eq) {
      if (dfl_lex_process(&c->lx, eq + 1, wl - kl - 1, &s->env, &r) != 0)
        return fail_lex(c, cmd->loc, &r);
      expanded = true;
      val = r.result;
      vlen = r.result_len;
    }
    if (val && !non_env_arg(w, kl))
      dfl_env_set(&s->env, w, kl, val, vlen);
    if (!from_global) {
      size_t info = new_info(c, w, kl, in, cmd->loc);
      if (val)
        info_set_value(c, info, val, vlen);
      capture_set(&s->out, c->infos[info].key, info);
    }
    dfl_namelist_add(&s->out.used, w, kl);
    if (expanded)
      dfl_lex_result_free(&r);
  }
  return 0;
}

/* Command.Expand for the instructions that have it (not RUN: its mounts
 * are parsed below). ENV's pairs are set afterwards, all expanded with the
 * env from before the instruction. */
static int expand_words(conv *c, state *s, const command *cmd)
{
  bkd_words words = {0};
  bkd_expand_words(cmd->in, &words);
  char **vals = dfl_xcalloc(words.n + 1, sizeof *vals);
  size_t *lens = dfl_xcalloc(words.n + 1, sizeof *lens);
  int rc = 0;
  for (size_t i = 0; i < words.n && rc == 0; i++) {
    dfl_lex_result r;
    if (dfl_lex_process(&c->lx, words.items[i].text, words.items[i].len,
                        &s->env, &r) != 0) {
      rc = fail_lex(c, cmd->loc, &r);
      break;
    }
    vals[i] = dfl_xstrndup(r.result, r.result_len);
    lens[i] = r.result_len;
    dfl_lex_result_free(&r);
  }
  if (rc == 0 && cmd->in->kind == DFL_INSTR_ENV)
    for (size_t i = 0; i + 1 < words.n; i += 2)
      dfl_env_set(&s->env, vals[i], lens[i], vals[i + 1], lens[i + 1]);
  for (size_t i = 0; i < words.n; i++)
    free(vals[i]);
  free(vals);
  free(lens);
  bkd_words_free(&words);
  return rc;
}

/* A parsed --mount (instructions.Mount, the fields the outline needs). */
typedef struct mount {
  char type[8]; /* bind, cache, tmpfs, secret, ssh */
  char *from, *source, *target, *id;
  bool has_sharing, required;
  bool has_mode, has_uid, has_gid;
} mount;

static void mount_free(mount *m)
{
  free(m->from);
  free(m->source);
  free(m->target);
  free(m->id);
}

static void set_str(char **dst, const char *v, size_t len)
{
  free(*dst);
  *dst = dfl_xstrndup(v, len);
}

static int mount_error(conv *c, const command *cmd, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int mount_error(conv *c, const command *cmd, const char *fmt, ...)
{
  dfl_buf m;
  dfl_buf_init(&m);
  va_list ap;
  va_start(ap, fmt);
  dfl_buf_vprintf(&m, fmt, ap);
  va_end(ap);
  return fail_buf(c, cmd->loc, &m);
}

/* parseMount with the expander (commands_runmount.go). */
static int parse_mount(conv *c, state *s, const command *cmd, const char *val,
                       size_t vlen, mount *m)
{
  static const char *const types[] = {"bind", "cache", "tmpfs", "secret",
                                      "ssh"};
  static const char *const shares[] = {"shared", "private", "locked"};
  static const char *const keys[] = {
    "type", "from", "source", "target", "readonly", "id", "sharing",
    "required", "size", "mode", "uid", "gid", "src", "dst", "destination",
    "ro", "rw", "readwrite", "env"};
  memset(m, 0, sizeof *m);
  strcpy(m->type, "bind");
  dfl_csv fl;
  dfl_csv_fields(val, vlen, &fl, NULL);
  int rc = 0;
  for (size_t i = 0; i < fl.n && rc == 0; i++) {
    const char *f = fl.items[i].data;
    size_t flen = fl.items[i].len;
    const char *eq = memchr(f, '=', flen);
    char *key = lower_dup(f, eq ? (size_t)(eq - f) : flen);
    bool secretish = !strcmp(m->type, "secret") || !strcmp(m->type, "ssh");
    if (!eq) {
      if (!strcmp(key, "readonly") || !strcmp(key, "ro") ||
          !strcmp(key, "readwrite") || !strcmp(key, "rw")) {
      } else if (!strcmp(key, "required") && secretish) {
        m->required = true;
      } else if (!strcmp(key, "required")) {
        rc = mount_error(c, cmd, "unexpected key '%s' for mount type '%s'",
                         key, m->type);
      } else {
        rc = mount_error(c, cmd, "invalid field '%s' must be a key=value pair",
                         f);
      }
      free(key);
      continue;
    }
    dfl_lex_result r;
    if (dfl_lex_process(&c->lx, eq + 1, flen - (size_t)(eq + 1 - f), &s->env,
                        &r) != 0) {
      rc = fail_lex(c, cmd->loc, &r);
      free(key);
      break;
    }
    const char *v = r.result;
    size_t vl = r.result_len;
    bool b;
    if (!strcmp(key, "type")) {
      char *lv = lower_dup(v, vl);
      size_t t = 0;
      while (t < 5 && strcmp(types[t], lv) != 0)
        t++;
      if (t < 5) {
        strcpy(m->type, types[t]);
      } else {
        dfl_buf e;
        dfl_buf_init(&e);
        dfl_buf_puts(&e, "unsupported mount type ");
        dfl_go_quote(&e, v, vl);
        suggest(&e, v, vl, types, 5);
        rc = fail_buf(c, cmd->loc, &e);
      }
      free(lv);
    } else if (!strcmp(key, "from")) {
      set_str(&m->from, v, vl);
    } else if (!strcmp(key, "source") || !strcmp(key, "src")) {
      set_str(&m->source, v, vl);
    } else if (!strcmp(key, "target") || !strcmp(key, "dst") ||
               !strcmp(key, "destination")) {
      set_str(&m->target, v, vl);
    } else if (!strcmp(key, "readonly") || !strcmp(key, "ro") ||
               !strcmp(key, "readwrite") || !strcmp(key, "rw")) {
      if (!go_parse_bool(v, vl, &b))
        rc = mount_error(c, cmd, "invalid value for %s: %s", key, v);
    } else if (!strcmp(key, "required")) {
      if (!secretish)
        rc = mount_error(c, cmd, "unexpected key '%s' for mount type '%s'",
                         key, m->type);
      else if (!go_parse_bool(v, vl, &m->required))
        rc = mount_error(c, cmd, "invalid value for %s: %s", key, v);
    } else if (!strcmp(key, "size")) {
      if (strcmp(m->type, "tmpfs") != 0)
        rc = mount_error(c, cmd, "unexpected key '%s' for mount type '%s'",
                         key, m->type);
      else if (!ram_in_bytes_ok(v, vl))
        rc = mount_error(c, cmd, "invalid value for %s: %s", key, v);
    } else if (!strcmp(key, "id")) {
      set_str(&m->id, v, vl);
    } else if (!strcmp(key, "sharing")) {
      char *lv = lower_dup(v, vl);
      if (strcmp(lv, "shared") && strcmp(lv, "private") &&
          strcmp(lv, "locked")) {
        dfl_buf e;
        dfl_buf_init(&e);
        dfl_buf_puts(&e, "unsupported sharing value ");
        dfl_go_quote(&e, v, vl);
        suggest(&e, v, vl, shares, 3);
        rc = fail_buf(c, cmd->loc, &e);
      }
      m->has_sharing = true;
      free(lv);
    } else if (!strcmp(key, "mode") || !strcmp(key, "uid") ||
               !strcmp(key, "gid")) {
      bool mode = !strcmp(key, "mode");
      if (!go_parse_uint32(v, vl, mode ? 8 : 10))
        rc = mount_error(c, cmd, "invalid value %s for %s", v, key);
      if (mode)
        m->has_mode = true;
      else if (!strcmp(key, "uid"))
        m->has_uid = true;
      else
        m->has_gid = true;
    } else if (!strcmp(key, "env")) {
    } else {
      dfl_buf e;
      dfl_buf_init(&e);
      dfl_buf_printf(&e, "unexpected key '%s' in '", key);
      dfl_buf_append(&e, f, flen);
      dfl_buf_putc(&e, '\'');
      suggest(&e, key, strlen(key), keys, sizeof keys / sizeof keys[0]);
      rc = fail_buf(c, cmd->loc, &e);
    }
    dfl_lex_result_free(&r);
    free(key);
  }
  dfl_csv_free(&fl);
  if (rc != 0)
    return rc;
  bool file_info = !strcmp(m->type, "secret") || !strcmp(m->type, "ssh") ||
                   !strcmp(m->type, "cache");
  if (!file_info && (m->has_mode || m->has_uid || m->has_gid))
    return mount_error(c, cmd, "%s not allowed for \"%s\" type mounts",
                       m->has_mode ? "mode" : m->has_uid ? "uid" : "gid",
                       m->type);
  if (!strcmp(m->type, "secret")) {
    bool src = m->source && *m->source, id = m->id && *m->id;
    if (m->from && *m->from)
      return fail_s(c, cmd->loc, "secret mount should not have a from");
    if (m->has_sharing)
      return fail_s(c, cmd->loc, "secret mount should not define sharing");
    if (!src && !(m->target && *m->target) && !id)
      return fail_s(c, cmd->loc,
                    "invalid secret mount. one of source, target required");
    if (src && id)
      return fail_s(c, cmd->loc, "both source and id can't be set");
  }
  if (m->has_sharing && strcmp(m->type, "cache") != 0)
    return mount_error(c, cmd, "invalid cache sharing set for %s mount",
                       m->type);
  return 0;
}

/* setMountState with the expander, then dispatchRunMounts: every mount is
 * parsed before any is used. */
static int dispatch_run(conv *c, state *s, const command *cmd)
{
  const dfl_instr *in = cmd->in;
  size_t nm = 0;
  for (size_t i = 0; i < in->nflags; i++) {
    const char *v;
    size_t vl;
    if (mount_flag(&in->flags[i], &v, &vl))
      nm++;
  }
  if (!nm)
    return 0;
  mount *ms = dfl_xcalloc(nm, sizeof *ms);
  size_t k = 0;
  int rc = 0;
  for (size_t i = 0; i < in->nflags && rc == 0; i++) {
    const char *v;
    size_t vl;
    if (!mount_flag(&in->flags[i], &v, &vl))
      continue;
    rc = parse_mount(c, s, cmd, v, vl, &ms[k++]);
  }
  dfl_buf *froms = NULL;
  size_t nfroms = rc == 0 ? parse_time_froms(in, &froms) : 0;
  dfl_outline_lines loc = lines_of(cmd->loc);
  for (size_t i = 0; i < nm && rc == 0; i++) {
    mount *m = &ms[i];
    bool has_from = (m->from && *m->from) || !strcmp(m->type, "cache");
    if (has_from && i < nfroms) {
      /* The source was fixed at parse time (detectRunMount). */
      int src = find_state(c, froms[i].len ? froms[i].data : "scratch",
                           froms[i].len ? froms[i].len : 7);
      if (src >= 0 && !c->states[src].dispatched) {
        dfl_buf e;
        dfl_buf_init(&e);
        const char *from = m->from && *m->from ? m->from : "scratch";
        dfl_buf_puts(&e, "cannot mount from stage ");
        dfl_go_quote(&e, from, strlen(from));
        dfl_buf_puts(&e, " to ");
        dfl_go_quote(&e, m->target ? m->target : "",
                     m->target ? strlen(m->target) : 0);
        dfl_buf_puts(&e, ", stage needs to be defined before current command");
        rc = fail_buf(c, cmd->loc, &e);
        break;
      }
    }
    if (!strcmp(m->type, "secret")) {
      const char *id = m->id ? m->id : "";
      size_t idlen = strlen(id);
      if (m->source && *m->source) {
        id = m->source;
        idlen = strlen(id);
      }
      if (!idlen) {
        if (!m->target || !*m->target) {
          rc = fail_s(c, cmd->loc, "one of source, target required");
          break;
        }
        path_base(m->target, strlen(m->target), &id, &idlen);
      }
      record_mount(&s->out.secrets, &s->out.nsecrets, id, idlen, m->required,
                   loc);
    } else if (!strcmp(m->type, "ssh")) {
      if (m->source && *m->source) {
        rc = fail_s(c, cmd->loc, "ssh does not support source");
        break;
      }
      const char *id = m->id && *m->id ? m->id : "default";
      record_mount(&s->out.ssh, &s->out.nssh, id, strlen(id), m->required,
                   loc);
    }
  }
  for (size_t i = 0; i < nfroms; i++)
    dfl_buf_free(&froms[i]);
  free(froms);
  for (size_t i = 0; i < nm; i++)
    mount_free(&ms[i]);
  free(ms);
  return rc;
}

/* dispatch's copy-from check: the source stage must come first. */
static int check_copy_order(conv *c, const state *s, const command *cmd)
{
  const dfl_flag *f = last_flag(cmd->in, "from");
  size_t len = 0;
  const char *from = f ? flag_value(f, &len) : NULL;
  if (!from || !len)
    return 0;
  long long idx;
  int src = go_atoi(from, len, &idx) ? (int)idx : find_state(c, from, len);
  if (src < 0 || c->states[src].dispatched)
    return 0;
  dfl_buf e;
  dfl_buf_init(&e);
  dfl_buf_puts(&e, "cannot copy from stage ");
  dfl_go_quote(&e, from, len);
  dfl_buf_puts(&e, ", it needs to be defined before current stage ");
  dfl_go_quote(&e, s->stage_name, strlen(s->stage_name));
  return fail_buf(c, cmd->loc, &e);
}

static int dispatch_stage(conv *c, size_t si)
{
  state *s = &c->states[si];
  s->dispatched = true;
  if (s->base >= 0)
    dfl_env_copy(&s->env, &c->states[s->base].env);
  else
    dfl_env_set(&s->env, "PATH", 4, default_path, sizeof default_path - 1);
  for (size_t k = 0; k < s->ncmds; k++) {
    const command *cmd = &s->cmds[k];
    int rc = 0;
    switch (cmd->in->kind) {
    case DFL_INSTR_ARG:
      rc = dispatch_arg(c, s, cmd);
      break;
    case DFL_INSTR_RUN:
      rc = dispatch_run(c, s, cmd);
      break;
    case DFL_INSTR_COPY:
      rc = expand_words(c, s, cmd);
      if (rc == 0)
        rc = check_copy_order(c, s, cmd);
      break;
    default:
      rc = expand_words(c, s, cmd);
      break;
    }
    if (rc != 0)
      return rc;
  }
  return 0;
}

/* ---- the walk of outline.go ---------------------------------------------- */

typedef struct collected {
  const arg_info **args;
  size_t nargs;
  const mount_rec **secrets;
  size_t nsecrets;
  const mount_rec **ssh;
  size_t nssh;
  dfl_namelist seen_args, seen_secrets, seen_ssh;
  bool *seen_state;
} collected;

/* markAllUsed: the used names plus, transitively, what their defaults
 * used. (BuildKit recursed without a guard and looped on ARG FOO=${FOO};
 * the closure is what it computes otherwise.) */
static void mark_all_used(conv *c, capture *o)
{
  for (size_t i = 0; i < o->used.n; i++) {
    const arg_ref *r =
        capture_get(o, o->used.names[i], strlen(o->used.names[i]));
    if (!r)
      continue;
    const dfl_namelist *d = &c->infos[r->info].deps;
    for (size_t k = 0; k < d->n; k++)
      dfl_namelist_add(&o->used, d->names[k], strlen(d->names[k]));
  }
}

static void collect_mounts(const mount_rec *src, size_t n, dfl_namelist *seen,
                           const mount_rec ***out, size_t *nout)
{
  for (size_t i = 0; i < n; i++) {
    if (dfl_namelist_has(seen, src[i].id, strlen(src[i].id)))
      continue;
    dfl_namelist_add(seen, src[i].id, strlen(src[i].id));
    *out = dfl_xrealloc(*out, (*nout + 1) * sizeof **out);
    (*out)[(*nout)++] = &src[i];
  }
}

/* args(), secrets() and ssh(): this stage, its base, its dependencies; the
 * first record of a name wins. A stage seen before adds nothing new. */
static void collect(conv *c, size_t si, collected *col)
{
  if (col->seen_state[si])
    return;
  col->seen_state[si] = true;
  state *s = &c->states[si];
  mark_all_used(c, &s->out);
  for (size_t i = 0; i < s->out.used.n; i++) {
    const char *k = s->out.used.names[i];
    const arg_ref *r = capture_get(&s->out, k, strlen(k));
    if (!r || dfl_namelist_has(&col->seen_args, k, strlen(k)))
      continue;
    dfl_namelist_add(&col->seen_args, k, strlen(k));
    col->args = dfl_xrealloc(col->args, (col->nargs + 1) * sizeof *col->args);
    col->args[col->nargs++] = &c->infos[r->info];
  }
  collect_mounts(s->out.secrets, s->out.nsecrets, &col->seen_secrets,
                 &col->secrets, &col->nsecrets);
  collect_mounts(s->out.ssh, s->out.nssh, &col->seen_ssh, &col->ssh,
                 &col->nssh);
  if (s->base >= 0)
    collect(c, (size_t)s->base, col);
  for (size_t d = 0; d < s->ndeps; d++)
    collect(c, s->deps[d].state, col);
}

/* sort.Slice by the first line. Ties keep the walk's order (BuildKit's is
 * Go map order there). */
static int by_line_arg(const void *a, const void *b)
{
  const arg_info *x = *(const arg_info *const *)a;
  const arg_info *y = *(const arg_info *const *)b;
  if (x->loc.first != y->loc.first)
    return x->loc.first < y->loc.first ? -1 : 1;
  return x < y ? -1 : x > y;
}

static void sort_mounts(const mount_rec **m, size_t n)
{
  for (size_t i = 1; i < n; i++) {
    const mount_rec *v = m[i];
    size_t j = i;
    while (j > 0 && m[j - 1]->loc.first > v->loc.first) {
      m[j] = m[j - 1];
      j--;
    }
    m[j] = v;
  }
}

static void copy_mounts(const mount_rec **src, size_t n,
                        dfl_outline_mount **dst, size_t *ndst)
{
  *ndst = n;
  *dst = n ? dfl_xcalloc(n, sizeof **dst) : NULL;
  for (size_t i = 0; i < n; i++) {
    (*dst)[i].name = dfl_xstrndup(src[i]->id, strlen(src[i]->id));
    (*dst)[i].required = src[i]->required;
    (*dst)[i].loc = src[i]->loc;
  }
}

static void build_result(conv *c, size_t target, dfl_outline *out)
{
  collected col;
  memset(&col, 0, sizeof col);
  col.seen_state = dfl_xcalloc(c->nstates, sizeof *col.seen_state);
  collect(c, target, &col);
  /* Infos are allocated in creation order, so pointer order is that. */
  if (col.nargs)
    qsort(col.args, col.nargs, sizeof *col.args, by_line_arg);
  sort_mounts(col.secrets, col.nsecrets);
  sort_mounts(col.ssh, col.nssh);

  const state *t = &c->states[target];
  const char *desc;
  size_t dlen;
  doc_comment(t->from, t->name ? t->name : "", t->name ? strlen(t->name) : 0,
              &desc, &dlen);
  out->name = dfl_xstrndup(t->name ? t->name : "", t->name ? strlen(t->name) : 0);
  out->description = dfl_xstrndup(desc, dlen);
  out->nargs = col.nargs;
  out->args = col.nargs ? dfl_xcalloc(col.nargs, sizeof *out->args) : NULL;
  for (size_t i = 0; i < col.nargs; i++) {
    const arg_info *a = col.args[i];
    out->args[i].name = dfl_xstrndup(a->key, strlen(a->key));
    out->args[i].description = dfl_xstrndup(a->comment, a->comment_len);
    out->args[i].value = dfl_xstrndup(a->value, strlen(a->value));
    out->args[i].loc = a->loc;
  }
  copy_mounts(col.secrets, col.nsecrets, &out->secrets, &out->nsecrets);
  copy_mounts(col.ssh, col.nssh, &out->ssh, &out->nssh);
  free(col.args);
  free(col.secrets);
  free(col.ssh);
  dfl_namelist_free(&col.seen_args);
  dfl_namelist_free(&col.seen_secrets);
  dfl_namelist_free(&col.seen_ssh);
  free(col.seen_state);
}

static int run_outline(conv *c, const dfl_outline_options *opts,
                       dfl_outline *out)
{
  if (c->df->src_len == 0)
    return fail_s(c, NULL, "the Dockerfile cannot be empty");
  if (check_lint_config(c) != 0 || check_parse(c) != 0)
    return -1;
  collect_stages(c);
  if (!c->nstages)
    return fail_s(c, NULL, "dockerfile contains no stages to build");
  const char *target = opts ? opts->target : NULL;
  default_args(c, target);
  size_t t;
  if (meta_args(c) != 0 || dispatch_states(c) != 0 ||
      resolve_target(c, target, &t) != 0 || link_stages(c) != 0 ||
      check_cycles(c) != 0)
    return -1;
  if (c->nstates == 1)
    c->states[0].stage_name[0] = '\0';
  if (resolve_stages(c, t) != 0)
    return -1;
  /* Images and contexts count as dispatched once resolved. */
  for (size_t i = 0; i < c->nstates; i++)
    if (c->states[i].unregistered)
      c->states[i].dispatched = true;
  for (size_t i = 0; i < c->nstages; i++)
    if (c->states[i].reachable && dispatch_stage(c, i) != 0)
      return -1;
  build_result(c, t, out);
  return 0;
}

int dfl_outline_build(const dfl_dockerfile *df, const dfl_outline_options *opts,
                      dfl_outline *out, dfl_outline_error *err)
{
  memset(out, 0, sizeof *out);
  memset(err, 0, sizeof *err);
  conv c;
  memset(&c, 0, sizeof c);
  c.df = df;
  c.bargs = opts ? opts->build_args : NULL;
  c.lx.escape = (unsigned char)df->escape;
  c.err = err;
  dfl_env_init(&c.global);
  int rc = run_outline(&c, opts, out);
  conv_free(&c);
  if (rc != 0) {
    dfl_outline_free(out);
    if (!err->message) {
      err->message = dfl_xstrndup("internal error", 14);
      err->len = 14;
    }
  }
  return rc;
}

void dfl_outline_free(dfl_outline *o)
{
  free(o->name);
  free(o->description);
  for (size_t i = 0; i < o->nargs; i++) {
    free(o->args[i].name);
    free(o->args[i].description);
    free(o->args[i].value);
  }
  free(o->args);
  for (size_t i = 0; i < o->nsecrets; i++)
    free(o->secrets[i].name);
  free(o->secrets);
  for (size_t i = 0; i < o->nssh; i++)
    free(o->ssh[i].name);
  free(o->ssh);
  memset(o, 0, sizeof *o);
}

void dfl_outline_error_free(dfl_outline_error *err)
{
  free(err->message);
  memset(err, 0, sizeof *err);
}

/* ---- targets (ListTargets) ----------------------------------------------- */

int dfl_targets_build(const dfl_dockerfile *df, dfl_targets *out,
                      dfl_outline_error *err)
{
  memset(out, 0, sizeof *out);
  memset(err, 0, sizeof *err);
  conv c;
  memset(&c, 0, sizeof c);
  c.df = df;
  c.err = err;
  int rc = check_parse(&c);
  conv_free(&c);
  if (rc != 0)
    return rc;
  size_t n = 0, names_len = 0;
  for (size_t i = 0; i < df->ninstrs; i++)
    if (df->instrs[i]->kind == DFL_INSTR_FROM) {
      n++;
      if (df->instrs[i]->nargs == 3)
        names_len += df->instrs[i]->args[2].len + 1;
    }
  out->items = n ? dfl_xcalloc(n, sizeof *out->items) : NULL;
  out->names = dfl_xmalloc(names_len + 1);
  char *np = out->names;
  for (size_t i = 0; i < df->ninstrs; i++) {
    const dfl_instr *in = df->instrs[i];
    if (in->kind != DFL_INSTR_FROM)
      continue;
    dfl_target *t = &out->items[out->n++];
    t->is_default = out->n == n;
    t->base = in->args[0].value;
    t->base_len = in->args[0].len;
    t->description = "";
    if (in->nargs == 3) {
      size_t len = in->args[2].len;
      char *low = lower_dup(in->args[2].value, len);
      memcpy(np, low, len + 1);
      free(low);
      t->name = np;
      np += len + 1;
      doc_comment(in, t->name, len, &t->description, &t->description_len);
    }
    const dfl_flag *pf = last_flag(in, "platform");
    if (pf)
      t->platform = flag_value(pf, &t->platform_len);
    t->loc = lines_of(in);
  }
  return 0;
}

void dfl_targets_free(dfl_targets *t)
{
  free(t->items);
  free(t->names);
  memset(t, 0, sizeof *t);
}

/* ---- JSON (Go's MarshalIndent) ------------------------------------------- */

static void field(dfl_buf *b, int level, const char *k, int *n)
{
  if ((*n)++)
    dfl_buf_putc(b, ',');
  dfl_indent(b, level);
  dfl_buf_printf(b, "\"%s\": ", k);
}

static void str_field(dfl_buf *b, int level, const char *k, const char *s,
                      size_t len, int *n)
{
  field(b, level, k, n);
  dfl_gojson_string(b, s, len);
}

/* pb.Location with sourceIndex 0 (omitted): one range per line, and
 * "character" 0 is omitted too. */
static void location(dfl_buf *b, int level, dfl_outline_lines l)
{
  dfl_buf_puts(b, "{");
  dfl_indent(b, level + 1);
  dfl_buf_puts(b, "\"ranges\": [");
  for (uint32_t line = l.first; line <= l.last; line++) {
    if (line > l.first)
      dfl_buf_putc(b, ',');
    dfl_indent(b, level + 2);
    dfl_buf_puts(b, "{");
    const char *ends[] = {"start", "end"};
    for (int e = 0; e < 2; e++) {
      dfl_indent(b, level + 3);
      dfl_buf_printf(b, "\"%s\": {", ends[e]);
      dfl_indent(b, level + 4);
      dfl_buf_printf(b, "\"line\": %u", line);
      dfl_indent(b, level + 3);
      dfl_buf_puts(b, e == 0 ? "}," : "}");
    }
    dfl_indent(b, level + 2);
    dfl_buf_puts(b, "}");
  }
  dfl_indent(b, level + 1);
  dfl_buf_puts(b, "]");
  dfl_indent(b, level);
  dfl_buf_puts(b, "}");
}

static void sources(dfl_buf *b, const dfl_dockerfile *df, int *n)
{
  field(b, 1, "sources", n);
  dfl_buf_puts(b, "[");
  dfl_indent(b, 2);
  dfl_buf_putc(b, '"');
  dfl_base64(b, (const unsigned char *)df->src, df->src_len);
  dfl_buf_putc(b, '"');
  dfl_indent(b, 1);
  dfl_buf_puts(b, "]");
}

static void mounts_json(dfl_buf *b, const char *k, const dfl_outline_mount *m,
                        size_t nm, int *n)
{
  if (!nm)
    return;
  field(b, 1, k, n);
  dfl_buf_puts(b, "[");
  for (size_t i = 0; i < nm; i++) {
    if (i)
      dfl_buf_putc(b, ',');
    dfl_indent(b, 2);
    dfl_buf_puts(b, "{");
    int f = 0;
    str_field(b, 3, "name", m[i].name, strlen(m[i].name), &f);
    if (m[i].required) {
      field(b, 3, "required", &f);
      dfl_buf_puts(b, "true");
    }
    field(b, 3, "location", &f);
    location(b, 3, m[i].loc);
    dfl_indent(b, 2);
    dfl_buf_puts(b, "}");
  }
  dfl_indent(b, 1);
  dfl_buf_puts(b, "]");
}

void dfl_outline_json(const dfl_outline *o, const dfl_dockerfile *df,
                      dfl_buf *b)
{
  int n = 0;
  dfl_buf_puts(b, "{");
  if (*o->name)
    str_field(b, 1, "name", o->name, strlen(o->name), &n);
  if (*o->description)
    str_field(b, 1, "description", o->description, strlen(o->description),
              &n);
  if (o->nargs) {
    field(b, 1, "args", &n);
    dfl_buf_puts(b, "[");
    for (size_t i = 0; i < o->nargs; i++) {
      const dfl_outline_arg *a = &o->args[i];
      if (i)
        dfl_buf_putc(b, ',');
      dfl_indent(b, 2);
      dfl_buf_puts(b, "{");
      int f = 0;
      str_field(b, 3, "name", a->name, strlen(a->name), &f);
      if (*a->description)
        str_field(b, 3, "description", a->description, strlen(a->description),
                  &f);
      if (*a->value)
        str_field(b, 3, "value", a->value, strlen(a->value), &f);
      field(b, 3, "location", &f);
      location(b, 3, a->loc);
      dfl_indent(b, 2);
      dfl_buf_puts(b, "}");
    }
    dfl_indent(b, 1);
    dfl_buf_puts(b, "]");
  }
  mounts_json(b, "secrets", o->secrets, o->nsecrets, &n);
  mounts_json(b, "ssh", o->ssh, o->nssh, &n);
  sources(b, df, &n);
  dfl_buf_puts(b, "\n}");
}

void dfl_targets_json(const dfl_targets *t, const dfl_dockerfile *df,
                      dfl_buf *b)
{
  int n = 0;
  dfl_buf_puts(b, "{");
  field(b, 1, "targets", &n);
  if (!t->n)
    dfl_buf_puts(b, "null");
  else
    dfl_buf_puts(b, "[");
  for (size_t i = 0; i < t->n; i++) {
    const dfl_target *x = &t->items[i];
    if (i)
      dfl_buf_putc(b, ',');
    dfl_indent(b, 2);
    dfl_buf_puts(b, "{");
    int f = 0;
    if (x->name && *x->name)
      str_field(b, 3, "name", x->name, strlen(x->name), &f);
    if (x->is_default) {
      field(b, 3, "default", &f);
      dfl_buf_puts(b, "true");
    }
    if (x->description_len)
      str_field(b, 3, "description", x->description, x->description_len, &f);
    if (x->base_len)
      str_field(b, 3, "base", x->base, x->base_len, &f);
    if (x->platform && x->platform_len)
      str_field(b, 3, "platform", x->platform, x->platform_len, &f);
    field(b, 3, "location", &f);
    location(b, 3, x->loc);
    dfl_indent(b, 2);
    dfl_buf_puts(b, "}");
  }
  if (t->n) {
    dfl_indent(b, 1);
    dfl_buf_puts(b, "]");
  }
  sources(b, df, &n);
  dfl_buf_puts(b, "\n}");
}
