/*
 * `webdoctor headers`: the plan of what a host needs (see include/webdoctor/headers.h);
 * generators.c writes each host's files, merge.c merges them into existing
 * ones, write.c writes them, json.c describes the plan.
 *
 * Every host gets the same policy, in its own syntax:
 *  - threaded exports only: Cross-Origin-Opener-Policy: same-origin and
 *    Cross-Origin-Embedder-Policy: require-corp on every response (the page,
 *    and the scripts that become workers);
 *  - .wasm as application/wasm, .pck as application/octet-stream (IIS
 *    refuses unknown extensions with a 404);
 *  - precompressed copies (index.wasm.br / .gz next to index.wasm) where the
 *    server can pick them, else compression on the fly;
 *  - Cache-Control: no-cache: Godot's file names do not change between
 *    exports, so a long-lived cache mixes an old index.wasm with a new
 *    index.pck; no-cache revalidates (a 304 costs one round trip).
 * Sources: the servers' and hosts' documentation; nginx, Apache and Caddy
 * output is verified against the Debian servers in tests/net/servers.test.sh.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/str.h"
#include "common/buf.h"
#include "common/file.h"
#include "common/i18n.h"
#include "deploy/deploy_int.h"
#include "webdoctor/cfg.h"
#include "webdoctor/wasm.h"
#include "wd_config.h"

char *wdi_deploy_finish(wd_buf *b, int rc) {
  if (rc) {
    wd_buf_release(b);
    return NULL;
  }
  return wd_buf_detach(b, NULL);
}


/* ---- what the export tells ------------------------------------------- */

typedef struct facts {
  wd_export_folder *e;     /* NULL without a folder, and for a project folder */
  bool project;            /* --dir is a Godot project folder (project.godot) */
  bool pwa_coi;            /* Godot's PWA service worker adds the headers */
  bool has_gz, has_br;     /* precompressed copies present */
} facts;

/* ---- the plan under construction --------------------------------------- */

typedef struct builder {
  wd_headers_plan *p;
  bool oom;
} builder;

static void add_file(builder *b, const char *name, wd_headers_merge merge, const char *where, char *content) {
  if (!content) {
    b->oom = true;
    return;
  }
  wd_headers_file *v = realloc(b->p->files, (b->p->nfiles + 1) * sizeof *v);
  if (!v) {
    free(content);
    b->oom = true;
    return;
  }
  b->p->files = v;
  wd_headers_file *f = &v[b->p->nfiles];
  f->name = wd_strdup(name);
  f->where = wd_strdup(where);
  f->content = content;
  f->merge = merge;
  f->outside = false;
  b->p->nfiles++;
  if (!f->name || !f->where) b->oom = true;
}

/* Server configuration: never in the deployed folder (a server's
 * configuration on a public URL); --write puts it beside the export. */
static void add_outside(builder *b, const char *name, const char *where, char *content) {
  uint32_t n = b->p->nfiles;
  add_file(b, name, WD_MERGE_REPLACE, where, content);
  if (b->p->nfiles > n) b->p->files[n].outside = true;
}

static void add_str(builder *b, char ***v, uint32_t *n, char *s) {
  if (!s) {
    b->oom = true;
    return;
  }
  char **nv = realloc(*v, (*n + 1) * sizeof *nv);
  if (!nv) {
    free(s);
    b->oom = true;
    return;
  }
  *v = nv;
  nv[(*n)++] = s;
}

#define STEP(b, ...) add_str((b), &(b)->p->steps, &(b)->p->nsteps, wd_asprintf(__VA_ARGS__))
#define NOTE(b, ...) add_str((b), &(b)->p->notes, &(b)->p->nnotes, wd_asprintf(__VA_ARGS__))

const char *wd_headers_isolation_key(wd_host host) {
  switch (wd_host_get(host)->isolation) {
  case WD_ISOLATION_OPTION: return "option";
  case WD_ISOLATION_SERVICE_WORKER: return "service-worker";
  case WD_ISOLATION_NONE: return "none";
  case WD_ISOLATION_CONFIG: break;
  }
  return "config";
}

