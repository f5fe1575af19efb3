/* The base-image catalog: data integrity (every row cites its source, sourced
 * and estimated sizes are the figures in ../shared/advisor they cite, table
 * estimates are flagged as such and stand-ins for neighbouring tags are the
 * same variant), the
 * generated table against the TSV loader, lookups, alternatives, dates and
 * the error positions of malformed catalog files. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include "dflint/catalog.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#define DIGEST "sha256:" \
  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static const char *catalog_tsv(void)
{
  return DFLINT_SOURCE_DIR "/data/catalog.tsv";
}

/* Looks up ref in the built-in catalog; it must parse. */
static dfl_catalog_match look(const char *ref)
{
  dfl_catalog_match m;
  char *err = NULL;
  int rc = dfl_catalog_lookup(dfl_catalog_builtin(), ref, &m, &err);
  ck_assert_msg(rc >= 0, "%s: %s", ref, err ? err : "?");
  ck_assert_int_eq(rc, m.entry != NULL);
  free(err);
  return m;
}

/* Looks up ref and checks the row it lands on. */
static const dfl_catalog_entry *look_row(const char *ref, const char *repo,
                                         const char *tag)
{
  dfl_catalog_match m = look(ref);
  ck_assert_msg(m.entry != NULL, "%s: no row", ref);
  ck_assert_str_eq(m.entry->repository, repo);
  ck_assert_msg(strcmp(m.entry->tag, tag) == 0, "%s: row %s, expected %s", ref,
                m.entry->tag, tag);
  return m.entry;
}

/* ---------------------------------------------------------------- */
/* Data integrity                                                    */

START_TEST(every_row_has_source)
{
  const dfl_catalog *cat = dfl_catalog_builtin();
  ck_assert_uint_gt(dfl_catalog_count(cat), 200);
  for (size_t i = 0; i < dfl_catalog_count(cat); i++) {
    const dfl_catalog_entry *e = dfl_catalog_at(cat, i);
    ck_assert_msg(e->source[0], "line %u: no source", e->line);
    if (e->size_status == DFL_CAT_SIZE_UNKNOWN) {
      ck_assert_msg(e->size_amd64 < 0 && e->size_arm64 < 0 && !e->size_source[0],
                    "line %u: unknown size with a figure", e->line);
    } else {
      ck_assert_msg(e->size_amd64 >= 0 && e->size_source[0],
                    "line %u: size without a source", e->line);
    }
    ck_assert_msg(!e->eol[0] == !e->eol_source[0], "line %u: eol without source", e->line);
  }
}
END_TEST

START_TEST(dates_parse)
{
  const dfl_catalog *cat = dfl_catalog_builtin();
  size_t with_eol = 0;
  for (size_t i = 0; i < dfl_catalog_count(cat); i++) {
    const dfl_catalog_entry *e = dfl_catalog_at(cat, i);
    if (e->eol[0]) {
      with_eol++;
      int32_t ymd = dfl_catalog_parse_date(e->eol, strlen(e->eol));
      ck_assert_msg(ymd != 0 && ymd == e->eol_ymd, "line %u: eol %s", e->line, e->eol);
    } else {
      ck_assert_int_eq(e->eol_ymd, 0);
      ck_assert_int_eq(dfl_catalog_is_eol(e, 20260101), -1);
    }
    if (e->size_as_of[0])
      ck_assert_msg(dfl_catalog_parse_date(e->size_as_of, strlen(e->size_as_of)),
                    "line %u: size_as_of %s", e->line, e->size_as_of);
  }
  ck_assert_uint_gt(with_eol, 100);

  ck_assert_int_eq(dfl_catalog_parse_date("2024-02-29", 10), 20240229);
  ck_assert_int_eq(dfl_catalog_parse_date("2000-02-29", 10), 20000229);
  ck_assert_int_eq(dfl_catalog_parse_date("1900-02-29", 10), 0);
  ck_assert_int_eq(dfl_catalog_parse_date("2023-02-29", 10), 0);
  ck_assert_int_eq(dfl_catalog_parse_date("2024-13-01", 10), 0);
  ck_assert_int_eq(dfl_catalog_parse_date("2024-04-31", 10), 0);
  ck_assert_int_eq(dfl_catalog_parse_date("2024-1-01", 9), 0);
  ck_assert_int_eq(dfl_catalog_parse_date("2024/01/01", 10), 0);
  ck_assert_int_eq(dfl_catalog_parse_date("", 0), 0);
}
END_TEST

/* ../shared/advisor figures, keyed "image:tag" (official table) or by
 * image_ref (base-images.tsv, other-image-sizes.tsv). */
typedef struct figure {
  char key[128];
  int64_t amd64, arm64; /* -1 absent */
  char as_of[11];       /* amd64 date, "" if none */
  char as_of_raw[32];   /* the as_of text as the table writes it ("2023-12") */
  /* The compressed figure is the table's own estimate (base-images.tsv
   * source "estimate", or "compressed: estimate" next to an on-disk quote)
   * or a vendor's approximate figure (other-image-sizes.tsv, or a README
   * quote in base-images.tsv), not a measurement: only an `estimated` row
   * may cite it, flagged. */
  bool estimate;
  bool vendor;
} figure;

typedef struct figures {
  figure *v;
  size_t n;
} figures;

static figure *find_figure(figures *fs, const char *key)
{
  for (size_t i = 0; i < fs->n; i++)
    if (strcmp(fs->v[i].key, key) == 0)
      return &fs->v[i];
  return NULL;
}

static figure *add_figure(figures *fs, const char *key)
{
  figure *f = find_figure(fs, key);
  if (f)
    return f;
  fs->v = realloc(fs->v, (fs->n + 1) * sizeof *fs->v);
  f = &fs->v[fs->n++];
  memset(f, 0, sizeof *f);
  snprintf(f->key, sizeof f->key, "%s", key);
  f->amd64 = f->arm64 = -1;
  return f;
}

/* Splits text into lines and each line into at most max tab fields, in
 * place; calls fn for each line after the header. */
static void each_tsv_row(char *text, size_t max,
                         void (*fn)(char **f, size_t n, void *ctx), void *ctx)
{
  char *save = NULL;
  bool header = true;
  for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    if (header) {
      header = false;
      continue;
    }
    char *f[32];
    size_t n = 0;
    for (char *p = line; n < max && p; n++) {
      f[n] = p;
      p = strchr(p, '\t');
      if (p)
        *p++ = '\0';
    }
    fn(f, n, ctx);
  }
}

static int64_t parse_i64(const char *s)
{
  return s[0] ? strtoll(s, NULL, 10) : -1;
}

/* "3.41" (decimal MB) -> 3410000 bytes, exactly (no floating point). */
static int64_t mb_to_bytes(const char *s)
{
  int64_t whole = 0, frac = 0, scale = 1000000;
  const char *p = s;
  for (; *p >= '0' && *p <= '9'; p++)
    whole = whole * 10 + (*p - '0');
  if (*p == '.')
    for (p++; *p >= '0' && *p <= '9' && scale > 1; p++) {
      scale /= 10;
      frac += (*p - '0') * scale;
    }
  return whole * 1000000 + frac;
}

