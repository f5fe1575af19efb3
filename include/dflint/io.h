/* Reading inputs safely: regular files, stdin and FIFOs, with a size cap so
 * endless input (/dev/zero) ends with a clear error instead of eating memory. */
#ifndef DFLINT_IO_H
#define DFLINT_IO_H

#include <stddef.h>

/* Default cap on one Dockerfile: far above any real one. */
#define DFL_MAX_INPUT_BYTES ((size_t)256 * 1024 * 1024)

/* Reads path ("-" for stdin) into a malloc'd NUL-terminated buffer.
 * Returns 0, or -1 with *err set to a malloc'd message that starts with the
 * path ("x: is a directory", "x: larger than the 256 MiB limit"). */
int dfl_read_input(const char *path, size_t max_bytes, char **data,
                   size_t *len, char **err);

#endif
