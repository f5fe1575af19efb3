#include "output/finding.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dflint/utf8.h"

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

static uint64_t fnv(uint64_t h, const void *data, size_t len)
{
  const unsigned char *p = data;
  for (size_t i = 0; i < len; i++) {
    h ^= p[i];
    h *= FNV_PRIME;
  }
  return h;
}

/* Each part is followed by a NUL so ("ab", "c") and ("a", "bc") differ. */
static uint64_t fnv_part(uint64_t h, const char *s, size_t len)
{
  h = fnv(h, s, len);
  return fnv(h, "", 1);
}

static bool trim_space(char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
         c == '\v';
}

/* The line without surrounding white space, so re-indenting a line does not
 * change its fingerprint either. */
static dfl_str trimmed(dfl_str s)
{
  while (s.len && trim_space(s.ptr[0])) {
    s.ptr++;
    s.len--;
  }
  while (s.len && trim_space(s.ptr[s.len - 1]))
    s.len--;
  return s;
}

static uint64_t pair_hash(const dfl_finding *x)
{
  dfl_str t = trimmed(x->line_text);
  uint64_t h = fnv_part(FNV_OFFSET, x->rule_id, strlen(x->rule_id));
  return fnv_part(h, t.ptr, t.len);
}

void dfl_finding_fingerprint(const dfl_finding *x, const char *path,
                             char out[17])
{
  uint64_t h = FNV_OFFSET;
  if (path)
    h = fnv_part(h, path, strlen(path));
  h = fnv_part(h, x->rule_id, strlen(x->rule_id));
  dfl_str t = trimmed(x->line_text);
  h = fnv_part(h, t.ptr, t.len);
  char occ[32];
  int n = snprintf(occ, sizeof occ, "%zu", x->occurrence);
  h = fnv_part(h, occ, (size_t)n);
  snprintf(out, 17, "%016llx", (unsigned long long)h);
}

uint32_t dfl_utf16_column(dfl_str line, uint32_t col)
{
  if (col <= 1)
    return col ? col : 1;
  size_t want = col - 1; /* bytes before the column */
  size_t i = 0;
  uint32_t units = 0;
  while (i < want && i < line.len) {
    size_t w;
    uint32_t r = dfl_utf8_decode(line.ptr + i, line.len - i, &w);
    /* A column inside a multi-byte character counts from its start. */
    if (i + w > want)
      break;
    units += r >= 0x10000 ? 2 : 1;
    i += w;
  }
  if (want > line.len)
    units += (uint32_t)(want - line.len);
  return units + 1;
}

long dfl_rule_index(const dfl_rule *r)
{
  for (size_t i = 0; r && i < dfl_nrules; i++)
    if (dfl_rules[i] == r)
      return (long)i;
  return -1;
}

const char *dfl_severity_note_name(dfl_severity s)
{
  switch (s) {
  case DFL_SEV_ERROR: return "error";
  case DFL_SEV_WARNING: return "warning";
  case DFL_SEV_INFO:
  case DFL_SEV_STYLE: return "note";
  default: return "none";
  }
}

typedef struct keyed {
  uint64_t key;
  size_t index;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
  const keyed *x = a, *y = b;
  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

/* Occurrence indexes by sorting on the (rule, text) hash rather than
 * comparing every pair: hostile inputs can have very many findings. */
static void number_occurrences(dfl_finding *v, size_t n)
{
  keyed *k = malloc(n * sizeof *k);
  if (!k)
    abort();
  for (size_t i = 0; i < n; i++) {
    k[i].key = pair_hash(&v[i]);
    k[i].index = i;
  }
  qsort(k, n, sizeof *k, cmp_keyed);
  size_t run = 0;
  for (size_t i = 0; i < n; i++) {
    run = i && k[i].key == k[i - 1].key ? run + 1 : 0;
    v[k[i].index].occurrence = run;
  }
  free(k);
}

static void set_range(dfl_finding *x, const dfl_dockerfile *df,
                      const dfl_range *r)
{
  x->line = r->start.line ? r->start.line : 1;
  x->col = r->start.col ? r->start.col : 1;
  x->end_line = r->end.line ? r->end.line : x->line;
  x->end_col = r->end.col ? r->end.col : x->col;
  if (x->end_line < x->line ||
      (x->end_line == x->line && x->end_col < x->col)) {
    x->end_line = x->line;
    x->end_col = x->col;
  }
  if (df) {
    x->line_text = dfl_dockerfile_line(df, x->line);
    x->end_line_text = dfl_dockerfile_line(df, x->end_line);
  }
}

dfl_finding *dfl_findings_of(const dfl_report_file *f, size_t *n)
{
  *n = 0;
  if (f->io_error || !f->res)
    return NULL;
  size_t total = f->res->ndiags + (f->res->check_config_error ? 1 : 0);
  if (!total)
    return NULL;
  dfl_finding *v = calloc(total, sizeof *v);
  if (!v)
    abort();
  for (size_t i = 0; i < f->res->ndiags; i++) {
    const dfl_diag *d = &f->res->diags[i];
    dfl_finding *x = &v[i];
    x->rule = d->rule ? d->rule : dfl_rule_find(d->rule_id);
    x->rule_id = d->rule_id;
    x->rule_name = d->rule_name ? d->rule_name : d->rule_id;
    x->severity = d->severity;
    x->message = dfl_utf8_sanitize(d->message, strlen(d->message));
    set_range(x, f->df, &d->range);
  }
  if (f->res->check_config_error) {
    /* Not tied to a line: BuildKit fails the build with it. */
    dfl_finding *x = &v[f->res->ndiags];
    const char *msg = f->res->check_config_error;
    x->rule = dfl_rule_find("DF000");
    x->rule_id = "DF000";
    x->rule_name = x->rule ? x->rule->name : "SyntaxError";
    x->severity = DFL_SEV_ERROR;
    x->message = dfl_utf8_sanitize(msg, strlen(msg));
    dfl_range r;
    memset(&r, 0, sizeof r);
    set_range(x, NULL, &r);
    /* Its fingerprint keys on the message, the only thing it has. */
    x->line_text.ptr = x->message;
    x->line_text.len = strlen(x->message);
  }
  number_occurrences(v, total);
  *n = total;
  return v;
}

void dfl_findings_free(dfl_finding *v, size_t n)
{
  for (size_t i = 0; i < n; i++)
    free(v[i].message);
  free(v);
}
