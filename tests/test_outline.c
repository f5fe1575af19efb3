/* Check suite for src/outline: BuildKit's outline and targets subrequests.
 *
 * The first cases are BuildKit's own integration tests
 * (frontend/dockerfile/dockerfile_outline_test.go and
 * dockerfile_targets_test.go), with the whole JSON BuildKit returns written
 * out; the rest cover the conversion steps those tests do not reach, and the
 * errors. Expected JSON is compared without the whitespace between tokens
 * (one case checks the exact MarshalIndent layout); "@SRC@" stands for the
 * base64 of the Dockerfile. */
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dflint/buf.h"
#include "dflint/outline.h"
#include "dflint/parse.h"
#include "output/gojson.h"
#include "testutil.h"

/* One location: a range per line. */
#define L(n)                                                                   \
  "\"location\":{\"ranges\":[{\"start\":{\"line\":" #n "},\"end\":{\"line\":" \
  #n "}}]}"
#define RANGE(n) "{\"start\":{\"line\":" #n "},\"end\":{\"line\":" #n "}}"

/* The JSON without whitespace outside strings. */
static char *compact(const char *s, size_t len)
{
  dfl_buf b;
  dfl_buf_init(&b);
  bool in_str = false;
  for (size_t i = 0; i < len; i++) {
    char c = s[i];
    if (in_str) {
      dfl_buf_putc(&b, c);
      if (c == '\\' && i + 1 < len)
        dfl_buf_putc(&b, s[++i]);
      else if (c == '"')
        in_str = false;
      continue;
    }
    if (c == '"')
      in_str = true;
    if (c != ' ' && c != '\n')
      dfl_buf_putc(&b, c);
  }
  return dfl_buf_take(&b);
}

/* want with @SRC@ replaced by the base64 of src. */
static char *expected(const char *want, const char *src)
{
  dfl_buf b;
  dfl_buf_init(&b);
  const char *at = strstr(want, "@SRC@");
  if (!at) {
    dfl_buf_puts(&b, want);
    return dfl_buf_take(&b);
  }
  dfl_buf_append(&b, want, (size_t)(at - want));
  dfl_base64(&b, (const unsigned char *)src, strlen(src));
  dfl_buf_puts(&b, at + 5);
  return dfl_buf_take(&b);
}

/* "K=V;K=V" into an env. */
static void parse_build_args(dfl_env *env, const char *spec)
{
  dfl_env_init(env);
  while (spec && *spec) {
    const char *semi = strchr(spec, ';');
    size_t len = semi ? (size_t)(semi - spec) : strlen(spec);
    const char *eq = memchr(spec, '=', len);
    if (eq)
      dfl_env_set(env, spec, (size_t)(eq - spec), eq + 1,
                  len - (size_t)(eq - spec) - 1);
    spec += len + (semi ? 1 : 0);
  }
}

/* The outline JSON of src, or "error: LINE: MESSAGE". */
static char *run_outline(const char *src, const char *target,
                         const char *build_args, bool pretty)
{
  dfl_dockerfile *df = dfl_parse(src, strlen(src), "Dockerfile");
  dfl_env env;
  parse_build_args(&env, build_args);
  dfl_outline_options opts = {.build_args = &env, .target = target};
  dfl_outline o;
  dfl_outline_error err;
  dfl_buf b;
  dfl_buf_init(&b);
  if (dfl_outline_build(df, &opts, &o, &err) != 0) {
    dfl_buf_printf(&b, "error: %u: ", err.has_pos ? err.pos.line : 0);
    dfl_buf_append(&b, err.message, err.len);
    dfl_outline_error_free(&err);
  } else {
    dfl_outline_json(&o, df, &b);
    dfl_outline_free(&o);
  }
  dfl_env_free(&env);
  dfl_dockerfile_free(df);
  if (pretty || strncmp(dfl_buf_cstr(&b), "error: ", 7) == 0)
    return dfl_buf_take(&b);
  char *c = compact(b.data, b.len);
  dfl_buf_free(&b);
  return c;
}

static char *run_targets(const char *src)
{
  dfl_dockerfile *df = dfl_parse(src, strlen(src), "Dockerfile");
  dfl_targets t;
  dfl_outline_error err;
  dfl_buf b;
  dfl_buf_init(&b);
  char *out;
  if (dfl_targets_build(df, &t, &err) != 0) {
    dfl_buf_printf(&b, "error: %u: ", err.has_pos ? err.pos.line : 0);
    dfl_buf_append(&b, err.message, err.len);
    dfl_outline_error_free(&err);
    out = dfl_buf_take(&b);
  } else {
    dfl_targets_json(&t, df, &b);
    dfl_targets_free(&t);
    out = compact(b.data, b.len);
    dfl_buf_free(&b);
  }
  dfl_dockerfile_free(df);
  return out;
}

