/* .dockerignore reading and matching against BuildKit's semantics. The
 * tables restate, as our own cases, what moby/patternmatcher's tests and
 * Go's filepath tests check, plus the quirks that fall out of
 * patternmatcher pasting Go regexps together. The quirk cases were worked
 * out from its source and confirmed against patternmatcher itself (Go 1.19,
 * random differential runs) while this module was written. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include "dflint/dockerignore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Parses text that must be accepted. */
static dfl_ignore *parse_ok(const char *text)
{
  char *err = NULL;
  dfl_ignore *ig = dfl_ignore_parse(text, strlen(text), &err);
  ck_assert_msg(ig != NULL, "parse of %s failed: %s", text, err ? err : "(no message)");
  ck_assert_ptr_null(err);
  return ig;
}

/* ---------------------------------------------------------------- */
/* filepath.Clean and Dir (Go's path tests)                          */

static const struct {
  const char *in, *out;
} clean_cases[] = {
  /* already clean */
  {"abc", "abc"}, {"abc/def", "abc/def"}, {"a/b/c", "a/b/c"}, {".", "."},
  {"..", ".."}, {"../..", "../.."}, {"../../abc", "../../abc"}, {"/abc", "/abc"},
  {"/", "/"},
  /* empty is the current directory */
  {"", "."},
  /* trailing slashes go */
  {"abc/", "abc"}, {"abc/def/", "abc/def"}, {"a/b/c/", "a/b/c"}, {"./", "."},
  {"../", ".."}, {"../../", "../.."}, {"/abc/", "/abc"},
  /* doubled slashes go */
  {"abc//def//ghi", "abc/def/ghi"}, {"abc//", "abc"}, {"//abc", "/abc"}, {"///", "/"},
  /* . elements go */
  {"abc/./def", "abc/def"}, {"/./abc/def", "/abc/def"}, {"abc/.", "abc"},
  /* .. elements eat their parent */
  {"abc/def/ghi/../jkl", "abc/def/jkl"}, {"abc/def/../ghi/../jkl", "abc/jkl"},
  {"abc/def/..", "abc"}, {"abc/def/../..", "."}, {"/abc/def/../..", "/"},
  {"abc/def/../../..", ".."}, {"/abc/def/../../..", "/"},
  {"abc/def/../../../ghi/jkl/../../../mno", "../../mno"}, {"/../abc", "/abc"},
  {"a/../b:/../../c", "../c"},
  /* combinations */
  {"abc/./../def", "def"}, {"abc//./../def", "def"}, {"abc/../../././../def", "../../def"},
  /* dot-prefixed names are names */
  {".abc", ".abc"}, {"..abc/./.x", "..abc/.x"}, {"a/...", "a/..."},
};

START_TEST(test_path_clean)
{
  char *got = dfl_path_clean(clean_cases[_i].in);
  ck_assert_msg(strcmp(got, clean_cases[_i].out) == 0, "Clean(%s) = %s, want %s",
                clean_cases[_i].in, got, clean_cases[_i].out);
  /* Clean is idempotent. */
  char *again = dfl_path_clean(got);
  ck_assert_str_eq(again, got);
  free(again);
  free(got);
}
END_TEST

static const struct {
  const char *in, *out;
} dir_cases[] = {
  {"", "."}, {".", "."}, {"/.", "/"}, {"/", "/"}, {"////", "/"}, {"/foo", "/"},
  {"x/", "x"}, {"abc", "."}, {"abc/def", "abc"}, {"a/b/.x", "a/b"}, {"a/b/c.", "a/b"},
  {"a/b/c.x", "a/b"}, {"dir/file/", "dir/file"}, {"a//b", "a"},
};

START_TEST(test_path_dir)
{
  char *got = dfl_path_dir(dir_cases[_i].in);
  ck_assert_msg(strcmp(got, dir_cases[_i].out) == 0, "Dir(%s) = %s, want %s",
                dir_cases[_i].in, got, dir_cases[_i].out);
  free(got);
}
END_TEST

/* ---------------------------------------------------------------- */
/* ReadAll                                                            */

/* want: patterns joined by '|', or NULL when the file must be refused, with
 * a fragment of the expected message. */
