/* DF102 NoMultiStageBuild and DF104 CgoBinaryOnStaticBase: the variants the
 * golden cases (testdata/rules/DF102, DF104) do not each get a file for.
 * Every case is a Dockerfile, the rule, and the lines it must be reported
 * on (none: silent). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dflint/lint.h"
#include "dflint/parse.h"
#include "testutil.h"

typedef struct lint_case {
  const char *name;
  const char *rule;
  const char *dockerfile;
  unsigned lines[4]; /* expected finding lines, 0-terminated */
} lint_case;

static const lint_case cases[] = {
  /* ---- DF102: the building commands ---------------------------------- */
  {"go install", "DF102", "FROM golang:1.22\nRUN go install ./cmd/...\n", {2}},
  {"cargo +toolchain build", "DF102",
   "FROM rust:1-slim\nRUN cargo +nightly build --release\n", {2}},
  {"mvn phases after flags", "DF102",
   "FROM maven:3.9-eclipse-temurin-21\nRUN mvn -B -DskipTests clean verify\n",
   {2}},
  {"mvn go-offline builds nothing", "DF102",
   "FROM maven:3.9-eclipse-temurin-21\nRUN mvn dependency:go-offline\n", {0}},
  {"mvnw", "DF102", "FROM eclipse-temurin:21\nRUN ./mvnw package\n", {2}},
  {"gradlew subproject task", "DF102",
   "FROM gradle:8-jdk17\nRUN ./gradlew --no-daemon :app:bootJar\n", {2}},
  {"gradle test builds nothing shipped", "DF102",
   "FROM gradle:8-jdk17\nRUN gradle test\n", {0}},
  {"yarn build", "DF102", "FROM node:20\nRUN yarn build\n", {2}},
  {"pnpm run build:prod", "DF102", "FROM node:20\nRUN pnpm run build:prod\n",
   {2}},
  {"npm --prefix dir run build", "DF102",
   "FROM node:20\nRUN npm --prefix web run build\n", {2}},
  {"npm build is not a script run", "DF102", "FROM node:20\nRUN npm test\n",
   {0}},
  {"dotnet publish", "DF102",
   "FROM mcr.microsoft.com/dotnet/sdk:8.0\nRUN dotnet publish -c Release\n",
   {2}},
  {"gcc", "DF102", "FROM gcc:13\nRUN gcc -O2 -o /app main.c\n", {2}},
  {"cmake --build", "DF102",
   "FROM gcc:13\nRUN cmake -S . -B b && cmake --build b\n", {2}},
  {"compiler version queries", "DF102",
   "FROM gcc:13\nRUN gcc --version && cmake --version && make -n\n", {0}},
  {"through env and sudo", "DF102",
   "FROM golang:1.22\nRUN sudo env GOOS=linux go build .\n", {2}},
  {"first building command of several", "DF102",
   "FROM golang:1.22\nRUN echo hi\nRUN make && go build .\n", {3}},
  {"python -m pip with build deps", "DF102",
   "FROM python:3.12\nRUN apt-get install -y build-essential\n"
   "RUN python3 -m pip install numpy\n",
   {3}},
  {"pip without build deps", "DF102",
   "FROM python:3.12\nRUN pip install -r requirements.txt\n", {0}},
  {"pip build deps removed in the same RUN", "DF102",
   "FROM python:3.12-alpine\nRUN apk add --virtual .b gcc musl-dev && "
   "pip install psutil && apk del .b\n",
   {0}},
  {"build deps removed in a later RUN stay in a layer", "DF102",
   "FROM python:3.12-alpine\nRUN apk add gcc musl-dev\n"
   "RUN pip install psutil && apk del gcc musl-dev\n",
   {3}},
  {"a go toolchain from the base is not removed by apt-get purge", "DF102",
   "FROM golang:1.22\nRUN go build . && apt-get purge -y git\n", {2}},
  /* ---- DF102: what counts as single-stage ----------------------------- */
  {"FROM an earlier stage is still one image", "DF102",
   "FROM golang:1.22 AS base\nRUN go build .\nFROM base\nCMD [\"/app\"]\n",
   {2}},
  {"multi-stage", "DF102",
   "FROM golang:1.22 AS b\nRUN go build -o /a .\nFROM scratch\n"
   "COPY --from=b /a /a\n",
   {0}},
  {"multi-stage through RUN --mount from", "DF102",
   "FROM golang:1.22 AS b\nRUN go build -o /a .\nFROM alpine:3.20\n"
   "RUN --mount=from=b,source=/a,target=/m cp /m /a\n",
   {0}},
  {"building in the final stage of a multi-stage file", "DF102",
   "FROM node:20 AS deps\nRUN npm ci\nFROM node:20\n"
   "COPY --from=deps /node_modules /node_modules\nRUN npm run build\n",
   {0}},
  {"COPY --from a variable may name a stage", "DF102",
   "ARG B=b\nFROM golang:1.22 AS b\nFROM golang:1.22\n"
   "COPY --from=${B} /x /x\nRUN go build .\n",
   {0}},
  {"RUN --mount from a variable may name a stage", "DF102",
   "FROM golang:1.22\n"
   "RUN --mount=type=bind,from=$SRC,target=/s go build ./s\n",
   {0}},
  {"a cache mount with a variable is no stage", "DF102",
   "FROM golang:1.22\n"
   "RUN --mount=type=cache,target=$GOCACHE go build .\n",
   {2}},
  {"COPY --from an image is not a stage", "DF102",
   "FROM debian:12\nCOPY --from=golang:1.22 /usr/local/go /usr/local/go\n"
   "RUN /usr/local/go/bin/go build .\n",
   {3}},
  {"a stage no one builds", "DF102",
   "FROM golang:1.22 AS unused\nRUN go build .\nFROM alpine:3.20\nRUN echo\n",
   {0}},
  {"no FROM, ONBUILD and exec form", "DF102",
   "RUN go build .\nFROM golang:1.22\nONBUILD RUN go build .\n"
   "RUN [\"go\", \"build\", \".\"]\n",
   {0}},
  /* ---- DF104 ----------------------------------------------------------- */
  {"cgo on glibc into scratch", "DF104",
   "FROM golang:1.22 AS b\nRUN go build -o /a .\nFROM scratch\n"
   "COPY --from=b /a /a\n",
   {2}},
  {"into chainguard static through a stage", "DF104",
   "FROM golang:1.22 AS b\nRUN go build -o /a .\nFROM b AS c\nRUN strip /a\n"
   "FROM cgr.dev/chainguard/static\nCOPY --from=c /a /a\n",
   {2}},
  {"into busybox musl", "DF104",
   "FROM golang:1.22 AS b\nRUN go build -o /a .\nFROM busybox:1.36-musl\n"
   "COPY --from=b /a /a\n",
   {2}},
  {"alpine builder without gcc", "DF104",
   "FROM golang:1.22-alpine AS b\nRUN go build -o /a .\nFROM scratch\n"
   "COPY --from=b /a /a\n",
   {0}},
  {"alpine builder with gcc from an earlier stage", "DF104",
   "FROM golang:1.22-alpine AS tc\nRUN apk add gcc musl-dev\nFROM tc AS b\n"
   "RUN go build -o /a .\nFROM scratch\nCOPY --from=b /a /a\n",
   {4}},
  {"gcc installed in the same RUN", "DF104",
   "FROM golang:1.22-alpine AS b\nRUN apk add build-base && go build -o /a .\n"
   "FROM scratch\nCOPY --from=b /a /a\n",
   {2}},
  {"CGO_ENABLED=0 then go env -w back on", "DF104",
   "FROM golang:1.22 AS b\nRUN go env -w CGO_ENABLED=1\n"
   "RUN go build -o /a .\nFROM scratch\nCOPY --from=b /a /a\n",
   {3}},
  {"go env -w in an earlier stage of the chain", "DF104",
   "FROM golang:1.22 AS base\nRUN go env -w CGO_ENABLED=0\nFROM base AS b\n"
   "RUN go build -o /a .\nFROM scratch\nCOPY --from=b /a /a\n",
   {0}},
  {"go env -u undoes a base stage's go env -w", "DF104",
   "FROM golang:1.22 AS base\nRUN go env -w CGO_ENABLED=0\nFROM base AS b\n"
   "RUN go env -u CGO_ENABLED && go build -o /a .\nFROM scratch\n"
   "COPY --from=b /a /a\n",
   {4}},
  {"ENV overrides go env -w", "DF104",
   "FROM golang:1.22 AS b\nRUN go env -w CGO_ENABLED=0\nENV CGO_ENABLED=1\n"
   "RUN go build -o /a .\nFROM scratch\nCOPY --from=b /a /a\n",
   {4}},
  {"export in a subshell does not reach go build", "DF104",
   "FROM golang:1.22 AS b\nRUN (export CGO_ENABLED=0) && go build -o /a .\n"
   "FROM scratch\nCOPY --from=b /a /a\n",
   {2}},
  {"a conditional export may turn cgo off", "DF104",
   "FROM golang:1.22 AS b\nRUN if [ -n \"$S\" ]; then export CGO_ENABLED=0; "
   "fi; go build -o /a .\nFROM scratch\nCOPY --from=b /a /a\n",
   {0}},
  {"a value from a variable may turn cgo off", "DF104",
   "FROM golang:1.22 AS b\nRUN CGO_ENABLED=$CGO go build -o /a .\n"
   "FROM scratch\nCOPY --from=b /a /a\n",
   {0}},
  {"the name in an echo changes nothing", "DF104",
   "FROM golang:1.22 AS b\nRUN echo CGO_ENABLED=0; go build -o /a .\n"
   "FROM scratch\nCOPY --from=b /a /a\n",
   {2}},
  {"--build-arg CGO_ENABLED=0", "DF104",
   "FROM golang:1.22 AS b\nARG CGO_ENABLED=1\nRUN go build -o /a .\n"
   "FROM scratch\nCOPY --from=b /a /a\n",
   {3}},
  {"netgo alone is not enough", "DF104",
   "FROM golang:1.22 AS b\nRUN go build -tags netgo -o /a .\nFROM scratch\n"
   "COPY --from=b /a /a\n",
   {2}},
  {"static ldflags through GOFLAGS", "DF104",
   "FROM golang:1.22 AS b\n"
   "RUN GOFLAGS=-ldflags=-extldflags=-static go build -o /a .\n"
   "FROM scratch\nCOPY --from=b /a /a\n",
   {0}},
  {"linker flags from a variable may link statically", "DF104",
   "FROM golang:1.22 AS b\nRUN go build -ldflags \"$LDFLAGS\" -o /a .\n"
   "FROM scratch\nCOPY --from=b /a /a\n",
   {0}},
  {"a variable in -X changes nothing", "DF104",
   "FROM golang:1.22 AS b\n"
   "RUN go build -ldflags \"-s -w -X main.version=$V\" -o /a .\n"
   "FROM scratch\nCOPY --from=b /a /a\n",
   {2}},
  {"unknown final base", "DF104",
   "FROM golang:1.22 AS b\nRUN go build -o /a .\nFROM example.com/mine:1\n"
   "COPY --from=b /a /a\n",
   {0}},
  {"the final stage builds itself", "DF104",
   "FROM golang:1.22\nRUN go build -o /a .\n", {0}},
  {"musl builder into glibc runtime is out of scope", "DF104",
   "FROM golang:1.22-alpine AS b\nRUN apk add gcc musl-dev\n"
   "RUN go build -o /a .\nFROM debian:12-slim\nCOPY --from=b /a /a\n",
   {0}},
};

