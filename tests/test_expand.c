/* Check suite for parser/expand.c, BuildKit's shell lexer.
 *
 * Part one runs BuildKit's own tables (envVarTest, wordsTest) from
 * ../shared/conformance/buildkit-shell, parsed the way lex_test.go parses
 * them. Part two is self-contained: every modifier, quoting and escaping
 * mode, the lexer options, bookkeeping and the pathological inputs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dflint/buf.h"
#include "dflint/expand.h"
#include "dflint/utf8.h"
#include "testutil.h"

/* ---- helpers ------------------------------------------------------------- */

enum {
  RAWQ = 1,   /* raw_quotes */
  RAWE = 2,   /* raw_escapes */
  SKIPQ = 4,  /* skip_process_quotes */
  SKIPU = 8,  /* skip_unset_env */
  BTICK = 16, /* escape is '`' */
};

static dfl_lex make_lex(unsigned flags)
{
  dfl_lex lx = {0};
  lx.escape = (flags & BTICK) ? '`' : '\\';
  lx.raw_quotes = flags & RAWQ;
  lx.raw_escapes = flags & RAWE;
  lx.skip_process_quotes = flags & SKIPQ;
  lx.skip_unset_env = flags & SKIPU;
  return lx;
}

/* BuildKit's EnvsFromSlice for one "k=v" item: split at the first '=', no
 * '=' means an empty value, a later key replaces an earlier one. */
static void env_put(dfl_env *env, const char *kv, size_t len)
{
  const char *eq = memchr(kv, '=', len);
  if (eq)
    dfl_env_set(env, kv, (size_t)(eq - kv), eq + 1, len - (size_t)(eq - kv) - 1);
  else
    dfl_env_set(env, kv, len, "", 0);
}

/* "k=v" items separated by ';'. */
static void env_parse(dfl_env *env, const char *spec)
{
  dfl_env_init(env);
  while (spec && *spec) {
    const char *nl = strchr(spec, ';');
    size_t len = nl ? (size_t)(nl - spec) : strlen(spec);
    env_put(env, spec, len);
    spec += len + (nl ? 1 : 0);
  }
}

/* A printable rendering for failure messages (Go %q style). */
static const char *show(const char *s, size_t len)
{
  static char bufs[4][4096];
  static int turn;
  char *b = bufs[turn++ & 3];
  size_t o = 0;
  b[o++] = '"';
  for (size_t i = 0; i < len && o < sizeof bufs[0] - 8; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\')
      o += (size_t)snprintf(b + o, 8, "\\%c", c);
    else if (c < 0x20 || c == 0x7F)
      o += (size_t)snprintf(b + o, 8, "\\x%02x", c);
    else
      b[o++] = (char)c;
  }
  b[o++] = '"';
  b[o] = '\0';
  return b;
}

static int run(unsigned flags, const char *env_spec, const char *in,
               size_t in_len, dfl_lex_result *r)
{
  dfl_lex lx = make_lex(flags);
  dfl_env env;
  env_parse(&env, env_spec);
  int rc = dfl_lex_process(&lx, in, in_len, &env, r);
  dfl_env_free(&env);
  return rc;
}

/* Go's strings.TrimSpace (Unicode white space at both ends). */
static void trim_space(const char **s, size_t *len)
{
  const char *p = *s;
  size_t n = *len, i = 0, end = 0;
  bool seen = false;
  size_t start = n;
  while (i < n) {
    size_t w;
    uint32_t r = dfl_utf8_decode(p + i, n - i, &w);
    if (!dfl_rune_is_space(r)) {
      if (!seen) {
        start = i;
        seen = true;
      }
      end = i + w;
    }
    i += w;
  }
  if (!seen) {
    *s = p + n;
    *len = 0;
    return;
  }
  *s = p + start;
  *len = end - start;
}

static void trim_left_spaces(const char **s, size_t *len)
{
  while (*len && **s == ' ') {
    (*s)++;
    (*len)--;
  }
}

/* bufio.Scanner's ScanLines: split at '\n', drop one trailing '\r'. */
static bool next_line(const char **cur, const char *end, const char **line,
                      size_t *len)
{
  if (*cur >= end)
    return false;
  const char *nl = memchr(*cur, '\n', (size_t)(end - *cur));
  const char *stop = nl ? nl : end;
  *line = *cur;
  *len = (size_t)(stop - *cur);
  if (*len && (*line)[*len - 1] == '\r')
    (*len)--;
  *cur = nl ? nl + 1 : end;
  return true;
}

static size_t split_pipes(const char *s, size_t len, const char **parts,
                          size_t *lens, size_t max)
{
  size_t n = 0;
  const char *start = s;
  for (size_t i = 0; i <= len; i++) {
    if (i == len || s[i] == '|') {
      if (n < max) {
        parts[n] = start;
        lens[n] = (size_t)(s + i - start);
      }
      n++;
      start = s + i + 1;
    }
  }
  return n;
}

/* ---- conformance: envVarTest ---------------------------------------------- */

static const char *const CONF_ENV = "PWD=/home;SHELL=bash;KOREAN=한국어;NULL=";

START_TEST(test_conformance_envvar)
{
  if (!tu_shared_available("conformance/buildkit-shell")) {
    fprintf(stderr, "NOTE: envVarTest skipped; self-contained cases still run\n");
    return;
  }
  size_t flen;
  char *data = tu_read_file(tu_shared_path("conformance/buildkit-shell/envVarTest"), &flen);
  ck_assert_msg(data != NULL, "cannot read envVarTest");
  const char *cur = data, *end = data + flen, *line;
  size_t len;
  int lineno = 0, ran = 0, failed = 0, skipped = 0;
  while (next_line(&cur, end, &line, &len)) {
    lineno++;
    if (len && line[0] == '#')
      continue;
    trim_space(&line, &len);
    if (len == 0)
      continue;
    const char *parts[3];
    size_t lens[3];
    size_t n = split_pipes(line, len, parts, lens, 3);
    if (n != 3) {
      fprintf(stderr, "envVarTest:%d: expected 3 fields, got %zu\n", lineno, n);
      failed++;
      continue;
    }
    for (int i = 0; i < 3; i++)
      trim_space(&parts[i], &lens[i]);
    if (lens[0] != 1 || !strchr("WAU", parts[0][0])) {
      fprintf(stderr, "envVarTest:%d: bad platform tag\n", lineno);
      failed++;
      continue;
    }
    if (parts[0][0] == 'W') { /* Windows-only rows */
      skipped++;
      continue;
    }
    ran++;
    dfl_lex_result r;
    int rc = run(0, CONF_ENV, parts[1], lens[1], &r);
    bool want_err = lens[2] == 5 && memcmp(parts[2], "error", 5) == 0;
    bool ok = want_err ? rc != 0
                       : rc == 0 && r.result_len == lens[2] &&
                             memcmp(r.result, parts[2], lens[2]) == 0;
    if (!ok) {
      failed++;
      fprintf(stderr, "FAIL envVarTest:%d: input %s: want %s, got %s%s\n",
              lineno, show(parts[1], lens[1]), show(parts[2], lens[2]),
              rc ? "error " : "",
              rc ? show(r.error, r.error_len) : show(r.result, r.result_len));
    }
    dfl_lex_result_free(&r);
  }
  free(data);
  fprintf(stderr, "envVarTest: %d Linux rows run, %d failed, %d Windows rows skipped\n",
          ran, failed, skipped);
  ck_assert_int_gt(ran, 0);
  ck_assert_int_eq(failed, 0);
}
END_TEST

