/* The CI and XML output formats: their escaping functions, fingerprints that
 * survive unrelated edits, severity mappings, and hostile paths and messages
 * rendered through every format. The golden cases under testdata/output/
 * pin the exact text; this suite checks the properties behind it. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli/options.h"
#include "dflint/lint.h"
#include "dflint/output.h"
#include "dflint/parse.h"
#include "dflint/utf8.h"
#include "output/escape.h"
#include "output/finding.h"
#include "testutil.h"

#define L(s) s, sizeof(s) - 1

/* ---- helpers ------------------------------------------------------------ */

typedef char *(*escape_fn_t)(const char *s, size_t len);

static char *gh_data(const char *s, size_t len)
{
  dfl_buf b;
  dfl_buf_init(&b);
  dfl_escape_gh_data(&b, s, len);
  return dfl_buf_take(&b);
}

static char *gh_prop(const char *s, size_t len)
{
  dfl_buf b;
  dfl_buf_init(&b);
  dfl_escape_gh_property(&b, s, len);
  return dfl_buf_take(&b);
}

static char *xml_attr(const char *s, size_t len)
{
  dfl_buf b;
  dfl_buf_init(&b);
  dfl_escape_xml(&b, s, len, true);
  return dfl_buf_take(&b);
}

static char *xml_text(const char *s, size_t len)
{
  dfl_buf b;
  dfl_buf_init(&b);
  dfl_escape_xml(&b, s, len, false);
  return dfl_buf_take(&b);
}

static char *uri_path(const char *s, size_t len)
{
  dfl_buf b;
  dfl_buf_init(&b);
  dfl_escape_uri_path(&b, s, len);
  return dfl_buf_take(&b);
}

static char *one_line(const char *s, size_t len)
{
  dfl_buf b;
  dfl_buf_init(&b);
  dfl_escape_one_line(&b, s, len);
  return dfl_buf_take(&b);
}

static void expect(escape_fn_t fn, const char *in, size_t len, const char *want)
{
  char *got = fn(in, len);
  ck_assert_msg(strcmp(got, want) == 0, "escaping '%s': got '%s', want '%s'",
                in, got, want);
  free(got);
}

static bool valid_utf8(const char *s, size_t len)
{
  size_t i = 0;
  while (i < len) {
    size_t w;
    uint32_t r = dfl_utf8_decode(s + i, len - i, &w);
    if (r == DFL_RUNE_ERROR && w == 1)
      return false;
    i += w;
  }
  return true;
}

static size_t count_char(const char *s, char c)
{
  size_t n = 0;
  for (; *s; s++)
    n += *s == c;
  return n;
}

/* A parsed and linted in-memory Dockerfile, reported under `path`. */
typedef struct linted {
  dfl_dockerfile *df;
  dfl_lint_result res;
  dfl_report_file rf;
} linted;

typedef struct lint_setup {
  const char *check_arg;  /* BUILDKIT_DOCKERFILE_CHECK, or NULL */
  const char *override_id; /* one severity override, or NULL */
  dfl_severity override_sev;
  const char *override_id2;
  dfl_severity override_sev2;
} lint_setup;

static void lint_src(linted *l, const char *path, const char *src,
                     const lint_setup *setup)
{
  dfl_lint_options o;
  dfl_lint_options_init(&o);
  /* Only rules whose output this suite knows, whatever else gets added. */
  static const char *const sel[] = {"DF000", "DF001", "MaintainerDeprecated"};
  o.sel.nselect = 3;
  o.sel.select = malloc(3 * sizeof *o.sel.select);
  for (size_t i = 0; i < 3; i++)
    o.sel.select[i] = strdup(sel[i]);
  if (setup && setup->check_arg)
    dfl_env_set(&o.build_args, L("BUILDKIT_DOCKERFILE_CHECK"),
                setup->check_arg, strlen(setup->check_arg));
  if (setup && setup->override_id) {
    o.noverrides = setup->override_id2 ? 2 : 1;
    o.override_ids = malloc(2 * sizeof *o.override_ids);
    o.override_sev = malloc(2 * sizeof *o.override_sev);
    o.override_ids[0] = strdup(setup->override_id);
    o.override_sev[0] = setup->override_sev;
    if (setup->override_id2) {
      o.override_ids[1] = strdup(setup->override_id2);
      o.override_sev[1] = setup->override_sev2;
    }
  }
  l->df = dfl_parse(src, strlen(src), path);
  dfl_lint(l->df, NULL, &o, &l->res);
  dfl_lint_options_free(&o);
  l->rf.path = path;
  l->rf.df = l->df;
  l->rf.res = &l->res;
  l->rf.io_error = NULL;
}