static const struct {
  const char *text, *want, *err;
} readall_cases[] = {
  /* the ignorefile test, minus its "!" lines (New refuses those; below) */
  {"test1\n/test2\n/a/file/here\n\nlastfile\n# this is a comment\n! /inverted/abs/path\n",
   "test1|test2|a/file/here|lastfile|!inverted/abs/path", NULL},
  {"", "", NULL},
  {"\n\n   \n\t\n", "", NULL},
  {"# only a comment", "", NULL},
  /* '#' counts only as the very first byte */
  {"  # not a comment", "# not a comment", NULL},
  {"#a\n#b\nc", "c", NULL},
  /* CRLF: the \r goes with the line break */
  {"a\r\nb\r\n", "a|b", NULL},
  {"a\r", "a", NULL},
  /* a UTF-8 BOM is dropped from the first line only */
  {"\xEF\xBB\xBF" "foo\nbar", "foo|bar", NULL},
  {"\xEF\xBB\xBF# comment\nbar", "bar", NULL},
  {"foo\n\xEF\xBB\xBF" "bar", "foo|\xEF\xBB\xBF" "bar", NULL},
  /* TrimSpace is Unicode-aware: NO-BREAK SPACE and IDEOGRAPHIC SPACE go */
  {"\xC2\xA0" "foo\xE3\x80\x80", "foo", NULL},
  /* filepath.Clean, then one leading slash dropped */
  {"./foo", "foo", NULL},
  {"foo/../bar", "bar", NULL},
  {"foo/", "foo", NULL},
  {"//x//y/", "x/y", NULL},
  {"../x", "../x", NULL},
  {"/", "/", NULL},
  {"//", "/", NULL},
  {".", ".", NULL},
  {"/.", "/", NULL},
  {"foo/..", ".", NULL},
  /* '!' with spaces and an absolute path */
  {"!  /foo/  ", "!foo", NULL},
  {"\t!x", "!x", NULL},
  {"!./a/../b", "!b", NULL},
  /* New refuses a lone '!', including one that Clean makes lone */
  {"a\n!\n", NULL, "line 2: illegal exclusion pattern: \"!\""},
  {"! ", NULL, "line 1: illegal exclusion pattern: \"!\""},
  {"!/", NULL, "illegal exclusion pattern"},
  /* filepath.Match's syntax check */
  {"ok\n\n[", NULL, "line 3: syntax error in pattern \"[\""},
  {"a[", NULL, "syntax error in pattern \"a[\""},
  {"*/[", NULL, "syntax error in pattern"},
  {"[]a]", NULL, "syntax error in pattern"},
  {"[-]", NULL, "syntax error in pattern"},
  {"[x-]", NULL, "syntax error in pattern"},
  {"[-x]", NULL, "syntax error in pattern"},
  {"[a-b-c]", NULL, "syntax error in pattern"},
  {"[^", NULL, "syntax error in pattern"},
  {"[^bc", NULL, "syntax error in pattern"},
  {"\\", NULL, "syntax error in pattern \"\\\\\""},
  {"foo\\", NULL, "syntax error in pattern"},
  {"*a\\", NULL, "syntax error in pattern"},
  /* a bad pattern after an exclusion is still checked */
  {"!a\n[", NULL, "line 2"},
};

START_TEST(test_readall)
{
  const char *text = readall_cases[_i].text;
  char *err = NULL;
  dfl_ignore *ig = dfl_ignore_parse(text, strlen(text), &err);
  if (!readall_cases[_i].want) {
    ck_assert_msg(ig == NULL, "%s: accepted, want an error", text);
    ck_assert_ptr_nonnull(err);
    ck_assert_msg(strstr(err, readall_cases[_i].err), "%s: message %s, want %s", text, err,
                  readall_cases[_i].err);
    free(err);
    return;
  }
  ck_assert_msg(ig != NULL, "%s: %s", text, err ? err : "");
  char got[512] = "";
  for (size_t i = 0; i < dfl_ignore_count(ig); i++) {
    if (i)
      strcat(got, "|");
    strcat(got, dfl_ignore_pattern(ig, i));
  }
  ck_assert_msg(strcmp(got, readall_cases[_i].want) == 0, "%s: got %s, want %s", text, got,
                readall_cases[_i].want);
  dfl_ignore_free(ig);
}
END_TEST

START_TEST(test_readall_long_line)
{
  /* bufio.Scanner refuses a line of 64 KiB or more; one byte less is fine. */
  size_t n = 65536;
  char *text = malloc(n + 8);
  memset(text, 'a', n);
  text[n] = '\0';
  char *err = NULL;
  ck_assert_ptr_null(dfl_ignore_parse(text, n, &err));
  ck_assert_ptr_nonnull(strstr(err, "line 1: bufio.Scanner: token too long"));
  free(err);
  /* The error wins over a bad pattern on an earlier line, as in BuildKit:
   * ReadAll finishes before New looks at any pattern. */
  char *text2 = malloc(n + 8);
  memcpy(text2, "[\n", 2);
  memset(text2 + 2, 'b', n);
  ck_assert_ptr_null(dfl_ignore_parse(text2, n + 2, &err));
  ck_assert_ptr_nonnull(strstr(err, "line 2: bufio.Scanner: token too long"));
  free(err);
  free(text2);
  text[n - 1] = '\n';
  dfl_ignore *ig = dfl_ignore_parse(text, n, &err);
  ck_assert_ptr_nonnull(ig);
  ck_assert_uint_eq(dfl_ignore_count(ig), 1);
  dfl_ignore_free(ig);
  free(text);
}
END_TEST

START_TEST(test_lines_and_flags)
{
  dfl_ignore *ig = parse_ok("# header\n\nnode_modules\n  \n!node_modules/keep\n*.log\n");
  ck_assert_uint_eq(dfl_ignore_count(ig), 3);
  ck_assert_uint_eq(dfl_ignore_line(ig, 0), 3);
  ck_assert_uint_eq(dfl_ignore_line(ig, 1), 5);
  ck_assert_uint_eq(dfl_ignore_line(ig, 2), 6);
  ck_assert(!dfl_ignore_is_exclusion(ig, 0));
  ck_assert(dfl_ignore_is_exclusion(ig, 1));
  ck_assert(dfl_ignore_has_exclusions(ig));
  ck_assert_str_eq(dfl_ignore_pattern(ig, 1), "!node_modules/keep");
  ck_assert_ptr_null(dfl_ignore_pattern(ig, 3));
  ck_assert_ptr_null(dfl_ignore_source(ig));
  dfl_ignore_free(ig);

  ig = parse_ok("a\nb/**\n");
  ck_assert(!dfl_ignore_has_exclusions(ig));
  dfl_ignore_free(ig);

  /* NULL and empty matchers match nothing. */
  ck_assert_int_eq(dfl_ignore_match(NULL, "x", NULL), 0);
  ig = parse_ok("");
  ck_assert_uint_eq(dfl_ignore_count(ig), 0);
  ck_assert(!dfl_ignore_matches(ig, "x"));
  dfl_ignore_free(ig);
}
END_TEST

