/* One file's findings as the CI and XML formats see them: ranges made
 * well-formed, messages made valid UTF-8, the # check= configuration error
 * added as a DF000 error (as --format json does), and what a stable
 * fingerprint needs. */
#ifndef DFLINT_OUTPUT_FINDING_H
#define DFLINT_OUTPUT_FINDING_H

#include <stddef.h>
#include <stdint.h>

#include "dflint/output.h"

typedef struct dfl_finding {
  const dfl_rule *rule; /* NULL when the id is not a registered rule */
  const char *rule_id;
  const char *rule_name;
  dfl_severity severity;
  /* 1-based; the end is exclusive and never before the start. */
  uint32_t line, col, end_line, end_col;
  char *message;        /* malloc'd, valid UTF-8 */
  dfl_str line_text;    /* the start line as written (may be empty) */
  dfl_str end_line_text;
  /* How many earlier findings of this file have the same rule and trimmed
   * line text: with those two it identifies the finding without its line
   * number, so it survives edits elsewhere in the file. */
  size_t occurrence;
} dfl_finding;

/* The findings of f in report order; NULL with *n = 0 when there are none
 * or f could not be read. Free with dfl_findings_free. */
dfl_finding *dfl_findings_of(const dfl_report_file *f, size_t *n);
void dfl_findings_free(dfl_finding *v, size_t n);

/* A 64-bit FNV-1a hash of (path, rule id, trimmed line text, occurrence),
 * as 16 lower-case hex digits into out[17]. path may be NULL (SARIF scopes
 * fingerprints to the artifact already; GitLab compares them project-wide). */
void dfl_finding_fingerprint(const dfl_finding *x, const char *path,
                             char out[17]);

/* The 1-based column, counted in UTF-16 code units, of the byte at 1-based
 * byte column col of line (invalid UTF-8 counts one unit a byte, as U+FFFD;
 * bytes past the end of the line one unit each). */
uint32_t dfl_utf16_column(dfl_str line, uint32_t col);

/* The index of r in dfl_rules[], or -1. */
long dfl_rule_index(const dfl_rule *r);

/* SARIF level / GNU word of a severity: error, warning, note (info and style),
 * none. */
const char *dfl_severity_note_name(dfl_severity s);

#endif
