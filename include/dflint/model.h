/* The build model BuildKit derives from the syntax tree: global (meta) ARGs,
 * stages with their base and name, and the stage graph. Built once per file,
 * read-only for the rules. */
#ifndef DFLINT_MODEL_H
#define DFLINT_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "dflint/ast.h"
#include "dflint/expand.h"

typedef struct dfl_meta_arg {
  const dfl_instr *instr;
  char *key;
  char *value;    /* effective value (build-arg, else expanded default); NULL when unset */
  char *default_value; /* the default as written (NULL if none) */
  bool has_default;
  size_t arg_index; /* which argument of the ARG instruction */
} dfl_meta_arg;

typedef struct dfl_stage {
  size_t index;
  const dfl_instr *from;
  char *name;          /* lowercased stage name, or NULL */
  const char *name_raw; /* as written (the third FROM word), or NULL */
  const char *base_raw; /* the image text as written, or NULL if FROM is bare */
  char *base;          /* expanded with the global ARGs; NULL when expansion failed */
  bool base_unresolved; /* some variable in the base had no value */
  int base_stage;      /* index of the earlier stage named by FROM, or -1 */
  bool base_scratch;   /* FROM scratch */
  const dfl_flag *platform; /* --platform flag or NULL */
  const dfl_instr **instrs; /* instructions after FROM, up to the next FROM */
  size_t ninstrs;
  int *deps;           /* stages this one needs: FROM, COPY --from, RUN --mount from */
  size_t ndeps;
  bool in_target;      /* the default target (the last stage) reaches it */
} dfl_stage;

typedef struct dfl_model_options {
  const dfl_env *build_args; /* --build-arg values, or NULL */
  const char *target;        /* --target stage name, or NULL for the last */
} dfl_model_options;

typedef struct dfl_model {
  const dfl_dockerfile *df;
  dfl_meta_arg *meta_args;
  size_t nmeta_args;
  dfl_stage *stages;
  size_t nstages;
  int target;            /* index of the target stage, -1 when there is none */
  dfl_env global_env;    /* meta args with values, predefined platform args */
  /* Instructions before the first FROM other than ARG (BuildKit: "no build
   * stage in current context"). */
  const dfl_instr *orphan;
} dfl_model;

/* Builds the model; never fails (an empty model for a file with no FROM). */
dfl_model *dfl_model_build(const dfl_dockerfile *df, const dfl_model_options *opts);
void dfl_model_free(dfl_model *m);

/* The stage an instruction belongs to, or NULL (before the first FROM). */
const dfl_stage *dfl_model_stage_of(const dfl_model *m, const dfl_instr *in);
/* A stage by name (case-insensitive, as COPY --from resolves it) or by
 * decimal index; NULL when neither. */
const dfl_stage *dfl_model_find_stage(const dfl_model *m, const char *ref, size_t len);
/* The stage's effective base image after following FROM <stage> links:
 * the first stage in the chain that is built from an image. */
const dfl_stage *dfl_model_root_stage(const dfl_model *m, const dfl_stage *st);

/* The platform st is built for, as containerd formats it after normalizing
 * ("linux/amd64", "linux/arm/v7", "linux/arm64"): its FROM --platform
 * expanded with the global ARGs, else TARGETPLATFORM (linux/amd64 unless a
 * build arg says otherwise). malloc'd; NULL when --platform does not expand
 * to a valid platform. */
char *dfl_model_stage_platform(const dfl_model *m, const dfl_stage *st);

/* Whether in is in exec (JSON) form and its argument `first` names a shell
 * (sh, bash, with or without /bin/): ["sh", "-c", ...] runs one anyway. */
bool dfl_instr_exec_names_shell(const dfl_instr *in, size_t first);

/* The value of flag `name` (without "--") on in, or NULL. */
const dfl_flag *dfl_instr_flag(const dfl_instr *in, const char *name);

/* The predefined platform ARGs BuildKit sets (TARGETPLATFORM=linux/amd64 ...). */
void dfl_env_add_platform_args(dfl_env *env);

#endif
