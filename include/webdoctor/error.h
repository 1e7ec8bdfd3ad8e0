/*
 * webdoctor: the error type.
 *
 * One error value carries everything a person needs to act: which file,
 * where in it (section, function index, byte offset, or line and column)
 * and what was expected. It is filled once, where the problem is seen, and
 * handed up unchanged; only the command line decides how to print it.
 *
 * The library never prints and never exits. Every function that can fail
 * takes a `wd_error *` (which may not be NULL) and returns a wd_status.
 * The struct has fixed-size buffers so that reporting an error never
 * allocates.
 */
#ifndef WEBDOCTOR_ERROR_H
#define WEBDOCTOR_ERROR_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes. Values are frozen: new ones are added at the end. */
typedef enum wd_status {
  WD_OK = 0,
  WD_ERR_IO = 1,          /* a file could not be opened, read or written */
  WD_ERR_MALFORMED = 2,   /* the input breaks its format */
  WD_ERR_UNSUPPORTED = 3, /* well-formed, but beyond what we understand */
  WD_ERR_NOMEM = 4,       /* out of memory */
  WD_ERR_LIMIT = 5,       /* a hard limit (size, count, depth) was exceeded */
  WD_ERR_USAGE = 6,       /* a caller passed bad arguments */
  WD_ERR_NETWORK = 7,     /* a network transfer failed */
  WD_ERR_CONFLICT = 8     /* a file changed since it was read */
} wd_status;

#define WD_NO_SECTION (-1)
#define WD_NO_FUNC (-1)

typedef struct wd_error {
  wd_status code;
  char file[512];        /* the input's path as the user gave it, or "" */
  char where[96];        /* "code section", "import section", "[preset.0]"... */
  int64_t func;          /* function index (import + defined), or WD_NO_FUNC */
  uint64_t offset;       /* byte offset in the file, when has_offset */
  int has_offset;
  uint32_t line, column; /* 1-based, for text formats; 0 when unknown */
  char msg[512];         /* what went wrong; lower case, no full stop */
  char msg_en[512];      /* the same in English (a finding's English text) */
  char where_en[96];     /* `where` in English */
} wd_error;

/* Reset to "no error". */
void wd_error_clear(wd_error *err);

/* Fill code and message (printf-style). Returns code, so a failing
 * function can `return wd_error_set(err, WD_ERR_IO, ...)`. Location fields
 * already present in err are kept. */
/* fmt is the untranslated message ID (N_("...")), translatable words among
 * the arguments W_("...") (common/i18n.h): msg gets the active language,
 * msg_en English. */
wd_status wd_error_set(wd_error *err, wd_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
wd_status wd_error_setv(wd_error *err, wd_status code, const char *fmt,
                        va_list ap);

/* Record the file path (copied, truncated if very long). */
void wd_error_set_file(wd_error *err, const char *path);
/* `where` and `where_en`, as wd_error_set words msg; fmt NULL clears them. */
void wd_error_set_where(wd_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Render as one line:
 *   index.wasm: code section, function 1234, offset 0x1a2b3c: unknown opcode 0xfd 0x1ff
 *   export_presets.cfg:12:7: expected '=' after key
 * Returns the length written (truncated to size-1). */
size_t wd_error_format(const wd_error *err, char *buf, size_t size);

/* Static text for a status code ("malformed input", ...), translated. */
const char *wd_status_str(wd_status code);

#ifdef __cplusplus
}
#endif
#endif
