#include "common/leb128.h"

#include "common/i18n.h"

int wd_leb_unsigned(const uint8_t *p, const uint8_t *end, unsigned bits,
                    uint64_t *out) {
  unsigned maxlen = (bits + 6) / 7;
  uint64_t v = 0;
  for (unsigned i = 0; i < maxlen; i++) {
    if (p + i >= end) return WD_LEB_TRUNCATED;
    uint8_t b = p[i];
    unsigned shift = 7 * i;
    if (i == maxlen - 1) {
      if (b & 0x80) return WD_LEB_TOO_LONG;
      unsigned used = bits - shift; /* 1..7 bits of payload allowed */
      if (used < 7 && (b >> used) != 0) return WD_LEB_OVERFLOW;
      v |= (uint64_t)b << shift;
      *out = v;
      return (int)i + 1;
    }
    v |= (uint64_t)(b & 0x7f) << shift;
    if (!(b & 0x80)) {
      *out = v;
      return (int)i + 1;
    }
  }
  return WD_LEB_TOO_LONG; /* not reached */
}

int wd_leb_signed(const uint8_t *p, const uint8_t *end, unsigned bits,
                  int64_t *out) {
  unsigned maxlen = (bits + 6) / 7;
  uint64_t v = 0;
  for (unsigned i = 0; i < maxlen; i++) {
    if (p + i >= end) return WD_LEB_TRUNCATED;
    uint8_t b = p[i];
    unsigned shift = 7 * i;
    int last = i == maxlen - 1;
    if (last) {
      if (b & 0x80) return WD_LEB_TOO_LONG;
      unsigned used = bits - shift; /* payload bits incl. the sign bit */
      if (used < 7) {
        /* bits above `used-1` must all equal the sign bit */
        uint8_t sign = (b >> (used - 1)) & 1;
        uint8_t rest = (uint8_t)(b & 0x7f) >> (used - 1);
        uint8_t want = sign ? (uint8_t)(0x7f >> (used - 1)) : 0;
        if (rest != want) return WD_LEB_OVERFLOW;
      }
    }
    v |= (uint64_t)(b & 0x7f) << shift;
    if (!(b & 0x80) || last) {
      unsigned total = shift + 7;
      if (total < 64 && (b & 0x40)) v |= ~(uint64_t)0 << total;
      *out = (int64_t)v;
      return (int)i + 1;
    }
  }
  return WD_LEB_TOO_LONG; /* not reached */
}

int wd_leb_u32(const uint8_t *p, const uint8_t *end, uint32_t *out) {
  if (p < end && p[0] < 0x80) {
    *out = p[0];
    return 1;
  }
  uint64_t v;
  int n = wd_leb_unsigned(p, end, 32, &v);
  if (n > 0) *out = (uint32_t)v;
  return n;
}

int wd_leb_u64(const uint8_t *p, const uint8_t *end, uint64_t *out) {
  return wd_leb_unsigned(p, end, 64, out);
}

int wd_leb_s32(const uint8_t *p, const uint8_t *end, int32_t *out) {
  int64_t v;
  int n = wd_leb_signed(p, end, 32, &v);
  if (n > 0) *out = (int32_t)v;
  return n;
}

int wd_leb_s33(const uint8_t *p, const uint8_t *end, int64_t *out) {
  return wd_leb_signed(p, end, 33, out);
}

int wd_leb_s64(const uint8_t *p, const uint8_t *end, int64_t *out) {
  return wd_leb_signed(p, end, 64, out);
}

const char *wd_leb_strerror(int code) {
  switch (code) {
  case WD_LEB_TRUNCATED: return W_("unexpected end");
  case WD_LEB_TOO_LONG: return W_("integer representation too long");
  case WD_LEB_OVERFLOW: return W_("integer too large");
  }
  return W_("bad integer");
}
