/* BuildKit's instructions.Parse checks: a table of cases for every message
 * and flag rule, then the public corpus against what BuildKit's
 * instructions.Parse said about each file (conformance/corpus-instr). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dflint/buf.h"
#include "dflint/instr_check.h"
#include "dflint/parse.h"
#include "dflint/utf8.h"
#include "testutil.h"

/* The first error of the file, as Parse stops at it (malloc'd), or NULL;
 * *line gets the instruction's start line. */
static char *first_error(const dfl_dockerfile *df, size_t *len,
                         uint32_t *line)
{
  for (size_t i = 0; i < df->ninstrs; i++) {
    char *msg = dfl_instr_check_n(df->instrs[i], len);
    if (msg) {
      *line = df->instrs[i]->range.start.line;
      return msg;
    }
  }
  return NULL;
}

/* ---- the table ---------------------------------------------------------- */

typedef struct check_case {
  const char *src;
  const char *want; /* the first error without the line prefix, or NULL */
} check_case;

static const check_case cases[] = {
  /* unknown instructions and their suggestions */
  {"FROM a\nBADCMD x\n", "unknown instruction: BADCMD"},
  {"frum x\n", "unknown instruction: frum (did you mean from?)"},
  {"FRUM x\n", "unknown instruction: FRUM (did you mean FROM?)"},
  {"Frum x\n", "unknown instruction: Frum (did you mean from?)"},
  {"FROM a\nCOPYY a b\n", "unknown instruction: COPYY (did you mean COPY?)"},
  {"FROM a\nlet x = 1\n", "unknown instruction: let"},
  {"FROM a\n~\n", "unknown instruction: ~"},
  {"FROM a\nWORKDIRR /x\n",
   "unknown instruction: WORKDIRR (did you mean WORKDIR?)"},
  /* Go's Unicode case rules: case follows the input, invalid UTF-8 is
   * neither case, and U+212A lower-cases to a known keyword. */
  {"FR\xc3\x96M x\n", "unknown instruction: FR\xc3\x96M (did you mean FROM?)"},
  {"fr\xc3\xb6m x\n", "unknown instruction: fr\xc3\xb6m (did you mean from?)"},
  {"FR\xffM x\n", "unknown instruction: FR\xffM (did you mean from?)"},
  {"FROM a\nHEALTHCHEC\xe2\x84\xaa NONE\n", NULL},
  /* ARG: no flags, names */
  {"ARG\n", "ARG requires at least one argument"},
  {"ARG =x\n", "ARG names can not be blank"},
  {"ARG a=1 =x\n", "ARG names can not be blank"},
  {"ARG --foo x\n", NULL},
  {"ARG a b=c\n", NULL},
  /* ENV and LABEL */
  {"FROM a\nENV\n", "ENV requires at least one argument"},
  {"FROM a\nLABEL\n", "LABEL requires at least one argument"},
  {"FROM a\nENV =b\n", "ENV names can not be blank"},
  {"FROM a\nLABEL a=b =c\n", "LABEL names can not be blank"},
  {"FROM a\nENV --foo a=b\n", "unknown flag: --foo"},
  {"FROM a\nENV --foo\n", "unknown flag: --foo"},
  {"FROM a\nLABEL --x=1 a=b\n", "unknown flag: --x"},
  {"FROM a\nENV a b c\n", NULL},
  /* FROM */
  {"FROM\n", "FROM requires either one or three arguments"},
  {"FROM a b\n", "FROM requires either one or three arguments"},
  {"FROM a b c\n", "FROM requires either one or three arguments"},
  {"FROM a AS b c\n", "FROM requires either one or three arguments"},
  {"FROM a AS 1x\n", "invalid name for build stage: \"1x\", name can't "
                     "start with a number or contain symbols"},
  {"FROM a AS b$c\n", "invalid name for build stage: \"b$c\", name can't "
                      "start with a number or contain symbols"},
  {"FROM a aS Build-1_x.y\n", NULL},
  {"FROM a AS \xe2\x84\xaax\n", NULL},
  {"FROM a a\xc5\xbf b\n", NULL},
  {"FROM a AS \xc3\xa9\n", "invalid name for build stage: \"\xc3\xa9\", "
                         "name can't start with a number or contain symbols"},
  {"FROM --platform a\n", "missing a value on flag: --platform"},
  /* The arity is checked before the flags: "linux a" are two arguments. */
  {"FROM --platform linux a\n",
   "FROM requires either one or three arguments"},
  {"FROM --platfrom=linux a\n",
   "unknown flag: --platfrom (did you mean platform?)"},
  {"FROM --platform=a --platform=b c\n",
   "duplicate flag specified: --platform"},
  {"FROM --platform=$BUILDPLATFORM a AS b\n", NULL},
  /* COPY and ADD */
  {"FROM a\nCOPY x\n", "COPY requires at least two arguments, but only one "
                       "was provided. Destination could not be determined"},
  {"FROM a\nADD x\n", "ADD requires at least two arguments, but only one "
                      "was provided. Destination could not be determined"},
  {"FROM a\nCOPY --bad x\n", "COPY requires at least two arguments, but "
                             "only one was provided. Destination could not "
                             "be determined"},
  {"FROM a\nCOPY []\n", "COPY requires at least two arguments, but only one "
                        "was provided. Destination could not be determined"},
  {"FROM a\nCOPY --frm=a b c\n", "unknown flag: --frm (did you mean from?)"},
  {"FROM a\nCOPY --From=a b c\n", "unknown flag: --From (did you mean from?)"},
  {"FROM a\nCOPY --FROM=a b c\n", "unknown flag: --FROM"},
  {"FROM a\nCOPY --from a b\n", "missing a value on flag: --from"},
  {"FROM a\nCOPY --chmod a b\n", "missing a value on flag: --chmod"},
  {"FROM a\nCOPY --from=a --from=b x y\n",
   "duplicate flag specified: --from"},
  {"FROM a\nCOPY --link=yes a b\n",
   "expecting boolean value for flag --link, not: yes"},
  {"FROM a\nCOPY --link= a b\n", "missing a value on flag: --link"},
  {"FROM a\nCOPY --link --link a b\n", "duplicate flag specified: --link"},
  {"FROM a\nCOPY --link=TRUE --parents=False a b\n", NULL},
  {"FROM a\nCOPY --exclude=a --exclude=b x y\n", NULL},
  {"FROM a\nCOPY --exclude a b\n", "missing a value on flag: --exclude"},
  {"FROM a\nCOPY --chmod=999 --chown=a:b x y\n", NULL},
  {"FROM a\nCOPY --checksum=sha256:0 a b\n", "unknown flag: --checksum"},
  {"FROM a\nADD --parents a b\n", "unknown flag: --parents"},
  {"FROM a\nADD --from=x a b\n", "unknown flag: --from"},
  {"FROM a\nADD --keep-git-dir --unpack=false --checksum=x a b\n", NULL},
  {"FROM a\nADD --unpak a b\n", "unknown flag: --unpak (did you mean unpack?)"},
  {"FROM a\nCOPY -- --foo b\n", NULL},
  {"FROM a\nCOPY x <<EOF\nhello\nEOF\n",
   "COPY cannot accept a heredoc as a destination"},
  {"FROM a\nADD [\"x\", \"<<EOF\"]\n",
   "ADD cannot accept a heredoc as a destination"},
  {"FROM a\nCOPY <<EOF /dest\nhello\nEOF\n", NULL},
  {"FROM a\nCOPY x <<\n", NULL},
  /* exactly one argument */
  {"FROM a\nWORKDIR\n", "WORKDIR requires exactly one argument"},
  {"FROM a\nUSER\n", "USER requires exactly one argument"},
  {"FROM a\nSTOPSIGNAL\n", "STOPSIGNAL requires exactly one argument"},
  {"FROM a\nMAINTAINER\n", "MAINTAINER requires exactly one argument"},
  {"FROM a\nUSER a b\n", NULL},
  {"FROM a\nSTOPSIGNAL --foo SIGTERM\n", NULL},
  {"FROM a\nUSER --foo x\n", "unknown flag: --foo"},
  {"FROM a\nWORKDIR --foo /x\n", "unknown flag: --foo"},
  {"FROM a\nMAINTAINER --foo x\n", "unknown flag: --foo"},
  {"FROM a\nWORKDIR --foo\n", "WORKDIR requires exactly one argument"},
  /* SHELL, CMD, ENTRYPOINT, EXPOSE, VOLUME */
  {"FROM a\nSHELL bash -c\n", "SHELL requires the arguments to be in JSON "
                              "form"},
  {"FROM a\nSHELL []\n", "SHELL requires at least one argument"},
  {"FROM a\nSHELL\n", "SHELL requires at least one argument"},
  {"FROM a\nSHELL --x [\"sh\"]\n", "unknown flag: --x"},
  {"FROM a\nSHELL [\"sh\", \"-c\"]\n", NULL},
  {"FROM a\nCMD --foo x\n", "unknown flag: --foo"},
  {"FROM a\nENTRYPOINT --foo=1 x\n", "unknown flag: --foo"},
  {"FROM a\nCMD\nENTRYPOINT []\n", NULL},
  {"FROM a\nEXPOSE\n", "EXPOSE requires at least one argument"},
  {"FROM a\nEXPOSE --foo\n", "EXPOSE requires at least one argument"},
  {"FROM a\nEXPOSE --foo 80\n", "unknown flag: --foo"},
  {"FROM a\nVOLUME\n", "VOLUME requires at least one argument"},
  {"FROM a\nVOLUME [\"\"]\n", "VOLUME specified can not be an empty string"},
  {"FROM a\nVOLUME [\"/a\", \" \\t\"]\n",
   "VOLUME specified can not be an empty string"},
  {"FROM a\nVOLUME /a \xc2\xa0 /b\n",
   "VOLUME specified can not be an empty string"},
  {"FROM a\nVOLUME /a /b\n", NULL},
  /* HEALTHCHECK */
  {"FROM a\nHEALTHCHECK\n", "HEALTHCHECK requires at least one argument"},
  {"FROM a\nHEALTHCHECK NONE x\n", "HEALTHCHECK NONE takes no arguments"},
  {"FROM a\nHEALTHCHECK --foo NONE\n", NULL},
  {"FROM a\nHEALTHCHECK none\n", NULL},
  {"FROM a\nHEALTHCHECK CMD\n", "Missing command after HEALTHCHECK CMD"},
  {"FROM a\nHEALTHCHECK CMD []\n", "Missing command after HEALTHCHECK CMD"},
  {"FROM a\nHEALTHCHECK FOO x\n",
   "Unknown type \"FOO\" in HEALTHCHECK (try CMD)"},
  {"FROM a\nHEALTHCHECK cmd-shell x\n",
   "Unknown type \"CMD-SHELL\" in HEALTHCHECK (try CMD)"},
  {"FROM a\nHEALTHCHECK --foo=1 FOO x\n", "unknown flag: --foo"},
  {"FROM a\nHEALTHCHECK cmd\xc3\xa9 x\n",
   "Unknown type \"CMD\xc3\x89\" in HEALTHCHECK (try CMD)"},
  {"FROM a\nHEALTHCHECK --intervl=5s CMD x\n",
   "unknown flag: --intervl (did you mean interval?)"},
  {"FROM a\nHEALTHCHECK --interval=5s --interval=6s CMD x\n",
   "duplicate flag specified: --interval"},
  {"FROM a\nHEALTHCHECK --interval CMD x\n",
   "missing a value on flag: --interval"},
  {"FROM a\nHEALTHCHECK --interval=bad FOO x\n",
   "Unknown type \"FOO\" in HEALTHCHECK (try CMD)"},
  {"FROM a\nHEALTHCHECK --interval=1 CMD x\n",
   "time: missing unit in duration \"1\""},
  {"FROM a\nHEALTHCHECK --interval=abc CMD x\n",
   "time: invalid duration \"abc\""},
  {"FROM a\nHEALTHCHECK --timeout=5x CMD x\n",
   "time: unknown unit \"x\" in duration \"5x\""},
  {"FROM a\nHEALTHCHECK --interval=0.5ms CMD x\n",
   "Interval \"interval\" cannot be less than 1ms"},
  {"FROM a\nHEALTHCHECK --start-period=-1s CMD x\n",
   "Interval \"start-period\" cannot be less than 1ms"},
  {"FROM a\nHEALTHCHECK --start-interval=.s CMD x\n",
   "time: invalid duration \".s\""},
  {"FROM a\nHEALTHCHECK --interval=0 --timeout=0s --start-period= CMD x\n",
   NULL},
  {"FROM a\nHEALTHCHECK --interval=1h2m3.5s --timeout=1.5us CMD x\n",
   "Interval \"timeout\" cannot be less than 1ms"},
  /* Flag words re-encode each byte >= 0x80 as a rune (BuildKit's quirk),
   * so "\xc2\xb5s" (micro sign) arrives as "\xc3\x82\xc2\xb5s". */
  {"FROM a\nHEALTHCHECK --timeout=1.5\xc2\xb5s CMD x\n",
   "time: unknown unit \"\\xc3\\x82\\xc2\\xb5s\" in duration "
   "\"1.5\\xc3\\x82\\xc2\\xb5s\""},
  {"FROM a\nHEALTHCHECK --retries=-1 CMD x\n",
   "--retries cannot be negative (-1)"},
  {"FROM a\nHEALTHCHECK --retries=abc CMD x\n",
   "strconv.ParseInt: parsing \"abc\": invalid syntax"},
  {"FROM a\nHEALTHCHECK --retries=2147483648 CMD x\n",
   "strconv.ParseInt: parsing \"2147483648\": value out of range"},
  {"FROM a\nHEALTHCHECK --retries=-2147483648 --interval=30s CMD x\n",
   "--retries cannot be negative (-2147483648)"},
  {"FROM a\nHEALTHCHECK --retries=3 --interval=30s CMD [\"x\"]\n", NULL},
  /* ONBUILD */
  {"FROM a\nONBUILD\n", "ONBUILD requires at least one argument"},
  {"FROM a\nONBUILD ONBUILD RUN x\n",
   "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"},
  {"FROM a\nONBUILD FROM x\n", "FROM isn't allowed as an ONBUILD trigger"},
  {"FROM a\nONBUILD maintainer x\n",
   "MAINTAINER isn't allowed as an ONBUILD trigger"},
  {"FROM a\nONBUILD --foo RUN x\n", "unknown flag: --foo"},
  {"FROM a\nONBUILD ma\xc4\xb1nta\xc4\xb1ner x\n",
   "MAINTAINER isn't allowed as an ONBUILD trigger"},
  {"FROM a\nONBUILD RUN --foo x\n", NULL},
  {"FROM a\nONBUILD COPY x\n", NULL},
  {"FROM a\nONBUILD FOO x\n", NULL},
  /* RUN flags and hooks */
  {"FROM a\nRUN --network=bridge x\n", "invalid network mode \"bridge\""},
  {"FROM a\nRUN --network= x\n", "invalid network mode \"\""},
  {"FROM a\nRUN --network x\n", "missing a value on flag: --network"},
  {"FROM a\nRUN --security=foo x\n", "security \"foo\" is not valid"},
  {"FROM a\nRUN --network=host --security=insecure x\n", NULL},
  {"FROM a\nRUN --security=bad --network=bad x\n",
   "invalid network mode \"bad\""},
  {"FROM a\nRUN --mnt=type=cache x\n",
   "unknown flag: --mnt (did you mean mount?)"},
  {"FROM a\nRUN --mount=type=cache,target=/x --mount=type=secret,id=a x\n",
   NULL},
  {"FROM a\nRUN --mount=z,foo=bar,type=nope x\n", NULL},
  {"FROM a\nRUN --mount=type=bind,from=$X x\n",
   "'from' doesn't support variable expansion, define alias stage instead"},
  {"FROM a\nRUN --mount=FROM=${X},target=/x x\n",
   "'from' doesn't support variable expansion, define alias stage instead"},
  {"FROM a\nRUN --mount=from=a$,target=/x x\n", NULL},
  {"FROM a\nRUN --mount= x\n", "failed to parse csv mounts: EOF"},
  {"FROM a\nRUN --mount=a\\\"b x\n", "failed to parse csv mounts: parse error "
                                   "on line 1, column 2: bare \" in "
                                   "non-quoted-field"},
  {"FROM a\nRUN --mount='\"type=cache' x\n",
   "failed to parse csv mounts: parse error on line 1, column 2: "
   "extraneous or missing \" in quoted-field"},
  {"FROM a\nRUN --mount='\"a\"b' x\n",
   "failed to parse csv mounts: parse error on line 1, column 3: "
   "extraneous or missing \" in quoted-field"},
  {"FROM a\nRUN --mount='\"from=$x\",target=/x' x\n",
   "'from' doesn't support variable expansion, define alias stage instead"},
  {"FROM a\nRUN --device=a,b x\n",
   "invalid field 'b' must be a key=value pair"},
  {"FROM a\nRUN --device=name=a,name=b x\n", "device name already set to a"},
  {"FROM a\nRUN --device=a,required=maybe x\n",
   "invalid value for required: maybe"},
  {"FROM a\nRUN --device=a,foo=bar x\n", "unexpected key 'foo' in 'foo=bar'"},
  {"FROM a\nRUN --device=a,nme=b x\n",
   "unexpected key 'nme' in 'nme=b' (did you mean name?)"},
  {"FROM a\nRUN --device=a,required,required=T x\n", NULL},
  {"FROM a\nRUN --device=foo=bar,required x\n", NULL},
  {"FROM a\nRUN --device= x\n", "failed to parse csv devices: EOF"},
  {"FROM a\nRUN --network=bad --mount=from=$x --device=a,b x\n",
   "invalid field 'b' must be a key=value pair"},
  {"FROM a\nRUN --network=bad --mount=from=$x x\n",
   "'from' doesn't support variable expansion, define alias stage instead"},
  {"FROM a\nRUN\n", NULL},
  /* the first error wins */
  {"FROM a\nRUN --bad x\nCOPY x\n", "unknown flag: --bad"},
};