/* ---------------------------------------------------------------- */
/* Matching: one pattern (patternmatcher's TestMatches and Go's match  */
/* tests, as MatchesOrParentMatches sees them)                         */

static const struct {
  const char *pattern, *path;
  int want; /* 1 ignored, 0 not */
} match_cases[] = {
  /* double star */
  {"**", "file", 1}, {"**", "file/", 1}, {"**/", "file", 1}, {"**/", "file/", 1},
  {"**", "/", 1}, {"**/", "/", 1}, {"**", "dir/file", 1}, {"**/", "dir/file", 1},
  {"**", "dir/file/", 1}, {"**/", "dir/file/", 1}, {"**/**", "dir/file", 1},
  {"**/**", "dir/file/", 1}, {"dir/**", "dir/file", 1}, {"dir/**", "dir/file/", 1},
  {"dir/**", "dir/dir2/file", 1}, {"dir/**", "dir/dir2/file/", 1}, {"**/dir", "dir", 1},
  {"**/dir", "dir/file", 1}, {"**/dir2/*", "dir/dir2/file", 1},
  {"**/dir2/*", "dir/dir2/file/", 1}, {"**/dir2/**", "dir/dir2/dir3/file", 1},
  {"**/dir2/**", "dir/dir2/dir3/file/", 1}, {"**file", "file", 1}, {"**file", "dir/file", 1},
  {"**/file", "dir/file", 1}, {"**file", "dir/dir/file", 1}, {"**/file", "dir/dir/file", 1},
  {"**/file*", "dir/dir/file", 1}, {"**/file*", "dir/dir/file.txt", 1},
  {"**/file*txt", "dir/dir/file.txt", 1}, {"**/file*.txt", "dir/dir/file.txt", 1},
  {"**/file*.txt*", "dir/dir/file.txt", 1}, {"**/**/*.txt", "dir/dir/file.txt", 1},
  {"**/**/*.txt2", "dir/dir/file.txt", 0}, {"**/*.txt", "file.txt", 1},
  {"**/**/*.txt", "file.txt", 1}, {"a**/*.txt", "a/file.txt", 1},
  {"a**/*.txt", "a/dir/file.txt", 1}, {"a**/*.txt", "a/dir/dir/file.txt", 1},
  {"a/*.txt", "a/dir/file.txt", 0}, {"a/*.txt", "a/file.txt", 1},
  {"a/*.txt**", "a/file.txt", 1}, {"**/foo/bar", "foo/bar", 1},
  {"**/foo/bar", "dir/foo/bar", 1}, {"**/foo/bar", "dir/dir2/foo/bar", 1},
  {"abc/**", "abc", 0}, {"abc/**", "abc/def", 1}, {"abc/**", "abc/def/ghi", 1},
  {"**/.foo", ".foo", 1}, {"**/.foo", "bar.foo", 0},
  /* suffix and prefix matches compare bytes, not path elements */
  {"**file", "dir/myfile", 1}, {"**.go", "a/b.go", 1}, {"a**", "abc/d", 1},
  {"a**", "b/a", 0},
  /* classes, ? and regexp metacharacters taken literally */
  {"a[b-d]e", "ae", 0}, {"a[b-d]e", "ace", 1}, {"a[b-d]e", "aae", 0},
  {"a[^b-d]e", "aze", 1}, {".*", ".foo", 1}, {".*", "foo", 0}, {"abc.def", "abcdef", 0},
  {"abc.def", "abc.def", 1}, {"abc.def", "abcZdef", 0}, {"abc?def", "abcZdef", 1},
  {"abc?def", "abcdef", 0}, {"a(b)c/def", "a(b)c/def", 1}, {"a(b)c/def", "a(b)c/xyz", 0},
  {"a.|)$(}+{bc", "a.|)$(}+{bc", 1},
  {"dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
   "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", 1},
  {"dist/*.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", 1},
  {"a\\\\", "a\\", 1}, {"a\\*b", "a*b", 1}, {"a\\*b", "ab", 0},
  /* Go's filepath match table */
  {"abc", "abc", 1}, {"*", "abc", 1}, {"*c", "abc", 1}, {"a*", "a", 1}, {"a*", "abc", 1},
  {"a*", "ab/c", 1}, {"a*/b", "abc/b", 1}, {"a*/b", "a/c/b", 0},
  {"a*b*c*d*e*/f", "axbxcxdxe/f", 1}, {"a*b*c*d*e*/f", "axbxcxdxexxx/f", 1},
  {"a*b*c*d*e*/f", "axbxcxdxe/xxx/f", 0}, {"a*b*c*d*e*/f", "axbxcxdxexxx/fff", 0},
  {"a*b?c*x", "abxbbxdbxebxczzx", 1}, {"a*b?c*x", "abxbbxdbxebxczzy", 0},
  {"ab[c]", "abc", 1}, {"ab[b-d]", "abc", 1}, {"ab[e-g]", "abc", 0}, {"ab[^c]", "abc", 0},
  {"ab[^b-d]", "abc", 0}, {"ab[^e-g]", "abc", 1}, {"a?b", "a\xE2\x98\xBA" "b", 1},
  {"a[^a]b", "a\xE2\x98\xBA" "b", 1}, {"a???b", "a\xE2\x98\xBA" "b", 0},
  {"a[^a][^a][^a]b", "a\xE2\x98\xBA" "b", 0}, {"[a-\xCE\xB6]*", "\xCE\xB1", 1},
  {"*[a-\xCE\xB6]", "A", 0}, {"a?b", "a/b", 0}, {"a*b", "a/b", 0}, {"[\\]a]", "]", 1},
  {"[\\-]", "-", 1}, {"[x\\-]", "x", 1}, {"[x\\-]", "-", 1}, {"[x\\-]", "z", 0},
  {"[\\-x]", "x", 1}, {"[\\-x]", "-", 1}, {"[\\-x]", "a", 0}, {"*x", "xxx", 1},
  /* parents: a pattern naming a directory ignores what is below it */
  {"docs", "docs/README.md", 1}, {"docs/", "docs/a/b", 1}, {"docs/*", "docs/a/b", 1},
  {"*/tmp/*", "tmp/x", 0}, {"*/tmp/*", "a/tmp/x", 1}, {"*/tmp/*", "a/tmp/x/y", 1},
  {"/abs", "abs/x", 1}, {"abs", "x/abs", 0},
  /* "." and "/": the method has no special case (CopyIgnoredFile relies on it) */
  {"*", ".", 1}, {"*", "/", 1}, {"**/*", ".", 1}, {"**/*", "/", 1}, {"**", ".", 1},
  {".", ".", 1}, {"*.go", ".", 0}, {"foo", ".", 0}, {"foo", "/", 0},
  /* quirks of the pasted Go regexp */
  {"[*]", "]", 1},          /* becomes ^[[^/]*]$ */
  {"[*]", "[^/]", 1},
  {"[*]", "*", 0},
  {"[?]", "[]", 1},         /* becomes ^[[^/]]$ */
  {"[?]", "?", 0},
  {"a^b", "a^b", 1},        /* exact: compared as text */
  {"a^b*", "a^b", 0},       /* regexp: ^ is an anchor */
  {"a^b*", "a^bc", 0},
  {"\\d*", "1abc", 1},      /* \d is a digit class */
  {"\\d*", "d", 0},
  {"\\x41", "A", 1},        /* hex escape */
  {"\\x41", "x41", 0},
  {"foo\\bar", "foobar", 0}, /* \b is a word boundary: never between o and a */
  {"foo\\bar", "foo\\bar", 0},
  {"a\\tb", "a\tb", 1},     /* \t is a tab */
  {"\\Qa*", "a[^/]*$", 1},  /* \Q quotes the rest, "$" included */
  {"\\Qa*", "a[^/]*$/and/more", 1},
  {"\\Qa*", "ab", 0},
  {"[[:digit:]]*", "7up", 1},
  {"[[:digit:]]*", "up", 0},
  {"[[:^alpha:]]?", "1x", 1},
  {"[\\d]x", "5x", 1},
  {"a[\\s]b", "a b", 1},
  {"**/a\\.b", "x/a.b", 1},
  {"**/a\\.b", "x/aXb", 0},
  /* '|', '{' and '}' slip through patternmatcher's escape bitmap */
  {"|*", "anything/at/all", 1}, /* ^|[^/]*$: the empty branch matches */
  {"a|b*", "a", 1},
  {"a|b*", "abc/def", 1},       /* ^a is not anchored at the end */
  {"a|b*", "x/by", 1},          /* b[^/]*$ is not anchored at the start */
  {"a|b*", "xa", 0},
  {"a|b", "a|b", 1},            /* exact: compared as text */
  {"a|b", "a", 0},
  {"*.{js,ts}", "a.js", 0},     /* no brace expansion: a literal brace */
  {"*.{js,ts}", "a.{js,ts}", 1},
  {"*file{1,3}.txt", "filee.txt", 1}, /* a repeat count on the 'e' */
  {"*file{1,3}.txt", "file{1,3}.txt", 0},
  {"file{1,3}.txt", "file{1,3}.txt", 1}, /* exact again */
  {"?{2}", "ab", 1},
  {"?{2}", "abc", 0},
  {"?{2,}", "abcd", 1},
  {"x?{0}", "x", 1},
  /* ?, [^..] and * take any rune but '/', newlines and bad UTF-8 too */
  {"a?b", "a\nb", 1}, {"a*b", "a\n\nb", 1}, {"a?b", "a\xFF" "b", 1},
  {"a/**/b", "a/x\ny/b", 0}, /* '.' does not match a newline */
  {"a/**/b", "a/x/y/b", 1},
  /* ReadAll drops a byte order mark opening the first line */
  {"\xEF\xBB\xBF" "*.go", "x.go", 1},
  {"\xEF\xBB\xBF" "x.go", "x.go", 1},
};

