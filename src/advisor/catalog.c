/* The base-image catalog: the built-in table generated from
 * data/catalog.tsv, a loader for replacement TSV files, and lookups.
 *
 * Both the generator (scripts/gen-catalog.sh) and the loader produce the
 * same three sorted arrays, so lookups never sort or parse anything:
 *   entries     by repository; a repository's exact tags first, sorted by
 *               tag; then its tag patterns, most specific first;
 *   repos       one record per repository: name and its slice of entries;
 *   by_runtime  indices of entries with a runtime, by runtime key, heavier
 *               kind first, then known smaller size.
 * entry_cmp and runtime_cmp below are the definition of those orders; the
 * awk in gen-catalog.sh mirrors them and test_catalog checks they agree. */
#include "dflint/catalog.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct catalog_repo {
  const char *name;
  uint32_t first;   /* index of its first entry */
  uint32_t n_exact; /* its exact-tag entries come first */
  uint32_t count;   /* all its entries */
} catalog_repo;

#include "catalog_data.inc"

struct dfl_catalog {
  const dfl_catalog_entry *entries;
  size_t n;
  const catalog_repo *repos;
  size_t n_repos;
  const uint32_t *by_runtime;
  size_t n_runtime;
  /* Owned memory of a loaded catalog (NULL for the built-in one): the file
   * text, whose fields the entries point into, and the three arrays. */
  char *text;
  dfl_catalog_entry *own_entries;
  catalog_repo *own_repos;
  uint32_t *own_runtime;
};

static const dfl_catalog builtin = {
  builtin_entries, sizeof builtin_entries / sizeof builtin_entries[0],
  builtin_repos, sizeof builtin_repos / sizeof builtin_repos[0],
  builtin_by_runtime, BUILTIN_BY_RUNTIME_COUNT,
  NULL, NULL, NULL, NULL,
};

const dfl_catalog *dfl_catalog_builtin(void)
{
  return &builtin;
}

size_t dfl_catalog_count(const dfl_catalog *cat)
{
  return cat->n;
}

const dfl_catalog_entry *dfl_catalog_at(const dfl_catalog *cat, size_t i)
{
  return i < cat->n ? &cat->entries[i] : NULL;
}

/* ---- names of the enum values (the TSV spelling) ------------------------ */

static const char *const family_names[] = {
  "alpine", "debian", "ubuntu", "distroless", "scratch", "busybox",
  "chainguard", "other",
};
static const char *const libc_names[] = {"glibc", "musl", "none"};
static const char *const pkg_names[] = {"none", "apk", "apt", "dnf", "microdnf"};
/* Indexed by dfl_cat_kind, which starts at 1. */
static const char *const kind_names[] = {
  "", "static", "distroless", "alpine", "slim", "runtime", "full", "sdk",
};
static const char *const size_status_names[] = {"unknown", "sourced", "estimated"};

#define NAMES(a) (sizeof(a) / sizeof((a)[0]))

static const char *name_of(const char *const *names, size_t n, unsigned v)
{
  return v < n && names[v][0] ? names[v] : "?";
}

const char *dfl_cat_family_name(dfl_cat_family f)
{
  return name_of(family_names, NAMES(family_names), (unsigned)f);
}

const char *dfl_cat_libc_name(dfl_cat_libc l)
{
  return name_of(libc_names, NAMES(libc_names), (unsigned)l);
}

const char *dfl_cat_pkg_name(dfl_cat_pkg p)
{
  return name_of(pkg_names, NAMES(pkg_names), (unsigned)p);
}

const char *dfl_cat_kind_name(dfl_cat_kind k)
{
  return name_of(kind_names, NAMES(kind_names), (unsigned)k);
}

const char *dfl_cat_size_status_name(dfl_cat_size_status s)
{
  return name_of(size_status_names, NAMES(size_status_names), (unsigned)s);
}

/* ---- dates and tag patterns --------------------------------------------- */

static bool is_digit(char c)
{
  return c >= '0' && c <= '9';
}

