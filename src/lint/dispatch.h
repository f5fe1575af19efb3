/* Simulates BuildKit's dispatch of each stage far enough for the checks:
 * the env (ENV and ARG values), declared ARGs, SHELL and WORKDIR seen. */
#ifndef DFLINT_DISPATCH_H
#define DFLINT_DISPATCH_H

#include "dflint/lint.h"
#include "dflint/model.h"
#include "dflint/rule.h"

typedef struct dfl_dispatch {
  const dfl_model *model;
  const dfl_env *build_args;
  unsigned escape;
  dfl_stage_state *final; /* the state at the end of each finished stage */
  bool *finished;
  dfl_namelist *env_names; /* per stage: names set by ENV (they beat ARG) */
  dfl_stage_state cur;
  dfl_namelist cur_env_names;
  bool active;
} dfl_dispatch;

void dfl_dispatch_init(dfl_dispatch *d, const dfl_model *m,
                       const dfl_env *build_args);
void dfl_dispatch_free(dfl_dispatch *d);
/* Starts stage st (at its FROM). */
void dfl_dispatch_begin_stage(dfl_dispatch *d, const dfl_stage *st);
/* Applies an instruction's effects after the rules have seen the state. */
void dfl_dispatch_apply(dfl_dispatch *d, const dfl_instr *in);
/* The state rules see, or NULL before the first FROM. */
const dfl_stage_state *dfl_dispatch_state(const dfl_dispatch *d);

/* Whether the image's ENV is known to be only PATH (busybox, alpine, ...). */
bool dfl_image_env_is_path_only(const char *image);

#endif
