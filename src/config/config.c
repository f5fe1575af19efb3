/* The configuration loader: YAML (libyaml, used nowhere else) into a
 * dfl_config. One table lists every key with its type and handler; the same
 * table prints the effective configuration, so the two cannot drift apart.
 * Anything the loader cannot use is an error at the 1-based line and column
 * libyaml marks, because hadolint's habit of dropping a broken file (or an
 * unknown key) and linting with defaults is its most reported config bug. */
#include "dflint/config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "dflint/arena.h"
#include "dflint/instr_check.h"
#include "dflint/io.h"
#include "dflint/output.h"
#include "lint/engine.h"

/* A configuration file is a few hundred bytes; a cap keeps a mistaken
 * --config /dev/zero from eating memory. */
#define CONFIG_MAX_BYTES ((size_t)1 << 20)
/* Lists and maps are checked for duplicates pairwise; no real file comes
 * near this, and it keeps a hostile one from taking minutes. */
#define CONFIG_MAX_ENTRIES 10000

typedef struct loader {
  dfl_config *c;
  const char *name;
  char *err; /* the first error, "NAME:LINE:COL: error: ..." */
  yaml_document_t *doc;
} loader;

/* ---- messages ---- */

static void vmessage(dfl_buf *b, const char *name, yaml_mark_t m,
                     const char *kind, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));
static void vmessage(dfl_buf *b, const char *name, yaml_mark_t m,
                     const char *kind, const char *fmt, va_list ap)
{
  dfl_buf_printf(b, "%s:%zu:%zu: %s: ", name, m.line + 1, m.column + 1, kind);
  dfl_buf_vprintf(b, fmt, ap);
}

/* Records the error at node n; returns false so handlers can return it. */
static bool fail(loader *l, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static bool fail(loader *l, const yaml_node_t *n, const char *fmt, ...)
{
  if (l->err)
    return false;
  dfl_buf b;
  dfl_buf_init(&b);
  va_list ap;
  va_start(ap, fmt);
  vmessage(&b, l->name, n->start_mark, "error", fmt, ap);
  va_end(ap);
  l->err = dfl_buf_take(&b);
  return false;
}

static void warn(loader *l, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void warn(loader *l, const yaml_node_t *n, const char *fmt, ...)
{
  dfl_buf b;
  dfl_buf_init(&b);
  va_list ap;
  va_start(ap, fmt);
  vmessage(&b, l->name, n->start_mark, "warning", fmt, ap);
  va_end(ap);
  dfl_strlist *w = &l->c->warnings;
  w->items = dfl_xrealloc(w->items, (w->n + 1) * sizeof *w->items);
  w->items[w->n++] = dfl_buf_take(&b);
}

/* ---- nodes ---- */

static yaml_node_t *node(loader *l, int index)
{
  return yaml_document_get_node(l->doc, index);
}

static const char *sval(const yaml_node_t *n)
{
  return (const char *)n->data.scalar.value;
}

/* YAML's null: an empty plain scalar, ~ or null. A key written with no value
 * (a template with its list commented out) means "not set". */
static bool is_null(const yaml_node_t *n)
{
  static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};
  if (n->type != YAML_SCALAR_NODE ||
      n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
    return false;
  for (size_t i = 0; i < sizeof nulls / sizeof nulls[0]; i++)
    if (strcmp(sval(n), nulls[i]) == 0)
      return true;
  return false;
}

/* What a node is, for "expected X, got Y". */
static const char *describe(const yaml_node_t *n, char *buf, size_t size)
{
  if (n->type == YAML_SEQUENCE_NODE)
    return "a list";
  if (n->type == YAML_MAPPING_NODE)
    return "a map";
  if (is_null(n))
    return "nothing";
  snprintf(buf, size, "'%.60s%s'", sval(n),
           n->data.scalar.length > 60 ? "..." : "");
  return buf;
}

/* A non-null scalar without NUL bytes (libyaml allows "\0" escapes, which
 * C strings would silently cut). */
static bool want_string(loader *l, const yaml_node_t *n, const char *what)
{
  char buf[80];
  if (n->type != YAML_SCALAR_NODE || is_null(n))
    return fail(l, n, "%s: expected a string, got %s", what,
                describe(n, buf, sizeof buf));
  if (strlen(sval(n)) != n->data.scalar.length)
    return fail(l, n, "%s: the string contains a NUL byte", what);
  return true;
}

/* Calls fn on each key/value pair of a map node, rejecting non-string and
 * duplicate keys (YAML forbids them; libyaml keeps both). */
typedef bool (*pair_fn)(loader *l, const char *what, yaml_node_t *k,
                        yaml_node_t *v);

static bool each_pair(loader *l, yaml_node_t *map, const char *what,
                      pair_fn fn)
{
  char buf[80];
  if (map->type != YAML_MAPPING_NODE)
    return fail(l, map, "%s: expected a map, got %s", what,
                describe(map, buf, sizeof buf));
  if (map->data.mapping.pairs.top - map->data.mapping.pairs.start >
      CONFIG_MAX_ENTRIES)
    return fail(l, map, "%s: more than %d entries", what, CONFIG_MAX_ENTRIES);
  for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
       p < map->data.mapping.pairs.top; p++) {
    yaml_node_t *k = node(l, p->key), *v = node(l, p->value);
    if (!want_string(l, k, what))
      return false;
    for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < p; q++) {
      yaml_node_t *prev = node(l, q->key);
      if (prev->type == YAML_SCALAR_NODE && strcmp(sval(prev), sval(k)) == 0)
        return fail(l, k, "%s: duplicate key '%s' (first at line %zu)", what,
                    sval(k), prev->start_mark.line + 1);
    }
    if (!fn(l, what, k, v))
      return false;
  }
  return true;
}

