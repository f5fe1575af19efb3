/* DL4006 PipeWithoutPipefail: a RUN's exit status is that of the last
 * command of a pipeline, so `wget -O- url | tar x` succeeds when the
 * download fails. A SHELL with `-o pipefail`, or `set -o pipefail` in the
 * script before the pipe, makes the failure stop the build. */
#include <string.h>

#include "dflint/rule.h"
#include "hadolint/dlc_common.h"

typedef struct state {
  bool pipefail;       /* the current stage's SHELL sets it (or is no POSIX
                          shell, where the rule does not apply) */
  bool *stage_pipefail; /* per stage, as it ended (FROM <stage> inherits) */
  size_t nstages;
} state;

/* ASCII case-insensitive prefix test (Windows names: PowerShell.exe). */
static bool has_prefix(const char *s, size_t n, const char *p)
{
  size_t k = strlen(p);
  if (n < k)
    return false;
  for (size_t i = 0; i < k; i++) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z')
      c = (char)(c - 'A' + 'a');
    if (c != p[i])
      return false;
  }
  return true;
}

static const char *basename_of(const char *s, size_t n, size_t *len)
{
  const char *b = s;
  for (size_t i = 0; i < n; i++)
    if (s[i] == '/' || s[i] == '\\')
      b = s + i + 1;
  *len = n - (size_t)(b - s);
  return b;
}

/* The shells whose -o pipefail dflint trusts. /bin/sh is not one of them:
 * dash, Debian's sh, rejects the option, and hadolint's tests want sh
 * reported. */
static bool pipefail_shell(const char *b, size_t n)
{
  static const char *const names[] = {"bash", "zsh", "ash", "ksh", "mksh"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (n == strlen(names[i]) && memcmp(b, names[i], n) == 0)
      return true;
  return false;
}

/* Whether a short-option cluster ends with o (-o, -eo, -euxo). */
static bool o_cluster(const char *s, size_t n)
{
  if (n < 2 || s[0] != '-' || s[1] == '-' || s[n - 1] != 'o')
    return false;
  for (size_t i = 1; i < n; i++)
    if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
      return false;
  return true;
}

/* What a SHELL instruction means for the rule. */
static bool shell_pipefail(const dfl_instr *in)
{
  if (in->nargs == 0)
    return false;
  size_t bl;
  const char *b = basename_of(in->args[0].value, in->args[0].len, &bl);
  /* PowerShell and cmd have no pipefail to set; the rule is moot there. */
  if (has_prefix(b, bl, "pwsh") || has_prefix(b, bl, "powershell") ||
      has_prefix(b, bl, "cmd"))
    return true;
  if (!pipefail_shell(b, bl))
    return false;
  bool on = false;
  for (size_t i = 1; i + 1 < in->nargs; i++) {
    const dfl_arg *a = &in->args[i], *next = &in->args[i + 1];
    if (next->len == 8 && memcmp(next->value, "pipefail", 8) == 0) {
      if (o_cluster(a->value, a->len))
        on = true;
      else if (a->len == 2 && memcmp(a->value, "+o", 2) == 0)
        on = false;
    }
    if (a->len == 2 && memcmp(a->value, "-c", 2) == 0)
      break; /* what follows is the command */
  }
  return on;
}

/* What a command does to pipefail in the script's own shell: 1 for `set
 * -o pipefail` (or -eo, -euxo ...), -1 for `set +o pipefail`, 0 for
 * nothing. Commands in a subshell, a substitution, a function or a
 * pipeline run in another shell (or maybe never) and do not count. */
static int sets_pipefail(const dfl_sh_cmd *c)
{
  if (c->argc < 3 || !dfl_sh_word_eq(&c->argv[0], "set") ||
      (c->nest & (DFL_SH_NESTED | DFL_SH_IN_FUNCTION)) || c->piped)
    return 0;
  int r = 0;
  for (size_t i = 1; i + 1 < c->argc; i++)
    if (dfl_sh_word_eq(&c->argv[i + 1], "pipefail")) {
      if (o_cluster(c->argv[i].text, c->argv[i].len))
        r = 1;
      else if (dfl_sh_word_eq(&c->argv[i], "+o"))
        r = -1;
    }
  return r;
}

/* The first pipeline of a script that runs without pipefail, or NULL. */
static const dfl_sh_cmd *unguarded_pipe(const dfl_sh_script *s)
{
  bool on = false;
  for (size_t i = 0; i < s->ncmds; i++) {
    const dfl_sh_cmd *c = &s->cmds[i];
    int set = sets_pipefail(c);
    if (set)
      on = set > 0;
    if (!on && c->op == DFL_SH_OP_PIPE)
      return c;
  }
  return NULL;
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  state *st = dfl_ctx_rule_state(ctx, sizeof *st);
  const dfl_model *m = dfl_ctx_model(ctx);
  if (!st->stage_pipefail && m->nstages) {
    st->nstages = m->nstages;
    st->stage_pipefail =
        dfl_arena_alloc(dfl_ctx_arena(ctx), m->nstages * sizeof(bool));
    memset(st->stage_pipefail, 0, m->nstages * sizeof(bool));
  }
  const dfl_stage *stage = dfl_model_stage_of(m, in);
  switch (in->kind) {
  case DFL_INSTR_FROM:
    /* A stage built FROM another one keeps that stage's SHELL. */
    st->pipefail = stage && stage->base_stage >= 0 &&
                   (size_t)stage->base_stage < st->nstages &&
                   st->stage_pipefail[stage->base_stage];
    break;
  case DFL_INSTR_SHELL:
    st->pipefail = shell_pipefail(in);
    break;
  case DFL_INSTR_RUN: {
    if (st->pipefail)
      break;
    const dfl_run_scripts *rs = dfl_ctx_run_scripts(ctx, in);
    for (size_t k = 0; k < dlc_nscripts(rs); k++) {
      const dfl_sh_script *s = dlc_script(rs, k);
      const dfl_sh_cmd *c = s ? unguarded_pipe(s) : NULL;
      if (!c)
        continue;
      dfl_emit(ctx, in, dlc_cmd_range(rs, k, c),
               "This RUN pipes without pipefail: a failure on the left of "
               "`|` goes unnoticed. Set `SHELL [\"/bin/bash\", \"-o\", "
               "\"pipefail\", \"-c\"]` (or /bin/ash on Alpine) or start "
               "the script with `set -o pipefail`");
      return;
    }
    break;
  }
  default:
    break;
  }
  if (stage && stage->index < st->nstages)
    st->stage_pipefail[stage->index] = st->pipefail;
}

const dfl_rule dfl_rule_DL4006 = {
  .id = "DL4006",
  .name = "PipeWithoutPipefail",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "correctness",
  .summary = "Set -o pipefail before a RUN that uses a pipe",
  .url = "https://github.com/hadolint/hadolint/wiki/DL4006",
  .on_instr = check,
};
