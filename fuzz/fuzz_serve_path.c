/*
 * Fuzz target: what webdoctor serve reads from a request itself (the
 * request-target, Accept-Encoding, Range, If-None-Match) and where it puts
 * the diagnosis script in a page. Besides not crashing, a resolved path
 * must hold the promises of wd_serve_resolve_path: relative, no empty, "."
 * or ".." segment, no control byte, no backslash, never longer than the
 * input; a range must lie inside the representation.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "webdoctor/serve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_path(const char *out, size_t in_len) {
  size_t n = strlen(out);
  if (n > in_len) abort();
  if (n == 0) return;
  if (out[0] == '/' || out[n - 1] == '/') abort();
  const char *seg = out;
  for (size_t i = 0; i <= n; i++) {
    unsigned char c = (unsigned char)out[i];
    if (i < n && (c < 0x20 || c == 0x7f || c == '\\')) abort();
    if (i == n || c == '/') {
      size_t len = (size_t)(out + i - seg);
      if (len == 0) abort();
      if (len == 1 && seg[0] == '.') abort();
      if (len == 2 && seg[0] == '.' && seg[1] == '.') abort();
      if (seg[0] == '.' && !(len == 11 && !memcmp(seg, ".well-known", 11))) abort();
      seg = out + i + 1;
    }
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *out = malloc(size + 1);
  char *str = malloc(size + 1);
  if (!out || !str) {
    free(out);
    free(str);
    return 0;
  }
  bool slash = false;
  if (wd_serve_resolve_path((const char *)data, size, out, size + 1, &slash) == WD_PATH_OK) check_path(out, size);
  else if (out[0] != '\0') abort();
  memcpy(str, data, size);
  str[size] = '\0';
  /* header values are C strings from libmicrohttpd */
  wd_encoding e = wd_serve_pick_encoding(str, 0xfu);
  if (e >= WD_ENC_COUNT) abort();
  if (wd_serve_pick_encoding(str, 1u) != WD_ENC_IDENTITY) abort();
  uint64_t total = size ? (uint64_t)data[0] * 1000u + size : 0, first = 0, last = 0;
  if (wd_serve_parse_range(str, total, &first, &last) == WD_RANGE_OK && (first > last || last >= total)) abort();
  (void)wd_serve_etag_matches(str, "\"1a-2b-3c\"");
  if (wd_serve_inject_offset((const char *)data, size) > size) abort();
  free(out);
  free(str);
  return 0;
}
