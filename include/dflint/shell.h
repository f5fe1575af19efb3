/* The shell model of RUN: a POSIX sh script (with the bash syntax Dockerfiles
 * use: [[ ]], $'...', arrays, <( ), |&, &>) parsed into its simple commands,
 * for the rules that ask "is apt-get called with -y", "is CGO_ENABLED=0 set
 * for go build", "is there a pipe".
 *
 * It is a linter's model, not an interpreter: nothing is expanded. Words keep
 * $VAR, ${...}, $(...) and `...` as written (after quote removal) and carry
 * DFL_SH_WORD_EXPANDS, so a rule can tell "literally -y" from "whatever $X
 * is". Text inside quotes is never parsed as commands (sh -c "apt-get ..."
 * stays one argument), but $( ) and backquotes are, wherever they appear.
 *
 * Input: the shell-form text of a RUN (in->rest, after its flags) or a
 * heredoc body that a shell runs (dfl_sh_heredoc_is_script says which).
 * Parsing never fails and never reads outside text[0..len): unbalanced quotes,
 * stray parentheses and NUL bytes give a best-effort list plus bits in
 * `problems`. Time and memory are linear in len (text nested in
 * substitutions is also kept in each enclosing word, at most
 * DFL_SH_MAX_NESTING times).
 *
 * What is and is not modelled: commands inside ( ), { }, $( ), `` and <( )
 * are listed (flagged in `nest`); if/while/until/for/case/select keywords
 * separate commands and only the commands inside are listed; function bodies
 * are listed (DFL_SH_IN_FUNCTION), the definitions are not; [[ ]] is one
 * command named "[[" whose && || < > ( ) are arguments; (( )) is skipped;
 * comments are dropped; backslash-newline joins lines; here-document bodies
 * inside the script are skipped.
 *
 * Positions: every word, redirection and command keeps byte offsets into the
 * text given to dfl_sh_parse.
 *  - For in->rest, the Dockerfile position of offset o is
 *    dfl_instr_pos(in, in->rest_offset + o) (rest is a slice of in->line).
 *  - For a heredoc body (hd->content), the caller maps offsets itself: the
 *    body is the source verbatim from hd->body_range.start, so the source
 *    byte offset is hd->body_range.start.offset + o, the line is
 *    hd->body_range.start.line plus the newlines in content[0..o), the column
 *    counts from the last of those newlines.
 *
 * hadolint (reference/hadolint.md §2) differs in ways a port of its rules may
 * need to mimic: it names `sudo apt-get` sudo (use match flags 0), keeps
 * scanning flags after "--" (dfl_sh_has_flag stops there), spells $X as
 * ${X} in arguments, and lists every command twice (only counts see that).
 *
 * Ownership: dfl_sh_parse returns one object; every pointer reachable from it
 * (words, commands, the copy of the text) lives until dfl_sh_free. */
#ifndef DFLINT_SHELL_H
#define DFLINT_SHELL_H

#include <stdbool.h>
#include <stddef.h>

#include "dflint/arena.h"

/* Nesting beyond this many $( ), ${ }, $(( )) or backquotes inside one
 * another is skipped, not parsed (DFL_SH_PROB_DEPTH): the parser recurses
 * for those and must not exhaust the C stack (a thread's may be small), and
 * each level's word keeps the text of the levels inside it, so the cap also
 * bounds memory at about len * DFL_SH_MAX_NESTING. Real scripts nest a few
 * levels. ( ), { }, if, loops and case use an explicit stack and have no
 * limit. */
#define DFL_SH_MAX_NESTING 32

/* dfl_sh_word.flags */
enum {
  DFL_SH_WORD_QUOTED = 1u << 0,  /* some part was quoted or \-escaped */
  DFL_SH_WORD_EXPANDS = 1u << 1, /* $var, ${..}, $(..), $((..)) or `..`
                                    outside single quotes: the runtime value
                                    is not `text` */
};

typedef struct dfl_sh_word {
  const char *text; /* quote removal applied, expansions kept as written;
                       NUL-terminated (may also hold NUL bytes: use len) */
  size_t len;
  const char *raw; /* the word as written: points into dfl_sh_script.text,
                      not NUL-terminated */
  size_t raw_len;
  size_t start, end; /* [start, end) in the parsed text; raw == text+start */
  unsigned flags;
} dfl_sh_word;

/* NAME=value (or NAME+=value) before a command name: `CGO_ENABLED=0 go ...`.
 * A command made only of assignments sets shell variables. */