const char *wd_headers_isolation_summary(wd_host host) {
  switch (wd_host_get(host)->isolation) {
  case WD_ISOLATION_OPTION: return _("yes, with the \"SharedArrayBuffer support\" option");
  case WD_ISOLATION_SERVICE_WORKER: return _("no: a service worker adds them");
  case WD_ISOLATION_NONE: return _("no known way: export without threads");
  case WD_ISOLATION_CONFIG: break;
  }
  return _("yes, from a configuration file");
}

const char *wdi_deploy_threads_line(const wd_headers_plan *p) {
  if (p->threads) return _("threaded export: cross-origin isolation (COOP/COEP) on");
  return _("export without threads: no COOP/COEP needed");
}

/* ---- steps -------------------------------------------------------------- */

static void limits_notes(builder *b, const facts *fx) {
  const wd_host_info *h = wd_host_get(b->p->host);
  char sz[WD_SIZE_STR_MAX], lim[WD_SIZE_STR_MAX];
  if (!fx->e) {
    if (h->max_file_size)
      NOTE(b, _("%s accepts files up to %s: give --dir to check the export against it"), h->name,
           wd_format_size(h->max_file_size, lim, sizeof lim));
    return;
  }
  const wd_export_folder *e = fx->e;
  for (uint32_t i = 0; i < e->nfiles && h->max_file_size; i++)
    if (e->files[i].size > h->max_file_size)
      NOTE(b, _("%s is %s: %s accepts files up to %s (upload a precompressed copy, or make it smaller)"),
           e->files[i].name, wd_format_size(e->files[i].size, sz, sizeof sz), h->name,
           wd_format_size(h->max_file_size, lim, sizeof lim));
  if (h->max_total_size && e->total_size > h->max_total_size)
    NOTE(b, _("the export is %s: %s accepts up to %s"), wd_format_size(e->total_size, sz, sizeof sz), h->name,
         wd_format_size(h->max_total_size, lim, sizeof lim));
  if (h->max_files && e->nfiles > h->max_files)
    NOTE(b, _("the export has %u files: %s accepts up to %u"), e->nfiles, h->name, h->max_files);
}

static const char *compress_cmd(void) {
  return "for f in *.wasm *.pck *.js; do gzip -9 -k -f \"$f\"; brotli -k -f \"$f\"; done";
}

static void steps_server(builder *b, const facts *fx, const char *file) {
  wd_host h = b->p->host;
  switch (h) {
  case WD_HOST_NGINX:
    STEP(b, _("Copy %s to /etc/nginx/snippets/godot-web.conf and add `include snippets/godot-web.conf;` "
              "inside the server { } block whose root is the export folder."), file);
    STEP(b, _("Check and reload: `nginx -t && nginx -s reload`."));
    STEP(b, _("Optional, smaller downloads: after each export, compress next to the files (nginx sends "
              "index.wasm.gz in place of index.wasm): `%s` (brotli needs the ngx_brotli module)."),
         compress_cmd());
    break;
  case WD_HOST_APACHE:
    STEP(b, _("Put %s in the export folder (next to %s)."), file, b->p->shell);
    STEP(b, _("Enable the modules: `a2enmod headers mime rewrite deflate`, and let the folder use them: "
              "AllowOverride FileInfo (or All) in its <Directory> block; then `apachectl configtest && "
              "apachectl graceful`."));
    STEP(b, _("Optional, smaller downloads: after each export, compress next to the files: `%s`."),
         compress_cmd());
    break;
  case WD_HOST_CADDY:
    STEP(b, _("Paste %s into the site block of your Caddyfile whose root is the export folder (or `import` "
              "it there), then `caddy reload`."), file);
    STEP(b, _("Optional, smaller downloads: after each export, compress next to the files: `%s`."),
         compress_cmd());
    break;
  case WD_HOST_LIGHTTPD:
    STEP(b, _("Copy %s to /etc/lighttpd/conf-enabled/90-godot-web.conf, install and enable the modules "
              "(Debian: `apt-get install lighttpd-mod-deflate && lighty-enable-mod setenv deflate`), then `lighttpd -tt -f /etc/lighttpd/lighttpd.conf && "
              "systemctl reload lighttpd`."), file);
    break;
  case WD_HOST_IIS:
    STEP(b, _("Put %s in the export folder (the site or application root)."), file);
    STEP(b, _("Static content compression is set per server: add application/wasm to the staticTypes of "
              "<httpCompression> in applicationHost.config to compress .wasm."));
    break;
  default:
    break;
  }
  (void)fx;
}

