/*
 * The export folder reader: the HTML shell, GODOT_CONFIG, and the files.
 *
 * Godot's shell (misc/dist/html/full-size.html) carries
 *   const GODOT_CONFIG = {"args":[],"canvasResizePolicy":2,...};
 *   const GODOT_THREADS_ENABLED = false;
 * as one-line JSON produced by the exporter. Custom shells embed the same
 * object elsewhere (`var cfg = typeof {...} !== 'undefined' ? {...} : {}`),
 * so the reader looks for the first JSON object with an "executable" key.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/limits.h"
#include "common/str.h"
#include "common/i18n.h"
#include "webdoctor/export.h"

/* `const GODOT_CONFIG = {...}` whose object is not JSON: say where. */
static void config_syntax_error(const char *html, size_t len, wd_error *err) {
  static const char key[] = "GODOT_CONFIG";
  for (size_t i = 0; i + sizeof key < len; i++) {
    if (memcmp(html + i, key, sizeof key - 1) != 0) continue;
    size_t j = i + sizeof key - 1;
    while (j < len && (html[j] == ' ' || html[j] == '\t')) j++;
    if (j >= len || html[j] != '=') continue;
    j++;
    while (j < len && (html[j] == ' ' || html[j] == '\t')) j++;
    if (j >= len || html[j] != '{') continue;
    const char *end = NULL;
    cJSON *obj = cJSON_ParseWithLengthOpts(html + j, len - j, &end, false);
    if (obj) {
      cJSON_Delete(obj);
      continue;
    }
    const char *at = cJSON_GetErrorPtr();
    size_t off = at && at >= html && at <= html + len ? (size_t)(at - html) : j;
    uint32_t line = 1, col = 1;
    for (size_t k = 0; k < off; k++) {
      if (html[k] == '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
    }
    wd_error_set(err, WD_ERR_MALFORMED, "%s", W_("GODOT_CONFIG is not valid JSON"));
    err->line = line;
    err->column = col;
    return;
  }
}

cJSON *wd_export_find_config(const char *html, size_t len, uint32_t *line_out, wd_error *err) {
  uint32_t line = 1;
  for (size_t i = 0; i < len; i++) {
    if (html[i] == '\n') line++;
    if (html[i] != '{') continue;
    size_t j = i + 1;
    while (j < len && (html[j] == ' ' || html[j] == '\t' || html[j] == '\n' || html[j] == '\r')) j++;
    if (j >= len || html[j] != '"') continue;
    /* quick filter: the object must mention "executable" soon */
    const char *end = NULL;
    cJSON *obj = cJSON_ParseWithLengthOpts(html + i, len - i, &end, false);
    if (!obj) continue;
    if (cJSON_IsObject(obj) && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(obj, "executable"))) {
      if (line_out) *line_out = line;
      return obj;
    }
    cJSON_Delete(obj);
  }
  if (err) config_syntax_error(html, len, err);
  return NULL;
}

static int threads_flag(const char *html, size_t len) {
  static const char key[] = "GODOT_THREADS_ENABLED";
  size_t k = sizeof key - 1;
  for (size_t i = 0; i + k < len; i++) {
    if (memcmp(html + i, key, k) != 0) continue;
    size_t j = i + k;
    while (j < len && (html[j] == ' ' || html[j] == '\t')) j++;
    if (j >= len || html[j] != '=') continue;
    j++;
    while (j < len && (html[j] == ' ' || html[j] == '\t')) j++;
    if (len - j >= 4 && memcmp(html + j, "true", 4) == 0) return 1;
    if (len - j >= 5 && memcmp(html + j, "false", 5) == 0) return 0;
  }
  return -1;
}

static int add_str(char ***v, uint32_t *n, const char *s, size_t len) {
  for (uint32_t i = 0; i < *n; i++)
    if (strlen((*v)[i]) == len && memcmp((*v)[i], s, len) == 0) return 0;
  char **nv = realloc(*v, (*n + 1) * sizeof *nv);
  if (!nv) return -1;
  *v = nv;
  if (!(nv[*n] = wd_strndup(s, len))) return -1;
  (*n)++;
  return 0;
}