/* ---- conformance: wordsTest ----------------------------------------------- */

/* dfl_lex_process hands plain words back without lexing them: that must
 * give exactly what the whole lexer gives, whatever the options. */
static void same_as_full(const dfl_lex *lx, const char *w, size_t len,
                         const dfl_env *env)
{
  dfl_lex_result a, b;
  int ra = dfl_lex_process(lx, w, len, env, &a);
  int rb = dfl_lex_process_full(lx, w, len, env, &b);
  ck_assert_int_eq(ra, rb);
  ck_assert_uint_eq(a.result_len, b.result_len);
  ck_assert(memcmp(a.result, b.result, a.result_len) == 0);
  ck_assert_uint_eq(a.nwords, b.nwords);
  for (size_t i = 0; i < a.nwords; i++) {
    ck_assert_uint_eq(a.word_lens[i], b.word_lens[i]);
    ck_assert(memcmp(a.words[i], b.words[i], a.word_lens[i]) == 0);
  }
  ck_assert_uint_eq(a.matched.n, b.matched.n);
  ck_assert_uint_eq(a.unmatched.n, b.unmatched.n);
  dfl_lex_result_free(&a);
  dfl_lex_result_free(&b);
}

START_TEST(test_plain_word_shortcut)
{
  static const char *const words[] = {
    "", "alpine:3.20", "/usr/local/bin", "--from=build", "a=b", "~/x",
    "{a,b}", "*.txt", "C:\\path", "x`y", "back\\slash", "tab\there",
    "caf\xc3\xa9", "$HOME", "'q'", "\"q\"", "a b", "-", "=", "#x",
  };
  dfl_env env;
  dfl_env_init(&env);
  dfl_env_set(&env, "HOME", 4, "/root", 5);
  for (int esc = 0; esc < 2; esc++)
    for (unsigned opts = 0; opts < 16; opts++) {
      dfl_lex lx = {.escape = esc ? '`' : '\\',
                    .raw_quotes = opts & 1,
                    .raw_escapes = (opts >> 1) & 1,
                    .skip_process_quotes = (opts >> 2) & 1,
                    .skip_unset_env = (opts >> 3) & 1};
      for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        same_as_full(&lx, words[i], strlen(words[i]), &env);
    }
  dfl_env_free(&env);
}
END_TEST

START_TEST(test_conformance_words)
{
  if (!tu_shared_available("conformance/buildkit-shell")) {
    fprintf(stderr, "NOTE: wordsTest skipped; self-contained cases still run\n");
    return;
  }
  size_t flen;
  char *data = tu_read_file(tu_shared_path("conformance/buildkit-shell/wordsTest"), &flen);
  ck_assert_msg(data != NULL, "cannot read wordsTest");
  /* lex_test.go reads the file twice, the second time with RawQuotes and
   * SkipUnsetEnv, but through the same exhausted file handle, so only the
   * plain mode ever runs. */
  dfl_lex lx = make_lex(0);
  dfl_env env;
  dfl_env_init(&env);
  const char *cur = data, *end = data + flen, *line;
  size_t len;
  int lineno = 0, ran = 0, failed = 0;
  while (next_line(&cur, end, &line, &len)) {
    lineno++;
    if (len && line[0] == '#')
      continue;
    if (len >= 4 && memcmp(line, "ENV ", 4) == 0) {
      const char *kv = line + 3;
      size_t kl = len - 3;
      trim_left_spaces(&kv, &kl);
      env_put(&env, kv, kl);
      continue;
    }
    const char *parts[2];
    size_t lens[2];
    size_t n = split_pipes(line, len, parts, lens, 2);
    if (n != 2) {
      fprintf(stderr, "wordsTest:%d: expected exactly one '|'\n", lineno);
      failed++;
      continue;
    }
    trim_space(&parts[0], &lens[0]);
    trim_left_spaces(&parts[1], &lens[1]);
    ran++;
    dfl_lex_result r;
    int rc = dfl_lex_process(&lx, parts[0], lens[0], &env, &r);
    /* expected: the comma-separated list; an error is the one word "error" */
    size_t nexp = 1;
    for (size_t i = 0; i < lens[1]; i++)
      nexp += parts[1][i] == ',';
    bool ok;
    if (rc != 0) {
      ok = lens[1] == 5 && memcmp(parts[1], "error", 5) == 0;
    } else {
      ok = r.nwords == nexp;
      const char *p = parts[1], *pend = parts[1] + lens[1];
      for (size_t i = 0; ok && i < nexp; i++) {
        const char *c = memchr(p, ',', (size_t)(pend - p));
        size_t el = c ? (size_t)(c - p) : (size_t)(pend - p);
        ok = r.word_lens[i] == el && memcmp(r.words[i], p, el) == 0;
        p += el + 1;
      }
    }
    if (!ok) {
      failed++;
      fprintf(stderr, "FAIL wordsTest:%d: input %s: want [%s], got ", lineno,
              show(parts[0], lens[0]), show(parts[1], lens[1]));
      if (rc)
        fprintf(stderr, "error %s\n", show(r.error, r.error_len));
      else {
        for (size_t i = 0; i < r.nwords; i++)
          fprintf(stderr, "%s%s", i ? "," : "[", show(r.words[i], r.word_lens[i]));
        fprintf(stderr, "%s\n", r.nwords ? "]" : "[]");
      }
    }
    dfl_lex_result_free(&r);
  }
  dfl_env_free(&env);
  free(data);
  fprintf(stderr, "wordsTest: %d rows run, %d failed\n", ran, failed);
  ck_assert_int_gt(ran, 0);
  ck_assert_int_eq(failed, 0);
}
END_TEST

/* ---- self-contained cases ------------------------------------------------- */

typedef struct tcase {
  unsigned flags;
  const char *env; /* "k=v;k=v", NULL for an empty environment */
  const char *in;
  const char *want; /* the result; NULL when an error is expected */
  const char *err;  /* the message after `failed to process "<in>": ` */
} tcase;

