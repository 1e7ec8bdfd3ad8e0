/*
 * Opcode tables for the instruction decoder; see opcodes.h.
 *
 * Names and opcode numbers follow the core specification and the
 * proposals (SIMD, relaxed SIMD, threads, exception handling, tail calls,
 * typed function references, GC).
 */
#include "wasm/opcodes.h"

#include <stddef.h>

#include "webdoctor/features.h"

/* ---- shapes of single-byte opcodes ---------------------------------- */

#define WDI_SHAPE_VALUE(s) WDI_SH_##s,
const uint8_t wdi_op_shape[256] = {WDI_OPCODE_SHAPES(WDI_SHAPE_VALUE)};
#undef WDI_SHAPE_VALUE

/* ---- features of single-byte opcodes -------------------------------- */

#define F(f) (1u << WD_FEAT_##f)
#define o_ 0u
#define SX F(SIGN_EXT)
#define RT F(REFERENCE_TYPES)
#define EH F(EXCEPTIONS_LEGACY)
#define EX F(EXCEPTIONS)
#define TC F(TAIL_CALL)
#define FR F(FUNCTION_REFERENCES)
#define TF (F(TAIL_CALL) | F(FUNCTION_REFERENCES))
#define GC F(GC)

const uint32_t wdi_op_feat[256] = {
/*        0   1   2   3   4   5   6   7   8   9   a   b   c   d   e   f */
/* 0 */  o_, o_, o_, o_, o_, o_, EH, EH, EH, EH, EX, o_, o_, o_, o_, o_,
/* 1 */  o_, o_, TC, TC, FR, TF, o_, o_, EH, EH, o_, o_, RT, o_, o_, EX,
/* 2 */  o_, o_, o_, o_, o_, RT, RT, o_, o_, o_, o_, o_, o_, o_, o_, o_,
/* 3 */  o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_,
/* 4 */  o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_,
/* 5 */  o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_,
/* 6 */  o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_,
/* 7 */  o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_,
/* 8 */  o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_,
/* 9 */  o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_,
/* a */  o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_,
/* b */  o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_,
/* c */  SX, SX, SX, SX, SX, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_,
/* d */  RT, RT, RT, GC, FR, FR, FR, o_, o_, o_, o_, o_, o_, o_, o_, o_,
/* e */  o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_,
/* f */  o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_, o_,
};

/* ---- 0xFD SIMD shapes ----------------------------------------------- */

const char wdi_simd_shape[WDI_SIMD_COUNT + 1] =
  /* 0x000 */ "MMMMMMMMMMMMCCNNNNNNNLLLLLLLLLLL"
  /* 0x020 */ "LLLNNNNNNNNNNNNNNNNNNNNNNNNNNNNN"
  /* 0x040 */ "NNNNNNNNNNNNNNNNNNNNKKKKKKKKMMNN"
  /* 0x060 */ "NNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN"
  /* 0x080 */ "NNNNNNNNNNNNNNNNNNNNNNNNNNUNNNNN"
  /* 0x0a0 */ "NNUNNUUNNNNNNNNUUNUUUNNNNNNUNNNN"
  /* 0x0c0 */ "NNUNNUUNNNNNNNNUUNUUUNNNNNNNNNNN"
  /* 0x0e0 */ "NNUNNNNNNNNNNNUNNNNNNNNNNNNNNNNN"
  /* 0x100 */ "NNNNNNNNNNNNNNNNNNNN";

/* ---- names ------------------------------------------------------------ */