/* ---- rule ids ---- */

static bool hadolint_code(const char *s)
{
  if (strlen(s) != 6 || !((s[0] == 'D' && s[1] == 'L') ||
                          (s[0] == 'S' && s[1] == 'C')))
    return false;
  for (size_t i = 2; i < 6; i++)
    if (!isdigit((unsigned char)s[i]))
      return false;
  return true;
}

/* The selectors of --select/--ignore beyond ids and names: "all", a source,
 * or a code prefix ("DL", "DL3", "DF1"), as the engine matches them. */
static bool selector_known(const char *s)
{
  static const char *const words[] = {"all", "ALL", "buildkit", "hadolint",
                                      "dflint"};
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
    if (strcmp(s, words[i]) == 0)
      return true;
  size_t n = strlen(s);
  if (n < 2 || !isupper((unsigned char)s[0]) || !isupper((unsigned char)s[1]))
    return false;
  for (size_t i = 2; i < n; i++)
    if (!isdigit((unsigned char)s[i]))
      return false;
  /* hadolint's and ShellCheck's codes are coming: their prefixes are fine. */
  if (n <= 5 && (strncmp(s, "DL", 2) == 0 || strncmp(s, "SC", 2) == 0))
    return true;
  for (size_t i = 0; i < dfl_nrules; i++)
    if (strlen(dfl_rules[i]->id) > n && strncmp(dfl_rules[i]->id, s, n) == 0)
      return true;
  return false;
}

/* hadolint accepts any code; a typo there silently does nothing, so we warn.
 * DLnnnn and SCnnnn pass by shape: those rules are on their way. */
static void check_rule_id(loader *l, const yaml_node_t *n, const char *what,
                          bool selectors)
{
  const char *s = sval(n);
  if (dfl_rule_find(s) || hadolint_code(s) || (selectors && selector_known(s)))
    return;
  if ((s[0] == 'D' && s[1] == 'L') || (s[0] == 'S' && s[1] == 'C')) {
    /* The closest dflint id to "DL300" would be DF000: no help. */
    warn(l, n, "unknown rule '%s' in %s (hadolint and ShellCheck codes have "
               "four digits)", s, what);
    return;
  }
  const dfl_rule *sugg = NULL;
  for (size_t i = 0; i < dfl_nrules && !sugg; i++)
    if (strcasecmp(dfl_rules[i]->id, s) == 0 ||
        strcasecmp(dfl_rules[i]->name, s) == 0)
      sugg = dfl_rules[i];
  if (!sugg)
    sugg = dfl_rule_suggest(s);
  if (sugg)
    warn(l, n, "unknown rule '%s' in %s (did you mean %s?)", s, what,
         sugg->id);
  else
    warn(l, n, "unknown rule '%s' in %s", s, what);
}

/* ---- value handlers ---- */

static void strlist_add(dfl_strlist *l, const char *s)
{
  for (size_t i = 0; i < l->n; i++)
    if (strcmp(l->items[i], s) == 0)
      return;
  l->items = dfl_xrealloc(l->items, (l->n + 1) * sizeof *l->items);
  l->items[l->n++] = dfl_xstrndup(s, strlen(s));
}

static void strlist_free(dfl_strlist *l)
{
  for (size_t i = 0; i < l->n; i++)
    free(l->items[i]);
  free(l->items);
  l->items = NULL;
  l->n = 0;
}

enum { RULE_IDS = 1, SELECTORS = 2 };

