#define _GNU_SOURCE /* memmem */
/*
 * Checks of a Godot web export folder (WD1xx through the link model, WD2xx).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/limits.h"
#include "common/str.h"
#include "check/check_int.h"
#include "common/file.h"
#include "common/i18n.h"
#include "webdoctor/cfg.h"
#include "webdoctor/compile_error.h"
#include "webdoctor/export.h"
#include "webdoctor/gdextension.h"
#include "webdoctor/pck.h"

#define OOM_IF(x)            \
  do {                       \
    if (x) goto oom;         \
  } while (0)

typedef struct ctx {
  const wd_export_folder *e;
  const wd_check_options *o;
  wd_findings *out;
  wd_source_data js;      /* the engine's JS glue; js.data NULL when there is none */
  uint32_t nkeep;
  wd_source_data keep[68]; /* the bytes of the modules opened (they must outlive them) */
} ctx;

/* A file the page requests: report it when missing or of the wrong size. */
static int require_file(ctx *c, const char *name, const char *why) {
  const wd_export_file *f = wd_export_folder_find(c->e, name);
  for (uint32_t i = 0; !f && c->o->served && i < c->o->nmeasured; i++) /* the caller reports on it */
    if (!strcmp(c->o->measured[i], name)) return 0;
  for (uint32_t i = 0; !f && i < c->out->n; i++) /* reported already */
    if (c->out->v[i].code == WD201 && c->out->v[i].file && !strcmp(c->out->v[i].file, name)) return 0;
  if (!f) {
    wd_finding *fd = wd_findings_add(c->out, WD201, name,
                                     N_("%s is missing: %s"), name, why);
    if (!fd) return WDI_OOM;
    if (wd_finding_explain(fd, N_("The page requests %s; without it the engine stops on the loading "
                                 "screen (the browser console shows a 404 or \"Failed loading "
                                 "file\")."), name) ||
        wd_finding_add_fix(fd, N_("Upload every file of the export, keeping the names Godot gave them "
                                 "(they must match the name set at export)."), NULL))
      return WDI_OOM;
  }
  return 0;
}

static int check_sizes(ctx *c) {
  const wd_export_folder *e = c->e;
  for (uint32_t i = 0; i < e->nfiles; i++) {
    const wd_export_file *f = &e->files[i];
    if (!f->listed_size || f->size == f->expected) continue;
    wd_finding *fd = wd_findings_add(c->out, WD202, f->name,
                                     N_("%s is %llu bytes, but GODOT_CONFIG.fileSizes says %llu"), f->name,
                                     (unsigned long long)f->size, (unsigned long long)f->expected);
    if (!fd) return WDI_OOM;
    fd->line = e->shell_line;
    if (wd_finding_explain(fd, N_("The shell (%s) was written for another build of this file: the file "
                                 "was replaced, truncated by an upload, or comes from another export. "
                                 "The loading bar will be wrong, and mixed builds fail to link."),
                           e->shell) ||
        wd_finding_add_fix(fd, N_("Export again into an empty folder and upload the whole folder."), NULL))
      return WDI_OOM;
  }
  /* fileSizes naming files that are not there */
  const cJSON *sizes = cJSON_GetObjectItemCaseSensitive(e->config, "fileSizes");
  const cJSON *it;
  cJSON_ArrayForEach(it, sizes) {
    if (!it->string || wd_export_folder_find(e, it->string)) continue;
    int rc = require_file(c, it->string, W_("GODOT_CONFIG.fileSizes lists it"));
    if (rc) return rc;
  }
  return 0;
}

static void load_js(ctx *c, const char *name) {
  wd_source_data f;
  wd_error err;
  wd_error_clear(&err);
  if (wd_export_folder_find(c->e, name) && wd_source_read(c->e->source, name, WD_MAX_ENGINE_JS_SIZE, &f, &err) == WD_OK)
    c->js = f;
}

static bool js_mentions(const ctx *c, const char *s) {
  return c->js.data && memmem(c->js.data, (size_t)c->js.size, s, strlen(s)) != NULL;
}

/* The browsers' CompileError for a module the reader rejects, as the
 * finding's engine message (only the texts that were measured). */
static int compile_error_message(ctx *c, const char *name, const wd_error *rerr, wd_finding *f) {
  if (rerr->code != WD_ERR_MALFORMED) return 0;
  wd_source_data file;
  wd_error err;
  wd_error_clear(&err);
  wd_status s = wd_source_read(c->e->source, name, 0, &file, &err);
  if (s == WD_ERR_NOMEM) return WDI_OOM;
  if (s != WD_OK) return 0;
  char lines[2048];
  int rc = 0;
  if (wd_compile_error_lines(file.data, file.size, rerr->has_offset ? rerr->offset : UINT64_MAX, false, lines,
                             sizeof lines) &&
      wd_finding_set_engine_message(f, lines))
    rc = WDI_OOM;
  wd_source_data_release(&file);
  return rc;
}

/* Read and parse a module of the export; its bytes stay in c->keep until
 * the end of the check (a module points into them). */
static wd_status read_module(ctx *c, const char *name, const wd_read_options *ro, wd_module **out, wd_error *err) {
  *out = NULL;
  wd_error_clear(err);
  if (c->nkeep == sizeof c->keep / sizeof *c->keep)
    return wd_error_set(err, WD_ERR_LIMIT, "%s", W_("too many modules"));
  wd_source_data *d = &c->keep[c->nkeep];
  /* a module decoded in full is read into huge pages where it can be,
   * and parsed as it is read in */
  wd_status s = wd_module_read_source(c->e->source, name, ro, d, out, err);
  if (s) return s;
  c->nkeep++;
  return WD_OK;
}

static void release_module(ctx *c, wd_module *m) {
  if (!m) return;
  const uint8_t *data = m->data;
  wd_module_free(m);
  for (uint32_t i = c->nkeep; i-- > 0;)
    if (c->keep[i].data == data) {
      wd_source_data_release(&c->keep[i]);
      c->keep[i] = c->keep[--c->nkeep];
      return;
    }
}

