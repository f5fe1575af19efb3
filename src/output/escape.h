/* Escaping for the CI and XML formats, shared by their renderers and tested
 * directly by tests/test_output.c. Every function appends to b. */
#ifndef DFLINT_OUTPUT_ESCAPE_H
#define DFLINT_OUTPUT_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>

#include "dflint/buf.h"

/* A GitHub Actions workflow command's message, as @actions/core's
 * escapeData: % CR LF become %25 %0D %0A. */
void dfl_escape_gh_data(dfl_buf *b, const char *s, size_t len);
/* A workflow command's property value, as @actions/core's escapeProperty:
 * escapeData plus : and , (the property delimiters) as %3A and %2C. */
void dfl_escape_gh_property(dfl_buf *b, const char *s, size_t len);

/* XML 1.0 character data or an attribute value (quoted with "): & < > " '
 * become entities; invalid UTF-8 and the characters XML 1.0 forbids (C0
 * controls other than tab, LF and CR; U+FFFE, U+FFFF) become U+FFFD. In an
 * attribute, tab, LF and CR become character references, because a parser
 * would otherwise normalise them to spaces. */
void dfl_escape_xml(dfl_buf *b, const char *s, size_t len, bool attribute);

/* A relative path as a URI reference: each byte but unreserved ones
 * (RFC 3986: ALPHA DIGIT - . _ ~) and '/' is percent-encoded, so a ':' in the
 * first segment cannot read as a scheme. Leading "./" segments are dropped. */
void dfl_escape_uri_path(dfl_buf *b, const char *path, size_t len);
/* A file:// URI for an absolute path ("/a b" gives "file:///a%20b"). */
void dfl_file_uri(dfl_buf *b, const char *abs_path, size_t len);

/* The text of one line for line-oriented formats: invalid UTF-8 becomes
 * U+FFFD and CR, LF and other C0 controls (tab excepted) become spaces, so a
 * finding never spans two lines of output. */
void dfl_escape_one_line(dfl_buf *b, const char *s, size_t len);

#endif
