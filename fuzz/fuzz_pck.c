/*
 * Fuzz target: the Godot .pck reader. Parses the input as a pack (or an
 * executable with an embedded pack), checks it, looks every entry up by
 * path, reads every entry it can and parses small ConfigFile-format
 * entries with the cfg reader. Aborts if a read points outside the input.
 * libFuzzer: built by CMake with -DWD_FUZZ=ON (clang); replayed by ctest
 * through fuzz/replay.c over fuzz/regressions/pck/.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "webdoctor/cfg.h"
#include "webdoctor/pck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  wd_error err;
  wd_error_clear(&err);
  wd_error_set_file(&err, "fuzz.pck");
  wd_pck *p = NULL;
  char buf[1400];
  if (wd_pck_parse(data, size, &p, &err) != WD_OK) {
    wd_error_format(&err, buf, sizeof buf);
    return 0;
  }
  if (p->nentries > p->file_count || p->npast_end > p->nentries) abort();
  if (wd_pck_check(p, &err) != WD_OK) wd_error_format(&err, buf, sizeof buf);
  wd_pck_engine_version(p, buf, sizeof buf);
  for (uint32_t i = 0; i < p->nentries && i < 4096; i++) {
    const wd_pck_entry *e = &p->entries[i];
    if (e->path.len && (const uint8_t *)e->path.ptr < data) abort();
    if (e->path.len && (const uint8_t *)e->path.ptr + e->path.len > data + size) abort();
    (void)wd_pck_find(p, e->res_path);
    const uint8_t *b;
    uint64_t n;
    if (wd_pck_read(p, e, 1 << 20, &b, &n, &err) != WD_OK) {
      wd_error_format(&err, buf, sizeof buf);
      continue;
    }
    if (b < data || n > size || (uint64_t)(b - data) > size - n) abort();
    if (n <= 65536) {
      wd_cfg *c = NULL;
      if (wd_cfg_parse((const char *)b, n, e->res_path, &c, &err) == WD_OK) wd_cfg_free(c);
    }
  }
  (void)wd_pck_next_with_suffix(p, ".gdextension", 0);
  wd_pck_free(p);
  return 0;
}