static const char *const wdi_op_name[256] = {
  /* 0x00 */ "unreachable", "nop", "block", "loop", "if", "else", "try",
  /* 0x07 */ "catch", "throw", "rethrow", "throw_ref", "end", "br", "br_if",
  /* 0x0e */ "br_table", "return", "call", "call_indirect", "return_call",
  /* 0x13 */ "return_call_indirect", "call_ref", "return_call_ref", NULL,
  /* 0x17 */ NULL, "delegate", "catch_all", "drop", "select", "select", NULL,
  /* 0x1e */ NULL, "try_table", "local.get", "local.set", "local.tee",
  /* 0x23 */ "global.get", "global.set", "table.get", "table.set", NULL,
  /* 0x28 */ "i32.load", "i64.load", "f32.load", "f64.load", "i32.load8_s",
  /* 0x2d */ "i32.load8_u", "i32.load16_s", "i32.load16_u", "i64.load8_s",
  /* 0x31 */ "i64.load8_u", "i64.load16_s", "i64.load16_u", "i64.load32_s",
  /* 0x35 */ "i64.load32_u", "i32.store", "i64.store", "f32.store",
  /* 0x39 */ "f64.store", "i32.store8", "i32.store16", "i64.store8",
  /* 0x3d */ "i64.store16", "i64.store32", "memory.size", "memory.grow",
  /* 0x41 */ "i32.const", "i64.const", "f32.const", "f64.const", "i32.eqz",
  /* 0x46 */ "i32.eq", "i32.ne", "i32.lt_s", "i32.lt_u", "i32.gt_s",
  /* 0x4b */ "i32.gt_u", "i32.le_s", "i32.le_u", "i32.ge_s", "i32.ge_u",
  /* 0x50 */ "i64.eqz", "i64.eq", "i64.ne", "i64.lt_s", "i64.lt_u",
  /* 0x55 */ "i64.gt_s", "i64.gt_u", "i64.le_s", "i64.le_u", "i64.ge_s",
  /* 0x5a */ "i64.ge_u", "f32.eq", "f32.ne", "f32.lt", "f32.gt", "f32.le",
  /* 0x60 */ "f32.ge", "f64.eq", "f64.ne", "f64.lt", "f64.gt", "f64.le",
  /* 0x66 */ "f64.ge", "i32.clz", "i32.ctz", "i32.popcnt", "i32.add",
  /* 0x6b */ "i32.sub", "i32.mul", "i32.div_s", "i32.div_u", "i32.rem_s",
  /* 0x70 */ "i32.rem_u", "i32.and", "i32.or", "i32.xor", "i32.shl",
  /* 0x75 */ "i32.shr_s", "i32.shr_u", "i32.rotl", "i32.rotr", "i64.clz",
  /* 0x7a */ "i64.ctz", "i64.popcnt", "i64.add", "i64.sub", "i64.mul",
  /* 0x7f */ "i64.div_s", "i64.div_u", "i64.rem_s", "i64.rem_u", "i64.and",
  /* 0x84 */ "i64.or", "i64.xor", "i64.shl", "i64.shr_s", "i64.shr_u",
  /* 0x89 */ "i64.rotl", "i64.rotr", "f32.abs", "f32.neg", "f32.ceil",
  /* 0x8e */ "f32.floor", "f32.trunc", "f32.nearest", "f32.sqrt", "f32.add",
  /* 0x93 */ "f32.sub", "f32.mul", "f32.div", "f32.min", "f32.max",
  /* 0x98 */ "f32.copysign", "f64.abs", "f64.neg", "f64.ceil", "f64.floor",
  /* 0x9d */ "f64.trunc", "f64.nearest", "f64.sqrt", "f64.add", "f64.sub",
  /* 0xa2 */ "f64.mul", "f64.div", "f64.min", "f64.max", "f64.copysign",
  /* 0xa7 */ "i32.wrap_i64", "i32.trunc_f32_s", "i32.trunc_f32_u",
  /* 0xaa */ "i32.trunc_f64_s", "i32.trunc_f64_u", "i64.extend_i32_s",
  /* 0xad */ "i64.extend_i32_u", "i64.trunc_f32_s", "i64.trunc_f32_u",
  /* 0xb0 */ "i64.trunc_f64_s", "i64.trunc_f64_u", "f32.convert_i32_s",
  /* 0xb3 */ "f32.convert_i32_u", "f32.convert_i64_s", "f32.convert_i64_u",
  /* 0xb6 */ "f32.demote_f64", "f64.convert_i32_s", "f64.convert_i32_u",
  /* 0xb9 */ "f64.convert_i64_s", "f64.convert_i64_u", "f64.promote_f32",
  /* 0xbc */ "i32.reinterpret_f32", "i64.reinterpret_f64",
  /* 0xbe */ "f32.reinterpret_i32", "f64.reinterpret_i64", "i32.extend8_s",
  /* 0xc1 */ "i32.extend16_s", "i64.extend8_s", "i64.extend16_s",
  /* 0xc4 */ "i64.extend32_s", NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  /* 0xcc */ NULL, NULL, NULL, NULL, "ref.null", "ref.is_null", "ref.func",
  /* 0xd3 */ "ref.eq", "ref.as_non_null", "br_on_null", "br_on_non_null",
  /* 0xd7 */ NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  /* 0xe1 */ NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  /* 0xeb */ NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  /* 0xf5 */ NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  /* 0xff */ NULL
};

