/*
 * Checks of a Godot project folder (WD3xx): every Web export preset against
 * the project's .gdextension files, as Godot would export it.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zip.h>

#include "common/limits.h"
#include "check/check_int.h"
#include "common/buf.h"
#include "common/i18n.h"
#include "webdoctor/cfg.h"
#include "webdoctor/gdextension.h"
#include "webdoctor/project.h"


typedef struct pctx {
  const char *dir;
  const wd_check_options *o;
  wd_findings *out;
  int godot_minor;            /* 3 for 4.3; 0 when unknown */
  wd_path_list gdext, csproj; /* relative to the project, sorted */
  wd_gdextension **ext;       /* parsed, parallel to gdext.v (NULL when broken) */
} pctx;

int wdi_explain_no_web_library(wd_finding *f) {
  return wd_finding_explain(f, N_("The .gdextension has no web.* key at all, so the extension is not "
                                 "built for the Web, sometimes on purpose (godotengine/webrtc-native ships "
                                 "none: browsers have WebRTC built in). The game still starts; only code "
                                 "that uses the extension's classes fails, with errors naming those "
                                 "classes.")) ||
         wd_finding_add_fix(f, N_("If the game does not need the extension on the Web, nothing to do; to "
                                 "silence Godot's message, exclude the addon's folder from the Web preset's "
                                 "resources (Resources > Filters to exclude)."),
                            N_("the extension's features are missing on the Web"));
}

/* A finding at an entry of a ConfigFile. */
static wd_finding *at_entry(wd_finding *f, const wd_cfg_entry *e) {
  if (f && e) {
    f->line = e->key_span.line;
    f->column = e->key_span.column;
  }
  return f;
}

static const wd_import *memory_import(const wd_module *m) {
  const wd_import *im = NULL;
  wd_module_memory0(m, &im);
  return im;
}

/* The memory mismatch as the engine would report it, with a template of the
 * preset's thread setting as the main module. */
static int shared_mismatch_finding(pctx *c, wd_finding_id id, const char *file, const wd_cfg_entry *where,
                                   const wd_module *side, const char *side_name, bool engine_threads,
                                   const char *engine_name, const wd_link_facts *facts) {
  const wd_import *im = memory_import(side);
  if (!im) return 0;
  wd_link_loaded mods[2];
  memset(mods, 0, sizeof mods);
  mods[0].name = engine_name;
  mods[0].is_main = true;
  mods[1].module = side;
  mods[1].name = side_name;
  wd_link_problem p;
  memset(&p, 0, sizeof p);
  p.fault = WD_FAULT_MEMORY_SHARED;
  p.stage = WD_STAGE_IMPORT;
  p.module = 1;
  p.import = im;
  p.import_index = im - side->imports;
  p.given.kind = WD_GIVEN_MEMORY;
  p.given.provider = 0;
  p.given.limits.shared = engine_threads;
  wd_link_result r;
  memset(&r, 0, sizeof r);
  r.nmodules = 2;
  r.modules = mods;
  r.nproblems = 1;
  r.problems = &p;
  wd_link_explanation ex;
  wd_link_explain(&r, &p, facts, &ex);
  wd_finding *f = at_entry(wd_findings_add_msg(c->out, id, wd_rule_of(id)->severity, file, &ex.summary), where);
  int rc = !f || wdi_add_engine_texts(f, &r, &p, WD_CALL_INSTANTIATE) || wd_finding_explain_msg(f, &ex.why);
  for (unsigned k = 0; !rc && k < ex.nfixes; k++) rc = wd_finding_add_fix_msg(f, &ex.fixes[k].text, &ex.fixes[k].tradeoff);
  wd_link_explanation_free(&ex);
  if (rc) return WDI_OOM;
  return 0;
}

/* Open a wasm file of the project; NULL when absent or unreadable. */
static wd_module *open_wasm(const char *path) {
  wd_module *m = NULL;
  wd_error err;
  wd_read_options ro = {.skip_code = true};
  if (wd_module_open(path, &ro, &m, &err) != WD_OK) return NULL;
  return m;
}

