/*
 * Fuzz target: reading the import object out of Emscripten's JS glue.
 */
#include <stdint.h>

#include "webdoctor/link.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  wd_error err;
  wd_error_clear(&err);
  wd_glue *g = NULL;
  if (wd_glue_parse((const char *)data, size, &g, &err) == WD_OK) {
    for (uint32_t i = 0; i < g->nnames; i++) (void)wd_glue_provides(g, g->names[i], 0);
    (void)wd_glue_provides(g, "memory", 6);
    wd_glue_free(g);
  }
  return 0;
}
