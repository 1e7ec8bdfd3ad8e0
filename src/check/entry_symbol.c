/* WD123: the web build of an extension does not export the .gdextension's
 * entry_symbol. Godot loads the side module, then asks Emscripten's dlsym()
 * for the entry symbol (OS_Unix::get_dynamic_library_symbol_handle, which
 * OS_Web inherits); the loader's dlsym finds only what the module exports
 * (libdylink.js: `lib.exports.hasOwnProperty(symbol)`), so the extension
 * never starts. The same test for a project (the library the Web preset
 * picks) and an export (the side modules GODOT_CONFIG lists). */
#include <stdio.h>
#include <string.h>

#include "check/check_int.h"
#include "common/i18n.h"

int wdi_entry_symbol_finding(wd_findings *out, const char *file, const wd_module *m, const char *entry,
                             const char *lib_name, const char *shown, wd_finding **made) {
  *made = NULL;
  if (!m || !entry || !entry[0] || !m->dylink.present) return 0;
  if (wd_module_find_export(m, entry, (uint32_t)strlen(entry))) return 0;
  const char *base = strrchr(lib_name, '/');
  base = base ? base + 1 : lib_name;
  /* the function exports that look like an entry point: what the key may have meant */
  char cands[256] = "";
  size_t len = 0;
  unsigned ncand = 0;
  for (uint32_t i = 0; i < m->nexports && ncand < 4; i++) {
    const wd_export *x = &m->exports[i];
    if (x->kind != WD_EXTERN_FUNC || x->name.len < 5 || x->name.len > 100 ||
        memcmp(x->name.ptr + x->name.len - 5, "_init", 5) != 0 || wd_str_startswith(x->name, "__"))
      continue;
    int k = snprintf(cands + len, sizeof cands - len, "%s%.*s", ncand ? ", " : "", (int)x->name.len,
                     x->name.ptr);
    if (k < 0 || (size_t)k >= sizeof cands - len) break;
    len += (size_t)k;
    ncand++;
  }
  wd_finding *f = wd_findings_add(out, WD123, file,
                                  N_("%s does not export %s, the entry_symbol of the .gdextension: Godot cannot "
                                    "start the extension"),
                                  shown, entry);
  if (!f) return WDI_OOM;
  /* Godot's text around Emscripten's dlerror() (the same from 3.1.6 to 4.0.x) */
  char em[1024];
  snprintf(em, sizeof em, "Can't resolve symbol %s. Error: Tried to lookup unknown symbol \"%s\" in dynamic lib: %s.",
           entry, entry, base);
  if (wd_finding_set_engine_message(f, em) ||
      wd_finding_explain(f, N_("After loading a GDExtension's web library Godot looks up the function named by "
                              "entry_symbol with dlsym(); Emscripten's loader finds only what the side module "
                              "exports. The library loads, the lookup fails, and Godot goes on without the "
                              "extension (\"GDExtension entry point '%s' not found in library\"): its classes "
                              "are missing and scenes that use them fail. The name in the .gdextension is "
                              "wrong, or the web build dropped the symbol (a -sSIDE_MODULE=2 link that does not "
                              "list it, an Emscripten release that did not keep it: godotengine/godot#82865)."),
                         entry))
    return WDI_OOM;
  /* fixes that name the symbols: messages with arguments */
  wd_msg fix, none = {0};
  if (ncand) {
    if (wd_msg_init(&fix,
             N_("If the .gdextension names the wrong function: %s exports %s; set entry_symbol to the "
               "extension's entry point."),
             base, cands) ||
        wd_finding_add_fix_msg(f, &fix, &none))
      return WDI_OOM;
  }
  if (wd_msg_init(&fix,
           N_("Rebuild the web library so that it exports %s: -sSIDE_MODULE=1 exports every external symbol; "
             "with -sSIDE_MODULE=2 add _%s to -sEXPORTED_FUNCTIONS; keep the entry function extern \"C\" "
             "(godot-cpp's GDE_EXPORT, Rust's #[no_mangle]); build with the Emscripten release Godot's "
             "templates of your version use."),
           entry, entry) ||
      wd_finding_add_fix_msg(f, &fix, &none))
    return WDI_OOM;
  *made = f;
  return 0;
}
