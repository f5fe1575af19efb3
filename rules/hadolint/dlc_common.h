/* Shared by the hadolint rules of group C (DL3046-DL3067, DL4000-DL4006):
 * walking the shell scripts of a RUN (its text and the heredocs a shell
 * runs), pointing a finding at one command, RUN --mount lookups, and the
 * label-schema of the configuration. Not a rule itself. */
#ifndef DFLINT_RULES_DLC_COMMON_H
#define DFLINT_RULES_DLC_COMMON_H

#include <stdbool.h>
#include <stddef.h>

#include "dflint/buf.h"
#include "dflint/config.h"
#include "dflint/rule.h"
#include "dflint/shell.h"

/* The scripts of a RUN are numbered 0 (the RUN's own shell-form text) and
 * 1..nheredocs (heredoc k-1, when a shell runs it). NULL when script k is
 * absent: exec form, or a heredoc that is data for some other program. */
size_t dlc_nscripts(const dfl_run_scripts *rs);
const dfl_sh_script *dlc_script(const dfl_run_scripts *rs, size_t k);

/* The source range of one command of script k. */
dfl_range dlc_cmd_range(const dfl_run_scripts *rs, size_t k,
                        const dfl_sh_cmd *c);

/* Every command a RUN runs, in order: those of its shell-form text, then
 * those of the heredocs a shell runs; an exec-form RUN (["wget", "x"]) is
 * one command made of its words.
 *   dlc_cmds it;
 *   if (dlc_cmds_init(&it, ctx, in, true))
 *     for (const dfl_sh_cmd *c; (c = dlc_cmds_next(&it));) ...
 * Commands are in the order they start, nested ones included. */
typedef struct dlc_cmds {
  const dfl_instr *in;  /* the instruction visited (RUN or ONBUILD) */
  const dfl_instr *run; /* the RUN */
  const dfl_run_scripts *rs;
  const dfl_sh_cmd *exec; /* the exec form's command, or NULL */
  size_t k;               /* the current script */
  size_t i;               /* the next command in it */
} dlc_cmds;
/* false when in is not a RUN (nor, with onbuild, an ONBUILD RUN). */
bool dlc_cmds_init(dlc_cmds *it, dfl_ctx *ctx, const dfl_instr *in,
                   bool onbuild);
const dfl_sh_cmd *dlc_cmds_next(dlc_cmds *it);
/* The source range of the command dlc_cmds_next returned last. */
dfl_range dlc_cmds_range(const dlc_cmds *it, const dfl_sh_cmd *c);

/* A command named name (also as /any/dir/name, and through wrappers such as
 * sudo or env): fills *out with the command as run (dfl_sh_unwrap) and
 * returns true. hadolint looks at exact names only; a wrapped or absolute
 * call runs the same program, so dflint sees it too. */
bool dlc_cmd_is(const dfl_sh_cmd *c, const char *name, dfl_sh_cmd *out);

/* Whether some word of c from argv[1] on is exactly s. */
bool dlc_has_word(const dfl_sh_cmd *c, const char *s);
/* Whether a word's value is only known at run time ($X, $(..), `..`). */
bool dlc_word_expands(const dfl_sh_word *w);

/* Whether the RUN has a --mount of type cache or tmpfs whose target
 * contains needle (a cache the build keeps out of the image). */
bool dlc_has_cache_mount(const dfl_instr *run, const char *needle);

/* Whether two instructions have the same flags (in any order). */
bool dlc_same_flags(const dfl_instr *a, const dfl_instr *b);

/* The configuration in effect, or NULL (defaults). */
const dfl_config *dlc_config(const dfl_ctx *ctx);
/* The label-schema type of key, or -1 when the schema does not list it. */
int dlc_label_type(const dfl_config *cfg, const char *key, size_t len);

/* A word as BuildKit would use it: quotes removed and variables expanded
 * with the current stage's environment, into out (reset first). Returns
 * false when the value is unknown at lint time (a variable without a value,
 * or a word that does not expand). */
bool dlc_word(const dfl_ctx *ctx, const char *s, size_t len, dfl_buf *out);

/* For a LABEL: each key the label-schema lists with type `type` (-1: any
 * type) whose value is known (dlc_word) and that bad() rejects is reported
 * at its value as "Label `KEY` " + what. Silent without a schema. */
void dlc_check_labels(dfl_ctx *ctx, const dfl_instr *in, int type,
                      bool (*bad)(const char *value, size_t len),
                      const char *what);

/* LABEL and ENV arguments come in triplets: key, value, separator. */
#define DLC_PAIRS(in) ((in)->nargs / 3)
#define DLC_KEY(in, i) (&(in)->args[3 * (i)])
#define DLC_VALUE(in, i) (&(in)->args[3 * (i) + 1])

#endif