/* Open a module of the export; a parse failure becomes WD100. */
static int open_module(ctx *c, const char *name, wd_module **out) {
  *out = NULL;
  if (!wd_export_folder_find(c->e, name)) return 0;
  wd_read_options ro = {.skip_code = c->o->no_code, .threads = c->o->threads};
  wd_error err;
  wd_status s = read_module(c, name, &ro, out, &err);
  if (s == WD_ERR_NOMEM) return WDI_OOM;
  if (s) {
    wd_finding *f = wd_findings_add(c->out, WD100, name, N_("%s cannot be read: %s%s%s"),
                                    name, err.where[0] ? err.where : "", err.where[0] ? ", " : "", err.msg);
    /* the error as worded in English and in the active language */
    if (!f || wd_msg_set_arg_text2(&f->message, 1, err.where_en, err.where) ||
        wd_msg_set_arg_text2(&f->message, 3, err.msg_en, err.msg))
      return WDI_OOM;
    if (err.has_offset) {
      f->offset = err.offset;
      f->has_offset = true;
    }
    if (compile_error_message(c, name, &err, f)) return WDI_OOM;
    if (wd_finding_explain(f, N_("Browsers reject this file with a CompileError. An HTML page in its "
                                "place means the server answered with an error or a fallback page; "
                                "a truncated file means an incomplete upload.")) ||
        wd_finding_add_fix(f, N_("Export again and upload the file unchanged (binary mode, no "
                                "rewriting proxies)."), NULL))
      return WDI_OOM;
  }
  return 0;
}

static int check_isolation(ctx *c, bool threads) {
  const wd_export_folder *e = c->e;
  const wd_host_info *h = wd_host_get(c->o->host);
  if (!threads || c->o->served) return 0;
  wd_finding *f;
  bool sw = e->service_worker && e->ensure_coi && wd_export_folder_find(e, e->service_worker);
  if (sw) {
    f = wd_findings_add_as(c->out, WD203, WD_SEV_INFO, e->service_worker,
                        N_("threaded export: the PWA service worker makes the page cross-origin isolated after one reload"));
    if (!f) return WDI_OOM;
    return wd_finding_explain(f, N_("%s adds Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy "
                                   "to every response, so SharedArrayBuffer works even where the host "
                                   "sends no headers; the first visit reloads once, and it needs HTTPS "
                                   "(or localhost)."), e->service_worker) ? WDI_OOM : 0;
  }
  wd_severity sev = wd_host_cannot_isolate(c->o->host) ? WD_SEV_ERROR : WD_SEV_WARNING;
  f = wd_findings_add_as(c->out, WD203, sev, e->shell,
                      N_("the engine was built with threads: the page must be served cross-origin isolated"));
  if (!f) return WDI_OOM;
  if (c->o->host != WD_HOST_UNKNOWN && !h->can_set_headers) {
    OOM_IF(wd_finding_explain(f, N_("The engine's memory is shared (threads), which needs SharedArrayBuffer, "
                                   "which browsers give only to pages sent with "
                                   "Cross-Origin-Opener-Policy: same-origin and "
                                   "Cross-Origin-Embedder-Policy: require-corp. %s cannot send these "
                                   "headers, so the page will show \"The following features required to "
                                   "run Godot projects on the Web are missing: Cross-Origin Isolation\"."),
                               h->name));
  } else {
    OOM_IF(wd_finding_explain(f, N_("The engine's memory is shared (threads), which needs SharedArrayBuffer, "
                                   "which browsers give only to pages sent with "
                                   "Cross-Origin-Opener-Policy: same-origin and "
                                   "Cross-Origin-Embedder-Policy: require-corp. Hosts that can send them: "
                                   "itch.io (tick \"SharedArrayBuffer support\"), Netlify, Cloudflare Pages, "
                                   "Vercel, Firebase, your own nginx/Apache/Caddy. GitHub Pages and GitLab "
                                   "Pages cannot.")));
  }
  OOM_IF(wd_finding_add_fix(f, N_("Send the headers: `webdoctor headers --host HOST` prints the "
                                 "configuration for your host (itch.io: Edit game > Embed options > "
                                 "SharedArrayBuffer support)."),
                            N_("keeps threads; isolation blocks cross-origin ads and embeds")));
  OOM_IF(wd_finding_add_fix(f, N_("Or export as a progressive web app (Progressive Web App > Enabled, with "
                                 "Ensure Cross Origin Isolation Headers): its service worker adds the "
                                 "headers on any HTTPS host."),
                            N_("one reload on the first visit; cached files can outlive an update")));
  OOM_IF(wd_finding_add_fix(f, N_("Or turn Thread Support off in the Web export preset (Godot 4.3+), with "
                                 "nothreads builds of every GDExtension."),
                            N_("deploys anywhere; no threads")));
  if (c->o->host == WD_HOST_ITCH) OOM_IF(wdi_itch_isolation_note(c->out, e->shell));
  return 0;
oom:
  return WDI_OOM;
}

/* Does a page or script of the export name `name`? */
static bool export_names(const ctx *c, const char *name) {
  if (js_mentions(c, name)) return true;
  const wd_export_folder *e = c->e;
  bool found = false;
  for (uint32_t i = 0; !found && i < e->nfiles; i++) {
    const char *n = e->files[i].name;
    if (!wd_ends_with(n, ".html") && !wd_ends_with(n, ".js") && !wd_ends_with(n, ".htm")) continue;
    wd_source_data f;
    wd_error err;
    wd_error_clear(&err);
    if (wd_source_read(e->source, n, (uint64_t)64 << 20, &f, &err) == WD_OK) {
      found = memmem(f.data, (size_t)f.size, name, strlen(name)) != NULL;
      wd_source_data_release(&f);
    }
  }
  return found;
}

/* WD221: itch.io unpacks gzip data it is given (itchio/itch.io#1180: by its
 * content, whatever the name), so a loader that inflates the file itself
 * gets plain bytes: pako says "incorrect header check". */
