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

#endif
