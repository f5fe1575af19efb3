/* The Dockerfile parser and BuildKit's AST dump: any bytes must parse
 * (errors are recorded, never fatal) and dump without reading out of
 * bounds, and every position the tree hands out must lie inside the
 * source (rules turn them into line:column for users). */
#include <stdlib.h>

#include "dflint/parse.h"
#include "fuzz_common.h"

static void check_pos(const dfl_dockerfile *df, dfl_pos p)
{
  if (p.offset > df->src_len || p.line > df->nlines + 1)
    abort();
}

DFL_FUZZ_TARGET(parse)
{
  dfl_dockerfile *df = dfl_parse((const char *)data, size, "Dockerfile");
  dfl_buf out = {0};
  dfl_dump_ast(df, &out);
  dfl_buf_free(&out);
  (void)dfl_dockerfile_fatal_error(df);
  for (size_t i = 0; i < df->ninstrs; i++) {
    const dfl_instr *in = df->instrs[i];
    dfl_buf one = {0};
    dfl_dump_instr(in, &one);
    dfl_buf_free(&one);
    check_pos(df, in->range.start);
    check_pos(df, in->range.end);
    check_pos(df, dfl_instr_pos(in, 0));
    check_pos(df, dfl_instr_pos(in, in->line_len));
    dfl_range r = dfl_instr_range(in, in->rest_offset, in->line_len);
    check_pos(df, r.start);
    check_pos(df, r.end);
    dfl_str line = dfl_dockerfile_line(df, in->range.start.line);
    if (line.len && !line.ptr)
      abort();
  }
  dfl_dockerfile_free(df);
  return 0;
}
