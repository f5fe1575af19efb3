/* Twins (src/lint/twins.c): where a hadolint rule and a BuildKit check report
 * the same thing, one of them reports: BuildKit's by default, hadolint's
 * under a hadolint configuration file or a DL selection, the one the user
 * names, and both only when both are named. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dflint/config.h"
#include "dflint/lint.h"
#include "dflint/parse.h"
#include "testutil.h"

static const char twins_df[] = "FROM scratch AS base\n"             /* 1 */
                               "MAINTAINER someone@example.com\n"   /* 2 */
                               "WORKDIR app\n"                      /* 3 */
                               "CMD echo one\n"                     /* 4 */
                               "CMD [\"/bin/true\"]\n"              /* 5 */
                               "HEALTHCHECK NONE\n"                 /* 6 */
                               "HEALTHCHECK NONE\n";                /* 7 */

typedef struct run {
  dfl_dockerfile *df;
  dfl_lint_result res;
} run;

static void push_csv(char ***list, size_t *n, const char *csv)
{
  if (!csv)
    return;
  char *copy = strdup(csv), *save = NULL;
  for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
    *list = realloc(*list, (*n + 1) * sizeof **list);
    (*list)[(*n)++] = strdup(t);
  }
  free(copy);
}

/* Lints text with a configuration file named cfg_path (only its name
 * matters), --select sel, --ignore ign (comma lists or NULL) and, when
 * override_id is set, that rule at severity sev. */
static void lint(run *r, const char *text, const char *cfg_path,
                 const char *sel, const char *ign, const char *override_id,
                 dfl_severity sev)
{
  dfl_lint_options o;
  dfl_lint_options_init(&o);
  o.shellcheck = DFL_SHELLCHECK_OFF;
  dfl_config cfg;
  dfl_config_init(&cfg);
  if (cfg_path) {
    cfg.path = strdup(cfg_path);
    o.config = &cfg;
  }
  push_csv(&o.sel.select, &o.sel.nselect, sel);
  push_csv(&o.sel.ignore, &o.sel.nignore, ign);
  if (override_id) {
    o.override_ids = malloc(sizeof *o.override_ids);
    o.override_sev = malloc(sizeof *o.override_sev);
    o.override_ids[0] = strdup(override_id);
    o.override_sev[0] = sev;
    o.noverrides = 1;
  }
  r->df = dfl_parse(text, strlen(text), "Dockerfile");
  dfl_lint(r->df, NULL, &o, &r->res);
  o.config = NULL;
  dfl_lint_options_free(&o);
  dfl_config_free(&cfg);
}

static void done(run *r)
{
  dfl_lint_result_free(&r->res);
  dfl_dockerfile_free(r->df);
}

static int count(const run *r, const char *id)
{
  int n = 0;
  for (size_t i = 0; i < r->res.ndiags; i++)
    if (strcmp(r->res.diags[i].rule_id, id) == 0)
      n++;
  return n;
}

static int count_at(const run *r, const char *id, uint32_t line)
{
  int n = 0;
  for (size_t i = 0; i < r->res.ndiags; i++)
    if (strcmp(r->res.diags[i].rule_id, id) == 0 &&
        r->res.diags[i].range.start.line == line)
      n++;
  return n;
}

START_TEST(default_is_buildkit)
{
  run r;
  lint(&r, twins_df, NULL, NULL, NULL, NULL, 0);
  ck_assert_int_eq(count(&r, "MaintainerDeprecated"), 1);
  ck_assert_int_eq(count(&r, "WorkdirRelativePath"), 1);
  ck_assert_int_eq(count(&r, "JSONArgsRecommended"), 1);
  ck_assert_int_eq(count(&r, "MultipleInstructionsDisallowed"), 2);
  ck_assert_int_eq(count(&r, "DL4000"), 0);
  ck_assert_int_eq(count(&r, "DL3000"), 0);
  ck_assert_int_eq(count(&r, "DL3025"), 0);
  ck_assert_int_eq(count(&r, "DL4003"), 0);
  ck_assert_int_eq(count(&r, "DL3012"), 0);
  done(&r);
  /* A dflint configuration file changes nothing. */
  lint(&r, twins_df, "/repo/.dflint.yaml", NULL, NULL, NULL, 0);
  ck_assert_int_eq(count(&r, "MaintainerDeprecated"), 1);
  ck_assert_int_eq(count(&r, "DL4000"), 0);
  done(&r);
}
END_TEST

START_TEST(hadolint_file_is_hadolint)
{
  static const char *const files[] = {
    ".hadolint.yaml", "/repo/.hadolint.yml", "/home/u/.config/hadolint.yaml",
    "/home/u/.hadolint/config.yml", "/home/u/.hadolint.yaml",
  };
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    run r;
    lint(&r, twins_df, files[i], NULL, NULL, NULL, 0);
    ck_assert_msg(count(&r, "DL4000") == 1 &&
                      count(&r, "MaintainerDeprecated") == 0,
                  "%s", files[i]);
    ck_assert_int_eq(count(&r, "DL3000"), 1);
    ck_assert_int_eq(count(&r, "WorkdirRelativePath"), 0);
    ck_assert_int_eq(count(&r, "DL3025"), 1);
    ck_assert_int_eq(count(&r, "JSONArgsRecommended"), 0);
    ck_assert_int_eq(count_at(&r, "DL4003", 5), 1);
    ck_assert_int_eq(count_at(&r, "DL3012", 7), 1);
    ck_assert_int_eq(count(&r, "MultipleInstructionsDisallowed"), 0);
    done(&r);
  }
}
END_TEST

