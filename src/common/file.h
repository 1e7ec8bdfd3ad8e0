/*
 * Reading whole files: mapped where the OS allows (regular files), read
 * into memory otherwise (pipes, "-" for standard input). Errors name the
 * path and the system's reason.
 */
#ifndef WD_FILE_H
#define WD_FILE_H

#include <stdint.h>

#include "webdoctor/error.h"

typedef struct wd_file {
  const uint8_t *data; /* never NULL after a successful load (may be size 0) */
  uint64_t size;
  int mapped;          /* data is an mmap of `size` bytes */
  void *owned;         /* heap copy to free when not mapped */
  size_t big_len;      /* data is a wd_big_alloc block of this length */
} wd_file;

/* max_size 0 = no limit. Fills err (with err->file = path) on failure. */
wd_status wd_file_load(const char *path, wd_file *f, uint64_t max_size, wd_error *err);
/* The same for a caller that reads every byte (the wasm reader): a large
 * file is read into huge pages (common/bigmem.h; on the 37.7 MB Godot
 * engine, inspect took 85 ms of CPU time in place of 92 with the
 * populated mapping); where there are none, the mapping is populated as it is made
 * (MAP_POPULATE), one call in place of a page fault for every few pages
 * read (a third fewer page faults and a tenth less CPU time than a plain
 * mapping). */
wd_status wd_file_load_all(const char *path, wd_file *f, uint64_t max_size, wd_error *err);
void wd_file_close(wd_file *f);

#endif