static int check_host_gzip(ctx *c) {
  const wd_export_folder *e = c->e;
  if (c->o->host != WD_HOST_ITCH) return 0;
  const wd_host_info *h = wd_host_get(c->o->host);
  for (uint32_t i = 0; i < e->nfiles; i++) {
    const wd_export_file *ef = &e->files[i];
    if (ef->size < 18) continue;
    /* the first bytes (a folder maps the file; a zip entry is inflated) */
    wd_source_data d;
    wd_error rerr;
    wd_error_clear(&rerr);
    wd_status rs = wd_source_read(e->source, ef->name, 0, &d, &rerr);
    if (rs == WD_ERR_NOMEM) return WDI_OOM;
    bool gz = !rs && d.size >= 3 && d.data[0] == 0x1f && d.data[1] == 0x8b && d.data[2] == 0x08;
    wd_source_data_release(&d);
    if (!gz) continue;
    const char *base = strrchr(ef->name, '/');
    base = base ? base + 1 : ef->name;
    bool named = export_names(c, base);
    wd_finding *f = named ? wd_findings_add(c->out, WD221, ef->name,
                                            N_("%s is gzip data that the page inflates itself, but %s serves it "
                                              "already decompressed"),
                                            ef->name, h->name)
                          : wd_findings_add_as(c->out, WD221, WD_SEV_WARNING, ef->name,
                                               N_("%s is gzip data, and %s serves it decompressed"), ef->name,
                                               h->name);
    if (!f) return WDI_OOM;
    if ((named && wd_finding_set_engine_message(f, "Uncaught (in promise) incorrect header check")) ||
        wd_finding_explain(f, N_("%s decompresses gzip files of an upload (it recognises them by their "
                                "content, whatever their name: itchio/itch.io#1180) and serves them "
                                "decompressed, so the page receives plain bytes. A loader that "
                                "inflates the download itself (the gzip export plugins for Godot use pako or "
                                "DecompressionStream) then fails on the missing gzip header and the game stays "
                                "on the loading screen (markushevpro/godot-minimize-html-build#1, #14)."),
                           h->name) ||
        wd_finding_add_fix(f, N_("Upload the export without precompressed copies (turn the compression plugin "
                                "off for this upload)."),
                           N_("a larger download")) ||
        wd_finding_add_fix(f, N_("Or make the loader inflate only data that starts with the gzip header (1f 8b) "
                                "and use the bytes as they are otherwise."),
                           N_("an edit of the plugin's loader, to redo after each plugin update")) ||
        wd_finding_add_fix(f, N_("Or host the game where files are served as uploaded (Netlify, Cloudflare "
                                "Pages, your own server) and embed it."),
                           N_("another host to run")))
      return WDI_OOM;
  }
  return 0;
}

static int check_service_worker(ctx *c) {
  const wd_export_folder *e = c->e;
  if (!e->service_worker || !wd_export_folder_find(e, e->service_worker)) return 0;
  wd_source_data f;
  wd_error err;
  wd_error_clear(&err);
  wd_status s = wd_source_read(e->source, e->service_worker, WD_MAX_SERVICE_WORKER_SIZE, &f, &err);
  if (s) return 0;
  int rc = 0;
  static const char key[] = "CACHED_FILES";
  const char *t = (const char *)f.data;
  for (size_t i = 0; i + sizeof key < f.size; i++) {
    if (memcmp(t + i, key, sizeof key - 1) != 0) continue;
    size_t j = i + sizeof key - 1;
    while (j < f.size && (t[j] == ' ' || t[j] == '=')) j++;
    if (j >= f.size || t[j] != '[') continue;
    cJSON *arr = cJSON_ParseWithLengthOpts(t + j, (size_t)f.size - j, NULL, false);
    const cJSON *it;
    cJSON_ArrayForEach(it, arr) {
      if (!cJSON_IsString(it) || wd_export_folder_find(e, it->valuestring)) continue;
      wd_finding *fd = wd_findings_add(c->out, WD209, e->service_worker,
                                       N_("the service worker caches %s, which is not in the export"),
                                       it->valuestring);
      if (!fd || wd_finding_explain(fd, N_("The service worker's install step fetches every file of "
                                          "CACHED_FILES; one missing file makes the installation fail, so "
                                          "the page never works offline and never gets its isolation "
                                          "headers (Godot 4.3 listed index.worker.js, which it no longer "
                                          "writes: godotengine/godot#100089).")) ||
          wd_finding_add_fix(fd, N_("Remove the entry from CACHED_FILES in the service worker, or upgrade "
                                   "to Godot 4.4, which fixed the list."), NULL)) {
        rc = WDI_OOM;
        break;
      }
    }
    cJSON_Delete(arr);
    break;
  }
  wd_source_data_release(&f);
  return rc;
}

/* The first "Godot Engine v<major>.<minor>" that starts in [from, to);
 * the numbers and the label may run on to `end`. 1 and the numbers, or 0. */
static int find_godot_version(const uint8_t *from, const uint8_t *to, const uint8_t *end, unsigned *major,
                              unsigned *minor, unsigned *patch, char *label, size_t label_size) {
  static const char key[] = "Godot Engine v";
  const size_t kl = sizeof key - 1;
  const uint8_t *p = from;
  while (p + kl <= to && p + kl < end && (p = memmem(p, (size_t)(to - p), key, kl)) != NULL) {
    const uint8_t *q = p + kl;
    unsigned v[3] = {0, 0, 0};
    int parts = 0;
    while (parts < 3 && q < end && *q >= '0' && *q <= '9') {
      unsigned n = 0;
      while (q < end && *q >= '0' && *q <= '9' && n < 100000) n = n * 10 + (unsigned)(*q++ - '0');
      v[parts++] = n;
      if (q < end && *q == '.' && q + 1 < end && q[1] >= '0' && q[1] <= '9') q++;
      else break;
    }
    if (parts >= 2 && v[0] >= 3) {
      *major = v[0];
      *minor = v[1];
      *patch = v[2];
      size_t n = 0;
      while (p + kl + n < end && n + 1 < label_size && p[kl + n] >= ' ' && p[kl + n] < 0x7f) n++;
      snprintf(label, label_size, "%.*s", (int)n, (const char *)p + kl);
      return 1;
    }
    p += kl;
  }
  return 0;
}

/* The Godot version an engine .wasm names in its data ("Godot Engine
 * v4.6.stable.official", the line it prints at start): 1 and the numbers,
 * or 0 when the file is not a Godot engine (or not readable). With the
 * engine parsed (m), its data segments are searched first: the string is
 * one of them, and the code before them is most of the file (on the
 * 37.7 MB Godot engine, searching the whole file was half the time
 * check --no-code took). */
static int engine_godot_version(const ctx *c, const char *wasm, const wd_module *m, unsigned *major,
                                unsigned *minor, unsigned *patch, char *label, size_t label_size) {
  if (m) {
    const uint8_t *end = m->data + m->size;
    for (uint32_t i = 0; i < m->ndatas; i++) {
      const uint8_t *seg = m->data + m->datas[i].data_offset;
      if (find_godot_version(seg, seg + m->datas[i].size, end, major, minor, patch, label, label_size))
        return 1;
    }
  }
  wd_source_data f;
  wd_error err;
  wd_error_clear(&err);
  if (!wd_export_folder_find(c->e, wasm) || wd_source_read(c->e->source, wasm, (uint64_t)1 << 30, &f, &err))
    return 0;
  int found = find_godot_version(f.data, f.data + f.size, f.data + f.size, major, minor, patch, label,
                                 label_size);
  wd_source_data_release(&f);
  return found;
}

/* WD220: a pack from a newer Godot than the engine (custom or stale
 * templates). Godot refuses a pack whose major.minor is above its own
 * (core/io/file_access_pack.cpp), and a 4.4+ pack (format 3) in an older
 * engine fails on the format first. */