static void official_row(char **f, size_t n, void *ctx)
{
  /* image tag platform compressed_bytes layers last_modified digest */
  if (n < 6)
    return;
  char key[128];
  snprintf(key, sizeof key, "%s:%s", f[0], f[1]);
  figure *fig = add_figure(ctx, key);
  if (strcmp(f[2], "linux/amd64") == 0) {
    fig->amd64 = parse_i64(f[3]);
    snprintf(fig->as_of, sizeof fig->as_of, "%.10s", f[5]);
  } else if (strcmp(f[2], "linux/arm64/v8") == 0) {
    fig->arm64 = parse_i64(f[3]);
  }
}

static void base_row(char **f, size_t n, void *ctx)
{
  /* image_ref os_family libc compressed_size_mb_amd64 uncompressed_size_mb
   * has_shell has_package_manager source as_of notes. Only the compressed
   * column gives a figure: a row with an on-disk size alone gives none. */
  if (n < 9 || !f[3][0])
    return;
  figure *fig = add_figure(ctx, f[0]);
  fig->amd64 = mb_to_bytes(f[3]);
  fig->estimate = strcmp(f[7], "estimate") == 0 || strstr(f[7], "compressed: estimate") != NULL;
  /* A vendor's own rounded figure quoted from its README ("around 650 kB"). */
  fig->vendor = !fig->estimate && strstr(f[7], "README") != NULL;
  snprintf(fig->as_of_raw, sizeof fig->as_of_raw, "%s", f[8]);
  if (dfl_catalog_parse_date(f[8], strlen(f[8])))
    snprintf(fig->as_of, sizeof fig->as_of, "%s", f[8]);
}

/* other-image-sizes.tsv: image_ref platform compressed_bytes_or_mb source
 * as_of. A figure only where the value is a compressed one: plain digits
 * (bytes) or "N MB" / "~N MB" (decimal MB). On-disk figures ("~2 MiB
 * ON-DISK") and "not published" give none, so they cannot be cited. */
static void other_row(char **f, size_t n, void *ctx)
{
  if (n < 5)
    return;
  const char *v = f[2];
  if (strstr(v, "ON-DISK") || strstr(v, "on-disk") || strstr(v, "uncompressed") ||
      strstr(v, "MiB") || strstr(v, "not "))
    return;
  if (*v == '~')
    v++;
  size_t digits = strspn(v, "0123456789.");
  if (digits == 0)
    return;
  int64_t bytes;
  if (v[digits] == '\0' && !memchr(v, '.', digits))
    bytes = parse_i64(v);
  else if (strncmp(v + digits, " MB", 3) == 0)
    bytes = mb_to_bytes(v);
  else
    return;
  figure *fig = add_figure(ctx, f[0]);
  fig->amd64 = bytes;
  fig->vendor = true;
  snprintf(fig->as_of_raw, sizeof fig->as_of_raw, "%s", f[4]);
  if (dfl_catalog_parse_date(f[4], strlen(f[4])))
    snprintf(fig->as_of, sizeof fig->as_of, "%.10s", f[4]);
}

static bool load_figures(const char *rel, size_t max,
                         void (*fn)(char **, size_t, void *), figures *fs)
{
  char *text = tu_read_file(tu_shared_path(rel), NULL);
  if (!text)
    return false;
  each_tsv_row(text, max, fn, fs);
  free(text);
  return true;
}

/* The figures of ../shared/advisor, one set per file. */
typedef struct shared_figures {
  figures official, base, other;
} shared_figures;

/* The row a cited key (base-images.tsv image_ref, up to its first space:
 * "gcr.io/distroless/static (debian10/11 era)") lands on, or NULL. */
static const dfl_catalog_entry *row_of_key(const char *key)
{
  char ref[128];
  snprintf(ref, sizeof ref, "%.*s", (int)strcspn(key, " "), key);
  dfl_catalog_match m;
  if (dfl_catalog_lookup(dfl_catalog_builtin(), ref, &m, NULL) != 1)
    return NULL;
  return m.entry;
}

static size_t runtime_product_len(const char *rt)
{
  return strcspn(rt, " ");
}

/* Checks one citation of base-images.tsv or other-image-sizes.tsv taken
 * into row e: its qualifier "(KIND, as_of X)" or "(KIND, no as_of)" must
 * say what the figure is there (KIND "estimate" for the table's estimates,
 * "vendor approximate" for other-image-sizes.tsv, anything else only for
 * figures that are neither) and repeat the table's as_of; and a figure for
 * another tag than the row's must be announced as "derived: same as KEY"
 * and be a fair stand-in: same repository, kind, libc, shell and runtime
 * product, the cited row not itself a stand-in. qual is the qualifier text
 * without parentheses, or NULL when there is none. */
static void check_table_citation(const dfl_catalog_entry *e, const char *file,
                                 const char *key, const figure *f, const char *qual,
                                 size_t qual_len)
{
  char q[160] = "";
  if (qual)
    snprintf(q, sizeof q, "%.*s", (int)qual_len, qual);
  bool flagged = f->estimate || f->vendor;
  if (flagged)
    ck_assert_msg(e->size_status == DFL_CAT_SIZE_ESTIMATED,
                  "line %u: %s[%s] is %s, so the row must be `estimated`", e->line, file,
                  key, f->vendor ? "a vendor's approximate figure" : "the table's estimate");
  if (e->size_status != DFL_CAT_SIZE_ESTIMATED && !qual)
    return; /* a sourced row's plain citation: nothing to qualify */
  ck_assert_msg(qual != NULL, "line %u: %s[%s] needs \"(estimate|vendor approximate|"
                "measured, as_of ...)\" in an estimated row", e->line, file, key);
  const char *kind = f->estimate ? "estimate, " : f->vendor ? "vendor approximate, " : NULL;
  if (kind)
    ck_assert_msg(strncmp(q, kind, strlen(kind)) == 0,
                  "line %u: %s[%s] must be flagged \"(%s...)\", not \"(%s)\"", e->line, file,
                  key, kind, q);
  else
    ck_assert_msg(strncmp(q, "estimate", 8) != 0 && strncmp(q, "vendor", 6) != 0,
                  "line %u: %s[%s] is not an estimate there, but flagged \"(%s)\"", e->line,
                  file, key, q);
  char want[64];
  if (f->as_of_raw[0] && strcmp(f->as_of_raw, "n/a") != 0)
    snprintf(want, sizeof want, ", as_of %s", f->as_of_raw);
  else
    snprintf(want, sizeof want, ", no as_of");
  size_t wl = strlen(want), ql = strlen(q);
  ck_assert_msg(ql >= wl && strcmp(q + ql - wl, want) == 0,
                "line %u: %s[%s]: qualifier \"(%s)\" must end in \"%s\"", e->line, file, key,
                q, want);

  if (strcmp(file, "base-images.tsv") != 0)
    return;
  char derived[200];
  snprintf(derived, sizeof derived, "derived: same as %s", key);
  const dfl_catalog_entry *own = row_of_key(key);
  if (own == e) {
    ck_assert_msg(strstr(e->size_source, "derived: same as") == NULL,
                  "line %u: %s is this row's own tag, not a stand-in", e->line, key);
    return;
  }
  ck_assert_msg(strstr(e->size_source, derived) != NULL,
                "line %u: %s[%s] is another tag's figure: say \"%s\"", e->line, file, key,
                derived);
  ck_assert_msg(own != NULL, "line %u: stand-in %s has no row in the catalog", e->line, key);
  ck_assert_msg(strcmp(own->repository, e->repository) == 0 && own->kind == e->kind &&
                    own->libc == e->libc && own->shell == e->shell,
                "line %u: %s (line %u) is not the same variant", e->line, key, own->line);
  size_t a = runtime_product_len(own->runtime), b = runtime_product_len(e->runtime);
  ck_assert_msg(a == b && strncmp(own->runtime, e->runtime, a) == 0,
                "line %u: stand-in %s serves %s, this row %s", e->line, key, own->runtime,
                e->runtime);
  ck_assert_msg(strstr(own->size_source, "derived: same as") == NULL,
                "line %u: stand-in %s (line %u) is itself a stand-in", e->line, key, own->line);
}