START_TEST(test_match)
{
  dfl_ignore *ig = parse_ok(match_cases[_i].pattern);
  const char *err = "unset";
  int got = dfl_ignore_match(ig, match_cases[_i].path, &err);
  ck_assert_msg(got == match_cases[_i].want, "pattern %s, path %s: got %d, want %d (%s)",
                match_cases[_i].pattern, match_cases[_i].path, got, match_cases[_i].want,
                err ? err : "");
  ck_assert_ptr_null(err);
  dfl_ignore_free(ig);
}
END_TEST

/* MatchesUsingParentResults while walking down to the path, as BuildKit's
 * context transfer does: must agree with MatchesOrParentMatches here. */
START_TEST(test_match_walk)
{
  dfl_ignore *ig = parse_ok(match_cases[_i].pattern);
  const char *path = match_cases[_i].path;
  size_t n = dfl_ignore_count(ig);
  bool *info = calloc(n + 1, sizeof *info), *next = calloc(n + 1, sizeof *next);
  bool have = false;
  char *dir = dfl_path_dir(path);
  if (strcmp(dir, ".") != 0) {
    size_t dl = strlen(dir);
    for (size_t i = 0; i <= dl; i++) {
      if (i < dl && dir[i] != '/')
        continue;
      char *prefix = strndup(dir, i);
      ck_assert_int_ge(dfl_ignore_match_walk(ig, prefix, have ? info : NULL, next, NULL), 0);
      memcpy(info, next, n * sizeof *info);
      have = true;
      free(prefix);
    }
  }
  int got = dfl_ignore_match_walk(ig, path, have ? info : NULL, next, NULL);
  ck_assert_msg(got == match_cases[_i].want, "walk: pattern %s, path %s: got %d",
                match_cases[_i].pattern, path, got);
  free(dir);
  free(info);
  free(next);
  dfl_ignore_free(ig);
}
END_TEST