/* A list of strings; rule ids are checked (flags) and warned about. */
static bool read_list(loader *l, yaml_node_t *v, const char *what,
                      unsigned flags, dfl_strlist *out)
{
  char buf[80];
  if (v->type != YAML_SEQUENCE_NODE)
    return fail(l, v, "%s: expected a list (like [a, b]), got %s", what,
                describe(v, buf, sizeof buf));
  if (v->data.sequence.items.top - v->data.sequence.items.start >
      CONFIG_MAX_ENTRIES)
    return fail(l, v, "%s: more than %d entries", what, CONFIG_MAX_ENTRIES);
  for (yaml_node_item_t *it = v->data.sequence.items.start;
       it < v->data.sequence.items.top; it++) {
    yaml_node_t *item = node(l, *it);
    if (!want_string(l, item, what))
      return false;
    if (flags & RULE_IDS)
      check_rule_id(l, item, what, flags & SELECTORS);
    strlist_add(out, sval(item));
  }
  return true;
}

typedef struct key_def key_def;
typedef bool (*parse_fn)(loader *l, const key_def *k, yaml_node_t *v);
typedef void (*print_fn)(const dfl_config *c, const key_def *k, dfl_buf *out);

/* One configuration key. Booleans and lists need only an offset into
 * dfl_config; the rest have their own parse and print functions. */
struct key_def {
  const char *name;
  const char *alias_of; /* another spelling of this setting, or NULL */
  parse_fn parse;
  print_fn print;       /* NULL for aliases: the setting prints once */
  size_t offset;        /* of the bool or dfl_strlist, for the generic ones */
  unsigned flags;       /* RULE_IDS, SELECTORS for lists */
  const char *note;     /* a comment for `dflint config` */
};

#define FIELD(c, k, type) ((type *)(void *)((char *)(c) + (k)->offset))
#define CFIELD(c, k, type) \
  ((const type *)(const void *)((const char *)(c) + (k)->offset))

