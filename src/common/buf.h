/*
 * wd_buf: a growable byte buffer with a size cap.
 *
 * The bytes are always NUL-terminated (the NUL is not counted in len), and
 * `data` is never NULL after WD_BUF_INIT. Appends fail (returning nonzero)
 * on out of memory or when the cap would be exceeded; the buffer is then
 * unchanged. wd_buf_detach() is the only way to take ownership of the
 * bytes; wd_buf_release() frees them.
 */
#ifndef WD_BUF_H
#define WD_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "common/str.h"

typedef struct wd_buf {
  char *data;
  size_t len;
  size_t cap;    /* allocated bytes; 0 while data points at the empty slot */
  size_t limit;  /* maximum len; 0 means SIZE_MAX/2 */
} wd_buf;

extern char wd_buf_empty[1];
#define WD_BUF_INIT {wd_buf_empty, 0, 0, 0}

__attribute__((warn_unused_result)) int wd_buf_append(wd_buf *b, const void *p, size_t n);
__attribute__((warn_unused_result)) int wd_buf_puts(wd_buf *b, const char *s);
__attribute__((warn_unused_result)) int wd_buf_putc(wd_buf *b, char c);
__attribute__((warn_unused_result, format(printf, 2, 3))) int wd_buf_printf(wd_buf *b, const char *fmt, ...);
__attribute__((warn_unused_result)) int wd_buf_vprintf(wd_buf *b, const char *fmt, va_list ap);
void wd_buf_reset(wd_buf *b);
char *wd_buf_detach(wd_buf *b, size_t *len);
void wd_buf_release(wd_buf *b);


#endif