typedef struct dfl_sh_assign {
  dfl_sh_word word;  /* the whole word */
  const char *name;  /* NUL-terminated copy of NAME */
  size_t name_len;
  const char *value; /* points into word.text after '=', NUL-terminated */
  size_t value_len;
  bool append;       /* += */
} dfl_sh_assign;

typedef enum dfl_sh_redir_kind {
  DFL_SH_REDIR_IN,          /* <  */
  DFL_SH_REDIR_OUT,         /* >  */
  DFL_SH_REDIR_APPEND,      /* >> */
  DFL_SH_REDIR_CLOBBER,     /* >| */
  DFL_SH_REDIR_DUP_IN,      /* <& */
  DFL_SH_REDIR_DUP_OUT,     /* >& (2>&1) */
  DFL_SH_REDIR_READ_WRITE,  /* <> */
  DFL_SH_REDIR_HEREDOC,     /* << and <<- */
  DFL_SH_REDIR_HERESTRING,  /* <<< */
  DFL_SH_REDIR_ALL,         /* &> (stdout and stderr) */
  DFL_SH_REDIR_ALL_APPEND,  /* &>> */
} dfl_sh_redir_kind;

typedef struct dfl_sh_redir {
  dfl_sh_redir_kind kind;
  const char *op;     /* the operator as written: ">", "<<-", "&>" ... */
  int fd;             /* the explicit descriptor (2 in 2>&1), or -1 */
  dfl_sh_word target; /* file, descriptor ("1" in 2>&1) or here-doc
                         delimiter (quotes removed); empty when missing */
  size_t start, end;  /* from the descriptor or operator to the target end */
  /* Here-documents (<< and <<-) only. The body is the lines after the
   * command line, up to the delimiter line; it is skipped, not parsed. When
   * the text ends before the body starts, has_body is false: that is normal
   * for a RUN's own text, whose bodies BuildKit moved to in->heredocs. */
  bool strip_tabs;     /* <<- */
  bool has_body;
  bool terminated;     /* the delimiter line was found */
  size_t body_start, body_end; /* [body_start, body_end), terminator excluded */
} dfl_sh_redir;

/* What follows a command in its list. */
typedef enum dfl_sh_op {
  DFL_SH_OP_NONE = 0, /* the list ends: end of text, ), }, `, fi, else,
                         done, ;; ... */
  DFL_SH_OP_AND,      /* && */
  DFL_SH_OP_OR,       /* || */
  DFL_SH_OP_SEMI,     /* ; */
  DFL_SH_OP_NEWLINE,
  DFL_SH_OP_PIPE,     /* | or |& */
  DFL_SH_OP_BG,       /* & */
} dfl_sh_op;

/* dfl_sh_cmd.nest: the constructs around a command (all of them, at any
 * distance). */
enum {
  DFL_SH_IN_SUBSHELL = 1u << 0,  /* ( ... ) */
  DFL_SH_IN_GROUP = 1u << 1,     /* { ...; } */
  DFL_SH_IN_SUBST = 1u << 2,     /* $( ), `...`, <( ), >( ) */
  DFL_SH_IN_IF = 1u << 3,        /* if ... fi, any part */
  DFL_SH_IN_LOOP = 1u << 4,      /* for/select/while/until ... done */
  DFL_SH_IN_CASE = 1u << 5,      /* case ... esac */
  DFL_SH_IN_CONDITION = 1u << 6, /* the test of if/elif/while/until */
  DFL_SH_IN_FUNCTION = 1u << 7,  /* a function body (it may never run) */
  DFL_SH_IN_PIPELINE = 1u << 8,  /* a compound command that is a pipeline
                                    element: `a | while read x; do ...` */
};
/* "Nested" in the sense of the brief: inside ( ), { } or a substitution. */
#define DFL_SH_NESTED (DFL_SH_IN_SUBSHELL | DFL_SH_IN_GROUP | DFL_SH_IN_SUBST)

typedef struct dfl_sh_cmd dfl_sh_cmd;

/* One simple command. Compound commands (if, loops, case, ( ), { }) are not
 * commands themselves: their keywords act as separators and the commands
 * inside them are listed with `nest` saying where they are. */
