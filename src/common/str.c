/* String helpers (str.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/str.h"

bool wd_ends_with(const char *s, const char *suffix) {
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

char *wd_strdup(const char *s) {
  return s ? wd_strndup(s, strlen(s)) : NULL;
}

char *wd_strndup(const char *s, size_t n) {
  char *d = malloc(n + 1);
  if (!d) return NULL;
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

char *wd_vasprintf(const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0) return NULL;
  char *s = malloc((size_t)n + 1);
  if (s) vsnprintf(s, (size_t)n + 1, fmt, ap);
  return s;
}

char *wd_asprintf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *s = wd_vasprintf(fmt, ap);
  va_end(ap);
  return s;
}
