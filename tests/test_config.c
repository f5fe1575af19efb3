/* Configuration files: every key, the errors (with their exact position),
 * warnings about rule ids, discovery order in a scratch repository, and the
 * merge under command-line flags. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/options.h"
#include "dflint/config.h"
#include "testutil.h"

/* ---- helpers ---- */

static void write_file(const char *path, const char *text)
{
  FILE *f = fopen(path, "w");
  ck_assert_msg(f != NULL, "cannot write %s", path);
  fputs(text, f);
  fclose(f);
}

static void mkdirs(const char *path)
{
  char buf[4096];
  snprintf(buf, sizeof buf, "%s", path);
  for (char *p = buf + 1; *p; p++)
    if (*p == '/') {
      *p = '\0';
      mkdir(buf, 0755);
      *p = '/';
    }
  mkdir(buf, 0755);
}

static void rm_rf(const char *path)
{
  char cmd[4200];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
  ck_assert_int_eq(system(cmd), 0);
}

/* Parses text as ".dflint.yaml"; returns the error (malloc'd) or NULL. */
static char *parse(const char *text, dfl_config *c)
{
  char *err = NULL;
  dfl_config_init(c);
  if (dfl_config_parse(text, strlen(text), ".dflint.yaml", c, &err) == 0)
    ck_assert_ptr_null(err);
  else
    ck_assert_ptr_nonnull(err);
  return err;
}

static bool has(const dfl_strlist *l, const char *s)
{
  for (size_t i = 0; i < l->n; i++)
    if (strcmp(l->items[i], s) == 0)
      return true;
  return false;
}

static int override_of(const dfl_config *c, const char *id)
{
  for (size_t i = 0; i < c->noverrides; i++)
    if (strcmp(c->override_ids[i], id) == 0)
      return (int)c->override_sev[i];
  return -1;
}

/* ---- parsing ---- */

static const char every_key[] =
    "# every key, as docs/configuration.md lists them\n"
    "ignored: [MaintainerDeprecated]\n"
    "ignore:\n"
    "  - DL3008\n"
    "  - MaintainerDeprecated\n"
    "select: [buildkit, DF000, DL3]\n"
    "override:\n"
    "  error: [JSONArgsRecommended]\n"
    "  warning: []\n"
    "  info: [SC2086]\n"
    "  style:\n"
    "    - StageNameCasing\n"
    "trustedRegistries: [docker.io, \"my.registry:5000\"]\n"
    "label-schema:\n"
    "  author: text\n"
    "  url: url\n"
    "  version: semver\n"
    "  sha: hash\n"
    "  created: rfc3339\n"
    "  license: spdx\n"
    "  maintainer: email\n"
    "  free:\n"
    "strict-labels: true\n"
    "disable-ignore-pragma: True\n"
    "failure-threshold: warning\n"
    "no-fail: TRUE\n"
    "format: json\n"
    "no-color: true\n"
    "verbose: false\n"
    "online: true\n"
    "registry-mirrors:\n"
    "  docker.io: https://mirror.example.com\n"
    "  ghcr.io: http://127.0.0.1:5000/ghcr\n"
    "context-size-threshold: 50MB\n";

