/*
 * Fuzz target: the WebAssembly reader and the inspect renderers; the code
 * section decoded by 1 and by 3 threads must give the same result, and a
 * module read in full must be read without its code too.
 * libFuzzer: built by CMake with -DWD_FUZZ=ON (clang). AFL++:
 *   afl-clang-fast -fsanitize=fuzzer -Iinclude -Isrc fuzz/fuzz_wasm.c <library sources>
 * Replay without a fuzzer: fuzz/replay.c links the same entry point.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "webdoctor/inspect.h"
#include "webdoctor/wasm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The code section decoded by 3 threads must give what 1 gives: the same
 * error (message, offset, function) or the same module facts. */
static void same_with_threads(const uint8_t *data, size_t size, wd_status s1, const wd_error *e1,
                              const wd_module *m1) {
  wd_read_options ro = {.threads = 3};
  wd_error e3;
  wd_error_clear(&e3);
  wd_module *m3 = NULL;
  wd_status s3 = wd_module_parse(data, size, &ro, &m3, &e3);
  if (s3 != s1) abort();
  if (s1) {
    if (strcmp(e1->msg, e3.msg) || strcmp(e1->where, e3.where) || e1->func != e3.func ||
        e1->has_offset != e3.has_offset || e1->offset != e3.offset)
      abort();
    return;
  }
  if (m1->features != m3->features || m1->code.instructions != m3->code.instructions ||
      m1->code.max_depth != m3->code.max_depth ||
      memcmp(m1->feature_first_func, m3->feature_first_func, sizeof m1->feature_first_func))
    abort();
  wd_module_free(m3);
}

/* Read without the code (skip_code: no body framed), a module the full
 * read accepts is accepted, with the same sections and body count. */
static void same_without_code(const uint8_t *data, size_t size, wd_status s1,
                              const wd_module *m1) {
  wd_read_options ro = {.skip_code = true};
  wd_error e;
  wd_error_clear(&e);
  wd_module *m = NULL;
  wd_status s = wd_module_parse(data, size, &ro, &m, &e);
  if (s1 == WD_OK && (s != WD_OK || m->nsections != m1->nsections || m->nbodies != m1->nbodies ||
                      m->bodies != NULL || m->code.decoded))
    abort();
  wd_module_free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  wd_error err;
  wd_error_clear(&err);
  wd_module *m = NULL;
  wd_read_options ro = {.threads = 1};
  wd_status s = wd_module_parse(data, size, &ro, &m, &err);
  same_with_threads(data, size, s, &err, m);
  same_without_code(data, size, s, m);
  if (s != WD_OK) {
    char buf[1400];
    wd_error_format(&err, buf, sizeof buf);
    return 0;
  }
  /* Exercise the renderers over whatever the reader accepted. */
  FILE *sink = fopen("/dev/null", "w");
  if (sink) {
    wd_term t = {sink, false};
    wd_inspect_options o = {true, true, true, true, true};
    wd_inspect_text(m, "fuzz.wasm", &o, &t);
    fclose(sink);
  }
  cJSON *j = wd_inspect_json(m, "fuzz.wasm", "zh_CN"); /* both texts of a warning */
  char *s_ = j ? cJSON_PrintUnformatted(j) : NULL;
  free(s_);
  cJSON_Delete(j);
  wd_module_free(m);
  return 0;
}
