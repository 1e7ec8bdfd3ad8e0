/*
 * wd_str: a byte string inside an input (not owned, not NUL-terminated).
 * Print with "%.*s", (int)s.len, s.ptr.
 */
#ifndef WEBDOCTOR_STR_H
#define WEBDOCTOR_STR_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

typedef struct wd_str {
  const char *ptr;
  uint32_t len;
} wd_str;

static inline bool wd_str_eq(wd_str s, const char *z) {
  size_t n = strlen(z);
  return s.len == n && (n == 0 || memcmp(s.ptr, z, n) == 0);
}
static inline bool wd_str_eqs(wd_str a, wd_str b) {
  return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}
static inline bool wd_str_startswith(wd_str s, const char *z) {
  size_t n = strlen(z);
  return s.len >= n && memcmp(s.ptr, z, n) == 0;
}

#endif