int32_t dfl_catalog_parse_date(const char *s, size_t len)
{
  if (len != 10 || s[4] != '-' || s[7] != '-')
    return 0;
  for (size_t i = 0; i < len; i++)
    if (i != 4 && i != 7 && !is_digit(s[i]))
      return 0;
  int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  int m = (s[5] - '0') * 10 + (s[6] - '0');
  int d = (s[8] - '0') * 10 + (s[9] - '0');
  static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1900 || m < 1 || m > 12 || d < 1)
    return 0;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > dim[m - 1] + (m == 2 && leap))
    return 0;
  return (int32_t)y * 10000 + m * 100 + d;
}

int dfl_catalog_is_eol(const dfl_catalog_entry *e, int32_t today_ymd)
{
  if (e->eol_ymd == 0)
    return -1;
  return e->eol_ymd <= today_ymd;
}

bool dfl_catalog_tag_match(const char *pattern, const char *tag)
{
  /* Greedy match with backtracking to the last '*': enough for globs with
   * '*' only, and linear for the patterns the catalog uses. */
  const char *p = pattern, *s = tag, *star = NULL, *retry = NULL;
  while (*s) {
    if (*p == '*') {
      star = p++;
      retry = s;
    } else if (*p == *s) {
      p++;
      s++;
    } else if (star) {
      p = star + 1;
      s = ++retry;
    } else {
      return false;
    }
  }
  while (*p == '*')
    p++;
  return *p == '\0';
}

/* ---- orders (mirrored by scripts/gen-catalog.sh) ------------------------ */

static int entry_cmp(const dfl_catalog_entry *a, const dfl_catalog_entry *b)
{
  int c = strcmp(a->repository, b->repository);
  if (c)
    return c;
  bool ea = a->wildcards == 0, eb = b->wildcards == 0;
  if (ea != eb)
    return ea ? -1 : 1;
  if (ea)
    return strcmp(a->tag, b->tag);
  if (a->literal != b->literal)
    return a->literal > b->literal ? -1 : 1;
  if (a->wildcards != b->wildcards)
    return a->wildcards < b->wildcards ? -1 : 1;
  return a->line < b->line ? -1 : a->line > b->line;
}

static int key_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
  int c = memcmp(a, b, alen < blen ? alen : blen);
  if (c)
    return c;
  return alen < blen ? -1 : alen > blen;
}

static int runtime_cmp(const dfl_catalog_entry *a, size_t ia,
                       const dfl_catalog_entry *b, size_t ib)
{
  int c = key_cmp(a->runtime, a->runtime_key_len, b->runtime, b->runtime_key_len);
  if (c)
    return c;
  if (a->kind != b->kind)
    return a->kind > b->kind ? -1 : 1;
  bool ua = a->size_amd64 < 0, ub = b->size_amd64 < 0;
  if (ua != ub)
    return ua ? 1 : -1;
  if (!ua && a->size_amd64 != b->size_amd64)
    return a->size_amd64 < b->size_amd64 ? -1 : 1;
  return ia < ib ? -1 : ia > ib;
}

/* The runtime key: its first two words ("java 21" of "java 21 jre"). */
static size_t runtime_key_len(const char *rt)
{
  const char *sp = strchr(rt, ' ');
  if (!sp)
    return strlen(rt);
  const char *sp2 = strchr(sp + 1, ' ');
  return sp2 ? (size_t)(sp2 - rt) : strlen(rt);
}

/* ---- lookups ------------------------------------------------------------ */

/* strcmp of "domain/path" (just path when domain is "") against name,
 * without building the string. */
static int name_cmp(const dfl_image_ref *ref, const char *name)
{
  const char *parts[3] = {ref->domain, "/", ref->path};
  int first = ref->domain && ref->domain[0] ? 0 : 2;
  const unsigned char *n = (const unsigned char *)name;
  for (int i = first; i < 3; i++)
    for (const unsigned char *p = (const unsigned char *)parts[i]; *p; p++, n++)
      if (*p != *n)
        return *p < *n ? -1 : 1;
  return *n ? -1 : 0;
}