/* ---- outline ------------------------------------------------------------- */

typedef struct outline_case {
  const char *name;
  const char *src;
  const char *target;     /* NULL: the last stage */
  const char *build_args; /* "K=V;K=V" or NULL */
  const char *want;       /* compact JSON, or "error: LINE: MESSAGE" */
} outline_case;

/* testOutlineArgs, as BuildKit has it now (the file starts with a newline)
 * and as it had it before (it did not): the D.4 example. */
#define OUTLINE_ARGS_BODY                                                      \
  "ARG inherited=box\n"                                                        \
  "ARG inherited2=box2\n"                                                      \
  "ARG unused=abc${inherited2}\n"                                              \
  "# sfx is a suffix\n"                                                        \
  "ARG sfx=\"usy${inherited}\"\n"                                              \
  "\n"                                                                         \
  "FROM b${sfx} AS first\n"                                                    \
  "# this is not assigned to anything\n"                                       \
  "ARG FOO=123\n"                                                              \
  "# BAR is a number\n"                                                        \
  "ARG BAR=456\n"                                                              \
  "RUN true\n"                                                                 \
  "\n"                                                                         \
  "FROM alpine${unused} AS second\n"                                           \
  "ARG BAZ\n"                                                                  \
  "RUN true\n"                                                                 \
  "\n"                                                                         \
  "FROM scratch AS third\n"                                                    \
  "ARG ABC=a\n"                                                                \
  "\n"                                                                         \
  "# target defines build target\n"                                            \
  "FROM third AS target\n"                                                     \
  "COPY --from=first /etc/passwd /\n"                                          \
  "\n"                                                                         \
  "FROM second\n"

