/*
 * A string-keyed hash table for the link model: the loader's symbol table
 * (Emscripten's asmLibraryArg / wasmImports) and its GOT. Keys are wd_str
 * slices that must outlive the table (names inside modules or the glue).
 */
#ifndef WD_LINK_SYMTAB_H
#define WD_LINK_SYMTAB_H

#include <stdbool.h>
#include <stdint.h>

#include "webdoctor/link.h"
#include "webdoctor/str.h"

typedef struct wdi_sym {
  wd_str name;
  wd_given value;      /* what the loader hands out for this name */
  uint32_t owner;      /* GOT: load index of the first module that imported it */
  bool defined;        /* GOT: got a nonzero value */
  bool weak;           /* GOT: every importer declared it weak */
  bool used;
} wdi_sym;

typedef struct wdi_symtab {
  wdi_sym *slots;
  uint32_t cap;        /* power of two */
  uint32_t count;
  size_t big_len;      /* slots are a wd_big_alloc block of this length, or 0: calloc */
} wdi_symtab;

/* Find `name`; NULL if absent. */
wdi_sym *wdi_symtab_find(const wdi_symtab *t, wd_str name);
/* Find or insert; *inserted tells which. NULL on out of memory. */
wdi_sym *wdi_symtab_put(wdi_symtab *t, wd_str name, bool *inserted);
/* Make room for `n` names in all, so that they go in without rehashing;
 * -1 on out of memory. */
int wdi_symtab_reserve(wdi_symtab *t, uint32_t n);
void wdi_symtab_free(wdi_symtab *t);

#endif
