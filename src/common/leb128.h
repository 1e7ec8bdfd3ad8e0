/*
 * LEB128 decoding, as the WebAssembly binary format uses it.
 *
 * Pure functions over [p, end): each returns the number of bytes consumed
 * (> 0) or a negative WD_LEB_* code, and writes *out only on success.
 * Encodings longer than ceil(N/7) bytes, and final bytes whose unused bits
 * are not a proper zero (unsigned) or sign extension (signed), are rejected
 * as the core spec requires.
 */
#ifndef WD_LEB128_H
#define WD_LEB128_H

#include <stddef.h>
#include <stdint.h>

enum {
  WD_LEB_TRUNCATED = -1, /* ran into `end` before the last byte */
  WD_LEB_TOO_LONG = -2,  /* continuation bit set on the last allowed byte */
  WD_LEB_OVERFLOW = -3   /* unused bits of the last byte are not zero/sign */
};

int wd_leb_u32(const uint8_t *p, const uint8_t *end, uint32_t *out);
int wd_leb_u64(const uint8_t *p, const uint8_t *end, uint64_t *out);
int wd_leb_s32(const uint8_t *p, const uint8_t *end, int32_t *out);
int wd_leb_s33(const uint8_t *p, const uint8_t *end, int64_t *out);
int wd_leb_s64(const uint8_t *p, const uint8_t *end, int64_t *out);

/* Unsigned/signed LEB128 of up to `bits` bits (1..64). */
int wd_leb_unsigned(const uint8_t *p, const uint8_t *end, unsigned bits,
                    uint64_t *out);
int wd_leb_signed(const uint8_t *p, const uint8_t *end, unsigned bits,
                  int64_t *out);

/* Text for a negative code, e.g. "integer representation too long". */
const char *wd_leb_strerror(int code);

#endif
