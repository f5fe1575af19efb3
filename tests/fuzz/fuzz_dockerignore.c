/* .dockerignore files (dfl_ignore_parse) and matching. Input: the ignore
 * file up to the first NUL byte, then NUL-separated paths (at most 16) that
 * are matched both ways BuildKit does: by path with its parents, and by a
 * walk that carries the parent directory's per-pattern results. */
#include <stdbool.h>
#include <stdlib.h>

#include "dflint/arena.h"
#include "dflint/dockerignore.h"
#include "fuzz_common.h"

DFL_FUZZ_TARGET(dockerignore)
{
  const char *p = (const char *)data, *end = p + size;
  size_t tlen;
  const char *text = dfl_fuzz_next(&p, end, '\0', &tlen);
  char *err = NULL;
  dfl_ignore *ig = dfl_ignore_parse(text, tlen, &err);
  if (!ig) {
    if (!err)
      abort();
    free(err);
    return 0;
  }
  size_t n = dfl_ignore_count(ig);
  for (size_t i = 0; i < n; i++) {
    if (!dfl_ignore_pattern(ig, i))
      abort();
    (void)dfl_ignore_is_exclusion(ig, i);
    (void)dfl_ignore_line(ig, i);
    (void)dfl_ignore_pattern_error(ig, i);
    (void)dfl_ignore_regexp(ig, i);
  }
  (void)dfl_ignore_has_exclusions(ig);
  bool *parent = dfl_xcalloc(n + 1, sizeof *parent);
  bool *out = dfl_xcalloc(n + 1, sizeof *out);
  for (int k = 0; k < 16 && p < end; k++) {
    size_t plen;
    const char *s = dfl_fuzz_next(&p, end, '\0', &plen);
    char *path = dfl_xstrndup(s, plen); /* ends at the first NUL anyway */
    const char *merr = NULL;
    int m = dfl_ignore_match(ig, path, &merr);
    if (m < -1 || m > 1 || (m == -1 && !merr))
      abort();
    (void)dfl_ignore_match_walk(ig, path, NULL, parent, &merr);
    /* The next path is walked as if it were inside this one. */
    (void)dfl_ignore_match_walk(ig, path, parent, out, &merr);
    char *clean = dfl_path_clean(path);
    char *dir = dfl_path_dir(path);
    /* Clean is idempotent (Go's filepath.Clean). */
    char *again = dfl_path_clean(clean);
    if (strcmp(again, clean) != 0)
      abort();
    free(again);
    free(clean);
    free(dir);
    free(path);
  }
  free(parent);
  free(out);
  dfl_ignore_free(ig);
  return 0;
}
