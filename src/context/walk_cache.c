/* Walks of the same build context, shared by the files of one run.
 *
 * A directory of Dockerfiles (a monorepo's docker/ folder, the corpus
 * bench) often has one build context for all of them: without this, DF106
 * would walk it again for every file with a `COPY .`, which makes a run
 * quadratic in the number of files there. A walk is keyed by everything
 * that decides its result: the context directory, the .dockerignore in
 * effect (its file and patterns) and the --exclude patterns. Walks are
 * whole-context walks with default limits only (what DF106 asks); the
 * context is assumed not to change during one run. Thread-safe: -j lints
 * files on several threads. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "dflint/arena.h"
#include "dflint/buf.h"
#include "dflint/context.h"

/* Enough for every context of a big monorepo; the oldest goes first. */
#define MAX_WALKS 64

typedef struct cached {
  char *key;
  int rc;
  dfl_context_summary sum;
} cached;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static cached walks[MAX_WALKS];
static size_t nwalks, next_slot;

static char *dup_or_null(const char *s)
{
  return s ? dfl_xstrndup(s, strlen(s)) : NULL;
}

static void copy_items(dfl_context_item **dst, size_t *dn,
                       const dfl_context_item *src, size_t n)
{
  *dn = n;
  *dst = n ? dfl_xcalloc(n, sizeof **dst) : NULL;
  for (size_t i = 0; i < n; i++) {
    (*dst)[i] = src[i];
    (*dst)[i].path = dup_or_null(src[i].path);
    (*dst)[i].pattern = dup_or_null(src[i].pattern);
  }
}

static void copy_summary(dfl_context_summary *dst,
                         const dfl_context_summary *src)
{
  *dst = *src;
  copy_items(&dst->top, &dst->ntop, src->top, src->ntop);
  copy_items(&dst->found, &dst->nfound, src->found, src->nfound);
  dst->error = dup_or_null(src->error);
}

static char *key_of(const char *dir, const dfl_ignore *ig,
                    const char *excludes)
{
  dfl_buf b;
  dfl_buf_init(&b);
  /* NUL-free text: fields are separated by newlines, which end every
   * pattern line too. */
  dfl_buf_printf(&b, "%s\n%s\n", dir,
                 ig && dfl_ignore_source(ig) ? dfl_ignore_source(ig) : "");
  for (size_t i = 0; ig && i < dfl_ignore_count(ig); i++)
    dfl_buf_printf(&b, "%c%s\n", dfl_ignore_is_exclusion(ig, i) ? '!' : ' ',
                   dfl_ignore_pattern(ig, i));
  dfl_buf_printf(&b, "--exclude\n%s", excludes ? excludes : "");
  return dfl_buf_take(&b);
}

int dfl_context_walk_shared(const char *context_dir, const dfl_ignore *ig,
                            const char *excludes, const dfl_ignore *exclude,
                            dfl_context_summary *out)
{
  char *key = key_of(context_dir, ig, excludes);
  pthread_mutex_lock(&mu);
  for (size_t i = 0; i < nwalks; i++)
    if (strcmp(walks[i].key, key) == 0) {
      int rc = walks[i].rc;
      copy_summary(out, &walks[i].sum);
      pthread_mutex_unlock(&mu);
      free(key);
      return rc;
    }
  pthread_mutex_unlock(&mu);

  /* Walked outside the lock: two threads may walk one context at once,
   * which costs time but never a wrong answer. */
  dfl_context_opts o = {.ignore = ig, .exclude = exclude};
  int rc = dfl_context_walk(context_dir, &o, out);

  pthread_mutex_lock(&mu);
  cached *c = &walks[next_slot];
  if (nwalks == MAX_WALKS) {
    free(c->key);
    dfl_context_summary_free(&c->sum);
  } else {
    nwalks++;
  }
  next_slot = (next_slot + 1) % MAX_WALKS;
  c->key = key;
  c->rc = rc;
  copy_summary(&c->sum, out);
  pthread_mutex_unlock(&mu);
  return rc;
}
