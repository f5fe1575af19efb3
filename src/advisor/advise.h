/* The base-image advisor: for the final stage of a Dockerfile's target,
 * the image it runs on, what the stage adds to it, the lighter images that
 * could replace it with their caveats, and a verdict.
 *
 * It reads the Dockerfile (model, dispatch state, RUN scripts), the build
 * context (what COPY/ADD take from it, after .dockerignore; package.json and
 * requirements*.txt as evidence) and the base-image facts (facts.h: a
 * registry, a cache or the catalog). It writes nothing and never runs
 * anything. docs/advise.md describes the output and the decisions. */
#ifndef DFLINT_ADVISOR_ADVISE_H
#define DFLINT_ADVISOR_ADVISE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "advisor/facts.h"
#include "dflint/ast.h"
#include "dflint/expand.h"

/* How an alternative fits the stage as it is written. */
typedef enum dfl_advice_fit {
  DFL_FIT_DROP_IN, /* replace the FROM and rebuild */
  DFL_FIT_CHANGES, /* works after a known change to the Dockerfile or build
                      (a build stage for the RUN steps, CGO_ENABLED=0,
                      another runtime version) */
  DFL_FIT_RISKY    /* may break at run time: evidence says the app needs
                      what the image lacks (glibc for native modules) */
} dfl_advice_fit;

/* "drop-in", "changes", "risky". */
const char *dfl_advice_fit_name(dfl_advice_fit f);

typedef struct dfl_strlist {
  char **items;
  size_t n;
} dfl_strlist;

void dfl_strlist_push(dfl_strlist *l, const char *s);
void dfl_strlist_pushf(dfl_strlist *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void dfl_strlist_free(dfl_strlist *l);

typedef struct dfl_advice_alt {
  char *ref;                     /* "node:22-alpine" */
  dfl_image_facts facts;         /* size and where it came from */
  const dfl_catalog_entry *entry; /* the catalog row it was drawn from */
  int64_t estimated_image_bytes; /* base + the context payload; -1 when the
                                    base size is unknown */
  dfl_advice_fit fit;
  char *change;                  /* fit != DROP_IN: the change, short
                                    ("moving RUN (line 4) to a build stage") */
  dfl_strlist caveats;           /* full sentences, most important first */
  bool eol_passed;               /* its runtime/distribution is past EOL */
} dfl_advice_alt;

typedef struct dfl_advice {
  char *file;               /* the Dockerfile as given */
  char *stage_name;         /* as written, or NULL */
  size_t stage_index;
  uint32_t line;            /* line of the stage's FROM */
  char *base_ref;           /* the image after ARG expansion; NULL when it
                               did not resolve */
  char *base_raw;           /* as written after FROM */
  bool base_scratch;
  dfl_image_facts base;     /* facts of base_ref (origin NONE if unknown) */
  int64_t base_image_bytes; /* base + payload; -1 unknown */
  dfl_strlist base_notes;   /* end of life, toolchain, unknown image ... */
  /* What the stage (and the stages of its FROM chain) adds to the base. */
  uint64_t context_bytes;   /* from the build context, after .dockerignore */
  uint64_t context_files;
  bool payload_complete;    /* false: parts below are not counted */
  dfl_strlist payload_unknown; /* "COPY --from=build /out/app (line 12)" */
  dfl_strlist evidence;     /* what was learned about the app, with lines */
  dfl_advice_alt *alts;     /* largest first, unknown sizes last */
  size_t nalts;
  char *slimming;           /* the slimtoolkit note, or NULL */
  char *verdict;
  char *choice;             /* the recommended ref, or NULL when the current
                               base is already the best (or unknown) */
} dfl_advice;

typedef struct dfl_advise_options {
  dfl_facts *facts;           /* required */
  const char *platform;       /* "linux/amd64" (normalized) */
  const char *context_dir;    /* NULL: the Dockerfile's directory */
  const char *target;         /* NULL: the last stage */
  const dfl_env *build_args;  /* NULL: none */
  int32_t today;              /* YYYYMMDD */
} dfl_advise_options;

/* Advice for df (read from path). Returns 0 with *out filled, or -1 with
 * *err (malloc'd) when the file has no stage to advise on (no FROM, or
 * --target names none). out is always initialised; free it with
 * dfl_advice_free. */
int dfl_advise(const dfl_dockerfile *df, const char *path,
               const dfl_advise_options *o, dfl_advice *out, char **err);
void dfl_advice_free(dfl_advice *a);

/* Compressed/decimal sizes as the advisor prints them: "0 B", "812 B",
 * "4.5 kB", "61 MB", "~43 MB" when approximate, "unknown" for -1. */
void dfl_advise_format_size(int64_t bytes, bool approx, char *buf, size_t n);

#endif
