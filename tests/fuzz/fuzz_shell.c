/* The shell model of RUN (dfl_sh_parse) and the helpers rules call on it.
 * Input: the script. Every word, redirection and command must lie inside
 * the text, and the helpers must not read past it. */
#include <stdlib.h>

#include "dflint/shell.h"
#include "fuzz_common.h"

static void check_word(const dfl_sh_script *s, const dfl_sh_word *w)
{
  if (w->start > w->end || w->end > s->len || !w->text)
    abort();
}

DFL_FUZZ_TARGET(shell)
{
  dfl_sh_script *s = dfl_sh_parse((const char *)data, size);
  static const char *const names[] = {"apt-get", "pip", "go", "sh", "curl"};
  for (size_t i = 0; i < s->ncmds; i++) {
    const dfl_sh_cmd *c = &s->cmds[i];
    if (c->index != i || c->start > c->end || c->end > s->len)
      abort();
    for (size_t k = 0; k < c->argc; k++)
      check_word(s, &c->argv[k]);
    for (size_t k = 0; k < c->nassigns; k++)
      check_word(s, &c->assigns[k].word);
    for (size_t k = 0; k < c->nredirs; k++) {
      check_word(s, &c->redirs[k].target);
      if (c->redirs[k].has_body && c->redirs[k].body_end > s->len)
        abort();
    }
    (void)dfl_sh_name(c);
    dfl_sh_cmd u = dfl_sh_unwrap(c);
    (void)dfl_sh_has_flag(&u, "y|yes|assume-yes");
    (void)dfl_sh_has_flag(&u, "-ldflags|o");
    (void)dfl_sh_flag_value(&u, "o|output|-ldflags");
    (void)dfl_sh_has_arg(&u, "install");
    dfl_sh_args it;
    dfl_sh_args_init(&it, &u, "t|target-release|c|config-file");
    for (const dfl_sh_word *w; (w = dfl_sh_args_next(&it));)
      check_word(s, w);
    (void)dfl_sh_env_before(s, c, "CGO_ENABLED");
    (void)dfl_sh_env_before(s, c, "PATH");
    if (c->argc)
      (void)dfl_sh_word_eq(&c->argv[0], "sudo");
  }
  for (size_t n = 0; n < sizeof names / sizeof *names; n++)
    for (unsigned how = 0; how < 4; how++)
      for (const dfl_sh_cmd *c = NULL; (c = dfl_sh_find(s, c, names[n], how));)
        (void)dfl_sh_is(c, names[n], how);
  (void)dfl_sh_has_pipe(s);
  /* The script as a heredoc body run by `RUN <<EOF` and `RUN bash -ex <<EOF`. */
  dfl_sh_script *rest = dfl_sh_parse("<<EOF", 5);
  (void)dfl_sh_heredoc_is_script(rest, "EOF", 3, (const char *)data, size);
  dfl_sh_free(rest);
  rest = dfl_sh_parse("bash -ex <<EOF", 14);
  (void)dfl_sh_heredoc_is_script(rest, "EOF", 3, (const char *)data, size);
  dfl_sh_free(rest);
  dfl_sh_free(s);
  return 0;
}
