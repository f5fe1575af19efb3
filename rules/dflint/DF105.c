/* DF105 ShellUnavailable: shell-form instructions on a base image that has
 * no /bin/sh (scratch, distroless without :debug, Chainguard static).
 * Docker runs a shell-form RUN as `/bin/sh -c "..."`, so it fails at build
 * time; a shell-form CMD or ENTRYPOINT fails when the container starts, and
 * HEALTHCHECK CMD in shell form (CMD-SHELL) fails every probe, so the
 * container is marked unhealthy although the application runs.
 * A COPY or ADD that may bring a shell (a root filesystem to "/", busybox)
 * silences it: micro images are often built FROM scratch that way. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "dfa_common.h"


static bool word_char(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || strchr("_./=:,@%+-", c) != NULL;
}

/* The exec form of a simple command ("./app --port 8080" ->
 * ["./app", "--port", "8080"]) into buf, or "" when the command uses shell
 * syntax (quotes, variables, operators) and needs rewriting by hand. */
static void exec_form(const char *s, size_t len, char *buf, size_t n)
{
  buf[0] = '\0';
  if (len == 0 || len > 200)
    return;
  for (size_t i = 0; i < len; i++)
    if (!word_char(s[i]) && s[i] != ' ' && s[i] != '\t')
      return;
  size_t k = 0;
  bool first = true;
  for (size_t i = 0; i < len;) {
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
      i++;
    if (i >= len)
      break;
    size_t j = i;
    while (j < len && s[j] != ' ' && s[j] != '\t')
      j++;
    int w = snprintf(buf + k, n - k, "%s\"%.*s\"", first ? "[" : ", ",
                     (int)(j - i), s + i);
    if (w < 0 || (size_t)w >= n - k) {
      buf[0] = '\0';
      return;
    }
    k += (size_t)w;
    first = false;
    i = j;
  }
  if (k + 2 > n) {
    buf[0] = '\0';
    return;
  }
  buf[k++] = ']';
  buf[k] = '\0';
}

static bool arg_is(const dfl_arg *a, const char *s)
{
  return a->len == strlen(s) && memcmp(a->value, s, a->len) == 0;
}

/* A COPY/ADD argument that may bring a shell: a shell binary or busybox by
 * name ("/bin/sh", "busybox.tar.xz"). */
static bool shell_path(const dfl_arg *a)
{
  size_t n = a->len;
  while (n > 1 && a->value[n - 1] == '/')
    n--;
  size_t b = n;
  while (b > 0 && a->value[b - 1] != '/')
    b--;
  const char *base = a->value + b;
  size_t bl = n - b;
  static const char *const shells[] = {"sh", "bash", "ash", "dash"};
  for (size_t i = 0; i < sizeof shells / sizeof *shells; i++)
    if (bl == strlen(shells[i]) && memcmp(base, shells[i], bl) == 0)
      return true;
  for (size_t i = 0; i + 7 <= a->len; i++)
    if (memcmp(a->value + i, "busybox", 7) == 0)
      return true;
  return false;
}

/* Whether a COPY or ADD may have put a shell into the image: a whole root
 * filesystem copied to "/" (micro images built FROM scratch, busybox's own
 * ADD rootfs.tar /), or to /bin, or a shell or busybox by name. */
static bool brings_shell(const dfl_instr *in)
{
  if ((in->kind != DFL_INSTR_COPY && in->kind != DFL_INSTR_ADD) ||
      in->nargs < 2)
    return false;
  const dfl_arg *dest = &in->args[in->nargs - 1];
  if (arg_is(dest, "/") || arg_is(dest, "/.") || arg_is(dest, "/bin") ||
      arg_is(dest, "/bin/"))
    return true;
  for (size_t i = 0; i < in->nargs; i++)
    if (shell_path(&in->args[i]))
      return true;
  return false;
}

/* Whether the stage's FROM chain copies a shell in: every instruction of
 * the earlier stages, and of st those before `before` (all of them when
 * before is NULL: CMD and ENTRYPOINT run after the whole stage). */
static bool shell_copied_in(const dfl_model *m, const dfl_stage *st,
                            const dfl_instr *before)
{
  int guard = 0;
  for (const dfl_stage *s = st; s && guard++ < 1000;
       s = s->base_stage >= 0 && (size_t)s->base_stage < m->nstages
               ? &m->stages[s->base_stage]
               : NULL) {
    for (size_t i = 0; i < s->ninstrs; i++) {
      if (s == st && before && s->instrs[i]->index >= before->index)
        break;
      if (brings_shell(s->instrs[i]))
        return true;
    }
  }
  return false;
}

/* The image a stage runs on when it has no shell: its name, else NULL. */
static const char *shell_less(dfl_ctx *ctx, const dfl_stage *st)
{
  df_base b;
  df_stage_base(ctx, st, &b);
  if (b.scratch)
    return "scratch";
  if (b.match.entry && !b.match.entry->shell)
    return b.image;
  return NULL;
}

