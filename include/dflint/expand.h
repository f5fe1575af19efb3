/* BuildKit's shell lexer (frontend/dockerfile/shell/lex.go): variable
 * expansion, quote removal and word splitting with the same results, errors
 * and matched/unmatched variable bookkeeping. The parser uses it to find
 * heredocs; the model and rules use it to expand instruction words. */
#ifndef DFLINT_EXPAND_H
#define DFLINT_EXPAND_H

#include <stdbool.h>
#include <stddef.h>

/* An ordered environment. Keys are compared case-sensitively (Linux).
 * Setting an existing key replaces its value in place. */
typedef struct dfl_env_entry {
  char *key;
  char *value;
  size_t value_len;
  size_t key_len; /* strlen(key) */
} dfl_env_entry;

typedef struct dfl_env {
  dfl_env_entry *items;
  size_t n;
  size_t cap;
} dfl_env;

void dfl_env_init(dfl_env *env);
void dfl_env_free(dfl_env *env);
void dfl_env_set(dfl_env *env, const char *key, size_t key_len,
                 const char *value, size_t value_len);
/* NULL when key is not set. */
const dfl_env_entry *dfl_env_get(const dfl_env *env, const char *key,
                                 size_t key_len);
/* dst is overwritten: pass an uninitialised or freed env. */
void dfl_env_copy(dfl_env *dst, const dfl_env *src);

/* Lexer options, as the fields of BuildKit's shell.Lex. */
typedef struct dfl_lex {
  unsigned escape;          /* '\\' or '`' */
  bool raw_quotes;          /* keep quote characters in the result */
  bool raw_escapes;         /* keep escape characters in the result */
  bool skip_process_quotes; /* quotes are ordinary characters */
  bool skip_unset_env;      /* leave $unset and ${unset...} as written */
} dfl_lex;

/* A list of distinct names, in first-seen order. */
typedef struct dfl_namelist {
  char **names;
  size_t n;
  size_t cap;
} dfl_namelist;

typedef struct dfl_lex_result {
  char *result; /* the expanded word (malloc'd, NUL-terminated) */
  size_t result_len;
  char **words; /* the word split of the expansion (ProcessWords) */
  size_t *word_lens;
  size_t nwords;
  dfl_namelist matched;   /* variables looked up and found */
  dfl_namelist unmatched; /* variables looked up and not found */
  char *error; /* NULL, or BuildKit's message: failed to process "w": ... */
  size_t error_len; /* the message can hold NUL bytes copied from the word */
} dfl_lex_result;

/* Nested substitutions (${a:-${b:-...}}) deeper than this fail with
 * "syntax error: nesting too deep" instead of exhausting the C stack. Go's
 * growable stacks have no such limit; real Dockerfiles never come close. */
#define DFL_LEX_MAX_NESTING 1000

/* ${name//pattern/replacement} copies the expanded replacement once per
 * match, so nesting it (${a//x/${a//x/${a//x/...}}}) grows the result
 * exponentially: a few hundred bytes of Dockerfile would expand to
 * gigabytes. All the replace-all substitutions of one dfl_lex_process call
 * may produce this many bytes together; beyond, it fails with "syntax
 * error: replacement result too large". BuildKit has no such limit (it
 * would exhaust its memory); a real Dockerfile stays far below. */
#define DFL_LEX_MAX_REPLACE (16u << 20)

/* Processes word[0..len) with env (which may be NULL: nothing is set).
 * Always fills out (free it with dfl_lex_result_free); returns 0, or -1 when
 * out->error is set (then result and words are empty, as in BuildKit). */
int dfl_lex_process(const dfl_lex *lx, const char *word, size_t len,
                    const dfl_env *env, dfl_lex_result *out);
void dfl_lex_result_free(dfl_lex_result *r);
/* dfl_lex_process without its shortcut for plain words (printable ASCII
 * with no space, quote, '$' or escape character, returned as they are):
 * the tests and fuzz_expand check that both always agree. */
int dfl_lex_process_full(const dfl_lex *lx, const char *word, size_t len,
                         const dfl_env *env, dfl_lex_result *out);

void dfl_namelist_add(dfl_namelist *l, const char *name, size_t len);
bool dfl_namelist_has(const dfl_namelist *l, const char *name, size_t len);
void dfl_namelist_free(dfl_namelist *l);

#endif
