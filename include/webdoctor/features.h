/*
 * WebAssembly features (standardised proposals) and the browsers that run
 * them.
 *
 * A module's features are derived from what it actually contains: the
 * instructions in its code, its types, limits and imports. The
 * target_features custom section is recorded separately (it is what the
 * toolchain was told, not what the module needs).
 */
#ifndef WEBDOCTOR_FEATURES_H
#define WEBDOCTOR_FEATURES_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum wd_feature {
  WD_FEAT_MUTABLE_GLOBALS = 0, /* import/export of mutable globals */
  WD_FEAT_SIGN_EXT,            /* i32.extend8_s ... */
  WD_FEAT_SAT_FLOAT_TO_INT,    /* non-trapping float-to-int conversions */
  WD_FEAT_BULK_MEMORY,         /* memory.copy/fill/init, data.drop, passive segments */
  WD_FEAT_REFERENCE_TYPES,     /* externref, table.get/set/grow, multiple tables */
  WD_FEAT_MULTI_VALUE,         /* several results, typed block parameters */
  WD_FEAT_BIGINT,              /* i64 across the JS boundary (BigInt) */
  WD_FEAT_SIMD,                /* 128-bit SIMD */
  WD_FEAT_RELAXED_SIMD,
  WD_FEAT_THREADS,             /* shared memory and atomics */
  WD_FEAT_EXCEPTIONS_LEGACY,   /* try/catch/rethrow/delegate */
  WD_FEAT_EXCEPTIONS,          /* try_table/throw_ref (exnref) */
  WD_FEAT_TAIL_CALL,
  WD_FEAT_EXTENDED_CONST,
  WD_FEAT_MEMORY64,
  WD_FEAT_MULTI_MEMORY,
  WD_FEAT_FUNCTION_REFERENCES, /* typed function references */
  WD_FEAT_GC,
  WD_FEAT_COUNT
} wd_feature;

typedef uint32_t wd_featureset; /* bit (1u << wd_feature) */

typedef enum wd_browser {
  WD_BROWSER_CHROME = 0,
  WD_BROWSER_FIREFOX,
  WD_BROWSER_SAFARI,
  WD_BROWSER_COUNT
} wd_browser;

/* A browser version as "major.minor" packed major*100+minor;
 * 0 means no released version supports it (as of the table's date). */
typedef uint32_t wd_browser_version;

typedef struct wd_feature_info {
  wd_feature id;
  const char *key;         /* stable identifier: "simd", "threads" ... (JSON) */
  const char *name;        /* display name, translatable (N_) */
  wd_browser_version since[WD_BROWSER_COUNT];
} wd_feature_info;

const wd_feature_info *wd_feature_get(wd_feature f);
/* The oldest version of `b` that runs every feature in `set` (0 = none). */
wd_browser_version wd_features_min_browser(wd_featureset set, wd_browser b);
const char *wd_browser_name(wd_browser b);
/* Where the table's versions come from (for --help / docs). */
const char *wd_features_table_source(void);
/* "91", "16.4", "none" */
void wd_browser_version_str(wd_browser_version v, char *buf, unsigned size);

#ifdef __cplusplus
}
#endif
#endif
