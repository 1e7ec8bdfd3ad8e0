/*
 * Internals shared by the files of the wasm reader (not installed).
 */
#ifndef WD_WASM_READER_INT_H
#define WD_WASM_READER_INT_H

#include "common/arena.h"
#include "common/cursor.h"
#include "common/file.h"
#include "wasm/code.h"
#include "webdoctor/wasm.h"

/* What a wd_module owns besides its arena-allocated arrays. */
typedef struct wdi_module_internal {
  wd_arena arena;
  wd_file file;        /* valid when owns_file */
  int owns_file;
  uint32_t warn_cap;
} wdi_module_internal;

typedef struct wdi_reader {
  wd_module *m;
  wd_arena *arena;
  wd_cursor cur;
  wd_error *err;
  wd_read_options opts;
  uint32_t max_warnings;
  int last_id_order;   /* order rank of the last non-custom section */
  wd_file_arrival *arriving; /* the bytes still being read in, or NULL */
  uint64_t arrived;    /* bytes known to be in (with arriving) */
  wdi_code_ctx code;   /* the instruction decoder's state */
} wdi_reader;

/* The size of the function body at c->pos (c narrowed to the code
 * section); advances c past the size. Fails when the body runs past the
 * section's end. */
wd_status wdi_body_size(wd_cursor *c, uint32_t *size);

/* The locals of body b, the cursor at their start and narrowed to the
 * body: sets b->code_offset (the first instruction) and b->nlocals; the
 * features of the local types go to *feats. Touches nothing else, so
 * threads may frame different bodies at once. */
wd_status wdi_frame_locals(wd_cursor *c, wd_func_body *b, wd_featureset *feats);

/* Record a warning (custom-section problems); never fails. `fmt` is the
 * untranslated message (N_), rendered later in either language. */
void wdi_warn(wdi_reader *r, uint64_t offset, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The same for an error already worded (in English and in the active language). */
void wdi_warn_error(wdi_reader *r, uint64_t offset, const char *where, const wd_error *e);

/* Value types; `desc` names the item for error messages. Sets features
 * (reference types, SIMD, GC...) on r->m as a side effect. */
wd_status wdi_read_valtype(wdi_reader *r, wd_cursor *c, wd_valtype *out, const char *desc);
wd_status wdi_read_reftype(wdi_reader *r, wd_cursor *c, wd_valtype *out, const char *desc);
wd_status wdi_read_limits(wdi_reader *r, wd_cursor *c, wd_limits *out, bool memory, const char *desc);

/* Custom sections (custom.c): problems become warnings. */
void wdi_read_custom(wdi_reader *r, const wd_section *s);

/* Constant expressions (reader.c, using the decoder in code.c). */
wd_status wdi_read_constexpr(wdi_reader *r, wd_cursor *c, wd_constexpr *out, const char *desc);

#define WDI_FEATURE(m, f) ((m)->features |= 1u << (f))

#endif
