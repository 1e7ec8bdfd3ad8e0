/*
 * String helpers: the one copy of each, for every module. All allocating
 * functions return NULL on out of memory (and wd_strdup(NULL) is NULL).
 */
#ifndef WD_COMMON_STR_H
#define WD_COMMON_STR_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

bool wd_ends_with(const char *s, const char *suffix);
char *wd_strdup(const char *s);
/* The first n bytes of s (which need not be NUL-terminated), NUL-terminated. */
char *wd_strndup(const char *s, size_t n);
char *wd_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *wd_vasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

#endif
