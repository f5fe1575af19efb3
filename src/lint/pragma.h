/* Inline pragmas in comments: dflint's own and hadolint's.
 *   # dflint ignore=ID[,ID...] [-- reason]     the next instruction
 *   # dflint global ignore=ID[,ID...] [-- reason]
 *   # hadolint ignore=DL3008,DL3015            the line below
 *   # hadolint global ignore=...   # hadolint stage ignore=...
 *   # hadolint shell=powershell
 * A comment that starts with the tool's name but does not parse is reported
 * instead of being silently void. */
#ifndef DFLINT_PRAGMA_H
#define DFLINT_PRAGMA_H

#include <stddef.h>
#include <stdint.h>

typedef enum dfl_pragma_kind {
  DFL_PRAGMA_NONE = 0,       /* not a pragma at all */
  DFL_PRAGMA_MALFORMED,      /* looks like one but does not parse */
  DFL_PRAGMA_IGNORE_NEXT,    /* dflint ignore= */
  DFL_PRAGMA_IGNORE_LINE,    /* hadolint ignore= (comment line + 1) */
  DFL_PRAGMA_IGNORE_GLOBAL,  /* dflint/hadolint global ignore= */
  DFL_PRAGMA_IGNORE_STAGE,   /* hadolint stage ignore= */
  DFL_PRAGMA_SHELL           /* hadolint shell= */
} dfl_pragma_kind;

typedef struct dfl_pragma {
  dfl_pragma_kind kind;
  char **ids;     /* rule ids or names (IGNORE kinds) */
  size_t nids;
  char *shell;    /* DFL_PRAGMA_SHELL */
  char *error;    /* DFL_PRAGMA_MALFORMED: what is wrong */
  size_t id_col;  /* 0-based column in text of the first id, for messages */
} dfl_pragma;

/* Parses the text of a comment line after its "#". */
void dfl_pragma_parse(const char *text, size_t len, dfl_pragma *out);
void dfl_pragma_free(dfl_pragma *p);

/* A pragma comment of the Dockerfile (a line whose first non-blank
 * character is '#', outside heredoc bodies, that is a dflint or hadolint
 * pragma). */
typedef struct dfl_pragma_line {
  uint32_t line;     /* 1-based */
  uint32_t hash_col; /* 0-based byte column of the '#' */
  dfl_pragma p;
} dfl_pragma_line;

#endif
