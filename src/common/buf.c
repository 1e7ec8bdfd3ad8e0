#include "common/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char wd_buf_empty[1];

static int grow(wd_buf *b, size_t extra) {
  size_t limit = b->limit ? b->limit : SIZE_MAX / 2;
  if (extra > limit || b->len > limit - extra) return -1;
  size_t need = b->len + extra + 1;
  if (need <= b->cap) return 0;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < need) cap = cap > SIZE_MAX / 4 ? need : cap * 2;
  char *p = b->cap ? realloc(b->data, cap) : malloc(cap);
  if (!p) return -1;
  if (!b->cap) p[0] = '\0';
  b->data = p;
  b->cap = cap;
  return 0;
}

int wd_buf_append(wd_buf *b, const void *p, size_t n) {
  if (n == 0) return 0;
  if (grow(b, n)) return -1;
  memcpy(b->data + b->len, p, n);
  b->len += n;
  b->data[b->len] = '\0';
  return 0;
}

int wd_buf_puts(wd_buf *b, const char *s) { return wd_buf_append(b, s, strlen(s)); }

int wd_buf_putc(wd_buf *b, char c) { return wd_buf_append(b, &c, 1); }

int wd_buf_vprintf(wd_buf *b, const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  char small[256];
  int n = vsnprintf(small, sizeof small, fmt, ap2);
  va_end(ap2);
  if (n < 0) return -1;
  if ((size_t)n < sizeof small) return wd_buf_append(b, small, (size_t)n);
  if (grow(b, (size_t)n)) return -1;
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
  return 0;
}

int wd_buf_printf(wd_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = wd_buf_vprintf(b, fmt, ap);
  va_end(ap);
  return r;
}

void wd_buf_reset(wd_buf *b) {
  b->len = 0;
  b->data[0] = '\0';
}

char *wd_buf_detach(wd_buf *b, size_t *len) {
  char *p = b->cap ? b->data : calloc(1, 1);
  if (len) *len = b->len;
  b->data = wd_buf_empty;
  b->len = b->cap = 0;
  return p;
}

void wd_buf_release(wd_buf *b) {
  if (b->cap) free(b->data);
  b->data = wd_buf_empty;
  b->len = b->cap = 0;
}
