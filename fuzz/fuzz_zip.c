/*
 * Fuzz target: the zip export source (libzip over bytes in memory, the
 * entry listing, bounded reads, the truncation walk) and the zip checks
 * over whatever it opens.
 * libFuzzer: built by CMake with -DWD_FUZZ=ON (clang).
 * Replay without a fuzzer: fuzz/replay.c links the same entry point.
 */
#include <stdint.h>
#include <stdlib.h>

#include "webdoctor/check.h"
#include "webdoctor/source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  wd_error err;
  wd_error_clear(&err);
  wd_source *src = NULL;
  if (wd_source_open_zip_memory("fuzz.zip", data, size, &src, &err) != WD_OK) {
    char buf[1400];
    wd_error_format(&err, buf, sizeof buf);
    return 0;
  }
  /* every entry, bounded: a lying directory must fail cleanly */
  for (uint32_t i = 0; i < wd_source_count(src); i++) {
    const wd_source_entry *e = wd_source_entry_at(src, i);
    wd_source_data d;
    wd_error_clear(&err);
    if (wd_source_read(src, e->path, (uint64_t)4 << 20, &d, &err) == WD_OK) wd_source_data_release(&d);
  }
  /* the whole check of the zip, as `check game.zip` runs it */
  wd_check_options o = {.host = WD_HOST_ITCH, .no_code = true};
  wd_findings fs = WD_FINDINGS_INIT;
  wd_check_summary sum;
  wd_error_clear(&err);
  wd_check_zip_source(src, &o, &fs, &sum, &err);
  wd_findings_free(&fs);
  wd_source_free(src);
  return 0;
}
