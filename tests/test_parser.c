/* The parser against BuildKit: its parser test files, its negative cases,
 * the AST dumps of the real-world corpus, the corpus files it rejects, and
 * its heredoc extraction cases. The conformance data lives in ../shared and
 * these tests say so when it is absent; testdata/parse/ has our own cases
 * (run by the golden runner). */
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dflint/parse.h"
#include "testutil.h"

static char *dump_file(const char *path, const dfl_parse_error **err,
                       dfl_dockerfile **out)
{
  size_t len;
  char *data = tu_read_file(path, &len);
  ck_assert_msg(data != NULL, "cannot read %s", path);
  dfl_dockerfile *df = dfl_parse(data, len, path);
  free(data);
  *err = dfl_dockerfile_fatal_error(df);
  dfl_buf b;
  dfl_buf_init(&b);
  dfl_dump_ast(df, &b);
  *out = df;
  return dfl_buf_take(&b);
}

START_TEST(buildkit_parser_cases)
{
  if (!tu_shared_available("conformance/buildkit-parser"))
    return;
  DIR *d = opendir(tu_shared_path("conformance/buildkit-parser"));
  struct dirent *e;
  int n = 0;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    char in[4096], res[4096];
    snprintf(in, sizeof in, "%s/conformance/buildkit-parser/%s/Dockerfile",
             DFLINT_SHARED_DIR, e->d_name);
    snprintf(res, sizeof res, "%s/conformance/buildkit-parser/%s/result",
             DFLINT_SHARED_DIR, e->d_name);
    char *want = tu_read_file(res, NULL);
    if (!want)
      continue;
    const dfl_parse_error *err;
    dfl_dockerfile *df;
    char *got = dump_file(in, &err, &df);
    ck_assert_msg(err == NULL, "%s: unexpected error %s", e->d_name,
                  err ? err->message : "");
    ck_assert_msg(strcmp(got, want) == 0, "%s:\n--- want\n%s--- got\n%s",
                  e->d_name, want, got);
    free(got);
    free(want);
    dfl_dockerfile_free(df);
    n++;
  }
  closedir(d);
  ck_assert_int_eq(n, 33);
}
END_TEST

START_TEST(buildkit_parser_negative)
{
  if (!tu_shared_available("conformance/buildkit-parser-negative"))
    return;
  static const char *const cases[][2] = {
    {"empty_dockerfile", "file with no instructions"},
    {"only_comments", "file with no instructions"},
    {"env_no_value", "ENV must have two arguments"},
    {"shykes-nested-json", "when using JSON array syntax, arrays must be "
                           "comprised of strings only"},
  };
  for (size_t i = 0; i < 4; i++) {
    char in[4096];
    snprintf(in, sizeof in,
             "%s/conformance/buildkit-parser-negative/%s/Dockerfile",
             DFLINT_SHARED_DIR, cases[i][0]);
    const dfl_parse_error *err;
    dfl_dockerfile *df;
    free(dump_file(in, &err, &df));
    ck_assert_msg(err != NULL, "%s accepted", cases[i][0]);
    ck_assert_str_eq(err->message, cases[i][1]);
    dfl_dockerfile_free(df);
  }
}
END_TEST

START_TEST(corpus_ast)
{
  if (!tu_shared_available("conformance/corpus-ast") ||
      !tu_shared_available("corpus/public"))
    return;
  DIR *d = opendir(tu_shared_path("conformance/corpus-ast"));
  struct dirent *e;
  int pass = 0, total = 0;
  while ((e = readdir(d)) != NULL) {
    size_t n = strlen(e->d_name);
    if (n < 8 || strcmp(e->d_name + n - 7, ".result") != 0)
      continue;
    char in[4096], res[4096];
    snprintf(in, sizeof in, "%s/corpus/public/%.*s", DFLINT_SHARED_DIR,
             (int)(n - 7), e->d_name);
    snprintf(res, sizeof res, "%s/conformance/corpus-ast/%s",
             DFLINT_SHARED_DIR, e->d_name);
    char *want = tu_read_file(res, NULL);
    const dfl_parse_error *err;
    dfl_dockerfile *df;
    char *got = dump_file(in, &err, &df);
    total++;
    if (!err && strcmp(got, want) == 0)
      pass++;
    else
      fprintf(stderr, "corpus-ast mismatch: %s\n", in);
    free(got);
    free(want);
    dfl_dockerfile_free(df);
  }
  closedir(d);
  fprintf(stderr, "corpus-ast: %d/%d identical\n", pass, total);
  ck_assert_int_eq(pass, total);
  ck_assert_int_ge(total, 3231);
}
END_TEST