static const outline_case outline_cases[] = {
  {"upstream testOutlineArgs", "\n" OUTLINE_ARGS_BODY, "target", "BAR=678",
   "{\"name\":\"target\",\"description\":\"defines build target\",\"args\":["
   "{\"name\":\"inherited\",\"value\":\"box\"," L(2) "},"
   "{\"name\":\"sfx\",\"description\":\"is a suffix\",\"value\":\"usybox\","
   L(6) "},"
   "{\"name\":\"FOO\",\"value\":\"123\"," L(10) "},"
   "{\"name\":\"BAR\",\"description\":\"is a number\",\"value\":\"678\","
   L(12) "},"
   "{\"name\":\"ABC\",\"value\":\"a\"," L(20) "}],"
   "\"sources\":[\"@SRC@\"]}"},
  {"upstream testOutlineArgs (earlier revision)", OUTLINE_ARGS_BODY, "target",
   "BAR=678",
   "{\"name\":\"target\",\"description\":\"defines build target\",\"args\":["
   "{\"name\":\"inherited\",\"value\":\"box\"," L(1) "},"
   "{\"name\":\"sfx\",\"description\":\"is a suffix\",\"value\":\"usybox\","
   L(5) "},"
   "{\"name\":\"FOO\",\"value\":\"123\"," L(9) "},"
   "{\"name\":\"BAR\",\"description\":\"is a number\",\"value\":\"678\","
   L(11) "},"
   "{\"name\":\"ABC\",\"value\":\"a\"," L(19) "}],"
   "\"sources\":[\"@SRC@\"]}"},
  /* The default target there is "second": alpine${unused} uses unused,
   * whose default uses inherited2. */
  {"upstream testOutlineArgs, default target", "\n" OUTLINE_ARGS_BODY, NULL,
   NULL,
   "{\"args\":["
   "{\"name\":\"inherited2\",\"value\":\"box2\"," L(3) "},"
   "{\"name\":\"unused\",\"value\":\"abcbox2\"," L(4) "},"
   "{\"name\":\"BAZ\"," L(16) "}],"
   "\"sources\":[\"@SRC@\"]}"},
  {"upstream testOutlineSecrets",
   "\n"
   "FROM busybox AS first\n"
   "RUN --mount=type=secret,target=/etc/passwd,required=true "
   "--mount=type=ssh true\n"
   "\n"
   "FROM alpine AS second\n"
   "RUN --mount=type=secret,id=unused --mount=type=ssh,id=ssh2 true\n"
   "\n"
   "FROM scratch AS third\n"
   "ARG BAR\n"
   "RUN --mount=type=secret,id=second${BAR} true\n"
   "\n"
   "FROM third AS target\n"
   "COPY --from=first /foo /\n"
   "RUN --mount=type=ssh,id=ssh3,required true\n"
   "\n"
   "FROM second\n",
   "target", "BAR=678",
   "{\"name\":\"target\","
   "\"args\":[{\"name\":\"BAR\",\"value\":\"678\"," L(9) "}],"
   "\"secrets\":["
   "{\"name\":\"passwd\",\"required\":true," L(3) "},"
   "{\"name\":\"second678\"," L(10) "}],"
   "\"ssh\":["
   "{\"name\":\"default\"," L(3) "},"
   "{\"name\":\"ssh3\",\"required\":true," L(14) "}],"
   "\"sources\":[\"@SRC@\"]}"},
  {"upstream testOutlineRecursiveArgs",
   "\n"
   "ARG FOO=123\n"
   "ARG ABC=abc\n"
   "ARG DEF=def\n"
   "ARG FOO=${FOO}${ABC}\n"
   "ARG BAR=${FOO}456\n"
   "ARG FOO=${FOO}456${BAR}\n"
   "FROM scratch\n"
   "ARG FOO\n"
   "ARG INFOO=123\n"
   "ARG INBAR=${INFOO}456\n"
   "ARG INFOO=${INFOO}456${INBAR}\n",
   NULL, NULL,
   "{\"args\":["
   "{\"name\":\"ABC\",\"value\":\"abc\"," L(3) "},"
   "{\"name\":\"BAR\",\"value\":\"123abc456\"," L(6) "},"
   "{\"name\":\"FOO\",\"value\":\"123abc456123abc456\"," L(7) "},"
   "{\"name\":\"INBAR\",\"value\":\"123456\"," L(11) "},"
   "{\"name\":\"INFOO\",\"value\":\"123456123456\"," L(12) "}],"
   "\"sources\":[\"@SRC@\"]}"},
  {"upstream testOutlineDescribeDefinition's Dockerfile",
   "\nFROM scratch\nCOPY Dockerfile Dockerfile\n", NULL, NULL,
   "{\"sources\":[\"@SRC@\"]}"},

  /* A build-arg beats the default; a global ARG without value, used by a
   * FROM, is listed without one (BuildKit does not fill in the predefined
   * value). */
  {"build-arg and predefined platform arg",
   "ARG V=1\nARG TARGETPLATFORM\nFROM --platform=$TARGETPLATFORM alpine:$V\n",
   NULL, "V=2",
   "{\"args\":["
   "{\"name\":\"V\",\"value\":\"2\"," L(1) "},"
   "{\"name\":\"TARGETPLATFORM\"," L(2) "}],"
   "\"sources\":[\"@SRC@\"]}"},
  /* An ARG over two lines has two ranges; ENV is in the env a default
   * expands with, and keys of one ARG see the earlier ones. */
  {"multi-line ARG, ENV in defaults",
   "FROM scratch AS app\nENV X=hello\nARG Y=${X}-world \\\n  Z=${Y}!\n",
   NULL, NULL,
   "{\"name\":\"app\",\"args\":["
   "{\"name\":\"Y\",\"value\":\"hello-world\",\"location\":{\"ranges\":["
   RANGE(3) "," RANGE(4) "]}},"
   "{\"name\":\"Z\",\"value\":\"hello-world!\",\"location\":{\"ranges\":["
   RANGE(3) "," RANGE(4) "]}}],"
   "\"sources\":[\"@SRC@\"]}"},
  /* Any line of the comment block counts; Go's HTML-safe escapes. */
  {"doc comments and escapes",
   "# first line\n# app builds <the> app & more\nFROM scratch AS app\n"
   "# nothing here\n# TOKEN is \"quoted\"\nARG TOKEN=a<b\n",
   NULL, NULL,
   "{\"name\":\"app\",\"description\":\"builds \\u003cthe\\u003e app "
   "\\u0026 more\",\"args\":["
   "{\"name\":\"TOKEN\",\"description\":\"is \\\"quoted\\\"\","
   "\"value\":\"a\\u003cb\"," L(6) "}],"
   "\"sources\":[\"@SRC@\"]}"},
  /* ONBUILD triggers of a base stage run in the stages built on it, located
   * at their FROM; a stage-level ARG without default imports the global. */
  {"ONBUILD triggers and imported globals",
   "ARG G=1\nFROM alpine AS base\nONBUILD ARG OB=x\n"
   "ONBUILD RUN --mount=type=secret,id=tok true\n"
   "FROM base AS app\nARG G\n",
   "app", NULL,
   "{\"name\":\"app\",\"args\":["
   "{\"name\":\"G\",\"value\":\"1\"," L(1) "},"
   "{\"name\":\"OB\",\"value\":\"x\"," L(5) "}],"
   "\"secrets\":[{\"name\":\"tok\"," L(5) "}],"
   "\"sources\":[\"@SRC@\"]}"},
  /* RUN --mount from= is a dependency too; the target's own secret wins. */
  {"mount dependency, first record wins",
   "FROM alpine AS x\nARG XA=1\nRUN --mount=type=secret,id=s1 true\n"
   "FROM alpine\n"
   "RUN --mount=type=secret,id=s1,required "
   "--mount=type=bind,from=x,target=/x true\n",
   NULL, NULL,
   "{\"args\":[{\"name\":\"XA\",\"value\":\"1\"," L(2) "}],"
   "\"secrets\":[{\"name\":\"s1\",\"required\":true," L(5) "}],"
   "\"sources\":[\"@SRC@\"]}"},
  /* A secret named by source=, or by the target's base name. */
  {"secret ids",
   "FROM alpine\nRUN --mount=type=secret,src=/a/npmrc,target=/x "
   "--mount=type=secret,target=/run/secrets/tok/ true\n",
   NULL, NULL,
   "{\"secrets\":[{\"name\":\"/a/npmrc\"," L(2) "},{\"name\":\"tok\"," L(2)
   "}],\"sources\":[\"@SRC@\"]}"},

  /* Errors, in the order BuildKit meets them. */
  {"empty file", "", NULL, NULL,
   "error: 0: the Dockerfile cannot be empty"},
  {"parser error", "FROM a\nENV a\n", NULL, NULL,
   "error: 2: ENV must have two arguments"},
  {"instruction error", "FROM a\nBADCMD x\n", NULL, NULL,
   "error: 2: dockerfile parse error on line 2: unknown instruction: BADCMD"},
  {"no build stage", "RUN x\nFROM a\n", NULL, NULL,
   "error: 1: no build stage in current context"},
  {"no stages", "ARG a=1\n", NULL, NULL,
   "error: 0: dockerfile contains no stages to build"},
  {"check directive", "# check=foo\nFROM a\n", NULL, NULL,
   "error: 0: failed to parse check options: invalid check option \"foo\""},
  {"blank base", "FROM ${x}\n", NULL, NULL,
   "error: 1: base name (${x}) should not be blank"},
  {"empty platform",
   "FROM --platform=$TARGETPLATFORMX a\n", NULL, NULL,
   "error: 1: empty platform value from expression $TARGETPLATFORMX (did "
   "you mean TARGETPLATFORM?)"},
  {"unknown target", "FROM a AS build\n", "buidl", NULL,
   "error: 0: target stage \"buidl\" could not be found (did you mean "
   "build?)"},
  {"--from expansion", "FROM a\nCOPY --from=$x a b\n", NULL, NULL,
   "error: 2: variable expansion is not supported for --from, define a new "
   "stage with FROM using ARG from global scope as a workaround"},
  {"stage index", "FROM a\nCOPY --from=5 a b\n", NULL, NULL,
   "error: 2: invalid stage index 5"},
  {"cycle",
   "FROM a AS x\nCOPY --from=y a b\nFROM a AS y\nCOPY --from=x a b\n", NULL,
   NULL, "error: 2: circular dependency detected on stage: x"},
  {"image reference", "FROM Alpine\n", NULL, NULL,
   "error: 1: failed to parse stage name \"Alpine\": invalid reference "
   "format: repository name (library/Alpine) must be lowercase"},
  {"copy from a later stage",
   "FROM a AS x\nCOPY --from=y a b\nFROM a AS y\n", "x", NULL,
   "error: 2: cannot copy from stage \"y\", it needs to be defined before "
   "current stage \"x\""},
  {"unreachable stages are not dispatched",
   "FROM a AS x\nCOPY --from=y a b\nFROM a AS y\n", NULL, NULL,
   "{\"name\":\"y\",\"sources\":[\"@SRC@\"]}"},
  {"mount type", "FROM a\nRUN --mount=type=secrets,id=a x\n", NULL, NULL,
   "error: 2: unsupported mount type \"secrets\" (did you mean secret?)"},
  {"secret without id", "FROM a\nRUN --mount=type=secret x\n", NULL, NULL,
   "error: 2: invalid secret mount. one of source, target required"},
  {"ssh source", "FROM a\nRUN --mount=type=ssh,src=a x\n", NULL, NULL,
   "error: 2: ssh does not support source"},
  {"ARG default", "FROM a\nARG x=${a\n", NULL, NULL,
   "error: 2: failed to process \"${a\": unsupported modifier (\xef\xbf\xbd) "
   "in substitution"},
};

