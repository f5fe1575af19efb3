/* The argument splitters of BuildKit's parser (line_parsers.go and
 * extractBuilderFlags), byte-exact, with the source span of every word. */
#include <stdlib.h>
#include <string.h>

#include "dflint/utf8.h"
#include "internal.h"

void word_list_push(dfl_arena *a, word_list *wl, const char *s, size_t len,
                    uint32_t start, uint32_t end)
{
  if (wl->n == wl->cap) {
    size_t cap = wl->cap ? wl->cap * 2 : 8;
    /* The index arrays are scratch (freed by word_list_free); only the
     * words themselves go into the arena. */
    wl->text = dfl_xrealloc(wl->text, cap * sizeof *wl->text);
    wl->len = dfl_xrealloc(wl->len, cap * sizeof *wl->len);
    wl->start = dfl_xrealloc(wl->start, cap * sizeof *wl->start);
    wl->end = dfl_xrealloc(wl->end, cap * sizeof *wl->end);
    wl->cap = cap;
  }
  wl->text[wl->n] = dfl_arena_strndup(a, s, len);
  wl->len[wl->n] = len;
  wl->start[wl->n] = start;
  wl->end[wl->n] = end;
  wl->n++;
}

void word_list_free(word_list *wl)
{
  free(wl->text);
  free(wl->len);
  free(wl->start);
  free(wl->end);
  memset(wl, 0, sizeof *wl);
}

bool space_at(const char *s, size_t len, size_t i, size_t *width)
{
  uint32_t r = dfl_utf8_decode(s + i, len - i, width);
  return dfl_rune_is_space(r);
}

void trim_space(const char *s, size_t *from, size_t *to)
{
  size_t w;
  while (*from < *to && space_at(s, *to, *from, &w))
    *from += w;
  /* Trailing: step back over UTF-8 continuation bytes to find rune starts. */
  while (*to > *from) {
    size_t start = *to - 1;
    while (start > *from && ((unsigned char)s[start] & 0xC0) == 0x80 &&
           *to - start < 4)
      start--;
    uint32_t r = dfl_utf8_decode(s + start, *to - start, &w);
    if (start + w != *to) {
      /* Not a complete rune ending here: the last byte is its own rune. */
      start = *to - 1;
      r = dfl_utf8_decode(s + start, 1, &w);
    }
    if (!dfl_rune_is_space(r))
      break;
    *to = start;
  }
}

/* A scratch word being built, on the heap; copied into the arena when done. */
typedef struct scratch {
  dfl_buf buf;
  uint32_t start;
  uint32_t end;
} scratch;

static void emit(dfl_arena *a, word_list *out, scratch *w)
{
  word_list_push(a, out, w->buf.data ? w->buf.data : "", w->buf.len, w->start,
                 w->end);
  dfl_buf_reset(&w->buf);
}

/* Go's unicode.IsSpace on a single byte taken as a rune (the flag scanner
 * looks at bytes, not runes). */
static bool byte_is_space(unsigned char c)
{
  return dfl_rune_is_space(c);
}

void extract_flags(dfl_arena *a, const char *s, size_t len, unsigned escape,
                   word_list *fl, size_t *rest_at)
{
  enum { IN_SPACES, IN_WORD, IN_QUOTE } phase = IN_SPACES;
  scratch w = {{0}, 0, 0};
  unsigned char quote = 0;
  bool blank_ok = false;
  unsigned char ch = 0;

  *rest_at = len;
  for (size_t pos = 0; pos <= len; pos++) {
    if (pos != len)
      ch = (unsigned char)s[pos];
    if (phase == IN_SPACES) {
      if (pos == len)
        break;
      if (byte_is_space(ch))
        continue;
      if (ch != '-' || pos + 1 == len || s[pos + 1] != '-') {
        *rest_at = pos;
        goto out;
      }
      phase = IN_WORD;
      w.start = (uint32_t)pos;
    }
    if (pos == len) {
      bool dashdash = w.buf.len == 2 && memcmp(w.buf.data, "--", 2) == 0;
      if (!dashdash && (blank_ok || w.buf.len > 0)) {
        w.end = (uint32_t)pos;
        emit(a, fl, &w);
      }
      break;
    }
    if (phase == IN_WORD) {
      if (byte_is_space(ch)) {
        phase = IN_SPACES;
        if (w.buf.len == 2 && memcmp(w.buf.data, "--", 2) == 0) {
          *rest_at = pos;
          goto out;
        }
        if (blank_ok || w.buf.len > 0) {
          w.end = (uint32_t)pos;
          emit(a, fl, &w);
        }
        dfl_buf_reset(&w.buf);
        blank_ok = false;
        continue;
      }
      if (ch == '\'' || ch == '"') {
        quote = ch;
        blank_ok = true;
        phase = IN_QUOTE;
        continue;
      }
      if (ch == escape) {
        if (pos + 1 == len)
          continue;
        pos++;
        ch = (unsigned char)s[pos];
      }
      /* Each byte becomes the rune of the same value (BuildKit's quirk). */
      dfl_buf_put_rune(&w.buf, ch);
      continue;
    }
    /* IN_QUOTE */
    if (ch == quote) {
      phase = IN_WORD;
      continue;
    }
    if (ch == escape) {
      if (pos + 1 == len) {
        phase = IN_WORD;
        continue;
      }
      pos++;
      ch = (unsigned char)s[pos];
    }
    dfl_buf_put_rune(&w.buf, ch);
  }
out:
  dfl_buf_free(&w.buf);
}