/* Several patterns: the last one that applies wins. */
static const struct {
  const char *patterns, *path;
  int want;
} multi_cases[] = {
  {"**\n!util/docker/web", "util/docker/web/foo", 0},
  {"**\n!util/docker/web\nutil/docker/web/foo", "util/docker/web/foo", 1},
  {"**\n!dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
   "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", 0},
  {"**\n!dist/*.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", 0},
  {"*.go\n!fileutils.go", "fileutils.go", 0},
  {"!fileutils.go\n*.go", "fileutils.go", 1},
  {"docs\n!docs/README.md", "docs/README.md", 0},
  {"docs\n!docs/README.md", "docs/other.md", 1},
  {"docs/\n!docs/README.md", "docs/README.md", 0},
  {"docs/*\n!docs/README.md", "docs/README.md", 0},
  {"*\n!keep\nkeep/secret", "keep/secret/x", 1},
  {"*\n!keep\nkeep/secret", "keep/public", 0},
  {"*\n!keep", "other", 1},
  {"", "anything", 0},
  /* a byte order mark opening a later line stays in the pattern: compared
   * as text it never matches, but text/scanner skips it when the pattern
   * becomes a regexp */
  {"a\n\xEF\xBB\xBF" "x.go", "x.go", 0},
  {"a\n\xEF\xBB\xBF" "*.go", "x.go", 1},
};

START_TEST(test_match_multi)
{
  dfl_ignore *ig = parse_ok(multi_cases[_i].patterns);
  ck_assert_msg(dfl_ignore_match(ig, multi_cases[_i].path, NULL) == multi_cases[_i].want,
                "patterns %s, path %s", multi_cases[_i].patterns, multi_cases[_i].path);
  dfl_ignore_free(ig);
}
END_TEST

/* patternmatcher's TestCompile: which patterns become a regexp, and which. */
static const struct {
  const char *pattern, *regexp; /* NULL: exact, prefix or suffix comparison */
} compile_cases[] = {
  {"*", "^[^/]*$"},
  {"file*", "^file[^/]*$"},
  {"*file", "^[^/]*file$"},
  {"a*/b", "^a[^/]*/b$"},
  {"**", NULL},
  {"**/**", "^(.*/)?.*$"},
  {"dir/**", NULL},
  {"**/dir", NULL},
  {"**/dir2/*", "^(.*/)?dir2/[^/]*$"},
  {"**/dir2/**", "^(.*/)?dir2/.*$"},
  {"**file", NULL},
  {"**/file*txt", "^(.*/)?file[^/]*txt$"},
  {"**/**/*.txt", "^(.*/)?(.*/)?[^/]*\\.txt$"},
  {"a[b-d]e", "^a[b-d]e$"},
  {".*", "^\\.[^/]*$"},
  {"abc.def", NULL},
  {"abc?def", "^abc[^/]def$"},
  {"**/foo/bar", NULL},
  {"a(b)c/def", NULL},
  {"a.|)$(}+{bc", NULL},
  {"dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", NULL},
  {"a\\*b", "^a\\*b$"},
  {"[*]", "^[[^/]*]$"},
  {"*/**", "^[^/]*/.*$"},
  {"**.go", NULL},
  {"**/*", "^(.*/)?[^/]*$"},
  {"***", "^(.*/)?[^/]*$"},
  {"a/**/**", "^a/(.*/)?.*$"},
  {"x\\Qy", "^x\\Qy$"},
  {"|*", "^|[^/]*$"},
  {"*.{js,ts}", "^[^/]*\\.{js,ts}$"},
  {"*$+()", "^[^/]*\\$\\+\\(\\)$"},
};

