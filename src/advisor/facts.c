/* Base-image facts through an ordered chain of sources (facts.h), and the
 * catalog as one of them. */
#include "advisor/facts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dflint/arena.h"
#include "dflint/buf.h"
#include "dflint/platform.h"

struct dfl_facts_memo {
  int rc;
  dfl_image_facts facts;
};

const char *dfl_facts_origin_name(dfl_facts_origin o)
{
  switch (o) {
  case DFL_FACTS_REGISTRY:
    return "registry";
  case DFL_FACTS_CACHE:
    return "cache";
  case DFL_FACTS_CATALOG:
    return "catalog";
  case DFL_FACTS_NONE:
    break;
  }
  return "none";
}

static char *dup_or_null(const char *s)
{
  return s ? dfl_xstrndup(s, strlen(s)) : NULL;
}

void dfl_image_facts_free(dfl_image_facts *f)
{
  if (!f)
    return;
  free(f->ref);
  free(f->platform);
  free(f->digest);
  free(f->as_of);
  free(f->detail);
  free(f->user);
  free(f->note);
  memset(f, 0, sizeof *f);
}

void dfl_image_facts_copy(dfl_image_facts *dst, const dfl_image_facts *src)
{
  *dst = *src;
  dst->ref = dup_or_null(src->ref);
  dst->platform = dup_or_null(src->platform);
  dst->digest = dup_or_null(src->digest);
  dst->as_of = dup_or_null(src->as_of);
  dst->detail = dup_or_null(src->detail);
  dst->user = dup_or_null(src->user);
  dst->note = dup_or_null(src->note);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned)(y - era * 400);
  unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (int64_t)doe - 719468;
}

int32_t dfl_facts_days_between(int32_t a, int32_t b)
{
  int64_t da = days_from_civil(a / 10000, (unsigned)(a / 100 % 100),
                               (unsigned)(a % 100));
  int64_t db = days_from_civil(b / 10000, (unsigned)(b / 100 % 100),
                               (unsigned)(b % 100));
  return (int32_t)(db - da);
}