START_TEST(test_table)
{
  const check_case *c = &cases[_i];
  dfl_dockerfile *df = dfl_parse(c->src, strlen(c->src), "Dockerfile");
  const dfl_parse_error *fatal = dfl_dockerfile_fatal_error(df);
  ck_assert_msg(fatal == NULL, "case %d: parser error %s", _i,
                fatal ? fatal->message : "");
  size_t len;
  uint32_t line;
  char *got = first_error(df, &len, &line);
  if (!c->want)
    ck_assert_msg(got == NULL, "case %d (%s): unexpected error %s", _i,
                  c->src, got);
  else
    ck_assert_msg(got && strcmp(got, c->want) == 0,
                  "case %d (%s): got %s, want %s", _i, c->src,
                  got ? got : "(none)", c->want);
  free(got);
  dfl_dockerfile_free(df);
}
END_TEST

START_TEST(test_prefix_and_levenshtein)
{
  const char *src = "FROM a\nENV a\n";
  dfl_dockerfile *df = dfl_parse(src, strlen(src), NULL);
  /* The parser's own error: not ours, and not prefixed. */
  ck_assert_ptr_nonnull(df->instrs[1]->error);
  ck_assert_ptr_null(dfl_instr_check(df->instrs[1]));
  ck_assert_int_eq(dfl_instr_error_is_prefixed(df->instrs[1]), 0);
  ck_assert_int_eq(dfl_instr_error_is_prefixed(df->instrs[0]), 1);
  dfl_dockerfile_free(df);

  ck_assert_int_eq(dfl_levenshtein("from", 4, "frum", 4), 1);
  ck_assert_int_eq(dfl_levenshtein("", 0, "abc", 3), 3);
  ck_assert_int_eq(dfl_levenshtein("kitten", 6, "sitting", 7), 3);
  ck_assert_int_eq(dfl_levenshtein("same", 4, "same", 4), 0);
}
END_TEST

