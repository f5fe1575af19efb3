/* SecretsUsedInArgOrEnv: an ARG or ENV whose name says it holds a secret.
 * Both values end up in the image history or config, readable by anyone
 * who can pull the image. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <stdlib.h>

#include "dflint/buf.h"
#include "dflint/parse.h"
#include "dflint/rule.h"

#include "buildkit/bk_dispatch.h"

/* BuildKit's two expressions (validations.go), written for Go's RE2. The
 * options keep PCRE2 to RE2's meaning: `$` only at the very end, Unicode
 * case folding for (?i) (so "ſecret" matches as it does in Go), and bytes
 * that are not UTF-8 simply fail to match instead of failing the call. */
static const char deny_re[] =
    "(?i)(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|"
    "passwd|secret|token)(?:_|$)";
static const char allow_re[] = "(?i)(?:_|^)(?:public|file|version)(?:_|$)";

static pcre2_code *deny_code, *allow_code;
static pthread_once_t compile_once = PTHREAD_ONCE_INIT;

static pcre2_code *compile(const char *re)
{
  int errcode;
  PCRE2_SIZE erroff;
  return pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED,
                       PCRE2_UTF | PCRE2_UCP | PCRE2_DOLLAR_ENDONLY |
                           PCRE2_MATCH_INVALID_UTF,
                       &errcode, &erroff, NULL);
}

static void compile_all(void)
{
  deny_code = compile(deny_re);
  allow_code = compile(allow_re);
}

static bool matches(pcre2_code *code, const char *s, size_t len)
{
  if (!code)
    return false;
  pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
  int rc = pcre2_match(code, (PCRE2_SPTR)s, len, 0, 0, md, NULL);
  pcre2_match_data_free(md);
  return rc >= 0;
}

static bool is_secret_name(const char *key, size_t len)
{
  pthread_once(&compile_once, compile_all);
  return matches(deny_code, key, len) && !matches(allow_code, key, len);
}

static void report(dfl_ctx *ctx, const dfl_instr *in, dfl_range range,
                   const char *what, const char *key, size_t len)
{
  if (!is_secret_name(key, len))
    return;
  dfl_buf q;
  dfl_buf_init(&q);
  dfl_go_quote(&q, key, len);
  dfl_emit(ctx, in, range,
           "Do not use ARG or ENV instructions for sensitive data (%s %s)",
           what, dfl_buf_cstr(&q));
  dfl_buf_free(&q);
}

/* dispatchArg checks each key as written, before its default is expanded;
 * a default that fails to expand ends the instruction. */
static void on_arg(dfl_ctx *ctx, const dfl_instr *in, const bkd_arg *a,
                   void *unused)
{
  report(ctx, in, bkd_first_line_range(in, in->args[a->index].range), "ARG",
         a->key, a->key_len);
}

/* dispatchEnv sees the expanded keys, and only when every word of the
 * instruction expanded. */
static void check_env(dfl_ctx *ctx, const dfl_instr *in)
{
  bkd_words w = {0};
  bkd_expand_words(in, &w);
  size_t n = w.n;
  dfl_lex_result *res = dfl_xcalloc(n ? n : 1, sizeof *res);
  size_t done = 0;
  bool ok = true;
  for (; done < n && ok; done++)
    ok = dfl_ctx_expand(ctx, w.items[done].text, w.items[done].len,
                        &res[done]) == 0;
  for (size_t i = 0; ok && i < n; i++)
    if (w.items[i].role == BKD_KEY)
      report(ctx, in, w.items[i].range, "ENV", res[i].result,
             res[i].result_len);
  for (size_t i = 0; i < done; i++)
    dfl_lex_result_free(&res[i]);
  free(res);
  bkd_words_free(&w);
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  if (!dfl_ctx_state(ctx) || in->error)
    return;
  if (in->kind == DFL_INSTR_ARG)
    bkd_arg_walk(ctx, in, on_arg, NULL);
  else if (in->kind == DFL_INSTR_ENV)
    check_env(ctx, in);
}

const dfl_rule dfl_rule_SecretsUsedInArgOrEnv = {
  .id = "SecretsUsedInArgOrEnv",
  .name = "SecretsUsedInArgOrEnv",
  .source = DFL_SOURCE_BUILDKIT,
  .severity = DFL_SEV_WARNING,
  .category = "security",
  .summary = "Sensitive data should not be used in the ARG or ENV commands",
  .url = "https://docs.docker.com/go/dockerfile/rule/"
         "secrets-used-in-arg-or-env/",
  .on_instr = check,
};
