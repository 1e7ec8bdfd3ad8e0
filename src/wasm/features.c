/*
 * The oldest browser version that runs each WebAssembly feature.
 *
 * Source: the WebAssembly feature status table, features.json of
 * https://github.com/WebAssembly/website at commit 01155aca18c2 (the data
 * behind https://webassembly.org/features/), "browsers" entries for Chrome,
 * Firefox and Safari. Where that table says "flag" or has no entry, no
 * released version runs the feature by default and the value here is 0.
 * Notes carried over from the table:
 *   - Safari bigInt: desktop 14.1 runs it, but Emscripten also needs
 *     BigInt64Array, released in 15; 15 is used.
 *   - Safari threads and sign extension: desktop 14.1 (iOS 14.5).
 */
#include "webdoctor/features.h"

#include <stdio.h>

#include "common/i18n.h"

#define V(maj, min) ((maj) * 100 + (min))

static const wd_feature_info features[WD_FEAT_COUNT] = {
  {WD_FEAT_MUTABLE_GLOBALS, "mutable-globals", N_("import/export of mutable globals"), {V(74, 0), V(61, 0), V(13, 1)}},
  {WD_FEAT_SIGN_EXT, "sign-ext", N_("sign-extension operators"), {V(74, 0), V(62, 0), V(14, 1)}},
  {WD_FEAT_SAT_FLOAT_TO_INT, "nontrapping-fptoint", N_("non-trapping float-to-int conversions"), {V(75, 0), V(64, 0), V(15, 0)}},
  {WD_FEAT_BULK_MEMORY, "bulk-memory", N_("bulk memory operations"), {V(75, 0), V(79, 0), V(15, 0)}},
  {WD_FEAT_REFERENCE_TYPES, "reference-types", N_("reference types"), {V(96, 0), V(79, 0), V(15, 0)}},
  {WD_FEAT_MULTI_VALUE, "multivalue", N_("multi-value"), {V(85, 0), V(78, 0), V(13, 1)}},
  {WD_FEAT_BIGINT, "bigint", N_("JS BigInt to Wasm i64 integration"), {V(85, 0), V(78, 0), V(15, 0)}},
  {WD_FEAT_SIMD, "simd128", N_("fixed-width SIMD"), {V(91, 0), V(89, 0), V(16, 4)}},
  {WD_FEAT_RELAXED_SIMD, "relaxed-simd", N_("relaxed SIMD"), {V(114, 0), V(145, 0), 0}},
  {WD_FEAT_THREADS, "threads", N_("threads (shared memory and atomics)"), {V(74, 0), V(79, 0), V(14, 1)}},
  {WD_FEAT_EXCEPTIONS_LEGACY, "exception-handling-legacy", N_("legacy exception handling (try/catch)"), {V(95, 0), V(100, 0), V(15, 2)}},
  {WD_FEAT_EXCEPTIONS, "exception-handling", N_("exception handling with exnref"), {V(137, 0), V(131, 0), V(18, 4)}},
  {WD_FEAT_TAIL_CALL, "tail-call", N_("tail calls"), {V(112, 0), V(121, 0), V(18, 2)}},
  {WD_FEAT_EXTENDED_CONST, "extended-const", N_("extended constant expressions"), {V(114, 0), V(112, 0), V(17, 4)}},
  {WD_FEAT_MEMORY64, "memory64", N_("64-bit memory"), {V(133, 0), V(134, 0), 0}},
  {WD_FEAT_MULTI_MEMORY, "multi-memory", N_("multiple memories"), {V(120, 0), V(125, 0), 0}},
  {WD_FEAT_FUNCTION_REFERENCES, "function-references", N_("typed function references"), {V(119, 0), V(120, 0), V(18, 0)}},
  {WD_FEAT_GC, "gc", N_("garbage collection"), {V(119, 0), V(120, 0), V(18, 2)}},
};

const wd_feature_info *wd_feature_get(wd_feature f) {
  if ((unsigned)f >= WD_FEAT_COUNT) return NULL;
  return &features[f];
}

wd_browser_version wd_features_min_browser(wd_featureset set, wd_browser b) {
  /* the first releases with WebAssembly (MVP) at all: Chrome 57, Firefox 52,
     Safari 11 (webassembly.org/features, "MVP") */
  static const wd_browser_version mvp[WD_BROWSER_COUNT] = {V(57, 0), V(52, 0), V(11, 0)};
  if ((unsigned)b >= WD_BROWSER_COUNT) return 0;
  wd_browser_version need = mvp[b];
  for (unsigned f = 0; f < WD_FEAT_COUNT; f++) {
    if (!(set & (1u << f))) continue;
    wd_browser_version v = features[f].since[b];
    if (v == 0) return 0;
    if (v > need) need = v;
  }
  return need;
}

const char *wd_browser_name(wd_browser b) {
  switch (b) {
  case WD_BROWSER_CHROME: return "Chrome";
  case WD_BROWSER_FIREFOX: return "Firefox";
  case WD_BROWSER_SAFARI: return "Safari";
  default: return "?";
  }
}

const char *wd_features_table_source(void) {
  return "https://webassembly.org/features/ (WebAssembly/website features.json @01155aca18c2)";
}

void wd_browser_version_str(wd_browser_version v, char *buf, unsigned size) {
  if (v == 0) snprintf(buf, size, "%s", _("none"));
  else if (v % 100) snprintf(buf, size, "%u.%u", v / 100, v % 100);
  else snprintf(buf, size, "%u", v / 100);
}