static const tcase CASES[] = {
  /* plain words, $name forms */
  {0, NULL, "", "", NULL},
  {0, NULL, "abc", "abc", NULL},
  {0, "a=1", "$a", "1", NULL},
  {0, "a=1", "x$a.y", "x1.y", NULL},
  {0, "a_b9=1", "$a_b9-", "1-", NULL},
  {0, NULL, "$", "$", NULL},
  {0, NULL, "a$", "a$", NULL},
  {0, NULL, "$.", "$.", NULL},
  {0, NULL, "$ x", "$ x", NULL},
  {0, "1=one", "$12", "", NULL},
  {0, "12=twelve", "$12x", "twelvex", NULL},
  {0, "@=at", "$@@", "at@", NULL},
  {0, "$=pid", "$$$", "pid$", NULL},
  {0, "é=e", "$é!", "e!", NULL},          /* Unicode letters are name runes */
  {0, "x=X", "$x٣", "", NULL},            /* Arabic-Indic digit continues the name */
  {0, "٣=three", "$٣٣", "", NULL},        /* leading Unicode digits: only digits */
  {0, "٣٣=33", "$٣٣a", "33a", NULL},
  /* ${name} */
  {0, "a=1", "${a}", "1", NULL},
  {0, "a=1", "${a}}", "1}", NULL},
  {0, NULL, "${", NULL, "syntax error: missing '}'"},
  {0, NULL, "${}", NULL, "syntax error: bad substitution"},
  {0, NULL, "${:}", NULL, "syntax error: bad substitution"},
  {0, NULL, "${{a}", NULL, "syntax error: bad substitution"},
  {0, NULL, "${a", NULL, "unsupported modifier (\xEF\xBF\xBD) in substitution"},
  {0, NULL, "${a.}", NULL, "unsupported modifier (.) in substitution"},
  {0, NULL, "${.}", NULL, "unsupported modifier (.) in substitution"},
  {0, NULL, "${a=b}", NULL, "unsupported modifier (=) in substitution"},
  {0, NULL, "${a:=b}", NULL, "unsupported modifier (:=) in substitution"},
  {0, NULL, "${a:x}", NULL, "unsupported modifier (:x) in substitution"},
  {0, NULL, "${a:}", NULL, "syntax error: missing '}'"},
  {0, NULL, "${a:}b}", NULL, "unsupported modifier (:}) in substitution"},
  {0, NULL, "${a:", NULL, "syntax error: missing '}'"},
  {0, NULL, "${a:#x}", NULL, "unsupported modifier (:#) in substitution"},
  {0, NULL, "${a:%x}", NULL, "unsupported modifier (:%) in substitution"},
  {0, NULL, "${a:=b", NULL, "syntax error: missing '}'"},
  {0, NULL, "${a\xff}", NULL, "unsupported modifier (\xEF\xBF\xBD) in substitution"},
  /* - and :- */
  {0, NULL, "${a-d}", "d", NULL},
  {0, "a=", "${a-d}", "", NULL},
  {0, "a=v", "${a-d}", "v", NULL},
  {0, NULL, "${a:-d}", "d", NULL},
  {0, "a=", "${a:-d}", "d", NULL},
  {0, "a=v", "${a:-d}", "v", NULL},
  {0, "b=B", "${a:-x$b${b}y}", "xBBy", NULL},
  {0, NULL, "${a:-'q}'}", "q}", NULL},
  {0, NULL, "${a:-\"$b}\"}", "}", NULL},
  {0, NULL, "${a:-\\}}", "}", NULL},
  {0, NULL, "${a:-x", NULL, "syntax error: missing '}'"},
  {0, NULL, "${a:-'x", NULL, "syntax error: missing '}'"},
  {0, NULL, "${a:-'x}", NULL, "syntax error: missing '}'"},
  {0, NULL, "${a:-${b:?oops}}", NULL, "b: oops"},
  {0, NULL, "${a:-${b:?oops}", NULL, "syntax error: missing '}'"},
  {0, NULL, "${a:-${}}", NULL, "syntax error: bad substitution"},
  /* + and :+ */
  {0, NULL, "${a+w}", "", NULL},
  {0, "a=", "${a+w}", "w", NULL},
  {0, "a=v", "${a+w}", "w", NULL},
  {0, NULL, "${a:+w}", "", NULL},
  {0, "a=", "${a:+w}", "", NULL},
  {0, "a=v", "${a:+w}", "w", NULL},
  /* ? and :? */
  {0, NULL, "${a?}", NULL, "a: is not allowed to be unset"},
  {0, NULL, "${a:?}", NULL, "a: is not allowed to be unset"},
  {0, "a=", "${a:?}", NULL, "a: is not allowed to be empty"},
  {0, "a=", "${a?}", "", NULL},
  {0, "a=v", "${a:?m}", "v", NULL},
  {0, "b=B", "${a?must $b}", NULL, "a: must B"},
  {0, "a=", "${a:?must}", NULL, "a: must"},
  {0, NULL, "${1:?}", NULL, "1: is not allowed to be unset"},
  /* # ## % %% */
  {0, "v=aXbXc", "${v#*X}", "bXc", NULL},
  {0, "v=aXbXc", "${v##*X}", "c", NULL},
  {0, "v=aXbXc", "${v%X*}", "aXb", NULL},
  {0, "v=aXbXc", "${v%%X*}", "a", NULL},
  {0, "v=aXbXc", "${v#b}", "aXbXc", NULL},
  {0, "v=aXbXc", "${v#a?b}", "Xc", NULL},
  {0, "v=aXbXc", "${v%?}", "aXbX", NULL},
  {0, "v=aXbXc", "${v#}", "aXbXc", NULL},
  {0, "v=aXbXc", "${v##}", "aXbXc", NULL},
  {0, "v=abc", "${v%%}", "abc", NULL},
  {0, "v=abc", "${v#*}", "abc", NULL},
  {0, "v=abc", "${v##*}", "", NULL},
  {0, "v=abc", "${v%*}", "abc", NULL},
  {0, "v=abc", "${v%%*}", "", NULL},
  {0, NULL, "${v#x}", "", NULL},
  {0, "v=a.b", "${v#a.}", "b", NULL},
  {0, "v=axb", "${v#a.}", "axb", NULL}, /* '.' is literal */
  {0, "v=a*b", "${v#a\\*}", "b", NULL},
  {0, "v=a?b", "${v#a\\?}", "b", NULL},
  {0, "v=a\\b", "${v#a\\\\}", "b", NULL},
  {0, "v=a}b", "${v#a\\}}", "b", NULL},
  {0, "v=a/b", "${v#a\\/}", "b", NULL},
  {0, "v=a\nb", "${v#a?}", "a\nb", NULL}, /* '?' does not match a newline */
  {0, "v=ab\ncd", "${v%%*}", "ab\n", NULL},
  {0, "v=ab\ncd", "${v##*}", "\ncd", NULL},
  {0, "v=()[]{}^$.|+", "${v#()[]{\\}^$.|+}", "", NULL},
  {0, "v=héllo", "${v#h?}", "llo", NULL},
  {0, "v=héllo", "${v%?o}", "hél", NULL},
  {0, "v=abc", "${v#a\\q}", NULL, "invalid pattern (a\\q) in substitution: invalid escape '\\q'"},
  {0, "v=abc", "${v%a\\q}", NULL, "invalid pattern (\\qa) in substitution: invalid escape '\\q'"},
  {0, NULL, "${v#a\\q}", NULL, "invalid pattern (a\\q) in substitution: invalid escape '\\q'"},
  {0, "v=abc;p=x\\", "${v#$p}", NULL, "invalid pattern (x\\) in substitution: invalid escape '\\\xEF\xBF\xBD'"},
  {0, "v=abc;p=a*", "${v#$p}", "bc", NULL}, /* expanded patterns are globs too */
  {0, "v=aaa", "${v#$p}", "aaa", NULL},
  {0, "v=xxyy", "${v#\"x\"}", "xyy", NULL},
  {0, "v=a\\b", "${v#\"a\\\\\"}", "b", NULL},
  {BTICK, "v=a*b", "${v#a`*}", "a*b", NULL},    /* '`' is no pattern escape */
  {BTICK, "v=a`b", "${v#a`*}", "b", NULL},
  {BTICK, "v=a*b", "${v#a\\*}", "b", NULL},
  /* / and // */
  {0, "v=aXbXc", "${v/X/-}", "a-bXc", NULL},
  {0, "v=aXbXc", "${v//X/-}", "a-b-c", NULL},
  {0, "v=aXbXc", "${v/X*/-}", "a-", NULL},
  {0, "v=aXbXc", "${v/?/-}", "-XbXc", NULL},
  {0, "v=abc", "${v//?/-}", "---", NULL},
  {0, "v=abc", "${v//*/-}", "-", NULL},
  {0, "v=abc", "${v///-}", "-a-b-c-", NULL},     /* empty pattern, replace all */
  {0, "v=abc", "${v/$e/-}", "-abc", NULL},
  {0, "v=abc", "${v/x/-}", "abc", NULL},
  {0, "v=abc", "${v/b/}", "ac", NULL},
  {0, "v=a/b", "${v/\\//_}", "a_b", NULL},
  {0, "v=abc", "${v//b/[$0]}", "a[]c", NULL},       /* the lexer expands $0 */
  {0, "v=abc", "${v//b/[\\$0]}", "a[\\b]c", NULL},  /* ReplaceAllString's $0 */
  {0, "v=abc", "${v//b/[\\${0\\}]}", "a[\\${0\\}]c", NULL}, /* "\\}" breaks ${0} */
  {0, "v=abc", "${v//b/[\\$1]}", "a[\\]c", NULL},
  {0, "v=abc", "${v//b/\\$\\$}", "a\\$\\$c", NULL},
  {0, "v=abc", "${v//b/\\${x}", "a\\${xc", NULL},
  {0, "v=abc", "${v//b/\\$}", "a\\$c", NULL},
  {0, "v=abc", "${v//b/\\$\\{}", "a\\$\\{c", NULL},
  {0, "v=abc", "${v/b/\\$0}", "a\\$0c", NULL},      /* the single form is literal */
  {0, "v=abc;r=<$0>", "${v//b/$r}", "a<b>c", NULL},
  {0, "v=abc;r=<${0}>", "${v//b/$r}", "a<b>c", NULL},
  {0, "v=abc;r=<$$>", "${v//b/$r}", "a<$>c", NULL},    /* "$$" is '$' */
  {0, "v=abc;r=<$$$0$>", "${v//b/$r}", "a<$b$>c", NULL},
  {0, "v=abc;r=<$x_1.$1$00>", "${v//b/$r}", "a<.>c", NULL},
  {0, "v=abc;r=<${x}${0>", "${v//b/$r}", "a<${0>c", NULL},
  {0, "v=abc;r=<${}$.>", "${v//b/$r}", "a<${}$.>c", NULL},
  {0, "v=abc;r=$00", "${v//b/$r}", "ac", NULL},
  {0, "v=abc;r=${0", "${v//b/$r}", "a${0c", NULL},
  {0, "v=abc", "${v//x*/-}", "abc", NULL},
  {0, "v=abab", "${v//a*b/-}", "-", NULL},
  {0, "v=aXb", "${v//?/$v}", "aXbaXbaXb", NULL},
  {0, "v=ab", "${v//$e/-}", "-a-b-", NULL},
  {0, "v=abc", "${v/", NULL, "syntax error: missing '/' in ${}"},
  {0, "v=abc", "${v//b}", NULL, "syntax error: missing '/' in ${}"},
  {0, "v=abc", "${v/b/c", NULL, "syntax error: missing '}'"},
  {0, "v=abc", "${v/a\\q/c}", NULL, "invalid pattern (a\\q) in substitution: invalid escape '\\q'"},
  {0, "v=abc", "${v/'/'/c}", "abc", NULL},
  {0, "v=a/b", "${v/'/'/c}", "acb", NULL},
  /* quotes */
  {0, NULL, "'a b'", "a b", NULL},
  {0, "a=1", "'$a'", "$a", NULL},
  {0, "a=1", "\"$a\"", "1", NULL},
  {0, NULL, "'a", NULL, "unexpected end of statement while looking for matching single-quote"},
  {0, NULL, "\"a", NULL, "unexpected end of statement while looking for matching double-quote"},
  {0, NULL, "\"a\\", NULL, "unexpected end of statement while looking for matching double-quote"},
  {0, NULL, "\"a\\\"b\"", "a\"b", NULL},
  {0, NULL, "\"a\\$b\"", "a$b", NULL},
  {0, NULL, "\"a\\\\b\"", "a\\b", NULL},
  {0, NULL, "\"a\\nb\"", "a\\nb", NULL},
  {0, NULL, "\"a`\"b\"", NULL, "unexpected end of statement while looking for matching double-quote"},
  {0, NULL, "\"a`b\"", "a`b", NULL},
  {0, NULL, "a\\", "a", NULL},
  {0, NULL, "\\a\\ b", "a b", NULL},
  {0, "a=1", "\\$a", "$a", NULL},
  {RAWQ, NULL, "'a'\"b\"", "'a'\"b\"", NULL},
  {RAWQ, "a=1", "\"$a\"", "\"1\"", NULL},
  {RAWQ, NULL, "'a", NULL, "unexpected end of statement while looking for matching single-quote"},
  {SKIPQ, "a=1", "'$a'", "'1'", NULL},
  {SKIPQ, NULL, "\"a b", "\"a b", NULL},
  {SKIPQ, NULL, "\\'", "'", NULL},
  {SKIPQ | RAWQ, "a=1", "\"$a\"", "\"1\"", NULL},
  /* escapes */
  {RAWE, NULL, "a\\ b", "a\\ b", NULL},
  {RAWE, NULL, "a\\", "a\\", NULL},
  {RAWE, NULL, "\"a\\\"b\"", "a\\\"b", NULL},
  {RAWE, NULL, "\"a\\", NULL, "unexpected end of statement while looking for matching double-quote"},
  {RAWE, "a=1", "\\$a", "\\$a", NULL},
  {RAWE, NULL, "\"a\\nb\"", "a\\\\nb", NULL},      /* a kept escape is written twice */
  {RAWE, NULL, "\"a\\$b\"", "a\\$b", NULL},
  {RAWE, "a=1", "${x:-\\$a}", "$a", NULL},       /* ${v:-w} turns raw escapes off */
  {0, "v=a$b", "${v#a\\$}", NULL, "invalid pattern (a\\$) in substitution: invalid escape '\\$'"},
  {BTICK, NULL, "a`b", "ab", NULL},
  {BTICK, NULL, "a\\b", "a\\b", NULL},
  {BTICK, NULL, "\"a`\"b\"", "a\"b", NULL},
  {BTICK, NULL, "\"a``b\"", "a`b", NULL},
  {BTICK, NULL, "\"a\\\"", "a\\", NULL},
  {BTICK, "a=1", "`$a", "$a", NULL},
  {BTICK | RAWE, NULL, "a`b", "a`b", NULL},
  /* SkipUnsetEnv */
  {SKIPU, NULL, "$a", "$a", NULL},
  {SKIPU, "a=", "$a", "", NULL},
  {SKIPU, NULL, "${a}", "${a}", NULL},
  {SKIPU, NULL, "${a:-d}", "${a:-d}", NULL},
  {SKIPU, NULL, "${a-d}", "${a-d}", NULL},
  {SKIPU, NULL, "${a:+d}", "${a:+d}", NULL},
  {SKIPU, NULL, "${a?d}", "${a?d}", NULL},
  {SKIPU, NULL, "${a:=d}", "${a:=d}", NULL},     /* reported before the modifier check */
  {SKIPU, NULL, "${a#\\*}", "${a#\\*}", NULL},
  {SKIPU, NULL, "${a%%x}", "${a%%x}", NULL},
  {SKIPU, NULL, "${a//x/y}", "${a/x/y}", NULL},  /* one '/' is lost */
  {SKIPU, NULL, "${a/x/y}", "${a/x/y}", NULL},
  {SKIPU, "b=B", "${a:-$b$c}", "${a:-B$c}", NULL},
  {SKIPU, "a=", "${a:-d}", "d", NULL},
  {SKIPU, NULL, "${a:#x}", NULL, "unsupported modifier (:#) in substitution"},
  {SKIPU, NULL, "${a.}", NULL, "unsupported modifier (.) in substitution"},
  {SKIPU | RAWQ, NULL, "'$a' \"$a\"", "'$a' \"$a\"", NULL},
  /* invalid UTF-8 and BOM */
  {0, NULL, "a\xff" "b", "a\xEF\xBF\xBD" "b", NULL},
  {0, NULL, "'\xc3'", "\xEF\xBF\xBD", NULL},
  {0, "v=a\xff", "$v", "a\xff", NULL},           /* values pass through */
  {0, "v=a\xff" "b", "${v#a}", "\xff" "b", NULL},
  {0, "v=a\xff" "b", "${v%b}", "a\xEF\xBF\xBD", NULL}, /* reversed as runes */
  {0, "v=a\xff" "b", "${v#a?}", "b", NULL},
  {0, "v=a\xff" "b", "${v#a\xff}", "b", NULL},   /* U+FFFD matches a bad byte */
  {0, "v=a\xff" "b", "${v//?/.}", "...", NULL},
  {0, NULL, "\xEF\xBB\xBF" "a", "a", NULL},      /* leading BOM dropped */
  {0, NULL, "a\xEF\xBB\xBF", "a\xEF\xBB\xBF", NULL},
  {0, "v=abc", "${v#\\\xEF\xBB\xBF}", NULL, "invalid pattern (\\\xEF\xBB\xBF) in substitution: invalid escape '\\\xEF\xBB\xBF'"},
  {0, "v=abc;p=\xEF\xBB\xBF" "a", "${v#$p}", "bc", NULL}, /* pattern BOM dropped */
  {0, NULL, "${a\xEF\xBB\xBF}", NULL, "unsupported modifier (\xEF\xBB\xBF) in substitution"},
  {0, NULL, "\"\xff", NULL, "unexpected end of statement while looking for matching double-quote"},
  {0, NULL, "\xEF\xBB\xBF'", NULL, "unexpected end of statement while looking for matching single-quote"},
};