static void report(dfl_ctx *ctx, const dfl_instr *at, const dfl_instr *in,
                   const char *image, bool shell_set, const char *consequence)
{
  char what[64];
  const char *kw = dfl_instr_kind_name(in->kind);
  snprintf(what, sizeof what, "%s%s%s", at != in ? "ONBUILD " : "",
           kw ? kw : "instruction",
           in->kind == DFL_INSTR_HEALTHCHECK ? " CMD" : "");
  if (in->json) {
    dfl_emit(ctx, at, at->range,
             "%s runs a shell, and %s has no shell: %s; run the program "
             "directly",
             what, image, consequence);
    return;
  }
  const char *text = in->rest;
  size_t len = in->rest_len;
  if (in->kind == DFL_INSTR_HEALTHCHECK && in->nargs >= 2) {
    /* After the CMD word. */
    text = in->args[1].value;
    len = in->args[1].len;
  }
  char fix[320] = "";
  if (!in->nheredocs) /* a heredoc script needs rewriting by hand */
    exec_form(text, len, fix, sizeof fix);
  char hint[512]; /* "use the exec form: " + what + fix */
  if (fix[0])
    snprintf(hint, sizeof hint, "use the exec form: %s %s", what, fix);
  else
    snprintf(hint, sizeof hint, "use the exec form (%s [\"program\", "
             "\"arg\"])", what);
  if (shell_set)
    dfl_emit(ctx, at, at->range,
             "%s in shell form runs the SHELL set for this stage, and %s "
             "has no shell of its own (no /bin/sh): unless that shell is "
             "copied in, %s; %s",
             what, image, consequence, hint);
  else
    dfl_emit(ctx, at, at->range,
             "%s in shell form needs /bin/sh, which %s does not have: %s; %s",
             what, image, consequence, hint);
}

/* in: the instruction, or an ONBUILD's payload; at: where to report. */
static void check_one(dfl_ctx *ctx, const dfl_instr *at, const dfl_instr *in,
                      const dfl_stage *st, bool shell_set)
{
  bool final = st == df_final_stage(ctx);
  bool onbuild = at != in;
  /* An instruction with no command at all is DF000's business. */
  if (in->nargs == 0 && in->nheredocs == 0)
    return;
  const char *consequence = NULL;
  switch (in->kind) {
  case DFL_INSTR_RUN:
    /* Fails where it runs: in this stage, or in every build FROM the final
     * image for an ONBUILD trigger. */
    if (onbuild && !final)
      return;
    if (!in->json || dfl_instr_exec_names_shell(in, 0))
      consequence = onbuild ? "every build FROM this image fails there"
                            : "the build fails here";
    break;
  case DFL_INSTR_CMD:
  case DFL_INSTR_ENTRYPOINT:
    if (final && (!in->json || dfl_instr_exec_names_shell(in, 0)))
      consequence = "the container cannot start";
    break;
  case DFL_INSTR_HEALTHCHECK:
    /* HEALTHCHECK CMD x: args are "CMD" then the command. */
    if (final && in->nargs >= 2 && in->args[0].len == 3 &&
        strncasecmp(in->args[0].value, "CMD", 3) == 0 &&
        (!in->json || dfl_instr_exec_names_shell(in, 1)))
      consequence = "every health check fails and the container is "
                    "reported unhealthy";
    break;
  default:
    break;
  }
  if (!consequence)
    return;
  const char *image = shell_less(ctx, st);
  /* A RUN sees what was copied in before it; the start-up commands and the
   * ONBUILD triggers see the finished image. */
  if (image && !shell_copied_in(dfl_ctx_model(ctx), st,
                                in->kind == DFL_INSTR_RUN && !onbuild ? at
                                                                      : NULL))
    report(ctx, at, in, image, shell_set, consequence);
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  const dfl_stage_state *state = dfl_ctx_state(ctx);
  if (!state || !state->stage || in->error)
    return;
  const dfl_instr *target = in;
  if (in->kind == DFL_INSTR_ONBUILD) {
    if (!in->sub || in->sub->error)
      return;
    target = in->sub;
  }
  check_one(ctx, in, target, state->stage, state->shell_set);
}

const dfl_rule dfl_rule_DF105 = {
  .id = "DF105",
  .name = "ShellUnavailable",
  .source = DFL_SOURCE_DFLINT,
  .severity = DFL_SEV_ERROR,
  .category = "correctness",
  .summary = "A shell-form RUN, CMD, ENTRYPOINT or HEALTHCHECK on a base "
             "image without /bin/sh",
  .url = "https://github.com/dflint/dflint/blob/main/docs/rules/DF105.md",
  .on_instr = check,
};