static void linted_free(linted *l)
{
  dfl_lint_result_free(&l->res);
  dfl_dockerfile_free(l->df);
}

static char *render(const char *format, const dfl_report_file *files,
                    size_t n)
{
  const dfl_renderer *r = dfl_renderer_find(format);
  ck_assert_msg(r != NULL, "no renderer %s", format);
  dfl_buf b;
  dfl_buf_init(&b);
  dfl_out o = {&b, false, 0, 0};
  dfl_summary s;
  memset(&s, 0, sizeof s);
  r->begin(&o);
  for (size_t i = 0; i < n; i++) {
    s.files++;
    r->file(&o, &files[i]);
  }
  r->end(&o, &s);
  return dfl_buf_take(&b);
}

/* v at a '/'-separated path of keys and array indexes ("runs/0/results"). */
static json_t *jget(json_t *v, const char *path)
{
  char buf[256];
  snprintf(buf, sizeof buf, "%s", path);
  char *save = NULL;
  for (char *k = strtok_r(buf, "/", &save); k && v;
       k = strtok_r(NULL, "/", &save))
    v = json_is_array(v) ? json_array_get(v, strtoul(k, NULL, 10))
                         : json_object_get(v, k);
  return v;
}

static json_t *load_json(const char *text)
{
  json_error_t err;
  json_t *v = json_loads(text, 0, &err);
  ck_assert_msg(v != NULL, "not JSON (%s at %d): %s", err.text, err.line, text);
  return v;
}

static const char *const formats[] = {"sarif", "github", "gitlab",
                                      "checkstyle", "gnu", "junit"};
#define NFORMATS (sizeof formats / sizeof formats[0])

/* ---- escaping ------------------------------------------------------------ */

START_TEST(github_escaping)
{
  /* @actions/core's escapeData: % CR LF, nothing else. */
  expect(gh_data, L("plain: a,b"), "plain: a,b");
  expect(gh_data, L("100%"), "100%25");
  expect(gh_data, L("%0A"), "%250A");
  expect(gh_data, L("a\r\nb\nc\rd"), "a%0D%0Ab%0Ac%0Dd");
  expect(gh_data, L("::error::x"), "::error::x");
  /* escapeProperty: escapeData plus the property delimiters : and ,. */
  expect(gh_prop, L("a:b,c"), "a%3Ab%2Cc");
  expect(gh_prop, L("50%,\n:"), "50%25%2C%0A%3A");
  expect(gh_prop, L("odd\"na,me:<&>'\xc3\xa9"), "odd\"na%2Cme%3A<&>'\xc3\xa9");
  expect(gh_prop, L(""), "");
  /* '%' first, so an escape sequence in the input is not taken as one. */
  expect(gh_prop, L("%3A"), "%253A");
}
END_TEST