START_TEST(selection_picks_a_side)
{
  run r;
  /* A DL selection is hadolint mode; "all" is BuildKit's. */
  lint(&r, twins_df, NULL, "DL", NULL, NULL, 0);
  ck_assert_int_eq(count(&r, "DL4000"), 1);
  ck_assert_int_eq(count(&r, "MaintainerDeprecated"), 0);
  done(&r);
  lint(&r, twins_df, NULL, "DL,buildkit", NULL, NULL, 0);
  ck_assert_int_eq(count(&r, "DL4000"), 1);
  ck_assert_int_eq(count(&r, "MaintainerDeprecated"), 0);
  ck_assert_int_eq(count(&r, "DL3025"), 1);
  ck_assert_int_eq(count(&r, "JSONArgsRecommended"), 0);
  done(&r);
  lint(&r, twins_df, NULL, "all", NULL, NULL, 0);
  ck_assert_int_eq(count(&r, "DL4000"), 0);
  ck_assert_int_eq(count(&r, "MaintainerDeprecated"), 1);
  ck_assert_int_eq(count(&r, "DL4003"), 0);
  ck_assert_int_eq(count(&r, "MultipleInstructionsDisallowed"), 2);
  done(&r);
  /* Both named: both shown. */
  lint(&r, twins_df, NULL, "DL4000,MaintainerDeprecated", NULL, NULL, 0);
  ck_assert_int_eq(count(&r, "DL4000"), 1);
  ck_assert_int_eq(count(&r, "MaintainerDeprecated"), 1);
  done(&r);
  /* Selecting BuildKit's under a hadolint file still reports them. */
  lint(&r, twins_df, ".hadolint.yaml", "buildkit", NULL, NULL, 0);
  ck_assert_int_eq(count(&r, "MaintainerDeprecated"), 1);
  ck_assert_int_eq(count(&r, "DL4000"), 0);
  done(&r);
}
END_TEST

START_TEST(ignoring_one_twin_ignores_the_finding)
{
  run r;
  lint(&r, twins_df, NULL, NULL, "DL4000", NULL, 0);
  ck_assert_int_eq(count(&r, "DL4000"), 0);
  ck_assert_int_eq(count(&r, "MaintainerDeprecated"), 0);
  done(&r);
  lint(&r, twins_df, ".hadolint.yaml", NULL, "MaintainerDeprecated", NULL, 0);
  ck_assert_int_eq(count(&r, "DL4000"), 0);
  ck_assert_int_eq(count(&r, "MaintainerDeprecated"), 0);
  done(&r);
  /* One of several twins ignored: the others take over, the rest of the
   * BuildKit check is not lost and nothing is reported twice. */
  lint(&r, twins_df, NULL, NULL, "DL3012", NULL, 0);
  ck_assert_int_eq(count(&r, "DL3012"), 0);
  ck_assert_int_eq(count(&r, "MultipleInstructionsDisallowed"), 0);
  ck_assert_int_eq(count(&r, "DL4003"), 1);
  done(&r);
  /* Ignoring hadolint's rules as a group under a hadolint file: BuildKit's
   * checks report. */
  lint(&r, twins_df, ".hadolint.yaml", NULL, "DL", NULL, 0);
  ck_assert_int_eq(count(&r, "DL4000"), 0);
  ck_assert_int_eq(count(&r, "MaintainerDeprecated"), 1);
  done(&r);
}
END_TEST

START_TEST(overrides_name_a_side)
{
  run r;
  lint(&r, twins_df, NULL, NULL, NULL, "DL4000", DFL_SEV_WARNING);
  ck_assert_int_eq(count(&r, "DL4000"), 1);
  ck_assert_int_eq(count(&r, "MaintainerDeprecated"), 0);
  done(&r);
  lint(&r, twins_df, ".hadolint.yaml", NULL, NULL, "JSONArgsRecommended",
       DFL_SEV_ERROR);
  ck_assert_int_eq(count(&r, "JSONArgsRecommended"), 1);
  ck_assert_int_eq(count(&r, "DL3025"), 0);
  ck_assert_int_eq(count(&r, "DL4000"), 1);
  done(&r);
}
END_TEST

START_TEST(pragmas_cover_the_twin)
{
  run r;
  lint(&r,
       "FROM scratch\n# hadolint ignore=DL4000\nMAINTAINER me\n"
       "# check=skip=JSONArgsRecommended\nCMD x\n",
       NULL, NULL, NULL, NULL, 0);
  ck_assert_int_eq(count(&r, "MaintainerDeprecated"), 0);
  ck_assert_int_eq(count(&r, "JSONArgsRecommended"), 0);
  ck_assert_int_eq(count(&r, "DL3025"), 0);
  done(&r);
  lint(&r, "FROM scratch\n# dflint ignore=MaintainerDeprecated\nMAINTAINER me\n",
       ".hadolint.yaml", NULL, NULL, NULL, 0);
  ck_assert_int_eq(count(&r, "DL4000"), 0);
  ck_assert_int_eq(count(&r, "MaintainerDeprecated"), 0);
  done(&r);
}
END_TEST

int main(void)
{
  Suite *s = suite_create("twins");
  TCase *tc = tcase_create("twins");
  tcase_add_test(tc, default_is_buildkit);
  tcase_add_test(tc, hadolint_file_is_hadolint);
  tcase_add_test(tc, selection_picks_a_side);
  tcase_add_test(tc, ignoring_one_twin_ignores_the_finding);
  tcase_add_test(tc, overrides_name_a_side);
  tcase_add_test(tc, pragmas_cover_the_twin);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}