static int check_pck_version(ctx *c, const wd_pck *pck, const char *wasm, const wd_module *engine) {
  unsigned maj, min, patch;
  char label[96];
  if (!pck->godot_major || !engine_godot_version(c, wasm, engine, &maj, &min, &patch, label, sizeof label))
    return 0;
  bool newer = pck->godot_major > maj || (pck->godot_major == maj && pck->godot_minor > min);
  if (!newer) return 0;
  char em[256];
  unsigned max_format = maj > 4 || (maj == 4 && min >= 4) ? 3 : 2;
  if (pck->format_version > max_format)
    snprintf(em, sizeof em, "ERROR: Pack version unsupported: %u.", pck->format_version);
  else if (maj > 4 || (maj == 4 && min >= 4))
    snprintf(em, sizeof em, "ERROR: Pack created with a newer version of the engine: %u.%u.%u.", pck->godot_major,
             pck->godot_minor, pck->godot_patch);
  else
    snprintf(em, sizeof em, "ERROR: Pack created with a newer version of the engine: %u.%u.", pck->godot_major,
             pck->godot_minor);
  wd_finding *f = wd_findings_add(c->out, WD220, c->e->main_pack,
                                  N_("%s was made by Godot %u.%u.%u, but %s is the engine of Godot %u.%u (%s)"),
                                  c->e->main_pack, pck->godot_major, pck->godot_minor, pck->godot_patch, wasm, maj,
                                  min, label);
  if (!f) return WDI_OOM;
  f->offset = pck->start + 8;
  f->has_offset = true;
  if (wd_finding_set_engine_message(f, em) ||
      wd_finding_explain(f, N_("Godot refuses a pack written by a newer minor version than its own, so the "
                              "engine stops with \"Couldn't load project data at path \".\". Is the .pck file "
                              "missing?\". The editor that exported the project is newer than the export "
                              "template: a custom template (Export > Custom Template) or templates left from "
                              "an older Godot, or a .pck uploaded over an older export.")) ||
      wd_finding_add_fix(f, N_("Export with the templates of the editor's own version (Editor > Manage Export "
                              "Templates > Download), with Custom Template cleared."),
                         NULL) ||
      wd_finding_add_fix(f, N_("Or rebuild the custom template from the editor's Godot version (same major.minor), "
                              "with the same options (threads, dlink_enabled)."),
                         N_("a template build takes long; its Emscripten must be the one that version supports")) ||
      wd_finding_add_fix(f, N_("Or export the project with the older editor the template belongs to."),
                         N_("features of the newer version are lost")))
    return WDI_OOM;
  return 0;
}

/* WD123 for the web libraries of extension g that the export ships: a
 * [libraries] web.* value whose file name GODOT_CONFIG.gdextensionLibs lists
 * (Godot copies each library to the export under its file name). */
static int check_entry_symbols(ctx *c, const wd_gdextension *g, wd_module *const *libs, bool *checked) {
  const wd_export_folder *e = c->e;
  for (uint32_t l = 0; l < g->nlibs; l++) {
    const wd_gdext_library *lib = &g->libs[l];
    if (strncmp(lib->key, "web.", 4) != 0 && strcmp(lib->key, "web") != 0) continue;
    const char *base = strrchr(lib->path, '/');
    base = base ? base + 1 : lib->path;
    for (uint32_t k = 0; k < e->nlibs; k++) {
      const char *lb = strrchr(e->gdextension_libs[k], '/');
      lb = lb ? lb + 1 : e->gdextension_libs[k];
      if (checked[k] || !libs[k] || strcmp(lb, base) != 0) continue;
      checked[k] = true;
      wd_finding *f;
      if (wdi_entry_symbol_finding(c->out, e->gdextension_libs[k], libs[k], g->entry_symbol,
                                   e->gdextension_libs[k], e->gdextension_libs[k], &f))
        return WDI_OOM;
    }
  }
  return 0;
}