static bool parse_bool(loader *l, const key_def *k, yaml_node_t *v)
{
  /* YAML 1.2's core schema, as hadolint reads it: "yes" and "on" are
   * strings there, so accepting them would make a file that hadolint
   * rejects. */
  static const struct {
    const char *word;
    bool value;
  } words[] = {{"true", true},   {"True", true},   {"TRUE", true},
               {"false", false}, {"False", false}, {"FALSE", false}};
  char buf[80];
  if (v->type == YAML_SCALAR_NODE &&
      v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
      if (strcmp(sval(v), words[i].word) == 0) {
        *FIELD(l->c, k, bool) = words[i].value;
        return true;
      }
  return fail(l, v, "%s: expected true or false, got %s%s", k->name,
              v->type == YAML_SCALAR_NODE &&
                      v->data.scalar.style != YAML_PLAIN_SCALAR_STYLE
                  ? "the quoted string "
                  : "",
              describe(v, buf, sizeof buf));
}

static bool parse_list(loader *l, const key_def *k, yaml_node_t *v)
{
  return read_list(l, v, k->name, k->flags, FIELD(l->c, k, dfl_strlist));
}

static const struct {
  const char *name;
  dfl_severity sev;
} override_levels[] = {
  {"error", DFL_SEV_ERROR},
  {"warning", DFL_SEV_WARNING},
  {"info", DFL_SEV_INFO},
  {"style", DFL_SEV_STYLE},
};

static bool override_pair(loader *l, const char *what, yaml_node_t *k,
                          yaml_node_t *v)
{
  size_t level = sizeof override_levels / sizeof override_levels[0];
  for (size_t i = 0; i < sizeof override_levels / sizeof override_levels[0];
       i++)
    if (strcmp(sval(k), override_levels[i].name) == 0)
      level = i;
  if (level == sizeof override_levels / sizeof override_levels[0])
    return fail(l, k, "override: unknown severity '%s' (expected error, "
                      "warning, info or style)",
                sval(k));
  if (is_null(v))
    return true;
  char where[32];
  snprintf(where, sizeof where, "override.%s", sval(k));
  dfl_strlist ids = {0};
  if (!read_list(l, v, where, RULE_IDS, &ids)) {
    strlist_free(&ids);
    return false;
  }
  dfl_config *c = l->c;
  dfl_severity sev = override_levels[level].sev;
  for (size_t i = 0; i < ids.n; i++) {
    size_t at = c->noverrides;
    for (size_t j = 0; j < c->noverrides; j++)
      if (strcmp(c->override_ids[j], ids.items[i]) == 0)
        at = j;
    if (at < c->noverrides) {
      if (c->override_sev[at] != sev) {
        dfl_severity win = c->override_sev[at] < sev ? c->override_sev[at] : sev;
        yaml_node_t *item = node(l, v->data.sequence.items.start[i]);
        warn(l, item, "%s is listed under override.%s and override.%s; %s "
                      "wins, as in hadolint",
             ids.items[i], dfl_severity_name(c->override_sev[at]), sval(k),
             dfl_severity_name(win));
        c->override_sev[at] = win;
      }
      continue;
    }
    c->override_ids = dfl_xrealloc(c->override_ids,
                                   (at + 1) * sizeof *c->override_ids);
    c->override_sev = dfl_xrealloc(c->override_sev,
                                   (at + 1) * sizeof *c->override_sev);
    c->override_ids[at] = dfl_xstrndup(ids.items[i], strlen(ids.items[i]));
    c->override_sev[at] = sev;
    c->noverrides++;
  }
  strlist_free(&ids);
  return true;
}

static bool parse_override(loader *l, const key_def *k, yaml_node_t *v)
{
  return each_pair(l, v, k->name, override_pair);
}

static bool parse_threshold(loader *l, const key_def *k, yaml_node_t *v)
{
  if (!want_string(l, v, k->name))
    return false;
  int s = dfl_severity_parse(sval(v));
  if (s < 0)
    return fail(l, v, "%s: '%s' is not one of error, warning, info, style, "
                      "ignore, none",
                k->name, sval(v));
  l->c->failure_threshold = (dfl_severity)s;
  return true;
}

static bool set_format(loader *l, const key_def *k, yaml_node_t *v)
{
  if (!want_string(l, v, k->name))
    return false;
  if (dfl_config_is_set(l->c, "format"))
    return fail(l, v, "%s: the format is already set (format and formats "
                      "are one setting)",
                k->name);
  /* hadolint's name for its default text output. */
  const char *name = strcmp(sval(v), "tty") == 0 ? "text" : sval(v);
  const dfl_renderer *r = dfl_renderer_find(name);
  if (!r) {
    dfl_buf names;
    dfl_buf_init(&names);
    for (size_t i = 0; dfl_renderers[i]; i++)
      dfl_buf_printf(&names, "%s%s", i ? ", " : "", dfl_renderers[i]->name);
    fail(l, v, "%s: unknown format '%s' (expected one of: %s)", k->name,
         sval(v), dfl_buf_cstr(&names));
    dfl_buf_free(&names);
    return false;
  }
  l->c->format = r->name;
  return true;
}

/* hadolint's undocumented list of formats (paired with its -o files).
 * dflint writes one report per run, so only one entry can be honoured. */
static bool parse_formats(loader *l, const key_def *k, yaml_node_t *v)
{
  char buf[80];
  if (v->type != YAML_SEQUENCE_NODE)
    return fail(l, v, "%s: expected a list, got %s", k->name,
                describe(v, buf, sizeof buf));
  yaml_node_item_t *items = v->data.sequence.items.start;
  size_t n = (size_t)(v->data.sequence.items.top - items);
  if (n > 1)
    return fail(l, node(l, items[1]),
                "%s: dflint writes one format per run; list one (or use "
                "format)",
                k->name);
  return n == 0 || set_format(l, k, node(l, items[0]));
}

static const char *const label_types[] = {
  [DFL_LABEL_TEXT] = "text",       [DFL_LABEL_URL] = "url",
  [DFL_LABEL_SEMVER] = "semver",   [DFL_LABEL_HASH] = "hash",
  [DFL_LABEL_RFC3339] = "rfc3339", [DFL_LABEL_SPDX] = "spdx",
  [DFL_LABEL_EMAIL] = "email",
};

static bool label_pair(loader *l, const char *what, yaml_node_t *k,
                       yaml_node_t *v)
{
  size_t type = sizeof label_types / sizeof label_types[0];
  /* hadolint reads an empty type (or none) as text. */
  if (is_null(v)) {
    type = DFL_LABEL_TEXT;
  } else {
    if (!want_string(l, v, what))
      return false;
    if (sval(v)[0] == '\0')
      type = DFL_LABEL_TEXT;
    for (size_t i = 0; i < sizeof label_types / sizeof label_types[0]; i++)
      if (strcmp(sval(v), label_types[i]) == 0)
        type = i;
  }
  if (type == sizeof label_types / sizeof label_types[0])
    return fail(l, v, "%s: unknown type '%s' for label '%s' (expected text, "
                      "url, semver, hash, rfc3339, spdx or email)",
                what, sval(v), sval(k));
  dfl_config *c = l->c;
  c->labels = dfl_xrealloc(c->labels, (c->nlabels + 1) * sizeof *c->labels);
  c->labels[c->nlabels].name = dfl_xstrndup(sval(k), strlen(sval(k)));
  c->labels[c->nlabels++].type = (dfl_label_type)type;
  return true;
}

static bool parse_labels(loader *l, const key_def *k, yaml_node_t *v)
{
  return each_pair(l, v, k->name, label_pair);
}

static bool mirror_pair(loader *l, const char *what, yaml_node_t *k,
                        yaml_node_t *v)
{
  if (!want_string(l, v, what))
    return false;
  if (strncmp(sval(v), "https://", 8) != 0 &&
      strncmp(sval(v), "http://", 7) != 0)
    return fail(l, v, "%s: the mirror of '%s' must be an http:// or https:// "
                      "URL, got '%s'",
                what, sval(k), sval(v));
  dfl_config *c = l->c;
  c->mirrors = dfl_xrealloc(c->mirrors, (c->nmirrors + 1) * sizeof *c->mirrors);
  c->mirrors[c->nmirrors].registry = dfl_xstrndup(sval(k), strlen(sval(k)));
  c->mirrors[c->nmirrors++].url = dfl_xstrndup(sval(v), strlen(sval(v)));
  return true;
}

static bool parse_mirrors(loader *l, const key_def *k, yaml_node_t *v)
{
  return each_pair(l, v, k->name, mirror_pair);
}

static bool parse_size(loader *l, const key_def *k, yaml_node_t *v)
{
  if (!want_string(l, v, k->name))
    return false;
  if (dfl_config_parse_size(sval(v), &l->c->context_size_threshold) != 0)
    return fail(l, v, "%s: expected a size like 50MB, 1.5GiB or a number of "
                      "bytes, got '%s'",
                k->name, sval(v));
  return true;
}

/* ---- printing (YAML out) ---- */

/* Plain when YAML would read the text back as the same string; otherwise
 * double-quoted. */
static void put_scalar(dfl_buf *b, const char *s)
{
  static const char *const reserved[] = {"true", "false", "yes", "no", "on",
                                         "off", "null", "y", "n"};
  bool plain = isalpha((unsigned char)s[0]) || s[0] == '_' || s[0] == '/';
  for (const char *p = s; *p && plain; p++)
    plain = isalnum((unsigned char)*p) || strchr("_-./", *p);
  for (size_t i = 0; i < sizeof reserved / sizeof reserved[0] && plain; i++)
    plain = strcasecmp(s, reserved[i]) != 0;
  if (plain) {
    dfl_buf_puts(b, s);
    return;
  }
  dfl_buf_putc(b, '"');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\')
      dfl_buf_printf(b, "\\%c", *p);
    else if (*p < 0x20 || *p == 0x7f)
      dfl_buf_printf(b, "\\x%02x", *p);
    else
      dfl_buf_putc(b, (char)*p);
  }
  dfl_buf_putc(b, '"');
}

