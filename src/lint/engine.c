/* The rule engine: builds the model, walks the instructions in file order
 * with BuildKit's dispatch state, runs the selected rules, then drops what
 * # check=, pragmas and the selection exclude, and sorts the rest. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dflint/buf.h"
#include "dflint/instr_check.h"
#include "dflint/shell.h"
#include "dflint/images.h"
#include "dflint/lint.h"
#include "lint/checkconfig.h"
#include "lint/dispatch.h"
#include "lint/engine.h"
#include "lint/pragma.h"
#include "lint/twins.h"

struct dfl_ctx {
  const dfl_dockerfile *df;
  const dfl_model *model;
  const dfl_lint_options *opts;
  const char *path;
  char *context_dir;
  dfl_dispatch dispatch;
  const dfl_rule *rule;      /* the running rule */
  size_t rule_index;
  void **rule_state;         /* per rule, lazily allocated */
  dfl_check_config check;    /* the file's # check= (or the build-arg) */
  bool *enabled;             /* per rule, after selection and # check= */
  dfl_run_scripts **scripts; /* per instruction index, built on demand */
  dfl_pragma_line *pragmas;  /* built on demand (dfl_ctx_pragmas) */
  size_t npragmas;
  bool pragmas_read;
  char **owned_ids;          /* ids/names given to dfl_emit_code */
  size_t nowned;
  dfl_diag *diags;
  const dfl_instr **diag_instr; /* the instruction each finding is about */
  size_t ndiags;
  size_t cap;
};

const dfl_dockerfile *dfl_ctx_file(const dfl_ctx *ctx) { return ctx->df; }
const dfl_model *dfl_ctx_model(const dfl_ctx *ctx) { return ctx->model; }
const dfl_lint_options *dfl_ctx_options(const dfl_ctx *ctx) { return ctx->opts; }
const char *dfl_ctx_path(const dfl_ctx *ctx) { return ctx->path; }
const char *dfl_ctx_context_dir(const dfl_ctx *ctx) { return ctx->context_dir; }

const dfl_base_image *dfl_ctx_base_image(const dfl_ctx *ctx, const char *ref,
                                         const char *platform)
{
  const dfl_image_oracle *o = ctx->opts->images;
  return o && ref && platform ? o->find(o->data, ref, platform) : NULL;
}

static char *context_dir_for(const dfl_lint_options *o, const char *path)
{
  if (o->context_dir)
    return dfl_xstrndup(o->context_dir, strlen(o->context_dir));
  const char *slash = path ? strrchr(path, '/') : NULL;
  if (!slash)
    return dfl_xstrndup(".", 1);
  if (slash == path)
    return dfl_xstrndup("/", 1);
  return dfl_xstrndup(path, (size_t)(slash - path));
}
dfl_arena *dfl_ctx_arena(dfl_ctx *ctx)
{
  return (dfl_arena *)&ctx->df->arena;
}

const dfl_stage_state *dfl_ctx_state(const dfl_ctx *ctx)
{
  return dfl_dispatch_state(&ctx->dispatch);
}

void *dfl_ctx_rule_state(dfl_ctx *ctx, size_t size)
{
  void **slot = &ctx->rule_state[ctx->rule_index];
  if (!*slot)
    *slot = dfl_xcalloc(1, size);
  return *slot;
}

int dfl_ctx_expand(const dfl_ctx *ctx, const char *word, size_t len,
                   dfl_lex_result *out)
{
  const dfl_stage_state *st = dfl_ctx_state(ctx);
  dfl_lex lx = {.escape = (unsigned char)ctx->df->escape};
  return dfl_lex_process(&lx, word, len, st ? &st->env : NULL, out);
}