START_TEST(every_key_parses)
{
  dfl_config c;
  char *err = parse(every_key, &c);
  ck_assert_msg(!err, "%s", err);
  ck_assert_uint_eq(c.warnings.n, 0);
  /* ignored and ignore are one list, each id once. */
  ck_assert_uint_eq(c.ignore.n, 2);
  ck_assert(has(&c.ignore, "MaintainerDeprecated") && has(&c.ignore, "DL3008"));
  ck_assert_uint_eq(c.select.n, 3);
  ck_assert(has(&c.select, "buildkit") && has(&c.select, "DL3"));
  ck_assert_uint_eq(c.noverrides, 3);
  ck_assert_int_eq(override_of(&c, "JSONArgsRecommended"), DFL_SEV_ERROR);
  ck_assert_int_eq(override_of(&c, "SC2086"), DFL_SEV_INFO);
  ck_assert_int_eq(override_of(&c, "StageNameCasing"), DFL_SEV_STYLE);
  ck_assert_uint_eq(c.trusted_registries.n, 2);
  ck_assert_str_eq(c.trusted_registries.items[1], "my.registry:5000");
  ck_assert_uint_eq(c.nlabels, 8);
  static const dfl_label_type types[] = {
    DFL_LABEL_TEXT,    DFL_LABEL_URL,  DFL_LABEL_SEMVER, DFL_LABEL_HASH,
    DFL_LABEL_RFC3339, DFL_LABEL_SPDX, DFL_LABEL_EMAIL,  DFL_LABEL_TEXT,
  };
  for (size_t i = 0; i < 8; i++)
    ck_assert_int_eq(c.labels[i].type, types[i]);
  ck_assert_str_eq(c.labels[7].name, "free");
  ck_assert(c.strict_labels && c.disable_ignore_pragma && c.no_fail);
  ck_assert(c.no_color && !c.verbose && c.online);
  ck_assert_int_eq(c.failure_threshold, DFL_SEV_WARNING);
  ck_assert_str_eq(c.format, "json");
  ck_assert_uint_eq(c.nmirrors, 2);
  ck_assert_str_eq(c.mirrors[1].registry, "ghcr.io");
  ck_assert_str_eq(c.mirrors[1].url, "http://127.0.0.1:5000/ghcr");
  ck_assert(c.context_size_threshold == 50000000u);
  static const char *const keys[] = {
    "ignore", "ignored", "select", "override", "trustedRegistries",
    "label-schema", "strict-labels", "disable-ignore-pragma",
    "failure-threshold", "no-fail", "format", "no-color", "verbose",
    "online", "registry-mirrors", "context-size-threshold",
  };
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
    ck_assert_msg(dfl_config_is_set(&c, keys[i]), "%s not set", keys[i]);
  dfl_config_free(&c);
}
END_TEST

START_TEST(empty_and_null_are_defaults)
{
  static const char *const texts[] = {
    "", "\n", "# only a comment\n", "---\n", "~\n",
    "ignored:\nformat: ~\noverride:\nlabel-schema: null\n",
    "override:\n  error:\n",
  };
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
    dfl_config c;
    char *err = parse(texts[i], &c);
    ck_assert_msg(!err, "'%s': %s", texts[i], err);
    ck_assert_msg(!dfl_config_is_set(&c, "format") &&
                      !dfl_config_is_set(&c, "ignore") && c.noverrides == 0,
                  "'%s' set something", texts[i]);
    ck_assert_str_eq(c.format, "text");
    ck_assert_int_eq(c.failure_threshold, DFL_SEV_INFO);
    dfl_config_free(&c);
  }
}
END_TEST

