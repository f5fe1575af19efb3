/* Renderers: one file per format, one table of formats. A renderer writes
 * into a buffer, so files linted in parallel are printed in order. */
#ifndef DFLINT_OUTPUT_H
#define DFLINT_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "dflint/ast.h"
#include "dflint/buf.h"
#include "dflint/lint.h"

typedef struct dfl_report_file {
  const char *path;            /* as given on the command line */
  const dfl_dockerfile *df;    /* NULL when the file could not be read */
  const dfl_lint_result *res;  /* NULL when the file could not be read */
  const char *io_error;        /* why it could not be read, or NULL */
} dfl_report_file;

typedef struct dfl_summary {
  size_t files;
  size_t by_severity[DFL_SEV_NONE + 1];
  size_t io_errors;
} dfl_summary;

typedef struct dfl_out {
  dfl_buf *buf;
  bool color;
  size_t items;  /* findings written so far (for separators) */
  size_t files;  /* files written so far */
} dfl_out;

typedef struct dfl_renderer {
  const char *name;
  const char *description;
  void (*begin)(dfl_out *o);
  void (*file)(dfl_out *o, const dfl_report_file *f);
  void (*end)(dfl_out *o, const dfl_summary *s);
} dfl_renderer;

const dfl_renderer *dfl_renderer_find(const char *name);
/* NULL-terminated list, for --help and docs. */
extern const dfl_renderer *const dfl_renderers[];

#endif
