/*
 * Reading whole files: mapped where the OS allows (regular files), read
 * into memory otherwise (pipes, "-" for standard input). Errors name the
 * path and the system's reason.
 */
#ifndef WD_FILE_H
#define WD_FILE_H

#include <stdbool.h>
#include <stdint.h>

#include "webdoctor/error.h"

/* A read under way in a thread of its own (WD_FILE_ARRIVING). */
typedef struct wd_file_arrival wd_file_arrival;

typedef struct wd_file {
  const uint8_t *data; /* never NULL after a successful load (may be size 0) */
  uint64_t size;
  int mapped;          /* data is an mmap of `size` bytes */
  void *owned;         /* heap copy to free when not mapped */
  size_t big_len;      /* data is a wd_big_alloc block of this length */
  wd_file_arrival *arriving; /* the bytes are still being read in: wd_file_wait */
} wd_file;

/* How a file is loaded (wd_file_load_as). */
typedef enum wd_file_mode {
  /* Mapped, its pages read as they are touched: for a caller that reads
   * little of a large file. */
  WD_FILE_MAPPED,
  /* For a caller that reads every byte (the wasm reader): a large file
   * is read into huge pages (common/bigmem.h; on the 37.7 MB Godot engine,
   * inspect took 85 ms of CPU time in place of 92 with the populated
   * mapping); where there are none, the mapping is populated as it is made
   * (MAP_POPULATE), one call in place of a page fault for every few pages
   * read (a third fewer page faults and a tenth less CPU time than a plain
   * mapping). */
  WD_FILE_ALL,
  /* As WD_FILE_ALL, but a file read into huge pages is read by a thread of
   * its own, while the caller goes over the bytes that have arrived: the
   * load returns once the read has started, with `size` the file's size
   * as fstat gave it and f->arriving set (NULL when the file was read or
   * mapped before returning, as WD_FILE_ALL does it: a small file, no
   * huge pages, no threads). Reading the 37.7 MB Godot engine takes 6-7 ms
   * of one core, with the other idle, before anything of it is parsed.
   * Every load with f->arriving set needs a wd_file_arrived. */
  WD_FILE_ARRIVING,
} wd_file_mode;

/* max_size 0 = no limit. Fills err (with err->file = path) on failure. */
wd_status wd_file_load_as(const char *path, wd_file *f, uint64_t max_size, wd_file_mode mode, wd_error *err);
/* wd_file_load_as with WD_FILE_MAPPED */
wd_status wd_file_load(const char *path, wd_file *f, uint64_t max_size, wd_error *err);

/* Wait until the bytes [0, want) have arrived, or the read has ended;
 * returns how many bytes have arrived (less than want only when the read
 * ended before: a file that shrank, or a read error). Any thread may
 * wait; `a` NULL means everything is in. */
uint64_t wd_file_wait(wd_file_arrival *a, uint64_t want);
/* Whether the bytes before `upto` (cut to the file's `size`) have arrived,
 * waiting for them while the read goes on; false when it ended before
 * them. *have is the caller's count of bytes known to be in, so that most
 * calls return at once (every function body of a module asks). `a` NULL:
 * everything is in. */
static inline bool wd_file_have(wd_file_arrival *a, uint64_t *have, uint64_t upto, uint64_t size) {
  if (!a) return true;
  if (upto > size) upto = size;
  if (upto <= *have) return true;
  *have = wd_file_wait(a, upto);
  return *have >= upto;
}
/* Wait for the end of the read and clear f->arriving. WD_OK with f->size
 * the bytes read (less than before if the file shrank meanwhile); or the
 * error a WD_FILE_ALL load would have given, with nothing left to close. */
wd_status wd_file_arrived(wd_file *f, wd_error *err);

void wd_file_close(wd_file *f);

#endif
