/* BuildKit's instructions.Parse, one instruction at a time: the checks
 * ParseInstruction, BFlags.Parse and the RUN flag hooks make before anything
 * is built. Each check runs in BuildKit's order, because when several things
 * are wrong the first one checked is the message the user sees.
 *
 * Not here, because BuildKit makes them later (dispatch, expansion or
 * conversion): "no build stage in current context", --chmod values, --mount
 * keys and types, --platform, STOPSIGNAL values, EXPOSE ports, COPY URLs and
 * --checksum rules. Errors of the low-level parser (in->error) are reported
 * by the parser, not here. */
#include "dflint/instr_check.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dflint/buf.h"
#include "dflint/expand.h"
#include "dflint/parse.h"
#include "dflint/utf8.h"

/* ---- Go string semantics ------------------------------------------------ */

static uint32_t decode_at(const char *s, size_t len, size_t i, size_t *w)
{
  return dfl_utf8_decode(s + i, len - i, w);
}

/* unicode.ToLower, with the one mapping the shared table lacks (U+0130 has
 * a two-rune full lowering, but Go uses the simple one, 'i'). */
static uint32_t go_lower_rune(uint32_t r)
{
  return r == 0x130 ? 'i' : dfl_rune_to_lower(r);
}

/* strings.ToLower / ToUpper: invalid UTF-8 bytes come out as U+FFFD. */
static void go_case(dfl_buf *out, const char *s, size_t len, bool upper)
{
  for (size_t i = 0; i < len;) {
    size_t w;
    uint32_t r = decode_at(s, len, i, &w);
    dfl_buf_put_rune(out, upper ? dfl_rune_to_upper(r) : go_lower_rune(r));
    i += w;
  }
}

static bool bytes_eq(const char *a, size_t alen, const char *b, size_t blen)
{
  return alen == blen && memcmp(a, b, alen) == 0;
}

static bool cstr_eq(const char *a, size_t alen, const char *b)
{
  return bytes_eq(a, alen, b, strlen(b));
}

/* s == strings.ToLower(s) (upper = false) or strings.ToUpper(s). */
static bool case_invariant(const char *s, size_t len, bool upper)
{
  dfl_buf b;
  dfl_buf_init(&b);
  go_case(&b, s, len, upper);
  bool same = bytes_eq(b.data ? b.data : "", b.len, s, len);
  dfl_buf_free(&b);
  return same;
}

/* strings.ToLower(s) == lit, for an ASCII lower-case lit. */
static bool go_lower_eq(const char *s, size_t len, const char *lit)
{
  dfl_buf b;
  dfl_buf_init(&b);
  go_case(&b, s, len, false);
  bool eq = cstr_eq(b.data ? b.data : "", b.len, lit);
  dfl_buf_free(&b);
  return eq;
}

static bool all_space(const char *s, size_t len)
{
  for (size_t i = 0; i < len;) {
    size_t w;
    /* An invalid byte decodes as U+FFFD, which is not a space. */
    if (!dfl_rune_is_space(decode_at(s, len, i, &w)))
      return false;
    i += w;
  }
  return true;
}

/* strings.TrimSpace. */
static void trim_space(const char **s, size_t *len)
{
  const char *p = *s;
  size_t n = *len;
  while (n) {
    size_t w;
    if (!dfl_rune_is_space(dfl_utf8_decode(p, n, &w)))
      break;
    p += w;
    n -= w;
  }
  /* Spaces are at most 3 bytes; test the last 1..3 bytes as one rune. */
  for (bool trimmed = true; trimmed && n;) {
    trimmed = false;
    for (size_t w = 1; w <= 3 && w <= n; w++) {
      size_t got;
      uint32_t r = dfl_utf8_decode(p + n - w, w, &got);
      if (got == w && dfl_rune_is_space(r)) {
        n -= w;
        trimmed = true;
        break;
      }
    }
  }
  *s = p;
  *len = n;
}

/* ---- suggestions (util/suggest) ----------------------------------------- */

/* Code points of s the way Go's []rune(s) gives them. */
static uint32_t *to_runes(const char *s, size_t len, size_t *n, bool lower)
{
  uint32_t *r = malloc((len ? len : 1) * sizeof *r);
  size_t k = 0;
  for (size_t i = 0; i < len;) {
    size_t w;
    uint32_t c = decode_at(s, len, i, &w);
    r[k++] = lower ? go_lower_rune(c) : c;
    i += w;
  }
  *n = k;
  return r;
}