/* A mapping key at indent 2. YAML caps implicit keys at 1024 characters
 * (libyaml refuses a longer one: "mapping values are not allowed"), and a
 * label name read from an explicit or multi-line key can be longer, so such
 * a key is written explicit: "? KEY", then ": VALUE" (the caller's) on the
 * next line. Bytes are compared: never fewer than characters. */
static void put_key(dfl_buf *b, const char *s)
{
  dfl_buf k;
  dfl_buf_init(&k);
  put_scalar(&k, s);
  if (k.len > 1000) {
    dfl_buf_puts(b, "? ");
    dfl_buf_append(b, k.data, k.len);
    dfl_buf_puts(b, "\n  ");
  } else {
    dfl_buf_append(b, k.data, k.len);
  }
  dfl_buf_free(&k);
}

static void put_list(dfl_buf *b, char *const *items, size_t n)
{
  dfl_buf_putc(b, '[');
  for (size_t i = 0; i < n; i++) {
    if (i)
      dfl_buf_puts(b, ", ");
    put_scalar(b, items[i]);
  }
  dfl_buf_putc(b, ']');
}

static void print_bool(const dfl_config *c, const key_def *k, dfl_buf *b)
{
  dfl_buf_puts(b, *CFIELD(c, k, bool) ? "true" : "false");
}

static void print_list(const dfl_config *c, const key_def *k, dfl_buf *b)
{
  const dfl_strlist *l = CFIELD(c, k, dfl_strlist);
  put_list(b, l->items, l->n);
}

static void print_override(const dfl_config *c, const key_def *k, dfl_buf *b)
{
  for (size_t i = 0; i < sizeof override_levels / sizeof override_levels[0];
       i++) {
    char **ids = dfl_xcalloc(c->noverrides + 1, sizeof *ids);
    size_t n = 0;
    for (size_t j = 0; j < c->noverrides; j++)
      if (c->override_sev[j] == override_levels[i].sev)
        ids[n++] = c->override_ids[j];
    dfl_buf_printf(b, "\n  %s: ", override_levels[i].name);
    put_list(b, ids, n);
    free(ids);
  }
}

