#include "dflint/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dflint/arena.h"

void dfl_buf_init(dfl_buf *b)
{
  b->data = NULL;
  b->len = 0;
  b->cap = 0;
}

void dfl_buf_free(dfl_buf *b)
{
  free(b->data);
  dfl_buf_init(b);
}

void dfl_buf_reset(dfl_buf *b)
{
  b->len = 0;
  if (b->data)
    b->data[0] = '\0';
}

static void reserve(dfl_buf *b, size_t extra)
{
  if (b->len + extra + 1 <= b->cap)
    return;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < b->len + extra + 1)
    cap *= 2;
  b->data = dfl_xrealloc(b->data, cap);
  b->cap = cap;
}

void dfl_buf_append(dfl_buf *b, const char *s, size_t len)
{
  reserve(b, len);
  if (len)
    memcpy(b->data + b->len, s, len);
  b->len += len;
  b->data[b->len] = '\0';
}

void dfl_buf_puts(dfl_buf *b, const char *s)
{
  dfl_buf_append(b, s, strlen(s));
}

void dfl_buf_putc(dfl_buf *b, char c)
{
  reserve(b, 1);
  b->data[b->len++] = c;
  b->data[b->len] = '\0';
}

void dfl_buf_put_rune(dfl_buf *b, uint32_t cp)
{
  char tmp[4];
  size_t n;
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    cp = 0xFFFD;
  if (cp < 0x80) {
    tmp[0] = (char)cp;
    n = 1;
  } else if (cp < 0x800) {
    tmp[0] = (char)(0xC0 | (cp >> 6));
    tmp[1] = (char)(0x80 | (cp & 0x3F));
    n = 2;
  } else if (cp < 0x10000) {
    tmp[0] = (char)(0xE0 | (cp >> 12));
    tmp[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    tmp[2] = (char)(0x80 | (cp & 0x3F));
    n = 3;
  } else {
    tmp[0] = (char)(0xF0 | (cp >> 18));
    tmp[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    tmp[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    tmp[3] = (char)(0x80 | (cp & 0x3F));
    n = 4;
  }
  dfl_buf_append(b, tmp, n);
}

void dfl_buf_vprintf(dfl_buf *b, const char *fmt, va_list ap)
{
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0)
    return;
  reserve(b, (size_t)n);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
}

void dfl_buf_printf(dfl_buf *b, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  dfl_buf_vprintf(b, fmt, ap);
  va_end(ap);
}

const char *dfl_buf_cstr(dfl_buf *b)
{
  if (!b->data)
    reserve(b, 0), b->data[0] = '\0';
  return b->data;
}

char *dfl_buf_take(dfl_buf *b)
{
  dfl_buf_cstr(b);
  char *p = b->data;
  dfl_buf_init(b);
  return p;
}