static int rune_distance(const uint32_t *a, size_t an, const uint32_t *b,
                         size_t bn)
{
  int *row = malloc((bn + 1) * sizeof *row);
  for (size_t j = 0; j <= bn; j++)
    row[j] = (int)j;
  for (size_t i = 1; i <= an; i++) {
    int diag = row[0];
    row[0] = (int)i;
    for (size_t j = 1; j <= bn; j++) {
      int up = row[j];
      int best = diag + (a[i - 1] != b[j - 1]);
      if (up + 1 < best)
        best = up + 1;
      if (row[j - 1] + 1 < best)
        best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  int d = row[bn];
  free(row);
  return d;
}

int dfl_levenshtein(const char *a, size_t alen, const char *b, size_t blen)
{
  uint32_t *ra = malloc((alen ? alen : 1) * sizeof *ra);
  uint32_t *rb = malloc((blen ? blen : 1) * sizeof *rb);
  for (size_t i = 0; i < alen; i++)
    ra[i] = (unsigned char)a[i];
  for (size_t i = 0; i < blen; i++)
    rb[i] = (unsigned char)b[i];
  int d = rune_distance(ra, alen, rb, blen);
  free(ra);
  free(rb);
  return d;
}

/* suggest.WrapError: appends " (did you mean X?)" when one option is within
 * Levenshtein distance 2 (counted in runes, as agext/levenshtein does).
 * BuildKit walks its options in Go map order, so between equally close
 * options its pick is random; this takes the first in the table. Without
 * case sensitivity the suggestion follows the case of val: all lower, all
 * upper, or else lower. */
static void suggest(dfl_buf *msg, const char *val, size_t vlen,
                    const char *const *opts, size_t nopts, bool case_sensitive)
{
  size_t vn;
  uint32_t *v = to_runes(val, vlen, &vn, !case_sensitive);
  const char *match = NULL;
  int mindist = 3;
  for (size_t i = 0; i < nopts; i++) {
    size_t on;
    uint32_t *o = to_runes(opts[i], strlen(opts[i]), &on, !case_sensitive);
    bool exact = on == vn && memcmp(o, v, vn * sizeof *v) == 0;
    int d = exact ? 0 : rune_distance(v, vn, o, on);
    free(o);
    if (exact) {
      /* An exact match means the error is not about the spelling. */
      match = NULL;
      break;
    }
    if (d < mindist) {
      mindist = d;
      match = opts[i];
    }
  }
  free(v);
  if (!match)
    return;
  dfl_buf_puts(msg, " (did you mean ");
  if (case_sensitive)
    dfl_buf_puts(msg, match);
  else if (!case_invariant(val, vlen, false) && case_invariant(val, vlen, true))
    go_case(msg, match, strlen(match), true);
  else
    go_case(msg, match, strlen(match), false);
  dfl_buf_puts(msg, "?)");
}

/* ---- flags (instructions/bflag.go) -------------------------------------- */

typedef enum flag_type { FL_BOOL, FL_STRING, FL_STRINGS } flag_type;

typedef struct flag_spec {
  const char *name;
  flag_type type;
} flag_spec;

static const flag_spec copy_flags[] = {
  {"exclude", FL_STRINGS}, {"parents", FL_BOOL}, {"chown", FL_STRING},
  {"from", FL_STRING},     {"chmod", FL_STRING}, {"link", FL_BOOL},
};
static const flag_spec add_flags[] = {
  {"exclude", FL_STRINGS},  {"chown", FL_STRING},  {"chmod", FL_STRING},
  {"link", FL_BOOL},        {"keep-git-dir", FL_BOOL},
  {"checksum", FL_STRING},  {"unpack", FL_BOOL},
};
static const flag_spec from_flags[] = {{"platform", FL_STRING}};
/* The RUN hooks register these (device, mount, network, security). */
static const flag_spec run_flags[] = {
  {"device", FL_STRINGS},
  {"mount", FL_STRINGS},
  {"network", FL_STRING},
  {"security", FL_STRING},
};
static const flag_spec healthcheck_flags[] = {
  {"interval", FL_STRING},       {"timeout", FL_STRING},
  {"start-period", FL_STRING},   {"start-interval", FL_STRING},
  {"retries", FL_STRING},
};

typedef struct flag_set {
  const flag_spec *specs;
  size_t n;
  int used[8]; /* times each spec was given */
  /* Where the value of each spec's last use starts (text, length). */
  const char *value[8];
  size_t value_len[8];
} flag_set;

/* BFlags.Parse: returns false with the message in msg. */
static bool parse_flags(const dfl_instr *in, flag_set *fs, dfl_buf *msg)
{
  for (size_t i = 0; i < in->nflags; i++) {
    const char *a = in->flags[i].text;
    size_t alen = in->flags[i].text_len;
    if (cstr_eq(a, alen, "--"))
      return true; /* the end of the flags (the parser drops it anyway) */
    if (alen < 2 || a[0] != '-' || a[1] != '-') {
      dfl_buf_puts(msg, "arg should start with -- : ");
      dfl_buf_append(msg, a, alen);
      return false;
    }
    const char *eq = memchr(a, '=', alen);
    size_t name_len = eq ? (size_t)(eq - a) : alen; /* flagName, with "--" */
    const char *value = eq ? eq + 1 : "";
    size_t value_len = eq ? alen - name_len - 1 : 0;
    const char *arg = a + 2;
    size_t arg_len = name_len - 2;

    size_t k = 0;
    while (k < fs->n && !cstr_eq(arg, arg_len, fs->specs[k].name))
      k++;
    if (k == fs->n) {
      dfl_buf_puts(msg, "unknown flag: ");
      dfl_buf_append(msg, a, name_len);
      const char *opts[8];
      for (size_t j = 0; j < fs->n; j++)
        opts[j] = fs->specs[j].name;
      suggest(msg, arg, arg_len, opts, fs->n, true);
      return false;
    }
    const flag_spec *spec = &fs->specs[k];
    if (fs->used[k] && spec->type != FL_STRINGS) {
      dfl_buf_puts(msg, "duplicate flag specified: ");
      dfl_buf_append(msg, a, name_len);
      return false;
    }
    fs->used[k]++;
    fs->value[k] = value;
    fs->value_len[k] = value_len;
    if (spec->type == FL_BOOL) {
      if (eq && value_len == 0) {
        dfl_buf_puts(msg, "missing a value on flag: ");
        dfl_buf_append(msg, a, name_len);
        return false;
      }
      if (value_len && !go_lower_eq(value, value_len, "true") &&
          !go_lower_eq(value, value_len, "false")) {
        dfl_buf_puts(msg, "expecting boolean value for flag ");
        dfl_buf_append(msg, a, name_len);
        dfl_buf_puts(msg, ", not: ");
        dfl_buf_append(msg, value, value_len);
        return false;
      }
    } else if (!eq) {
      dfl_buf_puts(msg, "missing a value on flag: ");
      dfl_buf_append(msg, a, name_len);
      return false;
    }
  }
  return true;
}

/* The value of a string flag: its last use, or def when it was not given. */
static void flag_value(const flag_set *fs, const char *name, const char *def,
                       const char **v, size_t *vlen)
{
  for (size_t k = 0; k < fs->n; k++) {
    if (strcmp(fs->specs[k].name, name) == 0 && fs->used[k]) {
      *v = fs->value[k];
      *vlen = fs->value_len[k];
      return;
    }
  }
  *v = def;
  *vlen = strlen(def);
}

/* ---- CSV values (tonistiigi/go-csvvalue, strict quotes) ----------------- */

void dfl_csv_free(dfl_csv *c)
{
  for (size_t i = 0; i < c->n; i++)
    dfl_buf_free(&c->items[i]);
  free(c->items);
  c->items = NULL;
  c->n = 0;
}

static dfl_buf *field_new(dfl_csv *fl, const char *s, size_t len)
{
  fl->items = dfl_xrealloc(fl->items, (fl->n + 1) * sizeof *fl->items);
  dfl_buf *b = &fl->items[fl->n++];
  dfl_buf_init(b);
  dfl_buf_append(b, s, len);
  dfl_buf_cstr(b); /* data is never NULL, even for an empty field */
  return b;
}

static bool csv_fields(const char *line, size_t len, dfl_csv *out,
                       dfl_buf *err)
{
  /* A trailing newline is allowed for compatibility. */
  if (len && line[len - 1] == '\n')
    len -= (len > 1 && line[len - 2] == '\r') ? 2 : 1;
  if (!len) {
    dfl_buf_puts(err, "EOF");
    return false;
  }
  size_t pos = 0;
  for (;;) {
    if (pos == len || line[pos] != '"') {
      const char *comma = memchr(line + pos, ',', len - pos);
      size_t end = comma ? (size_t)(comma - line) : len;
      const char *q = memchr(line + pos, '"', end - pos);
      if (q) {
        dfl_buf_printf(err, "parse error on line 1, column %zu: bare \" in "
                            "non-quoted-field",
                       (size_t)(q - line) + 1);
        return false;
      }
      field_new(out, line + pos, end - pos);
      if (!comma)
        return true;
      pos = end + 1;
      continue;
    }
    pos++; /* the opening quote */
    dfl_buf *cur = NULL;
    for (;;) {
      const char *q = memchr(line + pos, '"', len - pos);
      if (!q) {
        dfl_buf_printf(err, "parse error on line 1, column %zu: extraneous "
                            "or missing \" in quoted-field",
                       pos + 1);
        return false;
      }
      size_t i = (size_t)(q - line);
      if (!cur)
        cur = field_new(out, line + pos, i - pos);
      else
        dfl_buf_append(cur, line + pos, i - pos);
      pos = i + 1;
      if (pos < len && line[pos] == '"') {
        dfl_buf_putc(cur, '"'); /* "" is a quote */
        pos++;
        continue;
      }
      if (pos < len && line[pos] == ',') {
        pos++;
        break;
      }
      if (pos == len)
        return true;
      dfl_buf_printf(err, "parse error on line 1, column %zu: extraneous or "
                          "missing \" in quoted-field",
                     pos);
      return false;
    }
  }
}

bool dfl_csv_fields(const char *s, size_t len, dfl_csv *out, dfl_buf *err)
{
  memset(out, 0, sizeof *out);
  dfl_buf local;
  dfl_buf_init(&local);
  bool ok = csv_fields(s, len, out, err ? err : &local);
  dfl_buf_free(&local);
  return ok;
}

static const char *fdata(const dfl_buf *b)
{
  return b->data ? b->data : "";
}

/* strconv.ParseBool. */
static bool go_parse_bool(const char *s, size_t len)
{
  static const char *const ok[] = {"1", "t", "T", "TRUE", "true", "True",
                                   "0", "f", "F", "FALSE", "false", "False"};
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
    if (cstr_eq(s, len, ok[i]))
      return true;
  return false;
}

/* ---- RUN hooks ---------------------------------------------------------- */

/* ParseDevice (commands_rundevice.go): runs at parse time. */
static bool check_device(const char *val, size_t len, dfl_buf *msg)
{
  dfl_csv fl = {0};
  dfl_buf err;
  dfl_buf_init(&err);
  bool ok = csv_fields(val, len, &fl, &err);
  if (!ok) {
    dfl_buf_puts(msg, "failed to parse csv devices: ");
    dfl_buf_append(msg, fdata(&err), err.len);
  }
  dfl_buf name;
  dfl_buf_init(&name);
  for (size_t i = 0; ok && i < fl.n; i++) {
    const char *f = fdata(&fl.items[i]);
    size_t flen = fl.items[i].len;
    const char *eq = memchr(f, '=', flen);
    size_t klen = eq ? (size_t)(eq - f) : flen;
    dfl_buf key;
    dfl_buf_init(&key);
    go_case(&key, f, klen, false);
    const char *k = fdata(&key);
    if (!eq) {
      if (cstr_eq(k, key.len, "required")) {
      } else if (name.len == 0) {
        dfl_buf_reset(&name);
        dfl_buf_append(&name, f, flen);
      } else {
        dfl_buf_puts(msg, "invalid field '");
        dfl_buf_append(msg, f, flen);
        dfl_buf_puts(msg, "' must be a key=value pair");
        ok = false;
      }
    } else {
      const char *v = eq + 1;
      size_t vlen = flen - klen - 1;
      if (cstr_eq(k, key.len, "name")) {
        if (name.len) {
          dfl_buf_puts(msg, "device name already set to ");
          dfl_buf_append(msg, fdata(&name), name.len);
          ok = false;
        } else {
          dfl_buf_append(&name, v, vlen);
        }
      } else if (cstr_eq(k, key.len, "required")) {
        if (!go_parse_bool(v, vlen)) {
          dfl_buf_puts(msg, "invalid value for ");
          dfl_buf_append(msg, k, key.len);
          dfl_buf_puts(msg, ": ");
          dfl_buf_append(msg, v, vlen);
          ok = false;
        }
      } else if (name.len == 0) {
        dfl_buf_append(&name, f, flen);
      } else {
        static const char *const keys[] = {"name", "required"};
        dfl_buf_puts(msg, "unexpected key '");
        dfl_buf_append(msg, k, key.len);
        dfl_buf_puts(msg, "' in '");
        dfl_buf_append(msg, f, flen);
        dfl_buf_putc(msg, '\'');
        suggest(msg, k, key.len, keys, 2, true);
        ok = false;
      }
    }
    dfl_buf_free(&key);
  }
  dfl_buf_free(&name);
  dfl_buf_free(&err);
  dfl_csv_free(&fl);
  return ok;
}

/* parseMount without an expander (commands_runmount.go): at parse time only
 * the CSV syntax and `from` are checked; every other key waits for the
 * expansion at dispatch, and the defaults (a bind mount) pass validation. */
static bool check_mount(const char *val, size_t len, dfl_buf *msg)
{
  dfl_csv fl = {0};
  dfl_buf err;
  dfl_buf_init(&err);
  bool ok = csv_fields(val, len, &fl, &err);
  if (!ok) {
    dfl_buf_puts(msg, "failed to parse csv mounts: ");
    dfl_buf_append(msg, fdata(&err), err.len);
  }
  for (size_t i = 0; ok && i < fl.n; i++) {
    const char *f = fdata(&fl.items[i]);
    size_t flen = fl.items[i].len;
    const char *eq = memchr(f, '=', flen);
    if (!eq || !go_lower_eq(f, (size_t)(eq - f), "from"))
      continue;
    const char *v = eq + 1;
    size_t vlen = flen - (size_t)(v - f);
    const char *dollar = memchr(v, '$', vlen);
    if (dollar && (size_t)(dollar - v) != vlen - 1) {
      dfl_buf_puts(msg, "'from' doesn't support variable expansion, define "
                        "alias stage instead");
      ok = false;
    }
  }
  dfl_buf_free(&err);
  dfl_csv_free(&fl);
  return ok;
}

static bool one_of(const char *v, size_t vlen, const char *const *set,
                   size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (cstr_eq(v, vlen, set[i]))
      return true;
  return false;
}

/* The RUN post-hooks in the order Go runs them (file name order). */
static bool run_hooks(const dfl_instr *in, const flag_set *fs, dfl_buf *msg)
{
  for (int pass = 0; pass < 2; pass++) {
    const char *want = pass == 0 ? "device" : "mount";
    for (size_t i = 0; i < in->nflags; i++) {
      const char *a = in->flags[i].text;
      size_t alen = in->flags[i].text_len;
      const char *eq = memchr(a, '=', alen);
      if (!eq || !bytes_eq(a + 2, (size_t)(eq - a) - 2, want, strlen(want)))
        continue;
      const char *v = eq + 1;
      size_t vlen = alen - (size_t)(v - a);
      if (!(pass == 0 ? check_device(v, vlen, msg) : check_mount(v, vlen, msg)))
        return false;
    }
  }
  static const char *const networks[] = {"default", "none", "host"};
  static const char *const securities[] = {"sandbox", "insecure"};
  const char *v;
  size_t vlen;
  flag_value(fs, "network", "default", &v, &vlen);
  if (!one_of(v, vlen, networks, 3)) {
    dfl_buf_puts(msg, "invalid network mode ");
    dfl_go_quote(msg, v, vlen);
    return false;
  }
  flag_value(fs, "security", "sandbox", &v, &vlen);
  if (!one_of(v, vlen, securities, 2)) {
    dfl_buf_puts(msg, "security ");
    dfl_go_quote(msg, v, vlen);
    dfl_buf_puts(msg, " is not valid");
    return false;
  }
  return true;
}

/* ---- HEALTHCHECK values (time.ParseDuration, strconv.ParseInt) ---------- */

/* The time package's own quote: every byte that is not printable ASCII is
 * written as \xNN. */
static void time_quote(dfl_buf *b, const char *s, size_t len)
{
  static const char hex[] = "0123456789abcdef";
  dfl_buf_putc(b, '"');
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x80 || c < 0x20) {
      dfl_buf_puts(b, "\\x");
      dfl_buf_putc(b, hex[c >> 4]);
      dfl_buf_putc(b, hex[c & 15]);
      continue;
    }
    if (c == '"' || c == '\\')
      dfl_buf_putc(b, '\\');
    dfl_buf_putc(b, (char)c);
  }
  dfl_buf_putc(b, '"');
}

