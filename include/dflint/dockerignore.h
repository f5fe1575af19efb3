/* .dockerignore files with BuildKit's exact semantics.
 *
 * Reading follows moby/patternmatcher's ignorefile.ReadAll (UTF-8 BOM, `#`
 * comments, TrimSpace, filepath.Clean, leading `/` dropped, `!` exclusions);
 * compiling and matching follow patternmatcher.New and its Pattern type: a
 * pattern is matched exactly, by prefix (a trailing double star), by suffix
 * (a leading one) or through the very regular expression Go would build from
 * it, so quirks such
 * as `\d` meaning a digit, `[*]` matching `]`, `a|b*` being an alternation or
 * `x{2}` a repeat count are reproduced, not "fixed". RE2's \p{...} Unicode
 * classes are the one construct not evaluated: such a pattern reports an
 * error when matched (see dfl_ignore_pattern_error).
 *
 * Paths given to the matchers are slash-separated and relative to the build
 * context, cleaned the way the caller's rule needs (CopyIgnoredFile passes
 * filepath.Clean of the COPY source; see dfl_path_clean). */
#ifndef DFLINT_DOCKERIGNORE_H
#define DFLINT_DOCKERIGNORE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct dfl_ignore dfl_ignore; /* compiled pattern list */

/* Parses the text of an ignore file (ReadAll, then patternmatcher.New).
 * Returns NULL and sets *err (malloc'd, "line N: ...") where BuildKit would
 * fail: a line of 64 KiB or more, a lone `!`, or a pattern that
 * filepath.Match rejects ("syntax error in pattern"). A pattern whose Go
 * regexp fails to compile does not fail here: BuildKit only notices when the
 * pattern is evaluated, so the matchers below report it then (and
 * dfl_ignore_pattern_error exposes it up front). err may be NULL. */
dfl_ignore *dfl_ignore_parse(const char *text, size_t len, char **err);

/* Finds and reads the ignore file BuildKit would use: `<dockerfile_path>
 * .dockerignore` when that file exists (even empty), else `.dockerignore` in
 * context_dir. dockerfile_path may be NULL or "-" (stdin). Returns NULL with
 * *err NULL when neither file exists; NULL with *err set (prefixed with the
 * file's path) when it cannot be read or parsed. */
dfl_ignore *dfl_ignore_load(const char *context_dir, const char *dockerfile_path,
                            char **err);

void dfl_ignore_free(dfl_ignore *ig);

/* PatternMatcher.MatchesOrParentMatches: whether path, or one of its parent
 * directories, is ignored once every pattern and exclusion has been applied
 * in order. Returns 1 (ignored), 0 (not ignored) or -1 when evaluation
 * reached a pattern BuildKit cannot compile; *err (may be NULL) then points
 * at that pattern's message, owned by ig. No special case for ".": BuildKit's
 * method has none either, so `*` ignores ".". */
int dfl_ignore_match(const dfl_ignore *ig, const char *path, const char **err);
/* dfl_ignore_match(...) == 1. */
bool dfl_ignore_matches(const dfl_ignore *ig, const char *path);

/* PatternMatcher.MatchesUsingParentResults, for walking a build context the
 * way BuildKit's file transfer does: parent holds the per-pattern results of
 * the directory containing path (dfl_ignore_count entries, as written to out
 * when that directory was matched), or NULL for an entry at the top of the
 * walk (the parents are then checked by path, as in dfl_ignore_match). out
 * receives this path's per-pattern results; it may be NULL. Returns like
 * dfl_ignore_match. */
int dfl_ignore_match_walk(const dfl_ignore *ig, const char *path, const bool *parent,
                          bool *out, const char **err);

/* PatternMatcher.Exclusions: any `!` pattern. CopyIgnoredFile is skipped
 * then. */
bool dfl_ignore_has_exclusions(const dfl_ignore *ig);

/* Patterns in file order, for messages. */
size_t dfl_ignore_count(const dfl_ignore *ig);
/* The pattern as ReadAll normalised it, with its leading `!` for an
 * exclusion ("!docs/README.md"). */
const char *dfl_ignore_pattern(const dfl_ignore *ig, size_t i);
bool dfl_ignore_is_exclusion(const dfl_ignore *ig, size_t i);
/* 1-based line of the pattern in the file. */
size_t dfl_ignore_line(const dfl_ignore *ig, size_t i);
/* Why BuildKit cannot evaluate this pattern (a Go regexp compile error, or a
 * construct dflint does not implement), or NULL when it is fine. */
const char *dfl_ignore_pattern_error(const dfl_ignore *ig, size_t i);
/* The Go regexp the pattern is matched through ("^a[^/]*$"), or NULL when
 * patternmatcher matches it by plain comparison (exact, prefix, suffix). */
const char *dfl_ignore_regexp(const dfl_ignore *ig, size_t i);
/* The file dfl_ignore_load read, or NULL for dfl_ignore_parse. */
const char *dfl_ignore_source(const dfl_ignore *ig);

/* Go's filepath.Clean on a Unix system (malloc'd): the shortest equivalent
 * path by lexical processing; "" becomes ".". */
char *dfl_path_clean(const char *path);
/* Go's filepath.Dir (malloc'd): all but the last element, cleaned. */
char *dfl_path_dir(const char *path);

#endif
