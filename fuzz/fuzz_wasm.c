/*
 * Fuzz target: the WebAssembly reader and the inspect renderers.
 * libFuzzer: built by CMake with -DWD_FUZZ=ON (clang). AFL++:
 *   afl-clang-fast -fsanitize=fuzzer -Iinclude -Isrc fuzz/fuzz_wasm.c <library sources>
 * Replay without a fuzzer: fuzz/replay.c links the same entry point.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "webdoctor/inspect.h"
#include "webdoctor/wasm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  wd_error err;
  wd_error_clear(&err);
  wd_module *m = NULL;
  if (wd_module_parse(data, size, NULL, &m, &err) != WD_OK) {
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
  cJSON *j = wd_inspect_json(m, "fuzz.wasm");
  char *s = j ? cJSON_PrintUnformatted(j) : NULL;
  free(s);
  cJSON_Delete(j);
  wd_module_free(m);
  return 0;
}