static bool is_digit(char c)
{
  return c >= '0' && c <= '9';
}

static bool duration_invalid(dfl_buf *msg, const char *orig, size_t olen)
{
  dfl_buf_puts(msg, "time: invalid duration ");
  time_quote(msg, orig, olen);
  return false;
}

/* time.ParseDuration: [-+]?([0-9]*(\.[0-9]*)?[a-z]+)+ */
static bool go_parse_duration(const char *orig, size_t olen, int64_t *out,
                              dfl_buf *msg)
{
  static const struct {
    const char *name;
    uint64_t ns;
  } units[] = {
    {"ns", 1ULL},           {"us", 1000ULL},         {"\xc2\xb5s", 1000ULL},
    {"\xce\xbcs", 1000ULL}, {"ms", 1000000ULL},      {"s", 1000000000ULL},
    {"m", 60000000000ULL},  {"h", 3600000000000ULL},
  };
  const uint64_t top = 1ULL << 63;
  const char *s = orig;
  size_t len = olen;
  uint64_t d = 0;
  bool neg = false;
  if (len && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s++;
    len--;
  }
  if (len == 1 && s[0] == '0') {
    *out = 0;
    return true;
  }
  if (!len)
    return duration_invalid(msg, orig, olen);
  while (len) {
    uint64_t v = 0, f = 0;
    double scale = 1;
    if (!(s[0] == '.' || is_digit(s[0])))
      return duration_invalid(msg, orig, olen);
    size_t i = 0;
    for (; i < len && is_digit(s[i]); i++) {
      if (v > top / 10)
        return duration_invalid(msg, orig, olen);
      v = v * 10 + (uint64_t)(s[i] - '0');
      if (v > top)
        return duration_invalid(msg, orig, olen);
    }
    bool pre = i > 0;
    s += i;
    len -= i;
    bool post = false;
    if (len && s[0] == '.') {
      s++;
      len--;
      bool overflow = false;
      for (i = 0; i < len && is_digit(s[i]); i++) {
        if (overflow)
          continue;
        if (f > (top - 1) / 10) {
          overflow = true;
          continue;
        }
        uint64_t y = f * 10 + (uint64_t)(s[i] - '0');
        if (y > top) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      post = i > 0;
      s += i;
      len -= i;
    }
    if (!pre && !post)
      return duration_invalid(msg, orig, olen);
    for (i = 0; i < len && s[i] != '.' && !is_digit(s[i]); i++)
      ;
    if (i == 0) {
      dfl_buf_puts(msg, "time: missing unit in duration ");
      time_quote(msg, orig, olen);
      return false;
    }
    uint64_t unit = 0;
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++)
      if (cstr_eq(s, i, units[u].name))
        unit = units[u].ns;
    if (!unit) {
      dfl_buf_puts(msg, "time: unknown unit ");
      time_quote(msg, s, i);
      dfl_buf_puts(msg, " in duration ");
      time_quote(msg, orig, olen);
      return false;
    }
    s += i;
    len -= i;
    if (v > top / unit)
      return duration_invalid(msg, orig, olen);
    v *= unit;
    if (f > 0) {
      v += (uint64_t)((double)f * ((double)unit / scale));
      if (v > top)
        return duration_invalid(msg, orig, olen);
    }
    d += v;
    if (d > top)
      return duration_invalid(msg, orig, olen);
  }
  if (neg) {
    *out = d == top ? INT64_MIN : -(int64_t)d;
    return true;
  }
  if (d > top - 1)
    return duration_invalid(msg, orig, olen);
  *out = (int64_t)d;
  return true;
}

