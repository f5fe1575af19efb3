/* hadolint's rule specs (../shared/conformance/hadolint-cases.json): each
 * case's Dockerfile linted with that rule alone (and the case's config) must
 * fire or stay silent as stated, with the stated count. Like hadolint's test
 * harness, this looks at findings before severity filtering. Every miss is
 * printed; docs/hadolint-compat.md explains the ones we keep. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dflint/config.h"
#include "dflint/lint.h"
#include "dflint/parse.h"
#include "testutil.h"

/* The share of cases that must pass (the target). */
#define REQUIRED_PASS_RATE 0.98

static char *yaml_of(json_t *cfg)
{
  /* The case configs are small maps of lists, maps and booleans: JSON is
   * valid YAML, so the loader reads jansson's dump directly. */
  return json_dumps(cfg, JSON_COMPACT);
}

static bool counts_as(const char *want, const char *got)
{
  if (strcmp(want, "*") == 0)
    return true;
  if (strcmp(want, "SC") == 0)
    return strncmp(got, "SC", 2) == 0;
  return strcmp(want, got) == 0;
}

START_TEST(hadolint_cases)
{
  if (!tu_shared_available("conformance/hadolint-cases.json"))
    return;
  json_error_t jerr;
  json_t *cases = json_load_file(
      tu_shared_path("conformance/hadolint-cases.json"), 0, &jerr);
  ck_assert_ptr_nonnull(cases);
  size_t i, pass = 0, total = 0;
  json_t *c;
  json_array_foreach(cases, i, c)
  {
    const char *rule = json_string_value(json_object_get(c, "rule"));
    bool onbuild = json_is_true(json_object_get(c, "onbuild"));
    const char *text = json_string_value(json_object_get(
        c, onbuild ? "dockerfile_onbuild" : "dockerfile"));
    if (!text)
      text = json_string_value(json_object_get(c, "dockerfile"));
    bool catch = strcmp(json_string_value(json_object_get(c, "expect")),
                        "catch") == 0;
    json_t *count = json_object_get(c, "count");
    total++;

    /* The upstream harness appends one newline before parsing. */
    size_t len = strlen(text);
    char *src = malloc(len + 2);
    memcpy(src, text, len);
    src[len] = '\n';
    src[len + 1] = '\0';

    dfl_lint_options o;
    dfl_lint_options_init(&o);
    dfl_config cfg;
    dfl_config_init(&cfg);
    json_t *jc = json_object_get(c, "config");
    bool cfg_ok = true;
    if (jc) {
      char *y = yaml_of(jc);
      char *err = NULL;
      cfg_ok = dfl_config_parse(y, strlen(y), "case.yaml", &cfg, &err) == 0;
      if (!cfg_ok)
        fprintf(stderr, "case %zu: config: %s\n", i, err);
      free(err);
      free(y);
      dfl_config_apply_lint(&cfg, &o);
      o.config = &cfg;
    }
    /* "*" means any of hadolint's rules (its own and ShellCheck's). */
    o.sel.select = malloc(2 * sizeof(char *));
    o.sel.nselect = 1;
    if (strcmp(rule, "*") == 0) {
      o.sel.select[0] = strdup("hadolint");
      o.sel.select[1] = strdup("shellcheck");
      o.sel.nselect = 2;
    } else {
      o.sel.select[0] =
          strdup(strcmp(rule, "SC") == 0 ? "shellcheck" : rule);
    }

    dfl_dockerfile *df = dfl_parse(src, len + 1, NULL);
    dfl_lint_result res;
    dfl_lint(df, NULL, &o, &res);
    long n = 0;
    for (size_t d = 0; d < res.ndiags; d++)
      if (counts_as(rule, res.diags[d].rule_id))
        n++;
    bool ok = cfg_ok && (catch ? n > 0 : n == 0);
    if (ok && count)
      ok = n == json_integer_value(count);
    if (ok)
      pass++;
    else {
      char *want = count ? json_dumps(count, JSON_ENCODE_ANY) : NULL;
      fprintf(stderr, "MISS %s %s (%s): got %ld finding(s)%s%s\n  %s\n", rule,
              catch ? "catch" : "pass",
              json_string_value(json_object_get(c, "source_test")), n,
              want ? ", want " : "", want ? want : "", text);
      free(want);
    }
    dfl_lint_result_free(&res);
    dfl_dockerfile_free(df);
    o.config = NULL;
    dfl_lint_options_free(&o);
    dfl_config_free(&cfg);
    free(src);
  }
  json_decref(cases);
  double rate = total ? (double)pass / (double)total : 1.0;
  fprintf(stderr, "hadolint cases: %zu/%zu reproduced (%.1f%%)\n", pass, total,
          rate * 100);
  ck_assert_msg(rate >= REQUIRED_PASS_RATE,
                "only %.1f%% of hadolint's cases reproduced", rate * 100);
}
END_TEST

int main(void)
{
  Suite *s = suite_create("hadolint_cases");
  TCase *tc = tcase_create("cases");
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, hadolint_cases);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}