static void push_diag(dfl_ctx *ctx, const dfl_rule *rule, const dfl_instr *in,
                      dfl_range range, char *message)
{
  if (ctx->ndiags == ctx->cap) {
    ctx->cap = ctx->cap ? ctx->cap * 2 : 16;
    ctx->diags = dfl_xrealloc(ctx->diags, ctx->cap * sizeof *ctx->diags);
    ctx->diag_instr =
        dfl_xrealloc(ctx->diag_instr, ctx->cap * sizeof *ctx->diag_instr);
  }
  dfl_diag *d = &ctx->diags[ctx->ndiags];
  memset(d, 0, sizeof *d);
  d->rule = rule;
  d->rule_id = rule->id;
  d->rule_name = rule->name;
  d->severity = rule->severity;
  d->source = rule->source;
  d->range = range;
  d->message = message;
  d->url = rule->url;
  ctx->diag_instr[ctx->ndiags] = in;
  ctx->ndiags++;
}

void dfl_emit(dfl_ctx *ctx, const dfl_instr *in, dfl_range range,
              const char *fmt, ...)
{
  dfl_buf b;
  dfl_buf_init(&b);
  va_list ap;
  va_start(ap, fmt);
  dfl_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  push_diag(ctx, ctx->rule, in, range, dfl_buf_take(&b));
}

void dfl_emit_code(dfl_ctx *ctx, const dfl_instr *in, dfl_range range,
                   const char *id, const char *name, const char *message)
{
  dfl_emit_code_ex(ctx, in, range, id, name, ctx->rule->severity, NULL,
                   message);
}

void dfl_emit_code_ex(dfl_ctx *ctx, const dfl_instr *in, dfl_range range,
                      const char *id, const char *name, dfl_severity severity,
                      const char *url, const char *message)
{
  ctx->owned_ids = dfl_xrealloc(ctx->owned_ids,
                                (ctx->nowned + 3) * sizeof *ctx->owned_ids);
  char *i = dfl_xstrndup(id, strlen(id));
  char *n = dfl_xstrndup(name, strlen(name));
  ctx->owned_ids[ctx->nowned++] = i;
  ctx->owned_ids[ctx->nowned++] = n;
  push_diag(ctx, ctx->rule, in, range, dfl_xstrndup(message, strlen(message)));
  dfl_diag *d = &ctx->diags[ctx->ndiags - 1];
  d->rule_id = i;
  d->rule_name = n;
  d->severity = severity;
  if (url) {
    char *u = dfl_xstrndup(url, strlen(url));
    ctx->owned_ids[ctx->nowned++] = u;
    d->url = u;
  }
}

const dfl_run_scripts *dfl_ctx_run_scripts(dfl_ctx *ctx, const dfl_instr *in)
{
  const dfl_instr *top = in;
  while (top->parent)
    top = top->parent;
  const dfl_instr *run = top->kind == DFL_INSTR_ONBUILD ? top->sub : top;
  if (!run || run->kind != DFL_INSTR_RUN || top->index >= ctx->df->ninstrs)
    return NULL;
  if (!ctx->scripts)
    ctx->scripts = dfl_xcalloc(ctx->df->ninstrs, sizeof *ctx->scripts);
  dfl_run_scripts *rs = ctx->scripts[top->index];
  if (rs)
    return rs;
  rs = dfl_xcalloc(1, sizeof *rs);
  rs->run = run;
  if (!run->json)
    rs->text = dfl_sh_parse(run->rest, run->rest_len);
  if (run->nheredocs) {
    rs->nheredocs = run->nheredocs;
    rs->heredocs = dfl_xcalloc(run->nheredocs, sizeof *rs->heredocs);
    for (size_t h = 0; h < run->nheredocs; h++) {
      const dfl_heredoc *hd = &run->heredocs[h];
      if (rs->text && dfl_sh_heredoc_is_script(rs->text, hd->name,
                                               hd->name_len, hd->content,
                                               hd->content_len))
        rs->heredocs[h] = dfl_sh_parse(hd->content, hd->content_len);
    }
  }
  ctx->scripts[top->index] = rs;
  return rs;
}

