/*
 * Opcode tables for the instruction decoder (code.c): the immediate shape
 * and feature bits of every single-byte opcode, the shapes of the 0xFD
 * SIMD sub-opcodes, and instruction names for messages.
 */
#ifndef WD_WASM_OPCODES_H
#define WD_WASM_OPCODES_H

#include <stdint.h>

/* Immediate shapes of single-byte opcodes (wdi_op_shape). */
enum wdi_shape {
  WDI_SH_UNKNOWN = 0,
  WDI_SH_NONE,          /* no immediate */
  WDI_SH_LABEL,         /* u32 label index */
  WDI_SH_FUNC,          /* u32 function index */
  WDI_SH_LOCAL,         /* u32 local index */
  WDI_SH_GLOBAL,        /* u32 global index */
  WDI_SH_TABLE,         /* u32 table index */
  WDI_SH_TAG,           /* u32 tag index (throw) */
  WDI_SH_TYPE,          /* u32 type index (call_ref) */
  WDI_SH_MEMARG,        /* loads and stores */
  WDI_SH_MEMIDX,        /* memory.size, memory.grow */
  WDI_SH_I32,           /* s32 */
  WDI_SH_I64,           /* s64 */
  WDI_SH_F32,           /* 4 bytes */
  WDI_SH_F64,           /* 8 bytes */
  WDI_SH_BLOCK,         /* block, loop, if, try: block type */
  WDI_SH_ELSE,
  WDI_SH_END,
  WDI_SH_CATCH,         /* legacy catch: tag index */
  WDI_SH_CATCH_ALL,
  WDI_SH_DELEGATE,      /* label index, closes a try */
  WDI_SH_TRY_TABLE,     /* block type + catch clauses */
  WDI_SH_BR_TABLE,      /* vector of labels + default */
  WDI_SH_CALL_INDIRECT, /* type index + table index */
  WDI_SH_SELECT_T,      /* vector of value types */
  WDI_SH_HEAPTYPE,      /* ref.null */
  WDI_SH_PREFIX_GC,     /* 0xFB */
  WDI_SH_PREFIX_MISC,   /* 0xFC */
  WDI_SH_PREFIX_SIMD,   /* 0xFD */
  WDI_SH_PREFIX_ATOMIC  /* 0xFE */
};

/* The shape of every single-byte opcode 0x00..0xff, in order, as an
 * X-macro list (X(NONE) X(NONE) X(BLOCK) ...): wdi_op_shape is built from
 * it, and so is the decoder's fast dispatch table. */
