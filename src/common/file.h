/*
 * Reading whole files: mapped where the OS allows (regular files), read
 * into memory otherwise (pipes, "-" for standard input). Errors name the
 * path and the system's reason.
 */
#ifndef WD_FILE_H
#define WD_FILE_H

#include <stdint.h>

#include "webdoctor/error.h"

/* A read under way in a thread of its own (wd_file_load_arriving). */
typedef struct wd_file_arrival wd_file_arrival;

typedef struct wd_file {
  const uint8_t *data; /* never NULL after a successful load (may be size 0) */
  uint64_t size;
  int mapped;          /* data is an mmap of `size` bytes */
  void *owned;         /* heap copy to free when not mapped */
  size_t big_len;      /* data is a wd_big_alloc block of this length */
  wd_file_arrival *arriving; /* the bytes are still being read in: wd_file_wait */
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

/* The same, but a file read into huge pages is read by a thread of its
 * own, while the caller goes over the bytes that have arrived: the call
 * returns once the read has started, with `size` the file's size as
 * fstat gave it and f->arriving set (NULL when the file was read or
 * mapped before returning, as wd_file_load_all does it: a small file, no
 * huge pages, no threads). Reading the 37.7 MB Godot engine takes 6-7 ms
 * of one core, with the other idle, before anything of it is parsed.
 * Every wd_file_load_arriving with f->arriving set needs a
 * wd_file_arrived. */
wd_status wd_file_load_arriving(const char *path, wd_file *f, uint64_t max_size, wd_error *err);
/* Wait until the bytes [0, want) have arrived, or the read has ended;
 * returns how many bytes have arrived (less than want only when the read
 * ended before: a file that shrank, or a read error). Any thread may
 * wait; `a` NULL means everything is in. */
uint64_t wd_file_wait(wd_file_arrival *a, uint64_t want);
/* Wait for the end of the read and clear f->arriving. WD_OK with f->size
 * the bytes read (less than before if the file shrank meanwhile); or the
 * error wd_file_load_all would have given, with nothing left to close. */
wd_status wd_file_arrived(wd_file *f, wd_error *err);

void wd_file_close(wd_file *f);

#endif
