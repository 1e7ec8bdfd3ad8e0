/*
 * wd_cursor: the one bounds-checked reader for binary formats (wasm, pck).
 *
 * A cursor walks [base+pos, base+end). `end` is narrowed to the current
 * section or record (wd_cur_enter/wd_cur_leave), so no read inside a section
 * can see past it. Every read checks the bytes left by subtraction, advances
 * only on success, and on failure fills *err with the byte offset where the
 * item began and a message naming what was being read (`desc`).
 *
 * Offsets are absolute positions in the file (64-bit).
 *
 * `desc` strings are marked N_("...") at the call and translated only when
 * an error is built: reads are hot, gettext lookups are not free.
 */
#ifndef WD_CURSOR_H
#define WD_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/leb128.h"
#include "webdoctor/error.h"
#include "webdoctor/str.h"

typedef struct wd_cursor {
  const uint8_t *base; /* byte 0 of the file */
  uint64_t pos;        /* next byte to read */
  uint64_t end;        /* exclusive limit: section end or file size */
  uint64_t size;       /* file size */
  const char *scope;   /* what `end` closes, for messages: "section", ...; NULL = the file */
  wd_error *err;
} wd_cursor;

/* What wd_cur_enter saves and wd_cur_leave restores. */
typedef struct wd_cur_saved {
  uint64_t end;
  const char *scope;
} wd_cur_saved;


static inline void wd_cur_init(wd_cursor *c, const uint8_t *base, uint64_t size,
                               wd_error *err) {
  c->base = base;
  c->pos = 0;
  c->end = size;
  c->size = size;
  c->scope = NULL;
  c->err = err;
}

static inline uint64_t wd_cur_left(const wd_cursor *c) { return c->end - c->pos; }
static inline bool wd_cur_eof(const wd_cursor *c) { return c->pos >= c->end; }
static inline const uint8_t *wd_cur_ptr(const wd_cursor *c) { return c->base + c->pos; }

/* Fill err at `offset`; returns WD_ERR_MALFORMED. */
wd_status wd_cur_fail_at(wd_cursor *c, uint64_t offset, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Report a LEB128 failure for `desc` at offset. */
wd_status wd_cur_leb_fail(wd_cursor *c, uint64_t offset, int code, const char *desc);

/* Narrow to the next `len` bytes, which form a `desc` ("section",
 * "function body"...); saves the old limit in *saved. Fails if fewer than
 * len bytes are left. */
wd_status wd_cur_enter(wd_cursor *c, uint64_t len, wd_cur_saved *saved, const char *desc);
static inline void wd_cur_leave(wd_cursor *c, wd_cur_saved saved) {
  c->pos = c->end;
  c->end = saved.end;
  c->scope = saved.scope;
}

wd_status wd_cur_u8(wd_cursor *c, uint8_t *out, const char *desc);
wd_status wd_cur_u32(wd_cursor *c, uint32_t *out, const char *desc);
wd_status wd_cur_u64(wd_cursor *c, uint64_t *out, const char *desc);
wd_status wd_cur_s32(wd_cursor *c, int32_t *out, const char *desc);
wd_status wd_cur_s33(wd_cursor *c, int64_t *out, const char *desc);
wd_status wd_cur_s64(wd_cursor *c, int64_t *out, const char *desc);
/* Little-endian fixed-width integers (pck headers). */
wd_status wd_cur_le32(wd_cursor *c, uint32_t *out, const char *desc);
wd_status wd_cur_le64(wd_cursor *c, uint64_t *out, const char *desc);
/* n raw bytes; *out points into the input. */
wd_status wd_cur_bytes(wd_cursor *c, uint64_t n, const uint8_t **out, const char *desc);
/* A u32 count of items each at least min_size bytes: rejects counts that
 * cannot fit in the bytes left, before anybody allocates for them. */
wd_status wd_cur_count(wd_cursor *c, uint32_t *out, uint32_t min_size, const char *desc);
/* A wasm name: u32 length + that many bytes of valid UTF-8. */
wd_status wd_cur_name(wd_cursor *c, wd_str *out, const char *desc);

/* true if [p, p+n) is valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
 * On failure *bad is the offset of the first bad byte. */
bool wd_utf8_valid(const uint8_t *p, size_t n, size_t *bad);

#endif
