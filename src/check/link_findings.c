/* Link problems as findings (WD1xx). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check_int.h"
#include "common/buf.h"
#include "common/i18n.h"
#include "webdoctor/msg.h"

static wd_finding_id fault_id(const wd_link_result *r, const wd_link_problem *p) {
  bool main = r->modules[p->module].is_main;
  switch (p->fault) {
  case WD_FAULT_MEMORY_SHARED: return WD101;
  case WD_FAULT_FUNC_SIGNATURE: return WD102;
  case WD_FAULT_LAZY_STUB: return wd_link_is_js_eh_import(p->import) ? WD122 : WD103;
  case WD_FAULT_JS_EH_ABORT: return WD122;
  case WD_FAULT_UNDEFINED_SYMBOL: return WD104;
  case WD_FAULT_TAG_NOT_TAG:
  case WD_FAULT_TAG_TYPE: return main ? WD111 : WD105;
  case WD_FAULT_MEMORY_NOT_MEMORY:
  case WD_FAULT_MEMORY_INDEX_TYPE:
  case WD_FAULT_MEMORY_TOO_SMALL:
  case WD_FAULT_MEMORY_NO_MAX:
  case WD_FAULT_MEMORY_MAX_TOO_LARGE: return main ? WD111 : WD106;
  case WD_FAULT_TABLE_NOT_TABLE:
  case WD_FAULT_TABLE_ELEM_TYPE:
  case WD_FAULT_TABLE_TOO_SMALL:
  case WD_FAULT_TABLE_NO_MAX:
  case WD_FAULT_TABLE_MAX_TOO_LARGE:
  case WD_FAULT_TABLE_GROW: return main ? WD111 : WD107;
  case WD_FAULT_GLOBAL_NOT_VALUE:
  case WD_FAULT_GLOBAL_NEEDS_OBJECT:
  case WD_FAULT_GLOBAL_MUTABILITY:
  case WD_FAULT_GLOBAL_TYPE: return main ? WD111 : WD108;
  case WD_FAULT_NO_DYLINK: return WD109;
  case WD_FAULT_NEEDED_MISSING: return WD110;
  case WD_FAULT_NO_LOADER: return WD204;
  case WD_FAULT_FUNC_NOT_CALLABLE: return main ? WD111 : WD112;
  case WD_FAULT_MODULE_NOT_OBJECT: return WD112;
  default: return WD112;
  }
}

int wdi_add_engine_texts(wd_finding *f, const wd_link_result *r, const wd_link_problem *p, wd_link_call call) {
  static const wd_engine order[] = {WD_ENGINE_CHROME, WD_ENGINE_FIREFOX, WD_ENGINE_SAFARI};
  for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
    char msg[1024];
    wd_link_engine_message(r, p, order[i], call, msg, sizeof msg);
    if (msg[0] && wd_finding_add_engine_text(f, wd_engine_get(order[i])->name, msg)) return -1;
  }
  return 0;
}

/* Problems that come in crowds (a glue from another build misses hundreds
 * of imports; a library can call dozens of missing functions, or dozens of
 * JavaScript-exception invoke_* helpers) are one finding per module and
 * group, naming the first few. 0: not grouped. */
enum { GROUP_NONE, GROUP_MAIN_IMPORT, GROUP_LAZY, GROUP_LAZY_JS_EH };

static int group_of(const wd_link_result *r, const wd_link_problem *p) {
  if (p->fault == WD_FAULT_LAZY_STUB)
    return wd_link_is_js_eh_import(p->import) ? GROUP_LAZY_JS_EH : GROUP_LAZY;
  if (r->modules[p->module].is_main && p->import && p->stage == WD_STAGE_IMPORT) return GROUP_MAIN_IMPORT;
  return GROUP_NONE;
}

static int add_names(wd_finding *f, const wd_link_result *r, uint32_t module, int group) {
  uint32_t n = 0;
  char list[600] = "";
  size_t len = 0;
  for (uint32_t i = 0; i < r->nproblems; i++) {
    const wd_link_problem *p = &r->problems[i];
    if (p->module != module || group_of(r, p) != group) continue;
    if (n < 8) {
      int k = snprintf(list + len, sizeof list - len, "%s%.*s", n ? ", " : "", (int)p->import->name.len,
                       p->import->name.ptr);
      if (k > 0) len += (size_t)k < sizeof list - len ? (size_t)k : sizeof list - len - 1;
    }
    n++;
  }
  if (n <= 1) return 0;
  /* the explanation, then the names: the explanation is the first argument */
  wd_msg more;
  int rc = n > 8 ? wd_msg_init(&more, N_("%s All %u: %s and %u more."), "", n, list, n - 8)
                 : wd_msg_init(&more, N_("%s All %u: %s."), "", n, list);
  if (rc) return WDI_OOM;
  if (f->explanation.id && wd_msg_set_arg_msg(&more, 0, &f->explanation)) {
    wd_msg_free(&more);
    return WDI_OOM;
  }
  wd_msg_free(&f->explanation);
  f->explanation = more;
  return 0;
}