/* Custom templates: the engine inside the .zip must agree with the preset. */
static int check_template(pctx *c, const wd_cfg *presets, const char *opts, const char *key, bool threads,
                          bool needs_dlink) {
  const wd_cfg_entry *en = wd_cfg_find(presets, opts, key);
  const char *path = en ? wd_cfg_string(en->value) : NULL;
  if (!path || !path[0]) return 0;
  char full[4096];
  if (!strncmp(path, "res://", 6)) snprintf(full, sizeof full, "%s/%s", c->dir, path + 6);
  else snprintf(full, sizeof full, "%s", path);
  wd_finding *f;
  int zerr = 0;
  zip_t *z = zip_open(full, ZIP_RDONLY, &zerr);
  if (!z) {
    f = at_entry(wd_findings_add(c->out, WD304, "export_presets.cfg",
                                 N_("the custom template %s cannot be opened"), path), en);
    if (!f) return WDI_OOM;
    if (wd_finding_set_engine_message(f, !strcmp(key, "custom_template/debug") ? "Custom debug template not found."
                                                                               : "Custom release template not found.") ||
        wd_finding_add_fix(f, N_("Point the preset at an existing template .zip, or clear the field to use "
                                "the official templates."), NULL))
      return WDI_OOM;
    return 0;
  }
  int rc = 0;
  zip_int64_t side_idx = zip_name_locate(z, "godot.side.wasm", ZIP_FL_NODIR);
  zip_int64_t main_idx = zip_name_locate(z, "godot.wasm", ZIP_FL_NODIR);
  zip_int64_t eng = side_idx >= 0 ? side_idx : main_idx;
  if (needs_dlink && side_idx < 0) {
    f = at_entry(wd_findings_add(c->out, WD304, "export_presets.cfg",
                                 N_("the custom template %s has no GDExtension support (no godot.side.wasm)"), path),
                 en);
    if (!f || wd_finding_set_engine_message(
                  f, "GDExtension libraries are not supported by this engine version. Enable \"Extensions "
                     "Support\" for your export preset and/or build your custom template with "
                     "\"dlink_enabled=yes\".") ||
        wd_finding_add_fix(f, N_("Use a template built with dlink_enabled=yes (web_dlink_*.zip)."), NULL))
      rc = WDI_OOM;
  }
  zip_stat_t zs;
  if (!rc && eng >= 0 && zip_stat_index(z, (zip_uint64_t)eng, 0, &zs) == 0 && (zs.valid & ZIP_STAT_SIZE) &&
      zs.size < WD_MAX_TEMPLATE_ENGINE_SIZE) {
    uint8_t *buf = malloc((size_t)zs.size + 1);
    zip_file_t *zf = buf ? zip_fopen_index(z, (zip_uint64_t)eng, 0) : NULL;
    if (zf && zip_fread(zf, buf, zs.size) == (zip_int64_t)zs.size) {
      wd_module *m = NULL;
      wd_error err;
      wd_error_clear(&err);
      wd_read_options ro = {.skip_code = true};
      if (wd_module_parse(buf, zs.size, &ro, &m, &err) == WD_OK) {
        const wd_limits *l = wd_module_memory0(m, NULL);
        if (l && l->shared != threads) {
          f = at_entry(wd_findings_add(c->out, WD304, "export_presets.cfg",
                                       l->shared ? N_("the custom template %s is built with threads, but the preset's Thread Support is off")
                                                 : N_("the custom template %s is built without threads, but the preset's Thread Support is on"),
                                       path),
                       en);
          if (!f ||
              wd_finding_explain(f, N_("Godot picks GDExtension builds by the preset's Thread Support (the "
                                      "threads/nothreads feature tags), but the engine comes from the "
                                      "custom template, which nothing checks against that setting "
                                      "(limbonaut/limboai#283 exported a web_dlink_nothreads template with "
                                      "threaded extension builds)."))
              || wd_finding_add_fix(f, l->shared ? N_("Use a nothreads template (web_dlink_nothreads_*.zip) or turn Thread Support on.")
                                                 : N_("Use a threaded template (web_dlink_*.zip) or turn Thread Support off."),
                                    NULL))
            rc = WDI_OOM;
        }
        wd_module_free(m);
      }
    }
    if (zf) zip_fclose(zf);
    free(buf);
  }
  zip_discard(z);
  return rc;
}

/* The [libraries] keys `fix` sets on extension g for an export with
 * (`threads`) or without threads, as "KEY = \"res://...\"" joined by "; ":
 * wd_web_key_for() per key, the same rule as fix, in fix's order (the builds
 * of the export's kind for debug and release; without threads, then the
 * threaded builds under the threads keys), each edit made on a copy of the
 * text so that the next key is decided on the edited file, as fix does.
 * NULL when the project lacks a build of the export's kind, or when out of
 * memory (*oom set). */
static char *fix_keys(pctx *c, const wd_gdextension *g, bool threads, bool desktop, bool mobile, bool *oom) {
  wd_web_builds builds = {0};
  wd_error err;
  wd_error_clear(&err);
  *oom = false;
  if (wd_gdext_web_builds(g, c->dir, &builds, &err)) {
    *oom = true;
    return NULL;
  }
  wd_buf out = WD_BUF_INIT;
  const wd_gdextension *cur = g;
  wd_gdextension *own = NULL;
  bool missing = false;
  for (int pass = 0; pass < (threads ? 1 : 2) && !missing && !*oom; pass++) {
    bool shared = threads || pass == 1;
    for (int debug = 1; debug >= 0 && !*oom; debug--) {
      wd_web_key k;
      wd_web_key_for(cur, c->dir, &builds, shared, debug, desktop, mobile, c->godot_minor, &k);
      if (k.ok) continue;
      if (!k.build) {
        missing = pass == 0;
        break;
      }
      char *res = wd_web_build_res_path(k.build);
      char *value = res ? wd_cfg_quote(res) : NULL;
      char *text = NULL;
      size_t len = 0;
      wd_gdextension *next = NULL;
      if (!value || wd_buf_printf(&out, "%s%s = %s", out.len ? "; " : "", k.key, value) ||
          wd_cfg_set_value(cur->cfg, "libraries", k.key, value, &text, &len, &err) ||
          wd_gdext_parse(text, len, g->file, g->res_path, &next, &err))
        *oom = err.code == WD_ERR_NOMEM || !value || !out.data;
      free(res);
      free(value);
      free(text);
      if (next) {
        wd_gdext_free(own);
        cur = own = next;
      }
    }
  }
  wd_gdext_free(own);
  wd_web_builds_free(&builds);
  if (missing || *oom || !out.len) {
    wd_buf_release(&out);
    return NULL;
  }
  return wd_buf_detach(&out, NULL);
}

