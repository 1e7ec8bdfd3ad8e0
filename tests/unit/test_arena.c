/* The arena (common/arena.c) and the link model's symbol table
 * (link/symtab.c): what they hand out is zeroed, aligned, distinct and
 * kept, whichever kind of chunk or table it comes from. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "common/arena.h"
#include "link/symtab.h"

static uint32_t rnd_state = 12345;
static uint32_t rnd(void) {
  rnd_state = rnd_state * 1103515245u + 12345u;
  return rnd_state >> 8;
}

#define NBLOCKS 3000

/* Allocate blocks of mixed sizes (a few bytes to 300 KB), fill each with
 * its own byte, then look at every byte again. */
static void arena_blocks(bool large) {
  wd_arena a = WD_ARENA_INIT;
  if (large) wd_arena_expect_large(&a);
  static unsigned char *p[NBLOCKS];
  static size_t n[NBLOCKS];
  size_t zero_bad = 0, align_bad = 0, total = 0;
  for (int i = 0; i < NBLOCKS; i++) {
    uint32_t r = rnd();
    n[i] = r % 16 == 0 ? 100000 + r % 200000 : r % 4 == 0 ? 1000 + r % 20000 : 1 + r % 200;
    p[i] = wd_arena_alloc(&a, n[i]);
    CHECK(p[i] != NULL);
    if (!p[i]) return;
    if ((uintptr_t)p[i] % 16) align_bad++;
    for (size_t k = 0; k < n[i]; k++) zero_bad += p[i][k] != 0;
    memset(p[i], (int)(i % 251) + 1, n[i]);
    total += n[i];
  }
  CHECK_EQ_INT(zero_bad, 0);
  CHECK_EQ_INT(align_bad, 0);
  size_t kept_bad = 0;
  for (int i = 0; i < NBLOCKS; i++)
    for (size_t k = 0; k < n[i]; k++) kept_bad += p[i][k] != (unsigned char)(i % 251 + 1);
  CHECK_EQ_INT(kept_bad, 0);
  CHECK(a.used >= total);
  char *s = wd_arena_strndup(&a, "memory", 3);
  CHECK_EQ_STR(s, "mem");
  CHECK(wd_arena_array(&a, SIZE_MAX / 2, 4) == NULL);
  CHECK(wd_arena_alloc(&a, SIZE_MAX - 3) == NULL);
  CHECK(wd_arena_alloc(&a, 0) != NULL);
  wd_arena_release(&a);
  CHECK(a.head == NULL && a.used == 0);
  /* usable again after a release */
  unsigned char *q = wd_arena_alloc(&a, 5000);
  CHECK(q != NULL && q[0] == 0 && q[4999] == 0);
  wd_arena_release(&a);
}

static void symtab_names(void) {
  enum { N = 5000 };
  static char names[N][16];
  for (int i = 0; i < N; i++) snprintf(names[i], sizeof names[i], "sym_%d", i * 7919);
  wdi_symtab t = {0};
  CHECK(wdi_symtab_find(&t, (wd_str){"x", 1}) == NULL); /* empty */
  /* grown one insertion at a time, through the size where the slots move
   * to huge pages */
  size_t bad = 0;
  for (int i = 0; i < N; i++) {
    bool ins;
    wdi_sym *s = wdi_symtab_put(&t, (wd_str){names[i], (uint32_t)strlen(names[i])}, &ins);
    if (!s || !ins || s->value.kind != 0) bad++;
    else s->owner = (uint32_t)i;
  }
  CHECK_EQ_INT(bad, 0);
  CHECK_EQ_INT(t.count, N);
  for (int i = 0; i < N; i++) {
    bool ins;
    wdi_sym *s = wdi_symtab_put(&t, (wd_str){names[i], (uint32_t)strlen(names[i])}, &ins);
    if (!s || ins || s->owner != (uint32_t)i) bad++;
  }
  CHECK_EQ_INT(bad, 0);
  CHECK(wdi_symtab_find(&t, (wd_str){"sym_1", 5}) == NULL);
  wdi_symtab_free(&t);
  CHECK(t.slots == NULL && t.cap == 0 && t.count == 0);

  /* reserved: every name goes in without the slots moving */
  CHECK_EQ_INT(wdi_symtab_reserve(&t, N), 0);
  wdi_sym *slots = t.slots;
  uint32_t cap = t.cap;
  CHECK(cap >= N);
  for (int i = 0; i < N; i++) {
    bool ins;
    if (!wdi_symtab_put(&t, (wd_str){names[i], (uint32_t)strlen(names[i])}, &ins) || !ins) bad++;
  }
  CHECK_EQ_INT(bad, 0);
  CHECK(t.slots == slots && t.cap == cap);
  /* a reserve below what is there changes nothing; above, keeps the names */
  CHECK_EQ_INT(wdi_symtab_reserve(&t, 10), 0);
  CHECK(t.slots == slots);
  CHECK_EQ_INT(wdi_symtab_reserve(&t, 4 * N), 0);
  CHECK(t.cap > cap);
  for (int i = 0; i < N; i++)
    if (!wdi_symtab_find(&t, (wd_str){names[i], (uint32_t)strlen(names[i])})) bad++;
  CHECK_EQ_INT(bad, 0);
  CHECK_EQ_INT(t.count, N);
  wdi_symtab_free(&t);
}

int main(void) {
  arena_blocks(false);
  arena_blocks(true);
  symtab_names();
  return check_summary();
}