static void print_threshold(const dfl_config *c, const key_def *k, dfl_buf *b)
{
  dfl_buf_puts(b, dfl_severity_name(c->failure_threshold));
}

static void print_format(const dfl_config *c, const key_def *k, dfl_buf *b)
{
  put_scalar(b, c->format);
}

static void print_labels(const dfl_config *c, const key_def *k, dfl_buf *b)
{
  if (!c->nlabels)
    dfl_buf_puts(b, "{}");
  for (size_t i = 0; i < c->nlabels; i++) {
    dfl_buf_puts(b, "\n  ");
    put_key(b, c->labels[i].name);
    dfl_buf_printf(b, ": %s", label_types[c->labels[i].type]);
  }
}

static void print_mirrors(const dfl_config *c, const key_def *k, dfl_buf *b)
{
  if (!c->nmirrors)
    dfl_buf_puts(b, "{}");
  for (size_t i = 0; i < c->nmirrors; i++) {
    dfl_buf_puts(b, "\n  ");
    put_key(b, c->mirrors[i].registry);
    dfl_buf_puts(b, ": ");
    put_scalar(b, c->mirrors[i].url);
  }
}

static void print_size(const dfl_config *c, const key_def *k, dfl_buf *b)
{
  if (dfl_config_is_set(c, k->name))
    dfl_buf_printf(b, "%llu",
                   (unsigned long long)c->context_size_threshold);
  else
    dfl_buf_puts(b, "null");
}

/* ---- the table ---- */

#define OFF(field) offsetof(dfl_config, field)

static const key_def keys[] = {
  {"ignore", NULL, parse_list, print_list, OFF(ignore), RULE_IDS | SELECTORS,
   NULL},
  {"ignored", "ignore", parse_list, NULL, OFF(ignore), RULE_IDS | SELECTORS,
   NULL},
  {"select", NULL, parse_list, print_list, OFF(select), RULE_IDS | SELECTORS,
   "empty: every rule that is on by default"},
  {"override", NULL, parse_override, print_override, 0, 0, NULL},
  {"disable-ignore-pragma", NULL, parse_bool, print_bool,
   OFF(disable_ignore_pragma), 0, NULL},
  {"failure-threshold", NULL, parse_threshold, print_threshold, 0, 0, NULL},
  {"no-fail", NULL, parse_bool, print_bool, OFF(no_fail), 0, NULL},
  {"format", NULL, set_format, print_format, 0, 0, NULL},
  {"formats", "format", parse_formats, NULL, 0, 0, NULL},
  {"no-color", NULL, parse_bool, print_bool, OFF(no_color), 0, NULL},
  {"verbose", NULL, parse_bool, print_bool, OFF(verbose), 0,
   "read for hadolint compatibility; no effect"},
  {"trustedRegistries", NULL, parse_list, print_list,
   OFF(trusted_registries), 0, "for DL3026"},
  {"label-schema", NULL, parse_labels, print_labels, 0, 0,
   "for hadolint's label rules DL3049-DL3058"},
  {"strict-labels", NULL, parse_bool, print_bool, OFF(strict_labels), 0,
   "for DL3050"},
  {"online", NULL, parse_bool, print_bool, OFF(online), 0,
   "dflint check asks the registries (as --online)"},
  {"registry-mirrors", NULL, parse_mirrors, print_mirrors, 0, 0,
   "for dflint check --online, after --registry-mirror ones"},
  {"context-size-threshold", NULL, parse_size, print_size, 0, 0,
   "bytes; for DF106"},
};

#define NKEYS (sizeof keys / sizeof keys[0])
_Static_assert(NKEYS <= 32, "dfl_config.set has one bit per key");

static const key_def *find_key(const char *name)
{
  for (size_t i = 0; i < NKEYS; i++)
    if (strcmp(keys[i].name, name) == 0)
      return &keys[i];
  return NULL;
}

bool dfl_config_is_set(const dfl_config *c, const char *key)
{
  const key_def *k = find_key(key);
  if (!k)
    return false;
  const char *setting = k->alias_of ? k->alias_of : k->name;
  for (size_t i = 0; i < NKEYS; i++)
    if ((c->set & (1u << i)) &&
        (strcmp(keys[i].name, setting) == 0 ||
         (keys[i].alias_of && strcmp(keys[i].alias_of, setting) == 0)))
      return true;
  return false;
}