/* The engine text when a thread is asked of an exhausted pool (Emscripten's
 * libpthread.js, 3.1.x to 4.0.x), printed on the browser console. */
static const char pool_exhausted[] =
  "Tried to spawn a new thread, but the thread pool is exhausted.\n"
  "This might result in a deadlock unless some threads eventually exit or the code explicitly breaks out to "
  "the event loop.\n"
  "If you want to increase the pool size, use setting `-sPTHREAD_POOL_SIZE=...`.";

int wdi_pool_sizes_finding(wd_findings *out, const char *file, const char *preset, long long emscripten_pool,
                           long long godot_pool, wd_finding **made) {
  *made = NULL;
  bool in_preset = preset != NULL;
  /* Godot links -sPTHREAD_POOL_SIZE="Module['emscriptenPoolSize']||8": 0 means 8 */
  if (emscripten_pool == 0) emscripten_pool = 8;
  if (godot_pool < emscripten_pool) return 0;
  wd_finding *f =
      in_preset ? wd_findings_add(out, WD320, file,
                                  N_("preset \"%s\": threads/godot_pool_size = %lld is not smaller than "
                                    "threads/emscripten_pool_size = %lld"),
                                  preset, godot_pool, emscripten_pool)
                : wd_findings_add(out, WD320, file,
                                  N_("GODOT_CONFIG.godotPoolSize = %lld is not smaller than "
                                    "GODOT_CONFIG.emscriptenPoolSize = %lld"),
                                  godot_pool, emscripten_pool);
  if (!f || wd_finding_set_engine_message(f, pool_exhausted) ||
      wd_finding_explain(f, N_("A threaded web export starts a fixed pool of Emscripten workers when the page "
                              "loads (%lld here), and Godot's WorkerThreadPool takes %lld of them; the audio, "
                              "physics and rendering threads need workers too. A thread asked of an exhausted "
                              "pool waits for the main thread to make a new worker, and the main thread may be "
                              "the one waiting: the game freezes (Godot's class reference: the Godot pool "
                              "\"must be smaller than threads/emscripten_pool_size otherwise deadlocks may "
                              "occur\"; godotengine/godot#104458)."),
                         emscripten_pool, godot_pool) ||
      wd_finding_add_fix(f, in_preset ? N_("Set Threads > Godot Pool Size below Threads > Emscripten Pool Size in "
                                          "the Web preset (Godot's defaults: 4 and 8), and export again.")
                                      : N_("Export again with Threads > Godot Pool Size below Threads > Emscripten "
                                          "Pool Size (Godot's defaults: 4 and 8), or lower godotPoolSize in the "
                                          "page's GODOT_CONFIG."),
                         N_("fewer worker threads for Godot's tasks")) ||
      wd_finding_add_fix(f, N_("Or raise Threads > Emscripten Pool Size."),
                         N_("every pooled worker is started at load: more memory and a slower start; browsers "
                           "cap the number of workers")) ||
      wd_finding_add_fix(f, N_("Or turn Thread Support off (Godot 4.3+): no pools at all."),
                         N_("no threads; nothreads builds of every GDExtension")))
    return WDI_OOM;
  *made = f;
  return 0;
}

int wdi_itch_isolation_note(wd_findings *out, const char *file) {
  wd_finding *f = wd_findings_add(out, WD222, file, "%s",
                                  W_("itch.io's \"SharedArrayBuffer support\" serves the game from another domain, "
                                    "with side effects"));
  if (!f ||
      wd_finding_explain(f, N_("With the option ticked itch.io serves the game from a second domain with "
                              "Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy, so what players "
                              "saved in the browser (IndexedDB, localStorage: Godot's user://) under the old "
                              "domain is not found after the switch, and the option is marked experimental: "
                              "it has broken games on Firefox for Android and in the itch desktop app "
                              "(itchio/itch.io#1469).")) ||
      wd_finding_add_fix(f, N_("Tick it before the first public release, or tell players that saves start "
                              "over; test on Firefox for Android and in the itch app."),
                         NULL) ||
      wd_finding_add_fix(f, N_("Or export with Thread Support off (Godot 4.3+): no option needed, saves stay "
                              "where they are."),
                         N_("no threads; nothreads builds of every GDExtension")))
    return WDI_OOM;
  return 0;
}