static void run_case(const lint_case *c, const char *extra_arg)
{
  dfl_lint_options o;
  dfl_lint_options_init(&o);
  o.sel.select = malloc(sizeof(char *));
  o.sel.select[0] = strdup(c->rule);
  o.sel.nselect = 1;
  if (extra_arg)
    dfl_env_set(&o.build_args, "CGO_ENABLED", 11, extra_arg,
                strlen(extra_arg));
  dfl_dockerfile *df =
      dfl_parse(c->dockerfile, strlen(c->dockerfile), "Dockerfile");
  dfl_lint_result res;
  dfl_lint(df, "Dockerfile", &o, &res);
  size_t want = 0;
  while (want < 4 && c->lines[want])
    want++;
  if (extra_arg)
    want = 0; /* the only such case: the build arg turns cgo off */
  size_t got = 0;
  for (size_t d = 0; d < res.ndiags; d++)
    if (strcmp(res.diags[d].rule_id, c->rule) == 0) {
      ck_assert_msg(got < want, "%s: unexpected %s on line %u: %s", c->name,
                    c->rule, res.diags[d].range.start.line,
                    res.diags[d].message);
      ck_assert_msg(res.diags[d].range.start.line == c->lines[got],
                    "%s: %s on line %u, want %u", c->name, c->rule,
                    res.diags[d].range.start.line, c->lines[got]);
      got++;
    }
  ck_assert_msg(got == want, "%s: %zu finding(s), want %zu", c->name, got,
                want);
  dfl_lint_result_free(&res);
  dfl_dockerfile_free(df);
  dfl_lint_options_free(&o);
}

START_TEST(lint_cases)
{
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    run_case(&cases[i], NULL);
}
END_TEST

/* A --build-arg overrides the ARG default the rule would otherwise see. */
START_TEST(build_arg_overrides_default)
{
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    if (strcmp(cases[i].name, "--build-arg CGO_ENABLED=0") == 0)
      run_case(&cases[i], "0");
}
END_TEST

static Suite *suite(void)
{
  Suite *s = suite_create("df_build");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, lint_cases);
  tcase_add_test(tc, build_arg_overrides_default);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return tu_run_suite(suite()); }