/* strconv.ParseInt(s, 10, 32). */
static bool go_parse_int32(const char *s0, size_t len0, int64_t *out,
                           dfl_buf *msg)
{
  const char *s = s0;
  size_t len = len0;
  bool neg = false;
  const char *why = NULL;
  if (len && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s++;
    len--;
  }
  uint64_t n = 0;
  if (!len)
    why = "invalid syntax";
  for (size_t i = 0; !why && i < len; i++) {
    if (!is_digit(s[i])) {
      why = "invalid syntax";
      break;
    }
    n = n * 10 + (uint64_t)(s[i] - '0');
    if (n > 0xFFFFFFFFULL)
      why = "value out of range"; /* ParseUint stops at the overflow */
  }
  if (!why && (neg ? n > 0x80000000ULL : n >= 0x80000000ULL))
    why = "value out of range";
  if (why) {
    dfl_buf_puts(msg, "strconv.ParseInt: parsing ");
    dfl_go_quote(msg, s0, len0);
    dfl_buf_printf(msg, ": %s", why);
    return false;
  }
  *out = neg ? -(int64_t)n : (int64_t)n;
  return true;
}

/* ---- per-instruction checks (instructions/parse.go) --------------------- */

static const char *name_of(const dfl_instr *in)
{
  return dfl_instr_kind_name(in->kind);
}

