/* DL3044 EnvSelfReference: an ENV whose value refers to a variable that
 * another pair of the same ENV defines. Docker expands every value of an
 * ENV before it sets any of them, so `ENV A=1 B=$A` gives B the value A had
 * before the instruction (often nothing), not 1. */
#include <stdbool.h>
#include <string.h>

#include "dflint/rule.h"
#include "hadolint/dlb_common.h"

static bool name_char(char c)
{
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9');
}

/* The variable references of a raw ENV value: $NAME and ${NAME...}
 * outside single quotes and not escaped. Calls fn(name, len); stops when
 * it returns true. */
static bool each_ref(const char *v, size_t n, char esc,
                     bool (*fn)(const char *, size_t, void *), void *arg)
{
  bool sq = false, dq = false;
  for (size_t i = 0; i < n; i++) {
    char c = v[i];
    if (sq) {
      if (c == '\'')
        sq = false;
      continue;
    }
    if (c == esc) {
      i++;
      continue;
    }
    if (c == '\'' && !dq) {
      sq = true;
      continue;
    }
    if (c == '"') {
      dq = !dq;
      continue;
    }
    if (c != '$' || i + 1 >= n)
      continue;
    size_t s = i + 1 + (v[i + 1] == '{');
    size_t e = s;
    while (e < n && name_char(v[e]))
      e++;
    if (e > s && !(v[s] >= '0' && v[s] <= '9') && fn(v + s, e - s, arg))
      return true;
  }
  return false;
}

typedef struct query {
  dfl_ctx *ctx;
  const dfl_instr *in;
  size_t j; /* the pair whose value is scanned */
  const char *name; /* out: the name that is a problem */
  size_t name_len;
} query;

static bool problem(const char *name, size_t len, void *arg)
{
  query *q = arg;
  const dfl_instr *in = q->in;
  bool before = false, after = false;
  for (size_t i = 0; i + 1 < in->nargs; i += 3) {
    if (i / 3 == q->j || in->args[i].len != len ||
        memcmp(in->args[i].value, name, len) != 0)
      continue;
    if (i / 3 < q->j)
      before = true;
    else
      after = true;
  }
  /* A pair that sets the variable again from itself after an earlier pair
   * set it (`PATH=/a:$PATH PATH=/b:$PATH`) loses that earlier value for
   * good. Otherwise, as hadolint judges, a variable that already had a
   * value before the ENV is fine: `ARG V` / `ENV V=$V URL=/x/$V` is the
   * common promotion of an ARG and means the same value. */
  const dfl_arg *key = &in->args[q->j * 3];
  bool self = key->len == len && memcmp(key->value, name, len) == 0;
  if ((before && self) ||
      ((before || after) && !dlb_var_known(q->ctx, in, name, len))) {
    q->name = name;
    q->name_len = len;
    return true;
  }
  return false;
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  if (in->kind != DFL_INSTR_ENV || in->nargs < 6)
    return;
  char esc = dfl_ctx_file(ctx)->escape;
  for (size_t a = 0; a + 1 < in->nargs; a += 3) {
    query q = {ctx, in, a / 3, NULL, 0};
    const dfl_arg *val = &in->args[a + 1];
    if (!each_ref(val->value, val->len, esc, problem, &q))
      continue;
    dfl_emit(ctx, in, val->range,
             "%.*s refers to $%.*s, which this same ENV sets: the values are "
             "expanded before the ENV takes effect, so it does not see the "
             "new value (set %.*s in an ENV of its own first)",
             (int)in->args[a].len, in->args[a].value, (int)q.name_len, q.name,
             (int)q.name_len, q.name);
    return;
  }
}

const dfl_rule dfl_rule_DL3044 = {
  .id = "DL3044",
  .name = "EnvSelfReference",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_ERROR,
  .category = "correctness",
  .summary = "Do not refer to a variable in the same ENV that defines it",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3044",
  .on_instr = check,
};
