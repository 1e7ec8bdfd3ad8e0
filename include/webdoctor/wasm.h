/*
 * webdoctor: the WebAssembly binary reader and its module model.
 *
 * wd_module_parse() turns the bytes of a .wasm file into a wd_module: plain
 * structs, every array and string owned by the module (strings point into
 * the input bytes, which the module keeps alive when it opened the file
 * itself). Names follow the core specification and the proposals browsers
 * ship: limits, functype, import, export, tag, data count, dylink.0.
 *
 * Errors: a malformed module is rejected with a wd_error naming the
 * section, the function index (in the code section) and the byte offset.
 * Custom sections do not make a module invalid (engines ignore them), so a
 * malformed custom section becomes a wd_module_warning instead.
 *
 * Ownership: wd_module_free() releases everything. Nothing here prints.
 */
#ifndef WEBDOCTOR_WASM_H
#define WEBDOCTOR_WASM_H

#include <stdbool.h>
#include <stdint.h>

#include "webdoctor/error.h"
#include "webdoctor/features.h"
#include "webdoctor/msg.h"
#include "webdoctor/source.h"
#include "webdoctor/str.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- sections -------------------------------------------------------- */

typedef enum wd_section_id {
  WD_SEC_CUSTOM = 0,
  WD_SEC_TYPE = 1,
  WD_SEC_IMPORT = 2,
  WD_SEC_FUNCTION = 3,
  WD_SEC_TABLE = 4,
  WD_SEC_MEMORY = 5,
  WD_SEC_GLOBAL = 6,
  WD_SEC_EXPORT = 7,
  WD_SEC_START = 8,
  WD_SEC_ELEMENT = 9,
  WD_SEC_CODE = 10,
  WD_SEC_DATA = 11,
  WD_SEC_DATACOUNT = 12,
  WD_SEC_TAG = 13
} wd_section_id;

typedef struct wd_section {
  uint8_t id;
  uint64_t offset;         /* of the id byte */
  uint64_t payload_offset; /* first byte after the size */
  uint64_t size;           /* payload size */
  wd_str name;             /* custom sections only */
  uint32_t count;          /* item count of vector sections, else 0 */
} wd_section;

/* "type", "import", ..., "custom" (stable, untranslated) */
const char *wd_section_name(uint8_t id);

/* ---- types ----------------------------------------------------------- */

/* Value type codes, as in the binary format. */
enum {
  WD_VT_I32 = 0x7f,
  WD_VT_I64 = 0x7e,
  WD_VT_F32 = 0x7d,
  WD_VT_F64 = 0x7c,
  WD_VT_V128 = 0x7b,
  WD_VT_I8 = 0x78,  /* packed, GC field types only */
  WD_VT_I16 = 0x77,
  WD_VT_NULLEXNREF = 0x74,
  WD_VT_NULLFUNCREF = 0x73,
  WD_VT_NULLEXTERNREF = 0x72,
  WD_VT_NULLREF = 0x71,
  WD_VT_FUNCREF = 0x70,
  WD_VT_EXTERNREF = 0x6f,
  WD_VT_ANYREF = 0x6e,
  WD_VT_EQREF = 0x6d,
  WD_VT_I31REF = 0x6c,
  WD_VT_STRUCTREF = 0x6b,
  WD_VT_ARRAYREF = 0x6a,
  WD_VT_EXNREF = 0x69,
  WD_VT_REF_NULL = 0x63, /* (ref null ht) */
  WD_VT_REF = 0x64       /* (ref ht) */
};

/* A value type. For WD_VT_REF / WD_VT_REF_NULL, `heap` is the heap type:
 * a type index (>= 0) or an abstract heap type's code as a negative s33
 * (e.g. -0x10 for func). For the shorthand reference codes it is unused. */
typedef struct wd_valtype {
  uint8_t code;
  int64_t heap;
} wd_valtype;

typedef enum wd_comptype_kind {
  WD_COMP_FUNC = 0x60,
  WD_COMP_STRUCT = 0x5f,
  WD_COMP_ARRAY = 0x5e
} wd_comptype_kind;