static bool top_pair(loader *l, const char *what, yaml_node_t *k,
                     yaml_node_t *v)
{
  const key_def *def = find_key(sval(k));
  if (!def) {
    const char *best = NULL;
    int best_d = 4;
    for (size_t i = 0; i < NKEYS; i++) {
      int d = dfl_levenshtein(sval(k), strlen(sval(k)), keys[i].name,
                              strlen(keys[i].name));
      if (d < best_d) {
        best_d = d;
        best = keys[i].name;
      }
    }
    if (best)
      return fail(l, k, "unknown key '%s' (did you mean %s?)", sval(k), best);
    return fail(l, k, "unknown key '%s' (see docs/configuration.md)",
                sval(k));
  }
  if (is_null(v))
    return true;
  if (!def->parse(l, def, v))
    return false;
  l->c->set |= 1u << (def - keys);
  return true;
}

/* ---- entry points ---- */

void dfl_config_init(dfl_config *c)
{
  memset(c, 0, sizeof *c);
  c->failure_threshold = DFL_SEV_INFO;
  c->format = "text";
}

void dfl_config_free(dfl_config *c)
{
  free(c->path);
  strlist_free(&c->ignore);
  strlist_free(&c->select);
  for (size_t i = 0; i < c->noverrides; i++)
    free(c->override_ids[i]);
  free(c->override_ids);
  free(c->override_sev);
  strlist_free(&c->trusted_registries);
  for (size_t i = 0; i < c->nlabels; i++)
    free(c->labels[i].name);
  free(c->labels);
  for (size_t i = 0; i < c->nmirrors; i++) {
    free(c->mirrors[i].registry);
    free(c->mirrors[i].url);
  }
  free(c->mirrors);
  strlist_free(&c->warnings);
  memset(c, 0, sizeof *c);
}

static char *syntax_error(const char *name, const yaml_parser_t *p)
{
  dfl_buf b;
  dfl_buf_init(&b);
  if (p->error == YAML_MEMORY_ERROR) {
    dfl_buf_printf(&b, "%s: error: out of memory reading YAML", name);
    return dfl_buf_take(&b);
  }
  dfl_buf_printf(&b, "%s:%zu:%zu: error: YAML syntax error: %s", name,
                 p->problem_mark.line + 1, p->problem_mark.column + 1,
                 p->problem ? p->problem : "malformed input");
  if (p->context)
    dfl_buf_printf(&b, " (%s at line %zu, column %zu)", p->context,
                   p->context_mark.line + 1, p->context_mark.column + 1);
  return dfl_buf_take(&b);
}

int dfl_config_parse(const char *text, size_t len, const char *name,
                     dfl_config *c, char **err)
{
  *err = NULL;
  yaml_parser_t parser;
  yaml_document_t doc;
  if (!yaml_parser_initialize(&parser)) {
    *err = syntax_error(name, &parser);
    return -1;
  }
  yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
  if (!yaml_parser_load(&parser, &doc)) {
    *err = syntax_error(name, &parser);
    yaml_parser_delete(&parser);
    return -1;
  }
  loader l = {c, name, NULL, &doc};
  yaml_node_t *root = yaml_document_get_root_node(&doc);
  /* No root: an empty file or only comments, a valid empty config. */
  if (root && !is_null(root))
    each_pair(&l, root, "the configuration", top_pair);
  if (!l.err) {
    /* A second document would be ignored without a word: refuse it. */
    yaml_document_t next;
    if (!yaml_parser_load(&parser, &next)) {
      l.err = syntax_error(name, &parser);
    } else {
      yaml_node_t *r2 = yaml_document_get_root_node(&next);
      if (r2 && !is_null(r2)) {
        l.doc = &next;
        fail(&l, r2, "a second YAML document; a configuration file holds "
                     "one");
      }
      yaml_document_delete(&next);
    }
  }
  yaml_document_delete(&doc);
  yaml_parser_delete(&parser);
  if (l.err) {
    *err = l.err;
    return -1;
  }
  return 0;
}

int dfl_config_load(const char *path, dfl_config *c, char **err)
{
  char *data, *io_err;
  size_t len;
  if (dfl_read_input(path, CONFIG_MAX_BYTES, &data, &len, &io_err) != 0) {
    dfl_buf b;
    dfl_buf_init(&b);
    /* io_err starts with the path: "x: is a directory". */
    dfl_buf_printf(&b, "configuration file %s", io_err);
    free(io_err);
    *err = dfl_buf_take(&b);
    return -1;
  }
  int rc = dfl_config_parse(data, len, path, c, err);
  free(data);
  if (rc == 0) {
    free(c->path);
    c->path = dfl_xstrndup(path, strlen(path));
  }
  return rc;
}