static const char *const wdi_gc_name[WDI_GC_COUNT] = {
  /* 0x00 */ "struct.new", "struct.new_default", "struct.get",
  /* 0x03 */ "struct.get_s", "struct.get_u", "struct.set", "array.new",
  /* 0x07 */ "array.new_default", "array.new_fixed", "array.new_data",
  /* 0x0a */ "array.new_elem", "array.get", "array.get_s", "array.get_u",
  /* 0x0e */ "array.set", "array.len", "array.fill", "array.copy",
  /* 0x12 */ "array.init_data", "array.init_elem", "ref.test", "ref.test",
  /* 0x16 */ "ref.cast", "ref.cast", "br_on_cast", "br_on_cast_fail",
  /* 0x1a */ "any.convert_extern", "extern.convert_any", "ref.i31",
  /* 0x1d */ "i31.get_s", "i31.get_u"
};

static const char *const wdi_misc_name[WDI_MISC_COUNT] = {
  /* 0x00 */ "i32.trunc_sat_f32_s", "i32.trunc_sat_f32_u",
  /* 0x02 */ "i32.trunc_sat_f64_s", "i32.trunc_sat_f64_u",
  /* 0x04 */ "i64.trunc_sat_f32_s", "i64.trunc_sat_f32_u",
  /* 0x06 */ "i64.trunc_sat_f64_s", "i64.trunc_sat_f64_u", "memory.init",
  /* 0x09 */ "data.drop", "memory.copy", "memory.fill", "table.init",
  /* 0x0d */ "elem.drop", "table.copy", "table.grow", "table.size",
  /* 0x11 */ "table.fill"
};

