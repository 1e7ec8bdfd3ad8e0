/*
 * The Emscripten loaders the link model knows, as data, and how to tell
 * which one wrote a glue.
 *
 * Each row was read from Emscripten's source at that tag (the public
 * emscripten-core/emscripten repository):
 *
 *   3.1.6   src/library_dylink.js: getDylinkMetadata accepts "dylink" and
 *           "dylink.0"; reportUndefinedSymbols throws
 *           Error('bad export type for `' + symName + '`: ' + typeof value)
 *           for every GOT entry still 0 (weak or not); lazy stubs call
 *           resolved.apply(null, arguments); src/library.js defines only
 *           __heap_base of the layout symbols.
 *   3.1.64  src/library_dylink.js: GOTHandler marks non-weak references
 *           `required` and reportUndefinedSymbols skips the others (weak
 *           symbols are optional); the error is
 *           `bad export type for '${symName}': ${typeof value}`; stubs call
 *           resolved(...args). src/library.js adds __stack_high, __stack_low
 *           and __global_base (numbers) to the import object, and
 *           tools/emscripten.py sends every global import of the main
 *           module (GOT.mem ones included) into it. relocateExports turns
 *           exported globals into numbers (value.value + memoryBase) and
 *           Memory/Table objects into undefined.
 *   4.0.10  src/lib/libdylink.js: getDylinkMetadata accepts only
 *           "dylink.0" (failIf(name !== 'dylink.0'), an Error without a
 *           message); otherwise as 3.1.64.
 *   4.0.20  src/lib/libdylink.js: relocateExports keeps objects (immutable
 *           globals become new immutable Globals, Memory/Table/mutable
 *           Globals pass unchanged; #25530, 4.0.17); MAIN_MODULE is no longer
 *           RELOCATABLE (#25522, 4.0.19): tools/link.py exports
 *           __stack_pointer from the main module, which defines and exports
 *           its table and (without threads) its memory; mergeLibSymbols puts
 *           them in the import object for side modules; GOT entries start
 *           at -1; the error gains ` (${value})`; dlopen errors say "could
 *           not load dynamic lib".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "webdoctor/link.h"

static const wd_loader_rules rules[WD_LOADER_COUNT] = {
  {WD_LOADER_3_1_6, "3.1.6", true, false, false, false, false, false, '`', false},
  {WD_LOADER_3_1_64, "3.1.64", true, true, true, false, false, true, '\'', false},
  {WD_LOADER_4_0_10, "4.0.10", false, true, true, false, false, true, '\'', false},
  {WD_LOADER_4_0_20, "4.0.20", false, true, true, true, true, true, '\'', true},
};

const wd_loader_rules *wd_loader_get(wd_loader_version v) {
  return (unsigned)v < WD_LOADER_COUNT ? &rules[v] : &rules[WD_LOADER_3_1_64];
}

bool wd_loader_nearest(const char *version, wd_loader_version *out) {
  unsigned a, b, c;
  if (!version || sscanf(version, "%u.%u.%u", &a, &b, &c) != 3) return false;
  unsigned long v = (unsigned long)a * 1000000ul + b * 1000ul + c;
  /* the release each behaviour appeared in (see the table above) */
  if (v < 3001015ul) *out = WD_LOADER_3_1_6;        /* weak GOT entries optional from 3.1.15 */
  else if (v < 4000000ul) *out = WD_LOADER_3_1_64;
  else if (v < 4000017ul) *out = WD_LOADER_4_0_10;
  else *out = WD_LOADER_4_0_20;
  return true;
}

static const wd_export *find_export(const wd_module *m, const char *name) {
  return wd_module_find_export(m, name, strlen(name));
}

static bool imports_env(const wd_module *m, const char *name) {
  for (uint32_t i = 0; i < m->nimports; i++)
    if (wd_str_eq(m->imports[i].module, "env") && wd_str_eq(m->imports[i].name, name)) return true;
  return false;
}

bool wd_link_emscripten_version(const wd_module *m, char *buf, size_t size) {
  buf[0] = '\0';
  for (uint32_t i = 0; i < m->nproducers; i++) {
    const wd_producer_field *f = &m->producers[i];
    for (uint32_t k = 0; k < f->nvalues; k++) {
      const wd_producer_value *v = &f->values[k];
      if (wd_str_eq(v->name, "Emscripten") || wd_str_eq(v->name, "emscripten")) {
        snprintf(buf, size, "%.*s", (int)v->version.len, v->version.ptr);
        /* "3.1.64 (hash)" -> "3.1.64" */
        char *sp = strchr(buf, ' ');
        if (sp) *sp = '\0';
        return buf[0] != '\0';
      }
    }
  }
  return false;
}

void wd_link_detect_loader(const wd_link_input *in, wd_loader_choice *out) {
  memset(out, 0, sizeof *out);
  if (in->loader_given) {
    out->version = in->loader;
    out->source = WD_LOADER_FROM_USER;
    return;
  }
  /* 1. the main module's producers section: its build wrote the loader */
  char v[32];
  if (in->main && wd_link_emscripten_version(in->main, v, sizeof v) && wd_loader_nearest(v, &out->version)) {
    out->source = WD_LOADER_FROM_PRODUCERS;
    snprintf(out->evidence, sizeof out->evidence, "%s: Emscripten %s", in->main_name ? in->main_name : "?", v);
    return;
  }
  /* 2. the glue's text */
  if (in->glue && in->glue->loader >= 0 && in->glue->loader < WD_LOADER_COUNT) {
    out->version = (wd_loader_version)in->glue->loader;
    out->source = WD_LOADER_FROM_GLUE;
    snprintf(out->evidence, sizeof out->evidence, "%s", in->glue->loader_evidence);
    return;
  }
  /* 3. the main module's shape: a MAIN_MODULE (dylink.0) that exports its
   *    __stack_pointer and table is not relocatable (4.0.19+) */
  const wd_module *m = in->main;
  if (m && m->dylink.present && find_export(m, "__stack_pointer") &&
      find_export(m, "__indirect_function_table") && !imports_env(m, "__memory_base")) {
    out->version = WD_LOADER_4_0_20;
    out->source = WD_LOADER_FROM_SHAPE;
    snprintf(out->evidence, sizeof out->evidence, "%s exports __stack_pointer and its table",
             in->main_name ? in->main_name : "?");
    return;
  }
  /* 4. a side module's producers: preloaded ones first (Godot's
   *    index.side.wasm is the engine, built with the glue) */
  for (int pass = 0; pass < 2; pass++)
    for (uint32_t i = 0; i < in->nsides; i++) {
      const wd_link_side *sd = &in->sides[i];
      if ((sd->mode == WD_SIDE_PRELOAD) != (pass == 0)) continue;
      if (sd->module && wd_link_emscripten_version(sd->module, v, sizeof v) && wd_loader_nearest(v, &out->version)) {
        out->source = WD_LOADER_FROM_PRODUCERS;
        snprintf(out->evidence, sizeof out->evidence, "%s: Emscripten %s", sd->name ? sd->name : "?", v);
        return;
      }
    }
  out->version = WD_LOADER_3_1_64;
  out->source = WD_LOADER_GUESSED;
}
