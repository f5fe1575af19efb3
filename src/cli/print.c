/* dflint print ast FILE: BuildKit's parser test dump, for conformance. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "dflint/io.h"
#include "dflint/parse.h"

void dfl_cli_error(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fputs("dflint: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

static int print_ast(const char *path)
{
  char *data, *err;
  size_t len;
  if (dfl_read_input(path, DFL_MAX_INPUT_BYTES, &data, &len, &err) != 0) {
    dfl_cli_error("%s", err);
    free(err);
    return DFL_EXIT_ERROR;
  }
  dfl_dockerfile *df = dfl_parse(data, len, path);
  free(data);
  const dfl_parse_error *e = dfl_dockerfile_fatal_error(df);
  int rc = DFL_EXIT_OK;
  if (e) {
    fprintf(stderr, "%s:%u:%u: error: %s\n", path, e->range.start.line,
            e->range.start.col, e->message);
    rc = DFL_EXIT_FINDINGS;
  } else {
    /* Streamed, so a huge file's dump is never held in memory at once. */
    dfl_buf out;
    dfl_buf_init(&out);
    for (size_t i = 0; i < df->ninstrs; i++) {
      dfl_dump_instr(df->instrs[i], &out);
      if (out.len >= (1u << 16) || i + 1 == df->ninstrs) {
        dfl_write_stdout(out.data, out.len);
        dfl_buf_reset(&out);
      }
    }
    dfl_buf_free(&out);
  }
  dfl_dockerfile_free(df);
  return rc;
}

/* print_outline.c: BuildKit's outline and targets subrequests. */
int dfl_print_outline(int argc, char **argv);
int dfl_print_targets(int argc, char **argv);

int dfl_cmd_print(int argc, char **argv)
{
  if (argc < 2) {
    dfl_cli_error("usage: dflint print ast|outline|targets FILE");
    return DFL_EXIT_ERROR;
  }
  if (strcmp(argv[1], "outline") == 0)
    return dfl_print_outline(argc - 1, argv + 1);
  if (strcmp(argv[1], "targets") == 0)
    return dfl_print_targets(argc - 1, argv + 1);
  if (strcmp(argv[1], "ast") == 0) {
    if (argc != 3) {
      dfl_cli_error("usage: dflint print ast FILE (use - for stdin)");
      return DFL_EXIT_ERROR;
    }
    return print_ast(argv[2]);
  }
  dfl_cli_error("unknown print target '%s' (expected: ast, outline, targets)",
                argv[1]);
  return DFL_EXIT_ERROR;
}