static void free_scripts(dfl_ctx *ctx)
{
  if (!ctx->scripts)
    return;
  for (size_t i = 0; i < ctx->df->ninstrs; i++) {
    dfl_run_scripts *rs = ctx->scripts[i];
    if (!rs)
      continue;
    dfl_sh_free((dfl_sh_script *)rs->text);
    for (size_t h = 0; h < rs->nheredocs; h++)
      dfl_sh_free((dfl_sh_script *)rs->heredocs[h]);
    free(rs->heredocs);
    free(rs);
  }
  free(ctx->scripts);
}

void dfl_engine_emit_as(dfl_ctx *ctx, const dfl_rule *rule,
                        const dfl_instr *in, dfl_range range, const char *msg)
{
  push_diag(ctx, rule, in, range, dfl_xstrndup(msg, strlen(msg)));
}

/* ---- selection ---- */

static bool matches_selector(const char *sel, const dfl_rule *r)
{
  if (strcmp(sel, "all") == 0 || strcmp(sel, "ALL") == 0)
    return true;
  if (strcmp(sel, r->id) == 0 || strcmp(sel, r->name) == 0)
    return true;
  if (strcmp(sel, "buildkit") == 0)
    return r->source == DFL_SOURCE_BUILDKIT;
  if (strcmp(sel, "hadolint") == 0)
    return r->source == DFL_SOURCE_HADOLINT;
  if (strcmp(sel, "dflint") == 0)
    return r->source == DFL_SOURCE_DFLINT;
  if (strcmp(sel, "shellcheck") == 0)
    return r->source == DFL_SOURCE_SHELLCHECK;
  /* A code prefix: "DL", "DL3", "DF1". Only for code-like ids. */
  size_t n = strlen(sel);
  if (n >= 2 && n < strlen(r->id) && strncmp(sel, r->id, n) == 0 &&
      r->id[0] >= 'A' && r->id[0] <= 'Z' && r->id[1] >= 'A' &&
      r->id[1] <= 'Z' && r->id[2] >= '0' && r->id[2] <= '9')
    return true;
  return false;
}

bool dfl_selector_matches(const char *sel, const dfl_rule *r)
{
  return matches_selector(sel, r);
}

/* "SC2086", or a prefix of such codes ("SC2", "SC"): the codes a rule
 * reports under its own id (ShellCheck's). Selecting one selects that rule;
 * ignoring one drops those findings, never the rule. */
static bool is_code_selector(const char *s)
{
  if (s[0] != 'S' || s[1] != 'C')
    return false;
  for (s += 2; *s; s++)
    if (*s < '0' || *s > '9')
      return false;
  return true;
}

static bool code_matches(const char *sel, const char *id)
{
  return is_code_selector(sel) && strncmp(sel, id, strlen(sel)) == 0;
}

/* For a finding under a code of its own (SC2086 of the ShellCheck rule):
 * whether --select/--ignore keep it. The rule itself was selected. */
static bool code_selected(const dfl_selection *sel, const dfl_diag *d)
{
  if (!d->rule || strcmp(d->rule_id, d->rule->id) == 0)
    return true;
  for (size_t i = 0; i < sel->nignore; i++)
    if (code_matches(sel->ignore[i], d->rule_id))
      return false;
  if (!sel->nselect)
    return true;
  for (size_t i = 0; i < sel->nselect; i++)
    if (matches_selector(sel->select[i], d->rule) ||
        code_matches(sel->select[i], d->rule_id))
      return true;
  return false;
}

bool dfl_selection_enables(const dfl_selection *sel, const dfl_rule *r)
{
  bool on;
  if (sel->nselect) {
    on = false;
    for (size_t i = 0; i < sel->nselect; i++)
      if (matches_selector(sel->select[i], r) ||
          (r->source == DFL_SOURCE_SHELLCHECK &&
           is_code_selector(sel->select[i])))
        on = true;
  } else {
    on = !r->off_by_default && !r->experimental;
  }
  if (r->experimental && sel->experimental)
    on = true;
  for (size_t i = 0; i < sel->nignore; i++)
    if (matches_selector(sel->ignore[i], r))
      on = false;
  return on;
}

