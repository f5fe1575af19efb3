#include "dflint/utf8.h"

#include "dflint/buf.h"
#include "unicode_tables.h"

uint32_t dfl_utf8_decode(const char *s, size_t len, size_t *width)
{
  const unsigned char *p = (const unsigned char *)s;
  unsigned char c = p[0];
  *width = 1;
  if (c < 0x80)
    return c;
  uint32_t cp;
  size_t need;
  uint32_t min;
  if (c >= 0xC2 && c <= 0xDF) {
    cp = c & 0x1F;
    need = 1;
    min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    cp = c & 0x0F;
    need = 2;
    min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    cp = c & 0x07;
    need = 3;
    min = 0x10000;
  } else {
    return DFL_RUNE_ERROR;
  }
  if (len < need + 1)
    return DFL_RUNE_ERROR;
  for (size_t i = 1; i <= need; i++) {
    if ((p[i] & 0xC0) != 0x80)
      return DFL_RUNE_ERROR;
    cp = (cp << 6) | (p[i] & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return DFL_RUNE_ERROR;
  *width = need + 1;
  return cp;
}

static bool in_ranges(const uint32_t (*r)[2], size_t n, uint32_t cp)
{
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (cp < r[mid][0])
      hi = mid;
    else if (cp > r[mid][1])
      lo = mid + 1;
    else
      return true;
  }
  return false;
}

static uint32_t map_pairs(const uint32_t (*r)[2], size_t n, uint32_t cp)
{
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (cp < r[mid][0])
      hi = mid;
    else if (cp > r[mid][0])
      lo = mid + 1;
    else
      return r[mid][1];
  }
  return cp;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

bool dfl_rune_is_space(uint32_t r)
{
  switch (r) {
  case '\t': case '\n': case '\v': case '\f': case '\r': case ' ':
  case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029:
  case 0x202F: case 0x205F: case 0x3000:
    return true;
  default:
    return r >= 0x2000 && r <= 0x200A;
  }
}

bool dfl_rune_is_letter(uint32_t r)
{
  if (r < 0x80)
    return (r | 0x20) >= 'a' && (r | 0x20) <= 'z';
  return in_ranges(letter_ranges, COUNT(letter_ranges), r);
}

bool dfl_rune_is_digit(uint32_t r)
{
  if (r < 0x80)
    return r >= '0' && r <= '9';
  return in_ranges(digit_ranges, COUNT(digit_ranges), r);
}

bool dfl_rune_is_print(uint32_t r)
{
  if (r < 0x80)
    return r >= 0x20 && r < 0x7F;
  return in_ranges(print_ranges, COUNT(print_ranges), r);
}

uint32_t dfl_rune_to_lower(uint32_t r)
{
  if (r < 0x80)
    return (r >= 'A' && r <= 'Z') ? r + 32 : r;
  return map_pairs(lower_pairs, COUNT(lower_pairs), r);
}

uint32_t dfl_rune_to_upper(uint32_t r)
{
  if (r < 0x80)
    return (r >= 'a' && r <= 'z') ? r - 32 : r;
  return map_pairs(upper_pairs, COUNT(upper_pairs), r);
}

char *dfl_utf8_sanitize(const char *s, size_t len)
{
  dfl_buf b;
  dfl_buf_init(&b);
  size_t i = 0;
  while (i < len) {
    size_t w;
    uint32_t r = dfl_utf8_decode(s + i, len - i, &w);
    if (r == DFL_RUNE_ERROR && w == 1)
      dfl_buf_put_rune(&b, DFL_RUNE_ERROR);
    else
      dfl_buf_append(&b, s + i, w);
    i += w;
  }
  return dfl_buf_take(&b);
}