START_TEST(test_outline_cases)
{
  const outline_case *c = &outline_cases[_i];
  char *got = run_outline(c->src, c->target, c->build_args, false);
  char *want = expected(c->want, c->src);
  ck_assert_msg(strcmp(got, want) == 0, "%s\n--- want\n%s\n--- got\n%s",
                c->name, want, got);
  free(got);
  free(want);
}
END_TEST

/* ---- targets ------------------------------------------------------------- */

typedef struct targets_case {
  const char *name;
  const char *src;
  const char *want;
} targets_case;

static const targets_case targets_cases[] = {
  {"upstream testTargetsList",
   "\n"
   "# build defines stage for compiling the binary\n"
   "FROM alpine AS build\n"
   "RUN true\n"
   "\n"
   "FROM busybox as second\n"
   "RUN false\n"
   "\n"
   "FROM alpine\n"
   "RUN false\n"
   "\n"
   "# binary returns the compiled binary\n"
   "FROM second AS binary\n",
   "{\"targets\":["
   "{\"name\":\"build\",\"description\":\"defines stage for compiling the "
   "binary\",\"base\":\"alpine\"," L(3) "},"
   "{\"name\":\"second\",\"base\":\"busybox\"," L(6) "},"
   "{\"base\":\"alpine\"," L(9) "},"
   "{\"name\":\"binary\",\"default\":true,\"description\":\"returns the "
   "compiled binary\",\"base\":\"second\"," L(13) "}],"
   "\"sources\":[\"@SRC@\"]}"},
  {"upstream testTargetsDescribeDefinition's Dockerfile",
   "\nFROM scratch\nCOPY Dockerfile Dockerfile\n",
   "{\"targets\":[{\"default\":true,\"base\":\"scratch\"," L(2) "}],"
   "\"sources\":[\"@SRC@\"]}"},
  /* Base and platform as written; the name lowercased, and its doc comment
   * looked up with that. */
  {"raw base and platform",
   "ARG GO=1.22\n# build compiles\nFROM --platform=$BUILDPLATFORM "
   "golang:${GO} AS Build\n",
   "{\"targets\":[{\"name\":\"build\",\"default\":true,\"description\":"
   "\"compiles\",\"base\":\"golang:${GO}\",\"platform\":\"$BUILDPLATFORM\","
   L(3) "}],\"sources\":[\"@SRC@\"]}"},
  {"no stages: null", "ARG a=1\n",
   "{\"targets\":null,\"sources\":[\"@SRC@\"]}"},
  {"parser error", "FROM a\nENV a\n",
   "error: 2: ENV must have two arguments"},
  {"instruction error", "FROM a\nCOPY x\n",
   "error: 2: dockerfile parse error on line 2: COPY requires at least two "
   "arguments, but only one was provided. Destination could not be "
   "determined"},
};

