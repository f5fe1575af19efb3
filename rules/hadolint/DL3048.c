/* DL3048 InvalidLabelKey: Docker's label key conventions: lower-case
 * alphanumerics with `.`, `-` (dflint also allows `_` and `/`), starting
 * with a letter and ending with a letter or digit, no `..` or `--`, and not
 * in the namespaces Docker reserves for itself. Tools that group or query
 * labels rely on keys of that shape. */
#include <string.h>

#include "dflint/buf.h"
#include "dflint/rule.h"
#include "hadolint/dlc_common.h"

static bool lower(char c) { return c >= 'a' && c <= 'z'; }
static bool digit(char c) { return c >= '0' && c <= '9'; }

static bool prefixed(const char *k, size_t n, const char *p)
{
  size_t l = strlen(p);
  return n >= l && memcmp(k, p, l) == 0;
}

/* Why key is invalid, or NULL. */
static const char *problem(const char *k, size_t n)
{
  if (n == 0)
    return "it is empty";
  if (prefixed(k, n, "com.docker.") || prefixed(k, n, "io.docker.") ||
      prefixed(k, n, "org.dockerproject."))
    return "its namespace is reserved by Docker";
  if (!lower(k[0]))
    return "it must start with a lower-case letter";
  if (!lower(k[n - 1]) && !digit(k[n - 1]))
    return "it must end with a lower-case letter or a digit";
  for (size_t i = 0; i < n; i++) {
    char c = k[i];
    if (!lower(c) && !digit(c) && c != '.' && c != '-' && c != '_' &&
        c != '/')
      return "it may only hold lower-case letters, digits and . - _ /";
    if (i + 1 < n && (c == '.' || c == '-') && k[i + 1] == c)
      return "it has consecutive separators";
  }
  return NULL;
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  if (in->kind != DFL_INSTR_LABEL)
    return;
  dfl_buf key;
  dfl_buf_init(&key);
  for (size_t i = 0; i < DLC_PAIRS(in); i++) {
    const dfl_arg *a = DLC_KEY(in, i);
    /* A key made with a variable that has no value now is checked as
     * written: `$` is no key character, and such a key is no literal. */
    if (!dlc_word(ctx, a->value, a->len, &key)) {
      dfl_buf_reset(&key);
      dfl_buf_append(&key, a->value, a->len);
    }
    const char *why = problem(key.data ? key.data : "", key.len);
    if (!why)
      continue;
    dfl_emit(ctx, in, a->range, "Invalid label key `%s`: %s",
             dfl_buf_cstr(&key), why);
    break; /* one finding per LABEL, as hadolint */
  }
  dfl_buf_free(&key);
}

const dfl_rule dfl_rule_DL3048 = {
  .id = "DL3048",
  .name = "InvalidLabelKey",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_STYLE,
  .category = "style",
  .summary = "Label keys should follow Docker's key format",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3048",
  .on_instr = check,
};