struct dfl_sh_cmd {
  size_t index;         /* in dfl_sh_script.cmds */
  dfl_sh_word *argv;    /* argv[0] is the name; argc is 0 for a command of
                           only assignments and/or redirections */
  size_t argc;
  dfl_sh_assign *assigns; /* before the name, in order */
  size_t nassigns;
  dfl_sh_redir *redirs; /* anywhere in the command, in order; excluded from
                           argv. Those of compound commands (`done <f`,
                           `{ ...; } >log`) are not recorded (their
                           here-document bodies are still skipped). */
  size_t nredirs;
  dfl_sh_op op;         /* the operator after it */
  const dfl_sh_cmd *next; /* the command `op` leads to (the next one that
                             starts in the same list), or NULL */
  const dfl_sh_cmd *parent; /* for a command inside $( ), `` or <( ): the
                               command with the word that holds it; NULL at
                               the top or when the word belongs to no command
                               (a `for` list, a `case` subject) */
  unsigned nest;        /* DFL_SH_IN_* bits */
  unsigned depth;       /* enclosing ( ), { } and substitutions */
  bool piped;           /* itself an element of a pipeline (`a | b`: both);
                           see also DFL_SH_IN_PIPELINE */
  size_t start, end;    /* first to last byte of its words and redirections */
  unsigned scope_;      /* internal: construct id, for dfl_sh_env_before */
  size_t unwrap_;       /* internal: 1 + the argv index of the command its
                           wrappers run (sudo, env ...), for dfl_sh_unwrap;
                           0 when not worked out (a command built by hand) */
};

typedef struct dfl_sh_scope dfl_sh_scope; /* internal */

/* dfl_sh_script.problems: what was wrong with the text (the list is still
 * as complete as the parser could make it). */
enum {
  DFL_SH_PROB_QUOTE = 1u << 0,   /* unterminated quote, $( ), ${ }, `` */
  DFL_SH_PROB_SYNTAX = 1u << 1,  /* stray ) or keyword, unclosed ( { if
                                    loop case, operator with no command,
                                    redirection with no target */
  DFL_SH_PROB_HEREDOC = 1u << 2, /* here-document without its delimiter */
  DFL_SH_PROB_DEPTH = 1u << 3,   /* nesting beyond DFL_SH_MAX_NESTING: the
                                    deeper part was skipped */
};

typedef struct dfl_sh_script {
  dfl_arena arena;
  const char *text;   /* NUL-terminated copy of the parsed text */
  size_t len;
  dfl_sh_cmd *cmds;   /* every simple command, nested ones included, in the
                         order they start in the text */
  size_t ncmds;
  unsigned problems;  /* DFL_SH_PROB_* */
  const dfl_sh_scope *scopes_; /* internal */
  size_t nscopes_;
  /* internal: per command, 1 + the index of the latest earlier command
   * that may set a variable (0: none), so dfl_sh_env_before skips the rest */
  const size_t *setters_;
} dfl_sh_script;

/* Parses text[0..len) (copied). Never returns NULL. */
dfl_sh_script *dfl_sh_parse(const char *text, size_t len);
void dfl_sh_free(dfl_sh_script *s);

/* ---- Names -------------------------------------------------------------- */

/* How dfl_sh_is and dfl_sh_find compare command names. Exact (0) is what
 * hadolint does: `sudo apt-get` is named sudo, `/usr/bin/apt-get` is not
 * apt-get. */
enum {
  DFL_SH_MATCH_PATH = 1u << 0,   /* also /any/dir/NAME */
  DFL_SH_MATCH_UNWRAP = 1u << 1, /* look through wrappers (dfl_sh_unwrap) */
};

/* argv[0].text, or NULL when argc is 0. */
const char *dfl_sh_name(const dfl_sh_cmd *c);
/* Whether c's name is `name` (see DFL_SH_MATCH_*). */
bool dfl_sh_is(const dfl_sh_cmd *c, const char *name, unsigned how);
/* The next command after prev (NULL: from the first) named `name`, or
 * NULL. Iterate with
 *   for (const dfl_sh_cmd *c = NULL; (c = dfl_sh_find(s, c, "apt-get", 0));)
 * With DFL_SH_MATCH_UNWRAP it returns the wrapper command; call
 * dfl_sh_unwrap on it for the arguments of the wrapped one. */
const dfl_sh_cmd *dfl_sh_find(const dfl_sh_script *s, const dfl_sh_cmd *prev,
                              const char *name, unsigned how);

/* The command that c runs through wrappers: sudo, doas, env, nohup, time,
 * nice, timeout, exec, command, builtin, eatmydata, gosu, su-exec, stdbuf,
 * setsid, ionice (chained: `sudo -E env X=1 nohup cmd`), skipping their
 * options, option values and, for env/sudo, NAME=value words. Returns a
 * copy of *c whose argv starts at the wrapped name (argc 0 for a bare
 * `sudo -i`); for a command that is no wrapper, or `command -v x`, it is *c
 * unchanged. Pointers in the copy (next, parent) are c's. */