/* Each bad file, and the exact first line of its message. */
static const struct {
  const char *yaml;
  const char *error;
} bad_files[] = {
  /* YAML syntax */
  {"ignored: [DL3008, DL3009\nformat: json\n",
   ".dflint.yaml:2:7: error: YAML syntax error: did not find expected ',' or "
   "']' (while parsing a flow sequence at line 1, column 10)"},
  {"no-fail: true\n\tformat: json\n",
   ".dflint.yaml:2:1: error: YAML syntax error: found a tab character that "
   "violates indentation (while scanning a plain scalar at line 1, column "
   "10)"},
  /* unknown keys, with a suggestion when one is close */
  {"ignored: []\nfailure_threshold: error\n",
   ".dflint.yaml:2:1: error: unknown key 'failure_threshold' (did you mean "
   "failure-threshold?)"},
  {"no-fail: true\n  # indented comment\nrules:\n  - x\n",
   ".dflint.yaml:3:1: error: unknown key 'rules' (see docs/configuration.md)"},
  {"override:\n  fatal: [DL3008]\n",
   ".dflint.yaml:2:3: error: override: unknown severity 'fatal' (expected "
   "error, warning, info or style)"},
  /* wrong types */
  {"no-fail: true\nignored: DL3008\n",
   ".dflint.yaml:2:10: error: ignored: expected a list (like [a, b]), got "
   "'DL3008'"},
  {"no-fail: yes\n",
   ".dflint.yaml:1:10: error: no-fail: expected true or false, got 'yes'"},
  {"strict-labels: \"true\"\n",
   ".dflint.yaml:1:16: error: strict-labels: expected true or false, got the "
   "quoted string 'true'"},
  {"online: [true]\n",
   ".dflint.yaml:1:9: error: online: expected true or false, got a list"},
  {"select:\n  - [DL3008]\n",
   ".dflint.yaml:2:5: error: select: expected a string, got a list"},
  {"override: [DL3008]\n",
   ".dflint.yaml:1:11: error: override: expected a map, got a list"},
  {"override:\n  error: JSONArgsRecommended\n",
   ".dflint.yaml:2:10: error: override.error: expected a list (like [a, b]), "
   "got 'JSONArgsRecommended'"},
  {"failure-threshold: fatal\n",
   ".dflint.yaml:1:20: error: failure-threshold: 'fatal' is not one of error, "
   "warning, info, style, ignore, none"},
  {"format: codeclimate\n",
   ".dflint.yaml:1:9: error: format: unknown format 'codeclimate' (expected "
   "one of: "},
  {"formats: [json, sarif]\n",
   ".dflint.yaml:1:17: error: formats: dflint writes one format per run; list "
   "one (or use format)"},
  {"format: json\nformats: [sarif]\n",
   ".dflint.yaml:2:11: error: formats: the format is already set (format and "
   "formats are one setting)"},
  {"label-schema:\n  version: semantic\n",
   ".dflint.yaml:2:12: error: label-schema: unknown type 'semantic' for label "
   "'version' (expected text, url, semver, hash, rfc3339, spdx or email)"},
  {"label-schema: [version]\n",
   ".dflint.yaml:1:15: error: label-schema: expected a map, got a list"},
  {"registry-mirrors:\n  docker.io: mirror.example.com\n",
   ".dflint.yaml:2:14: error: registry-mirrors: the mirror of 'docker.io' "
   "must be an http:// or https:// URL, got 'mirror.example.com'"},
  {"context-size-threshold: 50 parsecs\n",
   ".dflint.yaml:1:25: error: context-size-threshold: expected a size like "
   "50MB, 1.5GiB or a number of bytes, got '50 parsecs'"},
  {"context-size-threshold: [1]\n",
   ".dflint.yaml:1:25: error: context-size-threshold: expected a string, got "
   "a list"},
  /* structure */
  {"- ignored\n",
   ".dflint.yaml:1:1: error: the configuration: expected a map, got a list"},
  {"no-fail: true\nno-fail: false\n",
   ".dflint.yaml:2:1: error: the configuration: duplicate key 'no-fail' "
   "(first at line 1)"},
  {"label-schema:\n  a: url\n  a: text\n",
   ".dflint.yaml:3:3: error: label-schema: duplicate key 'a' (first at line "
   "2)"},
  {"no-fail: true\n---\nno-fail: false\n",
   ".dflint.yaml:3:1: error: a second YAML document; a configuration file "
   "holds one"},
  {"ignored: [\"DL\\u0000\"]\n",
   ".dflint.yaml:1:11: error: ignored: the string contains a NUL byte"},
};

START_TEST(errors_have_exact_positions)
{
  for (size_t i = 0; i < sizeof bad_files / sizeof bad_files[0]; i++) {
    dfl_config c;
    char *err = parse(bad_files[i].yaml, &c);
    ck_assert_msg(err, "no error for:\n%s", bad_files[i].yaml);
    ck_assert_msg(strncmp(err, bad_files[i].error,
                          strlen(bad_files[i].error)) == 0,
                  "for:\n%s\nwant: %s\ngot:  %s", bad_files[i].yaml,
                  bad_files[i].error, err);
    free(err);
    dfl_config_free(&c);
  }
}
END_TEST

