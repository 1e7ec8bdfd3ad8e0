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

/* A byte count as every output of webdoctor says it, in binary units (KiB,
 * MiB, GiB, TiB): with one decimal below 100 of the unit ("35.9 MiB",
 * "16.0 MiB"), without from 100 on ("200 MiB"); below 1 KiB in bytes
 * ("952 B"). The unit is the largest that keeps the rounded number under
 * 1024. Returns buf. WD_SIZE_STR_MAX holds any result. */
#define WD_SIZE_STR_MAX 16
char *wd_format_size(uint64_t n, char *buf, size_t size);

#endif