/* $GODOT_URL, $GODOT_CONFIG, ... left in a custom shell */
static int find_placeholders(wd_export_folder *e, const char *html, size_t len) {
  static const char pre[] = "$GODOT_";
  for (size_t i = 0; i + sizeof pre - 1 < len; i++) {
    if (memcmp(html + i, pre, sizeof pre - 1) != 0) continue;
    size_t j = i + 1;
    while (j < len && ((html[j] >= 'A' && html[j] <= 'Z') || html[j] == '_')) j++;
    if (add_str(&e->placeholders, &e->nplaceholders, html + i, j - i)) return -1;
  }
  return 0;
}

/* The export's files: the regular files at the top of the source. */
static wd_status list_files(wd_export_folder *e, wd_error *err) {
  const wd_source *src = e->source;
  uint32_t n = wd_source_count(src), cap = 0;
  for (uint32_t i = 0; i < n; i++) {
    const wd_source_entry *se = wd_source_entry_at(src, i);
    if (se->kind != WD_ENTRY_FILE || strchr(se->path, '/')) continue;
    if (e->nfiles == cap) {
      cap = cap ? cap * 2 : 32;
      wd_export_file *v = realloc(e->files, cap * sizeof *v);
      if (!v) return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
      e->files = v;
    }
    wd_export_file *f = &e->files[e->nfiles];
    memset(f, 0, sizeof *f);
    if (!(f->name = wd_strdup(se->path))) return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
    f->exists = true;
    f->size = se->size;
    e->total_size += f->size;
    e->nfiles++;
  }
  /* the source is sorted by path, and so are its top-level files */
  return WD_OK;
}

const wd_export_file *wd_export_folder_find(const wd_export_folder *e, const char *name) {
  size_t lo = 0, hi = e->nfiles;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(e->files[mid].name, name);
    if (c == 0) return &e->files[mid];
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return NULL;
}

char *wd_export_folder_path(const wd_export_folder *e, const char *name) {
  const char *dir = wd_source_dir(e->source);
  if (!dir) return NULL;
  return wd_asprintf("%s/%s", dir, name);
}

/* Choose the shell: an .html whose base name has a .js and a .wasm beside it,
 * index.html first; then any .html holding GODOT_CONFIG. */
static wd_status read_shell(wd_export_folder *e, wd_error *err) {
  const char *best = NULL;
  for (uint32_t pass = 0; pass < 2 && !best; pass++) {
    for (uint32_t i = 0; i < e->nfiles; i++) {
      const char *n = e->files[i].name;
      if (!wd_ends_with(n, ".html")) continue;
      if (pass == 0 && strcmp(n, "index.html") != 0) continue;
      size_t base = strlen(n) - 5;
      char js[1024], wasm[1024];
      if (base + 6 > sizeof js) continue;
      snprintf(js, sizeof js, "%.*s.js", (int)base, n);
      snprintf(wasm, sizeof wasm, "%.*s.wasm", (int)base, n);
      if (wd_export_folder_find(e, js) && wd_export_folder_find(e, wasm)) {
        best = n;
        break;
      }
    }
  }
  /* try every html for a GODOT_CONFIG, the preferred one first */
  for (int pass = 0; pass < 2; pass++) {
    for (uint32_t i = 0; i < e->nfiles; i++) {
      const char *n = e->files[i].name;
      if (!wd_ends_with(n, ".html")) continue;
      if (pass == 0 ? (best == NULL || strcmp(n, best) != 0) : (best && strcmp(n, best) == 0))
        continue;
      wd_source_data f;
      wd_error ferr;
      wd_error_clear(&ferr);
      wd_status s = wd_source_read(e->source, n, WD_MAX_SHELL_SIZE, &f, &ferr);
      if (s) {
        *err = ferr;
        return s;
      }
      uint32_t line = 0;
      wd_error cerr;
      wd_error_clear(&cerr);
      cJSON *cfg = wd_export_find_config((const char *)f.data, (size_t)f.size, &line, &cerr);
      if (!cfg && cerr.code && !e->config_error[0]) {
        snprintf(e->config_error, sizeof e->config_error, "%s", cerr.msg);
        snprintf(e->config_error_en, sizeof e->config_error_en, "%s", cerr.msg_en);
        e->config_error_line = cerr.line;
        e->config_error_column = cerr.column;
        free(e->config_error_file);
        e->config_error_file = wd_strdup(n);
      }
      if (cfg || (pass == 0 && best)) {
        e->shell = wd_strdup(n);
        e->shell_line = line;
        e->config = cfg;
        e->has_config = cfg != NULL;
        e->threads_enabled = threads_flag((const char *)f.data, (size_t)f.size);
        int rc = find_placeholders(e, (const char *)f.data, (size_t)f.size);
        wd_source_data_release(&f);
        if (!e->shell || rc) return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
        if (cfg) return WD_OK;
        continue;
      }
      wd_source_data_release(&f);
    }
  }
  return WD_OK;
}

