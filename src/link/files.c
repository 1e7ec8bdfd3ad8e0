/*
 * Opening the files of a link: which one is the main module (it need not
 * be named first), how each side module loads, and the dylink.0 NEEDED
 * libraries the loader would request next to the library that needs them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "webdoctor/link.h"

typedef struct set_internal {
  wd_module **mods;       /* every opened module, in file order then NEEDED */
  char **paths;           /* owned copies */
  bool *preload;
  uint32_t n, cap;
} set_internal;

static const char *base_name(const char *p) {
  const char *s = strrchr(p, '/');
  return s ? s + 1 : p;
}

static bool ends_with(const char *s, const char *suf) {
  size_t a = strlen(s), b = strlen(suf);
  return a >= b && strcmp(s + a - b, suf) == 0;
}

bool wd_link_is_side_module(const wd_module *m) {
  if (!m->dylink.present) return false;
  /* a main module defines (or, relocatable, imports from env) what a side
   * module only imports: a side module neither defines a memory it exports
   * nor exports __stack_pointer, and imports its memory */
  for (uint32_t i = 0; i < m->nexports; i++) {
    const wd_export *e = &m->exports[i];
    if (e->kind == WD_EXTERN_MEMORY && e->index >= m->nimported_memories) return false;
    if (e->kind == WD_EXTERN_GLOBAL && wd_str_eq(e->name, "__stack_pointer")) return false;
  }
  /* MAIN_MODULE builds that import their memory (relocatable mains, threads):
   * the main module's dylink.0 has no memory of its own (wasm-ld -pie puts
   * its data at __memory_base, but Emscripten's main imports
   * __heap_base/__stack_high through GOT.mem or env) */
  for (uint32_t i = 0; i < m->nimports; i++) {
    const wd_import *im = &m->imports[i];
    if (wd_str_eq(im->name, "__heap_base") || wd_str_eq(im->name, "__stack_high")) return false;
  }
  /* the runtime's stack functions live in the main module's libc */
  static const char *const stack_fns[] = {"emscripten_stack_init", "_emscripten_stack_alloc", "stackAlloc",
                                          "stackSave", "emscripten_stack_get_current"};
  for (size_t k = 0; k < sizeof stack_fns / sizeof *stack_fns; k++)
    if (wd_module_find_export(m, stack_fns[k], strlen(stack_fns[k]))) return false;
  return true;
}

static wd_status add(set_internal *in, wd_module *m, const char *path, bool preload, wd_error *err) {
  if (in->n == in->cap) {
    uint32_t cap = in->cap ? in->cap * 2 : 8;
    wd_module **nm = realloc(in->mods, cap * sizeof *nm);
    if (nm) in->mods = nm;
    char **np = realloc(in->paths, cap * sizeof *np);
    if (np) in->paths = np;
    bool *nb = realloc(in->preload, cap * sizeof *nb);
    if (nb) in->preload = nb;
    if (!nm || !np || !nb) return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
    in->cap = cap;
  }
  size_t len = strlen(path);
  char *c = malloc(len + 1);
  if (!c) return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  memcpy(c, path, len + 1);
  in->mods[in->n] = m;
  in->paths[in->n] = c;
  in->preload[in->n] = preload;
  in->n++;
  return WD_OK;
}