/* ---- the plan ------------------------------------------------------------ */

/* --dir is a Godot project folder, not an export: the first Web preset of
 * its export_presets.cfg tells whether the export has threads (Thread
 * Support, off when the key is missing, as check reads it) and where it
 * goes (export_path, relative to the project). */
static wd_status read_project(const wd_headers_options *o, wd_headers_plan *p, wd_error *err) {
  char *path = wd_asprintf("%s/export_presets.cfg", o->dir);
  if (!path) return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  wd_cfg *presets = NULL;
  wd_error perr;
  wd_error_clear(&perr);
  struct stat st;
  if (stat(path, &st) == 0 && wd_cfg_open(path, &presets, &perr) != WD_OK) {
    /* the same error check reports as WD300 */
    free(path);
    *err = perr;
    return perr.code;
  }
  free(path);
  wd_status s = WD_OK;
  for (int64_t i = presets ? wd_cfg_next_section(presets, "preset.", true, 0) : -1; i >= 0;
       i = wd_cfg_next_section(presets, "preset.", true, (uint32_t)i + 1)) {
    char sec[256], opts[300];
    snprintf(sec, sizeof sec, "%.*s", (int)presets->sections[i].name.len, presets->sections[i].name.ptr);
    if (strcmp(wd_cfg_get_string(presets, sec, "platform", ""), "Web") != 0) continue;
    snprintf(opts, sizeof opts, "%s.options", sec);
    if (o->threads < 0) {
      p->threads = wd_cfg_get_bool(presets, opts, "variant/thread_support", false);
      p->threads_from = WD_THREADS_FROM_PRESET;
    }
    const char *xp = wd_cfg_get_string(presets, sec, "export_path", "");
    if (!strncmp(xp, "res://", 6)) xp += 6;
    const char *slash = strrchr(xp, '/');
    p->preset = wd_strdup(wd_cfg_get_string(presets, sec, "name", sec));
    if (!*xp) p->export_dir = wd_strdup("");
    else if (!slash) p->export_dir = wd_strdup(o->dir);
    else if (xp[0] == '/') p->export_dir = wd_strndup(xp, slash == xp ? 1 : (size_t)(slash - xp));
    else p->export_dir = wd_asprintf("%s/%.*s", o->dir, (int)(slash - xp), xp);
    const char *base = slash ? slash + 1 : xp;
    if (*base) {
      free(p->shell);
      p->shell = wd_strdup(base);
    }
    if (!p->preset || !p->export_dir || !p->shell) s = wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
    break;
  }
  wd_cfg_free(presets);
  return s;
}