static bool err_at_least_one(const dfl_instr *in, dfl_buf *msg)
{
  dfl_buf_printf(msg, "%s requires at least one argument", name_of(in));
  return false;
}

static bool err_exactly_one(const dfl_instr *in, dfl_buf *msg)
{
  dfl_buf_printf(msg, "%s requires exactly one argument", name_of(in));
  return false;
}

static bool need_one(const dfl_instr *in, dfl_buf *msg)
{
  return in->nargs ? true : err_at_least_one(in, msg);
}

static bool need_exactly_one(const dfl_instr *in, dfl_buf *msg)
{
  return in->nargs == 1 ? true : err_exactly_one(in, msg);
}

static bool need_two(const dfl_instr *in, dfl_buf *msg)
{
  if (in->nargs >= 2)
    return true;
  dfl_buf_printf(msg, "%s requires at least two arguments, but only one was "
                      "provided. Destination could not be determined",
                 name_of(in));
  return false;
}

/* parseBuildStageName, which parseFrom runs before its flags. */
static bool from_shape(const dfl_instr *in, dfl_buf *msg)
{
  if (in->nargs == 3) {
    /* strings.EqualFold(args[1], "as"): 's' also folds with U+017F. */
    const dfl_arg *as = &in->args[1];
    size_t w0 = 0, w1 = 0;
    uint32_t r0 = as->len ? decode_at(as->value, as->len, 0, &w0) : 0;
    uint32_t r1 = as->len > w0 ? decode_at(as->value, as->len, w0, &w1) : 0;
    bool is_as = w0 + w1 == as->len && (r0 == 'a' || r0 == 'A') &&
                 (r1 == 's' || r1 == 'S' || r1 == 0x17F);
    if (is_as) {
      const dfl_arg *name = &in->args[2];
      dfl_buf low;
      dfl_buf_init(&low);
      go_case(&low, name->value, name->len, false);
      /* ^[a-z][a-z0-9-_.]*$ on the lower-cased name */
      bool valid = low.len > 0 && low.data[0] >= 'a' && low.data[0] <= 'z';
      for (size_t i = 1; valid && i < low.len; i++) {
        char c = low.data[i];
        valid = (c >= 'a' && c <= 'z') || is_digit(c) || c == '-' ||
                c == '_' || c == '.';
      }
      dfl_buf_free(&low);
      if (valid)
        return true;
      dfl_buf_puts(msg, "invalid name for build stage: ");
      dfl_go_quote(msg, name->value, name->len);
      dfl_buf_puts(msg, ", name can't start with a number or contain symbols");
      return false;
    }
  }
  if (in->nargs == 1)
    return true;
  dfl_buf_puts(msg, "FROM requires either one or three arguments");
  return false;
}