START_TEST(xml_escaping)
{
  expect(xml_attr, L("a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e&apos;f");
  expect(xml_text, L("a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e&apos;f");
  /* Whitespace survives attribute normalisation only as references. */
  expect(xml_attr, L("\t\n\r"), "&#9;&#10;&#13;");
  expect(xml_text, L("\t\n\r"), "\t\n&#13;");
  /* XML 1.0 forbids most C0 controls even as references: U+FFFD. */
  expect(xml_attr, L("a\x01" "b\x1f" "c"), "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c");
  expect(xml_attr, "a\0b", 3, "a\xef\xbf\xbd" "b");
  /* Invalid UTF-8, and the non-characters U+FFFE/U+FFFF. */
  expect(xml_attr, L("\xff\xc3"), "\xef\xbf\xbd\xef\xbf\xbd");
  expect(xml_attr, L("\xef\xbf\xbe\xef\xbf\xbf"),
         "\xef\xbf\xbd\xef\xbf\xbd");
  /* Encoded surrogates are invalid UTF-8. */
  expect(xml_attr, L("\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
  /* Everything else passes through: DEL, Latin, astral. */
  expect(xml_attr, L("\x7f\xc3\xa9\xf0\x9f\x90\xb3"),
         "\x7f\xc3\xa9\xf0\x9f\x90\xb3");
}
END_TEST

START_TEST(uri_escaping)
{
  expect(uri_path, L("Dockerfile"), "Dockerfile");
  expect(uri_path, L("./Dockerfile"), "Dockerfile");
  expect(uri_path, L(".//a/./Dockerfile"), "a/./Dockerfile");
  expect(uri_path, L("../x/Dockerfile"), "../x/Dockerfile");
  /* A ':' in the first segment would read as a scheme. */
  expect(uri_path, L("c:d/e f"), "c%3Ad/e%20f");
  expect(uri_path, L("odd\"na,me:<&>'\xc3\xa9#?%"),
         "odd%22na%2Cme%3A%3C%26%3E%27%C3%A9%23%3F%25");
  expect(uri_path, L("a\\b\n\xff"), "a%5Cb%0A%FF");
  expect(uri_path, L("-"), "-");
  dfl_buf b;
  dfl_buf_init(&b);
  dfl_file_uri(&b, L("/tmp/a b/Dockerfile"));
  ck_assert_str_eq(dfl_buf_cstr(&b), "file:///tmp/a%20b/Dockerfile");
  dfl_buf_free(&b);
}
END_TEST

START_TEST(one_line_escaping)
{
  expect(one_line, L("a\nb\r\nc\td"), "a b  c\td");
  expect(one_line, L("x\xffy"), "x\xef\xbf\xbdy");
}
END_TEST

START_TEST(utf16_columns)
{
  /* "a" "é" (2 bytes, 1 unit) "🐳" (4 bytes, 2 units) "b" */
  dfl_str line = {"a\xc3\xa9\xf0\x9f\x90\xb3" "b", 8};
  ck_assert_uint_eq(dfl_utf16_column(line, 0), 1);
  ck_assert_uint_eq(dfl_utf16_column(line, 1), 1);
  ck_assert_uint_eq(dfl_utf16_column(line, 2), 2);
  ck_assert_uint_eq(dfl_utf16_column(line, 3), 2); /* inside é */
  ck_assert_uint_eq(dfl_utf16_column(line, 4), 3);
  ck_assert_uint_eq(dfl_utf16_column(line, 8), 5);
  ck_assert_uint_eq(dfl_utf16_column(line, 9), 6); /* one past the end */
  ck_assert_uint_eq(dfl_utf16_column(line, 11), 8);
  dfl_str bad = {"\xff\xfe" "x", 3};
  ck_assert_uint_eq(dfl_utf16_column(bad, 3), 3);
  ck_assert_uint_eq(dfl_utf16_column(bad, 4), 4);
  dfl_str empty = {"", 0};
  ck_assert_uint_eq(dfl_utf16_column(empty, 5), 5);
}
END_TEST

/* ---- fingerprints ------------------------------------------------------- */

/* Fingerprints of one render, in report order. */
static size_t fingerprints(const char *format, const char *src, char out[][17],
                           size_t max, unsigned *first_line)
{
  linted l;
  lint_src(&l, "Dockerfile", src, NULL);
  char *text = render(format, &l.rf, 1);
  json_t *root = load_json(text);
  bool sarif = strcmp(format, "sarif") == 0;
  json_t *items = sarif ? jget(root, "runs/0/results") : root;
  size_t n = json_array_size(items);
  ck_assert_uint_le(n, max);
  for (size_t i = 0; i < n; i++) {
    json_t *it = json_array_get(items, i);
    json_t *fp = jget(it, sarif ? "partialFingerprints/primaryLocationLineHash"
                                : "fingerprint");
    if (i == 0)
      *first_line = (unsigned)json_integer_value(jget(
          it, sarif ? "locations/0/physicalLocation/region/startLine"
                    : "location/lines/begin"));
    ck_assert_msg(json_is_string(fp), "%s: no fingerprint in %s", format, text);
    ck_assert_uint_eq(strlen(json_string_value(fp)), 16);
    memcpy(out[i], json_string_value(fp), 17);
  }
  json_decref(root);
  free(text);
  linted_free(&l);
  return n;
}

static void check_stable(const char *format)
{
  static const char base[] = "FROM alpine\n"
                             "MAINTAINER a\n"
                             "RUN true\n"
                             "MAINTAINER a\n"
                             "EXPOSE\n";
  char a[8][17], b[8][17], c[8][17];
  unsigned la = 0, lb = 0, lc = 0;
  size_t na = fingerprints(format, base, a, 8, &la);
  ck_assert_uint_eq(na, 3);
  /* The two identical MAINTAINER lines differ by occurrence. */
  ck_assert_str_ne(a[0], a[1]);
  ck_assert_str_ne(a[0], a[2]);
  ck_assert_str_ne(a[1], a[2]);

  /* A blank line at the top moves every finding but changes no fingerprint. */
  size_t nb = fingerprints(format, "\n" "FROM alpine\n" "MAINTAINER a\n"
                                   "RUN true\n" "MAINTAINER a\n" "EXPOSE\n",
                           b, 8, &lb);
  ck_assert_uint_eq(nb, na);
  ck_assert_uint_eq(lb, la + 1);
  for (size_t i = 0; i < na; i++)
    ck_assert_str_eq(a[i], b[i]);

  /* Nor do unrelated lines and re-indentation, and a new duplicate below
   * leaves the earlier ones alone. */
  size_t nc = fingerprints(format, "# a comment\n" "FROM alpine\n"
                                   "RUN echo unrelated\n" "  MAINTAINER a\n"
                                   "RUN true\n" "MAINTAINER a\n" "EXPOSE\n"
                                   "MAINTAINER a\n",
                           c, 8, &lc);
  ck_assert_uint_eq(nc, 4);
  ck_assert_str_eq(c[0], a[0]);
  ck_assert_str_eq(c[1], a[1]);
  ck_assert_str_eq(c[2], a[2]);
  ck_assert_str_ne(c[3], a[0]);
  ck_assert_str_ne(c[3], a[1]);
}

START_TEST(gitlab_fingerprints_stable)
{
  check_stable("gitlab");
}
END_TEST

START_TEST(sarif_fingerprints_stable)
{
  check_stable("sarif");
}
END_TEST

START_TEST(gitlab_fingerprints_depend_on_path)
{
  /* GitLab compares fingerprints across the project: the same finding in
   * two files must not collide. */
  linted l[2];
  lint_src(&l[0], "a/Dockerfile", "FROM alpine\nMAINTAINER a\n", NULL);
  lint_src(&l[1], "b/Dockerfile", "FROM alpine\nMAINTAINER a\n", NULL);
  dfl_report_file rf[2] = {l[0].rf, l[1].rf};
  char *text = render("gitlab", rf, 2);
  json_t *root = load_json(text);
  ck_assert_uint_eq(json_array_size(root), 2);
  ck_assert_str_ne(json_string_value(jget(root, "0/fingerprint")),
                   json_string_value(jget(root, "1/fingerprint")));
  json_decref(root);
  free(text);
  linted_free(&l[0]);
  linted_free(&l[1]);
}
END_TEST

/* ---- severities ---------------------------------------------------------- */

START_TEST(severity_mappings)
{
  /* error, warning, info and style findings from real rules. */
  static const char src[] = "# dflint ignore=Nope\n"
                            "FROM alpine\n"
                            "MAINTAINER a\n"
                            "EXPOSE\n"
                            "MAINTAINER b\n";
  lint_setup setup = {NULL, "MaintainerDeprecated", DFL_SEV_INFO, "DF001",
                      DFL_SEV_STYLE};
  linted l;
  lint_src(&l, "Dockerfile", src, &setup);
  ck_assert_uint_eq(l.res.ndiags, 4);
  static const struct {
    const char *format;
    const char *want[4]; /* substrings for: style, info, error, info */
  } cases[] = {
    {"sarif", {"\"level\":\"note\"", "\"level\":\"note\"", "\"level\":\"error\"", NULL}},
    {"github", {"::notice file=Dockerfile,line=1,", "::notice file=Dockerfile,line=3,",
                "::error file=Dockerfile,line=4,", "::notice file=Dockerfile,line=5,"}},
    {"gitlab", {"\"severity\":\"info\"", "\"severity\":\"minor\"",
                "\"severity\":\"critical\"", NULL}},
    {"checkstyle", {"<error line=\"1\" column=\"1\" severity=\"info\"",
                    "<error line=\"3\" column=\"1\" severity=\"info\"",
                    "<error line=\"4\" column=\"1\" severity=\"error\"", NULL}},
    {"gnu", {"Dockerfile:1:1: note: ", "Dockerfile:3:1: note: ",
             "Dockerfile:4:1: error: ", "Dockerfile:5:1: note: "}},
    {"junit", {"Dockerfile:1:1: style[DF001]", "Dockerfile:3:1: info[MaintainerDeprecated]",
               "type=\"error\"", NULL}},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *text = render(cases[i].format, &l.rf, 1);
    for (size_t k = 0; k < 4; k++)
      if (cases[i].want[k])
        ck_assert_msg(strstr(text, cases[i].want[k]) != NULL,
                      "%s: no '%s' in:\n%s", cases[i].format, cases[i].want[k],
                      text);
    free(text);
  }
  /* SARIF also lists each rule's default level. */
  char *text = render("sarif", &l.rf, 1);
  ck_assert_ptr_nonnull(strstr(text, "\"id\":\"DF001\",\"name\":\"InvalidPragma\""));
  ck_assert_ptr_nonnull(strstr(text, "\"defaultConfiguration\":{\"level\":\"warning\"}"));
  free(text);
  linted_free(&l);
}
END_TEST

/* ---- hostile paths and messages ----------------------------------------- */

static const char hostile_path[] = "we\"ird,\n:<&>'\xc3\xa9\xff\r%.Dockerfile";

START_TEST(hostile_input_every_format)
{
  /* A # check= value with CR, LF and XML specials gives a real message
   * holding them (the build-arg value is quoted raw). */
  lint_setup setup = {"error=a\r\nb<&>\"',:\xc3\xa9\xff", NULL, 0, NULL, 0};
  linted l;
  lint_src(&l, hostile_path,
           "FROM alpine\nMAINTAINER \"Zo\xc3\xab\"\nFOO\"<&>',:\xff x\n",
           &setup);
  ck_assert_ptr_nonnull(l.res.check_config_error);
  ck_assert_ptr_nonnull(strchr(l.res.check_config_error, '\n'));
  size_t nfind = l.res.ndiags + 1;
  ck_assert_uint_eq(nfind, 3);

  for (size_t i = 0; i < NFORMATS; i++) {
    char *text = render(formats[i], &l.rf, 1);
    ck_assert_msg(valid_utf8(text, strlen(text)), "%s: not UTF-8:\n%s",
                  formats[i], text);
    ck_assert_msg(strchr(text, '\r') == NULL, "%s: raw CR:\n%s", formats[i],
                  text);
    free(text);
  }

  /* Line formats: exactly one line per finding. */
  char *gh = render("github", &l.rf, 1);
  ck_assert_uint_eq(count_char(gh, '\n'), nfind);
  ck_assert_ptr_nonnull(strstr(
      gh, "file=we\"ird%2C%0A%3A<&>'\xc3\xa9\xef\xbf\xbd%0D%25.Dockerfile,"));
  ck_assert_ptr_nonnull(strstr(gh, "error=a%0D%0Ab<&>"));
  free(gh);
  char *gnu = render("gnu", &l.rf, 1);
  ck_assert_uint_eq(count_char(gnu, '\n'), nfind);
  free(gnu);

  /* JSON formats: they parse, and keep the message. */
  char *sarif = render("sarif", &l.rf, 1);
  json_t *root = load_json(sarif);
  json_t *results = jget(root, "runs/0/results");
  ck_assert_uint_eq(json_array_size(results), nfind);
  json_t *last = json_array_get(results, nfind - 1);
  ck_assert_ptr_nonnull(strstr(json_string_value(jget(last, "message/text")),
                               "error=a\r\nb<&>\"',:\xc3\xa9\xef\xbf\xbd"));
  const char *uri = json_string_value(
      jget(last, "locations/0/physicalLocation/artifactLocation/uri"));
  ck_assert_str_eq(uri,
                   "we%22ird%2C%0A%3A%3C%26%3E%27%C3%A9%FF%0D%25.Dockerfile");
  json_decref(root);
  free(sarif);
  char *gitlab = render("gitlab", &l.rf, 1);
  root = load_json(gitlab);
  ck_assert_uint_eq(json_array_size(root), nfind);
  ck_assert_str_eq(json_string_value(jget(root, "0/location/path")),
                   "we\"ird,\n:<&>'\xc3\xa9\xef\xbf\xbd\r%.Dockerfile");
  json_decref(root);
  free(gitlab);

  /* XML formats: attributes keep newlines as references. */
  char *cs = render("checkstyle", &l.rf, 1);
  ck_assert_ptr_nonnull(strstr(cs, "<file name=\"we&quot;ird,&#10;:&lt;&amp;&gt;"
                                   "&apos;\xc3\xa9\xef\xbf\xbd&#13;%.Dockerfile\">"));
  ck_assert_ptr_nonnull(strstr(cs, "error=a&#13;&#10;b&lt;&amp;&gt;&quot;&apos;"));
  free(cs);
  char *junit = render("junit", &l.rf, 1);
  ck_assert_ptr_nonnull(strstr(junit, "tests=\"1\" failures=\"1\""));
  ck_assert_ptr_nonnull(strstr(junit, "<failure message=\"3 problems\" type=\"error\">"));
  free(junit);
  linted_free(&l);
}
END_TEST

START_TEST(unreadable_files_are_skipped)
{
  /* The CLI reports them on stderr (exit status 2); a machine format keeps
   * its shape, except SARIF and GitHub's commands, which can say that the
   * run is incomplete (unreadable_files_are_reported). */
  dfl_report_file io = {"missing/Dockerfile", NULL, NULL, "cannot open"};
  for (size_t i = 0; i < NFORMATS; i++) {
    if (strcmp(formats[i], "sarif") == 0 || strcmp(formats[i], "github") == 0)
      continue;
    char *with = render(formats[i], &io, 1);
    char *without = render(formats[i], NULL, 0);
    ck_assert_msg(strcmp(with, without) == 0, "%s: %s", formats[i], with);
    ck_assert_ptr_null(strstr(with, "missing"));
    free(with);
    free(without);
  }
}
END_TEST

START_TEST(unreadable_files_are_reported)
{
  linted l;
  lint_src(&l, "Dockerfile", "FROM alpine\nMAINTAINER x\n", NULL);
  dfl_report_file files[2] = {
    {"missing/Dockerfile", NULL, NULL, "missing/Dockerfile: Permission denied"},
    l.rf,
  };
  char *s = render("sarif", files, 2);
  json_t *root = load_json(s);
  ck_assert(json_is_false(jget(root, "runs/0/invocations/0/executionSuccessful")));
  json_t *n = jget(root, "runs/0/invocations/0/toolExecutionNotifications/0");
  ck_assert_str_eq(json_string_value(jget(n, "level")), "error");
  ck_assert_str_eq(json_string_value(jget(n, "message/text")),
                   "missing/Dockerfile: Permission denied");
  ck_assert_str_eq(json_string_value(jget(n, "locations/0/physicalLocation/"
                                            "artifactLocation/uri")),
                   "missing/Dockerfile");
  ck_assert_uint_eq(json_array_size(jget(root, "runs/0/results")), 1);
  json_decref(root);
  free(s);
  /* A run without unreadable files says nothing of invocations. */
  s = render("sarif", &l.rf, 1);
  root = load_json(s);
  ck_assert_ptr_null(jget(root, "runs/0/invocations"));
  json_decref(root);
  free(s);
  s = render("github", files, 2);
  ck_assert_ptr_nonnull(strstr(s, "::error file=missing/Dockerfile,title=dflint "
                                  "could not read this file::missing/Dockerfile: "
                                  "Permission denied\n"));
  free(s);
  linted_free(&l);
}
END_TEST

START_TEST(empty_runs_are_well_formed)
{
  linted l;
  lint_src(&l, "Dockerfile", "FROM alpine\nRUN true\n", NULL);
  char *s = render("sarif", &l.rf, 1);
  json_t *root = load_json(s);
  ck_assert_uint_eq(json_array_size(jget(root, "runs/0/results")), 0);
  ck_assert_uint_eq(json_array_size(jget(root, "runs/0/tool/driver/rules")),
                    dfl_nrules);
  json_decref(root);
  free(s);
  s = render("gitlab", &l.rf, 1);
  ck_assert_str_eq(s, "[]\n");
  free(s);
  s = render("checkstyle", &l.rf, 1);
  ck_assert_ptr_nonnull(strstr(s, "<file name=\"Dockerfile\"/>"));
  free(s);
  s = render("junit", &l.rf, 1);
  ck_assert_ptr_nonnull(strstr(s, "tests=\"1\" failures=\"0\""));
  ck_assert_ptr_nonnull(strstr(s, "<testcase name=\"Dockerfile\" "
                                  "classname=\"dflint\" file=\"Dockerfile\"/>"));
  free(s);
  /* Rendering twice gives the same text (junit keeps state between calls). */
  char *a = render("junit", &l.rf, 1);
  char *b = render("junit", &l.rf, 1);
  ck_assert_str_eq(a, b);
  free(a);
  free(b);
  linted_free(&l);
}
END_TEST

/* ---- the table of formats ----------------------------------------------- */

START_TEST(every_format_is_documented)
{
  const char *help = NULL;
  for (size_t i = 0; dfl_check_option_docs[i].flag; i++)
    if (strcmp(dfl_check_option_docs[i].flag, "--format") == 0)
      help = dfl_check_option_docs[i].help;
  ck_assert_ptr_nonnull(help);
  char *readme = tu_read_file(DFLINT_SOURCE_DIR "/README.md", NULL);
  char *doc = tu_read_file(DFLINT_SOURCE_DIR "/docs/output-formats.md", NULL);
  ck_assert_ptr_nonnull(readme);
  ck_assert_ptr_nonnull(doc);
  for (size_t i = 0; dfl_renderers[i]; i++) {
    const dfl_renderer *r = dfl_renderers[i];
    ck_assert(r->name && r->description && r->begin && r->file && r->end);
    ck_assert_ptr_eq(dfl_renderer_find(r->name), r);
    ck_assert_msg(strstr(help, r->name) != NULL, "--format help lacks %s",
                  r->name);
    char row[64];
    snprintf(row, sizeof row, "| `%s` |", r->name);
    ck_assert_msg(strstr(readme, row) != NULL,
                  "README's Output formats table lacks %s", r->name);
    snprintf(row, sizeof row, "## `%s`", r->name);
    ck_assert_msg(strstr(doc, row) != NULL,
                  "docs/output-formats.md lacks a section %s", row);
  }
  free(readme);
  free(doc);
}
END_TEST

int main(void)
{
  Suite *s = suite_create("output");
  TCase *tc = tcase_create("output");
  tcase_add_test(tc, github_escaping);
  tcase_add_test(tc, xml_escaping);
  tcase_add_test(tc, uri_escaping);
  tcase_add_test(tc, one_line_escaping);
  tcase_add_test(tc, utf16_columns);
  tcase_add_test(tc, gitlab_fingerprints_stable);
  tcase_add_test(tc, sarif_fingerprints_stable);
  tcase_add_test(tc, gitlab_fingerprints_depend_on_path);
  tcase_add_test(tc, severity_mappings);
  tcase_add_test(tc, hostile_input_every_format);
  tcase_add_test(tc, unreadable_files_are_skipped);
  tcase_add_test(tc, unreadable_files_are_reported);
  tcase_add_test(tc, empty_runs_are_well_formed);
  tcase_add_test(tc, every_format_is_documented);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}
