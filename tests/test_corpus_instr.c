/* The public corpus against BuildKit's instructions.Parse
 * (../shared/conformance/corpus-instr/<file>.json, one per file in
 * ../shared/corpus/public/):
 *   (a) the warnings raised while parsing (FromAsCasing, MaintainerDeprecated,
 *       NoEmptyContinuation, StageNameCasing) must equal dflint's findings of
 *       those four rules, as (rule, line, detail) multisets;
 *   (b) the stages (base as written, lowercased name, --platform as written,
 *       line, command keywords as written, doc comment) and the global ARGs
 *       (key, default as written, doc comment) must equal dflint's model.
 * Files BuildKit rejects ("error" in the json) have no stages; their
 * warnings are compared for the instructions BuildKit got through before it
 * stopped (none when its parser rejects the whole file, which dflint must
 * then also find fatal). */
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dflint/lint.h"
#include "dflint/model.h"
#include "dflint/parse.h"
#include "testutil.h"

static const char *const parse_rules[] = {
  "FromAsCasing", "MaintainerDeprecated", "NoEmptyContinuation",
  "StageNameCasing",
};

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct strlist {
  char **v;
  size_t n, cap;
} strlist;

static void sl_add(strlist *l, const char *s)
{
  if (l->n == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 16;
    l->v = realloc(l->v, l->cap * sizeof *l->v);
  }
  l->v[l->n++] = strdup(s);
}

static void sl_free(strlist *l)
{
  for (size_t i = 0; i < l->n; i++)
    free(l->v[i]);
  free(l->v);
  memset(l, 0, sizeof *l);
}

/* Sorted comparison; prints the difference under the file's name. */
static bool sl_same(strlist *want, strlist *got, const char *what,
                    const char *file)
{
  if (want->n)
    qsort(want->v, want->n, sizeof *want->v, cmp_str);
  if (got->n)
    qsort(got->v, got->n, sizeof *got->v, cmp_str);
  bool same = want->n == got->n;
  for (size_t i = 0; same && i < want->n; i++)
    same = strcmp(want->v[i], got->v[i]) == 0;
  if (!same) {
    fprintf(stderr, "MISMATCH %s (%s)\n", file, what);
    for (size_t i = 0; i < want->n; i++)
      fprintf(stderr, "  want %s\n", want->v[i]);
    for (size_t i = 0; i < got->n; i++)
      fprintf(stderr, "  got  %s\n", got->v[i]);
  }
  return same;
}

/* BuildKit's getComment: the first comment line that starts with
 * "<name> " gives the rest of the line; "" when none does. */
static const char *doc_comment(const dfl_instr *in, const char *name,
                               size_t nlen, size_t *len)
{
  *len = 0;
  if (!nlen)
    return "";
  for (size_t i = 0; i < in->ncomments; i++) {
    const dfl_comment *c = &in->comments[i];
    if (c->len > nlen && memcmp(c->text, name, nlen) == 0 &&
        c->text[nlen] == ' ') {
      *len = c->len - nlen - 1;
      return c->text + nlen + 1;
    }
  }
  return "";
}

static const char *str_or(json_t *o, const char *key)
{
  const char *s = json_string_value(json_object_get(o, key));
  return s ? s : "";
}

/* One line per stage and per meta arg, fields separated by \x1f. */
static void want_model(json_t *j, strlist *stages, strlist *args)
{
  size_t i;
  json_t *s;
  json_array_foreach(json_object_get(j, "stages"), i, s)
  {
    char *cmds = NULL;
    size_t clen = 0;
    FILE *f = open_memstream(&cmds, &clen);
    size_t k;
    json_t *c;
    json_array_foreach(json_object_get(s, "commands"), k, c)
        fprintf(f, "%s ", json_string_value(c));
    fclose(f);
    char *line = NULL;
    size_t llen = 0;
    f = open_memstream(&line, &llen);
    fprintf(f, "%zu\x1f%lld\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s", i,
            json_integer_value(json_object_get(s, "line")), str_or(s, "base"),
            str_or(s, "name"), str_or(s, "platform"), cmds,
            str_or(s, "docComment"));
    fclose(f);
    sl_add(stages, line);
    free(line);
    free(cmds);
  }
  json_array_foreach(json_object_get(j, "metaArgs"), i, s)
  {
    json_t *v = json_object_get(s, "value");
    char *line = NULL;
    size_t llen = 0;
    FILE *f = open_memstream(&line, &llen);
    fprintf(f, "%zu\x1f%s\x1f%s%s\x1f%s", i, str_or(s, "key"), v ? "=" : "",
            v ? json_string_value(v) : "", str_or(s, "docComment"));
    fclose(f);
    sl_add(args, line);
    free(line);
  }
}