START_TEST(corpus_parse_errors)
{
  if (!tu_shared_available("conformance/corpus-parse-errors.tsv"))
    return;
  char *tsv = tu_read_file(tu_shared_path("conformance/corpus-parse-errors.tsv"),
                           NULL);
  char *save = NULL;
  int n = 0;
  for (char *line = strtok_r(tsv, "\n", &save); line;
       line = strtok_r(NULL, "\n", &save)) {
    char *tab = strchr(line, '\t');
    ck_assert_ptr_nonnull(tab);
    *tab = '\0';
    const char *want = tab + 1; /* "error: MSG (line N) " */
    char in[4096];
    snprintf(in, sizeof in, "%s/corpus/public/%s", DFLINT_SHARED_DIR, line);
    const dfl_parse_error *err;
    dfl_dockerfile *df;
    free(dump_file(in, &err, &df));
    ck_assert_msg(err != NULL, "%s accepted", line);
    char got[2048];
    snprintf(got, sizeof got, "error: %s (line %u) ", err->message,
             err->range.start.line);
    ck_assert_str_eq(got, want);
    dfl_dockerfile_free(df);
    n++;
  }
  free(tsv);
  ck_assert_int_eq(n, 4);
}
END_TEST

START_TEST(heredoc_cases)
{
  if (!tu_shared_available("conformance/buildkit-heredoc-cases.json"))
    return;
  json_error_t jerr;
  json_t *root = json_load_file(
      tu_shared_path("conformance/buildkit-heredoc-cases.json"), 0, &jerr);
  ck_assert_ptr_nonnull(root);
  const char *text = json_string_value(json_object_get(root, "dockerfile"));
  dfl_dockerfile *df = dfl_parse(text, strlen(text), "heredoc");
  json_t *instrs = json_object_get(root, "instructions");
  ck_assert_uint_eq(json_array_size(instrs), df->ninstrs);
  size_t i;
  json_t *want;
  json_array_foreach(instrs, i, want)
  {
    const dfl_instr *in = df->instrs[i];
    ck_assert_int_eq(json_integer_value(json_object_get(want, "line")),
                     in->range.start.line);
    ck_assert_msg(json_integer_value(json_object_get(want, "endLine")) ==
                      in->range.end.line,
                  "instruction %zu (%s): end line %u, want %lld", i, in->line,
                  in->range.end.line,
                  json_integer_value(json_object_get(want, "endLine")));
    json_t *hds = json_object_get(want, "heredocs");
    ck_assert_msg(json_array_size(hds) == in->nheredocs,
                  "instruction %zu (%s): %zu heredocs, want %zu", i, in->line,
                  in->nheredocs, json_array_size(hds));
    size_t h;
    json_t *hw;
    json_array_foreach(hds, h, hw)
    {
      const dfl_heredoc *hd = &in->heredocs[h];
      ck_assert_str_eq(hd->name, json_string_value(json_object_get(hw, "name")));
      ck_assert_str_eq(hd->content,
                       json_string_value(json_object_get(hw, "content")));
      ck_assert_int_eq(hd->fd, json_integer_value(json_object_get(hw, "fd")));
      ck_assert_int_eq(hd->expand, json_is_true(json_object_get(hw, "expand")));
      ck_assert_int_eq(hd->chomp, json_is_true(json_object_get(hw, "chomp")));
    }
  }
  dfl_dockerfile_free(df);
  json_decref(root);
}
END_TEST