void parse_words(dfl_arena *a, const char *s, size_t len, unsigned escape,
                 word_list *out)
{
  enum { IN_SPACES, IN_WORD, IN_QUOTE } phase = IN_SPACES;
  scratch w = {{0}, 0, 0};
  uint32_t quote = 0;
  bool blank_ok = false;
  uint32_t ch = 0;
  size_t width = 0;

  for (size_t pos = 0; pos <= len; pos += width) {
    if (pos != len)
      ch = dfl_utf8_decode(s + pos, len - pos, &width);
    if (phase == IN_SPACES) {
      if (pos == len)
        break;
      if (dfl_rune_is_space(ch))
        continue;
      phase = IN_WORD;
      w.start = (uint32_t)pos;
    }
    if (pos == len) {
      if (blank_ok || w.buf.len > 0) {
        w.end = (uint32_t)pos;
        emit(a, out, &w);
      }
      break;
    }
    if (phase == IN_WORD) {
      if (dfl_rune_is_space(ch)) {
        phase = IN_SPACES;
        if (blank_ok || w.buf.len > 0) {
          w.end = (uint32_t)pos;
          emit(a, out, &w);
        }
        blank_ok = false;
        continue;
      }
      if (ch == '\'' || ch == '"') {
        quote = ch;
        blank_ok = true;
        phase = IN_QUOTE;
      }
      if (ch == escape) {
        if (pos + width == len)
          continue;
        /* Unquoted: keep the escape and the next rune, even a quote. */
        dfl_buf_put_rune(&w.buf, ch);
        pos += width;
        ch = dfl_utf8_decode(s + pos, len - pos, &width);
      }
      dfl_buf_put_rune(&w.buf, ch);
      continue;
    }
    /* IN_QUOTE */
    if (ch == quote)
      phase = IN_WORD;
    if (ch == escape && quote != '\'') {
      if (pos + width == len) {
        phase = IN_WORD;
        continue;
      }
      pos += width;
      dfl_buf_put_rune(&w.buf, ch);
      ch = dfl_utf8_decode(s + pos, len - pos, &width);
    }
    dfl_buf_put_rune(&w.buf, ch);
  }
  dfl_buf_free(&w.buf);
}

void split_whitespace(dfl_arena *a, const char *s, size_t len, word_list *out)
{
  size_t i = 0;
  for (;;) {
    size_t j = i;
    while (j < len && !is_split_space(s[j]))
      j++;
    word_list_push(a, out, s + i, j - i, (uint32_t)i, (uint32_t)j);
    if (j == len)
      break;
    while (j < len && is_split_space(s[j]))
      j++;
    i = j;
  }
}

/* ---- JSON, as Go's encoding/json validates and decodes it ---- */

typedef struct json_in {
  const char *s;
  size_t len;
  size_t pos;
  int depth;
} json_in;

enum { JSON_MAX_DEPTH = 10000 }; /* Go's decoder limit */

static void json_ws(json_in *j)
{
  while (j->pos < j->len) {
    char c = j->s[j->pos];
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
      break;
    j->pos++;
  }
}

static int hexval(char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static int read_hex4(json_in *j, size_t at)
{
  if (at + 4 > j->len)
    return -1;
  int v = 0;
  for (size_t i = 0; i < 4; i++) {
    int h = hexval(j->s[at + i]);
    if (h < 0)
      return -1;
    v = v * 16 + h;
  }
  return v;
}

/* A string token; decoded into out when out is non-NULL. */
static bool json_string(json_in *j, dfl_buf *out)
{
  if (j->pos >= j->len || j->s[j->pos] != '"')
    return false;
  j->pos++;
  while (j->pos < j->len) {
    unsigned char c = (unsigned char)j->s[j->pos];
    if (c == '"') {
      j->pos++;
      return true;
    }
    if (c < 0x20)
      return false;
    if (c == '\\') {
      if (j->pos + 1 >= j->len)
        return false;
      char e = j->s[j->pos + 1];
      const char *simple = strchr("\"\\/bfnrt", e);
      if (e != '\0' && simple) {
        static const char map[] = "\"\\/\b\f\n\r\t";
        if (out)
          dfl_buf_putc(out, map[simple - "\"\\/bfnrt"]);
        j->pos += 2;
        continue;
      }
      if (e != 'u')
        return false;
      int v = read_hex4(j, j->pos + 2);
      if (v < 0)
        return false;
      j->pos += 6;
      uint32_t cp = (uint32_t)v;
      if (cp >= 0xD800 && cp < 0xDC00) {
        /* A surrogate pair combines; a lone half decodes to U+FFFD. */
        if (j->pos + 1 < j->len && j->s[j->pos] == '\\' &&
            j->s[j->pos + 1] == 'u') {
          int lo = read_hex4(j, j->pos + 2);
          if (lo < 0)
            return false;
          if (lo >= 0xDC00 && lo < 0xE000) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + ((uint32_t)lo - 0xDC00);
            j->pos += 6;
          } else {
            cp = DFL_RUNE_ERROR;
          }
        } else {
          cp = DFL_RUNE_ERROR;
        }
      } else if (cp >= 0xDC00 && cp < 0xE000) {
        cp = DFL_RUNE_ERROR;
      }
      if (out)
        dfl_buf_put_rune(out, cp);
      continue;
    }
    if (c < 0x80) {
      if (out)
        dfl_buf_putc(out, (char)c);
      j->pos++;
      continue;
    }
    size_t w;
    uint32_t r = dfl_utf8_decode(j->s + j->pos, j->len - j->pos, &w);
    if (out) {
      if (r == DFL_RUNE_ERROR && w == 1)
        dfl_buf_put_rune(out, DFL_RUNE_ERROR);
      else
        dfl_buf_append(out, j->s + j->pos, w);
    }
    j->pos += w;
  }
  return false;
}

