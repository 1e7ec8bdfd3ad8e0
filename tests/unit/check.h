/*
 * A tiny unit-test harness: CHECK(cond) and friends record failures and
 * keep going; main() returns check_summary(), which prints
 * "N passed, N failed" and is nonzero when anything failed.
 */
#ifndef WD_TEST_CHECK_H
#define WD_TEST_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(cond)                                                        \
  do {                                                                     \
    if (cond) check_passed++;                                              \
    else {                                                                 \
      check_failed++;                                                      \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                      \
  } while (0)

#define CHECK_EQ_INT(a, b)                                                 \
  do {                                                                     \
    long long chk_a_ = (long long)(a), chk_b_ = (long long)(b);                    \
    if (chk_a_ == chk_b_) check_passed++;                                          \
    else {                                                                 \
      check_failed++;                                                      \
      fprintf(stderr, "%s:%d: CHECK failed: %s == %s (%lld != %lld)\n",    \
              __FILE__, __LINE__, #a, #b, chk_a_, chk_b_);                         \
    }                                                                      \
  } while (0)

#define CHECK_EQ_STR(a, b)                                                 \
  do {                                                                     \
    const char *chk_a_ = (a), *chk_b_ = (b);                                       \
    if (chk_a_ && chk_b_ && strcmp(chk_a_, chk_b_) == 0) check_passed++;                   \
    else {                                                                 \
      check_failed++;                                                      \
      fprintf(stderr, "%s:%d: CHECK failed: %s == %s\n  got:      %s\n  expected: %s\n", \
              __FILE__, __LINE__, #a, #b, chk_a_ ? chk_a_ : "(null)", chk_b_ ? chk_b_ : "(null)"); \
    }                                                                      \
  } while (0)

/* substring check */
#define CHECK_CONTAINS(hay, needle)                                        \
  do {                                                                     \
    const char *chk_h_ = (hay), *chk_n_ = (needle);                                \
    if (chk_h_ && chk_n_ && strstr(chk_h_, chk_n_)) check_passed++;                        \
    else {                                                                 \
      check_failed++;                                                      \
      fprintf(stderr, "%s:%d: CHECK failed: \"%s\" contains \"%s\"\n",    \
              __FILE__, __LINE__, chk_h_ ? chk_h_ : "(null)", chk_n_ ? chk_n_ : "(null)"); \
    }                                                                      \
  } while (0)

static inline int check_summary(void) {
  printf("%d passed, %d failed\n", check_passed, check_failed);
  return check_failed ? 1 : 0;
}

#endif