static const char *const wdi_simd_name[WDI_SIMD_COUNT] = {
  /* 0x00 */ "v128.load", "v128.load8x8_s", "v128.load8x8_u",
  /* 0x03 */ "v128.load16x4_s", "v128.load16x4_u", "v128.load32x2_s",
  /* 0x06 */ "v128.load32x2_u", "v128.load8_splat", "v128.load16_splat",
  /* 0x09 */ "v128.load32_splat", "v128.load64_splat", "v128.store",
  /* 0x0c */ "v128.const", "i8x16.shuffle", "i8x16.swizzle", "i8x16.splat",
  /* 0x10 */ "i16x8.splat", "i32x4.splat", "i64x2.splat", "f32x4.splat",
  /* 0x14 */ "f64x2.splat", "i8x16.extract_lane_s", "i8x16.extract_lane_u",
  /* 0x17 */ "i8x16.replace_lane", "i16x8.extract_lane_s",
  /* 0x19 */ "i16x8.extract_lane_u", "i16x8.replace_lane",
  /* 0x1b */ "i32x4.extract_lane", "i32x4.replace_lane",
  /* 0x1d */ "i64x2.extract_lane", "i64x2.replace_lane",
  /* 0x1f */ "f32x4.extract_lane", "f32x4.replace_lane",
  /* 0x21 */ "f64x2.extract_lane", "f64x2.replace_lane", "i8x16.eq",
  /* 0x24 */ "i8x16.ne", "i8x16.lt_s", "i8x16.lt_u", "i8x16.gt_s",
  /* 0x28 */ "i8x16.gt_u", "i8x16.le_s", "i8x16.le_u", "i8x16.ge_s",
  /* 0x2c */ "i8x16.ge_u", "i16x8.eq", "i16x8.ne", "i16x8.lt_s",
  /* 0x30 */ "i16x8.lt_u", "i16x8.gt_s", "i16x8.gt_u", "i16x8.le_s",
  /* 0x34 */ "i16x8.le_u", "i16x8.ge_s", "i16x8.ge_u", "i32x4.eq",
  /* 0x38 */ "i32x4.ne", "i32x4.lt_s", "i32x4.lt_u", "i32x4.gt_s",
  /* 0x3c */ "i32x4.gt_u", "i32x4.le_s", "i32x4.le_u", "i32x4.ge_s",
  /* 0x40 */ "i32x4.ge_u", "f32x4.eq", "f32x4.ne", "f32x4.lt", "f32x4.gt",
  /* 0x45 */ "f32x4.le", "f32x4.ge", "f64x2.eq", "f64x2.ne", "f64x2.lt",
  /* 0x4a */ "f64x2.gt", "f64x2.le", "f64x2.ge", "v128.not", "v128.and",
  /* 0x4f */ "v128.andnot", "v128.or", "v128.xor", "v128.bitselect",
  /* 0x53 */ "v128.any_true", "v128.load8_lane", "v128.load16_lane",
  /* 0x56 */ "v128.load32_lane", "v128.load64_lane", "v128.store8_lane",
  /* 0x59 */ "v128.store16_lane", "v128.store32_lane", "v128.store64_lane",
  /* 0x5c */ "v128.load32_zero", "v128.load64_zero",
  /* 0x5e */ "f32x4.demote_f64x2_zero", "f64x2.promote_low_f32x4",
  /* 0x60 */ "i8x16.abs", "i8x16.neg", "i8x16.popcnt", "i8x16.all_true",
  /* 0x64 */ "i8x16.bitmask", "i8x16.narrow_i16x8_s", "i8x16.narrow_i16x8_u",
  /* 0x67 */ "f32x4.ceil", "f32x4.floor", "f32x4.trunc", "f32x4.nearest",
  /* 0x6b */ "i8x16.shl", "i8x16.shr_s", "i8x16.shr_u", "i8x16.add",
  /* 0x6f */ "i8x16.add_sat_s", "i8x16.add_sat_u", "i8x16.sub",
  /* 0x72 */ "i8x16.sub_sat_s", "i8x16.sub_sat_u", "f64x2.ceil",
  /* 0x75 */ "f64x2.floor", "i8x16.min_s", "i8x16.min_u", "i8x16.max_s",
  /* 0x79 */ "i8x16.max_u", "f64x2.trunc", "i8x16.avgr_u",
  /* 0x7c */ "i16x8.extadd_pairwise_i8x16_s",
  /* 0x7d */ "i16x8.extadd_pairwise_i8x16_u",
  /* 0x7e */ "i32x4.extadd_pairwise_i16x8_s",
  /* 0x7f */ "i32x4.extadd_pairwise_i16x8_u", "i16x8.abs", "i16x8.neg",
  /* 0x82 */ "i16x8.q15mulr_sat_s", "i16x8.all_true", "i16x8.bitmask",
  /* 0x85 */ "i16x8.narrow_i32x4_s", "i16x8.narrow_i32x4_u",
  /* 0x87 */ "i16x8.extend_low_i8x16_s", "i16x8.extend_high_i8x16_s",
  /* 0x89 */ "i16x8.extend_low_i8x16_u", "i16x8.extend_high_i8x16_u",
  /* 0x8b */ "i16x8.shl", "i16x8.shr_s", "i16x8.shr_u", "i16x8.add",
  /* 0x8f */ "i16x8.add_sat_s", "i16x8.add_sat_u", "i16x8.sub",
  /* 0x92 */ "i16x8.sub_sat_s", "i16x8.sub_sat_u", "f64x2.nearest",
  /* 0x95 */ "i16x8.mul", "i16x8.min_s", "i16x8.min_u", "i16x8.max_s",
  /* 0x99 */ "i16x8.max_u", NULL, "i16x8.avgr_u", "i16x8.extmul_low_i8x16_s",
  /* 0x9d */ "i16x8.extmul_high_i8x16_s", "i16x8.extmul_low_i8x16_u",
  /* 0x9f */ "i16x8.extmul_high_i8x16_u", "i32x4.abs", "i32x4.neg", NULL,
  /* 0xa3 */ "i32x4.all_true", "i32x4.bitmask", NULL, NULL,
  /* 0xa7 */ "i32x4.extend_low_i16x8_s", "i32x4.extend_high_i16x8_s",
  /* 0xa9 */ "i32x4.extend_low_i16x8_u", "i32x4.extend_high_i16x8_u",
  /* 0xab */ "i32x4.shl", "i32x4.shr_s", "i32x4.shr_u", "i32x4.add", NULL,
  /* 0xb0 */ NULL, "i32x4.sub", NULL, NULL, NULL, "i32x4.mul", "i32x4.min_s",
  /* 0xb7 */ "i32x4.min_u", "i32x4.max_s", "i32x4.max_u",
  /* 0xba */ "i32x4.dot_i16x8_s", NULL, "i32x4.extmul_low_i16x8_s",
  /* 0xbd */ "i32x4.extmul_high_i16x8_s", "i32x4.extmul_low_i16x8_u",
  /* 0xbf */ "i32x4.extmul_high_i16x8_u", "i64x2.abs", "i64x2.neg", NULL,
  /* 0xc3 */ "i64x2.all_true", "i64x2.bitmask", NULL, NULL,
  /* 0xc7 */ "i64x2.extend_low_i32x4_s", "i64x2.extend_high_i32x4_s",
  /* 0xc9 */ "i64x2.extend_low_i32x4_u", "i64x2.extend_high_i32x4_u",
  /* 0xcb */ "i64x2.shl", "i64x2.shr_s", "i64x2.shr_u", "i64x2.add", NULL,
  /* 0xd0 */ NULL, "i64x2.sub", NULL, NULL, NULL, "i64x2.mul", "i64x2.eq",
  /* 0xd7 */ "i64x2.ne", "i64x2.lt_s", "i64x2.gt_s", "i64x2.le_s",
  /* 0xdb */ "i64x2.ge_s", "i64x2.extmul_low_i32x4_s",
  /* 0xdd */ "i64x2.extmul_high_i32x4_s", "i64x2.extmul_low_i32x4_u",
  /* 0xdf */ "i64x2.extmul_high_i32x4_u", "f32x4.abs", "f32x4.neg", NULL,
  /* 0xe3 */ "f32x4.sqrt", "f32x4.add", "f32x4.sub", "f32x4.mul",
  /* 0xe7 */ "f32x4.div", "f32x4.min", "f32x4.max", "f32x4.pmin",
  /* 0xeb */ "f32x4.pmax", "f64x2.abs", "f64x2.neg", NULL, "f64x2.sqrt",
  /* 0xf0 */ "f64x2.add", "f64x2.sub", "f64x2.mul", "f64x2.div", "f64x2.min",
  /* 0xf5 */ "f64x2.max", "f64x2.pmin", "f64x2.pmax",
  /* 0xf8 */ "i32x4.trunc_sat_f32x4_s", "i32x4.trunc_sat_f32x4_u",
  /* 0xfa */ "f32x4.convert_i32x4_s", "f32x4.convert_i32x4_u",
  /* 0xfc */ "i32x4.trunc_sat_f64x2_s_zero", "i32x4.trunc_sat_f64x2_u_zero",
  /* 0xfe */ "f64x2.convert_low_i32x4_s", "f64x2.convert_low_i32x4_u",
  /* 0x100 */ "i8x16.relaxed_swizzle", "i32x4.relaxed_trunc_f32x4_s",
  /* 0x102 */ "i32x4.relaxed_trunc_f32x4_u",
  /* 0x103 */ "i32x4.relaxed_trunc_f64x2_s_zero",
  /* 0x104 */ "i32x4.relaxed_trunc_f64x2_u_zero", "f32x4.relaxed_madd",
  /* 0x106 */ "f32x4.relaxed_nmadd", "f64x2.relaxed_madd",
  /* 0x108 */ "f64x2.relaxed_nmadd", "i8x16.relaxed_laneselect",
  /* 0x10a */ "i16x8.relaxed_laneselect", "i32x4.relaxed_laneselect",
  /* 0x10c */ "i64x2.relaxed_laneselect", "f32x4.relaxed_min",
  /* 0x10e */ "f32x4.relaxed_max", "f64x2.relaxed_min", "f64x2.relaxed_max",
  /* 0x111 */ "i16x8.relaxed_q15mulr_s", "i16x8.relaxed_dot_i8x16_i7x16_s",
  /* 0x113 */ "i32x4.relaxed_dot_i8x16_i7x16_add_s"
};