/* Godot 4.5+ presets: threads/emscripten_pool_size and threads/godot_pool_size. */
static int check_pool_sizes(pctx *c, const wd_cfg *presets, const char *opts, const char *name) {
  const wd_cfg_entry *em = wd_cfg_find(presets, opts, "threads/emscripten_pool_size");
  const wd_cfg_entry *gp = wd_cfg_find(presets, opts, "threads/godot_pool_size");
  if (!em && !gp) return 0; /* before Godot 4.5: no such options */
  int64_t emv = 8, gpv = 4; /* Godot's defaults */
  if (em && !wd_cfg_int(em->value, &emv)) return 0;
  if (gp && !wd_cfg_int(gp->value, &gpv)) return 0;
  wd_finding *f;
  if (wdi_pool_sizes_finding(c->out, "export_presets.cfg", name, (long long)emv, (long long)gpv, &f)) return WDI_OOM;
  if (f) at_entry(f, gp ? gp : em);
  return 0;
}

static int check_preset(pctx *c, const wd_cfg *presets, int64_t si) {
  const wd_cfg_section *sec = &presets->sections[si];
  char opts[256];
  snprintf(opts, sizeof opts, "%.*s.options", (int)sec->name.len, sec->name.ptr);
  char secname[256];
  snprintf(secname, sizeof secname, "%.*s", (int)sec->name.len, sec->name.ptr);
  const char *name = wd_cfg_get_string(presets, secname, "name", secname);
  bool threads = wd_cfg_get_bool(presets, opts, "variant/thread_support", false);
  bool dlink = wd_cfg_get_bool(presets, opts, "variant/extensions_support", false);
  bool desktop = wd_cfg_get_bool(presets, opts, "vram_texture_compression/for_desktop", true);
  bool mobile = wd_cfg_get_bool(presets, opts, "vram_texture_compression/for_mobile", false);
  bool pwa = wd_cfg_get_bool(presets, opts, "progressive_web_app/enabled", false);
  const wd_cfg_entry *thread_entry = wd_cfg_find(presets, opts, "variant/thread_support");
  const wd_cfg_entry *dlink_entry = wd_cfg_find(presets, opts, "variant/extensions_support");
  const wd_cfg_entry *name_entry = wd_cfg_find(presets, secname, "name");
  wd_finding *f;
  uint32_t web_exts = 0;
  for (uint32_t i = 0; i < c->gdext.n; i++)
    if (c->ext[i] && wd_gdext_has_web(c->ext[i])) web_exts++;

  if (c->csproj.n) {
    f = at_entry(wd_findings_add(c->out, WD306, "export_presets.cfg",
                                 N_("preset \"%s\" exports a C# project to the Web"), name), name_entry);
    if (!f || wd_finding_explain(f, N_("Godot 4 (up to 4.4) cannot export C#/.NET projects to the Web; "
                                      "the export fails or the page cannot start (%s)."), c->csproj.v[0]) ||
        wd_finding_add_fix(f, N_("Use GDScript (or GDExtension) for web builds, or Godot 3 for C# on the Web."),
                           NULL))
      return WDI_OOM;
  }
  if (web_exts && !dlink) {
    f = at_entry(wd_findings_add(c->out, WD303, "export_presets.cfg",
                                 N_("preset \"%s\": the project uses %u GDExtensions, but Extensions Support is off"),
                                 name, web_exts),
                 dlink_entry ? dlink_entry : name_entry);
    if (!f ||
        wd_finding_set_engine_message(
            f, "GDExtension libraries are not supported by this engine version. Enable \"Extensions Support\" "
               "for your export preset and/or build your custom template with \"dlink_enabled=yes\".") ||
        wd_finding_explain(f, N_("Without Variant > Extensions Support the export uses templates that cannot "
                                "load side modules; with web libraries listed the page stops at start.")) ||
        wd_finding_add_fix(f, N_("Enable Variant > Extensions Support in the Web preset (the web_dlink "
                                "templates)."), NULL))
      return WDI_OOM;
  }
  if (threads && !pwa && wd_host_cannot_isolate(c->o->host)) {
    /* the error docs/findings.md gives WD203 on such a host: the export
     * will stop at "Cross-Origin Isolation" missing, as fix --host says */
    const wd_host_info *h = wd_host_get(c->o->host);
    wd_msg pwa_fix, pwa_trade;
    if (wd_msg_init(&pwa_fix,
             N_("Turn on Progressive Web App > Enabled and Ensure Cross Origin Isolation Headers in the Web "
               "preset: its service worker adds the headers (`webdoctor fix --strategy threads --host %s` "
               "does it)."),
             h->key))
      return WDI_OOM;
    if (wd_msg_plain(&pwa_trade, N_("the first visit reloads once; needs HTTPS"))) {
      wd_msg_free(&pwa_fix);
      return WDI_OOM;
    }
    f = at_entry(wd_findings_add_as(c->out, WD203, WD_SEV_ERROR, "export_presets.cfg",
                                    N_("preset \"%s\" has Thread Support on, but %s cannot send the cross-origin "
                                      "isolation headers"),
                                    name, h->name),
                 thread_entry);
    if (!f ||
        wd_finding_explain(f, N_("Threaded exports need SharedArrayBuffer, which browsers give only to pages "
                                "sent with Cross-Origin-Opener-Policy: same-origin and "
                                "Cross-Origin-Embedder-Policy: require-corp. %s cannot send them, so the page "
                                "will show \"The following features required to run Godot projects on the Web "
                                "are missing: Cross-Origin Isolation\"."),
                           h->name) ||
        wd_finding_add_fix_msg(f, &pwa_fix, &pwa_trade) ||
        wd_finding_add_fix(f, N_("Turn Thread Support off, with builds of every GDExtension without threads "
                                "(`webdoctor fix --strategy nothreads`)."),
                           NULL))
      return WDI_OOM;
  } else if (threads && !pwa) {
    f = at_entry(wd_findings_add_as(c->out, WD203, WD_SEV_INFO, "export_presets.cfg",
                                 N_("preset \"%s\" has Thread Support on: the page must be served cross-origin isolated"),
                                 name),
                 thread_entry);
    if (!f || wd_finding_explain(f, N_("Threaded exports need SharedArrayBuffer, so every host must send "
                                      "Cross-Origin-Opener-Policy: same-origin and "
                                      "Cross-Origin-Embedder-Policy: require-corp (`webdoctor headers --host "
                                      "HOST`); GitHub Pages and GitLab Pages cannot, unless the PWA option "
                                      "adds them through its service worker.")))
      return WDI_OOM;
  }
  if (threads && !pwa && c->o->host == WD_HOST_ITCH && wdi_itch_isolation_note(c->out, "export_presets.cfg"))
    return WDI_OOM;
  if (threads && check_pool_sizes(c, presets, opts, name)) return WDI_OOM;
  /* third-party resources in head_include, with isolation on */
  const char *head = wd_cfg_get_string(presets, opts, "html/head_include", "");
  if (threads && (strstr(head, "http://") || strstr(head, "https://") || strstr(head, "src=\"//"))) {
    f = at_entry(wd_findings_add(c->out, WD308, "export_presets.cfg",
                                 N_("preset \"%s\" loads resources from other sites in a cross-origin isolated page"),
                                 name),
                 wd_cfg_find(presets, opts, "html/head_include"));
    if (!f || wd_finding_explain(f, N_("With Cross-Origin-Embedder-Policy: require-corp, browsers block "
                                      "cross-origin scripts, images and iframes that do not send "
                                      "Cross-Origin-Resource-Policy or CORS headers "
                                      "(net::ERR_BLOCKED_BY_RESPONSE.NotSameOriginAfterDefaultedToSameOriginByCoep).")) ||
        wd_finding_add_fix(f, N_("Serve those resources yourself, or use COEP credentialless, or turn "
                                "Thread Support off."), NULL))
      return WDI_OOM;
  }
  int rc = check_template(c, presets, opts, "custom_template/release", threads, web_exts > 0);
  if (!rc) rc = check_template(c, presets, opts, "custom_template/debug", threads, web_exts > 0);
  if (rc) return rc;

  /* each extension, for debug and release exports */
  for (uint32_t i = 0; i < c->gdext.n; i++) {
    const wd_gdextension *g = c->ext[i];
    if (!g) continue;
    bool no_match_reported = false;
    const wd_gdext_library *mismatch[2] = {NULL, NULL};
    wd_module *mismatch_mod = NULL;
    const wd_gdext_library *entry_checked = NULL;
    for (int debug = 1; debug >= 0; debug--) {
      const char *feat[16];
      uint32_t nf = wd_web_export_features(threads, debug, desktop, mobile, c->godot_minor, feat);
      int li = wd_gdext_match(g, feat, nf);
      if (li < 0 && !wd_gdext_has_web(g)) {
        if (no_match_reported) continue;
        no_match_reported = true;
        f = wd_findings_add(c->out, WD321, c->gdext.v[i],
                            N_("preset \"%s\": %s has no web library: the export leaves it out"), name,
                            c->gdext.v[i]);
        if (!f) return WDI_OOM;
        char msg[1024];
        char list[512] = "";
        size_t k = 0;
        for (uint32_t t = 0; t < nf; t++) {
          int w = snprintf(list + k, sizeof list - k, "%s%s", t ? ", " : "", feat[t]);
          if (w > 0) k += (size_t)w < sizeof list - k ? (size_t)w : sizeof list - k - 1;
        }
        snprintf(msg, sizeof msg,
                 "No suitable library found for GDExtension: %s. Possible feature flags for your platform: %s",
                 g->res_path, list);
        if (wd_finding_set_engine_message(f, msg) ||
            wdi_explain_no_web_library(f) ||
            wd_finding_add_fix(f, N_("If it does, get or build a web build of the extension (a side module, "
                                    "godot-cpp platform=web) and add web.debug.wasm32 / web.release.wasm32 "
                                    "keys (with .threads / .nothreads variants) for it."),
                               NULL))
          return WDI_OOM;
        continue;
      }
      if (li < 0) {
        if (no_match_reported) continue;
        no_match_reported = true;
        char list[512] = "";
        size_t k = 0;
        for (uint32_t t = 0; t < nf; t++) {
          int w = snprintf(list + k, sizeof list - k, "%s%s", t ? ", " : "", feat[t]);
          if (w > 0) k += (size_t)w < sizeof list - k ? (size_t)w : sizeof list - k - 1;
        }
        f = wd_findings_add(c->out, WD302, c->gdext.v[i],
                            N_("preset \"%s\": no library of %s matches a %s Web export"), name, c->gdext.v[i],
                            threads ? W_("threaded") : W_("nothreads"));
        if (!f) return WDI_OOM;
        char msg[1024];
        snprintf(msg, sizeof msg,
                 "No suitable library found for GDExtension: %s. Possible feature flags for your platform: %s",
                 g->res_path, list);
        if (wd_finding_set_engine_message(f, msg) ||
            wd_finding_explain(f, N_("Godot keeps the [libraries] keys whose every tag is one of these "
                                    "features and takes the one with the most tags. None matches, so the "
                                    "export leaves the extension out and at run time it prints \"No "
                                    "GDExtension library found for current OS and architecture "
                                    "(web.wasm32)\".")) ||
            wd_finding_add_fix(f, threads ? N_("Add web.debug.threads.wasm32 / web.release.threads.wasm32 (or "
                                              "web.debug.wasm32 / web.release.wasm32) keys pointing at web "
                                              "builds made with threads=yes.")
                                          : N_("Add web.debug.wasm32 / web.release.wasm32 keys pointing at web "
                                              "builds made with threads=no (lib<name>.web.<target>.wasm32.nothreads.wasm)."),
                               NULL))
          return WDI_OOM;
        continue;
      }
      const wd_gdext_library *lib = &g->libs[li];
      char *path = wd_gdext_resolve(g, c->dir, lib->path);
      if (!path) return WDI_OOM;
      struct stat st;
      if (stat(path, &st) != 0) {
        f = wd_findings_add(c->out, WD305, c->gdext.v[i],
                            N_("%s = %s: the file is missing"), lib->key, lib->path);
        free(path);
        if (!f) return WDI_OOM;
        f->line = lib->line;
        if (wd_finding_explain(f, N_("Preset \"%s\" picks this library for a %s export, but the file is not "
                                    "in the project: the export fails or ships without the extension."),
                               name, debug ? W_("debug") : W_("release")) ||
            wd_finding_add_fix(f, N_("Download or build the extension's web libraries into the path the "
                                    ".gdextension names."), NULL))
          return WDI_OOM;
        continue;
      }
      wd_module *m = open_wasm(path);
      free(path);
      if (!m) continue;
      if (!m->dylink.present) {
        f = wd_findings_add(c->out, WD109, c->gdext.v[i],
                            N_("%s = %s is not a web side module (no dylink.0 section)"), lib->key, lib->path);
        if (f) f->line = lib->line;
        wd_module_free(m);
        if (!f || wd_finding_add_fix(f, N_("Point the key at the extension's web build (built with "
                                          "-sSIDE_MODULE=1, e.g. godot-cpp platform=web)."), NULL))
          return WDI_OOM;
        continue;
      }
      /* the entry symbol Godot looks up once the library is loaded (WD123), once per library */
      if (lib != entry_checked) {
        entry_checked = lib;
        wd_finding *ef;
        if (wdi_entry_symbol_finding(c->out, c->gdext.v[i], m, g->entry_symbol, lib->path, lib->path, &ef)) {
          wd_module_free(m);
          return WDI_OOM;
        }
        if (ef) ef->line = lib->line;
      }
      const wd_limits *l = wd_module_memory0(m, NULL);
      if (l && l->shared != threads) {
        mismatch[debug] = lib;
        /* the finding names the release build when it is wrong too: the
         * one that ships, and the one the report's chain draws */
        wd_module_free(mismatch_mod);
        mismatch_mod = m;
        continue;
      }
      wd_module_free(m);
    }
    if (mismatch_mod) {
      const wd_gdext_library *first = mismatch[0] ? mismatch[0] : mismatch[1];
      wd_link_facts facts = {0};
      bool oom = false;
      char *alt = fix_keys(c, g, threads, desktop, mobile, &oom);
      if (oom) {
        wd_module_free(mismatch_mod);
        return WDI_OOM;
      }
      facts.alt_build = alt;
      if (threads) facts.prefer_nothreads = alt == NULL;
      else facts.threads_needed = alt == NULL;
      const char *libname = strrchr(first->path, '/');
      libname = libname ? libname + 1 : first->path;
      /* a word: the name is written in the explanation's language */
      const char *engine_name = threads ? W_("web_dlink template") : W_("web_dlink_nothreads template");
      int r2 = shared_mismatch_finding(c, WD301, c->gdext.v[i], NULL, mismatch_mod, libname, threads,
                                       engine_name, &facts);
      wd_module_free(mismatch_mod);
      free(alt);
      if (r2) return r2;
      wd_finding *last = &c->out->v[c->out->n - 1];
      last->line = first->line;
      wd_msg keys, more, joined;
      int mrc = mismatch[0] && mismatch[1]
                   ? wd_msg_init(&keys, N_("%s = %s (debug) and %s = %s (release)"), mismatch[1]->key,
                                 mismatch[1]->path, mismatch[0]->key, mismatch[0]->path)
                   : wd_msg_init(&keys, mismatch[1] ? N_("%s = %s (debug)") : N_("%s = %s (release)"), first->key,
                                 first->path);
      if (mrc) return WDI_OOM;
      if (wd_msg_init(&more, N_("Preset \"%s\" (export_presets.cfg) has Thread Support %s, so Godot picks %s."), name,
                      threads ? W_("on") : W_("off"), "")) {
        wd_msg_free(&keys);
        return WDI_OOM;
      }
      /* TRANSLATORS: two sentences of an explanation, one after the other
         (no space after a full-width full stop) */
      mrc = wd_msg_init(&joined, N_("%s %s"), "", "");
      if (!mrc) mrc = wd_msg_set_arg_msg(&more, 2, &keys);
      if (!mrc) mrc = wd_msg_set_arg_msg(&joined, 0, &more);
      if (!mrc && last->explanation.id) mrc = wd_msg_set_arg_msg(&joined, 1, &last->explanation);
      wd_msg_free(&keys);
      wd_msg_free(&more);
      if (mrc) {
        wd_msg_free(&joined);
        return WDI_OOM;
      }
      wd_msg_free(&last->explanation);
      last->explanation = joined;
    }
  }
  return 0;
}