/* parseKvps (ENV, LABEL): the nodes are key, value, separator triplets. */
static bool key_values(const dfl_instr *in, dfl_buf *msg)
{
  if (!in->nargs)
    return err_at_least_one(in, msg);
  if (in->nargs % 3) {
    dfl_buf_printf(msg, "Bad input to %s, too many arguments", name_of(in));
    return false;
  }
  for (size_t j = 0; j < in->nargs; j += 3) {
    if (in->args[j].len == 0) {
      dfl_buf_printf(msg, "%s names can not be blank", name_of(in));
      return false;
    }
  }
  return true;
}

static bool arg_names(const dfl_instr *in, dfl_buf *msg)
{
  if (!in->nargs)
    return err_at_least_one(in, msg);
  for (size_t i = 0; i < in->nargs; i++) {
    if (in->args[i].len && in->args[i].value[0] == '=') {
      dfl_buf_puts(msg, "ARG names can not be blank");
      return false;
    }
  }
  return true;
}

/* parser.MustParseHeredoc: ^(\d*)<<(-?)([^<]*)$ with a delimiter that lexes
 * to one word, both with and without quote removal. */
static bool is_heredoc_word(const char *w, size_t len)
{
  size_t i = 0;
  while (i < len && is_digit(w[i]))
    i++;
  if (len - i < 2 || w[i] != '<' || w[i + 1] != '<')
    return false;
  i += 2;
  if (i < len && w[i] == '-')
    i++;
  if (i == len || memchr(w + i, '<', len - i))
    return false;
  dfl_lex lx = {.escape = '\\', .skip_unset_env = true};
  dfl_lex_result plain, raw;
  bool ok = dfl_lex_process(&lx, w + i, len - i, NULL, &plain) == 0 &&
            plain.nwords == 1;
  dfl_lex_result_free(&plain);
  if (!ok)
    return false;
  lx.raw_quotes = true;
  ok = dfl_lex_process(&lx, w + i, len - i, NULL, &raw) == 0 &&
       raw.nwords == 1;
  dfl_lex_result_free(&raw);
  return ok;
}

