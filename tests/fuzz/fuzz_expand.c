/* BuildKit's shell lexer (dfl_lex_process) with random options and
 * environment. Input: byte 0 = option bits, byte 1 = number of environment
 * lines (mod 8), then that many "KEY=VALUE\n" lines, then the word (any
 * bytes, NULs and newlines included). */
#include <stdbool.h>
#include <stdlib.h>

#include "dflint/expand.h"
#include "fuzz_common.h"

DFL_FUZZ_TARGET(expand)
{
  if (size < 2)
    return 0;
  dfl_lex lx = {
    .escape = (data[0] & 1) ? '`' : '\\',
    .raw_quotes = (data[0] & 2) != 0,
    .raw_escapes = (data[0] & 4) != 0,
    .skip_process_quotes = (data[0] & 8) != 0,
    .skip_unset_env = (data[0] & 16) != 0,
  };
  bool no_env = (data[0] & 32) != 0;
  unsigned nenv = data[1] % 8;
  const char *p = (const char *)data + 2, *end = (const char *)data + size;
  dfl_env env;
  dfl_env_init(&env);
  for (unsigned i = 0; i < nenv && p < end; i++) {
    size_t len;
    const char *line = dfl_fuzz_next(&p, end, '\n', &len);
    const char *eq = memchr(line, '=', len);
    size_t klen = eq ? (size_t)(eq - line) : len;
    const char *v = eq ? eq + 1 : "";
    size_t vlen = eq ? len - klen - 1 : 0;
    /* Keys are C strings (dfl_env_entry.key): a name with a NUL byte is
     * stored cut at it, so only NUL-free names must be found again. */
    dfl_env_set(&env, line, klen, v, vlen);
    if (!memchr(line, '\0', klen) && !dfl_env_get(&env, line, klen))
      abort();
  }
  dfl_lex_result r, full;
  int rc = dfl_lex_process(&lx, p, (size_t)(end - p), no_env ? NULL : &env, &r);
  /* The plain-word shortcut must give what the whole lexer gives. */
  int frc = dfl_lex_process_full(&lx, p, (size_t)(end - p), no_env ? NULL : &env, &full);
  if (frc != rc || full.result_len != r.result_len ||
      memcmp(full.result, r.result, r.result_len) != 0 || full.nwords != r.nwords)
    abort();
  for (size_t i = 0; i < r.nwords; i++)
    if (full.word_lens[i] != r.word_lens[i] ||
        memcmp(full.words[i], r.words[i], r.word_lens[i]) != 0)
      abort();
  dfl_lex_result_free(&full);
  if (rc == 0 && r.error)
    abort();
  if (rc != 0 && (!r.error || r.nwords))
    abort();
  for (size_t i = 0; i < r.nwords; i++)
    if (!r.words[i])
      abort();
  for (size_t i = 0; i < r.matched.n; i++)
    if (!dfl_namelist_has(&r.matched, r.matched.names[i], strlen(r.matched.names[i])))
      abort();
  dfl_lex_result_free(&r);

  dfl_env copy;
  dfl_env_copy(&copy, &env);
  dfl_env_free(&copy);
  dfl_env_free(&env);
  return 0;
}
