/* JSON text the way Go's encoding/json writes it (HTML-safe escapes), for
 * formats that mirror BuildKit's output byte for byte. */
#ifndef DFLINT_GOJSON_H
#define DFLINT_GOJSON_H

#include <stddef.h>

#include "dflint/buf.h"

void dfl_gojson_string(dfl_buf *b, const char *s, size_t len);
void dfl_base64(dfl_buf *b, const unsigned char *data, size_t len);
void dfl_indent(dfl_buf *b, int level);

#endif