START_TEST(test_compile)
{
  dfl_ignore *ig = parse_ok(compile_cases[_i].pattern);
  const char *got = dfl_ignore_regexp(ig, 0);
  if (!compile_cases[_i].regexp)
    ck_assert_msg(got == NULL, "%s: got regexp %s", compile_cases[_i].pattern, got);
  else
    ck_assert_msg(got && strcmp(got, compile_cases[_i].regexp) == 0, "%s: got %s, want %s",
                  compile_cases[_i].pattern, got ? got : "(none)", compile_cases[_i].regexp);
  ck_assert_ptr_null(dfl_ignore_pattern_error(ig, 0));
  dfl_ignore_free(ig);
}
END_TEST

/* ---------------------------------------------------------------- */
/* Patterns filepath.Match accepts but Go's regexp parser refuses:     */
/* BuildKit fails when it evaluates them, and so do we.                */

static const struct {
  const char *pattern, *msg;
} broken_cases[] = {
  {"[Local-Only]/", "invalid character class range: `l-O`"},
  {"a*[", "missing closing ]: `[$`"},
  {"\\y", "invalid escape sequence: `\\y`"},
  {"x\\1", "invalid escape sequence: `\\1`"},
  {"\\C*", "invalid escape sequence: `\\C`"},
  {"\\xZZ", "invalid escape sequence: `\\xZZ`"},
  {"\\x{110000}", "invalid escape sequence"},
  {"\\\xC3\xA9", "invalid escape sequence: `\\\xC3\xA9`"},
  {"[[:foo:]]", "invalid character class range: `[:foo:]`"},
  {"[z-a]*", "invalid character class range: `z-a`"},
  {"[\\b]", "invalid escape sequence: `\\b`"},
  {"\\pL*", "Unicode class `\\pL`"},
  {"\\p{Greek}?", "Unicode class `\\p{Greek}`"},
  {"*{1001}", "invalid repeat count: `{1001}`"},
  {"?{2}{3}", "invalid nested repetition operator: `{2}{3}`"},
  {"x*{2}", "invalid nested repetition operator: `*{2}`"},
  {"|{2}*", "missing argument to repetition operator: `{2}`"},
  {"?{100}\\Q\\E{100}", "invalid repeat count: `{100}`"},
  {"?{5,2}", "invalid repeat count: `{5,2}`"},
};

START_TEST(test_broken_pattern)
{
  dfl_ignore *ig = parse_ok(broken_cases[_i].pattern);
  const char *perr = dfl_ignore_pattern_error(ig, 0);
  ck_assert_msg(perr && strstr(perr, broken_cases[_i].msg), "%s: error %s, want %s",
                broken_cases[_i].pattern, perr ? perr : "(none)", broken_cases[_i].msg);
  ck_assert_ptr_nonnull(strstr(perr, "line 1: "));
  const char *err = NULL;
  ck_assert_int_eq(dfl_ignore_match(ig, "x", &err), -1);
  ck_assert_ptr_eq(err, perr);
  /* Evaluating it again fails the same way (moby/moby#52203 panicked). */
  ck_assert_int_eq(dfl_ignore_match(ig, "x", &err), -1);
  ck_assert(!dfl_ignore_matches(ig, "x"));
  dfl_ignore_free(ig);
}
END_TEST

START_TEST(test_broken_pattern_lazy)
{
  /* BuildKit compiles a pattern the first time it evaluates it, and skips
   * inclusions once a path is already ignored. */
  dfl_ignore *ig = parse_ok("foo\n[Local-Only]\n");
  const char *err = NULL;
  ck_assert_int_eq(dfl_ignore_match(ig, "foo", &err), 1);
  ck_assert_ptr_null(err);
  ck_assert_int_eq(dfl_ignore_match(ig, "foo/bar", &err), 1);
  ck_assert_int_eq(dfl_ignore_match(ig, "bar", &err), -1);
  ck_assert_ptr_nonnull(strstr(err, "line 2: syntax error in pattern \"[Local-Only]\""));
  ck_assert_ptr_null(dfl_ignore_pattern_error(ig, 0));
  dfl_ignore_free(ig);

  /* An exclusion is only evaluated once something matched. */
  ig = parse_ok("!a*[\n");
  ck_assert_int_eq(dfl_ignore_match(ig, "abc", NULL), 0);
  dfl_ignore_free(ig);
  ig = parse_ok("*\n!a*[\n");
  ck_assert_int_eq(dfl_ignore_match(ig, "abc", NULL), -1);
  dfl_ignore_free(ig);
}
END_TEST

/* ---------------------------------------------------------------- */
/* Finding the file                                                   */

static char tmpdir[256];

static void write_file(const char *rel, const char *text)
{
  char path[512];
  snprintf(path, sizeof path, "%s/%s", tmpdir, rel);
  FILE *f = fopen(path, "wb");
  ck_assert_ptr_nonnull(f);
  fputs(text, f);
  fclose(f);
}

static void remove_file(const char *rel)
{
  char path[512];
  snprintf(path, sizeof path, "%s/%s", tmpdir, rel);
  unlink(path);
}