static wd_status read_config(wd_export_folder *e, wd_error *err) {
  const cJSON *c = e->config;
  const cJSON *exe = cJSON_GetObjectItemCaseSensitive(c, "executable");
  e->executable = wd_strdup(cJSON_IsString(exe) ? exe->valuestring : "index");
  const cJSON *mp = cJSON_GetObjectItemCaseSensitive(c, "mainPack");
  if (cJSON_IsString(mp)) {
    e->main_pack = wd_strdup(mp->valuestring);
  } else if (e->executable) {
    size_t n = strlen(e->executable) + 5;
    if ((e->main_pack = malloc(n))) snprintf(e->main_pack, n, "%s.pck", e->executable);
  }
  e->ensure_coi = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "ensureCrossOriginIsolationHeaders"));
  const cJSON *sw = cJSON_GetObjectItemCaseSensitive(c, "serviceWorker");
  if (cJSON_IsString(sw) && sw->valuestring[0]) e->service_worker = wd_strdup(sw->valuestring);
  const cJSON *libs = cJSON_GetObjectItemCaseSensitive(c, "gdextensionLibs");
  const cJSON *it;
  cJSON_ArrayForEach(it, libs) {
    if (cJSON_IsString(it) && add_str(&e->gdextension_libs, &e->nlibs, it->valuestring, strlen(it->valuestring)))
      return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  }
  const cJSON *sizes = cJSON_GetObjectItemCaseSensitive(c, "fileSizes");
  cJSON_ArrayForEach(it, sizes) {
    if (!cJSON_IsNumber(it) || !it->string) continue;
    wd_export_file *f = (wd_export_file *)wd_export_folder_find(e, it->string);
    if (f) {
      f->listed_size = true;
      f->expected = it->valuedouble < 0 ? 0 : (uint64_t)it->valuedouble;
    }
  }
  if (!e->executable || !e->main_pack) return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  return WD_OK;
}

wd_status wd_export_open(const wd_source *src, wd_export_folder **out, wd_error *err) {
  *out = NULL;
  wd_export_folder *e = calloc(1, sizeof *e);
  if (!e) return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  e->threads_enabled = -1;
  e->source = src;
  const char *dir = wd_source_dir(src) ? wd_source_dir(src) : wd_source_name(src);
  e->dir = wd_strdup(dir);
  wd_status s = e->dir ? WD_OK : wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  if (!s) s = list_files(e, err);
  if (!s) s = read_shell(e, err);
  if (!s && e->config) s = read_config(e, err);
  if (s) {
    wd_export_folder_free(e);
    return s;
  }
  *out = e;
  return WD_OK;
}

wd_status wd_export_folder_open(const char *dir, wd_export_folder **out, wd_error *err) {
  *out = NULL;
  wd_source *src;
  wd_status s = wd_source_open_folder(dir, &src, err);
  if (s) return s;
  s = wd_export_open(src, out, err);
  if (s) {
    wd_source_free(src);
    return s;
  }
  (*out)->internal = src;
  return WD_OK;
}

void wd_export_folder_free(wd_export_folder *e) {
  if (!e) return;
  for (uint32_t i = 0; i < e->nfiles; i++) free(e->files[i].name);
  free(e->files);
  for (uint32_t i = 0; i < e->nlibs; i++) free(e->gdextension_libs[i]);
  free(e->gdextension_libs);
  for (uint32_t i = 0; i < e->nplaceholders; i++) free(e->placeholders[i]);
  free(e->placeholders);
  cJSON_Delete(e->config);
  free(e->dir);
  free(e->shell);
  free(e->executable);
  free(e->main_pack);
  free(e->service_worker);
  free(e->config_error_file);
  wd_source_free(e->internal);
  free(e);
}