int wdi_link_findings(const wd_link_result *r, const wd_link_facts *facts,
                      const char *const *files, wd_findings *out) {
  for (uint32_t i = 0; i < r->nproblems; i++) {
    const wd_link_problem *p = &r->problems[i];
    int group = group_of(r, p);
    if (group != GROUP_NONE) {
      /* only the first of its group makes a finding */
      bool seen = false;
      for (uint32_t k = 0; k < i && !seen; k++)
        seen = r->problems[k].module == p->module && group_of(r, &r->problems[k]) == group;
      if (seen) continue;
    }
    wd_link_explanation ex;
    wd_link_explain(r, p, facts, &ex);
    /* the catalogue's severity: WD103 (a lazy stub) and WD122 (JavaScript exceptions) warnings,
     * every fatal fault's ID an error */
    wd_finding_id id = fault_id(r, p);
    const char *file = files && files[p->module] ? files[p->module] : r->modules[p->module].name;
    wd_finding *f = wd_findings_add_msg(out, id, wd_rule_of(id)->severity, file, &ex.summary);
    if (!f) {
      wd_link_explanation_free(&ex);
      return WDI_OOM;
    }
    if (p->import) {
      f->offset = p->import->offset;
      f->has_offset = true;
    }
    int rc = wdi_add_engine_texts(f, r, p, WD_CALL_INSTANTIATE) || wd_finding_explain_msg(f, &ex.why) ||
             (group != GROUP_NONE && add_names(f, r, p->module, group));
    for (unsigned k = 0; !rc && k < ex.nfixes; k++) rc = wd_finding_add_fix_msg(f, &ex.fixes[k].text, &ex.fixes[k].tradeoff);
    wd_link_explanation_free(&ex);
    if (rc) return WDI_OOM;
  }
  return 0;
}

/* iOS Safari runs the WebKit of the Safari release of the same number,
 * except where webassembly.org/features notes otherwise: threads and sign
 * extension came with desktop Safari 14.1 but iOS 14.5. */
static wd_browser_version ios_version(wd_featureset all, wd_browser_version safari) {
  if (safari == 1401 && (all & ((1u << WD_FEAT_THREADS) | (1u << WD_FEAT_SIGN_EXT)))) return 1405;
  return safari;
}

/* What an older Safari prints, for the features that set its minimum
 * (texts as users reported them; the byte offset varies by module). */
static const struct {
  wd_feature feature;
  const char *text;
  const char *source;
} safari_texts[] = {
  {WD_FEAT_SIMD, "CompileError: WebAssembly.Module doesn't parse at byte N: invalid opcode 253",
   "godotengine/godot-docs#12231, godotengine/godot#74512"},
};

/* A shared memory whose maximum is at least this many 64 KiB pages (2048
 * MB): iOS Safari has failed to create it (godotengine/godot#70621: 2048 MB
 * on iOS 16.2 failed, 256 MB worked); the browser reserves the whole maximum
 * of a shared memory up front. */
#define IOS_SHARED_MAX_PAGES 32768u

/* a, a space, b: two sentences of one explanation (a space in every
 * language, as the texts are written); a becomes the whole, b is taken */
static int join_sentences(wd_msg *a, wd_msg *b) {
  wd_msg j;
  if (wd_msg_init(&j, "%s%s%s", "", " ", "")) return -1;
  if (wd_msg_set_arg_msg(&j, 0, a) || wd_msg_set_arg_msg(&j, 2, b)) {
    wd_msg_free(&j);
    return -1;
  }
  *a = j;
  return 0;
}