START_TEST(test_nul_in_keyword)
{
  /* A UTF-16 file: the keyword holds NUL bytes, kept in the message. */
  static const char src[] = "\xff\xfe" "F\0R\0O\0M\0 \0a\0\n\0";
  dfl_dockerfile *df = dfl_parse(src, sizeof src - 1, NULL);
  size_t len;
  uint32_t line;
  char *got = first_error(df, &len, &line);
  static const char want[] = "unknown instruction: \xff\xfe" "F\0R\0O\0M\0";
  ck_assert_ptr_nonnull(got);
  ck_assert_uint_eq(len, sizeof want - 1);
  ck_assert_mem_eq(got, want, len);
  free(got);
  dfl_dockerfile_free(df);
}
END_TEST

/* ---- the corpus --------------------------------------------------------- */

/* Just enough JSON to read the top-level "error" and "errorLine". */
typedef struct jcur {
  const char *p, *end;
} jcur;

static void jws(jcur *c)
{
  while (c->p < c->end && (*c->p == ' ' || *c->p == '\n' || *c->p == '\t' ||
                           *c->p == '\r'))
    c->p++;
}

static unsigned hex4(const char *p)
{
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    char h = p[i];
    v = v * 16 + (unsigned)(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
  }
  return v;
}

/* A string at c->p (decoded into out when out is not NULL). */
static bool jstring(jcur *c, dfl_buf *out)
{
  if (c->p >= c->end || *c->p != '"')
    return false;
  c->p++;
  while (c->p < c->end && *c->p != '"') {
    char ch = *c->p++;
    if (ch != '\\') {
      if (out)
        dfl_buf_putc(out, ch);
      continue;
    }
    char e = *c->p++;
    uint32_t r;
    switch (e) {
    case 'n': r = '\n'; break;
    case 't': r = '\t'; break;
    case 'r': r = '\r'; break;
    case 'b': r = '\b'; break;
    case 'f': r = '\f'; break;
    case 'u':
      r = hex4(c->p);
      c->p += 4;
      if (r >= 0xD800 && r < 0xDC00 && c->p + 6 <= c->end && c->p[0] == '\\' &&
          c->p[1] == 'u') {
        uint32_t lo = hex4(c->p + 2);
        c->p += 6;
        r = 0x10000 + ((r - 0xD800) << 10) + (lo - 0xDC00);
      }
      break;
    default: r = (unsigned char)e; break;
    }
    if (out)
      dfl_buf_put_rune(out, r);
  }
  c->p++;
  return true;
}