/* Evaluates the citation expression at the head of size_source,
 * "FILE[key][ (qualifier)] (+|- FILE[key][ (qualifier)])* [; note]", for
 * both platforms. */
static void eval_citations(const dfl_catalog_entry *e, shared_figures *sf, int64_t *amd64,
                           int64_t *arm64, int *terms, char *as_of, int *flagged)
{
  const char *p = e->size_source;
  int sign = 1;
  *amd64 = 0;
  *arm64 = 0;
  *terms = 0;
  *flagged = 0;
  as_of[0] = '\0';
  for (;;) {
    static const struct {
      const char *file;
      size_t off;
    } files[] = {
        {"official-image-sizes.tsv", offsetof(shared_figures, official)},
        {"base-images.tsv", offsetof(shared_figures, base)},
        {"other-image-sizes.tsv", offsetof(shared_figures, other)},
    };
    figures *fs = NULL;
    const char *file = NULL;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
      size_t l = strlen(files[i].file);
      if (strncmp(p, files[i].file, l) == 0 && p[l] == '[') {
        fs = (figures *)((char *)sf + files[i].off);
        file = files[i].file;
        p += l + 1;
        break;
      }
    }
    if (!fs) {
      ck_abort_msg("line %u: size_source must start with a citation: %s", e->line, p);
      return;
    }
    const char *close = strchr(p, ']');
    ck_assert_msg(close != NULL, "line %u: unclosed citation", e->line);
    char key[128];
    snprintf(key, sizeof key, "%.*s", (int)(close - p), p);
    figure *f = find_figure(fs, key);
    ck_assert_msg(f != NULL && f->amd64 >= 0,
                  "line %u: %s[%s] is not a compressed figure in ../shared/advisor", e->line,
                  file, key);
    p = close + 1;
    const char *qual = NULL;
    size_t qual_len = 0;
    if (strncmp(p, " (", 2) == 0) {
      qual = p + 2;
      const char *end = strchr(qual, ')');
      ck_assert_msg(end != NULL, "line %u: unclosed qualifier after %s[%s]", e->line, file, key);
      qual_len = (size_t)(end - qual);
      p = end + 1;
    }
    if (fs == &sf->official)
      ck_assert_msg(qual == NULL, "line %u: official-image-sizes.tsv figures are exact: no "
                    "qualifier", e->line);
    else
      check_table_citation(e, file, key, f, qual, qual_len);
    *flagged += f->estimate || f->vendor;
    *amd64 += sign * f->amd64;
    *arm64 = (*arm64 < 0 || f->arm64 < 0) ? -1 : *arm64 + sign * f->arm64;
    if (strcmp(f->as_of, as_of) > 0)
      strcpy(as_of, f->as_of);
    (*terms)++;
    if (strncmp(p, " + ", 3) == 0)
      sign = 1;
    else if (strncmp(p, " - ", 3) == 0)
      sign = -1;
    else
      break;
    p += 3;
  }
  ck_assert_msg(*p == '\0' || strncmp(p, "; ", 2) == 0,
                "line %u: text after the citations must follow \"; \"", e->line);
}

START_TEST(sizes_match_shared)
{
  if (!tu_shared_available("advisor/official-image-sizes.tsv") ||
      !tu_shared_available("advisor/base-images.tsv")) {
    fprintf(stderr, "NOTE: ../shared/advisor is absent: the catalog's sourced and "
                    "estimated sizes were NOT checked against their sources\n");
    return;
  }
  shared_figures sf = {0};
  ck_assert(load_figures("advisor/official-image-sizes.tsv", 7, official_row, &sf.official));
  ck_assert(load_figures("advisor/base-images.tsv", 10, base_row, &sf.base));
  /* Optional: without it, citing it fails as "not a figure". */
  load_figures("advisor/other-image-sizes.tsv", 5, other_row, &sf.other);
  ck_assert_uint_gt(sf.official.n, 30);
  ck_assert_uint_gt(sf.base.n, 30);

  const dfl_catalog *cat = dfl_catalog_builtin();
  size_t sourced = 0, estimated = 0, table_estimates = 0;
  for (size_t i = 0; i < dfl_catalog_count(cat); i++) {
    const dfl_catalog_entry *e = dfl_catalog_at(cat, i);
    if (e->size_status == DFL_CAT_SIZE_UNKNOWN)
      continue;
    int64_t amd64, arm64;
    int terms, flagged;
    char as_of[11];
    eval_citations(e, &sf, &amd64, &arm64, &terms, as_of, &flagged);
    ck_assert_msg(amd64 == e->size_amd64, "line %u: amd64 %lld, cited figure %lld",
                  e->line, (long long)e->size_amd64, (long long)amd64);
    if (e->size_arm64 >= 0)
      ck_assert_msg(arm64 == e->size_arm64, "line %u: arm64 %lld, cited figure %lld",
                    e->line, (long long)e->size_arm64, (long long)arm64);
    if (e->size_status == DFL_CAT_SIZE_SOURCED) {
      sourced++;
      /* A sourced size is one published figure, not arithmetic, and the
       * row keeps every platform the source has and its date. */
      ck_assert_msg(terms == 1, "line %u: sourced size from %d figures", e->line, terms);
      ck_assert_msg((arm64 >= 0) == (e->size_arm64 >= 0),
                    "line %u: arm64 figure dropped or invented", e->line);
      ck_assert_msg(strcmp(as_of, e->size_as_of) == 0, "line %u: as_of %s, source says %s",
                    e->line, e->size_as_of, as_of);
    } else {
      estimated++;
      table_estimates += flagged > 0;
      ck_assert_msg(strstr(e->size_source, "; ") != NULL,
                    "line %u: an estimate must say how it was derived", e->line);
      ck_assert_msg(strcmp(as_of, e->size_as_of) == 0,
                    "line %u: estimate dated %s, newest cited figure %s", e->line,
                    e->size_as_of, as_of);
      /* An estimate is arithmetic on several figures, the table's own
       * estimate, or a stand-in for a neighbouring tag. */
      ck_assert_msg(terms > 1 || flagged > 0 || strstr(e->size_source, "derived: same as"),
                    "line %u: one measured figure is a sourced size, not an estimate",
                    e->line);
      /* The table has amd64 figures only, so estimates from it have no arm64. */
      if (strncmp(e->size_source, "official-image-sizes.tsv[", 25) != 0)
        ck_assert_msg(e->size_arm64 < 0, "line %u: arm64 figure invented", e->line);
    }
  }
  ck_assert_uint_gt(sourced, 30);
  ck_assert_uint_gt(estimated, 40);
  ck_assert_uint_gt(table_estimates, 30);
  free(sf.official.v);
  free(sf.base.v);
  free(sf.other.v);
}
END_TEST

