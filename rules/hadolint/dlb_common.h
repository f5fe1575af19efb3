/* Shared by hadolint's rules DL3023-DL3045 (group B): the shell commands a
 * RUN executes, package-manager argument helpers, RUN --mount options, and
 * variable references. */
#ifndef DFLINT_DLB_COMMON_H
#define DFLINT_DLB_COMMON_H

#include <stdbool.h>
#include <stddef.h>

#include "dflint/rule.h"
#include "dflint/shell.h"

/* ---- RUN scripts --------------------------------------------------------- */

/* The RUN an instruction runs: in itself for RUN, its payload for ONBUILD
 * RUN when onbuild is true (hadolint checks those too); NULL otherwise. */
const dfl_instr *dlb_run_of(const dfl_instr *in, bool onbuild);

/* Walks every simple command of a RUN: those of its shell-form text (or of
 * its exec form, read as the words quoted one by one, as hadolint hands it
 * to its shell parser), then those of each heredoc body a shell runs, in
 * that order (the order the shell meets them). `cmd` is the command as
 * written, `u` the command it runs once wrappers (sudo, env, ...) are
 * looked through. dlb_cmds_free releases the parsed exec form. */
typedef struct dlb_cmds {
  const dfl_instr *run;
  const dfl_run_scripts *rs;
  dfl_sh_script *exec; /* owned */
  size_t script;       /* 0: the text or exec form; i > 0: heredoc i-1 */
  size_t next;
  const dfl_sh_script *s; /* the current command's script */
  const dfl_sh_cmd *cmd;
  dfl_sh_cmd u;
} dlb_cmds;

void dlb_cmds_init(dlb_cmds *it, dfl_ctx *ctx, const dfl_instr *run);
bool dlb_cmds_next(dlb_cmds *it);
void dlb_cmds_free(dlb_cmds *it);

/* Source ranges: of the current command (the unwrapped one's words), and
 * of one of its words. The exec form maps to the whole argument text. */
dfl_range dlb_cmd_range(const dlb_cmds *it);
dfl_range dlb_word_range(const dlb_cmds *it, const dfl_sh_word *w);

/* Whether argv[0] of u (an unwrapped command) is name, or a path ending in
 * /name. */
bool dlb_named(const dfl_sh_cmd *u, const char *name);
/* Whether argv[0] is one of names (NULL-terminated); returns the index or
 * -1. */
int dlb_named_any(const dfl_sh_cmd *u, const char *const *names);

/* The positional arguments of u (see dfl_sh_args) into out[0..max), with
 * value_flags' values skipped. Returns how many there are (may exceed max;
 * only max are stored). */
size_t dlb_positionals(const dfl_sh_cmd *u, const char *value_flags,
                       const dfl_sh_word **out, size_t max);

/* Whether the command is `rm` with a recursive flag and an operand that is
 * one of the directories in dirs (NULL-terminated): the directory itself,
 * a path or glob below it, or its name followed by a glob (libdnf5*). */
bool dlb_rm_recursive(const dfl_sh_cmd *u, const char *const *dirs);

/* Whether the command's standard input comes from `yes` through a pipe
 * (`yes | zypper install x`): then it answers every prompt. */
bool dlb_fed_by_yes(const dfl_sh_script *s, const dfl_sh_cmd *c);

/* ---- RUN --mount --------------------------------------------------------- */

typedef struct dlb_mount {
  const dfl_flag *flag; /* the --mount flag */
  const char *type; /* lower-cased copy, "bind" when absent */
  const char *target; /* NULL when absent */
  const char *from;   /* NULL when absent */
} dlb_mount;

/* The next --mount of run after flag index *i (start with 0): parses its
 * comma-separated fields into *m (strings in the ctx's arena). */
bool dlb_mount_next(dfl_ctx *ctx, const dfl_instr *run, size_t *i,
                    dlb_mount *m);
/* Whether a cache or tmpfs mount's target contains one of needles
 * (NULL-terminated): the RUN then leaves nothing behind there. */
bool dlb_cache_mount(dfl_ctx *ctx, const dfl_instr *run,
                     const char *const *needles);

/* ---- variables ----------------------------------------------------------- */

/* Calls fn for each $NAME and ${NAME...} in text[0..len) (quotes already
 * removed: a shell word's text). Stops when fn returns true; returns
 * whether it did. */
bool dlb_each_var(const char *text, size_t len,
                  bool (*fn)(const char *name, size_t len, void *arg),
                  void *arg);

/* Whether variable name is known where in runs: in the stage's environment
 * (ENV, ARG with a value, inherited through FROM <stage>), declared by ARG
 * in the stage, declared by any ARG earlier in the file (hadolint's
 * reading), or set by an ENV before the first FROM when in is there too. */
bool dlb_var_known(dfl_ctx *ctx, const dfl_instr *in, const char *name,
                   size_t len);

/* The value ENV/ARG gives name before instruction in, when in comes before
 * the first FROM (the engine has no stage state there); NULL otherwise or
 * when unset. Malloc'd. */
char *dlb_orphan_value(dfl_ctx *ctx, const dfl_instr *in, const char *name);

/* ---- package pinning ----------------------------------------------------- */

/* RPM package names (yum, dnf): pinned when the word is an .rpm file, an
 * @group or @module, or name-version: split on '-', the parts after the
 * first made of [0-9A-Za-z.~^_:+] with one starting with a digit. A word
 * with variables counts as pinned when one of them has a value that cannot
 * be judged here: known to dlb_var_known, set earlier in the script, or
 * possibly set by a base image whose environment is unknown. */
bool dlb_rpm_pinned(dfl_ctx *ctx, const dfl_instr *in, const dlb_cmds *it,
                    const dfl_sh_word *w);

/* Value flags of yum and dnf (global and install options). */
extern const char dlb_rpm_value_flags[];

/* zypper's global options that take a value (for finding its command). */
extern const char dlb_zypper_value_flags[];

typedef enum dlb_rpm_kind {
  DLB_RPM_NONE,     /* not an install */
  DLB_RPM_PACKAGES, /* install, in, install-n..., localinstall */
  DLB_RPM_GROUPS,   /* groupinstall, group install */
  DLB_RPM_MODULES,  /* module install: NAME:STREAM specs */
} dlb_rpm_kind;

/* What a yum/dnf/microdnf command installs, judged by its subcommand (its
 * first positional argument), and where the operands start: *first is the
 * index in the positionals (dlb_positionals with dlb_rpm_value_flags). */
dlb_rpm_kind dlb_rpm_install(const dfl_sh_cmd *u, size_t *first);

/* DL3033/DL3041: reports the first package installed without a version
 * (name-version) or module without a stream (name:stream) by any command
 * named in `tools` (NULL-terminated: "yum"; "dnf", "microdnf", "dnf5"). */
void dlb_check_rpm_pinning(dfl_ctx *ctx, const dfl_instr *in,
                           const char *const *tools);

#endif
