/* Helpers of the image rules DF101, DF103, DF105 and DF107: which catalog
 * rows can be shown as a replacement for another, the lighter variants of an
 * image, the oldest supported release of a runtime, and message pieces. */
#ifndef DFLINT_DFA_COMMON_H
#define DFLINT_DFA_COMMON_H

#include <stdbool.h>
#include <stddef.h>

#include "df_common.h"

/* The third word of the runtime ("jdk" of "java 21 jdk", "aspnet" of
 * "dotnet 8 aspnet"), or "" when there is none. Written to buf. */
void dfa_flavour(const dfl_catalog_entry *e, char *buf, size_t n);

/* Whether row c can be offered to someone running row e: its tag pattern
 * reads as a real tag, and a distroless "debug" or "nonroot" row only when e
 * is one too. */
bool dfa_presentable(const dfl_catalog_entry *c, const dfl_catalog_entry *e);

/* The lighter variants of e that serve the same runtime (and the same
 * flavour, unless e is a JDK/SDK, which any flavour of its runtime can
 * replace), one per kind: the smallest known size of that kind, else the
 * first row. Heaviest kind first. Returns how many (at most max). */
size_t dfa_lighter(const dfl_catalog *cat, const dfl_catalog_entry *e,
                   const dfl_catalog_entry **out, size_t max);

/* The oldest release of e's runtime (same runtime name, same or higher
 * version) that is still supported on today (YYYYMMDD): EOL after today, or
 * no EOL known yet. Among rows of that version: same repository, flavour, kind and
 * tag style first. NULL when the catalog has none. */
const dfl_catalog_entry *dfa_supported_replacement(const dfl_catalog *cat,
                                                   const dfl_catalog_entry *e,
                                                   int32_t today);

/* Compiler and SDK images: the repositories golang, rust, maven, gradle,
 * gcc, buildpack-deps and mcr.microsoft.com/dotnet/sdk (repo is the
 * normalized name), and catalog rows of kind sdk or flavour jdk/sdk. Either
 * argument may be NULL. */
bool dfa_is_toolchain(const char *repo, const dfl_catalog_entry *e);

/* Whether target takes files from a stage outside its own FROM chain
 * (COPY --from, RUN --mount from=): a multi-stage build, the complement of
 * DF102's single stage. */
bool dfa_multi_stage(const dfl_model *m, const dfl_stage *target);

/* How well row c continues row e, higher is better: the same repository,
 * flavour, kind, libc and tag style ("16*-alpine*" -> "22*-alpine*"), in
 * that order of weight. */
int dfa_fit_score(const dfl_catalog_entry *c, const dfl_catalog_entry *e);

/* "2023-09-11" for YYYYMMDD. */
void dfa_format_ymd(int32_t ymd, char *buf, size_t n);

/* "node:20 (398 MB)": df_entry_ref and df_format_size together. */
void dfa_ref_size(const dfl_catalog_entry *e, char *buf, size_t n);

/* The range of a FROM's image word (the whole FROM if it has none). */
dfl_range dfa_from_image_range(const dfl_instr *from);

#endif