static void check_case(size_t i)
{
  const tcase *c = &CASES[i];
  dfl_lex_result r;
  int rc = run(c->flags, c->env, c->in, strlen(c->in), &r);
  if (c->want) {
    ck_assert_msg(rc == 0, "case %zu %s: unexpected error %s", i,
                  show(c->in, strlen(c->in)), show(r.error, r.error_len));
    ck_assert_msg(r.result_len == strlen(c->want) &&
                      memcmp(r.result, c->want, r.result_len) == 0,
                  "case %zu %s: want %s, got %s", i, show(c->in, strlen(c->in)),
                  show(c->want, strlen(c->want)), show(r.result, r.result_len));
    ck_assert_ptr_null(r.error);
  } else {
    dfl_buf want;
    dfl_buf_init(&want);
    dfl_buf_puts(&want, "failed to process ");
    /* the inputs with bytes that need escaping check the quoting separately */
    bool plain = true;
    for (const char *p = c->in; *p; p++)
      plain &= (unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7F;
    ck_assert_msg(rc != 0, "case %zu %s: want error %s, got %s", i,
                  show(c->in, strlen(c->in)), c->err, show(r.result, r.result_len));
    ck_assert_uint_eq(r.result_len, 0);
    ck_assert_str_eq(r.result, "");
    ck_assert_uint_eq(r.nwords, 0);
    if (plain) {
      dfl_buf_putc(&want, '"');
      for (const char *p = c->in; *p; p++) {
        if (*p == '"' || *p == '\\')
          dfl_buf_putc(&want, '\\');
        dfl_buf_putc(&want, *p);
      }
      dfl_buf_append(&want, "\": ", 3);
      dfl_buf_puts(&want, c->err);
      ck_assert_msg(r.error_len == want.len && memcmp(r.error, want.data, want.len) == 0,
                    "case %zu %s: want %s, got %s", i, show(c->in, strlen(c->in)),
                    show(want.data, want.len), show(r.error, r.error_len));
    } else {
      size_t el = strlen(c->err);
      ck_assert_msg(r.error_len >= el && memcmp(r.error + r.error_len - el, c->err, el) == 0 &&
                        memcmp(r.error, "failed to process \"", 19) == 0,
                    "case %zu %s: want ...%s, got %s", i, show(c->in, strlen(c->in)),
                    show(c->err, el), show(r.error, r.error_len));
    }
    dfl_buf_free(&want);
  }
  dfl_lex_result_free(&r);
}

START_TEST(test_cases)
{
  check_case((size_t)_i);
}
END_TEST

/* ---- words ---------------------------------------------------------------- */

typedef struct wcase {
  unsigned flags;
  const char *env;
  const char *in;
  const char *want; /* words joined with '|'; "" for none */
} wcase;

static const wcase WCASES[] = {
  {0, NULL, "", ""},
  {0, NULL, "   ", ""},
  {0, NULL, " a  b ", "a|b"},
  {0, NULL, "a\tb\nc", "a|b|c"},
  {0, NULL, "a\xC2\xA0" "b", "a|b"},               /* U+00A0 is Go white space */
  {0, NULL, "a\xE3\x80\x80" "b", "a|b"},           /* U+3000 too */
  {0, NULL, "'a b' c", "a b|c"},
  {0, NULL, "\"\" a", "a"},                        /* empty quotes make no word */
  {0, NULL, "a\\ b", "a b"},
  {0, "v=1 2", "$v", "1|2"},
  {0, "v=1 2", "\"$v\"", "1 2"},
  {0, "v=1 2", "x$v", "x1|2"},
  {0, "v= 1 ", "x${v}y", "x|1|y"},
  {0, "v=1 2", "x${v}y", "x1|2y"},
  {0, "v=a\xff", "$v", "a\xEF\xBF\xBD"},          /* words re-encode values */
  {0, NULL, "a\xff", "a\xEF\xBF\xBD"},
  /* BuildKit's lexer shares one words buffer with the nested lexers of
   * ${v:-...} and ${v/p/r}, and they clear it: the part of the word before
   * such an expansion is lost from the split (not from the result). */
  {0, NULL, "a${x:-b}c", "bc"},
  {0, NULL, "a ${x:-b}c", "a|bc"},
  {0, NULL, "a\"${x:-b}\"c", "bc"},
  {0, NULL, "a${x-}", ""},
  {0, "x=X", "ab${x/X/Y}", "Y"},
  {0, "x=X", "ab${x}", "abX"},
  {RAWQ | RAWE, NULL, "RUN cat <<EOF", "RUN|cat|<<EOF"},
  {RAWQ | RAWE, NULL, "a \"b c\" 'd e' f\\ g", "a|\"b c\"|'d e'|f\\ g"},
  {RAWQ | RAWE, NULL, "<<EOF${x:-}", ""},
  {SKIPQ, NULL, "'a b'", "'a|b'"},
};

START_TEST(test_words)
{
  const wcase *c = &WCASES[_i];
  dfl_lex_result r;
  int rc = run(c->flags, c->env, c->in, strlen(c->in), &r);
  ck_assert_msg(rc == 0, "words %d: error %s", _i, show(r.error, r.error_len));
  dfl_buf got;
  dfl_buf_init(&got);
  dfl_buf_puts(&got, "");
  for (size_t i = 0; i < r.nwords; i++) {
    if (i)
      dfl_buf_putc(&got, '|');
    dfl_buf_append(&got, r.words[i], r.word_lens[i]);
    ck_assert_uint_eq(strlen(r.words[i]), r.word_lens[i]);
  }
  ck_assert_msg(strcmp(got.data, c->want) == 0, "words %d %s: want %s, got %s", _i,
                show(c->in, strlen(c->in)), show(c->want, strlen(c->want)),
                show(got.data, got.len));
  dfl_buf_free(&got);
  dfl_lex_result_free(&r);
}
END_TEST

/* ---- BuildKit's lex_test.go unit cases ------------------------------------- */

/* TestProcessWithMatches, TestShellParserMandatoryEnvVars and
 * TestProcessWithMatchesPlatform, with matched/unmatched in lookup order
 * (Go keeps them in maps; the names are the same). */
static const struct ucase {
  const char *env, *in, *want; /* want NULL: an error */
  const char *matched, *unmatched;
} UPSTREAM[] = {
  {"DUMMY=dummy", "x", "x", "", ""},
  {"DUMMY=dummy", "x ${UNUSED}", "x ", "", "UNUSED"},
  {"FOO=y", "x ${FOO}", "x y", "FOO", ""},
  {"FOO=xxx;BAR=", "${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}", "xxx  ccc", "FOO,BAR", "BAZ"},
  {"FOO=xxx;BAR=", "${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}", "xxx bbb ccc", "FOO,BAR", "BAZ"},
  {"FOO=xxx;BAR=", "${FOO:-}", "xxx", "FOO", ""},
  {NULL, "${FOO:-}", "", "", "FOO"},
  {"FOO=xxx;BAR=", "${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}", "aaa bbb ", "FOO,BAR", "BAZ"},
  {"FOO=xxx;BAR=", "${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}", "aaa  ", "FOO,BAR", "BAZ"},
  {"FOO=xxx;BAR=", "${FOO?aaa}", "xxx", "FOO", ""},
  {"FOO=xxx;BAR=", "${BAR?bbb}", "", "BAR", ""},
  {"FOO=xxx;BAR=", "${BAZ?ccc}", NULL, "", "BAZ"},
  {"FOO=xxx;BAR=", "${FOO:?aaa}", "xxx", "FOO", ""},
  {"FOO=xxx;BAR=", "${BAR:?bbb}", NULL, "BAR", ""},
  {"FOO=xxx;BAR=", "${BAZ:?ccc}", NULL, "", "BAZ"},
  {"FOO=xxx;BAR=", "${BAZ:?}", NULL, "", "BAZ"},
  {"FOO=xxx;BAR=", "${FOO=aaa}", NULL, "", ""}, /* rejected before lookup */
  {"FOO=xxx;BAR=", "${FOO=:aaa}", NULL, "", ""},
  {NULL, "${FOO=}", NULL, "", ""},
  {"FOO=()[]{}^$.*?|\\x", "${FOO#()[]{\\}^$.\\*\\?|\\\\}", "x", "FOO", ""},
  {"FOO=xx**", "${FOO%%\\**}", "xx", "FOO", ""},
  {"FOO=xxyy", "${FOO#*x*y}", "y", "FOO", ""},
  {"FOO=xxyy", "${FOO#*}", "xxyy", "FOO", ""},
  {"FOO=xxyy;BAR=x", "${FOO#$BAR}", "xyy", "BAR,FOO", ""},
  {"FOO=xxyy;BAR=", "${FOO#$BAR}", "xxyy", "BAR,FOO", ""},
  {"FOO=xxyy", "${FOO#}", "xxyy", "FOO", ""},
  {"FOO=xxyy", "${FOO##*x}", "yy", "FOO", ""},
  {"FOO=xxyy", "${FOO##}", "xxyy", "FOO", ""},
  {"FOO=???y", "${FOO#?\\?}", "?y", "FOO", ""},
  {"FOO=xxyy", "${ABC:-.}${FOO%x}${ABC:-.}", ".xxyy.", "FOO", "ABC"},
  {"FOO=a***yy*", "${FOO%%\\**\\*}", "a", "FOO", ""},
  {"FOO=xxyy", "${FOO%}", "xxyy", "FOO", ""},
  {"FOO=xxyy;BAR=", "${FOO%%$BAR}", "xxyy", "BAR,FOO", ""},
  {NULL, "${FOO:#}", NULL, "", ""},
  {NULL, "${FOO:##}", NULL, "", ""},
  {NULL, "${FOO:%}", NULL, "", ""},
  {NULL, "${FOO:%%}", NULL, "", ""},
  {"FOO=/foo*/*/*.txt;NEEDLE=\\*/", "${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}",
   "/foo.*/*.txt - /foo..*.txt", "NEEDLE,FOO", ""},
  {"FOO=/tmp/tmp/bar.txt;NEEDLE=/tmp", "${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}",
   "/tmp/bar.txt - /bar.txt", "NEEDLE,FOO", ""},
  {"FOO=/a/foo/b/c.txt;NEEDLE=/?/;REPLACEMENT=/",
   "${FOO/$NEEDLE/$REPLACEMENT} - ${FOO//$NEEDLE/$REPLACEMENT}",
   "/foo/b/c.txt - /foo/c.txt", "NEEDLE,REPLACEMENT,FOO", ""},
  {"FOO=http://google.de;NEEDLE=http://;REPLACEMENT=https://",
   "${FOO/$NEEDLE/$REPLACEMENT}", "https://google.de", "NEEDLE,REPLACEMENT,FOO", ""},
  {"FOO=/tmp/foo.txt", "${FOO//\\//\\/}", "\\/tmp\\/foo.txt", "FOO", ""},
  {"FOO=xxyy;BAR=", "${FOO/$BAR/ww}", "wwxxyy", "BAR,FOO", ""},
  {"FOO=xxyy", "${FOO//ww}", NULL, "", ""},
  {"FOO=xxyy", "${FOO//}", NULL, "", ""},
  {"FOO=xxyy", "${FOO///}", "xxyy", "FOO", ""},
  {NULL, "${FOO///}", "", "", "FOO"},
  /* mandatory variables */
  {"VAR=plain;ARG=x", "${VAR:?message here$ARG}", "plain", "ARG,VAR", ""},
  {"VAR=;ARG=x", "${VAR:?message here$ARG}", NULL, "ARG,VAR", ""},
  {"ARG=x", "${VAR:?message here$ARG}", NULL, "ARG", "VAR"},
  {"VAR=plain;ARG=x", "${VAR?message here$ARG}", "plain", "ARG,VAR", ""},
  {"VAR=;ARG=x", "${VAR?message here$ARG}", "", "ARG,VAR", ""},
  {"ARG=x", "${VAR?message here$ARG}", NULL, "ARG", "VAR"},
  /* release file names */
  {"VERSION=v1.2.3;TARGETOS=linux;TARGETARCH=arm;TARGETVARIANT=v7",
   "something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz",
   "something-v1.2.3.linux-arm-v7.tar.gz",
   "VERSION,TARGETOS,TARGETARCH,TARGETVARIANT", ""},
  {"VERSION=v1.2.3;TARGETOS=linux;TARGETARCH=arm64;TARGETVARIANT=",
   "something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz",
   "something-v1.2.3.linux-arm64.tar.gz",
   "VERSION,TARGETOS,TARGETARCH,TARGETVARIANT", ""},
  {"VERSION=v1.2.3;TARGETOS=linux;TARGETARCH=arm64",
   "something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz",
   "something-v1.2.3.linux-arm64.tar.gz", "VERSION,TARGETOS,TARGETARCH", "TARGETVARIANT"},
};

static void assert_names(const dfl_namelist *l, const char *joined);

START_TEST(test_upstream)
{
  const struct ucase *c = &UPSTREAM[_i];
  dfl_lex_result r;
  int rc = run(0, c->env, c->in, strlen(c->in), &r);
  if (c->want) {
    ck_assert_msg(rc == 0, "upstream %d %s: error %s", _i, c->in, show(r.error, r.error_len));
    ck_assert_msg(strcmp(r.result, c->want) == 0, "upstream %d %s: want %s got %s", _i,
                  c->in, c->want, r.result);
  } else {
    ck_assert_msg(rc != 0, "upstream %d %s: want an error, got %s", _i, c->in, r.result);
    if (strstr(c->in, "message here"))
      ck_assert_ptr_nonnull(strstr(r.error, "VAR: message herex"));
  }
  assert_names(&r.matched, c->matched);
  assert_names(&r.unmatched, c->unmatched);
  dfl_lex_result_free(&r);
}
END_TEST

/* ---- matched / unmatched -------------------------------------------------- */

static void assert_names(const dfl_namelist *l, const char *joined)
{
  dfl_buf b;
  dfl_buf_init(&b);
  dfl_buf_puts(&b, "");
  for (size_t i = 0; i < l->n; i++) {
    if (i)
      dfl_buf_putc(&b, ',');
    dfl_buf_puts(&b, l->names[i]);
  }
  ck_assert_str_eq(b.data, joined);
  dfl_buf_free(&b);
}

START_TEST(test_matches)
{
  static const struct {
    unsigned flags;
    const char *env, *in, *matched, *unmatched;
    bool err;
  } M[] = {
    {0, "DUMMY=d", "x", "", "", false},
    {0, "DUMMY=d", "x ${UNUSED}", "", "UNUSED", false},
    {0, "FOO=xxx;BAR=", "${FOO-a} ${BAR-b} ${BAZ-c} $FOO $BAZ", "FOO,BAR", "BAZ", false},
    {0, "FOO=x", "${BAZ:-${FOO}} ${A/$B/$C} $1 ${@}", "FOO", "BAZ,B,C,A,1,@", false},
    {0, NULL, "${BAZ?x}", "", "BAZ", true},
    {0, NULL, "${A:-${B:?x}}", "", "B", true},
    {0, NULL, "$A${B", "", "A", true},           /* B never looked up */
    {SKIPU, NULL, "$A ${B} ${C:-x}", "", "A,B,C", false},
    {0, "b=1", "$B $b", "b", "B", false},        /* case-sensitive */
    {0, NULL, "${+x}", "", "", false},           /* the empty name */
  };
  for (size_t i = 0; i < sizeof M / sizeof M[0]; i++) {
    dfl_lex_result r;
    int rc = run(M[i].flags, M[i].env, M[i].in, strlen(M[i].in), &r);
    ck_assert_msg((rc != 0) == M[i].err, "matches case %zu", i);
    assert_names(&r.matched, M[i].matched);
    if (i == 9) {
      ck_assert_uint_eq(r.unmatched.n, 1);
      ck_assert_str_eq(r.unmatched.names[0], "");
    } else {
      assert_names(&r.unmatched, M[i].unmatched);
    }
    dfl_lex_result_free(&r);
  }
}
END_TEST

/* ---- bytes that C strings cannot carry, Go quoting -------------------------- */

START_TEST(test_nul_bytes)
{
  dfl_lex lx = make_lex(0);
  dfl_env env;
  dfl_env_init(&env);
  dfl_env_set(&env, "v", 1, "a\0b", 3);
  dfl_lex_result r;

  static const char in1[] = "x\0y$v";
  ck_assert_int_eq(dfl_lex_process(&lx, in1, sizeof in1 - 1, &env, &r), 0);
  ck_assert_uint_eq(r.result_len, 6);
  ck_assert(memcmp(r.result, "x\0ya\0b", 6) == 0);
  ck_assert_uint_eq(r.nwords, 1);
  ck_assert_uint_eq(r.word_lens[0], 6);
  dfl_lex_result_free(&r);

  /* a NUL is a valid modifier rune, and it reaches the message raw */
  static const char in2[] = "${v\0}";
  ck_assert_int_eq(dfl_lex_process(&lx, in2, sizeof in2 - 1, &env, &r), -1);
  static const char want2[] = "failed to process \"${v\\x00}\": unsupported modifier (\0) in substitution";
  ck_assert_uint_eq(r.error_len, sizeof want2 - 1);
  ck_assert(memcmp(r.error, want2, sizeof want2 - 1) == 0);
  dfl_lex_result_free(&r);

  static const char in3[] = "${v#a\0}";
  ck_assert_int_eq(dfl_lex_process(&lx, in3, sizeof in3 - 1, &env, &r), 0);
  ck_assert_uint_eq(r.result_len, 1);
  ck_assert(memcmp(r.result, "b", 1) == 0);
  dfl_lex_result_free(&r);
  dfl_env_free(&env);
}
END_TEST

START_TEST(test_error_quoting)
{
  static const struct {
    const char *in, *quoted;
  } Q[] = {
    {"'\t\n\r\a\b\f\v\x01\x7f", "\"'\\t\\n\\r\\a\\b\\f\\v\\x01\\x7f\""},
    {"'\xff\xc3", "\"'\\xff\\xc3\""},
    {"'한\xEF\xBF\xBD", "\"'한\xEF\xBF\xBD\""},
    {"'\xC2\xA0\xE2\x80\x8B", "\"'\\u00a0\\u200b\""},
    {"'\xF3\xA0\x80\x81", "\"'\\U000e0001\""},
    {"'\"\\", "\"'\\\"\\\\\""},
    {"\xEF\xBB\xBF'", "\"\\ufeff'\""},
  };
  for (size_t i = 0; i < sizeof Q / sizeof Q[0]; i++) {
    dfl_lex_result r;
    ck_assert_int_eq(run(0, NULL, Q[i].in, strlen(Q[i].in), &r), -1);
    dfl_buf want;
    dfl_buf_init(&want);
    dfl_buf_puts(&want, "failed to process ");
    dfl_buf_puts(&want, Q[i].quoted);
    dfl_buf_puts(&want, ": unexpected end of statement while looking for matching single-quote");
    ck_assert_msg(r.error_len == want.len && memcmp(r.error, want.data, want.len) == 0,
                  "quote %zu: want %s got %s", i, show(want.data, want.len),
                  show(r.error, r.error_len));
    dfl_buf_free(&want);
    dfl_lex_result_free(&r);
  }
}
END_TEST

/* ---- environment ---------------------------------------------------------- */

START_TEST(test_env)
{
  dfl_env env;
  dfl_env_init(&env);
  ck_assert_ptr_null(dfl_env_get(&env, "a", 1));
  dfl_env_set(&env, "a", 1, "1", 1);
  dfl_env_set(&env, "b", 1, "2", 1);
  dfl_env_set(&env, "a", 1, "3", 1);
  ck_assert_uint_eq(env.n, 2);
  ck_assert_str_eq(env.items[0].key, "a"); /* replaced in place */
  ck_assert_str_eq(env.items[0].value, "3");
  ck_assert_ptr_null(dfl_env_get(&env, "A", 1));
  ck_assert_ptr_null(dfl_env_get(&env, "ab", 2));
  dfl_env copy;
  dfl_env_copy(&copy, &env);
  dfl_env_set(&env, "a", 1, "4", 1);
  ck_assert_str_eq(dfl_env_get(&copy, "a", 1)->value, "3");
  dfl_env_free(&copy);
  dfl_env_free(&env);

  /* a NULL environment has nothing set */
  dfl_lex lx = make_lex(0);
  dfl_lex_result r;
  ck_assert_int_eq(dfl_lex_process(&lx, "${a:-d}$b", 9, NULL, &r), 0);
  ck_assert_str_eq(r.result, "d");
  assert_names(&r.unmatched, "a,b");
  dfl_lex_result_free(&r);

  dfl_namelist l = {0};
  dfl_namelist_add(&l, "x", 1);
  dfl_namelist_add(&l, "y", 1);
  dfl_namelist_add(&l, "x", 1);
  ck_assert_uint_eq(l.n, 2);
  ck_assert(dfl_namelist_has(&l, "y", 1));
  ck_assert(!dfl_namelist_has(&l, "z", 1));
  dfl_namelist_free(&l);
}
END_TEST

/* ---- size and depth ------------------------------------------------------- */

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

START_TEST(test_long_input)
{
  const size_t n = 1 << 20;
  char *in = malloc(n + 1);
  /* words, quotes, escapes and many distinct variable names */
  size_t o = 0;
  unsigned k = 0;
  while (o + 64 < n) {
    o += (size_t)snprintf(in + o, 64, "ab \"c d\" \\e $v%u ${w%u:-x} ", k, k);
    k++;
  }
  in[o] = '\0';
  dfl_env env;
  dfl_env_init(&env);
  dfl_env_set(&env, "v0", 2, "zero", 4);
  dfl_lex lx = make_lex(0);
  dfl_lex_result r;
  double t0 = now();
  ck_assert_int_eq(dfl_lex_process(&lx, in, o, &env, &r), 0);
  double dt = now() - t0;
  ck_assert_uint_eq(r.matched.n, 1);
  ck_assert_uint_eq(r.unmatched.n, 2 * k - 1);
  ck_assert_uint_gt(r.nwords, 3 * (size_t)k);
  fprintf(stderr, "1 MiB word with %u references: %.3f s\n", k, dt);
  ck_assert_msg(dt < tu_time_limit(20.0), "1 MiB took %.1f s: not linear", dt);
  dfl_lex_result_free(&r);

  /* a long value through the pattern matcher */
  memset(in, 'a', n);
  dfl_env_set(&env, "big", 3, in, n);
  t0 = now();
  static const char *const pats[] = {"${big%%*a}", "${big##*a}", "${big%a*}",
                                     "${big//a/b}", "${big/*b/x}", "${big#*b}"};
  for (size_t i = 0; i < sizeof pats / sizeof pats[0]; i++) {
    ck_assert_int_eq(dfl_lex_process(&lx, pats[i], strlen(pats[i]), &env, &r), 0);
    if (i == 3)
      ck_assert_uint_eq(r.result_len, n);
    dfl_lex_result_free(&r);
  }
  dt = now() - t0;
  fprintf(stderr, "patterns over a 1 MiB value: %.3f s\n", dt);
  ck_assert_msg(dt < tu_time_limit(20.0), "patterns took %.1f s", dt);
  dfl_env_free(&env);
  free(in);
}
END_TEST

static char *nested(size_t depth, const char *inner)
{
  size_t il = strlen(inner);
  char *s = malloc(depth * 7 + il + depth + 1);
  size_t o = 0;
  for (size_t i = 0; i < depth; i++) {
    memcpy(s + o, "${a:-", 5);
    o += 5;
  }
  memcpy(s + o, inner, il);
  o += il;
  for (size_t i = 0; i < depth; i++)
    s[o++] = '}';
  s[o] = '\0';
  return s;
}

START_TEST(test_deep_nesting)
{
  dfl_lex lx = make_lex(0);
  dfl_lex_result r;
  /* within the cap: expands like BuildKit */
  char *s = nested(DFL_LEX_MAX_NESTING, "x");
  ck_assert_int_eq(dfl_lex_process(&lx, s, strlen(s), NULL, &r), 0);
  ck_assert_str_eq(r.result, "x");
  ck_assert_uint_eq(r.unmatched.n, 1);
  dfl_lex_result_free(&r);
  free(s);

  /* past it: a clear error rather than a stack overflow */
  s = nested(10000, "x");
  ck_assert_int_eq(dfl_lex_process(&lx, s, strlen(s), NULL, &r), -1);
  ck_assert_ptr_nonnull(strstr(r.error, ": syntax error: nesting too deep"));
  dfl_lex_result_free(&r);
  free(s);

  /* nesting through double quotes counts too */
  dfl_buf b;
  dfl_buf_init(&b);
  for (int i = 0; i < 5000; i++)
    dfl_buf_puts(&b, "\"${a:-");
  for (int i = 0; i < 5000; i++)
    dfl_buf_puts(&b, "}\"");
  ck_assert_int_eq(dfl_lex_process(&lx, b.data, b.len, NULL, &r), -1);
  ck_assert_ptr_nonnull(strstr(r.error, ": syntax error: nesting too deep"));
  dfl_lex_result_free(&r);
  dfl_buf_free(&b);

  /* unterminated at the end of input: BuildKit's own message wins */
  s = nested(50, "x");
  s[strlen(s) - 1] = '\0';
  ck_assert_int_eq(dfl_lex_process(&lx, s, strlen(s), NULL, &r), -1);
  ck_assert_ptr_nonnull(strstr(r.error, ": syntax error: missing '}'"));
  dfl_lex_result_free(&r);
  free(s);

  /* long runs of '*' do not recurse in the matcher */
  dfl_buf_init(&b);
  dfl_buf_puts(&b, "${v//");
  for (int i = 0; i < 100000; i++)
    dfl_buf_putc(&b, '*');
  dfl_buf_puts(&b, "/-}");
  dfl_env env;
  env_parse(&env, "v=abc");
  ck_assert_int_eq(dfl_lex_process(&lx, b.data, b.len, &env, &r), 0);
  ck_assert_str_eq(r.result, "-");
  dfl_lex_result_free(&r);
  dfl_env_free(&env);
  dfl_buf_free(&b);
}
END_TEST

static Suite *expand_suite(void)
{
  Suite *s = suite_create("expand");
  TCase *tc = tcase_create("conformance");
  tcase_add_test(tc, test_conformance_envvar);
  tcase_add_test(tc, test_conformance_words);
  tcase_add_test(tc, test_plain_word_shortcut);
  suite_add_tcase(s, tc);

  tc = tcase_create("cases");
  tcase_add_loop_test(tc, test_cases, 0, (int)(sizeof CASES / sizeof CASES[0]));
  tcase_add_loop_test(tc, test_words, 0, (int)(sizeof WCASES / sizeof WCASES[0]));
  tcase_add_loop_test(tc, test_upstream, 0, (int)(sizeof UPSTREAM / sizeof UPSTREAM[0]));
  tcase_add_test(tc, test_matches);
  tcase_add_test(tc, test_nul_bytes);
  tcase_add_test(tc, test_error_quoting);
  tcase_add_test(tc, test_env);
  suite_add_tcase(s, tc);

  tc = tcase_create("limits");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, test_long_input);
  tcase_add_test(tc, test_deep_nesting);
  suite_add_tcase(s, tc);
  return s;
}

int main(void)
{
  return tu_run_suite(expand_suite());
}
