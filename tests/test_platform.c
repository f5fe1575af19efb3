/* containerd platforms.Parse / Format equivalents (src/model/platform.c). */
#include <stdlib.h>
#include <string.h>

#include "dflint/platform.h"
#include "testutil.h"

static const struct {
  const char *in;
  const char *os, *arch, *variant, *os_version;
  const char *format_all;
} ok_cases[] = {
  {"linux/amd64", "linux", "amd64", "", "", "linux/amd64"},
  {"Linux/AMD64", "linux", "amd64", "", "", "linux/amd64"},
  {"linux/x86_64", "linux", "amd64", "", "", "linux/amd64"},
  {"linux/amd64/v1", "linux", "amd64", "", "", "linux/amd64"},
  {"linux/amd64/v3", "linux", "amd64", "v3", "", "linux/amd64/v3"},
  {"linux/arm64", "linux", "arm64", "", "", "linux/arm64"},
  {"linux/aarch64", "linux", "arm64", "", "", "linux/arm64"},
  /* with three parts an arm64 variant is spelled out */
  {"linux/arm64/v8", "linux", "arm64", "v8", "", "linux/arm64/v8"},
  {"linux/arm/v7", "linux", "arm", "v7", "", "linux/arm/v7"},
  {"linux/arm", "linux", "arm", "", "", "linux/arm"},
  {"linux/arm/7", "linux", "arm", "v7", "", "linux/arm/v7"},
  {"linux/armel", "linux", "arm", "v6", "", "linux/arm/v6"},
  {"linux/i386", "linux", "386", "", "", "linux/386"},
  {"windows/amd64", "windows", "amd64", "", "", "windows/amd64"},
  {"windows(10.0.17763)/amd64", "windows", "amd64", "", "10.0.17763",
   "windows(10.0.17763)/amd64"},
  {"macos/arm64", "darwin", "arm64", "", "", "darwin/arm64"},
  /* one word: a known OS gets the host architecture... */
  {"linux", "linux", "amd64", "", "", "linux/amd64"},
  {"windows", "windows", "amd64", "", "", "windows/amd64"},
  /* ...anything else must be a known architecture, on the host OS */
  {"arm64", "linux", "arm64", "", "", "linux/arm64"},
  {"armhf", "linux", "arm", "", "", "linux/arm"},
  {"x86_64", "linux", "amd64", "", "", "linux/amd64"},
  {"s390x", "linux", "s390x", "", "", "linux/s390x"},
  /* the architecture of an os/arch pair is not checked */
  {"linux/foo", "linux", "foo", "", "", "linux/foo"},
};

static const struct {
  const char *in;
  const char *err;
} bad_cases[] = {
  {"", "\"\" is an invalid OS component of \"\": OSAndVersion specifier "
       "component must match \"^([A-Za-z0-9_-]+)(?:\\\\(([A-Za-z0-9_.%-]*)"
       "((?:\\\\+[A-Za-z0-9_.%-]+)*)\\\\))?$\": invalid argument"},
  {"linux/", "\"\" is an invalid component of \"linux/\": platform specifier "
             "component must match \"^[A-Za-z0-9_.-]+$\": invalid argument"},
  {"foo", "\"foo\": unknown operating system or architecture: invalid "
          "argument"},
  {"linux/amd64/v1/x", "\"linux/amd64/v1/x\": cannot parse platform "
                       "specifier: invalid argument"},
  {"linux/*", "\"linux/*\": wildcards not yet supported: invalid argument"},
  {"linux/am d64", "\"am d64\" is an invalid component of \"linux/am d64\": "
                   "platform specifier component must match "
                   "\"^[A-Za-z0-9_.-]+$\": invalid argument"},
  {"windows(1%zz)/amd64", "\"windows(1%zz)/amd64\" has an invalid OS "
                          "version \"1%zz\": invalid URL escape \"%zz\""},
};

START_TEST(parse_ok)
{
  for (size_t i = 0; i < sizeof ok_cases / sizeof ok_cases[0]; i++) {
    dfl_platform p;
    char *err = NULL;
    int rc = dfl_platform_parse(ok_cases[i].in, strlen(ok_cases[i].in), &p,
                                &err);
    ck_assert_msg(rc == 0, "%s: %s", ok_cases[i].in, err ? err : "");
    ck_assert_str_eq(p.os, ok_cases[i].os);
    ck_assert_str_eq(p.arch, ok_cases[i].arch);
    ck_assert_str_eq(p.variant, ok_cases[i].variant);
    ck_assert_str_eq(p.os_version, ok_cases[i].os_version);
    char *f = dfl_platform_format_all(&p);
    ck_assert_str_eq(f, ok_cases[i].format_all);
    free(f);
    dfl_platform_free(&p);
  }
}
END_TEST

START_TEST(parse_errors)
{
  for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
    dfl_platform p;
    char *err = NULL;
    int rc = dfl_platform_parse(bad_cases[i].in, strlen(bad_cases[i].in), &p,
                                &err);
    ck_assert_msg(rc == -1, "%s parsed", bad_cases[i].in);
    ck_assert_ptr_nonnull(err);
    ck_assert_str_eq(err, bad_cases[i].err);
    ck_assert_ptr_null(p.os);
    free(err);
  }
}
END_TEST

START_TEST(features_and_format)
{
  dfl_platform p;
  const char *s = "windows(10.0.17763+win32k+a%2Bb)/amd64";
  ck_assert_int_eq(dfl_platform_parse(s, strlen(s), &p, NULL), 0);
  ck_assert_uint_eq(p.nos_features, 2);
  ck_assert_str_eq(p.os_features[0], "win32k");
  ck_assert_str_eq(p.os_features[1], "a+b");
  char *f = dfl_platform_format_all(&p);
  /* features sorted, special characters encoded again */
  ck_assert_str_eq(f, "windows(10.0.17763+a%2Bb+win32k)/amd64");
  free(f);
  f = dfl_platform_format(&p);
  ck_assert_str_eq(f, "windows/amd64");
  free(f);
  dfl_platform_free(&p);

  dfl_platform q;
  memset(&q, 0, sizeof q);
  q.os = strdup("");
  q.arch = strdup("aarch64");
  q.variant = strdup("8");
  dfl_platform_normalize(&q);
  f = dfl_platform_format(&q);
  ck_assert_str_eq(f, "linux/arm64");
  free(f);
  dfl_platform_free(&q);

  dfl_platform empty;
  memset(&empty, 0, sizeof empty);
  f = dfl_platform_format_all(&empty);
  ck_assert_str_eq(f, "unknown");
  free(f);
}
END_TEST

int main(void)
{
  Suite *s = suite_create("platform");
  TCase *tc = tcase_create("platform");
  tcase_add_test(tc, parse_ok);
  tcase_add_test(tc, parse_errors);
  tcase_add_test(tc, features_and_format);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}
