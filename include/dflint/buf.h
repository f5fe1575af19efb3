/* Growable byte buffer on the heap, always NUL-terminated. */
#ifndef DFLINT_BUF_H
#define DFLINT_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef struct dfl_buf {
  char *data; /* NULL until the first append; use dfl_buf_cstr for a string */
  size_t len;
  size_t cap;
} dfl_buf;

void dfl_buf_init(dfl_buf *b);
void dfl_buf_free(dfl_buf *b);
void dfl_buf_reset(dfl_buf *b);
void dfl_buf_append(dfl_buf *b, const char *s, size_t len);
void dfl_buf_puts(dfl_buf *b, const char *s);
void dfl_buf_putc(dfl_buf *b, char c);
/* Appends the UTF-8 encoding of code point cp. */
void dfl_buf_put_rune(dfl_buf *b, uint32_t cp);
void dfl_buf_printf(dfl_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void dfl_buf_vprintf(dfl_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
const char *dfl_buf_cstr(dfl_buf *b);
/* Hands the data to the caller (malloc'd, NUL-terminated) and resets b. */
char *dfl_buf_take(dfl_buf *b);

#endif
