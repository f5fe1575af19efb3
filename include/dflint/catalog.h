/* The base-image catalog: traits (family, libc, shell, package manager,
 * default user, C toolchain, runtime served), compressed sizes and
 * end-of-life dates of common base images, each row with its source. It is
 * the offline default for the image-size rules (DF101-DF107) and for the
 * advisor; docs/catalog.md describes the data.
 *
 * The built-in catalog is data/catalog.tsv turned into sorted C arrays at
 * build time (scripts/gen-catalog.sh), so using it costs nothing at startup.
 * dfl_catalog_load reads a replacement in the same format (--catalog FILE).
 *
 * Lookups: the repository is found by binary search, an exact tag by binary
 * search among that repository's exact rows, and otherwise the repository's
 * glob rows are tried in decreasing specificity (they are few: at most a few
 * dozen per repository), so a lookup is O(log n + globs of one repository)
 * and allocates only to parse the reference string. */
#ifndef DFLINT_CATALOG_H
#define DFLINT_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dflint/refs.h"

typedef enum dfl_cat_family {
  DFL_CAT_FAMILY_ALPINE,
  DFL_CAT_FAMILY_DEBIAN,
  DFL_CAT_FAMILY_UBUNTU,
  DFL_CAT_FAMILY_DISTROLESS,
  DFL_CAT_FAMILY_SCRATCH,
  DFL_CAT_FAMILY_BUSYBOX,
  DFL_CAT_FAMILY_CHAINGUARD,
  DFL_CAT_FAMILY_OTHER
} dfl_cat_family;

/* The C library a dynamically linked program finds in the image: NONE means
 * there is no shared libc at all (scratch, distroless static, busybox:musl,
 * whose busybox is static), so only static binaries run there. */
typedef enum dfl_cat_libc {
  DFL_CAT_LIBC_GLIBC,
  DFL_CAT_LIBC_MUSL,
  DFL_CAT_LIBC_NONE
} dfl_cat_libc;

typedef enum dfl_cat_pkg {
  DFL_CAT_PKG_NONE,
  DFL_CAT_PKG_APK,
  DFL_CAT_PKG_APT,
  DFL_CAT_PKG_DNF,
  DFL_CAT_PKG_MICRODNF
} dfl_cat_pkg;

/* Variant kinds, in increasing weight: the order is the "ladder" the
 * alternatives walk down (an sdk image can be replaced by a runtime, slim,
 * alpine, distroless or static one). The numeric values are that order. */
typedef enum dfl_cat_kind {
  DFL_CAT_KIND_STATIC = 1,  /* for static binaries: scratch, distroless static */
  DFL_CAT_KIND_DISTROLESS,  /* no shell/package manager, but a libc/runtime */
  DFL_CAT_KIND_ALPINE,      /* musl-based variant */
  DFL_CAT_KIND_SLIM,        /* Debian -slim style variant */
  DFL_CAT_KIND_RUNTIME,     /* runtime only: JRE, aspnet, runtime */
  DFL_CAT_KIND_FULL,        /* full distribution variant */
  DFL_CAT_KIND_SDK          /* toolchain/build image: JDK, .NET SDK, golang */
} dfl_cat_kind;

/* Sourced: a published figure in ../shared/advisor (size_source cites it).
 * Estimated: a table estimate, a neighbouring tag's figure or arithmetic on
 * sourced figures, explained in size_source; print it
 * as approximate. Unknown: no figure; both sizes are -1. */
typedef enum dfl_cat_size_status {
  DFL_CAT_SIZE_UNKNOWN,
  DFL_CAT_SIZE_SOURCED,
  DFL_CAT_SIZE_ESTIMATED
} dfl_cat_size_status;

typedef struct dfl_catalog_entry {
  const char *repository;  /* normalized name: "docker.io/library/node" */
  const char *tag;         /* pattern: "20*-alpine*", "latest", "*" */
  const char *runtime;     /* "node 20", "java 21 jre", "static"; "" if none */
  const char *size_as_of;  /* "YYYY-MM-DD" the figure dates from, or "" */
  const char *size_source; /* citation or derivation; "" when unknown */
  const char *eol;         /* "YYYY-MM-DD", or "" when none is known */
  const char *eol_source;  /* "" when eol is "" */
  const char *source;      /* traits source and notes; never "" */
  int64_t size_amd64;      /* compressed bytes, linux/amd64; -1 unknown */
  int64_t size_arm64;      /* compressed bytes, linux/arm64/v8; -1 unknown */
  int32_t eol_ymd;         /* eol as YYYYMMDD, 0 when none */
  uint32_t line;           /* line of the row in its TSV file */
  uint16_t runtime_key_len; /* bytes of runtime that name it: "java 21" */
  uint8_t literal;         /* tag pattern: non-'*' characters */
  uint8_t wildcards;       /* tag pattern: '*' count; 0 = exact tag */
  uint8_t family, libc, pkg, kind, size_status; /* the enums above */
  bool shell;              /* has /bin/sh */
  bool nonroot;            /* default user is not root */
  bool cc;                 /* has a C compiler (gcc) */
} dfl_catalog_entry;

