/* The Dockerfile syntax tree. Everything here is owned by the dfl_dockerfile's
 * arena and read-only after parsing. Strings are NUL-terminated arena copies
 * (and may also contain NUL bytes: always use the _len fields). */
#ifndef DFLINT_AST_H
#define DFLINT_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dflint/arena.h"

/* A position in the source: 1-based line and column (columns count bytes), and
 * the 0-based byte offset into the source as given (before BOM removal). */
typedef struct dfl_pos {
  uint32_t line;
  uint32_t col;
  uint32_t offset;
} dfl_pos;

/* [start, end): end is one past the last byte. */
typedef struct dfl_range {
  dfl_pos start;
  dfl_pos end;
} dfl_range;

typedef struct dfl_str {
  const char *ptr;
  size_t len;
} dfl_str;

typedef enum dfl_instr_kind {
  DFL_INSTR_UNKNOWN = 0,
  DFL_INSTR_ADD,
  DFL_INSTR_ARG,
  DFL_INSTR_CMD,
  DFL_INSTR_COPY,
  DFL_INSTR_ENTRYPOINT,
  DFL_INSTR_ENV,
  DFL_INSTR_EXPOSE,
  DFL_INSTR_FROM,
  DFL_INSTR_HEALTHCHECK,
  DFL_INSTR_LABEL,
  DFL_INSTR_MAINTAINER,
  DFL_INSTR_ONBUILD,
  DFL_INSTR_RUN,
  DFL_INSTR_SHELL,
  DFL_INSTR_STOPSIGNAL,
  DFL_INSTR_USER,
  DFL_INSTR_VOLUME,
  DFL_INSTR_WORKDIR,
  DFL_INSTR__COUNT
} dfl_instr_kind;

/* A flag before the arguments, e.g. `--from="build stage"`. */
typedef struct dfl_flag {
  const char *text; /* BuildKit's flag string: quotes removed, escapes applied,
                       bytes >= 0x80 re-encoded as U+0080..U+00FF (its quirk) */
  size_t text_len;
  const char *name; /* bytes between "--" and "=" (or the end), raw */
  size_t name_len;
  const char *value; /* after "=", quotes/escapes removed; NULL if no "=" */
  size_t value_len;
  dfl_range range; /* the flag word as written */
} dfl_flag;

/* One argument node (BuildKit's Next chain). For ENV/LABEL the nodes come in
 * triplets: key, value, separator ("=" or "" for the legacy form). */
typedef struct dfl_arg {
  const char *value;
  size_t len;
  dfl_range range; /* where the text came from; for JSON elements the token */
} dfl_arg;

typedef struct dfl_heredoc {
  const char *name; /* the delimiter, quotes removed */
  size_t name_len;
  const char *content; /* body lines as written, each with its newline */
  size_t content_len;
  bool expand;   /* false when any part of the delimiter was quoted */
  bool chomp;    /* <<- : leading tabs stripped when used */
  unsigned fd;   /* 3<<EOF gives 3; 0 when absent */
  dfl_range word_range;  /* the <<WORD on the instruction line */
  dfl_range body_range;  /* the body (may be empty) */
  uint32_t terminator_line;
} dfl_heredoc;

/* A piece of the joined logical line: joined bytes [joined, joined+len) came
 * from source bytes [source, source+len) on line `line`. */
typedef struct dfl_segment {
  uint32_t joined;
  uint32_t source;
  uint32_t len;
  uint32_t line;
  uint32_t col;
} dfl_segment;

typedef struct dfl_comment {
  const char *text; /* BuildKit's PrevComment text: TrimSpace(line[1:]) */
  size_t len;
  uint32_t line;
} dfl_comment;

typedef struct dfl_instr dfl_instr;

struct dfl_instr {
  dfl_instr_kind kind;
  const char *keyword; /* as written, e.g. "From" */
  size_t keyword_len;
  dfl_range keyword_range;

  const char *line; /* the joined logical line (BuildKit's Original) */
  size_t line_len;
  dfl_segment *segments;
  size_t nsegments;

  dfl_flag *flags;
  size_t nflags;

  const char *rest; /* argument text after the flags, trimmed */
  size_t rest_len;
  uint32_t rest_offset; /* offset of rest in line */

  dfl_arg *args;
  size_t nargs;
  bool json;       /* exec (JSON array) form */
  bool has_next;   /* BuildKit's Next chain is non-nil (dump prints something) */

  dfl_instr *sub;  /* ONBUILD payload, or NULL */
  dfl_instr *parent; /* the ONBUILD that holds this one */

  dfl_heredoc *heredocs;
  size_t nheredocs;

  dfl_comment *comments; /* the comment lines directly above (PrevComment) */
  size_t ncomments;

  /* Lines inside the continuation that were empty or blank
   * (NoEmptyContinuation). */
  uint32_t *empty_lines;
  size_t nempty_lines;

  dfl_range range;      /* first line to the last (heredoc terminator included) */
  uint32_t last_logical_line; /* last line of the instruction text itself */

  const char *error; /* BuildKit's parse error for this instruction, or NULL */
  size_t index;      /* position in dfl_dockerfile.instrs */
};

typedef enum dfl_directive_kind {
  DFL_DIRECTIVE_SYNTAX,
  DFL_DIRECTIVE_ESCAPE,
  DFL_DIRECTIVE_CHECK,
  DFL_DIRECTIVE__COUNT
} dfl_directive_kind;

typedef struct dfl_directive {
  bool present;
  const char *value;
  size_t len;
  dfl_range range; /* the whole directive line */
  dfl_range value_range;
} dfl_directive;

/* A syntax problem. `fatal` ones are those BuildKit's parser rejects the whole
 * file for; dflint records them and keeps parsing. */
typedef struct dfl_parse_error {
  const char *message;
  dfl_range range;
  uint32_t buildkit_line; /* the line BuildKit reports (it has quirks) */
  bool fatal;
} dfl_parse_error;

typedef struct dfl_dockerfile {
  dfl_arena arena;
  const char *path; /* as given (for messages) */

  const char *src; /* the whole input, NUL-terminated copy */
  size_t src_len;
  uint32_t *line_starts; /* byte offset of each line start, nlines entries */
  uint32_t nlines;
  bool has_bom;

  char escape; /* '\\' or '`' */
  dfl_directive directives[DFL_DIRECTIVE__COUNT];

  dfl_instr **instrs;
  size_t ninstrs;

  dfl_parse_error *errors;
  size_t nerrors;
} dfl_dockerfile;

/* The keyword for a kind in upper case ("FROM"), or NULL for UNKNOWN. */
const char *dfl_instr_kind_name(dfl_instr_kind kind);
/* Case-insensitive keyword lookup; DFL_INSTR_UNKNOWN if it is not one. */
dfl_instr_kind dfl_instr_kind_from_keyword(const char *s, size_t len);

/* Maps a byte offset within in->line to a source position. */
dfl_pos dfl_instr_pos(const dfl_instr *in, size_t joined_offset);
/* The range of joined bytes [from, to) of in->line. */
dfl_range dfl_instr_range(const dfl_instr *in, size_t from, size_t to);

/* The source text of 1-based line n without its line terminator. */
dfl_str dfl_dockerfile_line(const dfl_dockerfile *df, uint32_t n);

/* The first fatal error (what BuildKit would reject the file with), or NULL. */
const dfl_parse_error *dfl_dockerfile_fatal_error(const dfl_dockerfile *df);

#endif