static const catalog_repo *find_repo(const dfl_catalog *cat, const dfl_image_ref *ref)
{
  size_t lo = 0, hi = cat->n_repos;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = name_cmp(ref, cat->repos[mid].name);
    if (c == 0)
      return &cat->repos[mid];
    if (c < 0)
      hi = mid;
    else
      lo = mid + 1;
  }
  return NULL;
}

static const dfl_catalog_entry *find_in_repo(const dfl_catalog *cat,
                                             const catalog_repo *r,
                                             const char *tag)
{
  const dfl_catalog_entry *e = cat->entries + r->first;
  size_t lo = 0, hi = r->n_exact;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(tag, e[mid].tag);
    if (c == 0)
      return &e[mid];
    if (c < 0)
      hi = mid;
    else
      lo = mid + 1;
  }
  /* Patterns are stored most specific first, so the first match wins. */
  for (size_t i = r->n_exact; i < r->count; i++)
    if (dfl_catalog_tag_match(e[i].tag, tag))
      return &e[i];
  return NULL;
}

/* Well-known pull-through mirrors of Docker Hub's official images serve the
 * same content: mirror.gcr.io/library/node is docker.io/library/node. */
static const char *const hub_mirrors[][2] = {
  {"mirror.gcr.io", "library/"},
  {"public.ecr.aws", "docker/library/"},
};

int dfl_catalog_lookup_ref(const dfl_catalog *cat, const dfl_image_ref *ref,
                           dfl_catalog_match *out)
{
  memset(out, 0, sizeof *out);
  const catalog_repo *r = find_repo(cat, ref);
  for (size_t m = 0; !r && ref->domain &&
                     m < sizeof hub_mirrors / sizeof hub_mirrors[0];
       m++) {
    size_t pl = strlen(hub_mirrors[m][1]);
    if (strcmp(ref->domain, hub_mirrors[m][0]) != 0 ||
        strncmp(ref->path, hub_mirrors[m][1], pl) != 0)
      continue;
    char path[512];
    snprintf(path, sizeof path, "library/%s", ref->path + pl);
    dfl_image_ref hub = *ref;
    hub.domain = (char *)"docker.io";
    hub.path = path;
    r = find_repo(cat, &hub);
  }
  if (!r)
    return 0;
  out->repository_known = true;
  if (ref->digest) {
    /* The digest decides the content whatever tag is written beside it, and
     * it says nothing about the variant: only the generic row applies. */
    const dfl_catalog_entry *e = cat->entries + r->first;
    for (size_t i = r->n_exact; i < r->count; i++)
      if (strcmp(e[i].tag, "*") == 0)
        out->entry = &e[i];
    return out->entry != NULL;
  }
  out->tag_known = true;
  out->tag_implicit = ref->tag == NULL;
  out->entry = find_in_repo(cat, r, ref->tag ? ref->tag : "latest");
  return out->entry != NULL;
}

int dfl_catalog_lookup(const dfl_catalog *cat, const char *ref,
                       dfl_catalog_match *out, char **err)
{
  dfl_image_ref parsed;
  if (dfl_image_ref_parse(ref, strlen(ref), &parsed, err) != 0) {
    memset(out, 0, sizeof *out);
    return -1;
  }
  int found = dfl_catalog_lookup_ref(cat, &parsed, out);
  dfl_image_ref_free(&parsed);
  return found;
}