/* Counts a row kind in docs/catalog.md's "Counts (this version)" line. */
static long doc_count(const char *text, const char *what)
{
  const char *line = strstr(text, "Counts (this version):");
  ck_assert_msg(line != NULL, "docs/catalog.md has no \"Counts (this version):\" line");
  const char *end = strstr(line, "\n\n");
  const char *hit = strstr(line, what);
  ck_assert_msg(hit != NULL && (!end || hit < end), "docs/catalog.md counts lack \"%s\"",
                what);
  const char *num = hit;
  while (num > line && num[-1] == ' ')
    num--;
  while (num > line && num[-1] >= '0' && num[-1] <= '9')
    num--;
  return strtol(num, NULL, 10);
}

/* docs/catalog.md states how many rows have each size status, and every
 * estimate that is not arithmetic on exact figures is flagged in its
 * citation (this part needs no ../shared). */
START_TEST(size_counts_and_flags)
{
  const dfl_catalog *cat = dfl_catalog_builtin();
  long n[3] = {0};
  for (size_t i = 0; i < dfl_catalog_count(cat); i++) {
    const dfl_catalog_entry *e = dfl_catalog_at(cat, i);
    n[e->size_status]++;
    if (e->size_status == DFL_CAT_SIZE_SOURCED) {
      ck_assert_msg(strstr(e->size_source, "(estimate") == NULL &&
                        strstr(e->size_source, "(vendor approximate") == NULL &&
                        strstr(e->size_source, "derived:") == NULL,
                    "line %u: an estimate or stand-in marked sourced", e->line);
    } else if (e->size_status == DFL_CAT_SIZE_ESTIMATED &&
               strncmp(e->size_source, "official-image-sizes.tsv[", 25) != 0) {
      ck_assert_msg(strstr(e->size_source, "] (") != NULL,
                    "line %u: a table figure must be qualified", e->line);
    }
  }
  char *text = tu_read_file(DFLINT_SOURCE_DIR "/docs/catalog.md", NULL);
  ck_assert_ptr_nonnull(text);
  ck_assert_int_eq(doc_count(text, " rows;"), (long)dfl_catalog_count(cat));
  ck_assert_int_eq(doc_count(text, " sourced"), n[DFL_CAT_SIZE_SOURCED]);
  ck_assert_int_eq(doc_count(text, " estimated"), n[DFL_CAT_SIZE_ESTIMATED]);
  ck_assert_int_eq(doc_count(text, " unknown"), n[DFL_CAT_SIZE_UNKNOWN]);
  free(text);
}
END_TEST

/* The generated table is what the loader makes of data/catalog.tsv: same
 * rows, same order, same indexes. This is what keeps the awk generator and
 * the C loader in step. */
START_TEST(builtin_equals_loaded_tsv)
{
  dfl_catalog *loaded = NULL;
  char *err = NULL;
  ck_assert_msg(dfl_catalog_load(catalog_tsv(), &loaded, &err) == 0, "%s", err);
  const dfl_catalog *bi = dfl_catalog_builtin();
  ck_assert_uint_eq(dfl_catalog_count(loaded), dfl_catalog_count(bi));
  for (size_t i = 0; i < dfl_catalog_count(bi); i++) {
    const dfl_catalog_entry *a = dfl_catalog_at(bi, i), *b = dfl_catalog_at(loaded, i);
    ck_assert_str_eq(a->repository, b->repository);
    ck_assert_str_eq(a->tag, b->tag);
    ck_assert_str_eq(a->runtime, b->runtime);
    ck_assert_str_eq(a->size_as_of, b->size_as_of);
    ck_assert_str_eq(a->size_source, b->size_source);
    ck_assert_str_eq(a->eol, b->eol);
    ck_assert_str_eq(a->eol_source, b->eol_source);
    ck_assert_str_eq(a->source, b->source);
    ck_assert(a->size_amd64 == b->size_amd64 && a->size_arm64 == b->size_arm64);
    ck_assert_int_eq(a->eol_ymd, b->eol_ymd);
    ck_assert_uint_eq(a->line, b->line);
    ck_assert_uint_eq(a->runtime_key_len, b->runtime_key_len);
    ck_assert_uint_eq(a->literal, b->literal);
    ck_assert_uint_eq(a->wildcards, b->wildcards);
    ck_assert(a->family == b->family && a->libc == b->libc && a->pkg == b->pkg &&
              a->kind == b->kind && a->size_status == b->size_status);
    ck_assert(a->shell == b->shell && a->nonroot == b->nonroot && a->cc == b->cc);

    /* Same runtime index: the alternatives come out in the same order. */
    const dfl_catalog_entry *x[64], *y[64];
    size_t nx = dfl_catalog_alternatives(bi, a, x, 64);
    size_t ny = dfl_catalog_alternatives(loaded, b, y, 64);
    ck_assert_uint_eq(nx, ny);
    for (size_t k = 0; k < nx && k < 64; k++)
      ck_assert_uint_eq(x[k]->line, y[k]->line);
    /* Same repository index: every row's own tag finds a row. */
    if (a->wildcards == 0) {
      dfl_catalog_match m;
      char ref[300];
      snprintf(ref, sizeof ref, "%s:%s", a->repository, a->tag);
      ck_assert_int_eq(dfl_catalog_lookup(loaded, ref, &m, NULL), 1);
      ck_assert_ptr_eq(m.entry, b);
    }
  }
  dfl_catalog_free(loaded);
}
END_TEST

/* ---------------------------------------------------------------- */
/* Lookups                                                           */

START_TEST(lookup_node)
{
  const dfl_catalog_entry *e = look_row("node:16", "docker.io/library/node", "16*");
  ck_assert_str_eq(e->runtime, "node 16");
  ck_assert_int_eq(e->kind, DFL_CAT_KIND_FULL);
  ck_assert_int_eq(e->family, DFL_CAT_FAMILY_DEBIAN);
  ck_assert(e->cc && e->shell && !e->nonroot);
  ck_assert_str_eq(e->eol, "2023-09-11");
  ck_assert_int_eq(dfl_catalog_is_eol(e, 20230910), 0);
  ck_assert_int_eq(dfl_catalog_is_eol(e, 20230911), 1);

  e = look_row("node:20-alpine", "docker.io/library/node", "20*-alpine*");
  ck_assert_int_eq(e->libc, DFL_CAT_LIBC_MUSL);
  ck_assert_int_eq(e->pkg, DFL_CAT_PKG_APK);
  ck_assert_int_eq(e->kind, DFL_CAT_KIND_ALPINE);
  ck_assert_int_eq(e->size_status, DFL_CAT_SIZE_SOURCED);
  ck_assert(e->size_amd64 == 47955597 && e->size_arm64 == 47723814);
  ck_assert(!e->cc);

  /* The longest literal wins over shorter patterns that also match. */
  look_row("node:20.11.1-alpine3.19", "docker.io/library/node", "20*-alpine*");
  look_row("node:20-bookworm-slim", "docker.io/library/node", "20*-slim*");
  look_row("node:20.11.1-bookworm", "docker.io/library/node", "20*");
  e = look_row("node:latest", "docker.io/library/node", "*");
  ck_assert_str_eq(e->runtime, "node");
  /* Versions the catalog lacks still get the variant's traits. */
  e = look_row("node:lts-alpine", "docker.io/library/node", "*alpine*");
  ck_assert_int_eq(e->libc, DFL_CAT_LIBC_MUSL);
  look_row("node:21-slim", "docker.io/library/node", "*slim*");
  e = look_row("docker.io/library/node:22", "docker.io/library/node", "22*");
  ck_assert_int_eq(e->size_status, DFL_CAT_SIZE_ESTIMATED);

  /* The blog scenario: node:16 against its slim and alpine variants. No
   * figure exists for node 16, so the table's node 18 estimates stand in,
   * announced as such. */
  e = look_row("node:16", "docker.io/library/node", "16*");
  ck_assert_int_eq(e->size_status, DFL_CAT_SIZE_ESTIMATED);
  ck_assert(e->size_amd64 == 385000000 && e->size_arm64 == -1);
  ck_assert_ptr_nonnull(strstr(e->size_source, "derived: same as node:18 "));
  const dfl_catalog_entry *alt[8];
  ck_assert_uint_eq(dfl_catalog_alternatives(dfl_catalog_builtin(), e, alt, 8), 2);
  ck_assert_str_eq(alt[0]->tag, "16*-slim*");
  ck_assert(alt[0]->size_amd64 == 67000000);
  ck_assert_str_eq(alt[1]->tag, "16*-alpine*");
  ck_assert(alt[1]->size_amd64 == 45000000);
  ck_assert_int_eq(alt[1]->size_status, DFL_CAT_SIZE_ESTIMATED);
  /* Tags of unknown version keep no size. */
  e = look_row("node:lts-alpine", "docker.io/library/node", "*alpine*");
  ck_assert_int_eq(e->size_status, DFL_CAT_SIZE_UNKNOWN);
}
END_TEST

