#include "output/escape.h"

#include "dflint/utf8.h"

static void gh_escape(dfl_buf *b, const char *s, size_t len, bool property)
{
  for (size_t i = 0; i < len; i++) {
    char c = s[i];
    if (c == '%')
      dfl_buf_puts(b, "%25");
    else if (c == '\r')
      dfl_buf_puts(b, "%0D");
    else if (c == '\n')
      dfl_buf_puts(b, "%0A");
    else if (property && c == ':')
      dfl_buf_puts(b, "%3A");
    else if (property && c == ',')
      dfl_buf_puts(b, "%2C");
    else
      dfl_buf_putc(b, c);
  }
}

void dfl_escape_gh_data(dfl_buf *b, const char *s, size_t len)
{
  gh_escape(b, s, len, false);
}

void dfl_escape_gh_property(dfl_buf *b, const char *s, size_t len)
{
  gh_escape(b, s, len, true);
}

static bool xml_char_ok(uint32_t r)
{
  /* XML 1.0 Char production; surrogates never decode, so are not listed. */
  if (r < 0x20)
    return r == '\t' || r == '\n' || r == '\r';
  return r != 0xFFFE && r != 0xFFFF;
}

void dfl_escape_xml(dfl_buf *b, const char *s, size_t len, bool attribute)
{
  size_t i = 0;
  while (i < len) {
    size_t w;
    uint32_t r = dfl_utf8_decode(s + i, len - i, &w);
    bool invalid = r == DFL_RUNE_ERROR && w == 1;
    if (invalid || !xml_char_ok(r)) {
      dfl_buf_put_rune(b, DFL_RUNE_ERROR);
    } else {
      switch (r) {
      case '&': dfl_buf_puts(b, "&amp;"); break;
      case '<': dfl_buf_puts(b, "&lt;"); break;
      case '>': dfl_buf_puts(b, "&gt;"); break;
      case '"': dfl_buf_puts(b, "&quot;"); break;
      case '\'': dfl_buf_puts(b, "&apos;"); break;
      case '\t': dfl_buf_puts(b, attribute ? "&#9;" : "\t"); break;
      case '\n': dfl_buf_puts(b, attribute ? "&#10;" : "\n"); break;
      /* A literal CR in content would be read back as LF. */
      case '\r': dfl_buf_puts(b, "&#13;"); break;
      default: dfl_buf_append(b, s + i, w);
      }
    }
    i += w;
  }
}

static bool uri_unreserved(unsigned char c)
{
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
         c == '~';
}

static void percent_encode(dfl_buf *b, const char *s, size_t len)
{
  static const char hex[] = "0123456789ABCDEF";
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (uri_unreserved(c) || c == '/') {
      dfl_buf_putc(b, (char)c);
    } else {
      dfl_buf_putc(b, '%');
      dfl_buf_putc(b, hex[c >> 4]);
      dfl_buf_putc(b, hex[c & 15]);
    }
  }
}

void dfl_escape_uri_path(dfl_buf *b, const char *path, size_t len)
{
  /* "./Dockerfile" and "Dockerfile" are the same artifact: give one URI. */
  while (len > 2 && path[0] == '.' && path[1] == '/') {
    path += 2;
    len -= 2;
    while (len > 1 && path[0] == '/') {
      path++;
      len--;
    }
  }
  percent_encode(b, path, len);
}

void dfl_file_uri(dfl_buf *b, const char *abs_path, size_t len)
{
  dfl_buf_puts(b, "file://");
  percent_encode(b, abs_path, len);
}

void dfl_escape_one_line(dfl_buf *b, const char *s, size_t len)
{
  size_t i = 0;
  while (i < len) {
    size_t w;
    uint32_t r = dfl_utf8_decode(s + i, len - i, &w);
    if (r == DFL_RUNE_ERROR && w == 1)
      dfl_buf_put_rune(b, DFL_RUNE_ERROR);
    else if (r < 0x20 && r != '\t')
      dfl_buf_putc(b, ' ');
    else
      dfl_buf_append(b, s + i, w);
    i += w;
  }
}