static wd_status read_facts(const wd_headers_options *o, wd_headers_plan *p, facts *fx, wd_error *err) {
  memset(fx, 0, sizeof *fx);
  p->threads_from = WD_THREADS_DEFAULT;
  p->threads = false;
  if (o->threads >= 0) {
    p->threads = o->threads == 1;
    p->threads_from = WD_THREADS_FROM_OPTION;
  }
  if (!o->dir) return WD_OK;
  struct stat st;
  if (stat(o->dir, &st) != 0)
    return wd_error_set(err, WD_ERR_IO, N_("cannot open '%s': %s"), o->dir, strerror(errno));
  if (!S_ISDIR(st.st_mode))
    return wd_error_set(err, WD_ERR_USAGE, N_("'%s' is not a folder: give the export folder"), o->dir);
  char *godot = wd_asprintf("%s/project.godot", o->dir);
  if (!godot) return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  fx->project = stat(godot, &st) == 0 && S_ISREG(st.st_mode);
  free(godot);
  if (fx->project) return read_project(o, p, err);
  wd_status s = wd_export_folder_open(o->dir, &fx->e, err);
  if (s) return s;
  const wd_export_folder *e = fx->e;
  if (e->shell) {
    free(p->shell);
    if (!(p->shell = wd_strdup(e->shell))) return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  }
  fx->pwa_coi = e->service_worker && e->ensure_coi && wd_export_folder_find(e, e->service_worker);
  for (uint32_t i = 0; i < e->nfiles; i++) {
    if (wd_ends_with(e->files[i].name, ".gz")) fx->has_gz = true;
    if (wd_ends_with(e->files[i].name, ".br")) fx->has_br = true;
  }
  if (o->threads >= 0 || !e->has_config) return WD_OK;
  /* the engine tells best: its memory is shared when built with threads */
  char name[1024];
  snprintf(name, sizeof name, "%s.wasm", e->executable);
  if (wd_export_folder_find(e, name)) {
    char *path = wd_export_folder_path(e, name);
    if (!path) return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
    wd_read_options ro = {.skip_code = true};
    wd_module *m = NULL;
    wd_error merr;
    wd_error_clear(&merr);
    if (wd_module_open(path, &ro, &m, &merr) == WD_OK) {
      const wd_limits *l = wd_module_memory0(m, NULL);
      if (l) {
        p->threads = l->shared;
        p->threads_from = WD_THREADS_FROM_ENGINE;
      }
      wd_module_free(m);
    }
    free(path);
    if (p->threads_from == WD_THREADS_FROM_ENGINE) return WD_OK;
  }
  if (e->threads_enabled >= 0) {
    p->threads = e->threads_enabled == 1;
    p->threads_from = WD_THREADS_FROM_SHELL;
  }
  return WD_OK;
}

static void nothing_to_write(builder *b, char *why) {
  if (!why) b->oom = true;
  free(b->p->nothing_to_write);
  b->p->nothing_to_write = why;
}

/* A threaded export on a host with no known way to send COOP/COEP
 * (WD_ISOLATION_NONE): what check's WD203 says, and what remains. */
static void cannot_isolate(builder *b, const wd_host_info *h) {
  NOTE(b, _("The engine's memory is shared (threads), which needs SharedArrayBuffer, which browsers give only "
            "to pages sent with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: "
            "require-corp. %s cannot send these headers, so the page will show \"The following features "
            "required to run Godot projects on the Web are missing: Cross-Origin Isolation\"."),
       h->name);
  STEP(b, _("Turn Thread Support off, with builds of every GDExtension without threads (`webdoctor fix "
            "--strategy nothreads`)."));
  STEP(b, _("Or keep threads and let a service worker add the headers: turn on Progressive Web App > Enabled "
            "and Ensure Cross Origin Isolation Headers in the Web preset (`webdoctor fix --strategy threads "
            "--host %s`); %s shows the game in a frame of its own page, and whether the worker can isolate it "
            "there is not known: test the published page."),
       h->key, h->name);
}

static void plan_pages(builder *b, const facts *fx, bool gitlab) {
  wd_headers_plan *p = b->p;
  const wd_host_info *h = wd_host_get(p->host);
  if (p->threads && fx->pwa_coi) {
    NOTE(b, _("%s cannot send headers, but the export's PWA service worker (%s) adds COOP/COEP itself: "
              "nothing to install"), h->name, fx->e->service_worker);
    nothing_to_write(b, wd_asprintf(_("the export's PWA service worker (%s) adds COOP/COEP itself"),
                                    fx->e->service_worker));
  } else if (p->threads) {
    p->service_worker = true;
    add_file(b, WD_COI_SW_NAME, WD_MERGE_REPLACE, _("the export folder, next to the HTML shell"),
             wd_strdup(wd_coi_serviceworker_js()));
    add_file(b, p->shell, WD_MERGE_HTML_SCRIPT, _("the export folder"),
             wd_asprintf("<script src=\"%s\"></script>\n", WD_COI_SW_NAME));
    NOTE(b, _("%s cannot send response headers: the service worker %s adds COOP/COEP instead. Its limits: "
              "the first visit reloads the page once; it needs HTTPS (or localhost); browsers without "
              "service workers (Firefox private windows) stay without threads; do not combine it with "
              "Godot's PWA option"), h->name, WD_COI_SW_NAME);
    STEP(b, _("Put %s next to %s, and load it as the first script of <head>: <script src=\"%s\"></script> "
              "(--write does both)."), WD_COI_SW_NAME, p->shell, WD_COI_SW_NAME);
  } else {
    NOTE(b, _("an export without threads needs no headers on %s: it serves the export as it is"), h->name);
    nothing_to_write(b, wd_asprintf(_("an export without threads needs no headers on %s: it serves the export "
                                      "as it is"), h->name));
  }
  if (gitlab) {
    STEP(b, _("Publish the export as the `public` folder of a `pages` job in .gitlab-ci.yml; GitLab Pages "
              "sends the precompressed copies it finds next to a file, so add to the job's script: "
              "`cd public && %s`."), compress_cmd());
  } else {
    STEP(b, _("Push the export to the branch or folder GitHub Pages publishes (Settings > Pages), or "
              "upload it with the actions/upload-pages-artifact action; GitHub Pages compresses with gzip "
              "on its own."));
  }
  if (p->threads)
    STEP(b, _("Open the page over https:// once: it reloads itself, then `webdoctor probe URL` should "
              "report it clean apart from the service worker note."));
}