/* One entry of the type index space (rec groups are flattened). */
typedef struct wd_type {
  uint8_t kind;           /* wd_comptype_kind */
  uint32_t nparams;       /* func: parameters; struct: fields; array: 1 */
  uint32_t nresults;      /* func only */
  wd_valtype *params;     /* nparams entries (field types for struct/array) */
  wd_valtype *results;
  uint32_t rec_group;     /* index of the rec group (GC), else the type index */
  bool is_final;
  uint32_t nsupertypes;
  uint64_t offset;
} wd_type;

typedef struct wd_limits {
  uint8_t flags;          /* as encoded */
  bool has_max;
  bool shared;
  bool is64;              /* memory64 / table64 index type */
  uint64_t min;
  uint64_t max;           /* valid when has_max */
  uint32_t page_size_log2;/* custom-page-sizes; 16 by default */
} wd_limits;

typedef struct wd_tabletype {
  wd_valtype elem;
  wd_limits limits;
} wd_tabletype;

typedef struct wd_globaltype {
  wd_valtype type;
  bool is_mutable;
} wd_globaltype;

typedef struct wd_tagtype {
  uint8_t attribute;      /* 0 = exception */
  uint32_t type;          /* function type index */
} wd_tagtype;

typedef enum wd_extern_kind {
  WD_EXTERN_FUNC = 0,
  WD_EXTERN_TABLE = 1,
  WD_EXTERN_MEMORY = 2,
  WD_EXTERN_GLOBAL = 3,
  WD_EXTERN_TAG = 4
} wd_extern_kind;

/* "func", "table", "memory", "global", "tag" */
const char *wd_extern_kind_name(uint8_t kind);

/* ---- constant expressions ------------------------------------------- */

typedef enum wd_const_kind {
  WD_CONST_OTHER = 0,     /* anything longer than one value instruction */
  WD_CONST_I32,
  WD_CONST_I64,
  WD_CONST_F32,
  WD_CONST_F64,
  WD_CONST_V128,
  WD_CONST_GLOBAL_GET,
  WD_CONST_REF_NULL,
  WD_CONST_REF_FUNC
} wd_const_kind;

typedef struct wd_constexpr {
  uint64_t offset;        /* first instruction */
  uint32_t size;          /* bytes including the final end */
  uint8_t kind;           /* wd_const_kind */
  int64_t value;          /* I32/I64 value; F32/F64 bit pattern */
  uint32_t index;         /* GLOBAL_GET / REF_FUNC index */
} wd_constexpr;

/* ---- module entities ------------------------------------------------ */

typedef struct wd_import {
  wd_str module;
  wd_str name;
  uint8_t kind;           /* wd_extern_kind */
  uint32_t kind_index;    /* index within its kind's index space */
  uint64_t offset;        /* of the import entry */
  union {
    uint32_t func_type;   /* type index */
    wd_tabletype table;
    wd_limits memory;
    wd_globaltype global;
    wd_tagtype tag;
  } u;
} wd_import;

typedef struct wd_export {
  wd_str name;
  uint8_t kind;
  uint32_t index;
  uint64_t offset;
} wd_export;

typedef struct wd_table {
  wd_tabletype type;
  bool has_init;
  wd_constexpr init;
} wd_table;

typedef struct wd_global {
  wd_globaltype type;
  wd_constexpr init;
} wd_global;

typedef enum wd_segment_mode {
  WD_SEG_ACTIVE = 0,
  WD_SEG_PASSIVE = 1,
  WD_SEG_DECLARATIVE = 2
} wd_segment_mode;

typedef struct wd_elem {
  uint32_t flags;         /* 0..7 */
  uint8_t mode;           /* wd_segment_mode */
  uint32_t table;
  wd_constexpr offset;    /* active only */
  wd_valtype type;        /* element type (funcref for the index forms) */
  bool uses_exprs;        /* forms 4-7: a vector of expressions */
  uint32_t count;
  uint64_t offset_in_file;
} wd_elem;

typedef struct wd_data {
  uint32_t flags;         /* 0..2 */
  uint8_t mode;
  uint32_t memory;
  wd_constexpr offset;    /* active only */
  uint64_t data_offset;   /* file offset of the bytes */
  uint32_t size;
  uint64_t offset_in_file;
} wd_data;