static const char *const wdi_atomic_name[WDI_ATOMIC_COUNT] = {
  /* 0x00 */ "memory.atomic.notify", "memory.atomic.wait32",
  /* 0x02 */ "memory.atomic.wait64", "atomic.fence", NULL, NULL, NULL, NULL,
  /* 0x08 */ NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  /* 0x10 */ "i32.atomic.load", "i64.atomic.load", "i32.atomic.load8_u",
  /* 0x13 */ "i32.atomic.load16_u", "i64.atomic.load8_u",
  /* 0x15 */ "i64.atomic.load16_u", "i64.atomic.load32_u",
  /* 0x17 */ "i32.atomic.store", "i64.atomic.store", "i32.atomic.store8",
  /* 0x1a */ "i32.atomic.store16", "i64.atomic.store8", "i64.atomic.store16",
  /* 0x1d */ "i64.atomic.store32", "i32.atomic.rmw.add",
  /* 0x1f */ "i64.atomic.rmw.add", "i32.atomic.rmw8.add_u",
  /* 0x21 */ "i32.atomic.rmw16.add_u", "i64.atomic.rmw8.add_u",
  /* 0x23 */ "i64.atomic.rmw16.add_u", "i64.atomic.rmw32.add_u",
  /* 0x25 */ "i32.atomic.rmw.sub", "i64.atomic.rmw.sub",
  /* 0x27 */ "i32.atomic.rmw8.sub_u", "i32.atomic.rmw16.sub_u",
  /* 0x29 */ "i64.atomic.rmw8.sub_u", "i64.atomic.rmw16.sub_u",
  /* 0x2b */ "i64.atomic.rmw32.sub_u", "i32.atomic.rmw.and",
  /* 0x2d */ "i64.atomic.rmw.and", "i32.atomic.rmw8.and_u",
  /* 0x2f */ "i32.atomic.rmw16.and_u", "i64.atomic.rmw8.and_u",
  /* 0x31 */ "i64.atomic.rmw16.and_u", "i64.atomic.rmw32.and_u",
  /* 0x33 */ "i32.atomic.rmw.or", "i64.atomic.rmw.or",
  /* 0x35 */ "i32.atomic.rmw8.or_u", "i32.atomic.rmw16.or_u",
  /* 0x37 */ "i64.atomic.rmw8.or_u", "i64.atomic.rmw16.or_u",
  /* 0x39 */ "i64.atomic.rmw32.or_u", "i32.atomic.rmw.xor",
  /* 0x3b */ "i64.atomic.rmw.xor", "i32.atomic.rmw8.xor_u",
  /* 0x3d */ "i32.atomic.rmw16.xor_u", "i64.atomic.rmw8.xor_u",
  /* 0x3f */ "i64.atomic.rmw16.xor_u", "i64.atomic.rmw32.xor_u",
  /* 0x41 */ "i32.atomic.rmw.xchg", "i64.atomic.rmw.xchg",
  /* 0x43 */ "i32.atomic.rmw8.xchg_u", "i32.atomic.rmw16.xchg_u",
  /* 0x45 */ "i64.atomic.rmw8.xchg_u", "i64.atomic.rmw16.xchg_u",
  /* 0x47 */ "i64.atomic.rmw32.xchg_u", "i32.atomic.rmw.cmpxchg",
  /* 0x49 */ "i64.atomic.rmw.cmpxchg", "i32.atomic.rmw8.cmpxchg_u",
  /* 0x4b */ "i32.atomic.rmw16.cmpxchg_u", "i64.atomic.rmw8.cmpxchg_u",
  /* 0x4d */ "i64.atomic.rmw16.cmpxchg_u", "i64.atomic.rmw32.cmpxchg_u"
};

const char *wdi_opcode_name(unsigned prefix, uint32_t op) {
  switch (prefix) {
  case 0: return op < 256 ? wdi_op_name[op] : NULL;
  case 0xfb: return op < WDI_GC_COUNT ? wdi_gc_name[op] : NULL;
  case 0xfc: return op < WDI_MISC_COUNT ? wdi_misc_name[op] : NULL;
  case 0xfd: return op < WDI_SIMD_COUNT ? wdi_simd_name[op] : NULL;
  case 0xfe: return op < WDI_ATOMIC_COUNT ? wdi_atomic_name[op] : NULL;
  }
  return NULL;
}
