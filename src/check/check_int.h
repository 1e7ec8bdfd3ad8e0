/* Internals shared by the checks (not installed). */
#ifndef WD_CHECK_INT_H
#define WD_CHECK_INT_H

#include "webdoctor/check.h"
#include "webdoctor/explain.h"
#include "webdoctor/finding.h"
#include "webdoctor/link.h"
#include "webdoctor/source.h"
#include "webdoctor/wasm.h"

/* Findings for every problem of a link result. `files` gives, per load
 * index, the file name to report (relative to the checked folder). */
int wdi_link_findings(const wd_link_result *r, const wd_link_facts *facts,
                      const char *const *files, wd_findings *out);

/* Every engine's text for p, added to f (wd_finding_add_engine_text). */
int wdi_add_engine_texts(wd_finding *f, const wd_link_result *r, const wd_link_problem *p, wd_link_call call);

/* Precompressed siblings (.gz, .br, .zst) of files in `src` that do not
 * decompress to their original. */
int wdi_check_precompressed(const wd_source *src, const char *const *names, uint32_t n,
                            wd_findings *out);

/* The features used by all modules, and an info/warning finding about the
 * browsers that run them. */
int wdi_features_finding(const wd_module *const *mods, const char *const *names, uint32_t n,
                         wd_findings *out);

/* WD321's explanation and first fix (an extension with no web.* key at all),
 * the same for a project and an export; nonzero when out of memory. */
int wdi_explain_no_web_library(wd_finding *f);

/* Start a summary (all zero, threads unknown). */
void wdi_summary_init(wd_check_summary *s, wd_check_kind kind);

/* Append a chain node; its verdict (and, for findings carrying an engine
 * message, its edge message) come from the findings about
 * `findings_file`. NULL when the chain is full. */
wd_chain_node *wdi_chain_add(wd_check_summary *sum, const wd_findings *out, wd_chain_kind kind,
                             const char *name, const char *findings_file, int shared);

/* WD320 when the Godot pool is not smaller than the Emscripten pool (*made
 * is the finding, else NULL): of the preset named `preset`, or of
 * GODOT_CONFIG when it is NULL. Returns WDI_OOM when out of memory. */
int wdi_pool_sizes_finding(wd_findings *out, const char *file, const char *preset, long long emscripten_pool,
                           long long godot_pool, wd_finding **made);

/* WD222: the side effects of itch.io's SharedArrayBuffer option, a note
 * about `file` for a threaded export or preset with --host itch. */
int wdi_itch_isolation_note(wd_findings *out, const char *file);

/* WD123 when side module m (the web library `lib_name`, shown as `shown`)
 * does not export the .gdextension's entry_symbol `entry` (*made is the
 * finding, about `file`, else NULL). Nothing for a module that is not a side
 * module or an empty entry. Returns WDI_OOM when out of memory. */
int wdi_entry_symbol_finding(wd_findings *out, const char *file, const wd_module *m, const char *entry,
                             const char *lib_name, const char *shown, wd_finding **made);

#define WDI_OOM (-1)

#endif