typedef struct dfl_catalog dfl_catalog;

/* The catalog compiled into the binary; static, never freed. */
const dfl_catalog *dfl_catalog_builtin(void);

/* Reads a replacement catalog (data/catalog.tsv format). Returns 0 and sets
 * *out, or -1 with *out NULL and *err (malloc'd) = "FILE:LINE:COLUMN: what"
 * for the first malformed field ("FILE: reason" when it cannot be read). */
int dfl_catalog_load(const char *path, dfl_catalog **out, char **err);
/* Same, from memory; name is used in messages. */
int dfl_catalog_load_mem(const char *name, const char *data, size_t len,
                         dfl_catalog **out, char **err);
/* Frees a loaded catalog; ignores NULL and the built-in one. */
void dfl_catalog_free(dfl_catalog *cat);

/* Rows, sorted by repository, then exact tags by tag, then tag patterns from
 * most to least specific. */
size_t dfl_catalog_count(const dfl_catalog *cat);
const dfl_catalog_entry *dfl_catalog_at(const dfl_catalog *cat, size_t i);

typedef struct dfl_catalog_match {
  /* The row that describes the image, or NULL: unknown repository, or a
   * known one whose rows match neither the tag nor "*". */
  const dfl_catalog_entry *entry;
  bool repository_known; /* the catalog has rows for this repository */
  /* False for a digest reference: the digest wins over any tag (that is
   * what Docker pulls), so only the repository's "*" row can apply and the
   * tag (hence version and variant) is unknown. */
  bool tag_known;
  bool tag_implicit;     /* no tag was written: "latest" was looked up */
} dfl_catalog_match;

/* Looks up an image reference as written after FROM (ARGs expanded), with
 * Docker's normalization ("alpine:3.19" = docker.io/library/alpine:3.19).
 * The most specific matching pattern wins: an exact tag, then the pattern
 * with most literal characters, then fewest '*', then the earlier row.
 * Returns 1 with *out->entry set when a row matched, 0 when none did (see
 * repository_known), or -1 when ref is not a valid reference (*err set to
 * Docker's message, malloc'd, if err is non-NULL). */
int dfl_catalog_lookup(const dfl_catalog *cat, const char *ref,
                       dfl_catalog_match *out, char **err);
/* Same for a parsed reference (dfl_image_ref_parse output); never fails. */
int dfl_catalog_lookup_ref(const dfl_catalog *cat, const dfl_image_ref *ref,
                           dfl_catalog_match *out);

/* Rows serving the same runtime (runtime name and version, e.g. "node 20";
 * "java 21 jdk" and "java 21 jre" are the same runtime) with a lighter kind
 * than e, heaviest first (node:20 -> slim, alpine, distroless), ties by
 * smaller known size. Fills up to max pointers and returns how many exist. */
size_t dfl_catalog_alternatives(const dfl_catalog *cat,
                                const dfl_catalog_entry *e,
                                const dfl_catalog_entry **out, size_t max);
/* All rows whose runtime name+version equals runtime ("static", "glibc",
 * "node 20"), in the same order. */
size_t dfl_catalog_by_runtime(const dfl_catalog *cat, const char *runtime,
                              const dfl_catalog_entry **out, size_t max);

/* True for a "*" glob of tag characters matching the whole of tag. */
bool dfl_catalog_tag_match(const char *pattern, const char *tag);

/* Parses a strict "YYYY-MM-DD" calendar date (year 1900-9999) into YYYYMMDD;
 * returns 0 when s is not one. */
int32_t dfl_catalog_parse_date(const char *s, size_t len);
/* 1 when the entry's runtime or distribution reached end of life on or
 * before today (YYYYMMDD), 0 when not yet, -1 when no date is known. */
int dfl_catalog_is_eol(const dfl_catalog_entry *e, int32_t today_ymd);

/* Names of the enum values, as written in the TSV. */
const char *dfl_cat_family_name(dfl_cat_family f);
const char *dfl_cat_libc_name(dfl_cat_libc l);
const char *dfl_cat_pkg_name(dfl_cat_pkg p);
const char *dfl_cat_kind_name(dfl_cat_kind k);
const char *dfl_cat_size_status_name(dfl_cat_size_status s);

#endif
