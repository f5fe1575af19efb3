/* Linting one Dockerfile: model, rules, selection, pragmas and # check=. */
#ifndef DFLINT_LINT_H
#define DFLINT_LINT_H

#include <stdbool.h>
#include <stddef.h>

#include "dflint/ast.h"
#include "dflint/expand.h"
#include "dflint/rule.h"

typedef struct dfl_diag {
  const dfl_rule *rule; /* NULL for a syntax error found by the parser */
  const char *rule_id;  /* the rule id, or "DL1000"-like id for syntax errors */
  const char *rule_name;
  dfl_severity severity;
  dfl_source source;
  dfl_range range;
  char *message;        /* malloc'd */
  const char *url;
} dfl_diag;

typedef struct dfl_selection {
  char **select;   /* ids or names; "all" and prefixes like "DL" and "DF1" */
  size_t nselect;
  char **ignore;
  size_t nignore;
  bool experimental;
} dfl_selection;

typedef enum dfl_shellcheck_mode {
  DFL_SHELLCHECK_AUTO = 0, /* when it is installed */
  DFL_SHELLCHECK_ON,       /* required: the CLI fails without it */
  DFL_SHELLCHECK_OFF
} dfl_shellcheck_mode;

typedef struct dfl_lint_options {
  dfl_selection sel;
  dfl_env build_args;      /* --build-arg K=V */
  const char *context_dir; /* NULL: the Dockerfile's directory */
  const char *target;      /* --target */
  /* Severity overrides by rule id (from config): parallel arrays. */
  char **override_ids;
  dfl_severity *override_sev;
  size_t noverrides;
  bool disable_ignore_pragma;
  /* dflint's image rules (DF1xx). */
  const struct dfl_catalog *catalog; /* NULL: the embedded catalog */
  int32_t today;                  /* YYYYMMDD for end-of-life checks; 0: now,
                                     or SOURCE_DATE_EPOCH when set */
  int64_t context_size_threshold; /* DF106, bytes; 0: 50 MB */
  /* The configuration file in effect (trustedRegistries, label-schema,
   * strict-labels, ...), or NULL: defaults. Owned by the caller. */
  const struct dfl_config *config;
  /* Whether RUN scripts go through ShellCheck (--shellcheck): auto runs it
   * when `shellcheck` is on PATH. */
  dfl_shellcheck_mode shellcheck;
  /* --online: registry answers about base images for the rules that use
   * them (include/dflint/images.h); NULL offline. */
  const struct dfl_image_oracle *images;
  /* The first pass of `dflint check`: run only the rules marked prepass;
   * they hand over the images and scripts they will ask about, and their
   * findings are thrown away. */
  bool prepass;
} dfl_lint_options;

/* The date end-of-life checks compare with, as YYYYMMDD: o->today, else
 * SOURCE_DATE_EPOCH, else the current UTC date. */
int32_t dfl_lint_today(const dfl_lint_options *o);

typedef struct dfl_lint_result {
  dfl_diag *diags;
  size_t ndiags;
  /* BuildKit's "# check=error=true": any BuildKit finding fails the run. */
  bool check_error;
  /* A problem with the # check= directive or build-arg (BuildKit fails the
   * build with it); NULL if none. */
  char *check_config_error;
  char **owned_ids; /* strings some diags' rule_id/rule_name point to */
  size_t nowned_ids;
} dfl_lint_result;

void dfl_lint_options_init(dfl_lint_options *o);
void dfl_lint_options_free(dfl_lint_options *o);

/* Lints a parsed file. path is the Dockerfile's path (for the context and
 * .dockerignore). The result is sorted by line, column, rule id. */
void dfl_lint(const dfl_dockerfile *df, const char *path,
              const dfl_lint_options *opts, dfl_lint_result *out);
void dfl_lint_result_free(dfl_lint_result *r);

/* Whether the selection enables rule r before any file-level directives. */
bool dfl_selection_enables(const dfl_selection *sel, const dfl_rule *r);

#endif