/* BuildKit's rules obey # check=; experimental ones must be enabled there or
 * by the selection, and skip does not apply to them. */
/* As in hadolint, giving an off-by-default rule a severity turns it on
 * (unless it is explicitly ignored). */
static bool overridden_on(const dfl_lint_options *o, const dfl_rule *r)
{
  if (!r->off_by_default)
    return false;
  for (size_t i = 0; i < o->sel.nignore; i++)
    if (matches_selector(o->sel.ignore[i], r))
      return false;
  for (size_t i = 0; i < o->noverrides; i++)
    if ((strcmp(o->override_ids[i], r->id) == 0 ||
         strcmp(o->override_ids[i], r->name) == 0) &&
        o->override_sev[i] != DFL_SEV_NONE)
      return true;
  return false;
}

static bool check_allows(const dfl_check_config *c, const dfl_rule *r,
                         bool selected)
{
  if (r->source != DFL_SOURCE_BUILDKIT)
    return selected;
  if (r->experimental)
    return selected || dfl_check_config_enables_experimental(c, r->id);
  return selected && !dfl_check_config_skips(c, r->id);
}

/* Rules a per-instruction "# check=" comment does not reach. */
static bool per_instr_check_applies(const dfl_rule *r)
{
  static const char *const global_only[] = {
    "NoEmptyContinuation", "ConsistentInstructionCasing",
    "DuplicateStageName", "ReservedStageName", "InvalidDefaultArgInFrom",
  };
  if (r->source != DFL_SOURCE_BUILDKIT)
    return false;
  for (size_t i = 0; i < sizeof global_only / sizeof global_only[0]; i++)
    if (strcmp(r->id, global_only[i]) == 0)
      return false;
  return true;
}

/* The first "check=" comment above an instruction that parses. */
static bool instr_check_config(const dfl_instr *in, dfl_check_config *out)
{
  while (in->parent)
    in = in->parent;
  for (size_t i = 0; i < in->ncomments; i++) {
    const char *t = in->comments[i].text;
    size_t n = in->comments[i].len;
    if (n < 6 || memcmp(t, "check=", 6) != 0)
      continue;
    char *err = NULL;
    if (dfl_check_config_parse(t + 6, n - 6, out, &err) == 0)
      return true;
    free(err);
  }
  return false;
}

/* ---- pragmas ---- */

static bool known_id(const char *id)
{
  if (dfl_rule_find(id))
    return true;
  /* ShellCheck codes and hadolint codes are accepted by shape. */
  size_t n = strlen(id);
  if (n == 6 && ((id[0] == 'S' && id[1] == 'C') ||
                 (id[0] == 'D' && id[1] == 'L'))) {
    for (size_t i = 2; i < 6; i++)
      if (id[i] < '0' || id[i] > '9')
        return false;
    return true;
  }
  return false;
}

static bool *heredoc_lines(const dfl_dockerfile *df)
{
  bool *body = dfl_xcalloc(df->nlines + 2, sizeof *body);
  for (size_t i = 0; i < df->ninstrs; i++) {
    const dfl_instr *in = df->instrs[i];
    if (in->nheredocs)
      for (uint32_t l = in->last_logical_line + 1; l <= in->range.end.line; l++)
        if (l <= df->nlines)
          body[l] = true;
  }
  return body;
}