/* preset -> template -> the release library of each extension */
static void add_chain(pctx *c, wd_check_summary *sum, const wd_cfg *presets, const char *sec, const char *opts) {
  const char *name = wd_cfg_get_string(presets, sec, "name", sec);
  bool threads = wd_cfg_get_bool(presets, opts, "variant/thread_support", false);
  bool dlink = wd_cfg_get_bool(presets, opts, "variant/extensions_support", false);
  bool desktop = wd_cfg_get_bool(presets, opts, "vram_texture_compression/for_desktop", true);
  bool mobile = wd_cfg_get_bool(presets, opts, "vram_texture_compression/for_mobile", false);
  wd_chain_node *pn = wdi_chain_add(sum, c->out, WD_CHAIN_PRESET, name, "export_presets.cfg", -1);
  if (pn) snprintf(pn->file, sizeof pn->file, "export_presets.cfg");
  const char *custom = wd_cfg_get_string(presets, opts, "custom_template/release", "");
  char tmpl[128];
  if (custom[0]) snprintf(tmpl, sizeof tmpl, "%s", custom);
  else snprintf(tmpl, sizeof tmpl, "web%s%s_release.zip", dlink ? "_dlink" : "", threads ? "" : "_nothreads");
  wdi_chain_add(sum, c->out, WD_CHAIN_TEMPLATE, tmpl, NULL, threads);
  for (uint32_t i = 0; i < c->gdext.n; i++) {
    const wd_gdextension *g = c->ext[i];
    if (!g) continue;
    const char *feat[16];
    uint32_t nf = wd_web_export_features(threads, false, desktop, mobile, c->godot_minor, feat);
    int li = wd_gdext_match(g, feat, nf);
    int shared = -1;
    char label[128], rel[256] = "", ems[32] = "";
    if (li >= 0) {
      char *p = wd_gdext_resolve(g, c->dir, g->libs[li].path);
      size_t dl = strlen(c->dir);
      if (p) snprintf(rel, sizeof rel, "%s", !strncmp(p, c->dir, dl) && p[dl] == '/' ? p + dl + 1 : p);
      wd_module *m = p ? open_wasm(p) : NULL;
      const wd_limits *l = m ? wd_module_memory0(m, NULL) : NULL;
      if (l) shared = l->shared;
      if (m) wd_link_emscripten_version(m, ems, sizeof ems);
      wd_module_free(m);
      free(p);
      const char *b = strrchr(g->libs[li].path, '/');
      snprintf(label, sizeof label, "%s", b ? b + 1 : g->libs[li].path);
    } else {
      snprintf(label, sizeof label, "%s", c->gdext.v[i]);
    }
    wd_chain_node *en = wdi_chain_add(sum, c->out, WD_CHAIN_EXTENSION, label, c->gdext.v[i], shared);
    if (en) {
      snprintf(en->file, sizeof en->file, "%s", rel);
      snprintf(en->emscripten, sizeof en->emscripten, "%s", ems);
    }
  }
}

