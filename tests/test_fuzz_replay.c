/* Replays every input under testdata/fuzz-regressions/<target>/ through the
 * fuzz target's own code (tests/fuzz/fuzz_<target>.c, compiled here without
 * libFuzzer), so each crash, leak or hang the fuzzers found stays fixed in
 * the normal build, under ASan/UBSan (make asan) and valgrind (make
 * valgrind). Each target also runs on a few fixed inputs, so the suite has
 * work to do before any regression exists. */
#define DFL_FUZZ_REPLAY 1

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testutil.h"

#include "fuzz/fuzz_config.c"
#include "fuzz/fuzz_dockerignore.c"
#include "fuzz/fuzz_expand.c"
#include "fuzz/fuzz_lint.c"
#include "fuzz/fuzz_parse.c"
#include "fuzz/fuzz_pragma.c"
#include "fuzz/fuzz_refs.c"
#include "fuzz/fuzz_shell.c"
/* The registry client's parsers, once the advisor has them. */
#if defined(__has_include)
#if __has_include("advisor/registry_internal.h")
#define DFL_FUZZ_HAVE_REGISTRY 1
#include "fuzz/fuzz_registry_json.c"
#endif
#endif

typedef struct target {
  const char *name;
  int (*fn)(const uint8_t *, size_t);
  const char *sample; /* a fixed input (sizeof - 1 bytes, NULs allowed) */
  size_t sample_len;
} target;

#define S(s) s, sizeof(s) - 1

static const target targets[] = {
  {"parse", dfl_fuzz_parse, S("FROM alpine\nRUN <<EOF\necho hi\nEOF\nCOPY a \\\n b\n")},
  {"expand", dfl_fuzz_expand, S("\x00\x02X=1\nY=two words\n${X:-a}$Y\"$Z\"'q'")},
  {"lint", dfl_fuzz_lint,
   S("# syntax=docker/dockerfile:1\nFROM ubuntu:latest AS b\n"
     "RUN apt-get update && apt-get install curl\nONBUILD RUN cd /x\n"
     "FROM b\nCOPY --from=b /a /b\nCMD echo $UNDEFINED\n")},
  {"pragma", dfl_fuzz_pragma, S(" dflint ignore=DL3008,DF101 -- reason")},
  {"config", dfl_fuzz_config,
   S("ignored: [DL3008]\ntrustedRegistries: [docker.io]\n"
     "label-schema:\n  maintainer: text\nfailure-threshold: warning\n")},
  {"dockerignore", dfl_fuzz_dockerignore, S("*.md\n!README.md\nbuild/**\n\0docs/a.md\0README.md\0build/x/y")},
  {"refs", dfl_fuzz_refs, S("ghcr.io/a/b:1.2@sha256:" "0123456789abcdef0123456789abcdef" "0123456789abcdef0123456789abcdef\0v2")},
  {"shell", dfl_fuzz_shell, S("set -e; sudo -E env X=1 apt-get install -y curl | tee log && CGO_ENABLED=0 go build -o out $(pwd)")},
#ifdef DFL_FUZZ_HAVE_REGISTRY
  {"registry_json", dfl_fuzz_registry_json,
   S("\x01{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
     "\"digest\":\"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\",\"size\":7,"
     "\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\"}}]}")},
#endif
};
#define NTARGETS (sizeof targets / sizeof targets[0])

/* Inputs the fuzzers found, one file each; a missing directory is no
 * regression yet. */
START_TEST(replay_regressions)
{
  const target *t = &targets[_i];
  ck_assert_int_eq(t->fn((const uint8_t *)t->sample, t->sample_len), 0);
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/testdata/fuzz-regressions/%s", DFLINT_SOURCE_DIR, t->name);
  DIR *d = opendir(dir);
  if (!d)
    return;
  size_t n = 0;
  for (struct dirent *e; (e = readdir(d));) {
    if (e->d_name[0] == '.' || strcmp(e->d_name, "README.md") == 0)
      continue;
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    size_t len;
    char *data = tu_read_file(path, &len);
    ck_assert_msg(data != NULL, "cannot read %s", path);
    clock_t t0 = clock();
    ck_assert_int_eq(t->fn((const uint8_t *)data, len), 0);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    /* The fuzzers run with -timeout=10; a fixed hang must be far below. */
    ck_assert_msg(secs < tu_time_limit(10.0), "%s took %.1f s", path, secs);
    free(data);
    n++;
  }
  closedir(d);
  printf("fuzz replay: %s: %zu regression input(s)\n", t->name, n);
}
END_TEST

static Suite *fuzz_replay_suite(void)
{
  Suite *s = suite_create("fuzz_replay");
  TCase *tc = tcase_create("regressions");
  tcase_add_loop_test(tc, replay_regressions, 0, NTARGETS);
  tcase_set_timeout(tc, 300);
  suite_add_tcase(s, tc);
  return s;
}

int main(void)
{
  return tu_run_suite(fuzz_replay_suite());
}
