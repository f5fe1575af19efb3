#include "dflint/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct dfl_arena_block {
  dfl_arena_block *next;
  size_t used;
  size_t size;
  _Alignas(16) unsigned char data[];
};

/* Blocks grow with the arena, from MIN_BLOCK up to BLOCK_SIZE: a file
 * needs a few big ones, but each RUN's parsed shell script has an arena of
 * its own, and a 64 KB first block per script made a Dockerfile of 40,000
 * RUNs take 300 MB. */
enum { MIN_BLOCK = 1024, BLOCK_SIZE = 64 * 1024 };

static void out_of_memory(size_t size)
{
  fprintf(stderr, "dflint: out of memory (%zu bytes)\n", size);
  abort();
}

void *dfl_xmalloc(size_t size)
{
  void *p = malloc(size ? size : 1);
  if (!p)
    out_of_memory(size);
  return p;
}

void *dfl_xcalloc(size_t n, size_t size)
{
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p)
    out_of_memory(n * size);
  return p;
}

void *dfl_xrealloc(void *p, size_t size)
{
  void *q = realloc(p, size ? size : 1);
  if (!q)
    out_of_memory(size);
  return q;
}

char *dfl_xstrndup(const char *s, size_t len)
{
  char *p = dfl_xmalloc(len + 1);
  if (len)
    memcpy(p, s, len);
  p[len] = '\0';
  return p;
}

void dfl_arena_init(dfl_arena *a)
{
  a->head = NULL;
  a->total = 0;
}

void dfl_arena_free(dfl_arena *a)
{
  dfl_arena_block *b = a->head;
  while (b) {
    dfl_arena_block *next = b->next;
    free(b);
    b = next;
  }
  a->head = NULL;
  a->total = 0;
}

/* Bump allocation from the head block; align is a power of two. */
static void *arena_take(dfl_arena *a, size_t size, size_t align)
{
  dfl_arena_block *b = a->head;
  size_t at = b ? (b->used + align - 1) & ~(align - 1) : 0;
  if (!b || at + size > b->size) {
    /* Large requests get a block of their own behind the current one, so
     * the current block's free space is not wasted. */
    size_t grow = a->total < MIN_BLOCK    ? MIN_BLOCK
                  : a->total > BLOCK_SIZE ? BLOCK_SIZE
                                          : a->total;
    size_t bsize = size > grow / 4 ? size : grow;
    dfl_arena_block *nb = malloc(sizeof *nb + bsize);
    if (!nb)
      out_of_memory(bsize);
    nb->used = 0;
    nb->size = bsize;
    if (b && bsize != grow) {
      nb->next = b->next;
      b->next = nb;
    } else {
      nb->next = b;
      a->head = nb;
    }
    b = nb;
    at = 0;
  }
  void *p = b->data + at;
  b->used = at + size;
  a->total += size;
  return p;
}

void *dfl_arena_alloc(dfl_arena *a, size_t size)
{
  if (size == 0)
    size = 1;
  void *p = arena_take(a, size, 16);
  memset(p, 0, size);
  return p;
}

char *dfl_arena_strndup(dfl_arena *a, const char *s, size_t len)
{
  /* Strings need no alignment: packing them saves a lot on files with
   * millions of short arguments. */
  char *p = arena_take(a, len + 1, 1);
  if (len)
    memcpy(p, s, len);
  p[len] = '\0';
  return p;
}

void *dfl_arena_grow(dfl_arena *a, void *old, size_t n, size_t cap, size_t size)
{
  void *p = dfl_arena_alloc(a, cap * size);
  if (n && old)
    memcpy(p, old, n * size);
  return p;
}
