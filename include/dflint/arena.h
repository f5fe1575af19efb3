/* Bump allocator: every node and string of one parsed file lives in one arena,
 * so freeing the file is one call. Allocation failure aborts with a message:
 * the CLI has nothing useful to do without memory. */
#ifndef DFLINT_ARENA_H
#define DFLINT_ARENA_H

#include <stddef.h>

typedef struct dfl_arena_block dfl_arena_block;

typedef struct dfl_arena {
  dfl_arena_block *head;
  size_t total; /* bytes handed out, for memory accounting */
} dfl_arena;

void dfl_arena_init(dfl_arena *a);
void dfl_arena_free(dfl_arena *a);
/* Zeroed, 16-byte aligned memory that lives as long as the arena. */
void *dfl_arena_alloc(dfl_arena *a, size_t size);
/* A NUL-terminated copy of s[0..len). */
char *dfl_arena_strndup(dfl_arena *a, const char *s, size_t len);
/* Grows an arena array: returns a copy of old (n elements of size) with room
 * for cap elements. The old block is simply left in the arena. */
void *dfl_arena_grow(dfl_arena *a, void *old, size_t n, size_t cap, size_t size);

/* Heap helpers that abort on failure. */
void *dfl_xmalloc(size_t size);
void *dfl_xcalloc(size_t n, size_t size);
void *dfl_xrealloc(void *p, size_t size);
char *dfl_xstrndup(const char *s, size_t len);

#endif