void dfl_config_apply_lint(const dfl_config *c, dfl_lint_options *lo)
{
  dfl_selection *sel = &lo->sel;
  if (!sel->nselect && c->select.n) {
    sel->select = dfl_xrealloc(sel->select, c->select.n * sizeof *sel->select);
    for (size_t i = 0; i < c->select.n; i++)
      sel->select[sel->nselect++] =
          dfl_xstrndup(c->select.items[i], strlen(c->select.items[i]));
  }
  if (c->ignore.n) {
    sel->ignore = dfl_xrealloc(sel->ignore, (sel->nignore + c->ignore.n) *
                                                sizeof *sel->ignore);
    for (size_t i = 0; i < c->ignore.n; i++)
      sel->ignore[sel->nignore++] =
          dfl_xstrndup(c->ignore.items[i], strlen(c->ignore.items[i]));
  }
  if (c->noverrides) {
    /* The engine takes the first match: the options' own overrides (from
     * the command line, when it has them) stay in front. */
    size_t n = lo->noverrides + c->noverrides;
    lo->override_ids = dfl_xrealloc(lo->override_ids, n * sizeof *lo->override_ids);
    lo->override_sev = dfl_xrealloc(lo->override_sev, n * sizeof *lo->override_sev);
    for (size_t i = 0; i < c->noverrides; i++) {
      lo->override_ids[lo->noverrides] =
          dfl_xstrndup(c->override_ids[i], strlen(c->override_ids[i]));
      lo->override_sev[lo->noverrides++] = c->override_sev[i];
    }
  }
  if (c->disable_ignore_pragma)
    lo->disable_ignore_pragma = true;
}

void dfl_config_write_yaml(const dfl_config *c, dfl_buf *out)
{
  for (size_t i = 0; i < NKEYS; i++) {
    const key_def *k = &keys[i];
    if (!k->print)
      continue;
    bool set = dfl_config_is_set(c, k->name);
    dfl_buf body;
    dfl_buf_init(&body);
    k->print(c, k, &body);
    const char *text = dfl_buf_cstr(&body);
    /* A block value (override, maps) starts on the next line, so the
     * comment goes after the key. */
    bool block = text[0] == '\n';
    dfl_buf_printf(out, "%s:%s", k->name, block ? "" : " ");
    if (!block)
      dfl_buf_puts(out, text);
    if (!set || k->note)
      dfl_buf_printf(out, "  # %s%s%s", set ? "" : "default",
                     !set && k->note ? "; " : "", k->note ? k->note : "");
    if (block)
      dfl_buf_puts(out, text);
    dfl_buf_putc(out, '\n');
    dfl_buf_free(&body);
  }
}

int dfl_config_parse_size(const char *s, uint64_t *out)
{
  static const struct {
    const char *unit;
    uint64_t mult;
  } units[] = {
    {"", 1}, {"b", 1},
    {"kb", 1000ull}, {"mb", 1000000ull}, {"gb", 1000000000ull},
    {"tb", 1000000000000ull},
    {"kib", 1ull << 10}, {"mib", 1ull << 20}, {"gib", 1ull << 30},
    {"tib", 1ull << 40},
  };
  const char *p = s;
  while (*p == ' ')
    p++;
  if (!isdigit((unsigned char)*p))
    return -1;
  uint64_t whole = 0;
  for (; isdigit((unsigned char)*p); p++) {
    uint64_t d = (uint64_t)(*p - '0');
    if (whole > (UINT64_MAX - d) / 10)
      return -1;
    whole = whole * 10 + d;
  }
  /* The fraction as digits/10^ndigits, at most nine digits: enough for
   * "1.5GiB", small enough not to overflow below. */
  uint64_t frac = 0, scale = 1;
  if (*p == '.') {
    p++;
    if (!isdigit((unsigned char)*p))
      return -1;
    for (; isdigit((unsigned char)*p); p++)
      if (scale < 1000000000ull) {
        frac = frac * 10 + (uint64_t)(*p - '0');
        scale *= 10;
      }
  }
  while (*p == ' ')
    p++;
  size_t n = strlen(p);
  while (n && p[n - 1] == ' ')
    n--;
  for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
    if (strlen(units[i].unit) != n || strncasecmp(p, units[i].unit, n) != 0)
      continue;
    uint64_t m = units[i].mult;
    if (frac && m == 1)
      return -1; /* a fraction of a byte */
    if (whole > UINT64_MAX / m)
      return -1;
    uint64_t v = whole * m;
    /* frac/scale of m without floating point: frac < scale <= 1e9, so
     * frac * (m / scale) < m and frac * (m % scale) < 1e18. */
    uint64_t extra = frac * (m / scale) + frac * (m % scale) / scale;
    if (v > UINT64_MAX - extra)
      return -1;
    *out = v + extra;
    return 0;
  }
  return -1;
}
