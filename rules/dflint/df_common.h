/* Shared by dflint's image rules (DF1xx): the stage an image runs on, and
 * what the catalog knows about it. */
#ifndef DFLINT_DF_COMMON_H
#define DFLINT_DF_COMMON_H

#include <stdbool.h>

#include "dflint/catalog.h"
#include "dflint/rule.h"

/* The image a stage finally runs on: its FROM chain followed through
 * earlier stages to the first one built from an image. */
typedef struct df_base {
  const dfl_stage *stage; /* the stage asked about */
  const dfl_stage *root;  /* the stage in its FROM chain that names an image */
  const char *image;      /* the image after ARG expansion; NULL when it has
                             unresolved variables or did not expand */
  bool scratch;           /* FROM scratch */
  dfl_catalog_match match; /* match.entry NULL: the catalog does not know it */
} df_base;

/* The catalog in effect: --catalog, else the embedded one. */
const dfl_catalog *df_catalog(const dfl_ctx *ctx);
/* Fills *out for st; returns true when the image is known to the catalog. */
bool df_stage_base(const dfl_ctx *ctx, const dfl_stage *st, df_base *out);
/* The final stage of the default target (or --target): NULL when none. */
const dfl_stage *df_final_stage(const dfl_ctx *ctx);
/* "123 MB" / "45.6 MB" / "unknown size"; "~" prefixed for estimates. */
void df_format_size(const dfl_catalog_entry *e, char *buf, size_t n);
/* The image reference to show for an entry: repository without
 * docker.io/library/ plus the tag pattern with '*' removed where that reads
 * well ("node:20-alpine", "gcr.io/distroless/nodejs20-debian12"). */
void df_entry_ref(const dfl_catalog_entry *e, char *buf, size_t n);

#endif