#define WDI_OPCODE_SHAPES(X) \
  /* 0x00 */ X(NONE) X(NONE) X(BLOCK) X(BLOCK) X(BLOCK) X(ELSE) X(BLOCK)     \
  /* 0x07 */ X(CATCH) X(TAG) X(LABEL) X(NONE) X(END) X(LABEL) X(LABEL)       \
  /* 0x0e */ X(BR_TABLE) X(NONE)                                             \
  /* 0x10 */ X(FUNC) X(CALL_INDIRECT) X(FUNC) X(CALL_INDIRECT) X(TYPE)       \
  /* 0x15 */ X(TYPE) X(UNKNOWN) X(UNKNOWN) X(DELEGATE) X(CATCH_ALL) X(NONE)  \
  /* 0x1b */ X(NONE) X(SELECT_T) X(UNKNOWN) X(UNKNOWN) X(TRY_TABLE)          \
  /* 0x20 */ X(LOCAL) X(LOCAL) X(LOCAL) X(GLOBAL) X(GLOBAL) X(TABLE)         \
  /* 0x26 */ X(TABLE) X(UNKNOWN) X(MEMARG) X(MEMARG) X(MEMARG) X(MEMARG)     \
  /* 0x2c */ X(MEMARG) X(MEMARG) X(MEMARG) X(MEMARG)                         \
  /* 0x30 */ X(MEMARG) X(MEMARG) X(MEMARG) X(MEMARG) X(MEMARG) X(MEMARG)     \
  /* 0x36 */ X(MEMARG) X(MEMARG) X(MEMARG) X(MEMARG) X(MEMARG) X(MEMARG)     \
  /* 0x3c */ X(MEMARG) X(MEMARG) X(MEMARG) X(MEMIDX)                         \
  /* 0x40 */ X(MEMIDX) X(I32) X(I64) X(F32) X(F64) X(NONE) X(NONE) X(NONE)   \
  /* 0x48 */ X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) \
  /* 0x50 */ X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) \
  /* 0x58 */ X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) \
  /* 0x60 */ X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) \
  /* 0x68 */ X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) \
  /* 0x70 */ X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) \
  /* 0x78 */ X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) \
  /* 0x80 */ X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) \
  /* 0x88 */ X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) \
  /* 0x90 */ X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) \
  /* 0x98 */ X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) \
  /* 0xa0 */ X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) \
  /* 0xa8 */ X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) \
  /* 0xb0 */ X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) \
  /* 0xb8 */ X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) \
  /* 0xc0 */ X(NONE) X(NONE) X(NONE) X(NONE) X(NONE) X(UNKNOWN) X(UNKNOWN)   \
  /* 0xc7 */ X(UNKNOWN) X(UNKNOWN) X(UNKNOWN) X(UNKNOWN) X(UNKNOWN)          \
  /* 0xcc */ X(UNKNOWN) X(UNKNOWN) X(UNKNOWN) X(UNKNOWN)                     \
  /* 0xd0 */ X(HEAPTYPE) X(NONE) X(FUNC) X(NONE) X(NONE) X(LABEL) X(LABEL)   \
  /* 0xd7 */ X(UNKNOWN) X(UNKNOWN) X(UNKNOWN) X(UNKNOWN) X(UNKNOWN)          \
  /* 0xdc */ X(UNKNOWN) X(UNKNOWN) X(UNKNOWN) X(UNKNOWN)                     \
  /* 0xe0 */ X(UNKNOWN) X(UNKNOWN) X(UNKNOWN) X(UNKNOWN) X(UNKNOWN)          \
  /* 0xe5 */ X(UNKNOWN) X(UNKNOWN) X(UNKNOWN) X(UNKNOWN) X(UNKNOWN)          \
  /* 0xea */ X(UNKNOWN) X(UNKNOWN) X(UNKNOWN) X(UNKNOWN) X(UNKNOWN)          \
  /* 0xef */ X(UNKNOWN)                                                      \
  /* 0xf0 */ X(UNKNOWN) X(UNKNOWN) X(UNKNOWN) X(UNKNOWN) X(UNKNOWN)          \
  /* 0xf5 */ X(UNKNOWN) X(UNKNOWN) X(UNKNOWN) X(UNKNOWN) X(UNKNOWN)          \
  /* 0xfa */ X(UNKNOWN) X(PREFIX_GC) X(PREFIX_MISC) X(PREFIX_SIMD)           \
  /* 0xfe */ X(PREFIX_ATOMIC) X(UNKNOWN)

extern const uint8_t wdi_op_shape[256];
/* Feature bits (1u << wd_feature) an opcode implies by itself; prefixed
 * opcodes get theirs from the sub-opcode. */
extern const uint32_t wdi_op_feat[256];

/* 0xFD sub-opcodes 0..WDI_SIMD_COUNT-1, one character each:
 * 'U' unknown, 'N' no immediate, 'M' memarg, 'K' memarg + lane,
 * 'L' lane, 'C' 16 bytes (v128.const, i8x16.shuffle). */
#define WDI_SIMD_COUNT 0x114u
#define WDI_SIMD_RELAXED_FIRST 0x100u
extern const char wdi_simd_shape[WDI_SIMD_COUNT + 1];

#define WDI_GC_COUNT 0x1fu     /* 0xFB 0x00..0x1e */
#define WDI_MISC_COUNT 0x12u   /* 0xFC 0x00..0x11 */
#define WDI_ATOMIC_COUNT 0x4fu /* 0xFE 0x00..0x4e (0x04..0x0f unused) */

/* The text-format name of an opcode (prefix 0 for single-byte opcodes),
 * or NULL when it is not a known instruction. Names are not translated. */
const char *wdi_opcode_name(unsigned prefix, uint32_t op);

/* Test and benchmark hook (code.c): 0 turns the SIMD boundary scanner
 * off, so that the scalar decoder handles everything. */
extern int wdi_code_simd;
/* Test and benchmark hook (code.c): the widest instruction set the SIMD
 * scanner may use, 2 AVX2, 1 AVX, 0 SSSE3 (within what the CPU has). */
extern int wdi_scan_isa_max;

#endif
