/* What `docker buildx build --call=outline` and `--call=targets` report,
 * computed offline the way BuildKit's dockerfile2llb does it
 * (dockerfile2llb/outline.go, ListTargets in convert.go): the build args a
 * target uses with their values and doc comments, the secrets and SSH
 * sockets its RUN --mount flags ask for, and the list of stages.
 *
 * The results render as the JSON BuildKit's subrequests return
 * (frontend/subrequests/{outline,targets}): Go's json.MarshalIndent with a
 * two-space indent, HTML-safe escapes, omitempty fields left out, and the
 * Dockerfile itself base64-encoded under "sources". */
#ifndef DFLINT_OUTLINE_H
#define DFLINT_OUTLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dflint/ast.h"
#include "dflint/buf.h"
#include "dflint/expand.h"

/* Source lines first..last (1-based): BuildKit's location is one range per
 * line of the instruction. */
typedef struct dfl_outline_lines {
  uint32_t first;
  uint32_t last;
} dfl_outline_lines;

typedef struct dfl_outline_arg {
  char *name;
  char *description; /* "" when the ARG has no doc comment */
  char *value;       /* build-arg or expanded default; "" when unset */
  dfl_outline_lines loc;
} dfl_outline_arg;

/* A secret or an SSH socket a RUN --mount asks for. */
typedef struct dfl_outline_mount {
  char *name; /* the secret id, or the SSH id ("default" when none) */
  bool required;
  dfl_outline_lines loc;
} dfl_outline_mount;

typedef struct dfl_outline {
  char *name;        /* the target stage's name; "" when it has none */
  char *description; /* its doc comment; "" when none */
  dfl_outline_arg *args; /* sorted by line */
  size_t nargs;
  dfl_outline_mount *secrets;
  size_t nsecrets;
  dfl_outline_mount *ssh;
  size_t nssh;
} dfl_outline;

typedef struct dfl_outline_options {
  const dfl_env *build_args; /* --build-arg values, or NULL */
  const char *target;        /* --target, or NULL for the last stage */
} dfl_outline_options;

/* Why BuildKit refuses the request: its message, and where when it points
 * at an instruction. */
typedef struct dfl_outline_error {
  char *message; /* malloc'd; may hold NUL bytes copied from the input */
  size_t len;
  bool has_pos;
  dfl_pos pos;
} dfl_outline_error;

/* One entry per FROM, in file order. Strings point into the syntax tree. */
typedef struct dfl_target {
  const char *name; /* lowercased stage name, or NULL */
  bool is_default;  /* the last stage */
  const char *description;
  size_t description_len;
  const char *base; /* the image word as written */
  size_t base_len;
  const char *platform; /* the --platform value as written, or NULL */
  size_t platform_len;
  dfl_outline_lines loc;
} dfl_target;

typedef struct dfl_targets {
  dfl_target *items;
  size_t n;
  char *names; /* storage for the lowercased names */
} dfl_targets;

/* The outline of opts->target (default: the last stage). Returns 0 and
 * fills *out, or -1 with *err set (free it with dfl_outline_error_free). */
int dfl_outline_build(const dfl_dockerfile *df, const dfl_outline_options *opts,
                      dfl_outline *out, dfl_outline_error *err);
void dfl_outline_free(dfl_outline *o);

/* The stage list (ListTargets). Returns 0, or -1 with *err set. */
int dfl_targets_build(const dfl_dockerfile *df, dfl_targets *out,
                      dfl_outline_error *err);
void dfl_targets_free(dfl_targets *t);

void dfl_outline_error_free(dfl_outline_error *err);

/* The subrequests' result.json, without a trailing newline (buildx prints
 * one after it). */
void dfl_outline_json(const dfl_outline *o, const dfl_dockerfile *df,
                      dfl_buf *out);
void dfl_targets_json(const dfl_targets *t, const dfl_dockerfile *df,
                      dfl_buf *out);

#endif
