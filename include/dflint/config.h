/* Configuration files: dflint's .dflint.yaml and hadolint's .hadolint.yaml,
 * with the same keys (docs/configuration.md). A file that cannot be used is
 * an error with its position, never skipped: users of hadolint lose hours to
 * configurations it ignores without a word. */
#ifndef DFLINT_CONFIG_H
#define DFLINT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dflint/buf.h"
#include "dflint/lint.h"
#include "dflint/rule.h"

typedef struct dfl_strlist {
  char **items;
  size_t n;
} dfl_strlist;

/* The value types of label-schema, as hadolint names them. */
typedef enum dfl_label_type {
  DFL_LABEL_TEXT,
  DFL_LABEL_URL,
  DFL_LABEL_SEMVER,
  DFL_LABEL_HASH,
  DFL_LABEL_RFC3339,
  DFL_LABEL_SPDX,
  DFL_LABEL_EMAIL
} dfl_label_type;

typedef struct dfl_config_label {
  char *name;
  dfl_label_type type;
} dfl_config_label;

typedef struct dfl_config_mirror {
  char *registry; /* as written: "docker.io", "ghcr.io" */
  char *url;      /* http:// or https:// */
} dfl_config_mirror;

typedef struct dfl_config {
  char *path; /* the file read (as given), or NULL: defaults */

  /* Rule selection. `ignored` (hadolint) and `ignore` (dflint) both land in
   * ignore; entries are ids, names or selectors, each kept once. */
  dfl_strlist ignore;
  dfl_strlist select;
  /* override.{error,warning,info,style}: one entry per id. An id listed
   * under several severities gets the most severe, as in hadolint. */
  char **override_ids;
  dfl_severity *override_sev;
  size_t noverrides;
  bool disable_ignore_pragma;

  /* The run. */
  dfl_severity failure_threshold; /* DFL_SEV_NONE: any finding fails */
  bool no_fail;
  const char *format; /* a registered renderer's name (static storage) */
  bool no_color;
  bool verbose; /* a valid hadolint key; dflint has no use for it */

  /* For hadolint's DL3026 and label rules, `dflint check --online` and
   * DF106's context size. */
  dfl_strlist trusted_registries;
  dfl_config_label *labels;
  size_t nlabels;
  bool strict_labels;
  bool online;
  dfl_config_mirror *mirrors;
  size_t nmirrors;
  uint64_t context_size_threshold; /* bytes; meaningful when set */

  /* Which keys the file set (bit i: key i of the loader's table); see
   * dfl_config_is_set. */
  uint32_t set;
  /* Problems that do not stop the run (unknown rule ids...), each a full
   * "FILE:LINE:COL: warning: MESSAGE" line without the newline. */
  dfl_strlist warnings;
} dfl_config;

void dfl_config_init(dfl_config *c);
void dfl_config_free(dfl_config *c);

/* Parses YAML text. name is the file name used in messages. Returns 0, or -1
 * with *err set to a malloc'd "NAME:LINE:COL: error: MESSAGE" (1-based line
 * and column). Empty text is an empty configuration. */
int dfl_config_parse(const char *text, size_t len, const char *name,
                     dfl_config *c, char **err);
/* Reads and parses path; a directory or an unreadable file is an error. */
int dfl_config_load(const char *path, dfl_config *c, char **err);

/* Whether the file set key (a name from docs/configuration.md; "ignore"
 * and "ignored" are one setting). */
bool dfl_config_is_set(const dfl_config *c, const char *key);

/* The configuration file that applies to Dockerfiles in directory dir, by
 * the search of docs/configuration.md: .dflint.yaml/.yml in dir and each
 * parent up to the repository root (the first directory holding .git, else
 * /), then .hadolint.yaml/.yml likewise, then the user's files under
 * $XDG_CONFIG_HOME and $HOME. Returns a malloc'd path, or NULL when there is
 * none. *shadowed, if not NULL, receives a malloc'd path of a file in the same
 * directory that the found one hides (.yml beside .yaml), or NULL. */
char *dfl_config_discover(const char *dir, char **shadowed);

/* Applies the file's rule settings to lint options: select (only if the
 * options have none: a command-line selection replaces the file's), ignore
 * (added), overrides (added after the options' own), disable-ignore-pragma. */
void dfl_config_apply_lint(const dfl_config *c, dfl_lint_options *lo);

/* The effective configuration (every key, defaults filled in) as YAML that
 * dfl_config_parse reads back to the same settings. */
void dfl_config_write_yaml(const dfl_config *c, dfl_buf *out);

/* Parses a size: a byte count, or a number with B, kB/KB/MB/GB/TB (powers of
 * 1000) or KiB/MiB/GiB/TiB (powers of 1024), case-insensitive. Returns 0, or
 * -1 when s is not a size or overflows. */
int dfl_config_parse_size(const char *s, uint64_t *out);

#endif