static void plan_upload_site(builder *b, const facts *fx, bool itch) {
  wd_headers_plan *p = b->p;
  const wd_host_info *h = wd_host_get(p->host);
  nothing_to_write(b, wd_asprintf(_("%s takes the export as a zip upload, with no file of webdoctor's: follow "
                                    "the steps"), h->name));
  const char *dir = fx->e ? fx->e->dir : "EXPORT";
  STEP(b, _("Zip the contents of the export folder, not the folder itself: %s must be at the top of the "
            "zip (`cd %s && zip -r ../game.zip .`)."), p->shell, dir);
  if (itch) {
    STEP(b, _("On itch.io: Create new project (or Edit game) > Kind of project: HTML; upload game.zip and "
              "tick \"This file will be played in the browser\"."));
    if (p->threads)
      STEP(b, _("Under Embed options > Frame options tick \"SharedArrayBuffer support\": itch.io then "
                "serves the game with COOP/COEP (on html.itch.zone; saves in the browser's storage from "
                "before the switch are not carried over)."));
    if (p->threads)
      NOTE(b, _("itch.io marks \"SharedArrayBuffer support\" experimental: it moves the game to another domain, "
                "so players' saves from before (IndexedDB, localStorage: Godot's user://) are not found, and it "
                "has broken games on Firefox for Android and in the itch desktop app (itchio/itch.io#1469); "
                "an export without threads needs no such option"));
    else
      STEP(b, _("Leave \"SharedArrayBuffer support\" unticked: an export without threads does not need it, "
                "and it blocks cross-origin embeds."));
    STEP(b, _("Set the viewport size to the project's window size, and offer a fullscreen button."));
    char a[WD_SIZE_STR_MAX], c[WD_SIZE_STR_MAX];
    NOTE(b, _("itch.io limits an HTML upload to %u files, %s per file and %s in all (after unzipping); it does "
              "not compress files on the fly"),
         h->max_files, wd_format_size(h->max_file_size, a, sizeof a), wd_format_size(h->max_total_size, c, sizeof c));
  } else {
    STEP(b, _("On Newgrounds: Submit > Game, upload game.zip as the game file (HTML5 / zip), and set the "
              "frame size to the project's window size."));
    NOTE(b, _("check the upload size limit on the Newgrounds submission form before exporting large "
              "assets; keep index.wasm and the .pck as small as you can"));
  }
  if (p->threads && h->isolation == WD_ISOLATION_NONE) cannot_isolate(b, h);
  STEP(b, _("After publishing, check the live page: `webdoctor probe URL` (the address of the game's frame, "
            "not of the store page)."));
}