wd_status wd_check_project_dir(const char *dir, const wd_check_options *o, wd_findings *out,
                               wd_check_summary *summary, wd_error *err) {
  static const wd_check_options defaults = {0};
  if (!o) o = &defaults;
  wd_check_summary local;
  if (!summary) summary = &local;
  wdi_summary_init(summary, WD_CHECKED_PROJECT);
  pctx c;
  memset(&c, 0, sizeof c);
  c.dir = dir;
  c.o = o;
  c.out = out;
  wd_cfg *project = NULL, *presets = NULL;
  wd_status s = WD_OK;
  char path[4096];
  wd_error perr;
  wd_finding *f;

  snprintf(path, sizeof path, "%s/project.godot", dir);
  wd_error_clear(&perr);
  if (wd_cfg_open(path, &project, &perr) != WD_OK) {
    f = wd_findings_add(out, WD300, "project.godot", "%s", perr.msg);
    if (!f || wd_msg_set_arg_text2(&f->message, 0, perr.msg_en, perr.msg)) goto oom;
    f->line = perr.line;
    f->column = perr.column;
  } else {
    c.godot_minor = wd_project_godot_minor(project, summary->godot_version, sizeof summary->godot_version);
    const wd_cfg_entry *rm = wd_cfg_find(project, "rendering", "renderer/rendering_method.web");
    const char *method = rm ? wd_cfg_string(rm->value) : NULL;
    if (method && strcmp(method, "gl_compatibility") != 0) {
      f = at_entry(wd_findings_add(out, WD307, "project.godot",
                                   N_("the Web renderer is set to %s; only gl_compatibility runs on the Web"), method),
                   rm);
      if (!f || wd_finding_add_fix(f, N_("Set Rendering > Renderer > Rendering Method (Web) to gl_compatibility."), NULL))
        goto oom;
    }
  }
  if (wd_project_scan(dir, &c.gdext, &c.csproj, &perr)) goto oom;
  c.ext = calloc(c.gdext.n + 1, sizeof *c.ext);
  if (!c.ext) goto oom;
  for (uint32_t i = 0; i < c.gdext.n; i++) {
    char file[4096], res[4096];
    snprintf(file, sizeof file, "%s/%s", dir, c.gdext.v[i]);
    snprintf(res, sizeof res, "res://%s", c.gdext.v[i]);
    wd_error_clear(&perr);
    if (wd_gdext_open(file, res, &c.ext[i], &perr) != WD_OK) {
      f = wd_findings_add(out, WD300, c.gdext.v[i], "%s", perr.msg);
      if (!f || wd_msg_set_arg_text2(&f->message, 0, perr.msg_en, perr.msg)) goto oom;
      f->line = perr.line;
      f->column = perr.column;
    } else if (!c.ext[i]->entry_symbol || !c.ext[i]->entry_symbol[0]) {
      /* Godot refuses the extension on every platform without it */
      char em[4400];
      snprintf(em, sizeof em,
               "GDExtension configuration file must contain a \"configuration/entry_symbol\" key: %s", res);
      f = wd_findings_add(out, WD322, c.gdext.v[i],
                          N_("%s has no entry_symbol in [configuration]: Godot does not load the extension"),
                          c.gdext.v[i]);
      if (!f) goto oom;
      const wd_cfg_section *sec = wd_cfg_section_get(c.ext[i]->cfg, "configuration");
      if (sec) f->line = sec->header_span.line;
      if (wd_finding_set_engine_message(f, em) ||
          wd_finding_explain(f, N_("The entry symbol is the name of the function Godot calls to start the "
                                  "extension (godot-cpp's GDE_EXPORT ..._init, e.g. limboai_init); without "
                                  "it the extension is not loaded, in the editor nor in an export, and "
                                  "its classes are missing.")) ||
          wd_finding_add_fix(f, N_("Add entry_symbol = \"<name>_init\" under [configuration], the name the "
                                  "extension's library exports (its documentation or `webdoctor inspect "
                                  "LIB.wasm` lists the exports)."),
                             NULL))
        goto oom;
    }
  }
  summary->nextensions = c.gdext.n;

  snprintf(path, sizeof path, "%s/export_presets.cfg", dir);
  struct stat st;
  if (stat(path, &st) != 0) {
    f = wd_findings_add(out, WD309, NULL, "%s",
                        W_("no export_presets.cfg: add a Web export preset (Project > Export) to check it"));
    if (!f) goto oom;
  } else {
    wd_error_clear(&perr);
    if (wd_cfg_open(path, &presets, &perr) != WD_OK) {
      f = wd_findings_add(out, WD300, "export_presets.cfg", "%s", perr.msg);
      if (!f || wd_msg_set_arg_text2(&f->message, 0, perr.msg_en, perr.msg)) goto oom;
      f->line = perr.line;
      f->column = perr.column;
    } else {
      for (int64_t i = wd_cfg_next_section(presets, "preset.", true, 0); i >= 0;
           i = wd_cfg_next_section(presets, "preset.", true, (uint32_t)i + 1)) {
        char sec[256];
        snprintf(sec, sizeof sec, "%.*s", (int)presets->sections[i].name.len, presets->sections[i].name.ptr);
        const char *platform = wd_cfg_get_string(presets, sec, "platform", "");
        if (strcmp(platform, "Web") != 0) continue;
        summary->npresets++;
        char opts[300];
        snprintf(opts, sizeof opts, "%s.options", sec);
        summary->threads = wd_cfg_get_bool(presets, opts, "variant/thread_support", false);
        summary->dlink = wd_cfg_get_bool(presets, opts, "variant/extensions_support", false);
        if (check_preset(&c, presets, i)) goto oom;
        add_chain(&c, summary, presets, sec, opts);
      }
      if (!summary->npresets) {
        f = wd_findings_add(out, WD309, "export_presets.cfg", "%s",
                            W_("no Web export preset: add one (Project > Export > Add... > Web) to check it"));
        if (!f) goto oom;
      }
    }
  }
  goto done;
oom:
  s = wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
done:
  if (c.ext)
    for (uint32_t i = 0; i < c.gdext.n; i++) wd_gdext_free(c.ext[i]);
  free(c.ext);
  wd_path_list_free(&c.gdext);
  wd_path_list_free(&c.csproj);
  wd_cfg_free(project);
  wd_cfg_free(presets);
  wd_findings_sort(out);
  return s;
}
