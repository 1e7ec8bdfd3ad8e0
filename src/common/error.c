#include "webdoctor/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "webdoctor/msg.h"

void wd_error_clear(wd_error *err) {
  memset(err, 0, sizeof *err);
  err->func = WD_NO_FUNC;
}

/* fmt with the arguments in the active language into loc, in English into
 * en (wd_msg: the values kept once, written twice). */
static void word_twice(char *loc, char *en, size_t size, const char *fmt, va_list ap) {
  va_list aq;
  va_copy(aq, ap);
  wd_msg m;
  char *l = NULL, *e = NULL;
  if (!wd_msg_vinit(&m, fmt, aq)) {
    l = wd_msg_str(&m, false);
    e = wd_msg_str(&m, true);
    wd_msg_free(&m);
  }
  va_end(aq);
  if (l && e) {
    snprintf(loc, size, "%s", l);
    snprintf(en, size, "%s", e);
  } else { /* out of memory: as printf words it */
    vsnprintf(en, size, fmt, ap);
    snprintf(loc, size, "%s", en);
  }
  free(l);
  free(e);
}

wd_status wd_error_setv(wd_error *err, wd_status code, const char *fmt,
                        va_list ap) {
  err->code = code;
  word_twice(err->msg, err->msg_en, sizeof err->msg, fmt, ap);
  return code;
}

void wd_error_set_where(wd_error *err, const char *fmt, ...) {
  if (!fmt) {
    err->where[0] = err->where_en[0] = '\0';
    return;
  }
  va_list ap;
  va_start(ap, fmt);
  word_twice(err->where, err->where_en, sizeof err->where, fmt, ap);
  va_end(ap);
}

wd_status wd_error_set(wd_error *err, wd_status code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  wd_error_setv(err, code, fmt, ap);
  va_end(ap);
  return code;
}

void wd_error_set_file(wd_error *err, const char *path) {
  snprintf(err->file, sizeof err->file, "%s", path ? path : "");
}

static void append(char *buf, size_t size, size_t *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void append(char *buf, size_t size, size_t *n, const char *fmt, ...) {
  if (*n + 1 >= size) return;
  va_list ap;
  va_start(ap, fmt);
  int k = vsnprintf(buf + *n, size - *n, fmt, ap);
  va_end(ap);
  if (k < 0) return;
  *n += (size_t)k < size - *n ? (size_t)k : size - *n - 1;
}

size_t wd_error_format(const wd_error *err, char *buf, size_t size) {
  size_t n = 0;
  if (size == 0) return 0;
  buf[0] = '\0';
  if (err->file[0]) {
    append(buf, size, &n, "%s", err->file);
    if (err->line) {
      append(buf, size, &n, ":%u", err->line);
      if (err->column) append(buf, size, &n, ":%u", err->column);
    }
    append(buf, size, &n, ": ");
  }
  if (err->where[0]) append(buf, size, &n, "%s, ", err->where);
  if (err->func != WD_NO_FUNC) append(buf, size, &n, _("function %lld, "), (long long)err->func);
  if (err->has_offset)
    append(buf, size, &n, _("offset 0x%llx: "), (unsigned long long)err->offset);
  append(buf, size, &n, "%s", err->msg[0] ? err->msg : wd_status_str(err->code));
  return n;
}

const char *wd_status_str(wd_status code) {
  switch (code) {
  case WD_OK: return _("no error");
  case WD_ERR_IO: return _("input/output error");
  case WD_ERR_MALFORMED: return _("malformed input");
  case WD_ERR_UNSUPPORTED: return _("unsupported input");
  case WD_ERR_NOMEM: return _("out of memory");
  case WD_ERR_LIMIT: return _("limit exceeded");
  case WD_ERR_USAGE: return _("bad usage");
  case WD_ERR_NETWORK: return _("network error");
  case WD_ERR_CONFLICT: return _("file changed since it was read");
  }
  return _("unknown error");
}