typedef struct wd_func_body {
  uint64_t offset;        /* of the body size */
  uint64_t code_offset;   /* first instruction */
  uint64_t end;           /* one past the final end opcode */
  uint64_t nlocals;       /* declared locals (parameters excluded) */
} wd_func_body;

/* ---- custom sections ------------------------------------------------- */

/* dylink.0 symbol flags (tool-conventions Linking.md) */
enum {
  WD_SYM_BINDING_WEAK = 0x1,
  WD_SYM_BINDING_LOCAL = 0x2,
  WD_SYM_VISIBILITY_HIDDEN = 0x4,
  WD_SYM_UNDEFINED = 0x10,
  WD_SYM_EXPORTED = 0x20,
  WD_SYM_EXPLICIT_NAME = 0x40,
  WD_SYM_NO_STRIP = 0x80,
  WD_SYM_TLS = 0x100,
  WD_SYM_ABSOLUTE = 0x200
};

typedef struct wd_dylink_symbol {
  wd_str module;          /* import info only */
  wd_str name;
  uint32_t flags;
} wd_dylink_symbol;

typedef struct wd_dylink {
  bool present;
  bool legacy;            /* the pre-2021 "dylink" section */
  uint64_t offset;
  uint32_t mem_size, mem_align;     /* bytes; alignment as log2 */
  uint32_t table_size, table_align;
  uint32_t nneeded;
  wd_str *needed;
  uint32_t nexport_info;
  wd_dylink_symbol *export_info;
  uint32_t nimport_info;
  wd_dylink_symbol *import_info;
  uint32_t nruntime_path;
  wd_str *runtime_path;
} wd_dylink;

typedef struct wd_producer_value {
  wd_str name;
  wd_str version;
} wd_producer_value;

typedef struct wd_producer_field {
  wd_str name;            /* "language", "processed-by", "sdk" */
  uint32_t nvalues;
  wd_producer_value *values;
} wd_producer_field;

typedef struct wd_target_feature {
  uint8_t prefix;         /* '+', '-' or '=' */
  wd_str name;
} wd_target_feature;

typedef struct wd_name_entry {
  uint32_t index;
  wd_str name;
} wd_name_entry;

typedef struct wd_names {
  bool present;
  bool has_module_name;
  wd_str module_name;
  uint32_t nfunctions;
  wd_name_entry *functions; /* in the order given (ascending index) */
  uint32_t nlocal_funcs;    /* functions with a local name map */
  uint32_t nsubsections;
} wd_names;

typedef struct wd_module_warning {
  uint64_t offset;
  char where[64]; /* the custom section's name, verbatim */
  wd_msg msg;     /* what is wrong, kept unworded: wd_msg_str() in either language */
} wd_module_warning;

/* ---- the module ------------------------------------------------------ */

typedef struct wd_module_kind_info wd_module_kind_info;

typedef struct wd_code_stats {
  bool decoded;           /* the instruction walk ran */
  uint64_t instructions;
  uint64_t bytes;         /* code section payload */
  uint32_t max_depth;     /* deepest block nesting */
} wd_code_stats;

