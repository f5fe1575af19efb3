#include "lint/checkconfig.h"

#include <stdlib.h>
#include <string.h>

#include "dflint/arena.h"
#include "dflint/buf.h"

static void trim(const char **s, size_t *len)
{
  while (*len && (**s == ' ' || **s == '\t' || **s == '\n' || **s == '\r' ||
                  **s == '\v' || **s == '\f')) {
    (*s)++;
    (*len)--;
  }
  while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t' ||
                  (*s)[*len - 1] == '\n' || (*s)[*len - 1] == '\r' ||
                  (*s)[*len - 1] == '\v' || (*s)[*len - 1] == '\f'))
    (*len)--;
}

static void push(char ***list, size_t *n, const char *s, size_t len)
{
  *list = dfl_xrealloc(*list, (*n + 1) * sizeof **list);
  (*list)[(*n)++] = dfl_xstrndup(s, len);
}

/* A comma list: items trimmed; "all" is reported through *all. */
static void parse_list(const char *v, size_t len, bool *all, char ***list,
                       size_t *n)
{
  trim(&v, &len);
  if (len == 3 && memcmp(v, "all", 3) == 0) {
    *all = true;
    return;
  }
  size_t i = 0;
  while (i <= len) {
    size_t j = i;
    while (j < len && v[j] != ',')
      j++;
    const char *item = v + i;
    size_t ilen = j - i;
    trim(&item, &ilen);
    if (ilen)
      push(list, n, item, ilen);
    i = j + 1;
  }
}

/* Go's strconv.ParseBool. */
static int parse_bool(const char *v, size_t len, bool *out)
{
  static const char *const t[] = {"1", "t", "T", "TRUE", "true", "True"};
  static const char *const f[] = {"0", "f", "F", "FALSE", "false", "False"};
  for (size_t i = 0; i < 6; i++) {
    if (strlen(t[i]) == len && memcmp(v, t[i], len) == 0) {
      *out = true;
      return 0;
    }
    if (strlen(f[i]) == len && memcmp(v, f[i], len) == 0) {
      *out = false;
      return 0;
    }
  }
  return -1;
}

int dfl_check_config_parse(const char *value, size_t len, dfl_check_config *out,
                           char **err)
{
  memset(out, 0, sizeof *out);
  *err = NULL;
  trim(&value, &len);
  /* Only the first space-separated word counts ("skip=all // note"). */
  for (size_t i = 0; i < len; i++)
    if (value[i] == ' ') {
      len = i;
      break;
    }
  if (len == 0)
    return 0;
  /* strings.SplitN(value, ";", 3): a fourth part stays glued to the third. */
  size_t start = 0;
  for (int part = 0; part < 3 && start <= len; part++) {
    size_t end = start;
    if (part < 2)
      while (end < len && value[end] != ';')
        end++;
    else
      end = len;
    const char *p = value + start;
    size_t plen = end - start;
    const char *eq = memchr(p, '=', plen);
    dfl_buf b;
    dfl_buf_init(&b);
    if (!eq) {
      dfl_buf_puts(&b, "invalid check option \"");
      dfl_buf_append(&b, p, plen);
      dfl_buf_putc(&b, '"');
      *err = dfl_buf_take(&b);
      dfl_check_config_free(out);
      return -1;
    }
    const char *k = p;
    size_t klen = (size_t)(eq - p);
    trim(&k, &klen);
    const char *v = eq + 1;
    size_t vlen = (size_t)(p + plen - v);
    if (klen == 4 && memcmp(k, "skip", 4) == 0) {
      parse_list(v, vlen, &out->skip_all, &out->skip, &out->nskip);
    } else if (klen == 12 && memcmp(k, "experimental", 12) == 0) {
      parse_list(v, vlen, &out->experimental_all, &out->experimental,
                 &out->nexperimental);
    } else if (klen == 5 && memcmp(k, "error", 5) == 0) {
      const char *bv = v;
      size_t blen = vlen;
      trim(&bv, &blen);
      if (parse_bool(bv, blen, &out->error) != 0) {
        dfl_buf_puts(&b, "failed to parse check option \"");
        dfl_buf_append(&b, p, plen);
        dfl_buf_puts(&b, "\": strconv.ParseBool: parsing \"");
        dfl_buf_append(&b, bv, blen);
        dfl_buf_puts(&b, "\": invalid syntax");
        *err = dfl_buf_take(&b);
        dfl_check_config_free(out);
        return -1;
      }
    } else {
      dfl_buf_puts(&b, "invalid check option \"");
      dfl_buf_append(&b, k, klen);
      dfl_buf_putc(&b, '"');
      *err = dfl_buf_take(&b);
      dfl_check_config_free(out);
      return -1;
    }
    if (end >= len)
      break;
    start = end + 1;
  }
  return 0;
}

void dfl_check_config_free(dfl_check_config *c)
{
  for (size_t i = 0; i < c->nskip; i++)
    free(c->skip[i]);
  free(c->skip);
  for (size_t i = 0; i < c->nexperimental; i++)
    free(c->experimental[i]);
  free(c->experimental);
  memset(c, 0, sizeof *c);
}

static bool listed(char **list, size_t n, const char *rule)
{
  for (size_t i = 0; i < n; i++)
    if (strcmp(list[i], rule) == 0)
      return true;
  return false;
}

bool dfl_check_config_skips(const dfl_check_config *c, const char *rule)
{
  return c->skip_all || listed(c->skip, c->nskip, rule);
}

bool dfl_check_config_enables_experimental(const dfl_check_config *c,
                                           const char *rule)
{
  return c->experimental_all || listed(c->experimental, c->nexperimental, rule);
}