static bool json_number(json_in *j)
{
  size_t p = j->pos;
  const char *s = j->s;
  if (p < j->len && s[p] == '-')
    p++;
  if (p >= j->len)
    return false;
  if (s[p] == '0') {
    p++;
  } else if (s[p] >= '1' && s[p] <= '9') {
    while (p < j->len && s[p] >= '0' && s[p] <= '9')
      p++;
  } else {
    return false;
  }
  if (p < j->len && s[p] == '.') {
    p++;
    if (p >= j->len || s[p] < '0' || s[p] > '9')
      return false;
    while (p < j->len && s[p] >= '0' && s[p] <= '9')
      p++;
  }
  if (p < j->len && (s[p] == 'e' || s[p] == 'E')) {
    p++;
    if (p < j->len && (s[p] == '+' || s[p] == '-'))
      p++;
    if (p >= j->len || s[p] < '0' || s[p] > '9')
      return false;
    while (p < j->len && s[p] >= '0' && s[p] <= '9')
      p++;
  }
  j->pos = p;
  return true;
}

static bool json_literal(json_in *j, const char *word)
{
  size_t n = strlen(word);
  if (j->len - j->pos < n || memcmp(j->s + j->pos, word, n) != 0)
    return false;
  j->pos += n;
  return true;
}

static bool json_value(json_in *j);

static bool json_container(json_in *j, char open, char close)
{
  if (++j->depth > JSON_MAX_DEPTH)
    return false;
  j->pos++; /* the opening bracket */
  json_ws(j);
  if (j->pos < j->len && j->s[j->pos] == close) {
    j->pos++;
    j->depth--;
    return true;
  }
  for (;;) {
    json_ws(j);
    if (open == '{') {
      if (!json_string(j, NULL))
        return false;
      json_ws(j);
      if (j->pos >= j->len || j->s[j->pos] != ':')
        return false;
      j->pos++;
      json_ws(j);
    }
    if (!json_value(j))
      return false;
    json_ws(j);
    if (j->pos >= j->len)
      return false;
    if (j->s[j->pos] == ',') {
      j->pos++;
      continue;
    }
    if (j->s[j->pos] == close) {
      j->pos++;
      j->depth--;
      return true;
    }
    return false;
  }
}

static bool json_value(json_in *j)
{
  if (j->pos >= j->len)
    return false;
  switch (j->s[j->pos]) {
  case '"':
    return json_string(j, NULL);
  case '[':
    return json_container(j, '[', ']');
  case '{':
    return json_container(j, '{', '}');
  case 't':
    return json_literal(j, "true");
  case 'f':
    return json_literal(j, "false");
  case 'n':
    return json_literal(j, "null");
  default:
    return json_number(j);
  }
}

json_result parse_json_array(dfl_arena *a, const char *s, size_t len,
                             word_list *out)
{
  /* Validate the whole text first, as Go does before decoding. */
  json_in j = {s, len, 0, 0};
  json_ws(&j);
  if (j.pos >= len || s[j.pos] != '[')
    return JSON_INVALID;
  if (!json_value(&j))
    return JSON_INVALID;
  json_ws(&j);
  if (j.pos != len)
    return JSON_INVALID;

  /* Decode the top-level elements. */
  json_in d = {s, len, 0, 0};
  json_ws(&d);
  d.pos++;
  json_ws(&d);
  if (s[d.pos] == ']')
    return JSON_OK;
  dfl_buf b;
  dfl_buf_init(&b);
  json_result res = JSON_OK;
  for (;;) {
    json_ws(&d);
    size_t start = d.pos;
    if (s[d.pos] != '"') {
      res = JSON_NOT_STRINGS;
      break;
    }
    dfl_buf_reset(&b);
    json_string(&d, &b);
    word_list_push(a, out, b.data ? b.data : "", b.len, (uint32_t)start,
                   (uint32_t)d.pos);
    json_ws(&d);
    if (s[d.pos] == ']')
      break;
    d.pos++; /* ',' */
  }
  dfl_buf_free(&b);
  return res;
}