START_TEST(unknown_rule_ids_warn_with_positions)
{
  dfl_config c;
  char *err = parse("ignored:\n"
                    "  - DL3008\n"        /* hadolint code: coming, silent */
                    "  - SC2086\n"        /* ShellCheck code: silent */
                    "  - JSONArgsRecomended\n"
                    "select: [all, hadolint, DF, DL30, Bogus]\n"
                    "override:\n"
                    "  error: [jsonargsrecommended, DL300]\n",
                    &c);
  ck_assert_msg(!err, "%s", err);
  static const char *const want[] = {
    ".dflint.yaml:4:5: warning: unknown rule 'JSONArgsRecomended' in ignored "
    "(did you mean JSONArgsRecommended?)",
    ".dflint.yaml:5:35: warning: unknown rule 'Bogus' in select",
    ".dflint.yaml:7:11: warning: unknown rule 'jsonargsrecommended' in "
    "override.error (did you mean JSONArgsRecommended?)",
    ".dflint.yaml:7:32: warning: unknown rule 'DL300' in override.error "
    "(hadolint and ShellCheck codes have four digits)",
  };
  ck_assert_uint_eq(c.warnings.n, sizeof want / sizeof want[0]);
  for (size_t i = 0; i < c.warnings.n; i++)
    ck_assert_str_eq(c.warnings.items[i], want[i]);
  /* Warned about, still kept: the user may know better. */
  ck_assert(has(&c.ignore, "JSONArgsRecomended"));
  dfl_config_free(&c);
}
END_TEST

START_TEST(override_most_severe_wins)
{
  dfl_config c;
  char *err = parse("override:\n"
                    "  style: [MaintainerDeprecated]\n"
                    "  error: [MaintainerDeprecated]\n"
                    "  info: [MaintainerDeprecated, MaintainerDeprecated]\n",
                    &c);
  ck_assert_msg(!err, "%s", err);
  ck_assert_uint_eq(c.noverrides, 1);
  ck_assert_int_eq(override_of(&c, "MaintainerDeprecated"), DFL_SEV_ERROR);
  ck_assert_uint_eq(c.warnings.n, 2);
  ck_assert_str_eq(c.warnings.items[0],
                   ".dflint.yaml:3:11: warning: MaintainerDeprecated is "
                   "listed under override.style and override.error; error "
                   "wins, as in hadolint");
  dfl_config_free(&c);
}
END_TEST

START_TEST(sizes)
{
  static const struct {
    const char *text;
    uint64_t bytes;
  } good[] = {
    {"0", 0},
    {"1024", 1024},
    {"50MB", 50000000ull},
    {"50 mb", 50000000ull},
    {"1.5GiB", 1610612736ull},
    {"2kib", 2048},
    {"10B", 10},
    {"1TB", 1000000000000ull},
    {"0.5KB", 500},
    {"18446744073709551615", 18446744073709551615ull},
  };
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    uint64_t v = 1;
    ck_assert_msg(dfl_config_parse_size(good[i].text, &v) == 0, "%s",
                  good[i].text);
    ck_assert_msg(v == good[i].bytes, "%s: %llu", good[i].text,
                  (unsigned long long)v);
  }
  static const char *const bad[] = {
    "", "MB", "-1", "1.5", "1.", "50XB", "50M", "5 0MB", "1e6",
    "18446744073709551616", "20000000TB", "0x10",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    uint64_t v;
    ck_assert_msg(dfl_config_parse_size(bad[i], &v) != 0, "'%s' accepted",
                  bad[i]);
  }
}
END_TEST

START_TEST(printed_config_reads_back)
{
  dfl_config c, back;
  char *err = parse(every_key, &c);
  ck_assert_msg(!err, "%s", err);
  dfl_buf a, b;
  dfl_buf_init(&a);
  dfl_buf_init(&b);
  dfl_config_write_yaml(&c, &a);
  err = parse(dfl_buf_cstr(&a), &back);
  ck_assert_msg(!err, "%s\n%s", err, dfl_buf_cstr(&a));
  dfl_config_write_yaml(&back, &b);
  ck_assert_str_eq(dfl_buf_cstr(&a), dfl_buf_cstr(&b));
  ck_assert(strstr(dfl_buf_cstr(&a), "\nformat: json\n"));
  ck_assert(strstr(dfl_buf_cstr(&a), "[docker.io, \"my.registry:5000\"]"));
  dfl_config_free(&back);
  dfl_config_free(&c);
  dfl_buf_reset(&a);
  dfl_buf_reset(&b);

  /* Defaults print every key too, marked as defaults. */
  dfl_config init_c;
  dfl_config_init(&init_c);
  dfl_config_write_yaml(&init_c, &a);
  const char *t = dfl_buf_cstr(&a);
  static const char *const lines[] = {
    "ignore: []  # default\n", "select: []  # default; empty: every rule",
    "override:  # default\n  error: []\n", "failure-threshold: info  # default\n",
    "format: text  # default\n", "verbose: false  # default; read for hadolint",
    "context-size-threshold: null  # default;", "label-schema: {}  # default",
  };
  for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
    ck_assert_msg(strstr(t, lines[i]), "no '%s' in\n%s", lines[i], t);
  err = parse(t, &back);
  ck_assert_msg(!err, "%s", err);
  ck_assert_str_eq(back.format, "text");
  ck_assert_int_eq(back.failure_threshold, DFL_SEV_INFO);
  ck_assert(back.noverrides == 0 && back.ignore.n == 0 && !back.no_fail);
  ck_assert(!dfl_config_is_set(&back, "context-size-threshold"));
  dfl_config_free(&back);
  dfl_config_free(&init_c);
  dfl_buf_free(&a);
  dfl_buf_free(&b);
}
END_TEST