START_TEST(lookup_golang)
{
  const dfl_catalog_entry *e = look_row("golang:1.22", "docker.io/library/golang", "1.22*");
  ck_assert(e->cc);
  ck_assert_int_eq(e->libc, DFL_CAT_LIBC_GLIBC);
  ck_assert_int_eq(e->kind, DFL_CAT_KIND_SDK);
  ck_assert_str_eq(e->runtime, "go 1.22");
  ck_assert_str_eq(e->eol, "2025-02-11");
  /* base-images.tsv's estimate of 295 MB, flagged as such. */
  ck_assert_int_eq(e->size_status, DFL_CAT_SIZE_ESTIMATED);
  ck_assert(e->size_amd64 == 295000000 && e->size_arm64 == -1);
  ck_assert_str_eq(e->size_as_of, "");
  static const char cite[] = "base-images.tsv[golang:1.22] (estimate, no as_of); ";
  ck_assert(strncmp(e->size_source, cite, sizeof cite - 1) == 0);
  /* Versions with no figure and no neighbour with one stay unknown. */
  e = look_row("golang:1.19", "docker.io/library/golang", "1.19*");
  ck_assert_int_eq(e->size_status, DFL_CAT_SIZE_UNKNOWN);
  e = look_row("golang:1.25", "docker.io/library/golang", "1.25*");
  ck_assert_int_eq(e->size_status, DFL_CAT_SIZE_UNKNOWN);

  e = look_row("golang:1.22-alpine", "docker.io/library/golang", "1.22*-alpine*");
  ck_assert(!e->cc); /* no gcc: cgo needs apk add build-base */
  ck_assert_int_eq(e->libc, DFL_CAT_LIBC_MUSL);
  look_row("golang:1.22.5-alpine3.20", "docker.io/library/golang", "1.22*-alpine*");
  e = look_row("golang:1.23", "docker.io/library/golang", "1.23*");
  ck_assert(e->size_amd64 == 303303724);
}
END_TEST

START_TEST(lookup_distroless_and_static)
{
  dfl_catalog_match m = look("gcr.io/distroless/static-debian12");
  ck_assert(m.entry && m.tag_known && m.tag_implicit);
  const dfl_catalog_entry *e = m.entry;
  ck_assert_str_eq(e->tag, "*");
  ck_assert_int_eq(e->libc, DFL_CAT_LIBC_NONE);
  ck_assert(!e->shell && !e->nonroot && !e->cc);
  ck_assert_int_eq(e->pkg, DFL_CAT_PKG_NONE);
  ck_assert_int_eq(e->kind, DFL_CAT_KIND_STATIC);
  ck_assert_int_eq(e->family, DFL_CAT_FAMILY_DISTROLESS);
  /* The table's compressed estimate; its 2.0 MB is on-disk, not used. */
  ck_assert_int_eq(e->size_status, DFL_CAT_SIZE_ESTIMATED);
  ck_assert(e->size_amd64 == 1000000 && e->size_arm64 == -1);
  /* debug adds busybox: not the same variant, so no stand-in. */
  e = look_row("gcr.io/distroless/static-debian12:debug",
               "gcr.io/distroless/static-debian12", "debug*");
  ck_assert_int_eq(e->size_status, DFL_CAT_SIZE_UNKNOWN);
  /* Chainguard publishes no size; the table's estimate, flagged. */
  e = look_row("cgr.dev/chainguard/static", "cgr.dev/chainguard/static", "*");
  ck_assert(e->size_amd64 == 700000 && e->size_status == DFL_CAT_SIZE_ESTIMATED);
  e = look_row("cgr.dev/chainguard/glibc-dynamic", "cgr.dev/chainguard/glibc-dynamic", "*");
  ck_assert_int_eq(e->size_status, DFL_CAT_SIZE_UNKNOWN);

  e = look_row("gcr.io/distroless/static-debian12:nonroot",
               "gcr.io/distroless/static-debian12", "nonroot*");
  ck_assert(e->nonroot && !e->shell);
  e = look_row("gcr.io/distroless/static-debian12:debug-nonroot",
               "gcr.io/distroless/static-debian12", "debug-nonroot*");
  ck_assert(e->nonroot && e->shell);

  e = look_row("scratch", "docker.io/library/scratch", "*");
  ck_assert_int_eq(e->family, DFL_CAT_FAMILY_SCRATCH);
  ck_assert(e->size_amd64 == 0 && e->size_status == DFL_CAT_SIZE_SOURCED);

  e = look_row("cgr.dev/chainguard/static:latest", "cgr.dev/chainguard/static", "*");
  ck_assert(e->nonroot && e->libc == DFL_CAT_LIBC_NONE);
  e = look_row("busybox:musl", "docker.io/library/busybox", "*musl*");
  ck_assert_int_eq(e->libc, DFL_CAT_LIBC_NONE); /* static busybox, no libc.so */
  e = look_row("busybox:1.36-glibc", "docker.io/library/busybox", "*glibc*");
  ck_assert_int_eq(e->libc, DFL_CAT_LIBC_GLIBC);
}
END_TEST