static void jskip(jcur *c)
{
  jws(c);
  if (c->p >= c->end)
    return;
  if (*c->p == '"') {
    jstring(c, NULL);
    return;
  }
  if (*c->p == '{' || *c->p == '[') {
    int depth = 0;
    while (c->p < c->end) {
      if (*c->p == '"') {
        jstring(c, NULL);
        continue;
      }
      if (*c->p == '{' || *c->p == '[')
        depth++;
      else if (*c->p == '}' || *c->p == ']')
        depth--;
      c->p++;
      if (depth == 0)
        return;
    }
    return;
  }
  while (c->p < c->end && *c->p != ',' && *c->p != '}' && *c->p != ']')
    c->p++;
}

/* The top-level "error" (decoded) and "errorLine" of a corpus-instr file. */
static bool read_expected(const char *json, size_t len, dfl_buf *err,
                          long *line)
{
  jcur c = {json, json + len};
  bool have = false;
  jws(&c);
  if (c.p >= c.end || *c.p != '{')
    return false;
  c.p++;
  for (;;) {
    jws(&c);
    if (c.p >= c.end || *c.p == '}')
      break;
    dfl_buf key;
    dfl_buf_init(&key);
    jstring(&c, &key);
    jws(&c);
    c.p++; /* : */
    jws(&c);
    const char *k = dfl_buf_cstr(&key);
    if (strcmp(k, "error") == 0) {
      have = jstring(&c, err);
    } else if (strcmp(k, "errorLine") == 0) {
      *line = strtol(c.p, NULL, 10);
      jskip(&c);
    } else {
      jskip(&c);
    }
    dfl_buf_free(&key);
    jws(&c);
    if (c.p < c.end && *c.p == ',')
      c.p++;
  }
  return have;
}

