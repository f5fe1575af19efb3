/* DL3052 LabelInvalidUrl: a label of type url (such as
 * org.opencontainers.image.source) should hold an absolute URI that tools
 * can follow. Dormant until the configuration's label-schema lists a label
 * of type url. */
#include <string.h>

#include "dflint/rule.h"
#include "hadolint/dlc_common.h"

static bool alpha(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static bool digit(char c) { return c >= '0' && c <= '9'; }
static bool hex(char c)
{
  return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
static bool unreserved(char c)
{
  return alpha(c) || digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}
static bool sub_delim(char c) { return c && strchr("!$&'()*+,;=", c); }

/* Whether v[*i] starts a character of the set RFC 3986 allows there:
 * unreserved, sub-delims, a %XX escape, or one of `extra`. Advances *i. */
static bool take(const char *v, size_t n, size_t *i, const char *extra)
{
  char c = v[*i];
  if (c == '%') {
    if (*i + 2 >= n || !hex(v[*i + 1]) || !hex(v[*i + 2]))
      return false;
    *i += 3;
    return true;
  }
  if (unreserved(c) || sub_delim(c) || (c && strchr(extra, c))) {
    (*i)++;
    return true;
  }
  return false;
}

/* RFC 3986 `absolute-URI [ "#" fragment ]`, as Haskell's parseURI. */
static bool uri(const char *v, size_t n)
{
  size_t i = 0;
  if (n == 0 || !alpha(v[0]))
    return false;
  while (i < n && (alpha(v[i]) || digit(v[i]) || v[i] == '+' ||
                   v[i] == '-' || v[i] == '.'))
    i++;
  if (i >= n || v[i] != ':')
    return false;
  i++;
  if (i + 1 < n && v[i] == '/' && v[i + 1] == '/') {
    i += 2;
    size_t end = i;
    while (end < n && v[end] != '/' && v[end] != '?' && v[end] != '#')
      end++;
    /* authority = [ userinfo "@" ] host [ ":" port ] */
    const char *at = NULL;
    for (size_t k = i; k < end; k++)
      if (v[k] == '@')
        at = v + k;
    if (at) {
      size_t stop = (size_t)(at - v);
      while (i < stop)
        if (!take(v, stop, &i, ":"))
          return false;
      i = stop + 1;
    }
    if (i < end && v[i] == '[') {
      const char *close = memchr(v + i, ']', end - i);
      if (!close)
        return false;
      for (size_t k = i + 1; k < (size_t)(close - v); k++)
        if (!hex(v[k]) && v[k] != ':' && v[k] != '.' && !unreserved(v[k]) &&
            !sub_delim(v[k]))
          return false;
      i = (size_t)(close - v) + 1;
    } else {
      while (i < end && v[i] != ':')
        if (!take(v, end, &i, ""))
          return false;
    }
    if (i < end && v[i] == ':') {
      for (i++; i < end; i++)
        if (!digit(v[i]))
          return false;
    }
    if (i != end)
      return false;
  }
  /* path, then [ "?" query ] [ "#" fragment ] */
  bool in_fragment = false;
  while (i < n) {
    if (v[i] == '#') {
      if (in_fragment)
        return false;
      in_fragment = true;
      i++;
      continue;
    }
    if (!take(v, n, &i, ":@/?"))
      return false;
  }
  return true;
}

static bool bad(const char *v, size_t n) { return !uri(v, n); }

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  dlc_check_labels(ctx, in, DFL_LABEL_URL, bad, "is not a valid URL");
}

const dfl_rule dfl_rule_DL3052 = {
  .id = "DL3052",
  .name = "LabelInvalidUrl",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "best-practice",
  .summary = "A url label of the label-schema must be an absolute URL",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3052",
  .on_instr = check,
};