START_TEST(lookup_distributions)
{
  const dfl_catalog_entry *e =
      look_row("docker.io/library/alpine:3.19", "docker.io/library/alpine", "3.19*");
  ck_assert_str_eq(e->runtime, "alpine 3.19");
  ck_assert(e->size_amd64 == 3410000 && e->size_arm64 == -1);
  ck_assert_int_eq(e->size_status, DFL_CAT_SIZE_SOURCED);
  ck_assert_str_eq(e->eol, "2025-11-01");

  e = look_row("python:3.12-slim", "docker.io/library/python", "3.12*-slim*");
  ck_assert_int_eq(e->kind, DFL_CAT_KIND_SLIM);
  ck_assert(e->size_amd64 == 43188023 && !e->cc);
  ck_assert_str_eq(e->eol, "2028-10-31");

  dfl_catalog_match m = look("library/ubuntu");
  ck_assert(m.entry && m.repository_known && m.tag_known && m.tag_implicit);
  ck_assert_str_eq(m.entry->repository, "docker.io/library/ubuntu");
  ck_assert_str_eq(m.entry->tag, "latest");
  ck_assert_int_eq(m.entry->family, DFL_CAT_FAMILY_UBUNTU);

  look_row("ubuntu:jammy-20240911", "docker.io/library/ubuntu", "jammy*");
  look_row("debian:12.5-slim", "docker.io/library/debian", "12*-slim");
  look_row("debian:bookworm-20240110-slim", "docker.io/library/debian", "bookworm*-slim");
  look_row("index.docker.io/library/debian:bookworm", "docker.io/library/debian", "bookworm*");
  e = look_row("eclipse-temurin:21-jre-alpine", "docker.io/library/eclipse-temurin",
               "21*-jre-alpine*");
  ck_assert_str_eq(e->runtime, "java 21 jre");
  look_row("eclipse-temurin:21-jdk-ubi9-minimal", "docker.io/library/eclipse-temurin", "21*-ubi*");
  e = look_row("mcr.microsoft.com/dotnet/aspnet:8.0-jammy-chiseled",
               "mcr.microsoft.com/dotnet/aspnet", "8.0*-chiseled*");
  ck_assert(e->nonroot && !e->shell);
}
END_TEST

START_TEST(lookup_digest)
{
  dfl_catalog_match m = look("node@" DIGEST);
  ck_assert(m.repository_known && !m.tag_known);
  ck_assert(m.entry != NULL);
  ck_assert_str_eq(m.entry->tag, "*");

  /* A tag next to a digest does not count: Docker pulls the digest. */
  m = look("node:20-alpine@" DIGEST);
  ck_assert(m.repository_known && !m.tag_known);
  ck_assert_str_eq(m.entry->tag, "*");

  /* A repository without a "*" row: known, but no row applies. */
  dfl_catalog *cat = NULL;
  char *err = NULL;
  const char *tsv =
      "repository\ttag\tfamily\tlibc\tshell\tpkg\tuser\tcc\truntime\tkind\t"
      "amd64_bytes\tarm64_bytes\tsize_status\tsize_as_of\tsize_source\teol\t"
      "eol_source\tsource\n"
      "example.com/x/app\t1.0\tdebian\tglibc\tyes\tapt\troot\tno\t\tfull\t\t\t"
      "unknown\t\t\t\t\tnotes\n";
  ck_assert_msg(dfl_catalog_load_mem("t.tsv", tsv, strlen(tsv), &cat, &err) == 0, "%s", err);
  ck_assert_int_eq(dfl_catalog_lookup(cat, "example.com/x/app@" DIGEST, &m, NULL), 0);
  ck_assert(m.repository_known && !m.tag_known && m.entry == NULL);
  ck_assert_int_eq(dfl_catalog_lookup(cat, "example.com/x/app:1.0", &m, NULL), 1);
  ck_assert_int_eq(dfl_catalog_lookup(cat, "example.com/x/app:2.0", &m, NULL), 0);
  ck_assert(m.repository_known && m.tag_known && m.entry == NULL);
  dfl_catalog_free(cat);
}
END_TEST

START_TEST(lookup_unknown_and_invalid)
{
  dfl_catalog_match m = look("example.com/team/app:1.0");
  ck_assert(!m.repository_known && m.entry == NULL);
  m = look("nodejs:20"); /* not a catalog repository */
  ck_assert(!m.repository_known);
  /* Another registry is another image, even with the same path. */
  m = look("ghcr.io/library/node:20");
  ck_assert(!m.repository_known);

  char *err = NULL;
  ck_assert_int_eq(dfl_catalog_lookup(dfl_catalog_builtin(), "node:$VERSION", &m, &err), -1);
  ck_assert_ptr_nonnull(err);
  ck_assert_str_eq(err, "invalid reference format");
  ck_assert(m.entry == NULL && !m.repository_known);
  free(err);
  ck_assert_int_eq(dfl_catalog_lookup(dfl_catalog_builtin(), "Node:20", &m, NULL), -1);
}
END_TEST

START_TEST(tag_patterns)
{
  ck_assert(dfl_catalog_tag_match("*", "anything"));
  ck_assert(dfl_catalog_tag_match("20", "20"));
  ck_assert(!dfl_catalog_tag_match("20", "20-slim"));
  ck_assert(dfl_catalog_tag_match("20*-alpine*", "20-alpine"));
  ck_assert(dfl_catalog_tag_match("20*-alpine*", "20.11.1-alpine3.19"));
  ck_assert(!dfl_catalog_tag_match("20*-alpine*", "22-alpine"));
  ck_assert(dfl_catalog_tag_match("*glibc*", "glibc"));
  ck_assert(dfl_catalog_tag_match("a*b*c", "aXbYbZc"));
  ck_assert(!dfl_catalog_tag_match("a*b*c", "aXbYbZ"));
  ck_assert(dfl_catalog_tag_match("**", ""));
  ck_assert(!dfl_catalog_tag_match("x", ""));
}
END_TEST

/* ---------------------------------------------------------------- */
/* Alternatives                                                      */

START_TEST(alternatives_node20)
{
  const dfl_catalog *cat = dfl_catalog_builtin();
  const dfl_catalog_entry *e = look_row("node:20", "docker.io/library/node", "20*");
  const dfl_catalog_entry *alt[16];
  size_t n = dfl_catalog_alternatives(cat, e, alt, 16);
  ck_assert_uint_eq(n, 6); /* slim, alpine, 4 distroless nodejs20 rows */
  ck_assert_str_eq(alt[0]->tag, "20*-slim*");
  ck_assert_str_eq(alt[1]->tag, "20*-alpine*");
  for (size_t i = 2; i < n; i++) {
    ck_assert_str_eq(alt[i]->repository, "gcr.io/distroless/nodejs20-debian12");
    ck_assert_int_eq(alt[i]->kind, DFL_CAT_KIND_DISTROLESS);
  }
  for (size_t i = 0; i < n; i++) {
    ck_assert_str_eq(alt[i]->runtime, "node 20");
    ck_assert_int_lt(alt[i]->kind, e->kind);
  }
  /* distroless nodejs20: the table's compressed estimate (43 MB), which
   * does not show what its on-disk figures do (larger than node:20-alpine);
   * the source says so. debug tags add busybox and keep no size. */
  const dfl_catalog_entry *d = look_row("gcr.io/distroless/nodejs20-debian12",
                                        "gcr.io/distroless/nodejs20-debian12", "*");
  ck_assert(d->size_amd64 == 43000000 && d->size_status == DFL_CAT_SIZE_ESTIMATED);
  ck_assert_ptr_nonnull(strstr(d->size_source, "LARGER than node:20-alpine"));
  d = look_row("gcr.io/distroless/nodejs20-debian12:nonroot",
               "gcr.io/distroless/nodejs20-debian12", "nonroot*");
  ck_assert(d->size_amd64 == 43000000);
  d = look_row("gcr.io/distroless/nodejs20-debian12:debug",
               "gcr.io/distroless/nodejs20-debian12", "debug*");
  ck_assert_int_eq(d->size_status, DFL_CAT_SIZE_UNKNOWN);
  /* max limits what is written, not what is counted. */
  ck_assert_uint_eq(dfl_catalog_alternatives(cat, e, alt, 1), 6);
  /* The lightest variant has nothing lighter. */
  e = look_row("gcr.io/distroless/nodejs20-debian12", "gcr.io/distroless/nodejs20-debian12", "*");
  ck_assert_uint_eq(dfl_catalog_alternatives(cat, e, alt, 16), 0);
}
END_TEST

