/*
 * .gdextension files and how Godot picks a library for an export.
 *
 * Godot (core/extension/gdextension_library_loader.cpp,
 * editor/export/gdextension_export_plugin.h) splits every [libraries] key
 * on '.', keeps the keys whose every tag is a feature of the export, and
 * takes the one with the most tags; on a tie the first in the file wins.
 */
#ifndef WEBDOCTOR_GDEXTENSION_H
#define WEBDOCTOR_GDEXTENSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "webdoctor/cfg.h"
#include "webdoctor/error.h"

typedef struct wd_gdext_library {
  const char *key;        /* "web.release.threads.wasm32" */
  uint32_t ntags;
  char **tags;
  const char *path;       /* the value: "res://bin/lib.wasm" or relative */
  uint32_t line;
} wd_gdext_library;

typedef struct wd_gdextension {
  char *file;             /* path on disk */
  char *res_path;         /* res://... */
  wd_cfg *cfg;
  const char *entry_symbol;      /* NULL if absent */
  const char *compatibility_minimum;
  uint32_t nlibs;
  wd_gdext_library *libs;
} wd_gdextension;

wd_status wd_gdext_open(const char *file, const char *res_path, wd_gdextension **out, wd_error *err);
/* The same from `len` bytes of text already read (copied), e.g. an edited
 * version of `file`; `file` names it in errors and anchors relative paths. */
wd_status wd_gdext_parse(const char *text, size_t len, const char *file, const char *res_path,
                         wd_gdextension **out, wd_error *err);
void wd_gdext_free(wd_gdextension *g);

/* The library Godot picks for `features`, or -1. */
int wd_gdext_match(const wd_gdextension *g, const char *const *features, uint32_t nfeatures);

/* Does the extension have any web library at all? */
bool wd_gdext_has_web(const wd_gdextension *g);

/* The feature tags of a Web export, in the order Godot lists them in
 * "Possible feature flags for your platform: ...". `godot_minor` is 3 for
 * 4.3 (4.4 adds bptc with s3tc). Returns the count (at most 12). */
uint32_t wd_web_export_features(bool threads, bool debug, bool for_desktop, bool for_mobile,
                                int godot_minor, const char **out);

/* Resolve a library path of the extension to a path on disk, given the
 * project folder. Caller frees. */
char *wd_gdext_resolve(const wd_gdextension *g, const char *project_dir, const char *lib_path);

#endif