const dfl_pragma_line *dfl_ctx_pragmas(dfl_ctx *ctx, size_t *count)
{
  if (!ctx->pragmas_read) {
    ctx->pragmas_read = true;
    const dfl_dockerfile *df = ctx->df;
    bool *body = heredoc_lines(df);
    size_t cap = 0;
    for (uint32_t l = 1; l <= df->nlines; l++) {
      if (body[l])
        continue;
      dfl_str s = dfl_dockerfile_line(df, l);
      size_t i = 0;
      while (i < s.len && (s.ptr[i] == ' ' || s.ptr[i] == '\t'))
        i++;
      if (i >= s.len || s.ptr[i] != '#')
        continue;
      dfl_pragma p;
      dfl_pragma_parse(s.ptr + i + 1, s.len - i - 1, &p);
      if (p.kind == DFL_PRAGMA_NONE)
        continue;
      if (ctx->npragmas == cap) {
        cap = cap ? cap * 2 : 8;
        ctx->pragmas = dfl_xrealloc(ctx->pragmas, cap * sizeof *ctx->pragmas);
      }
      dfl_pragma_line *pl = &ctx->pragmas[ctx->npragmas++];
      pl->line = l;
      pl->hash_col = (uint32_t)i;
      pl->p = p;
    }
    free(body);
  }
  *count = ctx->npragmas;
  return ctx->pragmas;
}

static bool ids_cover(const dfl_pragma *p, const dfl_diag *d)
{
  for (size_t i = 0; i < p->nids; i++)
    if (strcmp(p->ids[i], d->rule_id) == 0 ||
        (d->rule_name && strcmp(p->ids[i], d->rule_name) == 0) ||
        dfl_twins_related(p->ids[i], d->rule))
      return true;
  return false;
}

/* The first instruction that starts after line l. */
static const dfl_instr *instr_after(const dfl_dockerfile *df, uint32_t l)
{
  for (size_t i = 0; i < df->ninstrs; i++)
    if (df->instrs[i]->range.start.line > l)
      return df->instrs[i];
  return NULL;
}

static uint32_t next_from_line(const dfl_dockerfile *df, uint32_t l)
{
  for (size_t i = 0; i < df->ninstrs; i++)
    if (df->instrs[i]->kind == DFL_INSTR_FROM &&
        df->instrs[i]->range.start.line > l)
      return df->instrs[i]->range.start.line;
  return UINT32_MAX;
}

static bool pragma_suppresses(const dfl_dockerfile *df, const dfl_pragma_line *pl,
                              const dfl_diag *d, const dfl_instr *in)
{
  const dfl_pragma *p = &pl->p;
  if (!ids_cover(p, d))
    return false;
  uint32_t line = in ? in->range.start.line : d->range.start.line;
  switch (p->kind) {
  case DFL_PRAGMA_IGNORE_GLOBAL:
    return true;
  case DFL_PRAGMA_IGNORE_NEXT: {
    const dfl_instr *next = instr_after(df, pl->line);
    if (!next)
      return false;
    if (in)
      return in == next;
    return d->range.start.line >= next->range.start.line &&
           d->range.start.line <= next->range.end.line;
  }
  case DFL_PRAGMA_IGNORE_LINE:
    return line == pl->line + 1;
  case DFL_PRAGMA_IGNORE_STAGE:
    return line > pl->line + 1 && line <= next_from_line(df, pl->line + 1);
  default:
    return false;
  }
}

/* ---- running ---- */

static int diag_cmp(const void *a, const void *b)
{
  const dfl_diag *x = a, *y = b;
  if (x->range.start.line != y->range.start.line)
    return x->range.start.line < y->range.start.line ? -1 : 1;
  if (x->range.start.col != y->range.start.col)
    return x->range.start.col < y->range.start.col ? -1 : 1;
  int c = strcmp(x->rule_id, y->rule_id);
  if (c)
    return c;
  return strcmp(x->message, y->message);
}

static dfl_severity effective_severity(const dfl_lint_options *o,
                                       const dfl_diag *d)
{
  for (size_t i = 0; i < o->noverrides; i++)
    if (strcmp(o->override_ids[i], d->rule_id) == 0 ||
        (d->rule_name && strcmp(o->override_ids[i], d->rule_name) == 0))
      return o->override_sev[i];
  return d->severity;
}

