#include "output/gojson.h"

#include <stdio.h>

#include "dflint/utf8.h"

void dfl_gojson_string(dfl_buf *b, const char *s, size_t len)
{
  static const char hex[] = "0123456789abcdef";
  dfl_buf_putc(b, '"');
  size_t i = 0;
  while (i < len) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
      switch (c) {
      case '"': dfl_buf_puts(b, "\\\""); break;
      case '\\': dfl_buf_puts(b, "\\\\"); break;
      case '\n': dfl_buf_puts(b, "\\n"); break;
      case '\r': dfl_buf_puts(b, "\\r"); break;
      case '\t': dfl_buf_puts(b, "\\t"); break;
      case '\b': dfl_buf_puts(b, "\\b"); break;
      case '\f': dfl_buf_puts(b, "\\f"); break;
      case '<': case '>': case '&':
        dfl_buf_puts(b, "\\u00");
        dfl_buf_putc(b, hex[c >> 4]);
        dfl_buf_putc(b, hex[c & 15]);
        break;
      default:
        if (c < 0x20) {
          dfl_buf_puts(b, "\\u00");
          dfl_buf_putc(b, hex[c >> 4]);
          dfl_buf_putc(b, hex[c & 15]);
        } else {
          dfl_buf_putc(b, (char)c);
        }
      }
      i++;
      continue;
    }
    size_t w;
    uint32_t r = dfl_utf8_decode(s + i, len - i, &w);
    if (r == DFL_RUNE_ERROR && w == 1)
      dfl_buf_puts(b, "\\ufffd");
    else if (r == 0x2028 || r == 0x2029)
      dfl_buf_printf(b, "\\u%04x", (unsigned)r);
    else
      dfl_buf_append(b, s + i, w);
    i += w;
  }
  dfl_buf_putc(b, '"');
}

void dfl_base64(dfl_buf *b, const unsigned char *d, size_t len)
{
  static const char tbl[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t i = 0;
  for (; i + 2 < len; i += 3) {
    unsigned v = (unsigned)d[i] << 16 | (unsigned)d[i + 1] << 8 | d[i + 2];
    dfl_buf_putc(b, tbl[v >> 18]);
    dfl_buf_putc(b, tbl[(v >> 12) & 63]);
    dfl_buf_putc(b, tbl[(v >> 6) & 63]);
    dfl_buf_putc(b, tbl[v & 63]);
  }
  if (len - i == 1) {
    unsigned v = (unsigned)d[i] << 16;
    dfl_buf_putc(b, tbl[v >> 18]);
    dfl_buf_putc(b, tbl[(v >> 12) & 63]);
    dfl_buf_puts(b, "==");
  } else if (len - i == 2) {
    unsigned v = (unsigned)d[i] << 16 | (unsigned)d[i + 1] << 8;
    dfl_buf_putc(b, tbl[v >> 18]);
    dfl_buf_putc(b, tbl[(v >> 12) & 63]);
    dfl_buf_putc(b, tbl[(v >> 6) & 63]);
    dfl_buf_putc(b, '=');
  }
}

void dfl_indent(dfl_buf *b, int level)
{
  dfl_buf_putc(b, '\n');
  for (int i = 0; i < level; i++)
    dfl_buf_puts(b, "  ");
}
