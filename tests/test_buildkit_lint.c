/* BuildKit's own lint tests (../shared/conformance/buildkit-lint-cases.json):
 * each case's Dockerfile (and .dockerignore, build args) linted with
 * BuildKit's rules must give the same (rule, line, detail) findings. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dflint/lint.h"
#include "dflint/parse.h"
#include "testutil.h"

static void write_file(const char *dir, const char *name, const char *text)
{
  char p[4096];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  FILE *f = fopen(p, "wb");
  fputs(text, f);
  fclose(f);
}

static int cmp_lines(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

START_TEST(buildkit_lint_cases)
{
  if (!tu_shared_available("conformance/buildkit-lint-cases.json"))
    return;
  json_error_t jerr;
  json_t *cases =
      json_load_file(tu_shared_path("conformance/buildkit-lint-cases.json"), 0,
                     &jerr);
  ck_assert_ptr_nonnull(cases);
  size_t i, passed = 0, total = 0;
  json_t *c;
  json_array_foreach(cases, i, c)
  {
    if (!json_is_true(json_object_get(c, "expressible")))
      continue;
    total++;
    char dir[] = "/tmp/dflint-bklint-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    const char *text = json_string_value(json_object_get(c, "dockerfile"));
    write_file(dir, "Dockerfile", text);
    json_t *di = json_object_get(c, "dockerignore");
    if (di)
      write_file(dir, ".dockerignore", json_string_value(di));

    dfl_lint_options o;
    dfl_lint_options_init(&o);
    o.sel.select = malloc(sizeof(char *));
    o.sel.select[0] = strdup("buildkit");
    o.sel.nselect = 1;
    json_t *attrs = json_object_get(c, "frontend_attrs");
    const char *k;
    json_t *v;
    json_object_foreach(attrs, k, v)
    {
      if (strncmp(k, "build-arg:", 10) == 0)
        dfl_env_set(&o.build_args, k + 10, strlen(k + 10),
                    json_string_value(v), strlen(json_string_value(v)));
    }
    char path[4200];
    snprintf(path, sizeof path, "%s/Dockerfile", dir);
    dfl_dockerfile *df = dfl_parse(text, strlen(text), path);
    dfl_lint_result res;
    dfl_lint(df, path, &o, &res);

    char *got[256], *want[256];
    size_t ngot = 0, nwant = 0;
    for (size_t d = 0; d < res.ndiags && ngot < 256; d++) {
      if (res.diags[d].source != DFL_SOURCE_BUILDKIT)
        continue;
      char buf[1024];
      snprintf(buf, sizeof buf, "%s:%u: %s", res.diags[d].rule_id,
               res.diags[d].range.start.line, res.diags[d].message);
      got[ngot++] = strdup(buf);
    }
    size_t wi;
    json_t *w;
    json_array_foreach(json_object_get(c, "warnings"), wi, w)
    {
      char buf[1024];
      snprintf(buf, sizeof buf, "%s:%lld: %s",
               json_string_value(json_object_get(w, "rule")),
               json_integer_value(json_object_get(w, "line")),
               json_string_value(json_object_get(w, "detail")));
      want[nwant++] = strdup(buf);
    }
    qsort(got, ngot, sizeof *got, cmp_lines);
    qsort(want, nwant, sizeof *want, cmp_lines);
    bool same = ngot == nwant;
    for (size_t x = 0; same && x < ngot; x++)
      same = strcmp(got[x], want[x]) == 0;
    if (same) {
      passed++;
    } else {
      fprintf(stderr, "MISMATCH %s\n",
              json_string_value(json_object_get(c, "name")));
      for (size_t x = 0; x < nwant; x++)
        fprintf(stderr, "  want %s\n", want[x]);
      for (size_t x = 0; x < ngot; x++)
        fprintf(stderr, "  got  %s\n", got[x]);
    }
    for (size_t x = 0; x < ngot; x++)
      free(got[x]);
    for (size_t x = 0; x < nwant; x++)
      free(want[x]);
    dfl_lint_result_free(&res);
    dfl_dockerfile_free(df);
    dfl_lint_options_free(&o);
    char cmd[4300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
  }
  json_decref(cases);
  fprintf(stderr, "buildkit lint cases: %zu/%zu reproduced\n", passed, total);
  ck_assert_uint_eq(passed, total);
}
END_TEST

int main(void)
{
  Suite *s = suite_create("buildkit_lint");
  TCase *tc = tcase_create("cases");
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, buildkit_lint_cases);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}