/* Positions: every instruction, flag and argument carries a range. */
START_TEST(ranges)
{
  const char *src = "FROM alpine AS b\nRUN --mount=type=cache,target=/x \\\n"
                    "    apk add \\\n  # c\n    curl\nCOPY <<EOF /a\nhi\nEOF\n";
  dfl_dockerfile *df = dfl_parse(src, strlen(src), "x");
  ck_assert_uint_eq(df->ninstrs, 3);
  const dfl_instr *from = df->instrs[0];
  ck_assert_uint_eq(from->args[2].range.start.line, 1);
  ck_assert_uint_eq(from->args[2].range.start.col, 16);
  const dfl_instr *run = df->instrs[1];
  ck_assert_uint_eq(run->nflags, 1);
  ck_assert_uint_eq(run->flags[0].range.start.col, 5);
  ck_assert_uint_eq(run->range.start.line, 2);
  ck_assert_uint_eq(run->range.end.line, 5);
  dfl_pos p = dfl_instr_pos(run, run->line_len - 1); /* the "l" of curl */
  ck_assert_uint_eq(p.line, 5);
  ck_assert_uint_eq(p.col, 8);
  const dfl_instr *copy = df->instrs[2];
  ck_assert_uint_eq(copy->nheredocs, 1);
  ck_assert_uint_eq(copy->range.end.line, 8);
  ck_assert_uint_eq(copy->heredocs[0].word_range.start.col, 6);
  dfl_dockerfile_free(df);
}
END_TEST

/* Hostile inputs: each gives a tree or a clear error, never a crash. */
START_TEST(hostile_inputs)
{
  static const char nul[] = "FROM a\0b\nRUN \0\n";
  const char *inputs[] = {"", "\xff\xfe\x00F", "RUN <<EOF\nno end",
                          "CMD [\"a\", ", ("\xEF\xBB\xBF" "FROM x\r\n"),
                          "# escape=`\nRUN a `\n  b\n", "FROM a\n\\\n"};
  for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
    dfl_dockerfile *df = dfl_parse(inputs[i], strlen(inputs[i]), "x");
    dfl_buf b;
    dfl_buf_init(&b);
    dfl_dump_ast(df, &b);
    dfl_buf_free(&b);
    dfl_dockerfile_free(df);
  }
  dfl_dockerfile *df = dfl_parse(nul, sizeof nul - 1, "nul");
  ck_assert_uint_eq(df->ninstrs, 2);
  dfl_dockerfile_free(df);

  /* A 10 MB single line: the line-length error, and still a tree. */
  size_t n = 10u << 20;
  char *big = malloc(n + 1);
  memcpy(big, "RUN ", 4);
  memset(big + 4, 'a', n - 4);
  big[n] = '\0';
  df = dfl_parse(big, n, "big");
  const dfl_parse_error *e = dfl_dockerfile_fatal_error(df);
  ck_assert_ptr_nonnull(e);
  ck_assert_str_eq(e->message,
                   "dockerfile line greater than max allowed size of 65535");
  ck_assert_uint_eq(df->ninstrs, 1);
  dfl_dockerfile_free(df);
  free(big);

  /* 100,000 stages. */
  dfl_buf many;
  dfl_buf_init(&many);
  for (int i = 0; i < 100000; i++)
    dfl_buf_printf(&many, "FROM alpine AS s%d\n", i);
  df = dfl_parse(many.data, many.len, "many");
  ck_assert_uint_eq(df->ninstrs, 100000);
  ck_assert_ptr_null(dfl_dockerfile_fatal_error(df));
  dfl_dockerfile_free(df);
  dfl_buf_free(&many);
}
END_TEST

int main(void)
{
  Suite *s = suite_create("parser");
  TCase *tc = tcase_create("conformance");
  tcase_set_timeout(tc, 600);
  tcase_add_test(tc, buildkit_parser_cases);
  tcase_add_test(tc, buildkit_parser_negative);
  tcase_add_test(tc, corpus_ast);
  tcase_add_test(tc, corpus_parse_errors);
  tcase_add_test(tc, heredoc_cases);
  tcase_add_test(tc, ranges);
  tcase_add_test(tc, hostile_inputs);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}
