/* The few Unicode facts the parser needs to match Go's behaviour. */
#ifndef DFLINT_UTF8_H
#define DFLINT_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DFL_RUNE_ERROR 0xFFFDu

/* Decodes one rune at s[0..len) like Go's utf8.DecodeRune: an invalid or
 * truncated sequence yields DFL_RUNE_ERROR with width 1. len must be > 0. */
uint32_t dfl_utf8_decode(const char *s, size_t len, size_t *width);
/* Go's unicode.IsSpace. */
bool dfl_rune_is_space(uint32_t r);
/* Go's unicode.IsLetter / IsDigit, for the ranges Dockerfiles use. */
bool dfl_rune_is_letter(uint32_t r);
bool dfl_rune_is_digit(uint32_t r);
/* Go's strconv.IsPrint. */
bool dfl_rune_is_print(uint32_t r);
/* Go's unicode.ToLower / ToUpper for Latin, Greek and Cyrillic. */
uint32_t dfl_rune_to_lower(uint32_t r);
uint32_t dfl_rune_to_upper(uint32_t r);



/* A malloc'd copy of s[0..len) with each invalid UTF-8 byte replaced by
 * U+FFFD, so it can go into JSON or XML. */
char *dfl_utf8_sanitize(const char *s, size_t len);
#endif