wd_status wd_headers_plan_make(const wd_headers_options *o, wd_headers_plan **out, wd_error *err) {
  *out = NULL;
  wd_headers_plan *p = calloc(1, sizeof *p);
  if (!p) return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  p->host = o->host;
  p->shell = wd_strdup("index.html");
  if (!p->shell) {
    free(p);
    return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  }
  if (o->host <= WD_HOST_UNKNOWN || o->host >= WD_HOST_COUNT) {
    wd_headers_plan_free(p);
    return wd_error_set(err, WD_ERR_USAGE, "%s", W_("no host given"));
  }
  facts fx;
  wd_status s = read_facts(o, p, &fx, err);
  if (s) {
    wd_export_folder_free(fx.e);
    wd_headers_plan_free(p);
    return s;
  }
  builder b = {p, false};
  const wd_host_info *h = wd_host_get(p->host);
  if (fx.e && !fx.e->has_config)
    NOTE(&b, _("%s holds no Godot web export (no HTML shell with GODOT_CONFIG): the configuration is "
               "generic"), fx.e->dir);
  if (fx.project && !p->preset)
    NOTE(&b, _("%s is a Godot project folder, not an export, and has no Web export preset: assumed an export "
               "without threads; add a Web preset (Project > Export) or give --threads"), o->dir);
  else if (fx.project && !*p->export_dir)
    NOTE(&b, _("%s is a Godot project folder, not an export: threads are read from its Web preset \"%s\"; "
               "once exported, give --dir with the folder it exports to (its export path is empty) to check the "
               "files and to --write there"), o->dir, p->preset);
  else if (fx.project)
    NOTE(&b, _("%s is a Godot project folder, not an export: threads are read from its Web preset \"%s\"; "
               "once exported, give --dir %s (the folder the preset exports to) to check the files and to "
               "--write there"), o->dir, p->preset, p->export_dir);
  if (p->threads_from == WD_THREADS_DEFAULT && !fx.project && p->host != WD_HOST_ITCH &&
      p->host != WD_HOST_NEWGROUNDS)
    NOTE(&b, _("assumed an export without threads, so no COOP/COEP: give --dir EXPORT to read it, or "
               "--threads"));
  switch (p->host) {
  case WD_HOST_NGINX: {
    const char *n = "godot-web.nginx.conf";
    add_outside(&b, n, _("nginx: /etc/nginx/snippets/ (include it in the server block); not in the export "
                         "folder"), wdi_gen_nginx(p));
    steps_server(&b, &fx, n);
    break;
  }
  case WD_HOST_APACHE:
    add_file(&b, ".htaccess", WD_MERGE_BLOCK, _("the export folder"), wdi_gen_apache(p));
    steps_server(&b, &fx, ".htaccess");
    break;
  case WD_HOST_CADDY: {
    const char *n = "godot-web.caddy";
    add_outside(&b, n, _("the Caddyfile's site block (import it); not in the export folder"), wdi_gen_caddy(p));
    steps_server(&b, &fx, n);
    break;
  }
  case WD_HOST_LIGHTTPD: {
    const char *n = "godot-web.lighttpd.conf";
    add_outside(&b, n, _("lighttpd: /etc/lighttpd/conf-enabled/; not in the export folder"), wdi_gen_lighttpd(p));
    steps_server(&b, &fx, n);
    break;
  }
  case WD_HOST_IIS:
    add_file(&b, "web.config", WD_MERGE_REPLACE, _("the export folder"), wdi_gen_iis(p));
    steps_server(&b, &fx, "web.config");
    break;
  case WD_HOST_NETLIFY:
    add_file(&b, "_headers", WD_MERGE_BLOCK, _("the published folder (the export folder)"),
             wdi_gen_headers_file(p, h->key, h->name));
    STEP(&b, _("Deploy the export folder with _headers in it (drag and drop it on the Netlify dashboard, or "
               "`netlify deploy --prod --dir EXPORT`); Netlify compresses files on its own."));
    break;
  case WD_HOST_CLOUDFLARE:
    add_file(&b, "_headers", WD_MERGE_BLOCK, _("the published folder (the export folder)"),
             wdi_gen_headers_file(p, h->key, h->name));
    STEP(&b, _("Deploy the export folder with _headers in it (`wrangler pages deploy EXPORT`); Cloudflare "
               "compresses files on its own."));
    break;
  case WD_HOST_VERCEL:
    add_file(&b, "vercel.json", WD_MERGE_JSON, _("the deployed folder (the export folder)"), wdi_gen_vercel(p));
    STEP(&b, _("Deploy the export folder with vercel.json in it (`vercel deploy --prod EXPORT`); an existing "
               "vercel.json keeps its other settings (--write merges)."));
    break;
  case WD_HOST_FIREBASE:
    add_file(&b, "firebase.json", WD_MERGE_JSON, _("the export folder (deploy from it)"), wdi_gen_firebase(p));
    STEP(&b, _("Deploy from the export folder: `firebase deploy --only hosting` (with \"public\": \".\"; in a "
               "larger project, copy the \"headers\" list into its firebase.json instead)."));
    break;
  case WD_HOST_AZURE:
    add_file(&b, "staticwebapp.config.json", WD_MERGE_JSON,
             _("the app folder (app_location; the export folder)"), wdi_gen_azure(p));
    STEP(&b, _("Deploy the export folder as the app location (app_location in the workflow, or `swa deploy "
               "EXPORT`); staticwebapp.config.json must be in it."));
    break;
  case WD_HOST_CLOUDFRONT: {
    const char *n = "cloudfront-response-headers-policy.json";
    add_outside(&b, n, _("your machine (for the aws CLI; not to upload)"), wdi_gen_cloudfront(p));
    STEP(&b, _("Upload with the right types: `aws s3 sync EXPORT s3://BUCKET/ --exclude '*.wasm' --exclude "
               "'%s' && aws s3 sync EXPORT s3://BUCKET/ --exclude '*' --include '*.wasm' --content-type "
               "application/wasm`."), n);
    STEP(&b, _("Create the policy: `aws cloudfront create-response-headers-policy "
               "--response-headers-policy-config file://%s`, and set its Id as the Response headers policy "
               "of the distribution's behavior (console: Behaviors > Edit)."), n);
    STEP(&b, _("Turn on \"Compress objects automatically\" in the behavior; CloudFront compresses only files "
               "of 1,000 to 10,000,000 bytes, so upload a larger index.wasm precompressed "
               "(`gzip -9` it, keep the name, and set --content-encoding gzip --content-type application/wasm)."));
    STEP(&b, _("Invalidate the old files after each export: `aws cloudfront create-invalidation "
               "--distribution-id ID --paths '/*'`."));
    break;
  }
  case WD_HOST_GITHUB_PAGES: plan_pages(&b, &fx, false); break;
  case WD_HOST_GITLAB_PAGES: plan_pages(&b, &fx, true); break;
  case WD_HOST_ITCH: plan_upload_site(&b, &fx, true); break;
  case WD_HOST_NEWGROUNDS: plan_upload_site(&b, &fx, false); break;
  default: break;
  }
  if (p->host != WD_HOST_ITCH && p->host != WD_HOST_NEWGROUNDS && p->host != WD_HOST_GITHUB_PAGES &&
      p->host != WD_HOST_GITLAB_PAGES)
    STEP(&b, _("Check the live page: `webdoctor probe URL`."));
  if (p->threads && fx.pwa_coi && h->can_set_headers)
    NOTE(&b, _("the export's PWA service worker (%s) also adds COOP/COEP; the headers make the first visit "
               "work without its reload"), fx.e->service_worker);
  limits_notes(&b, &fx);
  wd_export_folder_free(fx.e);
  if (b.oom) {
    wd_headers_plan_free(p);
    return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  }
  *out = p;
  return WD_OK;
}

void wd_headers_plan_free(wd_headers_plan *p) {
  if (!p) return;
  for (uint32_t i = 0; i < p->nfiles; i++) {
    free(p->files[i].name);
    free(p->files[i].content);
    free(p->files[i].where);
  }
  free(p->files);
  for (uint32_t i = 0; i < p->nsteps; i++) free(p->steps[i]);
  free(p->steps);
  for (uint32_t i = 0; i < p->nnotes; i++) free(p->notes[i]);
  free(p->notes);
  free(p->shell);
  free(p->preset);
  free(p->export_dir);
  free(p->nothing_to_write);
  free(p);
}