/* ---- files and discovery ---- */

static char tmp[256];

static void make_tmp(void)
{
  snprintf(tmp, sizeof tmp, "/tmp/dflint-config-XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(tmp));
}

static const char *at(const char *rel)
{
  static char buf[8][512];
  static int k;
  k = (k + 1) % 8;
  snprintf(buf[k], sizeof buf[k], "%s/%s", tmp, rel);
  return buf[k];
}

START_TEST(load_errors)
{
  make_tmp();
  dfl_config c;
  char *err = NULL;
  dfl_config_init(&c);
  mkdirs(at(".dflint.yaml"));
  ck_assert_int_eq(dfl_config_load(at(".dflint.yaml"), &c, &err), -1);
  ck_assert(strstr(err, ".dflint.yaml: is a directory"));
  free(err);
  ck_assert_int_eq(dfl_config_load(at("nope.yaml"), &c, &err), -1);
  ck_assert(strstr(err, "nope.yaml: No such file or directory"));
  free(err);
  write_file(at("locked.yaml"), "no-fail: true\n");
  chmod(at("locked.yaml"), 0);
  if (geteuid() != 0) { /* root reads it anyway */
    ck_assert_int_eq(dfl_config_load(at("locked.yaml"), &c, &err), -1);
    ck_assert(strstr(err, "Permission denied"));
    free(err);
  }
  write_file(at("empty.yaml"), "");
  ck_assert_int_eq(dfl_config_load(at("empty.yaml"), &c, &err), 0);
  ck_assert_str_eq(c.path, at("empty.yaml"));
  dfl_config_free(&c);
  rm_rf(tmp);
}
END_TEST

/* Expects discovery from dir (relative to tmp) to find want (relative to
 * tmp), or nothing when want is NULL. */
static void expect_found(const char *dir, const char *want)
{
  char *got = dfl_config_discover(at(dir), NULL);
  char *real_tmp = realpath(tmp, NULL);
  char want_abs[1024];
  if (want)
    snprintf(want_abs, sizeof want_abs, "%s/%s", real_tmp, want);
  ck_assert_msg(want ? got && strcmp(got, want_abs) == 0 : !got,
                "from %s: want %s, got %s", dir, want ? want : "(none)",
                got ? got : "(none)");
  free(got);
  free(real_tmp);
}

START_TEST(discovery_order)
{
  make_tmp();
  /* home/ and xdg/ stand in for the user's directories; repo/ has .git. */
  mkdirs(at("home"));
  mkdirs(at("xdg"));
  mkdirs(at("repo/.git"));
  mkdirs(at("repo/app/svc"));
  setenv("HOME", at("home"), 1);
  setenv("XDG_CONFIG_HOME", at("xdg"), 1);
  const char *svc = "repo/app/svc";
  expect_found(svc, NULL);

  /* hadolint's user files, last to first, each replacing the one before. */
  write_file(at("home/.hadolint.yml"), "");
  expect_found(svc, "home/.hadolint.yml");
  write_file(at("home/.hadolint.yaml"), "");
  expect_found(svc, "home/.hadolint.yaml");
  mkdirs(at("home/.hadolint"));
  write_file(at("home/.hadolint/config.yml"), "");
  expect_found(svc, "home/.hadolint/config.yml");
  write_file(at("home/.hadolint/hadolint.yaml"), "");
  expect_found(svc, "home/.hadolint/hadolint.yaml");
  write_file(at("xdg/hadolint.yml"), "");
  expect_found(svc, "xdg/hadolint.yml");
  mkdirs(at("xdg/dflint"));
  write_file(at("xdg/dflint/config.yaml"), "");
  expect_found(svc, "xdg/dflint/config.yaml");
  /* Without XDG_CONFIG_HOME, ~/.config. */
  unsetenv("XDG_CONFIG_HOME");
  mkdirs(at("home/.config/dflint"));
  write_file(at("home/.config/dflint/config.yml"), "");
  expect_found(svc, "home/.config/dflint/config.yml");
  setenv("XDG_CONFIG_HOME", at("xdg"), 1);

  /* Above the repository root is not searched. */
  write_file(at(".hadolint.yaml"), "");
  expect_found(svc, "xdg/dflint/config.yaml");

  /* The repository: hadolint's name, nearest directory first. */
  write_file(at("repo/.hadolint.yml"), "");
  expect_found(svc, "repo/.hadolint.yml");
  write_file(at("repo/app/.hadolint.yml"), "");
  expect_found(svc, "repo/app/.hadolint.yml");
  expect_found("repo", "repo/.hadolint.yml");
  /* .yaml before .yml in one directory; the loser is reported. */
  write_file(at("repo/app/.hadolint.yaml"), "");
  char *shadowed = NULL;
  char *got = dfl_config_discover(at(svc), &shadowed);
  ck_assert(got && strstr(got, "repo/app/.hadolint.yaml"));
  ck_assert(shadowed && strstr(shadowed, "repo/app/.hadolint.yml"));
  free(got);
  free(shadowed);
  write_file(at("repo/app/svc/.hadolint.yml"), "");
  expect_found(svc, "repo/app/svc/.hadolint.yml");

  /* dflint's own name anywhere up to the root beats hadolint's. */
  write_file(at("repo/.dflint.yml"), "");
  expect_found(svc, "repo/.dflint.yml");
  write_file(at("repo/.dflint.yaml"), "");
  expect_found(svc, "repo/.dflint.yaml");
  write_file(at("repo/app/.dflint.yml"), "");
  expect_found(svc, "repo/app/.dflint.yml");
  /* Sibling directories do not see each other's files. */
  mkdirs(at("repo/other"));
  expect_found("repo/other", "repo/.dflint.yaml");

  /* A .git file (worktrees, submodules) marks a root too. */
  mkdirs(at("repo/sub"));
  write_file(at("repo/sub/.git"), "gitdir: ../.git/modules/sub\n");
  mkdirs(at("repo/sub/deep"));
  expect_found("repo/sub/deep", "xdg/dflint/config.yaml");
  /* A directory where a file was expected is found, then fails to load,
   * instead of being stepped over. */
  mkdirs(at("repo/sub/deep/.dflint.yaml"));
  expect_found("repo/sub/deep", "repo/sub/deep/.dflint.yaml");
  rm_rf(tmp);
}
END_TEST

/* ---- the merge under command-line flags ---- */

static int parse_args(dfl_cli_options *o, const char *const *args)
{
  char *argv[32];
  int argc = 0;
  argv[argc++] = "check";
  for (; *args; args++)
    argv[argc++] = (char *)*args;
  argv[argc] = NULL;
  ck_assert_int_eq(dfl_cli_options_parse(o, argc, argv), -1);
  return dfl_cli_options_apply_config(o);
}

START_TEST(flags_beat_the_file)
{
  make_tmp();
  setenv("HOME", at("home"), 1);
  setenv("XDG_CONFIG_HOME", at("xdg"), 1);
  mkdirs(at(".git"));
  write_file(at("Dockerfile"), "FROM alpine\n");
  write_file(at(".hadolint.yaml"),
             "ignored: [MaintainerDeprecated]\n"
             "select: [buildkit]\n"
             "override:\n  error: [JSONArgsRecommended]\n"
             "failure-threshold: error\n"
             "format: json\n"
             "no-fail: true\n"
             "no-color: true\n"
             "disable-ignore-pragma: true\n");
  const char *df = at("Dockerfile");

  /* The file over the defaults. */
  dfl_cli_options o;
  const char *a1[] = {"--color", df, NULL};
  ck_assert_int_eq(parse_args(&o, a1), -1);
  ck_assert_str_eq(o.format, "json");
  ck_assert_int_eq(o.failure_threshold, DFL_SEV_ERROR);
  ck_assert(o.no_fail && o.color); /* --color beats no-color */
  ck_assert(o.lint.disable_ignore_pragma);
  ck_assert_uint_eq(o.lint.sel.nselect, 1);
  ck_assert_str_eq(o.lint.sel.select[0], "buildkit");
  ck_assert_uint_eq(o.lint.sel.nignore, 1);
  ck_assert_uint_eq(o.lint.noverrides, 1);
  ck_assert_str_eq(o.lint.override_ids[0], "JSONArgsRecommended");
  ck_assert_int_eq(o.lint.override_sev[0], DFL_SEV_ERROR);
  ck_assert_ptr_nonnull(o.config);
  ck_assert(strstr(o.config->path, ".hadolint.yaml"));
  dfl_cli_options_free(&o);

  /* Flags over the file: a selection replaces, an ignore adds. */
  const char *a2[] = {"--format=text", "--failure-threshold", "warning",
                      "--select", "DF000", "--ignore", "StageNameCasing",
                      df, NULL};
  ck_assert_int_eq(parse_args(&o, a2), -1);
  ck_assert_str_eq(o.format, "text");
  ck_assert_int_eq(o.failure_threshold, DFL_SEV_WARNING);
  ck_assert(!o.color);
  ck_assert_uint_eq(o.lint.sel.nselect, 1);
  ck_assert_str_eq(o.lint.sel.select[0], "DF000");
  ck_assert_uint_eq(o.lint.sel.nignore, 2);
  dfl_cli_options_free(&o);

  /* --no-config: defaults; --config: that file, no search. */
  const char *a3[] = {"--no-config", df, NULL};
  ck_assert_int_eq(parse_args(&o, a3), -1);
  ck_assert_str_eq(o.format, "text");
  ck_assert_int_eq(o.failure_threshold, DFL_SEV_INFO);
  ck_assert(!o.no_fail && !o.lint.disable_ignore_pragma);
  ck_assert_uint_eq(o.lint.sel.nselect + o.lint.sel.nignore, 0);
  dfl_cli_options_free(&o);
  write_file(at("other.yaml"), "failure-threshold: none\n");
  const char *a4[] = {"--config", at("other.yaml"), df, NULL};
  ck_assert_int_eq(parse_args(&o, a4), -1);
  ck_assert_int_eq(o.failure_threshold, DFL_SEV_STYLE);
  ck_assert_str_eq(o.format, "text");
  dfl_cli_options_free(&o);

  /* A broken file stops the run with exit code 2. */
  const char *a5[] = {"--config", at("Dockerfile"), df, NULL};
  ck_assert_int_eq(parse_args(&o, a5), 2);
  dfl_cli_options_free(&o);
  const char *a6[] = {"--config", at("missing.yaml"), df, NULL};
  ck_assert_int_eq(parse_args(&o, a6), 2);
  dfl_cli_options_free(&o);
  const char *a7[] = {"--config", at("other.yaml"), "--no-config", df, NULL};
  ck_assert_int_eq(parse_args(&o, a7), 2);
  dfl_cli_options_free(&o);
  rm_rf(tmp);
}
END_TEST

/* ---- the binary: dflint config, dflint check ---- */

static char *run(const char *cmd, int *status)
{
  char full[4096];
  snprintf(full, sizeof full, "cd '%s' && %s 2>&1", tmp, cmd);
  FILE *p = popen(full, "r");
  ck_assert_ptr_nonnull(p);
  static char out[16384];
  size_t n = fread(out, 1, sizeof out - 1, p);
  out[n] = '\0';
  int st = pclose(p);
  *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return out;
}

START_TEST(config_command)
{
  make_tmp();
  setenv("HOME", at("home"), 1);
  setenv("XDG_CONFIG_HOME", at("xdg"), 1);
  mkdirs(at(".git"));
  mkdirs(at("svc"));
  /* Only warnings (JSONArgsRecommended, or its twin DL3025 under a
   * .hadolint.yaml), so failure-threshold: error from the file shows. */
  write_file(at("svc/Dockerfile"), "FROM alpine\nCMD echo hi\n");
  int st;
  char *out = run(DFLINT_BINARY " config svc", &st);
  ck_assert_int_eq(st, 0);
  ck_assert_msg(strstr(out, "# dflint configuration: defaults (no "
                            "configuration file found)\n"),
                "%s", out);
  write_file(at(".hadolint.yaml"),
             "ignored: [MaintainerDeprecatd]\nfailure-threshold: error\n");
  out = run(DFLINT_BINARY " config svc/Dockerfile", &st);
  ck_assert_int_eq(st, 0);
  ck_assert_msg(strstr(out, "# dflint configuration from .hadolint.yaml\n"),
                "%s", out);
  ck_assert_msg(strstr(out, ".hadolint.yaml:1:11: warning: unknown rule "
                            "'MaintainerDeprecatd' in ignored (did you mean "
                            "MaintainerDeprecated?)"),
                "%s", out);
  ck_assert(strstr(out, "\nfailure-threshold: error\n"));
  ck_assert(strstr(out, "\nignore: [MaintainerDeprecatd]\n"));
  out = run(DFLINT_BINARY " config --no-config svc", &st);
  ck_assert_int_eq(st, 0);
  ck_assert(strstr(out, "defaults (--no-config)"));

  /* check: the file applies, from the Dockerfile's directory up. */
  out = run(DFLINT_BINARY " check --no-color svc/Dockerfile", &st);
  ck_assert_msg(st == 0 && strstr(out, "svc/Dockerfile:2:") &&
                    strstr(out, "unknown rule 'MaintainerDeprecatd'"),
                "threshold error from the file: %d: %s", st, out);
  /* A .yml beside the .yaml is named, not silently skipped. */
  write_file(at(".hadolint.yml"), "no-fail: true\n");
  out = run(DFLINT_BINARY " check --no-color svc/Dockerfile", &st);
  ck_assert_msg(strstr(out, "warning: .hadolint.yml is not read: "
                            ".hadolint.yaml beside it is"),
                "%s", out);
  /* A second path with its own file is named too. */
  mkdirs(at("web"));
  write_file(at("web/Dockerfile"), "FROM alpine\n");
  write_file(at("web/.dflint.yaml"), "select: [all]\n");
  out = run(DFLINT_BINARY " check --no-color svc/Dockerfile web/Dockerfile",
            &st);
  ck_assert_msg(strstr(out, "warning: web/Dockerfile: its configuration "
                            "web/.dflint.yaml is not used; one configuration "
                            "applies per run, the first path's "
                            "(.hadolint.yaml)"),
                "%s", out);
  /* Errors: exit 2 with the position. */
  write_file(at("web/.dflint.yaml"), "select: all\n");
  out = run(DFLINT_BINARY " check web", &st);
  ck_assert_int_eq(st, 2);
  ck_assert_msg(strstr(out, "web/.dflint.yaml:1:9: error: select: expected a "
                            "list (like [a, b]), got 'all'"),
                "%s", out);
  out = run(DFLINT_BINARY " config web", &st);
  ck_assert_int_eq(st, 2);
  out = run(DFLINT_BINARY " check --config web web", &st);
  ck_assert_int_eq(st, 2);
  ck_assert_msg(strstr(out, "dflint: configuration file web: is a directory"),
                "%s", out);
  rm_rf(tmp);
}
END_TEST

int main(void)
{
  Suite *s = suite_create("config");
  TCase *tc = tcase_create("config");
  tcase_add_test(tc, every_key_parses);
  tcase_add_test(tc, empty_and_null_are_defaults);
  tcase_add_test(tc, errors_have_exact_positions);
  tcase_add_test(tc, unknown_rule_ids_warn_with_positions);
  tcase_add_test(tc, override_most_severe_wins);
  tcase_add_test(tc, sizes);
  tcase_add_test(tc, printed_config_reads_back);
  tcase_add_test(tc, load_errors);
  tcase_add_test(tc, discovery_order);
  tcase_add_test(tc, flags_beat_the_file);
  tcase_add_test(tc, config_command);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}