static int check_pck(ctx *c, wd_check_summary *summary, const char *wasm, const wd_module *engine,
                     wd_module *const *libs) {
  const wd_export_folder *e = c->e;
  if (!wd_export_folder_find(e, e->main_pack)) return 0;
  wd_pck *pck = NULL;
  wd_error err;
  wd_error_clear(&err);
  wd_source_data bytes;
  wd_status s = wd_source_read(e->source, e->main_pack, 0, &bytes, &err);
  if (!s) {
    s = wd_pck_parse(bytes.data, bytes.size, &pck, &err);
    if (s) wd_source_data_release(&bytes);
  }
  if (s == WD_ERR_NOMEM) return WDI_OOM;
  wd_finding *f;
  if (s) {
    f = wd_findings_add(c->out, WD211, e->main_pack, N_("%s cannot be read: %s"), e->main_pack,
                        err.msg);
    if (!f || wd_msg_set_arg_text2(&f->message, 1, err.msg_en, err.msg)) return WDI_OOM;
    if (err.has_offset) {
      f->offset = err.offset;
      f->has_offset = true;
    }
    if (wd_finding_explain(f, N_("The engine cannot open its project data and stops with \"Couldn't load "
                                "project data at path \".\". Is the .pck file missing?\"")) ||
        wd_finding_add_fix(f, N_("Export again and upload the .pck unchanged."), NULL))
      return WDI_OOM;
    return 0;
  }
  wd_pck_engine_version(pck, summary->godot_version, sizeof summary->godot_version);
  int rc = check_pck_version(c, pck, wasm, engine);
  if (rc) goto done;
  if (pck->npast_end) {
    f = wd_findings_addn(c->out, WD211, e->main_pack, pck->npast_end,
                         NP_("%u file of %s lies past its end: it is truncated",
                             "%u files of %s lie past its end: it is truncated"),
                         pck->npast_end, e->main_pack);
    if (!f || wd_finding_explain(f, N_("The pack's directory names data beyond the end of the file "
                                      "(%llu bytes; the data needs %llu). Resources in the missing part "
                                      "fail to load."),
                                 (unsigned long long)pck->size, (unsigned long long)pck->data_end) ||
        wd_finding_add_fix(f, N_("Upload the .pck again; check the host's file size limit."), NULL)) {
      rc = WDI_OOM;
      goto done;
    }
  }
  /* GDExtensions the project registered, against those the export ships */
  const wd_pck_entry *el = wd_pck_find(pck, "res://.godot/extension_list.cfg");
  if (el && !pck->dir_encrypted) {
    const uint8_t *data = NULL;
    uint64_t len = 0;
    wd_error rerr;
    wd_error_clear(&rerr);
    if (wd_pck_read(pck, el, WD_MAX_EXTENSION_LIST_SIZE, &data, &len, &rerr) == WD_OK) {
      wd_str paths[64];
      uint32_t n = wd_cfg_path_list((const char *)data, (size_t)len, paths, 64);
      if (n > 64) n = 64;
      summary->nextensions = n > summary->nextensions ? n : summary->nextensions;
      /* extensions without any web.* key are left out on purpose: WD321 */
      uint32_t no_web = 0;
      bool *checked = libs ? calloc(e->nlibs + 1, sizeof *checked) : NULL;
      if (libs && !checked) rc = WDI_OOM;
      for (uint32_t i = 0; i < n && !rc; i++) {
        char res[1024];
        snprintf(res, sizeof res, "%.*s", (int)paths[i].len, paths[i].ptr);
        const wd_pck_entry *ge = wd_pck_find(pck, res);
        const uint8_t *gt = NULL;
        uint64_t gl = 0;
        wd_gdextension *g = NULL;
        wd_error gerr;
        wd_error_clear(&gerr);
        if (!ge || wd_pck_read(pck, ge, 1 << 20, &gt, &gl, &gerr) != WD_OK ||
            wd_gdext_parse((const char *)gt, (size_t)gl, res, res, &g, &gerr) != WD_OK)
          continue;
        if (wd_gdext_has_web(g) && checked && check_entry_symbols(c, g, libs, checked)) rc = WDI_OOM;
        if (!wd_gdext_has_web(g)) {
          no_web++;
          f = wd_findings_add(c->out, WD321, e->main_pack,
                              N_("%s has no web library: the export left it out"), res);
          char gm[1200];
          snprintf(gm, sizeof gm,
                   "No GDExtension library found for current OS and architecture (web.wasm32) in configuration "
                   "file: %s",
                   res);
          if (!f || wd_finding_set_engine_message(f, gm) ||
              wdi_explain_no_web_library(f))
            rc = WDI_OOM;
        }
        wd_gdext_free(g);
      }
      free(checked);
      if (rc) goto done;
      n -= no_web;
      if (n > e->nlibs) {
        f = wd_findings_add(c->out, WD302, e->main_pack,
                            N_("the project uses %u GDExtensions, but the export ships %u web libraries"), n,
                            e->nlibs);
        if (!f) rc = WDI_OOM;
        else {
          char list[1024] = "";
          size_t k = 0;
          for (uint32_t i = 0; i < n && k < sizeof list; i++) {
            int w = snprintf(list + k, sizeof list - k, "%s%.*s", i ? ", " : "", (int)paths[i].len, paths[i].ptr);
            if (w > 0) k += (size_t)w;
          }
          if (wd_finding_explain(f, N_("The pack registers %s. When a .gdextension has no [libraries] key "
                                      "for the Web preset's features, Godot exports without it (\"No "
                                      "suitable library found for GDExtension\") and at run time prints "
                                      "\"No GDExtension library found for current OS and architecture "
                                      "(web.wasm32)\": the extension silently does nothing."),
                                 list) ||
              wd_finding_add_fix(f, N_("Add web.debug.wasm32 / web.release.wasm32 (and .threads / .nothreads "
                                      "variants) to the extension's .gdextension, pointing at web builds "
                                      "of it; run `webdoctor check` on the project to see which."),
                                 NULL))
            rc = WDI_OOM;
        }
      }
    }
  }
done:
  wd_pck_free(pck);
  wd_source_data_release(&bytes);
  return rc;
}

static int check_host_limits(ctx *c) {
  const wd_host_info *h = wd_host_get(c->o->host);
  const wd_export_folder *e = c->e;
  if (c->o->host == WD_HOST_UNKNOWN || c->o->served) return 0;
  if (h->max_files && e->nfiles > h->max_files) {
    wd_finding *f = wd_findings_add(c->out, WD210, NULL,
                                    N_("%u files: %s accepts at most %u"), e->nfiles, h->name, h->max_files);
    if (!f || wd_finding_add_fix(f, N_("Upload only the export's own files."), NULL)) return WDI_OOM;
  }
  for (uint32_t i = 0; i < e->nfiles; i++) {
    if (!h->max_file_size || e->files[i].size <= h->max_file_size) continue;
    char a[WD_SIZE_STR_MAX], b[WD_SIZE_STR_MAX];
    wd_finding *f = wd_findings_add(c->out, WD210, e->files[i].name, N_("%s is %s: %s accepts files up to %s"),
                                    e->files[i].name, wd_format_size(e->files[i].size, a, sizeof a), h->name,
                                    wd_format_size(h->max_file_size, b, sizeof b));
    if (!f || wd_finding_add_fix(f, N_("Shrink the file (exclude unused resources, compress textures and "
                                      "audio), or upload precompressed copies if the host supports them."),
                                 NULL))
      return WDI_OOM;
  }
  if (h->max_total_size && e->total_size > h->max_total_size) {
    char a[WD_SIZE_STR_MAX], b[WD_SIZE_STR_MAX];
    wd_finding *f = wd_findings_add(c->out, WD210, NULL, N_("the export is %s: %s accepts up to %s"),
                                    wd_format_size(e->total_size, a, sizeof a), h->name,
                                    wd_format_size(h->max_total_size, b, sizeof b));
    if (!f) return WDI_OOM;
  }
  return 0;
}

static void add_node(wd_check_summary *sum, const wd_findings *out, wd_chain_kind kind, const char *name,
                     const wd_module *m, const char *prefix) {
  const wd_limits *l = m ? wd_module_memory0(m, NULL) : NULL;
  wd_chain_node *n = wdi_chain_add(sum, out, kind, name, name, l ? l->shared : -1);
  if (!n) return;
  n->edge_message[0] = '\0'; /* from the link result, below */
  /* the path in the source, for reports that read it again */
  snprintf(n->file, sizeof n->file, "%s%s%s", prefix, prefix[0] ? "/" : "", name);
  if (m) wd_link_emscripten_version(m, n->emscripten, sizeof n->emscripten);
}

/* The browser's first error for a module of the link result, on the edge
 * into its node. */
static void edge_message(wd_check_summary *sum, const wd_link_result *r, const wd_module *m) {
  if (!r || !m || !sum->nchain) return;
  for (uint32_t i = 0; i < r->nmodules; i++) {
    if (r->modules[i].module != m) continue;
    const wd_link_problem *p = wd_link_first_problem(r, i, WD_ENGINE_CHROME);
    if (p) wd_link_engine_message(r, p, WD_ENGINE_CHROME, WD_CALL_INSTANTIATE, sum->chain[sum->nchain - 1].edge_message,
                                  sizeof sum->chain[sum->nchain - 1].edge_message);
  }
}

