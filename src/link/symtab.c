#include "link/symtab.h"

#include <stdlib.h>
#include <string.h>

#include "common/bigmem.h"

static uint64_t hash(wd_str s) {
  uint64_t h = 1469598103934665603ull; /* FNV-1a */
  for (uint32_t i = 0; i < s.len; i++) {
    h ^= (uint8_t)s.ptr[i];
    h *= 1099511628211ull;
  }
  return h;
}

wdi_sym *wdi_symtab_find(const wdi_symtab *t, wd_str name) {
  if (!t->cap) return NULL;
  uint32_t mask = t->cap - 1;
  for (uint32_t i = (uint32_t)hash(name) & mask;; i = (i + 1) & mask) {
    wdi_sym *s = &t->slots[i];
    if (!s->used) return NULL;
    if (wd_str_eqs(s->name, name)) return s;
  }
}

/* Tables from this size up go on huge pages (common/bigmem.h): the link
 * of the Godot 4.6 engine and its glue puts 680 names in 1,024 slots of
 * 128 bytes, which on 4 KiB pages took 33 page faults. */
#define SYMTAB_BIG ((size_t)64 * 1024)

static void free_slots(wdi_sym *slots, size_t big_len) {
  if (big_len) wd_big_free(slots, big_len);
  else free(slots);
}

static int rehash(wdi_symtab *t, uint32_t ncap) {
  size_t len = 0;
  wdi_sym *n = (size_t)ncap * sizeof *n >= SYMTAB_BIG ? wd_big_alloc((size_t)ncap * sizeof *n, &len) : NULL;
  if (!n) {
    len = 0;
    n = calloc(ncap, sizeof *n);
  }
  if (!n) return -1;
  for (uint32_t i = 0; i < t->cap; i++) {
    if (!t->slots[i].used) continue;
    uint32_t j = (uint32_t)hash(t->slots[i].name) & (ncap - 1);
    while (n[j].used) j = (j + 1) & (ncap - 1);
    n[j] = t->slots[i];
  }
  free_slots(t->slots, t->big_len);
  t->slots = n;
  t->cap = ncap;
  t->big_len = len;
  return 0;
}

static int grow(wdi_symtab *t) { return rehash(t, t->cap ? t->cap * 2 : 64); }

int wdi_symtab_reserve(wdi_symtab *t, uint32_t n) {
  uint64_t cap = t->cap ? t->cap : 64;
  while ((uint64_t)n * 4 > cap * 3) cap *= 2;
  if (cap > UINT32_MAX / 2) return -1;
  return cap > t->cap ? rehash(t, (uint32_t)cap) : 0;
}

wdi_sym *wdi_symtab_put(wdi_symtab *t, wd_str name, bool *inserted) {
  *inserted = false;
  wdi_sym *s = wdi_symtab_find(t, name);
  if (s) return s;
  if ((t->count + 1) * 4 > t->cap * 3 && grow(t)) return NULL;
  uint32_t mask = t->cap - 1;
  uint32_t i = (uint32_t)hash(name) & mask;
  while (t->slots[i].used) i = (i + 1) & mask;
  s = &t->slots[i];
  memset(s, 0, sizeof *s);
  s->used = true;
  s->name = name;
  t->count++;
  *inserted = true;
  return s;
}

void wdi_symtab_free(wdi_symtab *t) {
  free_slots(t->slots, t->big_len);
  t->slots = NULL;
  t->cap = t->count = 0;
  t->big_len = 0;
}
