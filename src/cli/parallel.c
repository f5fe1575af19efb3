/* Lints files on several threads. Each item is independent; output is
 * rendered afterwards in input order, so -j never changes what is printed. */
#include <pthread.h>
#include <stdatomic.h>

#include "cli/options.h"

typedef struct pool {
  char *items;
  size_t n;
  size_t size;
  atomic_size_t next;
  void (*fn)(void *item, const dfl_lint_options *lo);
  const dfl_lint_options *lo;
} pool;

static void *worker(void *arg)
{
  pool *p = arg;
  for (;;) {
    size_t i = atomic_fetch_add(&p->next, 1);
    if (i >= p->n)
      break;
    p->fn(p->items + i * p->size, p->lo);
  }
  return NULL;
}

void dfl_run_parallel(void *items, size_t n, size_t size, unsigned threads,
                      void (*fn)(void *item, const dfl_lint_options *lo),
                      const dfl_lint_options *lo)
{
  pool p = {items, n, size, 0, fn, lo};
  if (threads > n)
    threads = (unsigned)n;
  if (threads <= 1) {
    worker(&p);
    return;
  }
  pthread_t tids[64];
  if (threads > 64)
    threads = 64;
  unsigned started = 0;
  for (unsigned t = 0; t < threads; t++)
    if (pthread_create(&tids[started], NULL, worker, &p) == 0)
      started++;
  worker(&p);
  for (unsigned t = 0; t < started; t++)
    pthread_join(tids[t], NULL);
}
