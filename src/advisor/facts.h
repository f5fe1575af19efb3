/* Base-image facts for the advisor, through one small interface.
 *
 * The advisor asks one question about an image: "what is REF on PLATFORM"
 * (its compressed size, digest, default user, shell, libc ...), and wants to
 * know where the answer came from and how old it is. Several sources can
 * answer it:
 *   - the registry (asked now: exact figures for that platform, a digest),
 *   - a cache of earlier registry answers (exact, but as old as the entry),
 *   - the catalog (data/catalog.tsv, compiled in: sourced or estimated
 *     figures with the date they were measured, traits for every row).
 * A dfl_facts holds the sources in the order they are tried. The first one
 * that knows the image answers; the reasons the earlier ones did not
 * (unreachable, no entry, rate-limited) are kept in the answer's `note` so
 * that a fallback is never silent. Whatever source answers, the catalog row
 * of the image (if any) is attached too: it is where the kind of variant,
 * the runtime and the end-of-life date come from.
 *
 * The catalog source lives in facts.c, the registry and its cache in
 * facts_registry.c; any other is a dfl_facts_source whose lookup fills the
 * same struct (docs/advise.md, "Where the facts come from", says how the CLI
 * orders them). Answers are memoised
 * per (reference, platform) for the life of the dfl_facts, so an advisor
 * run asks each source about an image at most once.
 *
 * Not thread-safe: one dfl_facts per thread. */
#ifndef DFLINT_ADVISOR_FACTS_H
#define DFLINT_ADVISOR_FACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dflint/catalog.h"

typedef enum dfl_facts_origin {
  DFL_FACTS_NONE = 0, /* no source knew the image */
  DFL_FACTS_REGISTRY, /* asked the registry during this run */
  DFL_FACTS_CACHE,    /* an earlier registry answer, stored on disk */
  DFL_FACTS_CATALOG   /* the catalog in effect (embedded or --catalog) */
} dfl_facts_origin;

/* "registry", "cache", "catalog", "none". */
const char *dfl_facts_origin_name(dfl_facts_origin o);

/* Tri-state traits: the value, or unknown. */
enum { DFL_FACT_UNKNOWN = -1, DFL_FACT_NO = 0, DFL_FACT_YES = 1 };

/* One answer. Strings are malloc'd (NULL when unknown) and freed by
 * dfl_image_facts_free; `entry` points into the catalog. */
typedef struct dfl_image_facts {
  dfl_facts_origin origin;
  char *ref;          /* the reference asked about, as given */
  char *platform;     /* normalized: "linux/amd64", "linux/arm64/v8" */
  char *digest;       /* manifest digest ("sha256:..."); NULL from the
                         catalog, which records none */
  int64_t compressed_bytes; /* sum of the platform's layer sizes; -1 unknown */
  bool estimated;     /* the figure is approximate (a catalog estimate) */
  char *as_of;        /* "YYYY-MM-DD" the figure dates from: the catalog's
                         size_as_of, or the day the registry was asked;
                         NULL when undated */
  int32_t age_days;   /* today - as_of in days; -1 when undated */
  char *detail;       /* where exactly: the catalog's size_source
                         citation, or the registry URL; NULL if none */
  char *user;         /* the image's default user: "" for root, "65532",
                         "nonroot"; NULL unknown */
  int shell;          /* /bin/sh exists: DFL_FACT_* */
  int libc;           /* a dfl_cat_libc, or DFL_FACT_UNKNOWN */
  /* The catalog row for the image, whichever source answered; NULL when
   * the catalog does not know it. */
  const dfl_catalog_entry *entry;
  bool tag_known;     /* false for a digest reference matched to the
                         repository's "*" row */
  /* Why the sources tried before `origin` gave no answer, "; "-separated
   * ("registry: connection refused; cache: no entry"), or NULL when the
   * first source answered. */
  char *note;
} dfl_image_facts;