int wdi_features_finding(const wd_module *const *mods, const char *const *names, uint32_t n,
                         wd_findings *out) {
  wd_featureset all = 0;
  for (uint32_t i = 0; i < n; i++)
    if (mods[i]) all |= mods[i]->features;
  if (!all) return 0;
  char list[512] = "";
  size_t len = 0;
  for (unsigned f = 0; f < WD_FEAT_COUNT; f++) {
    if (!(all & (1u << f))) continue;
    int k = snprintf(list + len, sizeof list - len, "%s%s", len ? ", " : "",
                     wd_feature_get((wd_feature)f)->key);
    if (k > 0) len += (size_t)k < sizeof list - len ? (size_t)k : sizeof list - len - 1;
  }
  char v[WD_BROWSER_COUNT][16];
  wd_browser_version bv[WD_BROWSER_COUNT];
  bool none = false;
  for (int b = 0; b < WD_BROWSER_COUNT; b++) {
    bv[b] = wd_features_min_browser(all, (wd_browser)b);
    if (!bv[b]) none = true;
    wd_browser_version_str(bv[b], v[b], sizeof v[b]);
  }
  char ios[16];
  wd_browser_version_str(ios_version(all, bv[WD_BROWSER_SAFARI]), ios, sizeof ios);
  /* the maximum of a threaded engine's shared memory: the main module's
   * (the glue creates the memory it declares; a side module's import
   * declares no more than what it accepts) */
  uint64_t shared_max = 0;
  const char *shared_name = NULL;
  for (uint32_t i = 0; i < n; i++) {
    if (!mods[i] || wd_module_role_of(mods[i]) != WD_ROLE_EMSCRIPTEN_MAIN) continue;
    const wd_limits *l = wd_module_memory0(mods[i], NULL);
    if (l && l->shared && l->has_max && l->max > shared_max) {
      shared_max = l->max;
      shared_name = names ? names[i] : NULL;
    }
  }
  wd_finding *f = wd_findings_add_as(out, WD113, none ? WD_SEV_WARNING : WD_SEV_INFO, NULL,
                                  N_("runs in Chrome %s+, Firefox %s+, Safari %s+ and iOS Safari %s+ (uses %s)"),
                                  v[0], v[1], v[2], ios, list);
  if (!f) return WDI_OOM;
  /* the explanation: sentences joined by a space, each rendered late */
  wd_msg why, more = {0};
  if (wd_msg_plain(&why, N_("The oldest browser versions that run every WebAssembly feature the modules use (decoded "
                            "from their code, types and imports; versions from webassembly.org/features). Older "
                            "browsers fail with a CompileError before anything loads.")))
    return WDI_OOM;
  /* the features that make Safari/iOS what it is, with what older ones print */
  for (size_t t = 0; t < sizeof safari_texts / sizeof *safari_texts; t++) {
    const wd_feature_info *fi = wd_feature_get(safari_texts[t].feature);
    if (!(all & (1u << safari_texts[t].feature)) || fi->since[WD_BROWSER_SAFARI] != bv[WD_BROWSER_SAFARI]) continue;
    char sv[16];
    wd_browser_version_str(fi->since[WD_BROWSER_SAFARI], sv, sizeof sv);
    if (wd_msg_init(&more, N_("Safari and iOS Safari before %s cannot run %s (%s) and stop with \"%s\" (%s)."), sv,
                    fi->key, WD_WORD(fi->name), safari_texts[t].text, safari_texts[t].source) ||
        join_sentences(&why, &more))
      goto oom;
  }
  if (shared_max >= IOS_SHARED_MAX_PAGES) {
    if (wd_msg_init(&more,
                    N_("%s has a shared memory (threads) of up to %llu MB, which the browser reserves when the "
                       "page starts: iOS Safari has failed there with an out-of-memory RangeError at "
                       "WebAssembly.Memory (godotengine/godot#70621: 2048 MB on iOS 16.2; 256 MB worked), "
                       "whatever its version."),
                    shared_name ? shared_name : "?", (unsigned long long)(shared_max * 65536 / (1024 * 1024))) ||
        join_sentences(&why, &more))
      goto oom;
  }
  wd_finding_explain_msg(f, &why);
  if (shared_max >= IOS_SHARED_MAX_PAGES &&
      wd_finding_add_fix(f, N_("For iPhones and iPads, export with Thread Support off (no shared memory to "
                              "reserve), or use a custom template linked with a smaller maximum memory "
                              "(-sMAXIMUM_MEMORY)."),
                         N_("no threads; or a custom engine build whose game must fit in that memory")))
    return WDI_OOM;
  return 0;
oom:
  wd_msg_free(&why);
  wd_msg_free(&more);
  return WDI_OOM;
}