/* NEEDED libraries not given: looked up next to the library that needs them. */
static wd_status open_needed(set_internal *in, wd_error *err) {
  for (uint32_t i = 0; i < in->n; i++) {
    const wd_module *m = in->mods[i];
    for (uint32_t k = 0; k < m->dylink.nneeded; k++) {
      wd_str need = m->dylink.needed[k];
      bool have = false;
      for (uint32_t j = 0; j < in->n && !have; j++)
        have = wd_str_eq(need, base_name(in->paths[j]));
      if (have || need.len == 0 || memchr(need.ptr, '/', need.len)) continue;
      const char *slash = strrchr(in->paths[i], '/');
      size_t dirlen = slash ? (size_t)(slash - in->paths[i]) + 1 : 0;
      size_t plen = dirlen + need.len + 1;
      char *path = malloc(plen);
      if (!path) return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
      snprintf(path, plen, "%.*s%.*s", (int)dirlen, in->paths[i], (int)need.len, need.ptr);
      FILE *probe = fopen(path, "rb");
      if (!probe) {
        free(path); /* the model reports it as missing */
        continue;
      }
      fclose(probe);
      wd_read_options ro = {.skip_code = true};
      wd_module *nm = NULL;
      wd_status s = wd_module_open(path, &ro, &nm, err);
      if (!s) s = add(in, nm, path, in->preload[i], err);
      else nm = NULL;
      free(path);
      if (s) {
        wd_module_free(nm);
        return s;
      }
    }
  }
  return WD_OK;
}

void wd_link_set_free(wd_link_set *s) {
  if (!s) return;
  set_internal *in = s->internal;
  if (in) {
    for (uint32_t i = 0; i < in->n; i++) {
      wd_module_free(in->mods[i]);
      free(in->paths[i]);
    }
    free(in->mods);
    free(in->paths);
    free(in->preload);
    free(in);
  }
  free(s->sides);
  free(s->side_paths);
  free(s);
}

wd_status wd_link_set_open(const wd_link_file *files, uint32_t n, wd_link_set **out, wd_error *err) {
  *out = NULL;
  wd_link_set *s = calloc(1, sizeof *s);
  set_internal *in = calloc(1, sizeof *in);
  if (!s || !in) {
    free(s);
    free(in);
    return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  }
  s->internal = in;
  wd_status st = WD_OK;
  wd_read_options ro = {.skip_code = true};
  for (uint32_t i = 0; i < n && !st; i++) {
    wd_module *m = NULL;
    st = wd_module_open(files[i].path, &ro, &m, err);
    if (!st) {
      st = add(in, m, files[i].path, files[i].preload, err);
      if (st) wd_module_free(m);
    }
  }
  /* the main module: the first file that is not a side module. A file
   * given with --preload is loaded after the main module whatever its
   * position. */
  uint32_t main = UINT32_MAX;
  for (uint32_t i = 0; i < in->n && !st; i++) {
    if (wd_link_is_side_module(in->mods[i]) || in->preload[i]) continue;
    if (main == UINT32_MAX) main = i;
    else s->two_mains = true;
  }
  if (!st && main == UINT32_MAX) {
    /* every file looks like a side module: the first one not preloaded
     * plays the main module, as named */
    for (uint32_t i = 0; i < in->n && main == UINT32_MAX; i++)
      if (!in->preload[i]) main = i;
    if (main == UINT32_MAX)
      st = wd_error_set(err, WD_ERR_USAGE, "%s", W_("no main module among the files: every file is given with --preload"));
  }
  if (!st && main != 0) s->moved_first = in->paths[0];
  uint32_t ngiven = in->n;
  if (!st) st = open_needed(in, err);
  if (!st) {
    s->sides = calloc(in->n ? in->n : 1, sizeof *s->sides);
    s->side_paths = calloc(in->n ? in->n : 1, sizeof *s->side_paths);
    if (!s->sides || !s->side_paths) st = wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  }
  if (!st) {
    s->main = in->mods[main];
    s->main_path = in->paths[main];
    for (uint32_t i = 0; i < in->n; i++) {
      if (i == main) continue;
      wd_link_side *sd = &s->sides[s->nsides];
      sd->module = in->mods[i];
      sd->name = base_name(in->paths[i]);
      sd->mode = in->preload[i] || ends_with(in->paths[i], ".side.wasm") ? WD_SIDE_PRELOAD : WD_SIDE_EXTENSION;
      s->side_paths[s->nsides++] = in->paths[i];
    }
  }
  (void)ngiven;
  if (st) {
    wd_link_set_free(s);
    return st;
  }
  *out = s;
  return WD_OK;
}