/* First index in by_runtime whose key is not below (key, len). */
static size_t runtime_lower_bound(const dfl_catalog *cat, const char *key,
                                  size_t len)
{
  size_t lo = 0, hi = cat->n_runtime;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const dfl_catalog_entry *e = &cat->entries[cat->by_runtime[mid]];
    if (key_cmp(e->runtime, e->runtime_key_len, key, len) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

static bool runtime_is(const dfl_catalog *cat, size_t i, const char *key,
                       size_t len)
{
  const dfl_catalog_entry *e = &cat->entries[cat->by_runtime[i]];
  return key_cmp(e->runtime, e->runtime_key_len, key, len) == 0;
}

static size_t copy_range(const dfl_catalog *cat, size_t from, size_t to,
                         const dfl_catalog_entry **out, size_t max)
{
  for (size_t i = from; i < to && i - from < max; i++)
    out[i - from] = &cat->entries[cat->by_runtime[i]];
  return to - from;
}

size_t dfl_catalog_by_runtime(const dfl_catalog *cat, const char *runtime,
                              const dfl_catalog_entry **out, size_t max)
{
  size_t len = runtime_key_len(runtime);
  if (len == 0)
    return 0;
  size_t lo = runtime_lower_bound(cat, runtime, len), hi = lo;
  while (hi < cat->n_runtime && runtime_is(cat, hi, runtime, len))
    hi++;
  return copy_range(cat, lo, hi, out, max);
}

size_t dfl_catalog_alternatives(const dfl_catalog *cat,
                                const dfl_catalog_entry *e,
                                const dfl_catalog_entry **out, size_t max)
{
  if (e->runtime_key_len == 0)
    return 0;
  size_t lo = runtime_lower_bound(cat, e->runtime, e->runtime_key_len);
  /* Within one runtime the rows run from heavy to light kinds: skip to the
   * first lighter than e, the rest of the run is the answer. */
  while (lo < cat->n_runtime && runtime_is(cat, lo, e->runtime, e->runtime_key_len) &&
         cat->entries[cat->by_runtime[lo]].kind >= e->kind)
    lo++;
  size_t hi = lo;
  while (hi < cat->n_runtime && runtime_is(cat, hi, e->runtime, e->runtime_key_len))
    hi++;
  return copy_range(cat, lo, hi, out, max);
}

/* ---- loading a TSV ------------------------------------------------------ */

enum {
  COL_REPOSITORY, COL_TAG, COL_FAMILY, COL_LIBC, COL_SHELL, COL_PKG, COL_USER,
  COL_CC, COL_RUNTIME, COL_KIND, COL_AMD64, COL_ARM64, COL_SIZE_STATUS,
  COL_SIZE_AS_OF, COL_SIZE_SOURCE, COL_EOL, COL_EOL_SOURCE, COL_SOURCE,
  NCOLS
};

static const char *const header_names[NCOLS] = {
  "repository", "tag", "family", "libc", "shell", "pkg", "user", "cc",
  "runtime", "kind", "amd64_bytes", "arm64_bytes", "size_status",
  "size_as_of", "size_source", "eol", "eol_source", "source",
};

typedef struct loader {
  const char *name;
  char **err;
  unsigned line;
} loader;

/* Sets *err to "NAME:LINE:COL: message"; returns -1. */
static int fail(loader *ld, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(loader *ld, size_t col, const char *fmt, ...)
{
  if (!ld->err)
    return -1;
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  size_t need = strlen(ld->name) + strlen(msg) + 48;
  *ld->err = malloc(need);
  if (*ld->err)
    snprintf(*ld->err, need, "%s:%u:%zu: %s", ld->name, ld->line, col, msg);
  return -1;
}

/* Index of v in names, or -1. */
static int lookup_name(const char *const *names, size_t n, const char *v)
{
  for (size_t i = 0; i < n; i++)
    if (names[i][0] && strcmp(names[i], v) == 0)
      return (int)i;
  return -1;
}

static int parse_enum(loader *ld, const char *v, size_t col, const char *what,
                      const char *const *names, size_t n, const char *list,
                      uint8_t *out)
{
  int i = lookup_name(names, n, v);
  if (i < 0)
    return fail(ld, col, "invalid %s \"%s\" (expected %s)", what, v, list);
  *out = (uint8_t)i;
  return 0;
}

static int parse_yesno(loader *ld, const char *v, size_t col, const char *what,
                       bool *out)
{
  if (strcmp(v, "yes") != 0 && strcmp(v, "no") != 0)
    return fail(ld, col, "%s must be yes or no, not \"%s\"", what, v);
  *out = v[0] == 'y';
  return 0;
}

static int parse_size(loader *ld, const char *v, size_t col, int64_t *out)
{
  *out = -1;
  if (!v[0])
    return 0;
  size_t n = strlen(v);
  bool ok = n <= 15;
  for (size_t i = 0; ok && i < n; i++)
    ok = is_digit(v[i]);
  if (!ok)
    return fail(ld, col, "size must be a byte count (digits only), not \"%s\"", v);
  int64_t x = 0;
  for (size_t i = 0; i < n; i++)
    x = x * 10 + (v[i] - '0');
  *out = x;
  return 0;
}

static int parse_date_field(loader *ld, const char *v, size_t col,
                            const char *what, int32_t *out)
{
  *out = 0;
  if (!v[0])
    return 0;
  *out = dfl_catalog_parse_date(v, strlen(v));
  if (!*out)
    return fail(ld, col, "%s must be a YYYY-MM-DD date, not \"%s\"", what, v);
  return 0;
}

static bool is_tag_char(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) ||
         c == '_' || c == '.' || c == '-' || c == '*';
}

static int check_repository(loader *ld, const char *v, size_t col)
{
  dfl_image_ref ref;
  bool ok = dfl_image_ref_parse(v, strlen(v), &ref, NULL) == 0;
  if (ok) {
    char *name = dfl_image_ref_name(&ref);
    ok = ref.domain[0] && !ref.tag && !ref.digest && name && strcmp(name, v) == 0;
    free(name);
    dfl_image_ref_free(&ref);
  }
  if (!ok)
    return fail(ld, col, "repository must be a normalized name such as "
                         "docker.io/library/node, not \"%s\"", v);
  return 0;
}

static int check_tag(loader *ld, const char *v, size_t col, dfl_catalog_entry *e)
{
  size_t n = strlen(v);
  bool ok = n > 0 && n <= 128 && v[0] != '.' && v[0] != '-';
  unsigned lit = 0, wild = 0;
  for (size_t i = 0; ok && i < n; i++) {
    ok = is_tag_char(v[i]);
    if (v[i] == '*')
      wild++;
    else
      lit++;
  }
  if (!ok)
    return fail(ld, col, "tag pattern must be tag characters and \"*\", not \"%s\"", v);
  e->literal = (uint8_t)lit;
  e->wildcards = (uint8_t)wild;
  return 0;
}

static int check_runtime(loader *ld, const char *v, size_t col)
{
  size_t n = strlen(v);
  bool ok = n == 0 || (v[0] != ' ' && v[n - 1] != ' ');
  for (size_t i = 0; ok && i < n; i++)
    ok = v[i] >= ' ' && v[i] <= '~' && !(v[i] == ' ' && v[i + 1] == ' ');
  if (!ok)
    return fail(ld, col, "runtime must be printable ASCII words separated by single spaces");
  return 0;
}

/* One data row: fields[] are NUL-terminated pieces of the line, cols[] their
 * 1-based byte columns. */
static int parse_row(loader *ld, char **f, const size_t *cols, dfl_catalog_entry *e)
{
  memset(e, 0, sizeof *e);
  e->line = ld->line;
  if (check_repository(ld, f[COL_REPOSITORY], cols[COL_REPOSITORY]) ||
      check_tag(ld, f[COL_TAG], cols[COL_TAG], e))
    return -1;
  e->repository = f[COL_REPOSITORY];
  e->tag = f[COL_TAG];
  if (parse_enum(ld, f[COL_FAMILY], cols[COL_FAMILY], "family", family_names,
                 NAMES(family_names),
                 "alpine debian ubuntu distroless scratch busybox chainguard other",
                 &e->family) ||
      parse_enum(ld, f[COL_LIBC], cols[COL_LIBC], "libc", libc_names,
                 NAMES(libc_names), "glibc musl none", &e->libc) ||
      parse_yesno(ld, f[COL_SHELL], cols[COL_SHELL], "shell", &e->shell) ||
      parse_enum(ld, f[COL_PKG], cols[COL_PKG], "package manager", pkg_names,
                 NAMES(pkg_names), "apk apt dnf microdnf none", &e->pkg))
    return -1;
  if (strcmp(f[COL_USER], "root") != 0 && strcmp(f[COL_USER], "nonroot") != 0)
    return fail(ld, cols[COL_USER], "user must be root or nonroot, not \"%s\"", f[COL_USER]);
  e->nonroot = f[COL_USER][0] == 'n';
  if (parse_yesno(ld, f[COL_CC], cols[COL_CC], "cc", &e->cc) ||
      check_runtime(ld, f[COL_RUNTIME], cols[COL_RUNTIME]) ||
      parse_enum(ld, f[COL_KIND], cols[COL_KIND], "kind", kind_names,
                 NAMES(kind_names), "full slim alpine distroless static sdk runtime",
                 &e->kind) ||
      parse_size(ld, f[COL_AMD64], cols[COL_AMD64], &e->size_amd64) ||
      parse_size(ld, f[COL_ARM64], cols[COL_ARM64], &e->size_arm64) ||
      parse_enum(ld, f[COL_SIZE_STATUS], cols[COL_SIZE_STATUS], "size status",
                 size_status_names, NAMES(size_status_names),
                 "sourced estimated unknown", &e->size_status))
    return -1;
  e->runtime = f[COL_RUNTIME];
  e->runtime_key_len = (uint16_t)runtime_key_len(e->runtime);
  int32_t as_of;
  if (parse_date_field(ld, f[COL_SIZE_AS_OF], cols[COL_SIZE_AS_OF], "size_as_of", &as_of))
    return -1;
  e->size_as_of = f[COL_SIZE_AS_OF];
  e->size_source = f[COL_SIZE_SOURCE];
  const char *st = f[COL_SIZE_STATUS];
  if (e->size_status == DFL_CAT_SIZE_UNKNOWN) {
    if (e->size_amd64 >= 0)
      return fail(ld, cols[COL_AMD64], "size status unknown but a size is given");
    if (e->size_arm64 >= 0)
      return fail(ld, cols[COL_ARM64], "size status unknown but a size is given");
    if (as_of)
      return fail(ld, cols[COL_SIZE_AS_OF], "size status unknown but size_as_of is given");
    if (e->size_source[0])
      return fail(ld, cols[COL_SIZE_SOURCE], "size status unknown but size_source is given");
  } else {
    if (e->size_amd64 < 0)
      return fail(ld, cols[COL_AMD64], "size status %s needs the amd64 size", st);
    if (!e->size_source[0])
      return fail(ld, cols[COL_SIZE_SOURCE], "size status %s needs size_source", st);
  }
  if (parse_date_field(ld, f[COL_EOL], cols[COL_EOL], "eol", &e->eol_ymd))
    return -1;
  e->eol = f[COL_EOL];
  e->eol_source = f[COL_EOL_SOURCE];
  if (e->eol[0] && !e->eol_source[0])
    return fail(ld, cols[COL_EOL_SOURCE], "eol date without eol_source");
  if (!e->eol[0] && e->eol_source[0])
    return fail(ld, cols[COL_EOL_SOURCE], "eol_source without an eol date");
  e->source = f[COL_SOURCE];
  if (!e->source[0])
    return fail(ld, cols[COL_SOURCE],
                "source is empty: every row must say where it comes from");
  return 0;
}

/* Splits line (NUL-terminated, no newline) at tabs in place. Returns the
 * field count, at most max; *extra_col is the column of field max+1. */
static size_t split_fields(char *line, char **f, size_t *cols, size_t max,
                           size_t *extra_col)
{
  size_t n = 0;
  char *p = line;
  *extra_col = 0;
  for (;;) {
    char *tab = strchr(p, '\t');
    if (n < max) {
      f[n] = p;
      cols[n] = (size_t)(p - line) + 1;
    } else if (n == max) {
      *extra_col = (size_t)(p - line) + 1;
    }
    n++;
    if (!tab)
      break;
    if (n <= max)
      *tab = '\0';
    p = tab + 1;
  }
  return n;
}

static int qsort_entry_cmp(const void *a, const void *b)
{
  return entry_cmp(a, b);
}

/* qsort has no context argument: the entries being indexed. */
static const dfl_catalog_entry *sort_entries;

static int qsort_runtime_cmp(const void *a, const void *b)
{
  uint32_t ia = *(const uint32_t *)a, ib = *(const uint32_t *)b;
  return runtime_cmp(&sort_entries[ia], ia, &sort_entries[ib], ib);
}

static int build_indexes(dfl_catalog *cat, dfl_catalog_entry *entries, size_t n)
{
  qsort(entries, n, sizeof *entries, qsort_entry_cmp);
  size_t n_repos = 0, n_rt = 0;
  for (size_t i = 0; i < n; i++) {
    if (i == 0 || strcmp(entries[i].repository, entries[i - 1].repository) != 0)
      n_repos++;
    if (entries[i].runtime_key_len)
      n_rt++;
  }
  catalog_repo *repos = calloc(n_repos ? n_repos : 1, sizeof *repos);
  uint32_t *rt = calloc(n_rt ? n_rt : 1, sizeof *rt);
  if (!repos || !rt) {
    free(repos);
    free(rt);
    return -1;
  }
  size_t r = 0, k = 0;
  for (size_t i = 0; i < n; i++) {
    if (i == 0 || strcmp(entries[i].repository, entries[i - 1].repository) != 0)
      repos[r++] = (catalog_repo){entries[i].repository, (uint32_t)i, 0, 0};
    repos[r - 1].count++;
    if (entries[i].wildcards == 0)
      repos[r - 1].n_exact++;
    if (entries[i].runtime_key_len)
      rt[k++] = (uint32_t)i;
  }
  sort_entries = entries;
  qsort(rt, n_rt, sizeof *rt, qsort_runtime_cmp);
  sort_entries = NULL;
  cat->entries = cat->own_entries = entries;
  cat->n = n;
  cat->repos = cat->own_repos = repos;
  cat->n_repos = n_repos;
  cat->by_runtime = cat->own_runtime = rt;
  cat->n_runtime = n_rt;
  return 0;
}

/* Rows with the same repository and tag. Sorted rows put equal exact tags
 * side by side, but equal patterns only within a run of equal specificity,
 * so those runs are compared pairwise (they are short). The pair reported
 * is the one whose second row comes first in the file, as the generator
 * reports it. */
static int check_duplicates(loader *ld, const dfl_catalog_entry *e, size_t n)
{
  const dfl_catalog_entry *worst = NULL, *first = NULL;
  for (size_t i = 0; i < n; i++)
    for (size_t j = i + 1; j < n; j++) {
      if (strcmp(e[i].repository, e[j].repository) != 0 ||
          e[i].literal != e[j].literal || e[i].wildcards != e[j].wildcards ||
          (e[i].wildcards == 0 && strcmp(e[i].tag, e[j].tag) != 0))
        break;
      if (strcmp(e[i].tag, e[j].tag) != 0)
        continue;
      const dfl_catalog_entry *later = e[i].line > e[j].line ? &e[i] : &e[j];
      if (!worst || later->line < worst->line) {
        worst = later;
        first = later == &e[i] ? &e[j] : &e[i];
      }
    }
  if (!worst)
    return 0;
  ld->line = worst->line;
  /* The tag is the second field, right after the repository and a tab. */
  return fail(ld, strlen(worst->repository) + 2,
              "duplicate row for %s:%s (first on line %u)", worst->repository,
              worst->tag, first->line);
}

int dfl_catalog_load_mem(const char *name, const char *data, size_t len,
                         dfl_catalog **out, char **err)
{
  *out = NULL;
  if (err)
    *err = NULL;
  loader ld = {name, err, 0};
  dfl_catalog *cat = calloc(1, sizeof *cat);
  char *text = malloc(len + 1);
  size_t cap = 256, n = 0;
  dfl_catalog_entry *entries = malloc(cap * sizeof *entries);
  if (!cat || !text || !entries)
    goto oom;
  memcpy(text, data, len);
  text[len] = '\0';
  cat->text = text;

  bool header = false;
  char *line = text;
  while (line < text + len) {
    ld.line++;
    char *nl = memchr(line, '\n', (size_t)(text + len - line));
    char *end = nl ? nl : text + len;
    *end = '\0';
    for (char *p = line; p < end; p++)
      if ((unsigned char)*p < 0x20 ? *p != '\t' : *p == 0x7f) {
        fail(&ld, (size_t)(p - line) + 1, "control character in line (tabs separate "
                                          "fields; CRLF line ends are not accepted)");
        goto fail;
      }
    char *next = nl ? nl + 1 : text + len;
    if (line[0] == '\0' || line[0] == '#') {
      line = next;
      continue;
    }
    char *f[NCOLS];
    size_t cols[NCOLS], extra_col;
    size_t line_len = strlen(line);
    size_t nf = split_fields(line, f, cols, NCOLS, &extra_col);
    const char *what = header ? "row" : "header";
    if (nf < NCOLS) {
      fail(&ld, line_len + 1, "%s has %zu fields, expected %d", what, nf, NCOLS);
      goto fail;
    }
    if (nf > NCOLS) {
      fail(&ld, extra_col, "%s has %zu fields, expected %d", what, nf, NCOLS);
      goto fail;
    }
    if (!header) {
      for (size_t i = 0; i < NCOLS; i++)
        if (strcmp(f[i], header_names[i]) != 0) {
          fail(&ld, cols[i], "header field %zu must be \"%s\", not \"%s\"", i + 1,
               header_names[i], f[i]);
          goto fail;
        }
      header = true;
      line = next;
      continue;
    }
    if (n == cap) {
      cap *= 2;
      dfl_catalog_entry *grown = realloc(entries, cap * sizeof *entries);
      if (!grown)
        goto oom;
      entries = grown;
    }
    if (parse_row(&ld, f, cols, &entries[n]) != 0)
      goto fail;
    n++;
    line = next;
  }
  if (!header || n == 0) {
    ld.line = 1;
    fail(&ld, 1, header ? "no rows" : "no header line");
    goto fail;
  }
  if (build_indexes(cat, entries, n) != 0)
    goto oom;
  entries = NULL; /* owned by cat now */
  if (check_duplicates(&ld, cat->entries, cat->n) != 0)
    goto fail;
  *out = cat;
  return 0;

oom:
  if (err && !*err)
    *err = strdup("out of memory");
fail:
  free(entries);
  dfl_catalog_free(cat);
  return -1;
}

int dfl_catalog_load(const char *path, dfl_catalog **out, char **err)
{
  *out = NULL;
  if (err)
    *err = NULL;
  FILE *fp = fopen(path, "rb");
  if (!fp) {
    if (err) {
      const char *why = strerror(errno);
      size_t need = strlen(path) + strlen(why) + 3;
      *err = malloc(need);
      if (*err)
        snprintf(*err, need, "%s: %s", path, why);
    }
    return -1;
  }
  size_t cap = 1 << 16, len = 0;
  char *buf = malloc(cap);
  size_t got;
  while (buf && (got = fread(buf + len, 1, cap - len, fp)) > 0) {
    len += got;
    if (len == cap) {
      char *grown = realloc(buf, cap *= 2);
      if (!grown)
        free(buf);
      buf = grown;
    }
  }
  bool read_error = ferror(fp);
  fclose(fp);
  if (!buf || read_error) {
    free(buf);
    if (err) {
      const char *why = buf ? "read error" : "out of memory";
      size_t need = strlen(path) + strlen(why) + 3;
      *err = malloc(need);
      if (*err)
        snprintf(*err, need, "%s: %s", path, why);
    }
    return -1;
  }
  int rc = dfl_catalog_load_mem(path, buf, len, out, err);
  free(buf);
  return rc;
}

void dfl_catalog_free(dfl_catalog *cat)
{
  if (!cat || cat == &builtin)
    return;
  free(cat->text);
  free(cat->own_entries);
  free(cat->own_repos);
  free(cat->own_runtime);
  free(cat);
}