static void run_rules_instr(dfl_ctx *ctx, const dfl_instr *in)
{
  for (size_t r = 0; r < dfl_nrules; r++) {
    if (!ctx->enabled[r] || !dfl_rules[r]->on_instr)
      continue;
    ctx->rule = dfl_rules[r];
    ctx->rule_index = r;
    dfl_rules[r]->on_instr(ctx, in);
  }
}

static void load_check_config(dfl_ctx *ctx, dfl_lint_result *out)
{
  const dfl_dockerfile *df = ctx->df;
  const dfl_env_entry *barg =
      dfl_env_get(&ctx->opts->build_args, "BUILDKIT_DOCKERFILE_CHECK", 25);
  const char *val = NULL;
  size_t len = 0;
  const char *what = "failed to parse check options: ";
  if (barg) {
    val = barg->value;
    len = barg->value_len;
    what = "failed to parse build-arg:BUILDKIT_DOCKERFILE_CHECK: ";
  } else if (df->directives[DFL_DIRECTIVE_CHECK].present) {
    val = df->directives[DFL_DIRECTIVE_CHECK].value;
    len = df->directives[DFL_DIRECTIVE_CHECK].len;
  }
  if (!val)
    return;
  char *err = NULL;
  if (dfl_check_config_parse(val, len, &ctx->check, &err) != 0) {
    dfl_buf b;
    dfl_buf_init(&b);
    dfl_buf_puts(&b, what);
    dfl_buf_puts(&b, err);
    free(err);
    out->check_config_error = dfl_buf_take(&b);
  }
  out->check_error = ctx->check.error;
}

void dfl_lint(const dfl_dockerfile *df, const char *path,
              const dfl_lint_options *opts, dfl_lint_result *out)
{
  memset(out, 0, sizeof *out);
  dfl_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.df = df;
  ctx.opts = opts;
  ctx.path = path;
  ctx.context_dir = context_dir_for(opts, path);
  dfl_model_options mo = {&opts->build_args, opts->target};
  dfl_model *model = dfl_model_build(df, &mo);
  ctx.model = model;
  load_check_config(&ctx, out);
  ctx.enabled = dfl_xcalloc(dfl_nrules, sizeof *ctx.enabled);
  ctx.rule_state = dfl_xcalloc(dfl_nrules, sizeof *ctx.rule_state);
  for (size_t r = 0; r < dfl_nrules; r++)
    ctx.enabled[r] = dfl_selection_enables(&opts->sel, dfl_rules[r]) ||
                     overridden_on(opts, dfl_rules[r]);
  /* One side of each hadolint/BuildKit pair (src/lint/twins.c). */
  dfl_twins_apply(opts, ctx.enabled);
  if (opts->prepass)
    for (size_t r = 0; r < dfl_nrules; r++)
      ctx.enabled[r] = ctx.enabled[r] && dfl_rules[r]->prepass;
  for (size_t r = 0; r < dfl_nrules; r++)
    ctx.enabled[r] = check_allows(&ctx.check, dfl_rules[r], ctx.enabled[r]);

  dfl_engine_report_syntax(&ctx);

  dfl_dispatch_init(&ctx.dispatch, model, &opts->build_args);
  size_t next_stage = 0;
  for (size_t i = 0; i < df->ninstrs; i++) {
    const dfl_instr *in = df->instrs[i];
    if (next_stage < model->nstages && model->stages[next_stage].from == in)
      dfl_dispatch_begin_stage(&ctx.dispatch, &model->stages[next_stage++]);
    run_rules_instr(&ctx, in);
    dfl_dispatch_apply(&ctx.dispatch, in);
  }
  for (size_t r = 0; r < dfl_nrules; r++) {
    if (!ctx.enabled[r] || !dfl_rules[r]->on_finish)
      continue;
    ctx.rule = dfl_rules[r];
    ctx.rule_index = r;
    dfl_rules[r]->on_finish(&ctx);
  }

  /* Pragmas: report malformed ones and unknown ids, then filter. */
  size_t npragmas;
  const dfl_pragma_line *pragmas = dfl_ctx_pragmas(&ctx, &npragmas);
  dfl_engine_report_pragmas(&ctx, pragmas, npragmas);

  size_t kept = 0;
  for (size_t i = 0; i < ctx.ndiags; i++) {
    dfl_diag *d = &ctx.diags[i];
    const dfl_instr *in = ctx.diag_instr[i];
    bool drop = !code_selected(&opts->sel, d);
    if (!drop && in && per_instr_check_applies(d->rule)) {
      dfl_check_config ic;
      if (instr_check_config(in, &ic)) {
        drop = dfl_check_config_skips(&ic, d->rule_id) && !d->rule->experimental;
        dfl_check_config_free(&ic);
      }
    }
    if (!drop && !opts->disable_ignore_pragma)
      for (size_t p = 0; p < npragmas && !drop; p++)
        drop = pragma_suppresses(df, &pragmas[p], d, in);
    if (!drop) {
      d->severity = effective_severity(opts, d);
      if (d->severity == DFL_SEV_NONE && opts->noverrides)
        drop = dfl_engine_override_ignores(opts, d);
    }
    if (drop) {
      free(d->message);
      continue;
    }
    ctx.diags[kept++] = *d;
  }
  ctx.ndiags = kept;
  if (ctx.ndiags)
    qsort(ctx.diags, ctx.ndiags, sizeof *ctx.diags, diag_cmp);
  out->diags = ctx.diags;
  out->ndiags = ctx.ndiags;
  out->owned_ids = ctx.owned_ids;
  out->nowned_ids = ctx.nowned;

  for (size_t p = 0; p < ctx.npragmas; p++)
    dfl_pragma_free(&ctx.pragmas[p].p);
  free(ctx.pragmas);
  dfl_dispatch_free(&ctx.dispatch);
  for (size_t r = 0; r < dfl_nrules; r++)
    free(ctx.rule_state[r]);
  free(ctx.rule_state);
  free(ctx.enabled);
  free(ctx.diag_instr);
  free_scripts(&ctx);
  dfl_check_config_free(&ctx.check);
  dfl_model_free(model);
  free(ctx.context_dir);
}

