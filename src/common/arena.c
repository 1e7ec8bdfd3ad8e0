#include "common/arena.h"

#include <stdlib.h>
#include <string.h>

#include "common/bigmem.h"

struct wd_arena_chunk {
  wd_arena_chunk *next;
  size_t size, pos;
  size_t big_len; /* a wd_big_alloc block of this length, or 0: calloc */
  _Alignas(16) unsigned char data[];
};

#define WD_ARENA_CHUNK (64 * 1024)

void *wd_arena_alloc(wd_arena *a, size_t size) {
  size_t need = (size + 15) & ~(size_t)15;
  if (need < size) return NULL;
  if (need == 0) need = 16;
  wd_arena_chunk *c = a->head;
  if (!c || c->size - c->pos < need) {
    size_t cap = need > WD_ARENA_CHUNK / 4 ? need : WD_ARENA_CHUNK;
    if (cap > SIZE_MAX - sizeof *c) return NULL;
    /* calloc: a chunk is zeroed once, and a large one comes as fresh
     * pages the kernel has zeroed already (no memset of megabytes for the
     * function bodies of a big module). Chunks are never reused, so what
     * is handed out below is still zero. */
    size_t big_len = 0;
    wd_arena_chunk *n = NULL;
    /* A big block (the function bodies of a big module) on huge pages:
     * one fault in place of 512 (common/bigmem.h; inspect on the 37.7 MB
     * Godot engine: 69 ms of CPU time in place of 85, 433 page faults in
     * place of 975). */
    if (cap >= WD_BIG_MIN) n = wd_big_alloc(sizeof *n + cap, &big_len);
    if (!n) {
      big_len = 0;
      n = calloc(1, sizeof *n + cap);
    }
    if (!n) return NULL;
    n->big_len = big_len;
    n->size = cap;
    n->pos = 0;
    if (cap == need && c) {
      /* A big block gets its own chunk behind the current one, so the
       * current chunk's free space stays usable. */
      n->next = c->next;
      c->next = n;
    } else {
      n->next = c;
      a->head = n;
    }
    c = n;
  }
  void *p = c->data + c->pos;
  c->pos += need;
  a->used += need;
  return p;
}

void *wd_arena_array(wd_arena *a, size_t count, size_t size) {
  if (size && count > SIZE_MAX / size) return NULL;
  return wd_arena_alloc(a, count * size);
}

char *wd_arena_strndup(wd_arena *a, const char *s, size_t len) {
  if (len == SIZE_MAX) return NULL;
  char *p = wd_arena_alloc(a, len + 1);
  if (!p) return NULL;
  memcpy(p, s, len);
  p[len] = '\0';
  return p;
}

void wd_arena_release(wd_arena *a) {
  wd_arena_chunk *c = a->head;
  while (c) {
    wd_arena_chunk *n = c->next;
    if (c->big_len) wd_big_free(c, c->big_len);
    else free(c);
    c = n;
  }
  a->head = NULL;
  a->used = 0;
}
