/*
 * Internals shared by the ConfigFile reader (cfg.c) and editor
 * (cfg_edit.c): the lexer over the text and the Variant value parser.
 */
#ifndef WD_GODOT_CFG_INT_H
#define WD_GODOT_CFG_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/buf.h"
#include "webdoctor/cfg.h"

/* A position in the text: byte offset, 1-based line and column (columns
 * count UTF-8 lead bytes), and where its line starts. */
typedef struct wdi_cfg_pos {
  uint32_t off, line, col, line_start;
} wdi_cfg_pos;

typedef struct wdi_cfg_lexer {
  const char *s;
  uint32_t n;
  wdi_cfg_pos p;
  wd_arena *arena;
  wd_error *err;
  const char *path;       /* for err->file; may be "" */
  uint32_t depth;
  wd_buf warnings;        /* wd_cfg_warning records, when collecting */
  bool collect_warnings;
} wdi_cfg_lexer;

void wdi_cfg_lexer_init(wdi_cfg_lexer *lx, const char *s, uint32_t n, wd_arena *arena,
                        wd_error *err, const char *path);

/* Set lx->err (code, message, file, line and column of `at`); returns code. */
wd_status wdi_cfg_fail_at(wdi_cfg_lexer *lx, wdi_cfg_pos at, wd_status code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Parse one value starting exactly at the current position (no leading
 * white space). Bare identifiers are accepted only with allow_ident. */
wd_status wdi_cfg_parse_value(wdi_cfg_lexer *lx, bool allow_ident, const wd_cfg_value **out);

/* The byte at the position, or -1 at the end. */
static inline int wdi_cfg_peek(const wdi_cfg_lexer *lx) {
  return lx->p.off < lx->n ? (unsigned char)lx->s[lx->p.off] : -1;
}

/* Step over one byte, keeping line and column (columns count UTF-8 lead
 * bytes). */
static inline void wdi_cfg_adv(wdi_cfg_lexer *lx) {
  unsigned char b = (unsigned char)lx->s[lx->p.off++];
  if (b == '\n') {
    lx->p.line++;
    lx->p.col = 1;
    lx->p.line_start = lx->p.off;
  } else if ((b & 0xc0) != 0x80) {
    lx->p.col++;
  }
}

/* Is this byte white space for Godot (1..32)? NUL is not. */
static inline bool wdi_cfg_is_space(int c) { return c > 0 && c <= 32; }

#endif
