/*
 * .gdextension files: [configuration] and [libraries], and Godot's choice of
 * a library for a set of feature tags.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/str.h"
#include "common/i18n.h"
#include "webdoctor/gdextension.h"

/* From the file, or from `text` when it is not NULL. */
static wd_status gdext_load(const char *file, const char *res_path, const char *text, size_t len,
                            wd_gdextension **out, wd_error *err) {
  *out = NULL;
  wd_gdextension *g = calloc(1, sizeof *g);
  if (!g) return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  g->file = wd_strndup(file, strlen(file));
  g->res_path = wd_strndup(res_path ? res_path : file, strlen(res_path ? res_path : file));
  wd_status s = g->file && g->res_path ? WD_OK : wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  if (!s) s = text ? wd_cfg_parse(text, len, file, &g->cfg, err) : wd_cfg_open(file, &g->cfg, err);
  if (s) {
    wd_gdext_free(g);
    return s;
  }
  g->entry_symbol = wd_cfg_get_string(g->cfg, "configuration", "entry_symbol", NULL);
  g->compatibility_minimum = wd_cfg_get_string(g->cfg, "configuration", "compatibility_minimum", NULL);
  /* every [libraries] entry, in file order, over repeated sections */
  for (uint32_t si = 0; si < g->cfg->nsections; si++) {
    const wd_cfg_section *sec = &g->cfg->sections[si];
    if (!wd_str_eq(sec->name, "libraries")) continue;
    for (uint32_t k = 0; k < sec->nentries; k++) {
      const wd_cfg_entry *en = &sec->entries[k];
      const char *path = wd_cfg_string(en->value);
      if (!path) continue;
      wd_gdext_library *v = realloc(g->libs, (g->nlibs + 1) * sizeof *v);
      if (!v) {
        wd_gdext_free(g);
        return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
      }
      g->libs = v;
      wd_gdext_library *l = &v[g->nlibs++];
      memset(l, 0, sizeof *l);
      l->key = en->key.ptr;
      l->path = path;
      l->line = en->key_span.line;
      /* split the key on '.' */
      const char *p = en->key.ptr;
      while (1) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        char **nt = realloc(l->tags, (l->ntags + 1) * sizeof *nt);
        if (!nt || !(nt[l->ntags] = wd_strndup(p, n))) {
          if (nt) l->tags = nt;
          wd_gdext_free(g);
          return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
        }
        l->tags = nt;
        l->ntags++;
        if (!dot) break;
        p = dot + 1;
      }
    }
  }
  *out = g;
  return WD_OK;
}

wd_status wd_gdext_open(const char *file, const char *res_path, wd_gdextension **out,
                        wd_error *err) {
  return gdext_load(file, res_path, NULL, 0, out, err);
}

wd_status wd_gdext_parse(const char *text, size_t len, const char *file, const char *res_path,
                         wd_gdextension **out, wd_error *err) {
  return gdext_load(file, res_path, text, len, out, err);
}

void wd_gdext_free(wd_gdextension *g) {
  if (!g) return;
  for (uint32_t i = 0; i < g->nlibs; i++) {
    for (uint32_t t = 0; t < g->libs[i].ntags; t++) free(g->libs[i].tags[t]);
    free(g->libs[i].tags);
  }
  free(g->libs);
  wd_cfg_free(g->cfg);
  free(g->file);
  free(g->res_path);
  free(g);
}

static bool has(const char *const *f, uint32_t n, const char *tag) {
  for (uint32_t i = 0; i < n; i++)
    if (!strcmp(f[i], tag)) return true;
  return false;
}

int wd_gdext_match(const wd_gdextension *g, const char *const *features, uint32_t nfeatures) {
  int best = -1;
  uint32_t best_tags = 0;
  for (uint32_t i = 0; i < g->nlibs; i++) {
    const wd_gdext_library *l = &g->libs[i];
    bool all = true;
    for (uint32_t t = 0; t < l->ntags && all; t++) all = has(features, nfeatures, l->tags[t]);
    if (!all) continue;
    if (best < 0 || l->ntags > best_tags) {
      best = (int)i;
      best_tags = l->ntags;
    }
  }
  return best;
}

bool wd_gdext_has_web(const wd_gdextension *g) {
  for (uint32_t i = 0; i < g->nlibs; i++)
    for (uint32_t t = 0; t < g->libs[i].ntags; t++)
      if (!strcmp(g->libs[i].tags[t], "web")) return true;
  return false;
}

uint32_t wd_web_export_features(bool threads, bool debug, bool for_desktop, bool for_mobile,
                                int godot_minor, const char **out) {
  uint32_t n = 0;
  out[n++] = "web";
  if (for_desktop) {
    out[n++] = "s3tc";
    if (godot_minor >= 4) out[n++] = "bptc";
  }
  if (for_mobile) {
    out[n++] = "etc2";
    out[n++] = "astc";
  }
  out[n++] = threads ? "threads" : "nothreads";
  out[n++] = "wasm32";
  out[n++] = "template";
  out[n++] = debug ? "debug" : "release";
  out[n++] = debug ? "template_debug" : "template_release";
  out[n++] = "single";
  return n;
}

char *wd_gdext_resolve(const wd_gdextension *g, const char *project_dir, const char *lib_path) {
  size_t n;
  char *p;
  if (!strncmp(lib_path, "res://", 6)) {
    n = strlen(project_dir) + strlen(lib_path);
    if ((p = malloc(n))) snprintf(p, n, "%s/%s", project_dir, lib_path + 6);
    return p;
  }
  if (lib_path[0] == '/') return wd_strndup(lib_path, strlen(lib_path));
  const char *slash = strrchr(g->file, '/');
  size_t dir = slash ? (size_t)(slash - g->file) : 0;
  n = dir + strlen(lib_path) + 2;
  if ((p = malloc(n))) {
    if (dir) snprintf(p, n, "%.*s/%s", (int)dir, g->file, lib_path);
    else snprintf(p, n, "%s", lib_path);
  }
  return p;
}