START_TEST(alternatives_other_runtimes)
{
  const dfl_catalog *cat = dfl_catalog_builtin();
  const dfl_catalog_entry *alt[32];
  const dfl_catalog_entry *e = look_row("golang:1.23", "docker.io/library/golang", "1.23*");
  ck_assert_uint_eq(dfl_catalog_alternatives(cat, e, alt, 32), 1);
  ck_assert_str_eq(alt[0]->tag, "1.23*-alpine*");

  /* JDK -> JRE is the same runtime ("java 21"), a lighter kind. */
  e = look_row("eclipse-temurin:21", "docker.io/library/eclipse-temurin", "21*");
  size_t n = dfl_catalog_alternatives(cat, e, alt, 32);
  ck_assert_uint_ge(n, 4);
  ck_assert_int_eq(alt[0]->kind, DFL_CAT_KIND_RUNTIME);
  bool distroless_java = false;
  for (size_t i = 0; i < n && i < 32; i++)
    distroless_java |= strcmp(alt[i]->repository, "gcr.io/distroless/java21-debian12") == 0;
  ck_assert(distroless_java);

  /* Rows without a runtime have no alternatives. */
  e = look_row("buildpack-deps:bookworm", "docker.io/library/buildpack-deps", "bookworm");
  ck_assert_uint_eq(dfl_catalog_alternatives(cat, e, alt, 32), 0);

  /* Final-stage bases for a static Go binary. */
  n = dfl_catalog_by_runtime(cat, "static", alt, 32);
  ck_assert_uint_ge(n, 6);
  bool scratch = false, chainguard = false;
  for (size_t i = 0; i < n && i < 32; i++) {
    ck_assert_str_eq(alt[i]->runtime, "static");
    scratch |= alt[i]->family == DFL_CAT_FAMILY_SCRATCH;
    chainguard |= alt[i]->family == DFL_CAT_FAMILY_CHAINGUARD;
  }
  ck_assert(scratch && chainguard);
  ck_assert_uint_ge(dfl_catalog_by_runtime(cat, "java 21 jre", alt, 32), 8);
  ck_assert_uint_eq(dfl_catalog_by_runtime(cat, "cobol 1", alt, 32), 0);
  ck_assert_uint_eq(dfl_catalog_by_runtime(cat, "", alt, 32), 0);
}
END_TEST

/* ---------------------------------------------------------------- */
/* Loading replacement catalogs                                      */

#define HEADER                                                              \
  "repository\ttag\tfamily\tlibc\tshell\tpkg\tuser\tcc\truntime\tkind\t"   \
  "amd64_bytes\tarm64_bytes\tsize_status\tsize_as_of\tsize_source\teol\t" \
  "eol_source\tsource\n"
#define GOOD                                                                \
  "example.com/x/app\t1*\tdebian\tglibc\tyes\tapt\troot\tno\tnode 20\tfull\t" \
  "1000\t\tsourced\t2026-01-02\tmeasured\t2026-04-30\tnodejs/Release\tnotes\n"

static const struct {
  const char *text;
  const char *error; /* expected message after "t.tsv:" */
} bad_catalogs[] = {
  {"", "1:1: no header line"},
  {"# only a comment\n", "1:1: no header line"},
  {HEADER, "1:1: no rows"},
  {"repository\ttag\n", "1:15: header has 2 fields, expected 18"},
  {"repository\ttags\tfamily\tlibc\tshell\tpkg\tuser\tcc\truntime\tkind\t"
   "amd64_bytes\tarm64_bytes\tsize_status\tsize_as_of\tsize_source\teol\t"
   "eol_source\tsource\n",
   "1:12: header field 2 must be \"tag\", not \"tags\""},
  {HEADER GOOD "example.com/x/app\t2\n", "3:20: row has 2 fields, expected 18"},
  {HEADER GOOD GOOD, "3:19: duplicate row for example.com/x/app:1* (first on line 2)"},
  {HEADER "node\t1\tdebian\tglibc\tyes\tapt\troot\tno\t\tfull\t\t\tunknown\t\t\t\t\tn\n",
   "2:1: repository must be a normalized name such as docker.io/library/node, not \"node\""},
  {HEADER "example.com/x/app\t-1\tdebian\tglibc\tyes\tapt\troot\tno\t\tfull\t\t\tunknown\t\t\t\t\tn\n",
   "2:19: tag pattern must be tag characters and \"*\", not \"-1\""},
  {HEADER "example.com/x/app\t1\tdebian\tgnu\tyes\tapt\troot\tno\t\tfull\t\t\tunknown\t\t\t\t\tn\n",
   "2:28: invalid libc \"gnu\" (expected glibc musl none)"},
  {HEADER "example.com/x/app\t1\tdebian\tglibc\ttrue\tapt\troot\tno\t\tfull\t\t\tunknown\t\t\t\t\tn\n",
   "2:34: shell must be yes or no, not \"true\""},
  {HEADER "example.com/x/app\t1\tdebian\tglibc\tyes\tapt\troot\tno\t\tfull\t12 MB\t\tsourced\t\tx\t\t\tn\n",
   "2:56: size must be a byte count (digits only), not \"12 MB\""},
  {HEADER "example.com/x/app\t1\tdebian\tglibc\tyes\tapt\troot\tno\t\tfull\t\t\tsourced\t\tx\t\t\tn\n",
   "2:56: size status sourced needs the amd64 size"},
  {HEADER "example.com/x/app\t1\tdebian\tglibc\tyes\tapt\troot\tno\t\tfull\t5\t\tunknown\t\t\t\t\tn\n",
   "2:56: size status unknown but a size is given"},
  {HEADER "example.com/x/app\t1\tdebian\tglibc\tyes\tapt\troot\tno\t\tfull\t5\t\testimated\t\t\t\t\tn\n",
   "2:70: size status estimated needs size_source"},
  {HEADER "example.com/x/app\t1\tdebian\tglibc\tyes\tapt\troot\tno\t\tfull\t\t\tunknown\t\t\t2024-02-30\tx\tn\n",
   "2:68: eol must be a YYYY-MM-DD date, not \"2024-02-30\""},
  {HEADER "example.com/x/app\t1\tdebian\tglibc\tyes\tapt\troot\tno\t\tfull\t\t\tunknown\t\t\t2024-02-01\t\tn\n",
   "2:79: eol date without eol_source"},
  {HEADER "example.com/x/app\t1\tdebian\tglibc\tyes\tapt\troot\tno\t\tfull\t\t\tunknown\t\t\t\t\t\n",
   "2:70: source is empty: every row must say where it comes from"},
  {HEADER "example.com/x/app\t1\tdebian\tglibc\tyes\tapt\troot\tno\t\tfull\t\t\tunknown\t\t\t\t\tn\r\n",
   "2:71: control character in line (tabs separate fields; CRLF line ends are not accepted)"},
  {HEADER "example.com/x/app\t1\tdebian\tglibc\tyes\tapt\troot\tno\tnode  20\tfull\t\t\tunknown\t\t\t\t\tn\n",
   "2:50: runtime must be printable ASCII words separated by single spaces"},
};