START_TEST(test_targets_cases)
{
  const targets_case *c = &targets_cases[_i];
  char *got = run_targets(c->src);
  char *want = expected(c->want, c->src);
  ck_assert_msg(strcmp(got, want) == 0, "%s\n--- want\n%s\n--- got\n%s",
                c->name, want, got);
  free(got);
  free(want);
}
END_TEST

/* ---- layout -------------------------------------------------------------- */

/* MarshalIndent's exact bytes for one small result. */
START_TEST(test_layout)
{
  const char *src = "FROM scratch AS a\nARG X=1\nRUN --mount=type=ssh true\n";
  char *got = run_outline(src, NULL, NULL, true);
  char *want = expected("{\n"
                        "  \"name\": \"a\",\n"
                        "  \"args\": [\n"
                        "    {\n"
                        "      \"name\": \"X\",\n"
                        "      \"value\": \"1\",\n"
                        "      \"location\": {\n"
                        "        \"ranges\": [\n"
                        "          {\n"
                        "            \"start\": {\n"
                        "              \"line\": 2\n"
                        "            },\n"
                        "            \"end\": {\n"
                        "              \"line\": 2\n"
                        "            }\n"
                        "          }\n"
                        "        ]\n"
                        "      }\n"
                        "    }\n"
                        "  ],\n"
                        "  \"ssh\": [\n"
                        "    {\n"
                        "      \"name\": \"default\",\n"
                        "      \"location\": {\n"
                        "        \"ranges\": [\n"
                        "          {\n"
                        "            \"start\": {\n"
                        "              \"line\": 3\n"
                        "            },\n"
                        "            \"end\": {\n"
                        "              \"line\": 3\n"
                        "            }\n"
                        "          }\n"
                        "        ]\n"
                        "      }\n"
                        "    }\n"
                        "  ],\n"
                        "  \"sources\": [\n"
                        "    \"@SRC@\"\n"
                        "  ]\n"
                        "}",
                        src);
  ck_assert_str_eq(got, want);
  free(got);
  free(want);
}
END_TEST

