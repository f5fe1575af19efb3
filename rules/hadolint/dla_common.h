/* Pieces the hadolint DL rules of group A share: the shell commands a RUN
 * executes (its text, the heredoc bodies a shell runs, and the exec form),
 * hadolint's idea of flags and package arguments, --mount targets, image
 * references as written and the words of COPY/ADD. Not a rule itself. */
#ifndef DFLINT_RULES_DLA_COMMON_H
#define DFLINT_RULES_DLA_COMMON_H

#include <stdbool.h>
#include <stddef.h>

#include "dflint/rule.h"
#include "dflint/shell.h"

/* ---- the scripts of a RUN ------------------------------------------------ */

/* A RUN (or the RUN inside an ONBUILD) opened for reading its commands. */
typedef struct dla_run {
  dfl_ctx *ctx;
  const dfl_instr *in;  /* the instruction visited: the RUN or the ONBUILD */
  const dfl_instr *run; /* the RUN itself */
  bool onbuild;
  const dfl_run_scripts *rs;
  dfl_sh_script *exec; /* the exec form, parsed from its words (owned) */
} dla_run;

/* Opens in when it is a RUN, or, with onbuild, an `ONBUILD RUN` (hadolint
 * runs a second copy of those rules on ONBUILD payloads). Returns false,
 * with nothing to close, for anything else. */
bool dla_run_open(dfl_ctx *ctx, const dfl_instr *in, bool onbuild,
                  dla_run *r);
void dla_run_close(dla_run *r);

/* Script i (0: the RUN's own text or exec form, then one per heredoc that a
 * shell runs); NULL for a slot without a script. dla_run_nscripts is the
 * number of slots. */
size_t dla_run_nscripts(const dla_run *r);
const dfl_sh_script *dla_run_script(const dla_run *r, size_t i);
/* The source range of bytes [start, end) of script i. */
dfl_range dla_run_range(const dla_run *r, size_t i, size_t start, size_t end);

/* One command of a RUN, seen through wrappers (sudo, env, nohup ...):
 * hadolint names `sudo apt-get install x` "sudo" and never looks at the
 * apt-get; dflint checks the apt-get. */
typedef struct dla_cmd {
  dfl_sh_cmd cmd;           /* argv[0] is the command that runs */
  const dfl_sh_cmd *raw;    /* the command as written (wrappers included) */
  const dfl_sh_script *script;
  size_t script_index;
} dla_cmd;

typedef struct dla_cmd_it {
  const dla_run *r;
  size_t script;
  size_t next;
} dla_cmd_it;

void dla_cmd_it_init(dla_cmd_it *it, const dla_run *r);
/* The next command with a name, in script order; false at the end. */
bool dla_cmd_next(dla_cmd_it *it, dla_cmd *out);

/* Whether the command's name, directory stripped, is name. */
bool dla_cmd_is(const dla_cmd *c, const char *name);
/* The command's name without its directory, and its length. */
const char *dla_cmd_base(const dla_cmd *c, size_t *len);
/* The range of the command's words (wrappers excluded). */
dfl_range dla_cmd_range(const dla_run *r, const dla_cmd *c);
/* The range of one of the command's words. */
dfl_range dla_word_range(const dla_run *r, const dla_cmd *c,
                         const dfl_sh_word *w);

/* ---- flags and arguments, hadolint style --------------------------------- */

/* How many times flag name appears among the options before "--": a long
 * option --name[=v] gives name, a short cluster -abc gives a, b and c (up to
 * an '='). */
size_t dla_flag_count(const dfl_sh_cmd *c, const char *name);
/* The index in argv of the first argument exactly equal to text, or 0. */
size_t dla_arg_index(const dfl_sh_cmd *c, const char *text);

/* The words of a package argument: a word that is a lone $NAME or ${NAME}
 * whose value is known (set earlier in the script, or by ENV/ARG for a RUN
 * that is not an ONBUILD payload) gives the whitespace-separated words of
 * that value (words starting with '-' are options and are skipped); any
 * other word is itself. */
