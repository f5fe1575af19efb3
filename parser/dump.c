/* BuildKit's AST dump (Node.Dump) and Go's strconv.Quote, byte for byte. */
#include <stdio.h>

#include "dflint/parse.h"
#include "dflint/utf8.h"

void dfl_go_quote(dfl_buf *out, const char *s, size_t len)
{
  static const char hex[] = "0123456789abcdef";
  dfl_buf_putc(out, '"');
  size_t i = 0;
  while (i < len) {
    unsigned char c = (unsigned char)s[i];
    size_t w = 1;
    uint32_t r = c < 0x80 ? c : dfl_utf8_decode(s + i, len - i, &w);
    if (r == DFL_RUNE_ERROR && w == 1) {
      dfl_buf_puts(out, "\\x");
      dfl_buf_putc(out, hex[c >> 4]);
      dfl_buf_putc(out, hex[c & 15]);
      i++;
      continue;
    }
    if (r == '"' || r == '\\') {
      dfl_buf_putc(out, '\\');
      dfl_buf_putc(out, (char)r);
    } else if (dfl_rune_is_print(r)) {
      dfl_buf_append(out, s + i, w);
    } else {
      char tmp[16];
      switch (r) {
      case '\a': dfl_buf_puts(out, "\\a"); break;
      case '\b': dfl_buf_puts(out, "\\b"); break;
      case '\f': dfl_buf_puts(out, "\\f"); break;
      case '\n': dfl_buf_puts(out, "\\n"); break;
      case '\r': dfl_buf_puts(out, "\\r"); break;
      case '\t': dfl_buf_puts(out, "\\t"); break;
      case '\v': dfl_buf_puts(out, "\\v"); break;
      default:
        if (r < ' ' || r == 0x7F)
          snprintf(tmp, sizeof tmp, "\\x%02x", (unsigned)r);
        else if (r < 0x10000)
          snprintf(tmp, sizeof tmp, "\\u%04x", (unsigned)r);
        else
          snprintf(tmp, sizeof tmp, "\\U%08x", (unsigned)r);
        dfl_buf_puts(out, tmp);
      }
    }
    i += w;
  }
  dfl_buf_putc(out, '"');
}

/* strings.ToLower: ASCII directly; otherwise rune by rune, with invalid
 * bytes becoming U+FFFD as strings.Map does. */
static void go_lower(dfl_buf *out, const char *s, size_t len)
{
  bool ascii = true;
  for (size_t i = 0; i < len; i++)
    if ((unsigned char)s[i] >= 0x80)
      ascii = false;
  if (ascii) {
    for (size_t i = 0; i < len; i++) {
      char c = s[i];
      dfl_buf_putc(out, (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c);
    }
    return;
  }
  size_t i = 0;
  while (i < len) {
    size_t w;
    uint32_t r = dfl_utf8_decode(s + i, len - i, &w);
    dfl_buf_put_rune(out, dfl_rune_to_lower(r));
    i += w;
  }
}

static void dump_instr(const dfl_instr *in, dfl_buf *out)
{
  go_lower(out, in->keyword, in->keyword_len);
  if (in->nflags) {
    dfl_buf_puts(out, " [");
    for (size_t i = 0; i < in->nflags; i++) {
      if (i)
        dfl_buf_putc(out, ' ');
      dfl_go_quote(out, in->flags[i].text, in->flags[i].text_len);
    }
    dfl_buf_putc(out, ']');
  }
  if (in->kind == DFL_INSTR_ONBUILD && in->sub) {
    dfl_buf_puts(out, " (");
    dump_instr(in->sub, out);
    dfl_buf_putc(out, ')');
    return;
  }
  for (size_t i = 0; i < in->nargs; i++) {
    dfl_buf_putc(out, ' ');
    dfl_go_quote(out, in->args[i].value, in->args[i].len);
  }
}

void dfl_dump_instr(const dfl_instr *in, dfl_buf *out)
{
  dfl_buf_putc(out, '(');
  dump_instr(in, out);
  dfl_buf_puts(out, ")\n");
}

void dfl_dump_ast(const dfl_dockerfile *df, dfl_buf *out)
{
  for (size_t i = 0; i < df->ninstrs; i++)
    dfl_dump_instr(df->instrs[i], out);
}