void dfl_image_facts_free(dfl_image_facts *f);
/* A deep copy of src into *dst. */
void dfl_image_facts_copy(dfl_image_facts *dst, const dfl_image_facts *src);

/* A source of facts. lookup returns 1 when it answered (out filled: origin,
 * size, ...; the caller attaches entry and note), 0 when it does not know
 * the image (*why may say why, malloc'd), -1 when it failed (*why set:
 * "connection refused", "429 rate-limited"). out arrives zeroed with
 * compressed_bytes, age_days, shell and libc at their "unknown" values.
 * today is YYYYMMDD (for ages). free releases data (may be NULL). */
typedef struct dfl_facts_source {
  const char *name; /* "registry", "cache", "catalog": used in notes */
  int (*lookup)(void *data, const char *ref, const char *platform,
                int32_t today, dfl_image_facts *out, char **why);
  void (*free)(void *data);
  void *data;
  /* Optional (NULL): told every reference a run is about to look up, so a
   * source that can fetch them together (the registry client, concurrently)
   * does so once; lookup then answers from what it fetched. */
  void (*prefetch)(void *data, const char *const *refs, size_t n,
                   const char *platform, int32_t today);
} dfl_facts_source;

typedef struct dfl_facts_memo dfl_facts_memo;

typedef struct dfl_facts {
  const dfl_catalog *catalog; /* for `entry`, and the catalog source */
  int32_t today;              /* YYYYMMDD */
  dfl_facts_source *sources;  /* tried in this order */
  size_t nsources;
  dfl_facts_memo *memo;
  size_t nmemo, capmemo;
} dfl_facts;

/* An empty chain over cat (the embedded one when NULL); today is YYYYMMDD. */
void dfl_facts_init(dfl_facts *f, const dfl_catalog *cat, int32_t today);
/* Appends a source: it is tried after those added before it. f owns it. */
void dfl_facts_add_source(dfl_facts *f, dfl_facts_source src);
/* The catalog as a source (what `dflint advise --offline` uses, and the
 * last resort otherwise). cat must outlive the source. */
dfl_facts_source dfl_facts_catalog_source(const dfl_catalog *cat);
void dfl_facts_free(dfl_facts *f);

/* The registry client (include/dflint/registry.h, with its on-disk cache)
 * as a source, in facts_registry.c. Online, it asks the registries (a fresh
 * cache entry answers without asking; an expired one answers, with a note,
 * when the registry cannot be reached); offline, only the cache answers and
 * the network is never used. o is copied; the strings it points to must
 * outlive the source. */
struct dfl_registry_opts;
dfl_facts_source dfl_facts_registry_source(const struct dfl_registry_opts *o,
                                           bool offline);

/* Passes refs to every source's prefetch (see dfl_facts_source); platform
 * as for dfl_facts_lookup. Optional: lookups work without it. */
void dfl_facts_prefetch(dfl_facts *f, const char *const *refs, size_t n,
                        const char *platform);

/* Facts about ref (as written after FROM, ARGs expanded) on platform
 * ("linux/amd64"; normalized here). Returns 1 when a source answered (a
 * catalog row whose size is unknown answers too: compressed_bytes is -1 but
 * the traits are known), 0 when no source knows the image (origin NONE,
 * note says what each source said), -1 when ref or platform is invalid
 * (note holds the parser's message). out must be freed with
 * dfl_image_facts_free. */
int dfl_facts_lookup(dfl_facts *f, const char *ref, const char *platform,
                     dfl_image_facts *out);

/* platform in containerd's normalized form ("arm64" -> "linux/arm64",
 * "linux/arm/v7"), malloc'd, or NULL with *err set (malloc'd) when it does
 * not parse. */
char *dfl_facts_platform(const char *platform, char **err);

/* Days from YYYYMMDD a to YYYYMMDD b (b - a); both must be valid dates. */
int32_t dfl_facts_days_between(int32_t a, int32_t b);
/* YYYYMMDD plus days (may be negative). */
int32_t dfl_facts_date_add(int32_t ymd, int32_t days);

#endif