dfl_sh_cmd dfl_sh_unwrap(const dfl_sh_cmd *c);

/* ---- Arguments and flags -------------------------------------------------
 * A flag spec lists a flag's spellings separated by '|': a one-character
 * entry is a short flag, matched alone (-y) or in a cluster (-qy, -yq, but
 * not after a '=' in -o=y); a longer entry is a GNU long flag (--yes,
 * --yes=...); an entry that starts with '-' is matched literally as a whole
 * word or before '=' (-ldflags, -ldflags=...). Example: "y|yes|assume-yes".
 * Only argv[1..] is looked at, up to a "--" word. */

/* Whether any of the spellings in spec is present. */
bool dfl_sh_has_flag(const dfl_sh_cmd *c, const char *spec);
/* The value of the last occurrence of a flag that takes one: after '=' in
 * --name=v, the rest of a cluster after the letter (-ofile), else the next
 * word (-o file, --name file). NULL when absent or without a value.
 * NUL-terminated (points into a word's text). */
const char *dfl_sh_flag_value(const dfl_sh_cmd *c, const char *spec);
/* Whether some argument (argv[1..]) is exactly text. */
bool dfl_sh_has_arg(const dfl_sh_cmd *c, const char *text);
/* Whether w->text is exactly s. */
bool dfl_sh_word_eq(const dfl_sh_word *w, const char *s);

/* Positional (non-flag) arguments in order: words not starting with '-'
 * ("-" itself is positional), and every word after "--". value_flags (a flag
 * spec, or NULL) names flags whose value is the next word, which is then
 * skipped (-t jessie, --target-release jessie, -xt jessie).
 *   dfl_sh_args it;
 *   dfl_sh_args_init(&it, c, "t|target-release|o|option|c|config-file");
 *   for (const dfl_sh_word *w; (w = dfl_sh_args_next(&it));) ... */
typedef struct dfl_sh_args {
  const dfl_sh_cmd *cmd;
  const char *value_flags;
  size_t i;
  bool rest; /* after "--" */
} dfl_sh_args;
void dfl_sh_args_init(dfl_sh_args *it, const dfl_sh_cmd *c,
                      const char *value_flags);
const dfl_sh_word *dfl_sh_args_next(dfl_sh_args *it);

/* ---- Whole-script questions --------------------------------------------- */

/* Whether any command pipes into another (`|` or `|&`). */
bool dfl_sh_has_pipe(const dfl_sh_script *s);

/* The value variable `name` has when command c runs, as far as the script
 * shows, or NULL when unknown. In order:
 *  - an assignment before c's name (`CGO_ENABLED=0 go build`), or a
 *    NAME=value word of an env/sudo wrapper (`env CGO_ENABLED=0 go build`);
 *  - the latest earlier `NAME=value` command, or export, declare, typeset,
 *    local or readonly with NAME=value, in the same shell: assignments inside
 *    ( ), $( ), a pipeline, a background job or a function body do not
 *    reach c; `export NAME` keeps looking further back.
 * NULL also when the value is not a literal (has $ expansions), when the
 * latest assignment is conditional (in an if, case or loop that c is not
 * in), after `unset NAME`, `env -i` or `env -u NAME`, and when nothing
 * assigns it. && and || chains are not treated as conditional, sourced
 * files are not followed, and whether the variable is exported is not
 * tracked (`CGO_ENABLED=0; go build` gives "0"). The result is
 * NUL-terminated and lives as long as s. Pass c from s->cmds (not a
 * dfl_sh_unwrap copy: the wrapper's words are needed). Cost: the earlier
 * commands that set variables, at most 1024 of them (beyond: NULL). */
const char *dfl_sh_env_before(const dfl_sh_script *s, const dfl_sh_cmd *c,
                              const char *name);

/* Whether a shell runs a heredoc body as its script, given the parsed RUN
 * text (in->rest) and the heredoc (its delimiter name, quotes removed, and
 * body): either the heredoc is the whole command (`RUN <<EOF`; BuildKit runs
 * the body with the shell, or with its #! interpreter, so a #! that is not
 * sh/bash/dash/ash/zsh/ksh/mksh, directly or through env, makes it false), or
 * it is the standard input of such a shell that has no -c and no script
 * operand (`RUN bash -ex <<EOF`, `RUN sh -s -- a <<EOF`). */
bool dfl_sh_heredoc_is_script(const dfl_sh_script *rest, const char *name,
                              size_t name_len, const char *body,
                              size_t body_len);

#endif
