/* BuildKit's instructions.Parse checks for one parsed instruction: unknown
 * keywords (with "did you mean"), flags allowed per instruction and their
 * value rules, argument counts, ONBUILD restrictions, HEALTHCHECK types,
 * SHELL's JSON form, COPY/ADD destinations, FROM's shape and stage names,
 * RUN --network/--security/--mount syntax, COPY/ADD --chmod.
 *
 * These are the errors `docker build` stops on before it builds anything. */
#ifndef DFLINT_INSTR_CHECK_H
#define DFLINT_INSTR_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "dflint/ast.h"
#include "dflint/buf.h"

/* NULL when BuildKit accepts the instruction; otherwise a malloc'd message
 * exactly as BuildKit words it, without the "dockerfile parse error on line
 * N: " prefix BuildKit adds (e.g. "unknown flag: --frm (did you mean
 * from?)", "FROM requires either one or three arguments"). For an ONBUILD
 * the trigger's keyword is checked as well (ONBUILD, FROM and MAINTAINER are
 * refused); like BuildKit, the trigger itself is not parsed until a
 * downstream build runs it. NULL too when in->error is set: the parser's
 * errors are reported by the parser. */
char *dfl_instr_check(const dfl_instr *in);
/* The same, with the message length in *len: a message quotes the keyword
 * as written, which may hold NUL bytes. */
char *dfl_instr_check_n(const dfl_instr *in, size_t *len);

/* True when BuildKit prefixes this instruction's error with "dockerfile
 * parse error on line N: " (errors from instructions.Parse are; a few from
 * elsewhere are not). */
int dfl_instr_error_is_prefixed(const dfl_instr *in);

/* A comma-separated flag value (RUN --mount, --device) split as BuildKit's
 * csvvalue.Fields does: one record, fields that start with '"' are quoted
 * ("" is a quote), any other '"' is an error, a trailing newline is
 * dropped. Fills out (free it with dfl_csv_free, also after a failure) and
 * returns true; false with csv's error text in err (may be NULL). Each
 * field's data is never NULL. */
typedef struct dfl_csv {
  dfl_buf *items;
  size_t n;
} dfl_csv;
bool dfl_csv_fields(const char *s, size_t len, dfl_csv *out, dfl_buf *err);
void dfl_csv_free(dfl_csv *c);

/* Levenshtein distance of a and b (bytes), as BuildKit's suggestions use. */
int dfl_levenshtein(const char *a, size_t alen, const char *b, size_t blen);

#endif