START_TEST(malformed_catalog)
{
  const char *text = bad_catalogs[_i].text;
  dfl_catalog *cat = (dfl_catalog *)1;
  char *err = NULL;
  ck_assert_int_eq(dfl_catalog_load_mem("t.tsv", text, strlen(text), &cat, &err), -1);
  ck_assert_ptr_null(cat);
  ck_assert_ptr_nonnull(err);
  char want[256];
  snprintf(want, sizeof want, "t.tsv:%s", bad_catalogs[_i].error);
  ck_assert_str_eq(err, want);
  free(err);
}
END_TEST

/* The generator script rejects the same files with the same position. */
START_TEST(generator_agrees_on_errors)
{
  char dir[] = "/tmp/dflint-catalog-XXXXXX";
  ck_assert_ptr_nonnull(mkdtemp(dir));
  char tsv[300], out[300], cmd[1200];
  snprintf(tsv, sizeof tsv, "%s/bad.tsv", dir);
  snprintf(out, sizeof out, "%s/out.inc", dir);
  for (size_t i = 0; i < sizeof bad_catalogs / sizeof bad_catalogs[0]; i++) {
    FILE *f = fopen(tsv, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(bad_catalogs[i].text, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "sh '%s/scripts/gen-catalog.sh' '%s' '%s' 2>&1 >/dev/null",
             DFLINT_SOURCE_DIR, tsv, out);
    FILE *p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    char got[512] = "";
    if (!fgets(got, sizeof got, p))
      got[0] = '\0';
    int status = pclose(p);
    got[strcspn(got, "\n")] = '\0';
    char want[600];
    snprintf(want, sizeof want, "%s:%s", tsv, bad_catalogs[i].error);
    ck_assert_msg(status != 0, "case %zu: generator accepted it", i);
    /* The generator words one message differently (it names the missing
     * header field); the position must agree everywhere. */
    size_t pos = strcspn(want + strlen(tsv) + 1, " ") + strlen(tsv) + 1;
    ck_assert_msg(strncmp(got, want, pos) == 0, "case %zu: generator said\n  %s\nloader says\n  %s",
                  i, got, want);
    ck_assert(access(out, F_OK) != 0); /* no half-written output */
  }
  remove(tsv);
  rmdir(dir);
}
END_TEST

START_TEST(load_file_and_use_it)
{
  char path[] = "/tmp/dflint-catalog-XXXXXX";
  int fd = mkstemp(path);
  ck_assert_int_ge(fd, 0);
  const char *text = "# a replacement catalog\n\n" HEADER GOOD
                     "example.com/x/app\t1*-slim\tdebian\tglibc\tyes\tapt\troot\tno\tnode 20\tslim\t"
                     "\t\tunknown\t\t\t\t\tnotes\n"
                     "example.com/x/app\tbad*\tdebian\tgnu\n";
  ck_assert(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
  close(fd);

  dfl_catalog *cat = NULL;
  char *err = NULL;
  ck_assert_int_eq(dfl_catalog_load(path, &cat, &err), -1);
  char want[200];
  snprintf(want, sizeof want, "%s:6:34: row has 4 fields, expected 18", path);
  ck_assert_str_eq(err, want);
  free(err);

  /* Drop the bad last line and it loads and answers lookups. */
  FILE *f = fopen(path, "wb");
  fwrite(text, 1, strstr(text, "example.com/x/app\tbad*") - text, f);
  fclose(f);
  ck_assert_msg(dfl_catalog_load(path, &cat, &err) == 0, "%s", err);
  ck_assert_uint_eq(dfl_catalog_count(cat), 2);
  dfl_catalog_match m;
  ck_assert_int_eq(dfl_catalog_lookup(cat, "example.com/x/app:1.2-slim", &m, NULL), 1);
  ck_assert_str_eq(m.entry->tag, "1*-slim");
  ck_assert_uint_eq(m.entry->line, 5);
  const dfl_catalog_entry *alt[4];
  ck_assert_int_eq(dfl_catalog_lookup(cat, "example.com/x/app:1.2", &m, NULL), 1);
  ck_assert_uint_eq(dfl_catalog_alternatives(cat, m.entry, alt, 4), 1);
  ck_assert_ptr_eq(alt[0], dfl_catalog_at(cat, 0)); /* 1*-slim sorts first */
  /* The built-in catalog knows nothing of this repository. */
  ck_assert_int_eq(dfl_catalog_lookup(dfl_catalog_builtin(), "example.com/x/app:1", &m, NULL), 0);
  dfl_catalog_free(cat);
  dfl_catalog_free((dfl_catalog *)dfl_catalog_builtin()); /* a no-op */
  remove(path);

  ck_assert_int_eq(dfl_catalog_load("/nonexistent/catalog.tsv", &cat, &err), -1);
  ck_assert_str_eq(err, "/nonexistent/catalog.tsv: No such file or directory");
  free(err);
}
END_TEST

START_TEST(enum_names)
{
  ck_assert_str_eq(dfl_cat_family_name(DFL_CAT_FAMILY_CHAINGUARD), "chainguard");
  ck_assert_str_eq(dfl_cat_libc_name(DFL_CAT_LIBC_NONE), "none");
  ck_assert_str_eq(dfl_cat_pkg_name(DFL_CAT_PKG_MICRODNF), "microdnf");
  ck_assert_str_eq(dfl_cat_kind_name(DFL_CAT_KIND_STATIC), "static");
  ck_assert_str_eq(dfl_cat_kind_name(DFL_CAT_KIND_SDK), "sdk");
  ck_assert_str_eq(dfl_cat_kind_name((dfl_cat_kind)0), "?");
  ck_assert_str_eq(dfl_cat_size_status_name(DFL_CAT_SIZE_ESTIMATED), "estimated");
}
END_TEST

static Suite *catalog_suite(void)
{
  Suite *s = suite_create("catalog");
  TCase *tc = tcase_create("data");
  tcase_add_test(tc, every_row_has_source);
  tcase_add_test(tc, dates_parse);
  tcase_add_test(tc, sizes_match_shared);
  tcase_add_test(tc, size_counts_and_flags);
  tcase_add_test(tc, builtin_equals_loaded_tsv);
  suite_add_tcase(s, tc);

  tc = tcase_create("lookup");
  tcase_add_test(tc, lookup_node);
  tcase_add_test(tc, lookup_golang);
  tcase_add_test(tc, lookup_distroless_and_static);
  tcase_add_test(tc, lookup_distributions);
  tcase_add_test(tc, lookup_digest);
  tcase_add_test(tc, lookup_unknown_and_invalid);
  tcase_add_test(tc, tag_patterns);
  tcase_add_test(tc, alternatives_node20);
  tcase_add_test(tc, alternatives_other_runtimes);
  tcase_add_test(tc, enum_names);
  suite_add_tcase(s, tc);

  tc = tcase_create("load");
  tcase_add_loop_test(tc, malformed_catalog, 0,
                      sizeof bad_catalogs / sizeof bad_catalogs[0]);
  tcase_add_test(tc, generator_agrees_on_errors);
  tcase_add_test(tc, load_file_and_use_it);
  tcase_set_timeout(tc, 60);
  suite_add_tcase(s, tc);
  return s;
}

int main(void)
{
  return tu_run_suite(catalog_suite());
}