typedef struct wd_module {
  const char *path;       /* as given, or "" */
  const uint8_t *data;
  uint64_t size;
  uint32_t version;

  uint32_t nsections;
  wd_section *sections;

  uint32_t ntypes;
  wd_type *types;
  uint32_t nimports;
  wd_import *imports;
  /* index spaces: imported entries first, then defined ones */
  uint32_t nfuncs, nimported_funcs;
  uint32_t *func_types;   /* nfuncs type indices (imports included) */
  uint32_t ntables, nimported_tables;
  wd_tabletype *table_types; /* ntables (imports included) */
  wd_table *tables;       /* defined tables only: ntables - nimported_tables */
  uint32_t nmemories, nimported_memories;
  wd_limits *memories;    /* nmemories (imports included) */
  uint32_t nglobals, nimported_globals;
  wd_globaltype *global_types; /* nglobals (imports included) */
  wd_global *globals;     /* defined globals only */
  uint32_t ntags, nimported_tags;
  wd_tagtype *tags;       /* ntags (imports included) */
  uint32_t nexports;
  wd_export *exports;
  bool has_start;
  uint32_t start;
  uint32_t nelems;
  wd_elem *elems;
  bool has_datacount;
  uint32_t datacount;
  uint32_t nbodies;
  wd_func_body *bodies;   /* defined functions; NULL when read with skip_code,
                           * which frames no body (nbodies is the count the
                           * code section declares) */
  uint32_t ndatas;
  wd_data *datas;

  /* custom sections */
  wd_names names;
  wd_dylink dylink;
  uint32_t nproducers;
  wd_producer_field *producers;
  uint32_t ntarget_features;
  wd_target_feature *target_features;
  bool has_source_mapping_url;
  wd_str source_mapping_url;
  bool has_external_debug_info;
  wd_str external_debug_info;

  /* what the module uses */
  wd_featureset features;
  int64_t feature_first_func[WD_FEAT_COUNT]; /* function index, or -1 when not from code */
  wd_code_stats code;

  uint32_t nwarnings;
  wd_module_warning *warnings;

  void *internal;         /* arena and file mapping */
} wd_module;

typedef struct wd_read_options {
  bool skip_code;         /* do not walk instructions nor frame function bodies
                           * (link needs only the shape): a body's size, locals
                           * and instructions are not checked, and the
                           * features are those of types and sections */
  uint32_t max_warnings;  /* 0 = 64 */
  /* threads decoding the code section, each a contiguous run of bodies
   * (0 = one per CPU, fewer for a small section); the module is the same
   * whatever the number */
  uint32_t threads;
} wd_read_options;

/* Parse `size` bytes. The bytes must outlive the module. On failure *out
 * is NULL and err describes the first problem. opts may be NULL. */
wd_status wd_module_parse(const uint8_t *data, uint64_t size,
                          const wd_read_options *opts, wd_module **out,
                          wd_error *err);

/* Map (or read) `path` and parse it; the module owns the mapping. */
wd_status wd_module_open(const char *path, const wd_read_options *opts,
                         wd_module **out, wd_error *err);

/* Read the module `path` of an export source and parse it: d keeps the
 * bytes, to release (wd_source_data_release) after wd_module_free. A large
 * file of a folder is parsed as it is read in, as wd_module_open parses
 * one. On failure d holds nothing. */
wd_status wd_module_read_source(const wd_source *src, const char *path, const wd_read_options *opts,
                                wd_source_data *d, wd_module **out, wd_error *err);

void wd_module_free(wd_module *m);

/* ---- questions about a module --------------------------------------- */

typedef enum wd_module_role {
  WD_ROLE_STANDALONE = 0,     /* no dylink section */
  WD_ROLE_EMSCRIPTEN_MAIN,    /* Emscripten MAIN_MODULE: exports __indirect_function_table etc, imports GOT */
  WD_ROLE_SIDE                /* dylink.0 present: a side module (SIDE_MODULE / GDExtension) */
} wd_module_role;

wd_module_role wd_module_role_of(const wd_module *m);
const char *wd_module_role_name(wd_module_role r); /* translated */

/* The memory at index 0, imported or defined; NULL if none.
 * *import_out (may be NULL) receives the import when it is imported. */
const wd_limits *wd_module_memory0(const wd_module *m, const wd_import **import_out);

/* Find an export by name (linear; fine for the sizes seen). */
const wd_export *wd_module_find_export(const wd_module *m, const char *name,
                                       uint32_t len);

/* The function type of function index `func`, or NULL. */
const wd_type *wd_module_func_type(const wd_module *m, uint32_t func);

/* Format a value type / function type as wasm-objdump does:
 * "i32", "funcref", "(i32, i64) -> f32", "() -> nil". */
void wd_valtype_str(wd_valtype t, char *buf, unsigned size);
void wd_functype_str(const wd_type *t, char *buf, unsigned size);

/* The name of function index `func` from the name section, or an empty
 * wd_str. */
wd_str wd_module_func_name(const wd_module *m, uint32_t func);

#ifdef __cplusplus
}
#endif
#endif