bool dfl_engine_override_ignores(const dfl_lint_options *o, const dfl_diag *d)
{
  for (size_t i = 0; i < o->noverrides; i++)
    if ((strcmp(o->override_ids[i], d->rule_id) == 0 ||
         (d->rule_name && strcmp(o->override_ids[i], d->rule_name) == 0)) &&
        o->override_sev[i] == DFL_SEV_NONE)
      return true;
  return false;
}

void dfl_lint_result_free(dfl_lint_result *r)
{
  for (size_t i = 0; i < r->ndiags; i++)
    free(r->diags[i].message);
  free(r->diags);
  free(r->check_config_error);
  for (size_t i = 0; i < r->nowned_ids; i++)
    free(r->owned_ids[i]);
  free(r->owned_ids);
  memset(r, 0, sizeof *r);
}

void dfl_lint_options_init(dfl_lint_options *o)
{
  memset(o, 0, sizeof *o);
  dfl_env_init(&o->build_args);
}

void dfl_lint_options_free(dfl_lint_options *o)
{
  for (size_t i = 0; i < o->sel.nselect; i++)
    free(o->sel.select[i]);
  free(o->sel.select);
  for (size_t i = 0; i < o->sel.nignore; i++)
    free(o->sel.ignore[i]);
  free(o->sel.ignore);
  dfl_env_free(&o->build_args);
  for (size_t i = 0; i < o->noverrides; i++)
    free(o->override_ids[i]);
  free(o->override_ids);
  free(o->override_sev);
  memset(o, 0, sizeof *o);
}

/* ---- built-in findings: syntax errors and pragma problems ---- */