typedef struct dla_pieces {
  const char *s;
  size_t len;
  size_t pos;
  bool whole; /* s is the word itself, not a value to split */
} dla_pieces;
void dla_pieces_init(dla_pieces *it, const dla_run *r, const dla_cmd *c,
                     const dfl_sh_word *w);
bool dla_pieces_next(dla_pieces *it, const char **s, size_t *len);

/* ---- RUN --mount --------------------------------------------------------- */

/* Whether the RUN has a --mount of type cache or tmpfs whose target
 * contains needle. */
bool dla_run_cache_mount(const dfl_instr *run, const char *needle);

/* ---- text helpers -------------------------------------------------------- */

bool dla_has_prefix(const char *s, size_t n, const char *prefix);
bool dla_has_suffix(const char *s, size_t n, const char *suffix);
bool dla_contains(const char *s, size_t n, const char *needle);

/* A path such as C:\ or c:/ (a drive letter and a colon). */
bool dla_is_windows_drive(const char *s, size_t n);

/* The archive suffixes ADD extracts, as hadolint lists them. */
bool dla_is_archive(const char *s, size_t n);

/* The part of a path after its last '/' or '\'. */
const char *dla_basename(const char *s, size_t n, size_t *len);

/* ---- COPY / ADD / WORKDIR words ------------------------------------------ */

/* A word of an instruction's arguments, quotes removed. */
typedef struct dla_word {
  char *text; /* malloc'd */
  size_t len;
  dfl_range range;
} dla_word;

/* Splits the instruction's arguments (after its flags) into words the way
 * a reader would: white space outside quotes separates, quote characters
 * are removed, backslashes are kept (Windows paths). The exec (JSON) form
 * gives its elements. Free with dla_words_free. */
size_t dla_words(const dfl_instr *in, dla_word **out);
void dla_words_free(dla_word *w, size_t n);

/* ---- image references as written ---------------------------------------- */

/* Splits name[:tag][@digest]; a ':' before the last '/' is a registry port,
 * not a tag. tag/digest are NULL when absent. */
void dla_image_split(const char *s, size_t n, size_t *name_len,
                     const char **tag, size_t *tag_len, const char **digest);

/* ---- package managers ---------------------------------------------------- */

/* `apt-get ... install ...` (hadolint: any argument is "install"). */
bool dla_is_apt_get_install(const dla_cmd *c);

/* The common shape of a RUN rule: open the RUN (onbuild as for
 * dla_run_open) and report message once, at the first command bad() is
 * true of, as hadolint reports a RUN once. */
void dla_report_first(dfl_ctx *ctx, const dfl_instr *in, bool onbuild,
                      bool (*bad)(const dla_cmd *c), const char *message);
/* Whether an argument sets the apt configuration option `option` (e.g.
 * "APT::Get::Assume-Yes") to true ("=true" or "=1"), as `-o OPT=VALUE` does;
 * with want_true false, whether it sets it to false ("=false" or "=0"). */
bool dla_apt_option(const dfl_sh_cmd *c, const char *option, bool want_true);

/* The unpinned packages of one RUN: hadolint reports a RUN once, so the
 * finding points at the first and counts the rest. */
typedef struct dla_unpinned {
  size_t count;
  char first[96]; /* the first one, cut to fit */
  dfl_range range;
} dla_unpinned;
void dla_unpinned_add(dla_unpinned *u, const char *s, size_t n,
                      dfl_range range);
/* Adds each package of argument w (its dla_pieces) that pinned() says is
 * not pinned. */
void dla_unpinned_word(dla_unpinned *u, const dla_run *r, const dla_cmd *c,
                       const dfl_sh_word *w,
                       bool (*pinned)(const char *s, size_t n));
/* Emits "<what> <pkg> [and N more]: <hint>" when count > 0. hint may use
 * %s once, for the first package. */
void dla_unpinned_emit(dfl_ctx *ctx, const dfl_instr *in,
                       const dla_unpinned *u, const char *what,
                       const char *hint);

#endif
