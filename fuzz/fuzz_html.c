/*
 * Fuzz target: finding GODOT_CONFIG in an HTML shell.
 */
#include <stdint.h>
#include <stdlib.h>

#include "webdoctor/export.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  wd_error err;
  wd_error_clear(&err);
  uint32_t line = 0;
  cJSON *cfg = wd_export_find_config((const char *)data, size, &line, &err);
  if (cfg) {
    char *s = cJSON_PrintUnformatted(cfg);
    free(s);
    cJSON_Delete(cfg);
  }
  return 0;
}