static bool sources_and_dest(const dfl_instr *in, dfl_buf *msg)
{
  const dfl_arg *dest = &in->args[in->nargs - 1];
  if (!is_heredoc_word(dest->value, dest->len))
    return true;
  dfl_buf_printf(msg, "%s cannot accept a heredoc as a destination",
                 name_of(in));
  return false;
}

static bool volumes(const dfl_instr *in, dfl_buf *msg)
{
  for (size_t i = 0; i < in->nargs; i++) {
    if (all_space(in->args[i].value, in->args[i].len)) {
      dfl_buf_puts(msg, "VOLUME specified can not be an empty string");
      return false;
    }
  }
  return true;
}

static bool shell_json(const dfl_instr *in, dfl_buf *msg)
{
  if (!in->nargs)
    return err_at_least_one(in, msg);
  if (in->json)
    return true;
  dfl_buf_puts(msg, "SHELL requires the arguments to be in JSON form");
  return false;
}

/* ONBUILD's arguments are its trigger's keyword and arguments. */
static bool onbuild_need(const dfl_instr *in, dfl_buf *msg)
{
  return in->sub ? true : err_at_least_one(in, msg);
}

/* The trigger is not parsed until a downstream FROM runs it; only its
 * keyword is checked here. */
static bool onbuild_trigger(const dfl_instr *in, dfl_buf *msg)
{
  const char *kw = in->sub->keyword;
  size_t len = in->sub->keyword_len;
  trim_space(&kw, &len);
  dfl_buf up;
  dfl_buf_init(&up);
  go_case(&up, kw, len, true);
  const char *u = fdata(&up);
  bool ok = true;
  if (cstr_eq(u, up.len, "ONBUILD")) {
    dfl_buf_puts(msg, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
    ok = false;
  } else if (cstr_eq(u, up.len, "MAINTAINER") || cstr_eq(u, up.len, "FROM")) {
    dfl_buf_printf(msg, "%s isn't allowed as an ONBUILD trigger", u);
    ok = false;
  }
  dfl_buf_free(&up);
  return ok;
}

static bool healthcheck_type_is(const dfl_instr *in, const char *want)
{
  dfl_buf up;
  dfl_buf_init(&up);
  go_case(&up, in->args[0].value, in->args[0].len, true);
  bool eq = cstr_eq(fdata(&up), up.len, want);
  dfl_buf_free(&up);
  return eq;
}

/* parseHealthcheck before its flags: NONE takes nothing and ignores them. */
static bool healthcheck_none(const dfl_instr *in, dfl_buf *msg)
{
  if (!in->nargs)
    return err_at_least_one(in, msg);
  if (healthcheck_type_is(in, "NONE") && in->nargs > 1) {
    dfl_buf_puts(msg, "HEALTHCHECK NONE takes no arguments");
    return false;
  }
  return true;
}

static bool healthcheck_skips_flags(const dfl_instr *in)
{
  return healthcheck_type_is(in, "NONE");
}

static bool healthcheck_cmd(const dfl_instr *in, const flag_set *fs,
                            dfl_buf *msg)
{
  if (healthcheck_skips_flags(in))
    return true;
  if (!healthcheck_type_is(in, "CMD")) {
    dfl_buf up;
    dfl_buf_init(&up);
    go_case(&up, in->args[0].value, in->args[0].len, true);
    dfl_buf_puts(msg, "Unknown type ");
    dfl_go_quote(msg, fdata(&up), up.len);
    dfl_buf_puts(msg, " in HEALTHCHECK (try CMD)");
    dfl_buf_free(&up);
    return false;
  }
  if (in->nargs < 2) {
    dfl_buf_puts(msg, "Missing command after HEALTHCHECK CMD");
    return false;
  }
  static const char *const durations[] = {"interval", "timeout",
                                          "start-period", "start-interval"};
  for (size_t i = 0; i < 4; i++) {
    const char *v;
    size_t vlen;
    flag_value(fs, durations[i], "", &v, &vlen);
    if (!vlen)
      continue;
    int64_t d;
    if (!go_parse_duration(v, vlen, &d, msg))
      return false;
    if (d != 0 && d < 1000000) {
      dfl_buf_printf(msg, "Interval \"%s\" cannot be less than 1ms",
                     durations[i]);
      return false;
    }
  }
  const char *v;
  size_t vlen;
  flag_value(fs, "retries", "", &v, &vlen);
  if (vlen) {
    int64_t n;
    if (!go_parse_int32(v, vlen, &n, msg))
      return false;
    if (n < 0) {
      dfl_buf_printf(msg, "--retries cannot be negative (%lld)", (long long)n);
      return false;
    }
  }
  return true;
}

/* How BuildKit parses one instruction: a check before the flags, the
 * flags (unless the instruction never parses them), a check after. */
typedef bool (*pre_fn)(const dfl_instr *in, dfl_buf *msg);
typedef bool (*post_fn)(const dfl_instr *in, const flag_set *fs,
                        dfl_buf *msg);

typedef struct instr_rule {
  pre_fn before;
  const flag_spec *flags;
  size_t nflags;
  bool no_flags;                          /* ARG, STOPSIGNAL */
  bool (*skip_flags)(const dfl_instr *in); /* HEALTHCHECK NONE */
  pre_fn after;
  post_fn after_flags; /* a check that reads flag values */
} instr_rule;

#define FLAGS(arr) (arr), sizeof(arr) / sizeof((arr)[0])

static const instr_rule rules[DFL_INSTR__COUNT] = {
  [DFL_INSTR_ADD] = {need_two, FLAGS(add_flags), false, NULL,
                     sources_and_dest, NULL},
  [DFL_INSTR_ARG] = {arg_names, NULL, 0, true, NULL, NULL, NULL},
  [DFL_INSTR_CMD] = {NULL, NULL, 0, false, NULL, NULL, NULL},
  [DFL_INSTR_COPY] = {need_two, FLAGS(copy_flags), false, NULL,
                      sources_and_dest, NULL},
  [DFL_INSTR_ENTRYPOINT] = {NULL, NULL, 0, false, NULL, NULL, NULL},
  [DFL_INSTR_ENV] = {NULL, NULL, 0, false, NULL, key_values, NULL},
  [DFL_INSTR_EXPOSE] = {need_one, NULL, 0, false, NULL, NULL, NULL},
  [DFL_INSTR_FROM] = {from_shape, FLAGS(from_flags), false, NULL, NULL, NULL},
  [DFL_INSTR_HEALTHCHECK] = {healthcheck_none, FLAGS(healthcheck_flags),
                             false, healthcheck_skips_flags, NULL,
                             healthcheck_cmd},
  [DFL_INSTR_LABEL] = {NULL, NULL, 0, false, NULL, key_values, NULL},
  [DFL_INSTR_MAINTAINER] = {need_exactly_one, NULL, 0, false, NULL, NULL,
                            NULL},
  [DFL_INSTR_ONBUILD] = {onbuild_need, NULL, 0, false, NULL, onbuild_trigger,
                         NULL},
  [DFL_INSTR_RUN] = {NULL, FLAGS(run_flags), false, NULL, NULL, run_hooks},
  [DFL_INSTR_SHELL] = {NULL, NULL, 0, false, NULL, shell_json, NULL},
  [DFL_INSTR_STOPSIGNAL] = {need_exactly_one, NULL, 0, true, NULL, NULL,
                            NULL},
  [DFL_INSTR_USER] = {need_exactly_one, NULL, 0, false, NULL, NULL, NULL},
  [DFL_INSTR_VOLUME] = {need_one, NULL, 0, false, NULL, volumes, NULL},
  [DFL_INSTR_WORKDIR] = {need_exactly_one, NULL, 0, false, NULL, NULL, NULL},
};

static const char *const instruction_names[] = {
  "ADD",        "ARG",     "CMD",   "COPY",       "ENTRYPOINT", "ENV",
  "EXPOSE",     "FROM",    "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD",
  "RUN",        "SHELL",   "STOPSIGNAL",  "USER",  "VOLUME",     "WORKDIR",
};

/* BuildKit matches keywords after strings.ToLower, which also maps U+212A
 * (Kelvin sign) to 'k' and U+0130 to 'i'. Such a keyword is an instruction
 * to BuildKit even where the parser's ASCII lookup missed it; its arguments
 * were then not parsed the instruction's way, so it is left unchecked. */
static bool unicode_keyword(const dfl_instr *in)
{
  dfl_buf low;
  dfl_buf_init(&low);
  go_case(&low, in->keyword, in->keyword_len, false);
  bool known = dfl_instr_kind_from_keyword(fdata(&low), low.len) !=
               DFL_INSTR_UNKNOWN;
  dfl_buf_free(&low);
  return known;
}

static bool check(const dfl_instr *in, dfl_buf *msg)
{
  if (in->kind == DFL_INSTR_UNKNOWN || (unsigned)in->kind >= DFL_INSTR__COUNT) {
    if (unicode_keyword(in))
      return true;
    dfl_buf_puts(msg, "unknown instruction: ");
    dfl_buf_append(msg, in->keyword, in->keyword_len);
    suggest(msg, in->keyword, in->keyword_len, instruction_names,
            sizeof instruction_names / sizeof instruction_names[0], false);
    return false;
  }
  const instr_rule *r = &rules[in->kind];
  if (r->before && !r->before(in, msg))
    return false;
  flag_set fs = {r->flags, r->nflags, {0}, {0}, {0}};
  if (!r->no_flags && !(r->skip_flags && r->skip_flags(in)) &&
      !parse_flags(in, &fs, msg))
    return false;
  if (r->after && !r->after(in, msg))
    return false;
  if (r->after_flags && !r->after_flags(in, &fs, msg))
    return false;
  return true;
}

char *dfl_instr_check_n(const dfl_instr *in, size_t *len)
{
  if (len)
    *len = 0;
  /* The parser already rejected the file: BuildKit never gets here. */
  if (!in || in->error)
    return NULL;
  dfl_buf msg;
  dfl_buf_init(&msg);
  if (check(in, &msg)) {
    dfl_buf_free(&msg);
    return NULL;
  }
  if (len)
    *len = msg.len;
  dfl_buf_cstr(&msg);
  return dfl_buf_take(&msg);
}

char *dfl_instr_check(const dfl_instr *in)
{
  return dfl_instr_check_n(in, NULL);
}

int dfl_instr_error_is_prefixed(const dfl_instr *in)
{
  /* Everything ParseInstruction returns is wrapped by Parse's parseError;
   * only the parser's own errors reach the user bare. */
  return in && !in->error;
}
