/* Pieces several BuildKit rules share: Go's case tests, whether BuildKit's
 * instruction parser accepts a FROM/ARG, and the walk over stages that
 * dockerfile2llb does when it expands each FROM with the global ARGs (the
 * walk where UndefinedArgInFrom, RedundantTargetPlatform and
 * FromPlatformFlagConstDisallowed are raised). Not a rule itself. */
#ifndef DFLINT_RULES_BK_COMMON_H
#define DFLINT_RULES_BK_COMMON_H

#include <stdbool.h>
#include <stddef.h>

#include "dflint/rule.h"

/* s == strings.ToLower(s) / strings.ToUpper(s) in Go (Unicode-aware; a
 * string with invalid UTF-8 never equals its mapped form). */
bool bk_is_lower(const char *s, size_t len);
bool bk_is_upper(const char *s, size_t len);

/* r when it starts on the instruction's first line (the line BuildKit
 * reports), else the instruction's range: a finding can point at a flag or
 * argument without moving to a continuation line. */
dfl_range bk_range_at(const dfl_instr *in, dfl_range r);

/* BuildKit's instructions.Parse accepts this instruction (no parse error,
 * no flag/argument error). */
bool bk_instr_parses(const dfl_instr *in);

/* The TARGETSTAGE value BuildKit predefines: --target, else the last stage's
 * name, else "default"; a build-arg overrides it. Points into the options,
 * the model or a literal. */
const char *bk_target_stage(dfl_ctx *ctx, size_t *len);

/* The global scope FROM is expanded with after the global ARGs were
 * evaluated (build-args included): the model's global env and TARGETSTAGE.
 * out must be uninitialised or freed; free it with dfl_env_free. */
void bk_from_env(dfl_ctx *ctx, dfl_env *out);

/* One stage as dockerfile2llb expands its FROM. */
typedef struct bk_from_stage {
  const dfl_stage *st;
  dfl_lex_result base;  /* the image word */
  int base_rc;
  /* --platform, only when it is set and non-empty and the base expanded to a
   * non-empty name (BuildKit stops before the platform otherwise). */
  bool has_platform;
  dfl_lex_result plat;
  int plat_rc;
} bk_from_stage;

typedef void (*bk_from_fn)(dfl_ctx *ctx, const bk_from_stage *fs,
                           const dfl_env *env, void *arg);

/* Calls fn for each stage in order, the way dockerfile2llb reaches them: it
 * stops after the first stage whose base fails to expand or is blank, or
 * whose --platform fails to expand, is blank or is not a valid platform
 * (that is a build error; the checks of that stage itself still run). */
void bk_from_walk(dfl_ctx *ctx, bk_from_fn fn, void *arg);

/* The names a FROM may use without an UndefinedArgInFrom warning, in a
 * fixed order: global ARG keys (declared, with or without a value) in file
 * order, then the keys of env (predefined args, TARGETSTAGE). */
void bk_from_declared(const dfl_model *m, const dfl_env *env,
                      dfl_namelist *out);

#endif
