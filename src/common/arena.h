/*
 * Arena: one owner for everything a parsed input produces.
 *
 * Allocations are bump-pointer from chunks and are never freed one by one;
 * wd_arena_release() frees them all. Memory is zeroed. A NULL return means
 * out of memory (or a size that would overflow) and nothing was allocated.
 */
#ifndef WD_ARENA_H
#define WD_ARENA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct wd_arena_chunk wd_arena_chunk;
typedef struct wd_arena {
  wd_arena_chunk *head;  /* newest chunk first */
  size_t used;           /* bytes handed out (for statistics) */
  wd_arena_chunk *big;   /* the huge-page chunk large blocks are cut from, or NULL */
  size_t next_chunk;     /* size of the next small chunk (0: the first) */
  bool all_big;          /* wd_arena_expect_large: small chunks on huge pages too */
} wd_arena;

#define WD_ARENA_INIT {NULL, 0, NULL, 0, false}

/* The arena will hold megabytes (the parse of a large module): cut every
 * chunk from huge pages where there are any. Call before the first
 * allocation. */
void wd_arena_expect_large(wd_arena *a);

void *wd_arena_alloc(wd_arena *a, size_t size);
/* count * size, checking the multiplication. */
void *wd_arena_array(wd_arena *a, size_t count, size_t size);
/* Copy len bytes and add a NUL. */
char *wd_arena_strndup(wd_arena *a, const char *s, size_t len);
void wd_arena_release(wd_arena *a);

#endif
