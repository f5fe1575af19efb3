/* Parsing a Dockerfile the way BuildKit's frontend parser does. */
#ifndef DFLINT_PARSE_H
#define DFLINT_PARSE_H

#include <stdio.h>

#include "dflint/ast.h"
#include "dflint/buf.h"

/* Largest line BuildKit accepts (bufio's token limit minus one). */
#define DFL_MAX_LINE 65535

/* Parses src[0..len) (copied; the caller keeps src). Never fails: problems are
 * recorded in df->errors. path is used in messages and may be NULL. The
 * result is freed with dfl_dockerfile_free. */
dfl_dockerfile *dfl_parse(const char *src, size_t len, const char *path);
void dfl_dockerfile_free(dfl_dockerfile *df);

/* Writes the tree in BuildKit's test dump format (AST.Dump() plus "\n"). */
void dfl_dump_ast(const dfl_dockerfile *df, dfl_buf *out);
/* One instruction's line of that dump, "(...)\n". */
void dfl_dump_instr(const dfl_instr *in, dfl_buf *out);
/* Go's strconv.Quote of s[0..len), appended to out. */
void dfl_go_quote(dfl_buf *out, const char *s, size_t len);

#endif
