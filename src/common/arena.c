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

/* Small chunks start at WD_ARENA_FIRST and double up to WD_ARENA_CHUNK:
 * calloc touches all of a chunk, and an arena that stays small (a side
 * module, the link model of a page) should not pay for 16 pages it does
 * not use. */
#define WD_ARENA_FIRST (4 * 1024)
#define WD_ARENA_CHUNK (64 * 1024)
/* Blocks from this size up are cut from chunks on huge pages
 * (common/bigmem.h), several to a chunk. A 4 KiB page of a fresh block
 * costs a page fault at its first touch, and on the virtual machines
 * webdoctor is measured on those are expensive: inspect on the 37.7 MB
 * Godot engine spent 1.2-1.5 ms reading its function section into a
 * 280 KB array and 1 ms more copying that into another, 0.35 ms and
 * nothing on huge pages. */
#define WD_ARENA_BIG ((size_t)128 * 1024)

/* A block of `need` bytes from the arena's huge-page chunk, or a new one;
 * NULL when there are no huge pages (then the caller allocates it
 * otherwise). */
static void *big_block(wd_arena *a, size_t need) {
  wd_arena_chunk *b = a->big;
  if (!b || b->size - b->pos < need) {
    if (need > SIZE_MAX - sizeof *b) return NULL;
    size_t len;
    wd_arena_chunk *n = wd_big_alloc(sizeof *n + need, &len);
    if (!n) return NULL;
    n->big_len = len;
    n->size = len - sizeof *n;
    n->pos = 0;
    /* behind the current small chunk, whose free space stays usable */
    if (a->head) {
      n->next = a->head->next;
      a->head->next = n;
    } else {
      n->next = NULL;
      a->head = n;
    }
    /* keep cutting from whichever has more room left */
    if (!b || n->size - need > b->size - b->pos) a->big = n;
    b = n;
  }
  void *p = b->data + b->pos;
  b->pos += need;
  a->used += need;
  return p;
}

void wd_arena_expect_large(wd_arena *a) { a->all_big = true; }

void *wd_arena_alloc(wd_arena *a, size_t size) {
  size_t need = (size + 15) & ~(size_t)15;
  if (need < size) return NULL;
  if (need == 0) need = 16;
  if (need >= WD_ARENA_BIG || a->all_big) {
    void *p = big_block(a, need);
    if (p) return p;
  }
  wd_arena_chunk *c = a->head;
  if (!c || c->size - c->pos < need) {
    size_t chunk = a->next_chunk ? a->next_chunk : WD_ARENA_FIRST;
    if (chunk < WD_ARENA_CHUNK) a->next_chunk = chunk * 2;
    size_t cap = need > chunk / 4 ? need : chunk;
    if (cap > SIZE_MAX - sizeof *c) return NULL;
    /* calloc: a chunk is zeroed once, and a large one comes as fresh
     * pages the kernel has zeroed already. Chunks are never reused, so
     * what is handed out below is still zero. */
    wd_arena_chunk *n = calloc(1, sizeof *n + cap);
    if (!n) return NULL;
    n->big_len = 0;
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
  a->big = NULL;
  a->next_chunk = 0;
}
