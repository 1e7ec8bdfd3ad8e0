/* String helpers (str.h). */
#include <inttypes.h>
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

char *wd_format_size(uint64_t n, char *buf, size_t size) {
  static const char *const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (n < 1024) {
    snprintf(buf, size, "%" PRIu64 " B", n);
    return buf;
  }
  double v = (double)n / 1024.0;
  unsigned u = 0;
  /* by the number as printed: 1023.6 KiB would print "1024 KiB", so 1.0 MiB */
  while (v + 0.5 >= 1024.0 && u + 1 < sizeof units / sizeof *units) {
    v /= 1024.0;
    u++;
  }
  if (v < 99.95) snprintf(buf, size, "%.1f %s", v, units[u]);
  else snprintf(buf, size, "%.0f %s", v, units[u]);
  return buf;
}
