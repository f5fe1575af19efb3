/* Rules: one static dfl_rule per file, listed once in rules/rules.def. */
#ifndef DFLINT_RULE_H
#define DFLINT_RULE_H

#include <stdbool.h>
#include <stddef.h>

#include "dflint/ast.h"
#include "dflint/expand.h"
#include "dflint/model.h"

typedef enum dfl_severity {
  DFL_SEV_ERROR = 0,
  DFL_SEV_WARNING,
  DFL_SEV_INFO,
  DFL_SEV_STYLE,
  DFL_SEV_NONE /* never fails the run; also "ignore" in overrides */
} dfl_severity;

typedef enum dfl_source {
  DFL_SOURCE_BUILDKIT,
  DFL_SOURCE_HADOLINT,
  DFL_SOURCE_DFLINT,
  DFL_SOURCE_SHELLCHECK
} dfl_source;

const char *dfl_severity_name(dfl_severity s);
/* -1 when s is not a severity name. "ignore" and "none" give DFL_SEV_NONE. */
int dfl_severity_parse(const char *s);
const char *dfl_source_name(dfl_source s);

typedef struct dfl_ctx dfl_ctx;

/* The state of a stage while BuildKit would dispatch it, before the
 * instruction being checked is applied. */
typedef struct dfl_stage_state {
  const dfl_stage *stage;
  dfl_env env;          /* ENV values and ARG values visible now (incl. PATH) */
  bool env_complete;    /* false when the base image's own ENV is unknown */
  dfl_namelist declared_args; /* ARG names declared in this stage or its bases */
  bool shell_set;       /* a SHELL was set in this stage or its bases */
  bool workdir_seen;    /* a WORKDIR was seen in this stage or its bases */
  const dfl_instr *last_cmd; /* in this stage only */
  const dfl_instr *last_entrypoint;
  const dfl_instr *last_healthcheck;
} dfl_stage_state;

typedef struct dfl_rule {
  const char *id;       /* permanent: "DL3008", "DF101", "JSONArgsRecommended" */
  const char *name;     /* CamelCase name; equals id for BuildKit's rules */
  dfl_source source;
  dfl_severity severity; /* default severity */
  const char *category;
  const char *summary;  /* one line; BuildKit's description for its rules */
  const char *url;
  bool experimental;    /* only with --enable-experimental or check=experimental */
  bool off_by_default;  /* selectable, but not in the default set */
  /* Runs in the first pass of `dflint check` (lint options' prepass): it
   * asks a service that answers better when told everything in advance
   * (dfl_ctx_base_image under --online; ShellCheck), and in that pass only
   * hands over what it will ask. */
  bool prepass;
  /* Called for every instruction in file order (ONBUILD payloads are not
   * visited on their own). dfl_ctx_state() gives the stage state before the
   * instruction, or NULL before the first FROM. */
  void (*on_instr)(dfl_ctx *ctx, const dfl_instr *in);
  /* Called once after the last instruction. */
  void (*on_finish)(dfl_ctx *ctx);
} dfl_rule;

/* Reports a finding of the running rule. in is the instruction it is about
 * (for pragmas and per-instruction # check= comments), or NULL. */
void dfl_emit(dfl_ctx *ctx, const dfl_instr *in, dfl_range range,
              const char *fmt, ...) __attribute__((format(printf, 4, 5)));

const dfl_dockerfile *dfl_ctx_file(const dfl_ctx *ctx);
const dfl_model *dfl_ctx_model(const dfl_ctx *ctx);
const dfl_stage_state *dfl_ctx_state(const dfl_ctx *ctx);
/* Per-file scratch memory for the running rule, zeroed for each file and
 * freed after it (size bytes, allocated on first use). */
void *dfl_ctx_rule_state(dfl_ctx *ctx, size_t size);
/* The arena of the file being linted, for allocations that live as long. */
dfl_arena *dfl_ctx_arena(dfl_ctx *ctx);
/* The Dockerfile's path on disk, or NULL (standard input). */
const char *dfl_ctx_path(const dfl_ctx *ctx);
/* The build context directory: --context, else the Dockerfile's directory,
 * else "." (malloc'd by the engine, lives as long as the ctx). */
const char *dfl_ctx_context_dir(const dfl_ctx *ctx);
/* The lint options: build args, context directory, etc. */
const struct dfl_lint_options *dfl_ctx_options(const dfl_ctx *ctx);

/* What the registry says about ref on platform (normalized: "linux/amd64")
 * under `dflint check --online`, or NULL: offline, or unknown. See
 * include/dflint/images.h: ask for every image the rule may need. */
struct dfl_base_image;
const struct dfl_base_image *dfl_ctx_base_image(const dfl_ctx *ctx,
                                                const char *ref,
                                                const char *platform);

/* Expands word[0..len) with the current stage's env the way BuildKit does
 * for that instruction (escape character of the file). */
int dfl_ctx_expand(const dfl_ctx *ctx, const char *word, size_t len,
                   dfl_lex_result *out);

/* The shell scripts a RUN executes, parsed once per file by the engine and
 * shared by every rule (see include/dflint/shell.h for offsets). */
struct dfl_sh_script;
typedef struct dfl_run_scripts {
  const dfl_instr *run;              /* the RUN (an ONBUILD's payload too) */
  const struct dfl_sh_script *text;  /* the shell-form text (run->rest), or
                                        NULL for the exec (JSON) form */
  /* Parallel to run->heredocs: the parsed body when a shell runs it as a
   * script, NULL for data heredocs (`RUN python3 <<EOF`, COPY). */
  const struct dfl_sh_script **heredocs;
  size_t nheredocs;
} dfl_run_scripts;

/* For a RUN or ONBUILD RUN: its scripts; NULL for anything else. */
const dfl_run_scripts *dfl_ctx_run_scripts(dfl_ctx *ctx, const dfl_instr *in);

/* Reports a finding whose id is not the running rule's own: ShellCheck's
 * SCnnnn codes, reported under the one ShellCheck rule. id and name are
 * copied. */
void dfl_emit_code(dfl_ctx *ctx, const dfl_instr *in, dfl_range range,
                   const char *id, const char *name, const char *message);
/* As dfl_emit_code, with the finding's own default severity (ShellCheck's
 * level) and documentation URL (NULL: the rule's). url is copied. */
void dfl_emit_code_ex(dfl_ctx *ctx, const dfl_instr *in, dfl_range range,
                      const char *id, const char *name, dfl_severity severity,
                      const char *url, const char *message);

/* The registry, generated from rules/rules.def. */
extern const dfl_rule *const dfl_rules[];
extern const size_t dfl_nrules;
/* A rule by id or name (case-sensitive, as BuildKit compares names), or NULL. */
const dfl_rule *dfl_rule_find(const char *id_or_name);

#endif
