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
    long long a_ = (long long)(a), b_ = (long long)(b);                    \
    if (a_ == b_) check_passed++;                                          \
    else {                                                                 \
      check_failed++;                                                      \
      fprintf(stderr, "%s:%d: CHECK failed: %s == %s (%lld != %lld)\n",    \
              __FILE__, __LINE__, #a, #b, a_, b_);                         \
    }                                                                      \
  } while (0)

#define CHECK_EQ_STR(a, b)                                                 \
  do {                                                                     \
    const char *a_ = (a), *b_ = (b);                                       \
    if (a_ && b_ && strcmp(a_, b_) == 0) check_passed++;                   \
    else {                                                                 \
      check_failed++;                                                      \
      fprintf(stderr, "%s:%d: CHECK failed: %s == %s\n  got:      %s\n  expected: %s\n", \
              __FILE__, __LINE__, #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
    }                                                                      \
  } while (0)

/* substring check */
#define CHECK_CONTAINS(hay, needle)                                        \
  do {                                                                     \
    const char *h_ = (hay), *n_ = (needle);                                \
    if (h_ && n_ && strstr(h_, n_)) check_passed++;                        \
    else {                                                                 \
      check_failed++;                                                      \
      fprintf(stderr, "%s:%d: CHECK failed: \"%s\" contains \"%s\"\n",    \
              __FILE__, __LINE__, h_ ? h_ : "(null)", n_ ? n_ : "(null)"); \
    }                                                                      \
  } while (0)

static inline int check_summary(void) {
  printf("%d passed, %d failed\n", check_passed, check_failed);
  return check_failed ? 1 : 0;
}

#endif