static void got_model(const dfl_dockerfile *df, strlist *stages,
                      strlist *args)
{
  dfl_model *m = dfl_model_build(df, NULL);
  for (size_t i = 0; i < m->nstages; i++) {
    const dfl_stage *st = &m->stages[i];
    char *line = NULL;
    size_t llen = 0;
    FILE *f = open_memstream(&line, &llen);
    fprintf(f, "%zu\x1f%u\x1f%s\x1f%s\x1f", i, st->from->range.start.line,
            st->base_raw ? st->base_raw : "", st->name ? st->name : "");
    if (st->platform && st->platform->value)
      fwrite(st->platform->value, 1, st->platform->value_len, f);
    fputc('\x1f', f);
    for (size_t k = 0; k < st->ninstrs; k++) {
      const dfl_instr *in = st->instrs[k];
      /* cmd.Name(): the keyword as written ("run" stays "run"). */
      fwrite(in->keyword, 1, in->keyword_len, f);
      fputc(' ', f);
    }
    fputc('\x1f', f);
    size_t dl;
    const char *d = doc_comment(st->from, st->name ? st->name : "",
                                st->name ? strlen(st->name) : 0, &dl);
    fwrite(d, 1, dl, f);
    fclose(f);
    sl_add(stages, line);
    free(line);
  }
  for (size_t i = 0; i < m->nmeta_args; i++) {
    const dfl_meta_arg *ma = &m->meta_args[i];
    char *line = NULL;
    size_t llen = 0;
    FILE *f = open_memstream(&line, &llen);
    fprintf(f, "%zu\x1f%s\x1f%s%s\x1f", i, ma->key, ma->has_default ? "=" : "",
            ma->has_default ? ma->default_value : "");
    size_t dl;
    const char *d = doc_comment(ma->instr, ma->key, strlen(ma->key), &dl);
    fwrite(d, 1, dl, f);
    fclose(f);
    sl_add(args, line);
    free(line);
  }
  dfl_model_free(m);
}

static void got_warnings(const dfl_dockerfile *df, const char *path,
                         long long stop_line, strlist *out)
{
  dfl_lint_options o;
  dfl_lint_options_init(&o);
  o.sel.nselect = sizeof parse_rules / sizeof parse_rules[0];
  o.sel.select = malloc(o.sel.nselect * sizeof *o.sel.select);
  for (size_t i = 0; i < o.sel.nselect; i++)
    o.sel.select[i] = strdup(parse_rules[i]);
  /* BuildKit knows no ignore pragmas (and `# hadolint ignore=DL4000` also
   * silences its twin MaintainerDeprecated). */
  o.disable_ignore_pragma = true;
  dfl_lint_result res;
  dfl_lint(df, path, &o, &res);
  for (size_t d = 0; d < res.ndiags; d++) {
    const dfl_diag *g = &res.diags[d];
    if (!g->rule || g->source != DFL_SOURCE_BUILDKIT)
      continue;
    /* A file BuildKit's parser rejects never reaches the checks at all.
     * Otherwise BuildKit stops at the instruction it rejects; the parser's
     * own warnings (NoEmptyContinuation) come before that and all count. */
    if (stop_line < 0)
      continue;
    if (stop_line > 0 && strcmp(g->rule_id, "NoEmptyContinuation") != 0 &&
        (long long)g->range.start.line > stop_line)
      continue;
    char buf[4096];
    snprintf(buf, sizeof buf, "%s:%u: %s", g->rule_id, g->range.start.line,
             g->message);
    sl_add(out, buf);
  }
  dfl_lint_result_free(&res);
  dfl_lint_options_free(&o);
}

static void want_warnings(json_t *j, strlist *out)
{
  size_t i;
  json_t *w;
  json_array_foreach(json_object_get(j, "warnings"), i, w)
  {
    char buf[4096];
    snprintf(buf, sizeof buf, "%s:%lld: %s", str_or(w, "rule"),
             json_integer_value(json_object_get(w, "line")),
             str_or(w, "detail"));
    sl_add(out, buf);
  }
}