/* Go's encoding/json writes each invalid UTF-8 byte as U+FFFD. */
static void valid_utf8(dfl_buf *out, const char *s, size_t len)
{
  for (size_t i = 0; i < len;) {
    size_t w;
    uint32_t r = dfl_utf8_decode(s + i, len - i, &w);
    if (r == DFL_RUNE_ERROR && w == 1)
      dfl_buf_put_rune(out, DFL_RUNE_ERROR);
    else
      dfl_buf_append(out, s + i, w);
    i += w;
  }
}

static int cmp_names(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

START_TEST(test_corpus)
{
  if (!tu_shared_available("conformance/corpus-instr") ||
      !tu_shared_available("corpus/public"))
    return;
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", tu_shared_path("conformance/corpus-instr"));
  DIR *d = opendir(dir);
  ck_assert_ptr_nonnull(d);
  char **names = NULL;
  size_t nnames = 0;
  struct dirent *de;
  while ((de = readdir(d))) {
    size_t n = strlen(de->d_name);
    if (n > 5 && strcmp(de->d_name + n - 5, ".json") == 0) {
      names = realloc(names, (nnames + 1) * sizeof *names);
      names[nnames++] = strdup(de->d_name);
    }
  }
  closedir(d);
  qsort(names, nnames, sizeof *names, cmp_names);

  size_t with_error = 0, matched = 0, parser_level = 0, model_level = 0;
  size_t clean = 0, clean_ok = 0, skipped_fatal = 0, failures = 0;
  for (size_t i = 0; i < nnames; i++) {
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    size_t jlen;
    char *json = tu_read_file(path, &jlen);
    ck_assert_ptr_nonnull(json);
    dfl_buf want;
    dfl_buf_init(&want);
    long want_line = 0;
    bool has_error = read_expected(json, jlen, &want, &want_line);
    free(json);

    char rel[8192];
    snprintf(rel, sizeof rel, "corpus/public/%.*s", (int)(strlen(names[i]) - 5),
             names[i]);
    size_t slen;
    char *src = tu_read_file(tu_shared_path(rel), &slen);
    ck_assert_msg(src != NULL, "cannot read %s", rel);
    dfl_dockerfile *df = dfl_parse(src, slen, rel);
    free(src);

    size_t glen = 0;
    uint32_t gline = 0;
    char *got = NULL;
    const char *w = dfl_buf_cstr(&want);
    static const char prefix[] = "dockerfile parse error on line ";
    if (has_error)
      with_error++;
    if (dfl_dockerfile_fatal_error(df)) {
      /* The parser's errors are the parser's tests' business. */
      skipped_fatal++;
      if (has_error && strncmp(w, prefix, sizeof prefix - 1) != 0)
        parser_level++;
    } else if (has_error && strcmp(w, "no build stage in current context") == 0) {
      /* Parse stops there; everything up to that line passed. */
      model_level++;
      for (size_t k = 0; k < df->ninstrs; k++) {
        const dfl_instr *in = df->instrs[k];
        if ((long)in->range.start.line > want_line)
          break;
        char *m = dfl_instr_check(in);
        if (m) {
          fprintf(stderr, "FAIL %s: unexpected %s before the orphan\n",
                  names[i], m);
          failures++;
          free(m);
          break;
        }
      }
    } else if (has_error) {
      got = first_error(df, &glen, &gline);
      dfl_buf full;
      dfl_buf_init(&full);
      if (got) {
        const dfl_instr *in = NULL;
        for (size_t k = 0; k < df->ninstrs && !in; k++)
          if (df->instrs[k]->range.start.line == gline)
            in = df->instrs[k];
        if (in && dfl_instr_error_is_prefixed(in))
          dfl_buf_printf(&full, "%s%u: ", prefix, gline);
        valid_utf8(&full, got, glen);
      }
      if (got && strcmp(dfl_buf_cstr(&full), w) == 0 &&
          (long)gline == want_line) {
        matched++;
      } else {
        fprintf(stderr, "FAIL %s: got [%s] line %u, want [%s] line %ld\n",
                names[i], got ? dfl_buf_cstr(&full) : "(none)", gline, w,
                want_line);
        failures++;
      }
      dfl_buf_free(&full);
    } else {
      clean++;
      got = first_error(df, &glen, &gline);
      if (!got) {
        clean_ok++;
      } else {
        fprintf(stderr, "FAIL %s: false error on line %u: %s\n", names[i],
                gline, got);
        failures++;
      }
    }
    free(got);
    dfl_dockerfile_free(df);
    dfl_buf_free(&want);
    free(names[i]);
  }
  free(names);
  fprintf(stderr,
          "corpus-instr: %zu files; %zu with an error: %zu matched, %zu "
          "parser-level (skipped), %zu \"no build stage\" (model-level); "
          "%zu without: %zu clean; %zu skipped as parser-fatal\n",
          nnames, with_error, matched, parser_level, model_level, clean,
          clean_ok, skipped_fatal);
  ck_assert_uint_eq(failures, 0);
}
END_TEST

static Suite *instr_check_suite(void)
{
  Suite *s = suite_create("instr_check");
  TCase *tc = tcase_create("table");
  tcase_add_loop_test(tc, test_table, 0,
                      (int)(sizeof cases / sizeof cases[0]));
  tcase_add_test(tc, test_prefix_and_levenshtein);
  tcase_add_test(tc, test_nul_in_keyword);
  suite_add_tcase(s, tc);
  TCase *corpus = tcase_create("corpus");
  tcase_set_timeout(corpus, 300);
  tcase_add_test(corpus, test_corpus);
  suite_add_tcase(s, corpus);
  return s;
}

int main(void)
{
  return tu_run_suite(instr_check_suite());
}