wd_status wd_check_export_dir(const char *dir, const wd_check_options *o, wd_findings *out,
                              wd_check_summary *summary, wd_error *err) {
  wd_source *src;
  wd_status s = wd_source_open_folder(dir, &src, err);
  if (s) return s;
  s = wd_check_export_source(src, o, out, summary, err);
  wd_source_free(src);
  return s;
}

wd_status wd_check_export_source(const wd_source *src, const wd_check_options *o, wd_findings *out,
                                 wd_check_summary *summary, wd_error *err) {
  static const wd_check_options defaults = {0};
  if (!o) o = &defaults;
  wd_check_summary local;
  if (!summary) summary = &local;
  wdi_summary_init(summary, WD_CHECKED_EXPORT);
  wd_export_folder *e;
  wd_status s = wd_export_open(src, &e, err);
  if (s) return s;
  ctx c = {.e = e, .o = o, .out = out};
  wd_module *engine = NULL, *side = NULL, **libs = NULL;
  wd_glue *glue = NULL;
  wd_link_result *res = NULL;
  char *js = NULL, *wasm = NULL, *side_name = NULL;
  const char **names = NULL;
  wd_finding *f;

  if (!e->has_config && e->config_error[0]) {
    f = wd_findings_add(out, WD212, e->config_error_file, "%s", e->config_error);
    OOM_IF(!f || wd_msg_set_arg_text2(&f->message, 0, e->config_error_en, e->config_error));
    f->line = e->config_error_line;
    f->column = e->config_error_column;
    OOM_IF(wd_finding_explain(f, N_("The page's script cannot parse its configuration, so the engine never "
                                   "starts: the shell was edited by hand, or a tool rewrote it.")));
    OOM_IF(wd_finding_add_fix(f, N_("Export again, or repair the JSON object after `GODOT_CONFIG =`."), NULL));
    goto done;
  }
  if (!e->has_config) {
    f = wd_findings_add(out, WD212, e->shell,
                        e->shell ? N_("%s has no GODOT_CONFIG: it is not a Godot web shell")
                                 : N_("no Godot web export here: no HTML shell with a GODOT_CONFIG%s"),
                        e->shell ? e->shell : "");
    OOM_IF(!f);
    OOM_IF(wd_finding_explain(f, N_("A Godot web export is an HTML shell (index.html) whose script holds "
                                   "GODOT_CONFIG, next to index.js, index.wasm and index.pck. For a Godot "
                                   "project folder, check the folder holding project.godot.")));
    OOM_IF(wd_finding_add_fix(f, N_("Point webdoctor at the folder Godot exported to (the Web preset's "
                                   "export path), or at the project folder."), NULL));
    goto done;
  }
  for (uint32_t i = 0; i < e->nplaceholders; i++) {
    f = wd_findings_add(out, WD205, e->shell, N_("%s is left unreplaced in the HTML shell"),
                        e->placeholders[i]);
    OOM_IF(!f);
    OOM_IF(wd_finding_explain(f, N_("A custom HTML shell (html/custom_html_shell) was copied as is instead "
                                   "of being exported through Godot, or has a placeholder this Godot "
                                   "version does not fill.")));
    OOM_IF(wd_finding_add_fix(f, N_("Export with Godot so that it fills the placeholders, or write the "
                                   "value into the page."), NULL));
  }

  OOM_IF(!(js = wd_asprintf("%s%s", e->executable, ".js")) || !(wasm = wd_asprintf("%s%s", e->executable, ".wasm")) ||
         !(side_name = wd_asprintf("%s%s", e->executable, ".side.wasm")));
  OOM_IF(require_file(&c, js, W_("the engine's JavaScript")) ||
         require_file(&c, wasm, W_("the engine")) ||
         require_file(&c, e->main_pack, W_("the project data")));
  load_js(&c, js);
  static const struct { const char *ref, *suffix, *why; } extras[] = {
    {"godot.audio.worklet.js", ".audio.worklet.js", W_("the audio worklet")},
    {"godot.audio.position.worklet.js", ".audio.position.worklet.js", W_("the audio position worklet")},
    {"godot.worker.js", ".worker.js", W_("the threads' worker script")},
  };
  for (size_t i = 0; i < sizeof extras / sizeof *extras; i++) {
    if (!js_mentions(&c, extras[i].ref)) continue;
    char *n = wd_asprintf("%s%s", e->executable, extras[i].suffix);
    OOM_IF(!n);
    int rc = require_file(&c, n, extras[i].why);
    free(n);
    OOM_IF(rc);
  }
  if (e->service_worker) OOM_IF(require_file(&c, e->service_worker, W_("GODOT_CONFIG.serviceWorker names it")));
  for (uint32_t i = 0; i < e->nlibs; i++)
    OOM_IF(require_file(&c, e->gdextension_libs[i], W_("a GDExtension GODOT_CONFIG.gdextensionLibs lists")));
  OOM_IF(check_sizes(&c));

  /* the modules */
  OOM_IF(open_module(&c, wasm, &engine));
  if (wd_export_folder_find(e, side_name)) OOM_IF(open_module(&c, side_name, &side));
  libs = calloc(e->nlibs + 1, sizeof *libs);
  names = calloc(e->nlibs + 3, sizeof *names);
  OOM_IF(!libs || !names);
  for (uint32_t i = 0; i < e->nlibs; i++) OOM_IF(open_module(&c, e->gdextension_libs[i], &libs[i]));
  snprintf(summary->engine, sizeof summary->engine, "%s", wasm);
  summary->nextensions = e->nlibs;

  if (engine) {
    const wd_limits *mem = wd_module_memory0(engine, NULL);
    bool threads = mem && mem->shared;
    summary->threads = threads;
    bool dlink = wd_module_role_of(engine) == WD_ROLE_EMSCRIPTEN_MAIN;
    summary->dlink = dlink;
    if (e->threads_enabled >= 0 && e->threads_enabled != threads) {
      f = wd_findings_add(out, WD208, e->shell,
                          threads ? N_("the shell says GODOT_THREADS_ENABLED = false, but %s was built with threads")
                                  : N_("the shell says GODOT_THREADS_ENABLED = true, but %s was built without threads"),
                          wasm);
      OOM_IF(!f);
      OOM_IF(wd_finding_explain(f, N_("The HTML shell and the engine come from exports with different "
                                     "Thread Support settings (or the engine is a custom template that "
                                     "disagrees with the preset): the page checks for the wrong browser "
                                     "features, and extensions built for the setting will not link.")));
      OOM_IF(wd_finding_add_fix(f, N_("Export again into an empty folder, with a template that matches the "
                                     "preset's Thread Support."), NULL));
    }
    if (dlink) OOM_IF(require_file(&c, side_name, W_("the engine of an export with Extensions Support")));
    if (e->nlibs && !dlink) {
      f = wd_findings_add(out, WD204, wasm,
                          N_("GODOT_CONFIG lists %u GDExtensions, but %s cannot load side modules"), e->nlibs, wasm);
      OOM_IF(!f);
      OOM_IF(wd_finding_set_engine_message(
          f, "GDExtension libraries are not supported by this engine version. Enable \"Extensions Support\" "
             "for your export preset and/or build your custom template with \"dlink_enabled=yes\"."));
      OOM_IF(wd_finding_explain(f, N_("The engine was built without dynamic linking (a template without "
                                     "\"dlink\"), so it refuses to start when GDExtensions are listed.")));
      OOM_IF(wd_finding_add_fix(f, N_("Enable Variant > Extensions Support in the Web export preset (the "
                                     "web_dlink templates), or build custom templates with dlink_enabled=yes."),
                                NULL));
    }
    /* the load chain */
    wd_error gerr;
    wd_error_clear(&gerr);
    if (c.js.data && wd_glue_parse((const char *)c.js.data, (size_t)c.js.size, &glue, &gerr) == WD_OK &&
        !glue->found_imports) {
      wd_glue_free(glue);
      glue = NULL;
    }
    wd_link_side *sides = calloc(e->nlibs + 2, sizeof *sides);
    OOM_IF(!sides);
    uint32_t ns = 0;
    names[0] = wasm;
    if (side && dlink) {
      sides[ns].module = side;
      sides[ns].name = side_name;
      sides[ns].mode = WD_SIDE_PRELOAD;
      ns++;
    }
    if (dlink) {
      for (uint32_t i = 0; i < e->nlibs; i++) {
        if (!libs[i]) continue;
        const char *b = strrchr(e->gdextension_libs[i], '/');
        sides[ns].module = libs[i];
        sides[ns].name = b ? b + 1 : e->gdextension_libs[i];
        sides[ns].mode = WD_SIDE_EXTENSION;
        ns++;
      }
    }
    wd_link_input in = {engine, wasm, glue, sides, ns, WD_CALL_INSTANTIATE, false, 0, NULL};
    wd_error lerr;
    wd_error_clear(&lerr);
    wd_status ls = wd_link_run(&in, &res, &lerr);
    if (ls == WD_OK) {
      /* file names per load index (NEEDED libraries are found among the sides) */
      const char **files = calloc(res->nmodules + 1, sizeof *files);
      if (!files) {
        free(sides);
        goto oom;
      }
      for (uint32_t i = 0; i < res->nmodules; i++) {
        files[i] = res->modules[i].name;
        if (res->modules[i].module == engine) files[i] = wasm;
        for (uint32_t k = 0; k < e->nlibs; k++)
          if (res->modules[i].module == libs[k]) files[i] = e->gdextension_libs[k];
      }
      int rc = wdi_link_findings(res, NULL, files, out);
      free(files);
      if (rc) {
        free(sides);
        goto oom;
      }
    }
    free(sides);
    if (ls == WD_ERR_NOMEM) goto oom;
    OOM_IF(check_isolation(&c, threads));
    if (threads) {
      const cJSON *em = cJSON_GetObjectItemCaseSensitive(e->config, "emscriptenPoolSize");
      const cJSON *gp = cJSON_GetObjectItemCaseSensitive(e->config, "godotPoolSize");
      if (cJSON_IsNumber(em) && cJSON_IsNumber(gp)) {
        OOM_IF(wdi_pool_sizes_finding(out, e->shell, NULL, (long long)em->valuedouble, (long long)gp->valuedouble, &f));
        if (f) f->line = e->shell_line;
      }
    }

    /* stale extension builds (a served export has only what was requested) */
    for (uint32_t i = 0; i < e->nfiles && !o->served; i++) {
      const char *n = e->files[i].name;
      if (!wd_ends_with(n, ".wasm") || !strcmp(n, wasm) || !strcmp(n, side_name)) continue;
      bool listed = false;
      for (uint32_t k = 0; k < e->nlibs; k++)
        if (!strcmp(e->gdextension_libs[k], n)) listed = true;
      if (listed) continue;
      wd_module *m = NULL;
      wd_read_options ro = {.skip_code = true};
      wd_error merr;
      bool ok = read_module(&c, n, &ro, &m, &merr) == WD_OK;
      const wd_limits *ml = ok ? wd_module_memory0(m, NULL) : NULL;
      f = wd_findings_add(out, WD207, n,
                          ml ? (ml->shared ? N_("%s is not listed in GODOT_CONFIG.gdextensionLibs (a build with threads)")
                                           : N_("%s is not listed in GODOT_CONFIG.gdextensionLibs (a build without threads)"))
                             : N_("%s is not listed in GODOT_CONFIG.gdextensionLibs"),
                          n);
      release_module(&c, m);
      OOM_IF(!f);
      OOM_IF(wd_finding_explain(f, N_("Left from an earlier export, typically one with the other Thread "
                                     "Support setting (godotengine/godot#95077): the page does not load "
                                     "it, but a stale copy under a listed name would fail to link.")));
      OOM_IF(wd_finding_add_fix(f, N_("Export into an empty folder."), NULL));
    }
  }
  OOM_IF(check_pck(&c, summary, wasm, engine, libs)); /* the Godot version, for the Emscripten versions below */
  {
    const wd_module *mods[66];
    const char *mnames[66];
    uint32_t nm = 0;
    if (engine) { mods[nm] = engine; mnames[nm++] = wasm; }
    if (side) { mods[nm] = side; mnames[nm++] = side_name; }
    for (uint32_t i = 0; i < e->nlibs && nm < 66; i++)
      if (libs[i]) { mods[nm] = libs[i]; mnames[nm++] = e->gdextension_libs[i]; }
    OOM_IF(wdi_features_finding(mods, mnames, nm, out));
    /* Emscripten versions recorded in producers */
    char first[32] = "", v[32];
    const char *first_name = NULL;
    /* an engine without producers: the Emscripten of Godot's official
     * templates for the .pck's version (src/link/versions.c) */
    bool engine_known = false;
    for (uint32_t i = 0; i < nm; i++)
      if ((mods[i] == engine || mods[i] == side) && (wd_link_emscripten_version(mods[i], v, sizeof v), v[0]))
        engine_known = true;
    const char *tmpl = engine_known ? NULL : wd_godot_emscripten(summary->godot_version);
    if (tmpl) {
      snprintf(first, sizeof first, "%s", tmpl);
      first_name = NULL; /* the templates of the version: a message, below */
    }
    for (uint32_t i = 0; i < nm; i++) {
      wd_link_emscripten_version(mods[i], v, sizeof v);
      if (!v[0]) continue;
      if (!first[0]) {
        snprintf(first, sizeof first, "%s", v);
        first_name = mnames[i];
      } else if (strcmp(first, v) != 0) {
        /* known to fail only where a case is on record; otherwise a note */
        const wd_limits *em = engine ? wd_module_memory0(engine, NULL) : NULL;
        wd_emscripten_risk risk = wd_emscripten_mix_risk(first, v, em && em->shared);
        f = wd_findings_add_as(out, WD114, risk == WD_MIX_THREADS_TABLE ? WD_SEV_WARNING : WD_SEV_INFO, mnames[i],
                               N_("%s was built with Emscripten %s, %s with %s"), mnames[i], v,
                               first_name ? first_name : "", first);
        OOM_IF(!f);
        if (!first_name) {
          wd_msg tm;
          OOM_IF(wd_msg_init(&tm, N_("%s's web templates"), summary->godot_version));
          int trc = wd_msg_set_arg_msg(&f->message, 2, &tm);
          wd_msg_free(&tm);
          OOM_IF(trc);
        }
        if (risk == WD_MIX_THREADS_TABLE) {
          OOM_IF(wd_finding_set_engine_message(f, "RangeError: WebAssembly.Table.get(): invalid index"));
          OOM_IF(wd_finding_explain(f, N_("With threads and dynamic linking, modules built by Emscripten "
                                         "3.1.40 to 3.1.61 fail when a thread calls through the function "
                                         "table (godotengine/godot#82865).")));
          OOM_IF(wd_finding_add_fix(f, N_("Rebuild the module with the Emscripten version of the engine's "
                                         "templates (3.1.64 for Godot 4.3/4.4, 4.0.10 for 4.5, 4.0.20 for "
                                         "4.6/4.7)."),
                                    NULL));
        } else {
          OOM_IF(wd_finding_explain(f, N_("Mixed versions are the usual case (many extensions are built by "
                                         "3.1.64 whatever the engine) and no failure is known for this pair; "
                                         "the link check above models the engine's loader. Godot's templates: "
                                         "3.1.64 for 4.3/4.4, 4.0.10 for 4.5, 4.0.20 for 4.6/4.7.")));
        }
      }
    }
  }
  if (engine) {
    /* WD223: a custom template's Emscripten against the one of Godot's
     * official templates for the .pck's version (wd_godot_emscripten) */
    char ev[32];
    wd_link_emscripten_version(engine, ev, sizeof ev);
    const char *want = wd_godot_emscripten(summary->godot_version);
    if (ev[0] && want && strcmp(ev, want) != 0) {
      unsigned emaj = 0;
      sscanf(ev, "%u", &emaj);
      f = wd_findings_add(out, WD223, wasm,
                          N_("%s was built with Emscripten %s, but %s's official web templates are built with %s"),
                          wasm, ev, summary->godot_version, want);
      OOM_IF(!f);
      if (emaj >= 5)
        OOM_IF(wd_finding_set_engine_message(
            f, "Aborted(Assertion failed: call to '_emscripten_stack_set_limits' via reference taken before "
               "Wasm module initialization)"));
      OOM_IF(wd_finding_explain(f, N_("The engine is a custom template: Godot's build scripts and JavaScript "
                                     "libraries follow the Emscripten release of the official templates, and "
                                     "other releases have broken the engine's start (Emscripten 4.0.6 with "
                                     "Godot 4.4: \"LinkError: import object field "
                                     "'godot_audio_worklet_state_add' is not a Function\", "
                                     "godotengine/godot#105369; Emscripten 5.0 with Godot 4.6, "
                                     "godotengine/godot#115979). Extensions should be built with the same "
                                     "release as the engine.")));
      OOM_IF(wd_finding_add_fix(f, N_("Use the official export templates of the editor's version (clear Custom "
                                     "Template), or rebuild the template with the Emscripten release its Godot "
                                     "version is built with."),
                                N_("a template build takes long")));
      OOM_IF(wd_finding_add_fix(f, N_("If the template must stay, export with the glue (index.js) and the "
                                     "engine (index.wasm) of one and the same build."),
                                NULL));
    }
  }
  {
    const char **fnames = calloc(e->nfiles + 1, sizeof *fnames);
    OOM_IF(!fnames);
    for (uint32_t i = 0; i < e->nfiles; i++) fnames[i] = e->files[i].name;
    int rc = wdi_check_precompressed(e->source, fnames, e->nfiles, out);
    free(fnames);
    OOM_IF(rc);
  }
  OOM_IF(check_service_worker(&c));
  OOM_IF(check_host_limits(&c));
  OOM_IF(check_host_gzip(&c));
  /* the load chain, for reports */
  add_node(summary, out, WD_CHAIN_PAGE, e->shell, NULL, wd_source_prefix(src));
  add_node(summary, out, WD_CHAIN_GLUE, js, NULL, wd_source_prefix(src));
  add_node(summary, out, WD_CHAIN_MAIN, wasm, engine, wd_source_prefix(src));
  edge_message(summary, res, engine);
  if (side) {
    add_node(summary, out, WD_CHAIN_ENGINE_SIDE, side_name, side, wd_source_prefix(src));
    edge_message(summary, res, side);
  }
  for (uint32_t i = 0; i < e->nlibs; i++) {
    add_node(summary, out, WD_CHAIN_EXTENSION, e->gdextension_libs[i], libs[i], wd_source_prefix(src));
    edge_message(summary, res, libs[i]);
  }
  goto done;
oom:
  s = wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
done:
  wd_link_result_free(res);
  wd_glue_free(glue);
  wd_module_free(engine);
  wd_module_free(side);
  if (libs)
    for (uint32_t i = 0; i < e->nlibs; i++) wd_module_free(libs[i]);
  free(libs);
  free(names);
  free(js);
  free(wasm);
  free(side_name);
  wd_source_data_release(&c.js);
  for (uint32_t i = 0; i < c.nkeep; i++) wd_source_data_release(&c.keep[i]);
  wd_export_folder_free(e);
  wd_findings_sort(out);
  return s;
}