START_TEST(corpus_instr)
{
  if (!tu_shared_available("conformance/corpus-instr") ||
      !tu_shared_available("corpus/public"))
    return;
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", tu_shared_path("conformance/corpus-instr"));
  DIR *d = opendir(dir);
  ck_assert_ptr_nonnull(d);
  strlist names = {0};
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    size_t n = strlen(e->d_name);
    if (n > 5 && strcmp(e->d_name + n - 5, ".json") == 0)
      sl_add(&names, e->d_name);
  }
  closedir(d);
  qsort(names.v, names.n, sizeof *names.v, cmp_str);

  size_t files = 0, warn_ok = 0, model_ok = 0, model_total = 0;
  size_t rejected = 0, nwarnings = 0, nstages = 0, nargs = 0, missing = 0;
  size_t fatal_mismatch = 0;
  for (size_t i = 0; i < names.n; i++) {
    char jp[8192], dp[8192];
    snprintf(jp, sizeof jp, "%s/%s", dir, names.v[i]);
    char base[4096];
    snprintf(base, sizeof base, "%.*s", (int)(strlen(names.v[i]) - 5),
             names.v[i]);
    snprintf(dp, sizeof dp, "%s/%s", tu_shared_path("corpus/public"), base);
    json_error_t jerr;
    json_t *j = json_load_file(jp, JSON_ALLOW_NUL, &jerr);
    ck_assert_msg(j != NULL, "%s: %s", jp, jerr.text);
    size_t len;
    char *src = tu_read_file(dp, &len);
    if (!src) {
      fprintf(stderr, "MISSING corpus file %s\n", dp);
      missing++;
      json_decref(j);
      continue;
    }
    files++;
    dfl_dockerfile *df = dfl_parse(src, len, dp);

    long long stop_line = 0;
    const char *err = json_string_value(json_object_get(j, "error"));
    if (err) {
      rejected++;
      stop_line = json_integer_value(json_object_get(j, "errorLine"));
      /* Errors from instructions.Parse are "dockerfile parse error on line
       * N: ..." or "no build stage in current context"; anything else is
       * the parser's, which dflint must see as fatal too. */
      bool parser_level =
          strncmp(err, "dockerfile parse error on line ", 31) != 0 &&
          strcmp(err, "no build stage in current context") != 0;
      bool fatal = dfl_dockerfile_fatal_error(df) != NULL;
      if (parser_level != fatal) {
        fprintf(stderr, "MISMATCH %s (fatal): BuildKit says \"%s\", dflint %s\n",
                base, err, fatal ? "finds a fatal error" : "finds none");
        fatal_mismatch++;
      }
      if (parser_level)
        stop_line = -1;
    } else if (dfl_dockerfile_fatal_error(df)) {
      fprintf(stderr, "MISMATCH %s (fatal): dflint finds a fatal error: %s\n",
              base, dfl_dockerfile_fatal_error(df)->message);
      fatal_mismatch++;
    }
    strlist want = {0}, got = {0};
    want_warnings(j, &want);
    got_warnings(df, dp, stop_line, &got);
    nwarnings += want.n;
    if (sl_same(&want, &got, "warnings", base))
      warn_ok++;
    sl_free(&want);
    sl_free(&got);

    if (!stop_line) {
      model_total++;
      strlist ws = {0}, wa = {0}, gs = {0}, ga = {0};
      want_model(j, &ws, &wa);
      got_model(df, &gs, &ga);
      nstages += ws.n;
      nargs += wa.n;
      bool ok = sl_same(&ws, &gs, "stages", base);
      ok = sl_same(&wa, &ga, "metaArgs", base) && ok;
      if (ok)
        model_ok++;
      sl_free(&ws);
      sl_free(&wa);
      sl_free(&gs);
      sl_free(&ga);
    }
    dfl_dockerfile_free(df);
    free(src);
    json_decref(j);
  }
  sl_free(&names);
  fprintf(stderr,
          "corpus-instr: %zu files (%zu rejected by BuildKit, %zu missing, "
          "%zu disagreeing on parser-level rejection)\n"
          "  parse-time warnings: %zu/%zu files match (%zu warnings expected)\n"
          "  stages and metaArgs: %zu/%zu files match (%zu stages, %zu args)\n",
          files, rejected, missing, fatal_mismatch, warn_ok, files, nwarnings, model_ok,
          model_total, nstages, nargs);
  ck_assert_uint_eq(missing, 0);
  ck_assert_uint_eq(fatal_mismatch, 0);
  ck_assert_uint_eq(warn_ok, files);
  ck_assert_uint_eq(model_ok, model_total);
}
END_TEST

int main(void)
{
  Suite *s = suite_create("corpus_instr");
  TCase *tc = tcase_create("corpus");
  tcase_set_timeout(tc, 600);
  tcase_add_test(tc, corpus_instr);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}
