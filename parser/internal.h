/* Declarations shared by the parser's files; not part of the public API. */
#ifndef DFLINT_PARSER_INTERNAL_H
#define DFLINT_PARSER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dflint/ast.h"
#include "dflint/buf.h"

/* A list of words cut from a string, with the byte span each came from. */
typedef struct word_list {
  char **text;
  size_t *len;
  uint32_t *start; /* offset of the word's first byte in the input */
  uint32_t *end;   /* offset one past its last byte */
  size_t n;
  size_t cap;
} word_list;

void word_list_push(dfl_arena *a, word_list *wl, const char *s, size_t len,
                    uint32_t start, uint32_t end);

void word_list_free(word_list *wl);

/* Go's unicode.IsSpace on the rune at s[i], and its width. */
bool space_at(const char *s, size_t len, size_t i, size_t *width);
/* Offsets after trimming Unicode white space (strings.TrimSpace). */
void trim_space(const char *s, size_t *from, size_t *to);
/* The regexp [\t\v\f\r ] used by BuildKit's whitespace splits. */
static inline bool is_split_space(char c)
{
  return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

/* BuildKit's extractBuilderFlags on s[0..len): flags are appended to fl
 * (text and spans) and *rest_at receives where the arguments start (len
 * when nothing follows). */
void extract_flags(dfl_arena *a, const char *s, size_t len, unsigned escape,
                   word_list *fl, size_t *rest_at);
/* BuildKit's parseWords: quote-aware split that keeps quotes and escapes. */
void parse_words(dfl_arena *a, const char *s, size_t len, unsigned escape,
                 word_list *out);
/* Splits on runs of [\t\v\f\r ] (regexp Split with n = -1). */
void split_whitespace(dfl_arena *a, const char *s, size_t len, word_list *out);

typedef enum json_result {
  JSON_OK,          /* a valid array of strings: out holds them */
  JSON_INVALID,     /* not a JSON array (BuildKit falls back to shell form) */
  JSON_NOT_STRINGS  /* valid JSON, but an element is not a string */
} json_result;

/* Parses s[0..len) as a JSON array of strings, the way Go's encoding/json
 * decodes into []interface{}. */
json_result parse_json_array(dfl_arena *a, const char *s, size_t len,
                             word_list *out);

#endif