/* ---- the public corpus --------------------------------------------------- */

/* Every real-world file: the outline of each stage and the target list are
 * JSON that parses, or an error with a message. The outcome counts are
 * printed for a look at how often BuildKit would refuse these files. */
static bool json_ok(const dfl_buf *b)
{
  json_error_t e;
  json_t *j = json_loadb(b->data, b->len, 0, &e);
  bool ok = j && json_is_object(j) &&
            json_is_array(json_object_get(j, "sources"));
  json_decref(j);
  return ok;
}

START_TEST(test_corpus)
{
  if (!tu_shared_available("corpus/public"))
    return;
  DIR *d = opendir(tu_shared_path("corpus/public"));
  ck_assert_ptr_nonnull(d);
  struct dirent *e;
  size_t files = 0, outlines = 0, errors = 0, with_args = 0, with_secrets = 0;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    char path[4096];
    snprintf(path, sizeof path, "%s/corpus/public/%s", DFLINT_SHARED_DIR,
             e->d_name);
    size_t len;
    char *src = tu_read_file(path, &len);
    if (!src)
      continue;
    files++;
    dfl_dockerfile *df = dfl_parse(src, len, e->d_name);
    dfl_targets t;
    dfl_outline_error err;
    dfl_buf b;
    dfl_buf_init(&b);
    if (dfl_targets_build(df, &t, &err) == 0) {
      dfl_targets_json(&t, df, &b);
      ck_assert_msg(json_ok(&b), "%s: targets JSON does not parse", path);
      /* The default target, then each named stage. */
      for (size_t i = 0; i <= t.n; i++) {
        if (i < t.n && !t.items[i].name)
          continue;
        dfl_outline_options opts = {
            .target = i < t.n ? t.items[i].name : NULL};
        dfl_outline o;
        dfl_buf_reset(&b);
        if (dfl_outline_build(df, &opts, &o, &err) == 0) {
          dfl_outline_json(&o, df, &b);
          ck_assert_msg(json_ok(&b), "%s: outline JSON does not parse", path);
          outlines++;
          with_args += o.nargs > 0;
          with_secrets += o.nsecrets + o.nssh > 0;
          dfl_outline_free(&o);
        } else {
          ck_assert_msg(err.message && err.len, "%s: error without text",
                        path);
          errors++;
          dfl_outline_error_free(&err);
        }
      }
      dfl_targets_free(&t);
    } else {
      ck_assert_msg(err.message && err.len, "%s: error without text", path);
      errors++;
      dfl_outline_error_free(&err);
    }
    dfl_buf_free(&b);
    dfl_dockerfile_free(df);
    free(src);
  }
  closedir(d);
  fprintf(stderr,
          "outline corpus: %zu files, %zu outlines (%zu with args, %zu with "
          "secrets or ssh), %zu refused\n",
          files, outlines, with_args, with_secrets, errors);
  ck_assert_uint_gt(outlines, files);
}
END_TEST

static Suite *outline_suite(void)
{
  Suite *s = suite_create("outline");
  TCase *tc = tcase_create("outline");
  tcase_add_loop_test(tc, test_outline_cases, 0,
                      (int)(sizeof outline_cases / sizeof outline_cases[0]));
  tcase_add_loop_test(tc, test_targets_cases, 0,
                      (int)(sizeof targets_cases / sizeof targets_cases[0]));
  tcase_add_test(tc, test_layout);
  suite_add_tcase(s, tc);
  TCase *corpus = tcase_create("corpus");
  tcase_set_timeout(corpus, 300);
  tcase_add_test(corpus, test_corpus);
  suite_add_tcase(s, corpus);
  return s;
}

int main(void)
{
  return tu_run_suite(outline_suite());
}
