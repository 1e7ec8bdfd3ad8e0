#include "common/cursor.h"

#include <stdarg.h>
#include <stdio.h>

#include "common/i18n.h"
#include "webdoctor/msg.h"

wd_status wd_cur_fail_at(wd_cursor *c, uint64_t offset, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  wd_error_setv(c->err, WD_ERR_MALFORMED, fmt, ap);
  va_end(ap);
  c->err->offset = offset;
  c->err->has_offset = 1;
  return WD_ERR_MALFORMED;
}

static const char *end_word(const wd_cursor *c) {
  return c->scope ? c->scope : N_("file");
}

static wd_status truncated(wd_cursor *c, uint64_t offset, const char *desc) {
  return wd_cur_fail_at(c, offset, N_("unexpected end of %s while reading %s"),
                        WD_WORD(end_word(c)), WD_WORD(desc));
}

wd_status wd_cur_leb_fail(wd_cursor *c, uint64_t offset, int code, const char *desc) {
  if (code == WD_LEB_TRUNCATED) return truncated(c, offset, desc);
  return wd_cur_fail_at(c, offset, N_("%s: %s"), WD_WORD(desc), wd_leb_strerror(code));
}

wd_status wd_cur_enter(wd_cursor *c, uint64_t len, wd_cur_saved *saved, const char *desc) {
  if (len > wd_cur_left(c))
    return wd_cur_fail_at(c, c->pos,
                          N_("%s of %llu bytes runs past the end of the %s (%llu bytes left)"),
                          WD_WORD(desc), (unsigned long long)len, WD_WORD(end_word(c)),
                          (unsigned long long)wd_cur_left(c));
  saved->end = c->end;
  saved->scope = c->scope;
  c->end = c->pos + len;
  c->scope = desc;
  return WD_OK;
}

wd_status wd_cur_u8(wd_cursor *c, uint8_t *out, const char *desc) {
  if (c->pos >= c->end) return truncated(c, c->pos, desc);
  *out = c->base[c->pos++];
  return WD_OK;
}

#define LEB_READ(fn, T)                                              \
  const uint8_t *p = c->base + c->pos;                               \
  T v;                                                               \
  int n = fn(p, c->base + c->end, &v);                               \
  if (n < 0) return wd_cur_leb_fail(c, c->pos, n, desc);             \
  c->pos += (uint64_t)n;                                             \
  *out = v;                                                          \
  return WD_OK

wd_status wd_cur_u32(wd_cursor *c, uint32_t *out, const char *desc) { LEB_READ(wd_leb_u32, uint32_t); }
wd_status wd_cur_u64(wd_cursor *c, uint64_t *out, const char *desc) { LEB_READ(wd_leb_u64, uint64_t); }
wd_status wd_cur_s32(wd_cursor *c, int32_t *out, const char *desc) { LEB_READ(wd_leb_s32, int32_t); }
wd_status wd_cur_s33(wd_cursor *c, int64_t *out, const char *desc) { LEB_READ(wd_leb_s33, int64_t); }
wd_status wd_cur_s64(wd_cursor *c, int64_t *out, const char *desc) { LEB_READ(wd_leb_s64, int64_t); }

wd_status wd_cur_le32(wd_cursor *c, uint32_t *out, const char *desc) {
  if (wd_cur_left(c) < 4) return truncated(c, c->pos, desc);
  const uint8_t *p = c->base + c->pos;
  *out = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
  c->pos += 4;
  return WD_OK;
}

wd_status wd_cur_le64(wd_cursor *c, uint64_t *out, const char *desc) {
  if (wd_cur_left(c) < 8) return truncated(c, c->pos, desc);
  const uint8_t *p = c->base + c->pos;
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
  *out = v;
  c->pos += 8;
  return WD_OK;
}

wd_status wd_cur_bytes(wd_cursor *c, uint64_t n, const uint8_t **out, const char *desc) {
  if (n > wd_cur_left(c)) return truncated(c, c->pos, desc);
  *out = c->base + c->pos;
  c->pos += n;
  return WD_OK;
}

wd_status wd_cur_count(wd_cursor *c, uint32_t *out, uint32_t min_size, const char *desc) {
  uint64_t at = c->pos;
  uint32_t n = 0;
  wd_status s = wd_cur_u32(c, &n, desc);
  if (s) return s;
  if (min_size && (uint64_t)n * min_size > wd_cur_left(c)) {
    uint64_t left = wd_cur_left(c);
    c->pos = at;
    return wd_cur_fail_at(c, at, N_("%s %u is larger than the %llu bytes left could hold"),
                          WD_WORD(desc), n, (unsigned long long)left);
  }
  *out = n;
  return WD_OK;
}

wd_status wd_cur_name(wd_cursor *c, wd_str *out, const char *desc) {
  uint64_t at = c->pos;
  uint32_t len;
  wd_status s = wd_cur_u32(c, &len, desc);
  if (s) return s;
  if (len > wd_cur_left(c)) {
    c->pos = at;
    return wd_cur_fail_at(c, at, N_("%s of length %u runs past the end of the %s"), WD_WORD(desc),
                          len, WD_WORD(end_word(c)));
  }
  size_t bad;
  if (!wd_utf8_valid(c->base + c->pos, len, &bad)) {
    uint64_t off = c->pos + bad;
    c->pos = at;
    return wd_cur_fail_at(c, off, N_("%s is not valid UTF-8"), WD_WORD(desc));
  }
  out->ptr = (const char *)(c->base + c->pos);
  out->len = len;
  c->pos += len;
  return WD_OK;
}

bool wd_utf8_valid(const uint8_t *p, size_t n, size_t *bad) {
  size_t i = 0;
  while (i < n) {
    uint8_t b = p[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    size_t len;
    uint32_t cp, min;
    if ((b & 0xe0) == 0xc0) { len = 2; cp = b & 0x1f; min = 0x80; }
    else if ((b & 0xf0) == 0xe0) { len = 3; cp = b & 0x0f; min = 0x800; }
    else if ((b & 0xf8) == 0xf0) { len = 4; cp = b & 0x07; min = 0x10000; }
    else goto fail;
    if (n - i < len) goto fail;
    for (size_t k = 1; k < len; k++) {
      if ((p[i + k] & 0xc0) != 0x80) goto fail;
      cp = cp << 6 | (p[i + k] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) goto fail;
    i += len;
  }
  return true;
fail:
  if (bad) *bad = i;
  return false;
}