bool dfl_engine_rule_enabled(const dfl_ctx *ctx, const dfl_rule *rule)
{
  for (size_t r = 0; r < dfl_nrules; r++)
    if (dfl_rules[r] == rule)
      return ctx->enabled[r];
  return false;
}

void dfl_engine_report_syntax(dfl_ctx *ctx)
{
  const dfl_dockerfile *df = ctx->df;
  if (!dfl_engine_rule_enabled(ctx, &dfl_rule_syntax_error))
    return;
  for (size_t i = 0; i < df->nerrors; i++) {
    const dfl_parse_error *e = &df->errors[i];
    /* Instruction errors are reported below with their instruction. */
    bool is_instr = false;
    for (size_t k = 0; k < df->ninstrs && !is_instr; k++)
      is_instr = df->instrs[k]->error &&
                 df->instrs[k]->range.start.line == e->range.start.line &&
                 strcmp(df->instrs[k]->error, e->message) == 0;
    if (!is_instr)
      dfl_engine_emit_as(ctx, &dfl_rule_syntax_error, NULL, e->range,
                         e->message);
  }
  for (size_t k = 0; k < df->ninstrs; k++) {
    const dfl_instr *in = df->instrs[k];
    if (in->error) {
      dfl_engine_emit_as(ctx, &dfl_rule_syntax_error, in, in->range,
                         in->error);
      continue;
    }
    size_t len = 0;
    char *msg = dfl_instr_check_n(in, &len);
    if (msg) {
      /* The keyword in "unknown instruction" may hold NUL bytes (UTF-16
       * files): show them as '?' rather than cutting the message. */
      for (size_t b = 0; b < len; b++)
        if (msg[b] == '\0')
          msg[b] = '?';
      dfl_engine_emit_as(ctx, &dfl_rule_syntax_error, in, in->range, msg);
      free(msg);
    }
  }
  if (ctx->model->orphan)
    dfl_engine_emit_as(ctx, &dfl_rule_syntax_error, ctx->model->orphan,
                       ctx->model->orphan->range,
                       "no build stage in current context");
  if (df->ninstrs && !ctx->model->nstages && !ctx->model->orphan) {
    dfl_range r = df->instrs[0]->range;
    dfl_engine_emit_as(ctx, &dfl_rule_syntax_error, NULL, r,
                       "dockerfile contains no stages to build");
  }
}

void dfl_engine_report_pragmas(dfl_ctx *ctx, const dfl_pragma_line *pragmas,
                               size_t n)
{
  if (!dfl_engine_rule_enabled(ctx, &dfl_rule_invalid_pragma))
    return;
  for (size_t i = 0; i < n; i++) {
    const dfl_pragma *p = &pragmas[i].p;
    dfl_str line = dfl_dockerfile_line(ctx->df, pragmas[i].line);
    dfl_range r;
    r.start.line = r.end.line = pragmas[i].line;
    r.start.col = 1;
    r.end.col = (uint32_t)line.len + 1;
    r.start.offset = (uint32_t)(line.ptr - ctx->df->src);
    r.end.offset = r.start.offset + (uint32_t)line.len;
    if (p->kind == DFL_PRAGMA_MALFORMED) {
      dfl_engine_emit_as(ctx, &dfl_rule_invalid_pragma, NULL, r, p->error);
      continue;
    }
    for (size_t k = 0; k < p->nids; k++) {
      if (known_id(p->ids[k]))
        continue;
      dfl_buf b;
      dfl_buf_init(&b);
      dfl_buf_printf(&b, "unknown rule '%s' in ignore pragma", p->ids[k]);
      const dfl_rule *sugg = dfl_rule_suggest(p->ids[k]);
      if (sugg)
        dfl_buf_printf(&b, " (did you mean %s?)", sugg->id);
      push_diag(ctx, &dfl_rule_invalid_pragma, NULL, r, dfl_buf_take(&b));
    }
  }
}