static dfl_ignore *load(const char *dockerfile_rel, char **err)
{
  char df[512];
  if (dockerfile_rel)
    snprintf(df, sizeof df, "%s/%s", tmpdir, dockerfile_rel);
  return dfl_ignore_load(tmpdir, dockerfile_rel ? df : NULL, err);
}

static void make_tmpdir(void)
{
  snprintf(tmpdir, sizeof tmpdir, "/tmp/dflint-ignore-XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void remove_tmpdir(void)
{
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
  ck_assert_int_eq(system(cmd), 0);
}

START_TEST(test_load_precedence)
{
  make_tmpdir();
  char *err = (char *)"unset";
  /* nothing to read */
  ck_assert_ptr_null(load("Dockerfile", &err));
  ck_assert_ptr_null(err);

  write_file("Dockerfile", "FROM scratch\n");
  write_file(".dockerignore", "from-context\n");
  dfl_ignore *ig = load("Dockerfile", &err);
  ck_assert_ptr_nonnull(ig);
  ck_assert_str_eq(dfl_ignore_pattern(ig, 0), "from-context");
  ck_assert_ptr_nonnull(strstr(dfl_ignore_source(ig), "/.dockerignore"));
  dfl_ignore_free(ig);

  /* <Dockerfile>.dockerignore next to the Dockerfile wins */
  write_file("Dockerfile.dockerignore", "from-dockerfile\n");
  ig = load("Dockerfile", &err);
  ck_assert_str_eq(dfl_ignore_pattern(ig, 0), "from-dockerfile");
  ck_assert_ptr_nonnull(strstr(dfl_ignore_source(ig), "/Dockerfile.dockerignore"));
  dfl_ignore_free(ig);

  /* ... even when it is empty */
  write_file("Dockerfile.dockerignore", "");
  ig = load("Dockerfile", &err);
  ck_assert_ptr_nonnull(ig);
  ck_assert_uint_eq(dfl_ignore_count(ig), 0);
  dfl_ignore_free(ig);

  /* without a Dockerfile path (stdin) only the context counts */
  ig = load(NULL, &err);
  ck_assert_str_eq(dfl_ignore_pattern(ig, 0), "from-context");
  dfl_ignore_free(ig);
  ig = dfl_ignore_load(tmpdir, "-", &err);
  ck_assert_str_eq(dfl_ignore_pattern(ig, 0), "from-context");
  dfl_ignore_free(ig);

  /* the name follows the Dockerfile, in its own directory */
  char sub[512];
  snprintf(sub, sizeof sub, "%s/build", tmpdir);
  ck_assert_int_eq(mkdir(sub, 0755), 0);
  write_file("build/app.Dockerfile", "FROM scratch\n");
  ig = load("build/app.Dockerfile", &err);
  ck_assert_str_eq(dfl_ignore_pattern(ig, 0), "from-context");
  dfl_ignore_free(ig);
  write_file("build/app.Dockerfile.dockerignore", "/only-app\n");
  ig = load("build/app.Dockerfile", &err);
  ck_assert_str_eq(dfl_ignore_pattern(ig, 0), "only-app");
  dfl_ignore_free(ig);
  /* Dockerfile.dockerignore does not apply to another Dockerfile */
  remove_file("build/app.Dockerfile.dockerignore");
  ig = load("build/app.Dockerfile", &err);
  ck_assert_str_eq(dfl_ignore_pattern(ig, 0), "from-context");
  dfl_ignore_free(ig);

  /* errors name the file */
  write_file(".dockerignore", "ok\n!\n");
  ck_assert_ptr_null(load(NULL, &err));
  ck_assert_ptr_nonnull(err);
  ck_assert_ptr_nonnull(strstr(err, "/.dockerignore: line 2: illegal exclusion pattern"));
  free(err);
  write_file(".dockerignore", "a*[\n");
  ig = load(NULL, &err);
  ck_assert_ptr_nonnull(ig);
  ck_assert_ptr_nonnull(strstr(dfl_ignore_pattern_error(ig, 0),
                               "/.dockerignore: line 1: syntax error in pattern \"a*[\""));
  dfl_ignore_free(ig);

  /* an ignore file that exists but cannot be read is an error (root reads
   * anything, so there is nothing to check then) */
  write_file(".dockerignore", "x\n");
  if (geteuid() != 0) {
    char path[512];
    snprintf(path, sizeof path, "%s/.dockerignore", tmpdir);
    ck_assert_int_eq(chmod(path, 0), 0);
    ck_assert_ptr_null(load(NULL, &err));
    ck_assert_ptr_nonnull(err);
    ck_assert_ptr_nonnull(strstr(err, "/.dockerignore: "));
    free(err);
    chmod(path, 0644);
  }

  /* a directory named .dockerignore is no ignore file */
  remove_file(".dockerignore");
  snprintf(sub, sizeof sub, "%s/.dockerignore", tmpdir);
  ck_assert_int_eq(mkdir(sub, 0755), 0);
  err = (char *)"unset";
  ck_assert_ptr_null(load(NULL, &err));
  ck_assert_ptr_null(err);
  remove_tmpdir();
}
END_TEST

/* ---------------------------------------------------------------- */
/* Pathological patterns finish quickly (the Pike VM is linear in the  */
/* path for a given pattern; a backtracking matcher would not finish). */

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *repeat(const char *unit, size_t n, const char *tail)
{
  size_t ul = strlen(unit), tl = strlen(tail);
  char *s = malloc(ul * n + tl + 1);
  for (size_t i = 0; i < n; i++)
    memcpy(s + i * ul, unit, ul);
  memcpy(s + ul * n, tail, tl + 1);
  return s;
}

START_TEST(test_pathological)
{
  double t0 = now();

  /* 50 stars and a letter that never comes. Stars pair up into "**",
   * which Go reads as (.*\/)?, so "b" must be a whole last element. */
  char *pat = repeat("*", 50, "b");
  char *path = repeat("a", 20000, "");
  dfl_ignore *ig = parse_ok(pat);
  ck_assert_int_eq(dfl_ignore_match(ig, path, NULL), 0);
  path[19999] = 'b';
  ck_assert_int_eq(dfl_ignore_match(ig, path, NULL), 0);
  path[19998] = '/';
  ck_assert_int_eq(dfl_ignore_match(ig, path, NULL), 1);
  dfl_ignore_free(ig);
  free(pat);
  free(path);
  /* 51 stars end in a lone "*": [^/]*b matches inside the element too */
  pat = repeat("*", 51, "b");
  path = repeat("a", 20000, "");
  ig = parse_ok(pat);
  ck_assert_int_eq(dfl_ignore_match(ig, path, NULL), 0);
  path[19999] = 'b';
  ck_assert_int_eq(dfl_ignore_match(ig, path, NULL), 1);
  dfl_ignore_free(ig);
  free(pat);
  free(path);

  /* a*a*a*...b against aaaa: the classic exponential backtracking case */
  pat = repeat("a*", 40, "b");
  path = repeat("a", 5000, "");
  ig = parse_ok(pat);
  ck_assert_int_eq(dfl_ignore_match(ig, path, NULL), 0);
  dfl_ignore_free(ig);
  free(pat);
  free(path);

  /* nested double stars against a deep path */
  pat = repeat("**/", 40, "x");
  path = repeat("d/", 500, "y");
  ig = parse_ok(pat);
  ck_assert_int_eq(dfl_ignore_match(ig, path, NULL), 0);
  path[strlen(path) - 1] = 'x';
  ck_assert_int_eq(dfl_ignore_match(ig, path, NULL), 1);
  dfl_ignore_free(ig);
  free(pat);
  free(path);

  /* the longest line ReadAll allows, all single-character wildcards */
  pat = repeat("?", 65000, "");
  path = repeat("z", 65000, "");
  ig = parse_ok(pat);
  ck_assert_int_eq(dfl_ignore_match(ig, path, NULL), 1);
  path[64999] = '\0';
  ck_assert_int_eq(dfl_ignore_match(ig, path, NULL), 0);
  dfl_ignore_free(ig);
  free(pat);
  free(path);

  double elapsed = now() - t0;
  ck_assert_msg(elapsed < tu_time_limit(5.0), "pathological patterns took %.2fs", elapsed);
}
END_TEST

/* Many patterns against many paths, with the parent checks, stays cheap. */
START_TEST(test_many_patterns)
{
  char text[8192] = "";
  for (int i = 0; i < 200; i++) {
    char line[64];
    snprintf(line, sizeof line, "dir%d/**/*.tmp%d\n", i, i);
    strcat(text, line);
  }
  dfl_ignore *ig = parse_ok(text);
  ck_assert_uint_eq(dfl_ignore_count(ig), 200);
  ck_assert(dfl_ignore_matches(ig, "dir7/a/b/c.tmp7"));
  ck_assert(!dfl_ignore_matches(ig, "dir7/a/b/c.tmp8"));
  char *deep = repeat("sub/", 200, "leaf");
  ck_assert(!dfl_ignore_matches(ig, deep));
  free(deep);
  dfl_ignore_free(ig);
}
END_TEST

static Suite *dockerignore_suite(void)
{
  Suite *s = suite_create("dockerignore");
  TCase *tc = tcase_create("paths");
  tcase_add_loop_test(tc, test_path_clean, 0, (int)N(clean_cases));
  tcase_add_loop_test(tc, test_path_dir, 0, (int)N(dir_cases));
  suite_add_tcase(s, tc);

  tc = tcase_create("readall");
  tcase_add_loop_test(tc, test_readall, 0, (int)N(readall_cases));
  tcase_add_test(tc, test_readall_long_line);
  tcase_add_test(tc, test_lines_and_flags);
  suite_add_tcase(s, tc);

  tc = tcase_create("match");
  tcase_add_loop_test(tc, test_match, 0, (int)N(match_cases));
  tcase_add_loop_test(tc, test_match_walk, 0, (int)N(match_cases));
  tcase_add_loop_test(tc, test_match_multi, 0, (int)N(multi_cases));
  tcase_add_loop_test(tc, test_compile, 0, (int)N(compile_cases));
  tcase_add_loop_test(tc, test_broken_pattern, 0, (int)N(broken_cases));
  tcase_add_test(tc, test_broken_pattern_lazy);
  suite_add_tcase(s, tc);

  tc = tcase_create("load");
  tcase_add_test(tc, test_load_precedence);
  suite_add_tcase(s, tc);

  tc = tcase_create("performance");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_pathological);
  tcase_add_test(tc, test_many_patterns);
  suite_add_tcase(s, tc);
  return s;
}

int main(void)
{
  return tu_run_suite(dockerignore_suite());
}
