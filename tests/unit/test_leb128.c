/* LEB128 decoding: every edge the core spec draws. */
#include "check.h"
#include "common/leb128.h"

#define U32(bytes, expect_n, expect_v)                                    \
  do {                                                                    \
    const uint8_t b_[] = bytes;                                           \
    uint32_t v_ = 0xdeadbeef;                                             \
    int n_ = wd_leb_u32(b_, b_ + sizeof b_, &v_);                         \
    CHECK_EQ_INT(n_, expect_n);                                           \
    if ((expect_n) > 0) CHECK_EQ_INT(v_, expect_v);                       \
  } while (0)

#define S32(bytes, expect_n, expect_v)                                    \
  do {                                                                    \
    const uint8_t b_[] = bytes;                                           \
    int32_t v_ = 0;                                                       \
    int n_ = wd_leb_s32(b_, b_ + sizeof b_, &v_);                         \
    CHECK_EQ_INT(n_, expect_n);                                           \
    if ((expect_n) > 0) CHECK_EQ_INT(v_, expect_v);                       \
  } while (0)

#define B(...) {__VA_ARGS__}

int main(void) {
  /* unsigned 32 */
  U32(B(0x00), 1, 0);
  U32(B(0x7f), 1, 127);
  U32(B(0x80, 0x01), 2, 128);
  U32(B(0xe5, 0x8e, 0x26), 3, 624485);
  U32(B(0x80, 0x80, 0x80, 0x80, 0x00), 5, 0);              /* padded zero is allowed */
  U32(B(0xff, 0xff, 0xff, 0xff, 0x0f), 5, 0xffffffffu);    /* max */
  U32(B(0xff, 0xff, 0xff, 0xff, 0x1f), WD_LEB_OVERFLOW, 0); /* 33rd bit set */
  U32(B(0xff, 0xff, 0xff, 0xff, 0x7f), WD_LEB_OVERFLOW, 0);
  U32(B(0x80, 0x80, 0x80, 0x80, 0x80, 0x00), WD_LEB_TOO_LONG, 0); /* 6 bytes */
  U32(B(0x80), WD_LEB_TRUNCATED, 0);
  U32(B(0xff, 0xff, 0xff, 0xff), WD_LEB_TRUNCATED, 0);
  {
    uint32_t v;
    CHECK_EQ_INT(wd_leb_u32(NULL, NULL, &v), WD_LEB_TRUNCATED); /* empty */
  }

  /* signed 32 */
  S32(B(0x00), 1, 0);
  S32(B(0x7f), 1, -1);
  S32(B(0x40), 1, -64);
  S32(B(0x3f), 1, 63);
  S32(B(0xc0, 0x00), 2, 64);
  S32(B(0x80, 0x7f), 2, -128);
  S32(B(0xff, 0xff, 0xff, 0xff, 0x07), 5, 2147483647);
  S32(B(0x80, 0x80, 0x80, 0x80, 0x78), 5, -2147483647 - 1);
  S32(B(0xff, 0xff, 0xff, 0xff, 0x0f), WD_LEB_OVERFLOW, 0); /* sign bits inconsistent */
  S32(B(0x80, 0x80, 0x80, 0x80, 0x70), WD_LEB_OVERFLOW, 0);
  S32(B(0xff, 0xff, 0xff, 0xff, 0x7f), 5, -1);               /* proper sign extension */
  S32(B(0x80, 0x80, 0x80, 0x80, 0x80, 0x00), WD_LEB_TOO_LONG, 0);

  /* signed 33 (block types, heap types) */
  {
    const uint8_t b[] = {0x40};
    int64_t v;
    CHECK_EQ_INT(wd_leb_s33(b, b + 1, &v), 1);
    CHECK_EQ_INT(v, -64);
    const uint8_t t[] = {0xff, 0xff, 0xff, 0xff, 0x0f}; /* 2^32-1 fits in s33 */
    CHECK_EQ_INT(wd_leb_s33(t, t + 5, &v), 5);
    CHECK_EQ_INT(v, 4294967295LL);
    const uint8_t o[] = {0xff, 0xff, 0xff, 0xff, 0x1f}; /* bit 33 set, sign bits clear */
    CHECK_EQ_INT(wd_leb_s33(o, o + 5, &v), WD_LEB_OVERFLOW);
  }

  /* unsigned/signed 64 */
  {
    const uint8_t b[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
    uint64_t v;
    CHECK_EQ_INT(wd_leb_u64(b, b + 10, &v), 10);
    CHECK(v == UINT64_MAX);
    const uint8_t o[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x03};
    CHECK_EQ_INT(wd_leb_u64(o, o + 10, &v), WD_LEB_OVERFLOW);
    const uint8_t l[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
    CHECK_EQ_INT(wd_leb_u64(l, l + 11, &v), WD_LEB_TOO_LONG);
    int64_t s;
    const uint8_t mn[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f};
    CHECK_EQ_INT(wd_leb_s64(mn, mn + 10, &s), 10);
    CHECK(s == INT64_MIN);
    const uint8_t mo[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7e};
    CHECK_EQ_INT(wd_leb_s64(mo, mo + 10, &s), WD_LEB_OVERFLOW);
    const uint8_t m1[] = {0x7f};
    CHECK_EQ_INT(wd_leb_s64(m1, m1 + 1, &s), 1);
    CHECK_EQ_INT(s, -1);
  }

  /* every prefix of a valid 5-byte u32 is truncated */
  {
    const uint8_t b[] = {0x81, 0x82, 0x83, 0x84, 0x05};
    for (int len = 0; len < 5; len++) {
      uint32_t v;
      CHECK_EQ_INT(wd_leb_u32(b, b + len, &v), WD_LEB_TRUNCATED);
    }
  }
  return check_summary();
}