int32_t dfl_facts_date_add(int32_t ymd, int32_t days)
{
  /* H. Hinnant's civil_from_days. */
  int64_t z = days_from_civil(ymd / 10000, (unsigned)(ymd / 100 % 100),
                              (unsigned)(ymd % 100)) +
              days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = (unsigned)(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = (int64_t)yoe + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  unsigned d = doy - (153 * mp + 2) / 5 + 1;
  unsigned m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  return (int32_t)(y * 10000 + m * 100 + d);
}

char *dfl_facts_platform(const char *platform, char **err)
{
  dfl_platform p;
  if (dfl_platform_parse(platform, strlen(platform), &p, err) != 0)
    return NULL;
  dfl_platform_normalize(&p);
  char *s = dfl_platform_format(&p);
  dfl_platform_free(&p);
  return s;
}

/* ---- the catalog source ------------------------------------------------- */

static int catalog_lookup(void *data, const char *ref, const char *platform,
                          int32_t today, dfl_image_facts *out, char **why)
{
  const dfl_catalog *cat = data;
  dfl_catalog_match m;
  char *err = NULL;
  int rc = dfl_catalog_lookup(cat, ref, &m, &err);
  if (rc < 0) {
    *why = err;
    return -1;
  }
  if (rc == 0) {
    dfl_buf b;
    dfl_buf_init(&b);
    dfl_buf_puts(&b, m.repository_known ? "no row for this tag"
                                        : "not in the catalog");
    *why = dfl_buf_take(&b);
    return 0;
  }
  const dfl_catalog_entry *e = m.entry;
  out->origin = DFL_FACTS_CATALOG;
  /* The catalog carries the two platforms official images are measured
   * for; any other one is unknown rather than guessed from amd64. */
  int64_t size = -1;
  if (strcmp(platform, "linux/amd64") == 0)
    size = e->size_amd64;
  else if (strcmp(platform, "linux/arm64") == 0)
    size = e->size_arm64;
  out->compressed_bytes = size;
  out->estimated = size >= 0 && e->size_status == DFL_CAT_SIZE_ESTIMATED;
  if (size >= 0 && *e->size_as_of) {
    out->as_of = dup_or_null(e->size_as_of);
    int32_t d = dfl_catalog_parse_date(e->size_as_of, strlen(e->size_as_of));
    out->age_days = d && today ? dfl_facts_days_between(d, today) : -1;
  }
  if (size >= 0 && *e->size_source)
    out->detail = dup_or_null(e->size_source);
  out->user = dup_or_null(e->nonroot ? "nonroot" : "");
  out->shell = e->shell ? DFL_FACT_YES : DFL_FACT_NO;
  out->libc = e->libc;
  return 1;
}

dfl_facts_source dfl_facts_catalog_source(const dfl_catalog *cat)
{
  dfl_facts_source s = {"catalog", catalog_lookup, NULL, (void *)cat, NULL};
  return s;
}

/* ---- the chain ---------------------------------------------------------- */

void dfl_facts_init(dfl_facts *f, const dfl_catalog *cat, int32_t today)
{
  memset(f, 0, sizeof *f);
  f->catalog = cat ? cat : dfl_catalog_builtin();
  f->today = today;
}

void dfl_facts_add_source(dfl_facts *f, dfl_facts_source src)
{
  f->sources = dfl_xrealloc(f->sources, (f->nsources + 1) * sizeof *f->sources);
  f->sources[f->nsources++] = src;
}

void dfl_facts_free(dfl_facts *f)
{
  for (size_t i = 0; i < f->nsources; i++)
    if (f->sources[i].free)
      f->sources[i].free(f->sources[i].data);
  free(f->sources);
  for (size_t i = 0; i < f->nmemo; i++)
    dfl_image_facts_free(&f->memo[i].facts);
  free(f->memo);
  memset(f, 0, sizeof *f);
}

void dfl_facts_prefetch(dfl_facts *f, const char *const *refs, size_t n,
                        const char *platform)
{
  char *plat = dfl_facts_platform(platform ? platform : "linux/amd64", NULL);
  if (!plat)
    return;
  for (size_t i = 0; i < f->nsources; i++)
    if (f->sources[i].prefetch)
      f->sources[i].prefetch(f->sources[i].data, refs, n, plat, f->today);
  free(plat);
}

static void unknown(dfl_image_facts *out)
{
  out->compressed_bytes = -1;
  out->age_days = -1;
  out->shell = DFL_FACT_UNKNOWN;
  out->libc = DFL_FACT_UNKNOWN;
}

static int remember(dfl_facts *f, int rc, const dfl_image_facts *x)
{
  if (f->nmemo == f->capmemo) {
    f->capmemo = f->capmemo ? f->capmemo * 2 : 16;
    f->memo = dfl_xrealloc(f->memo, f->capmemo * sizeof *f->memo);
  }
  f->memo[f->nmemo].rc = rc;
  dfl_image_facts_copy(&f->memo[f->nmemo].facts, x);
  f->nmemo++;
  return rc;
}

int dfl_facts_lookup(dfl_facts *f, const char *ref, const char *platform,
                     dfl_image_facts *out)
{
  memset(out, 0, sizeof *out);
  unknown(out);
  out->ref = dup_or_null(ref);
  char *perr = NULL;
  char *plat = dfl_facts_platform(platform ? platform : "linux/amd64", &perr);
  if (!plat) {
    out->note = perr;
    return -1;
  }
  for (size_t i = 0; i < f->nmemo; i++) {
    const dfl_image_facts *m = &f->memo[i].facts;
    if (strcmp(m->ref, ref) == 0 && strcmp(m->platform, plat) == 0) {
      free(plat);
      dfl_image_facts_free(out);
      dfl_image_facts_copy(out, m);
      return f->memo[i].rc;
    }
  }
  out->platform = plat;

  dfl_image_ref r;
  char *rerr = NULL;
  if (dfl_image_ref_parse(ref, strlen(ref), &r, &rerr) != 0) {
    out->note = rerr;
    return remember(f, -1, out);
  }
  dfl_catalog_match m;
  dfl_catalog_lookup_ref(f->catalog, &r, &m);
  dfl_image_ref_free(&r);

  dfl_buf notes;
  dfl_buf_init(&notes);
  int rc = 0;
  for (size_t i = 0; i < f->nsources && rc != 1; i++) {
    const dfl_facts_source *s = &f->sources[i];
    dfl_image_facts got;
    memset(&got, 0, sizeof got);
    unknown(&got);
    char *why = NULL;
    int r1 = s->lookup(s->data, ref, plat, f->today, &got, &why);
    if (r1 == 1) {
      /* The answer's own identity stays ours; its note (an expired cache
       * entry used) joins those of the sources before it. */
      if (got.note)
        dfl_buf_printf(&notes, "%s%s: %s", notes.len ? "; " : "", s->name,
                       got.note);
      free(got.ref);
      free(got.platform);
      free(got.note);
      got.ref = out->ref;
      got.platform = out->platform;
      got.note = NULL;
      *out = got;
      rc = 1;
    } else {
      dfl_image_facts_free(&got);
      /* A source that simply does not know the image, and says nothing,
       * leaves no note (offline cache misses, FROM scratch). */
      if (why || r1 < 0)
        dfl_buf_printf(&notes, "%s%s: %s", notes.len ? "; " : "", s->name,
                       why ? why : "failed");
    }
    free(why);
  }
  if (!f->nsources)
    dfl_buf_puts(&notes, "no source of facts");
  else if (rc != 1 && !notes.len)
    dfl_buf_puts(&notes, "no source knows it");
  out->entry = m.entry;
  out->tag_known = m.tag_known;
  out->note = notes.len ? dfl_buf_take(&notes) : NULL;
  dfl_buf_free(&notes);
  if (!out->user && out->entry)
    out->user = dup_or_null(out->entry->nonroot ? "nonroot" : "");
  if (out->shell == DFL_FACT_UNKNOWN && out->entry)
    out->shell = out->entry->shell ? DFL_FACT_YES : DFL_FACT_NO;
  if (out->libc == DFL_FACT_UNKNOWN && out->entry)
    out->libc = out->entry->libc;
  return remember(f, rc, out);
}
