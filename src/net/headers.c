/*
 * `webdoctor headers`: configuration per host (see include/webdoctor/headers.h).
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
 * Sources: shared/research/godot-web.md section 5 (hosting), the servers'
 * documentation; nginx, Apache and Caddy output is verified against the
 * Debian servers in tests/net/servers_oracle.test.sh.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/file.h"
#include "common/i18n.h"
#include "net/coi_sw.h"
#include "webdoctor/export.h"
#include "webdoctor/headers.h"
#include "webdoctor/wasm.h"
#include "wd_config.h"

#define COOP "Cross-Origin-Opener-Policy"
#define COEP "Cross-Origin-Embedder-Policy"
#define COOP_VALUE "same-origin"
#define COEP_VALUE "require-corp"
#define CACHE_VALUE "no-cache"
#define BLOCK_BEGIN "BEGIN webdoctor"
#define BLOCK_END "END webdoctor"

const char *wd_coi_serviceworker_js(void) { return wd_coi_sw_source; }

/* The text written, or NULL (and nothing kept) when any write failed. */
static char *finish(wd_buf *b, int rc) {
  if (rc) {
    wd_buf_release(b);
    return NULL;
  }
  return wd_buf_detach(b, NULL);
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...) {
  wd_buf b = WD_BUF_INIT;
  va_list ap;
  va_start(ap, f);
  int rc = wd_buf_vprintf(&b, f, ap);
  va_end(ap);
  return finish(&b, rc);
}

/* ---- what the export tells ------------------------------------------- */

typedef struct facts {
  wd_export_folder *e;     /* NULL without a folder */
  bool pwa_coi;            /* Godot's PWA service worker adds the headers */
  bool has_gz, has_br;     /* precompressed copies present */
} facts;

static bool ends_with(const char *s, const char *suf) {
  size_t a = strlen(s), b = strlen(suf);
  return a >= b && strcmp(s + a - b, suf) == 0;
}

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

#define STEP(b, ...) add_str((b), &(b)->p->steps, &(b)->p->nsteps, fmt(__VA_ARGS__))
#define NOTE(b, ...) add_str((b), &(b)->p->notes, &(b)->p->nnotes, fmt(__VA_ARGS__))

static const char *threads_line(const wd_headers_plan *p) {
  if (p->threads) return _("threaded export: cross-origin isolation (COOP/COEP) on");
  return _("export without threads: no COOP/COEP needed");
}

/* ---- one generator per host -------------------------------------------- */

/* The first two comment lines of a '#'-commented file: what it is, and the
   command that wrote it. */
static int banner(wd_buf *b, const wd_headers_plan *p, const char *what, const char *hostkey) {
  return wd_buf_printf(b,
                       "# Godot web export: %s (%s)\n"
                       "# Written by webdoctor %s: webdoctor headers --host %s%s\n",
                       what, threads_line(p), WD_VERSION_STRING, hostkey,
                       p->threads ? " --threads" : " --no-threads");
}

static char *gen_nginx(const wd_headers_plan *p) {
  wd_buf b = WD_BUF_INIT;
  int rc = banner(&b, p, "nginx configuration", "nginx");
  rc |= wd_buf_puts(&b,
      "# Include it inside the server { } block that serves the export, e.g. save it\n"
      "# as /etc/nginx/snippets/godot-web.conf and add: include snippets/godot-web.conf;\n"
      "# nginx forgets inherited add_header lines in a location that has add_header\n"
      "# lines of its own: repeat them there.\n\n");
  if (p->threads)
    rc |= wd_buf_puts(&b,
        "# SharedArrayBuffer (threads) needs a cross-origin isolated page\n"
        "add_header " COOP " \"" COOP_VALUE "\" always;\n"
        "add_header " COEP " \"" COEP_VALUE "\" always;\n");
  rc |= wd_buf_puts(&b,
      "# The file names stay the same between exports: revalidate on every load\n"
      "add_header Cache-Control \"" CACHE_VALUE "\" always;\n\n"
      "# index.wasm.gz next to index.wasm is sent in its place; else gzip on the fly\n"
      "gzip_static on;\n"
      "gzip on;\n"
      "gzip_vary on;\n"
      "gzip_min_length 1024;\n"
      "gzip_types application/wasm application/javascript text/javascript application/octet-stream\n"
      "           application/json text/css image/svg+xml;\n\n"
      "# application/wasm even where mime.types predates it; .pck as binary (when the\n"
      "# export is served from a location with alias, put these two blocks inside it)\n"
      "location ~* \\.wasm$ {\n"
      "    types { }\n"
      "    default_type application/wasm;\n"
      "}\n"
      "location ~* \\.pck$ {\n"
      "    types { }\n"
      "    default_type application/octet-stream;\n"
      "}\n");
  return finish(&b, rc);
}

static char *gen_apache(const wd_headers_plan *p) {
  wd_buf b = WD_BUF_INIT;
  int rc = banner(&b, p, "Apache configuration", "apache");
  rc |= wd_buf_puts(&b,
      "# .htaccess in the export folder. Needs mod_mime and mod_headers (a2enmod headers)\n"
      "# and AllowOverride FileInfo for the folder; mod_rewrite sends precompressed\n"
      "# copies, mod_deflate compresses on the fly.\n\n");
  rc |= wd_buf_puts(&b,
      "AddType application/wasm .wasm\n"
      "AddType application/octet-stream .pck\n\n");
  if (p->threads)
    rc |= wd_buf_puts(&b,
        "# SharedArrayBuffer (threads) needs a cross-origin isolated page\n"
        "Header always set " COOP " \"" COOP_VALUE "\"\n"
        "Header always set " COEP " \"" COEP_VALUE "\"\n");
  rc |= wd_buf_puts(&b,
      "# The file names stay the same between exports: revalidate on every load\n"
      "Header set Cache-Control \"" CACHE_VALUE "\"\n\n"
      "# index.wasm.br / index.wasm.gz next to index.wasm are sent in its place\n"
      "<IfModule mod_rewrite.c>\n"
      "    RewriteEngine On\n"
      "    RewriteCond \"%{HTTP:Accept-Encoding}\" \"br\"\n"
      "    RewriteCond \"%{REQUEST_FILENAME}.br\" -s\n"
      "    RewriteRule \"^(.+)\\.(wasm|pck|js|html)$\" \"$1.$2.br\" [L]\n"
      "    RewriteCond \"%{HTTP:Accept-Encoding}\" \"gzip\"\n"
      "    RewriteCond \"%{REQUEST_FILENAME}.gz\" -s\n"
      "    RewriteRule \"^(.+)\\.(wasm|pck|js|html)$\" \"$1.$2.gz\" [L]\n"
      "    # already compressed: not again on the fly\n"
      "    RewriteRule \"\\.(wasm|pck|js|html)\\.(br|gz)$\" \"-\" [E=no-gzip:1,E=no-brotli:1]\n"
      "</IfModule>\n"
      "<FilesMatch \"\\.wasm\\.(br|gz)$\">\n"
      "    ForceType application/wasm\n"
      "</FilesMatch>\n"
      "<FilesMatch \"\\.pck\\.(br|gz)$\">\n"
      "    ForceType application/octet-stream\n"
      "</FilesMatch>\n"
      "<FilesMatch \"\\.js\\.(br|gz)$\">\n"
      "    ForceType text/javascript\n"
      "</FilesMatch>\n"
      "<FilesMatch \"\\.html\\.(br|gz)$\">\n"
      "    ForceType text/html\n"
      "</FilesMatch>\n"
      "<FilesMatch \"\\.(wasm|pck|js|html)\\.gz$\">\n"
      "    RemoveEncoding .gz\n"
      "    Header set Content-Encoding gzip\n"
      "    Header append Vary Accept-Encoding\n"
      "</FilesMatch>\n"
      "<FilesMatch \"\\.(wasm|pck|js|html)\\.br$\">\n"
      "    RemoveEncoding .br\n"
      "    Header set Content-Encoding br\n"
      "    Header append Vary Accept-Encoding\n"
      "</FilesMatch>\n\n"
      "# Everything else compressed on the fly\n"
      "<IfModule mod_deflate.c>\n"
      "    AddOutputFilterByType DEFLATE text/html text/javascript application/javascript application/wasm application/octet-stream application/json\n"
      "</IfModule>\n");
  return finish(&b, rc);
}

static char *gen_caddy(const wd_headers_plan *p) {
  wd_buf b = WD_BUF_INIT;
  int rc = banner(&b, p, "Caddyfile lines", "caddy");
  rc |= wd_buf_puts(&b,
      "# Put them in the site block that serves the export (its root), or save them\n"
      "# as godot-web.caddy and write: import godot-web.caddy\n\n");
  rc |= wd_buf_puts(&b, "header {\n");
  if (p->threads)
    rc |= wd_buf_puts(&b,
        "\t# SharedArrayBuffer (threads) needs a cross-origin isolated page\n"
        "\t" COOP " \"" COOP_VALUE "\"\n"
        "\t" COEP " \"" COEP_VALUE "\"\n");
  rc |= wd_buf_puts(&b,
      "\t# the file names stay the same between exports: revalidate on every load\n"
      "\tCache-Control \"" CACHE_VALUE "\"\n"
      "}\n"
      "@godot_wasm path *.wasm\n"
      "header @godot_wasm Content-Type \"application/wasm\"\n"
      "@godot_pck path *.pck\n"
      "header @godot_pck Content-Type \"application/octet-stream\"\n"
      "# compressed on the fly (Caddy's default list leaves out wasm and pck)\n"
      "encode zstd gzip {\n"
      "\tmatch {\n"
      "\t\theader Content-Type text/*\n"
      "\t\theader Content-Type application/javascript*\n"
      "\t\theader Content-Type application/json*\n"
      "\t\theader Content-Type application/wasm*\n"
      "\t\theader Content-Type application/octet-stream*\n"
      "\t}\n"
      "}\n"
      "# index.wasm.br / .zst / .gz next to index.wasm are sent in its place\n"
      "file_server {\n"
      "\tprecompressed br zstd gzip\n"
      "}\n");
  return finish(&b, rc);
}

static char *gen_lighttpd(const wd_headers_plan *p) {
  wd_buf b = WD_BUF_INIT;
  int rc = banner(&b, p, "lighttpd configuration", "lighttpd");
  rc |= wd_buf_puts(&b,
      "# Save as /etc/lighttpd/conf-enabled/90-godot-web.conf (or include it from\n"
      "# lighttpd.conf); to limit it to the game's folder, wrap the lines below in\n"
      "# $HTTP[\"url\"] =~ \"^/game/\" { ... }. Needs mod_setenv and mod_deflate\n"
      "# (Debian: lighttpd-mod-deflate; lighty-enable-mod setenv deflate).\n"
      "# lighttpd cannot pick precompressed copies: mod_deflate compresses, and\n"
      "# with deflate.cache-dir keeps the result.\n\n");
  rc |= wd_buf_puts(&b,
      "$HTTP[\"url\"] =~ \"\\.wasm$\" {\n"
      "    mimetype.assign = ( \".wasm\" => \"application/wasm\" )\n"
      "}\n"
      "$HTTP[\"url\"] =~ \"\\.pck$\" {\n"
      "    mimetype.assign = ( \".pck\" => \"application/octet-stream\" )\n"
      "}\n"
      "setenv.set-response-header += (\n");
  if (p->threads)
    rc |= wd_buf_puts(&b,
        "    \"" COOP "\" => \"" COOP_VALUE "\",\n"
        "    \"" COEP "\" => \"" COEP_VALUE "\",\n");
  rc |= wd_buf_puts(&b,
      "    \"Cache-Control\" => \"" CACHE_VALUE "\"\n"
      ")\n"
      "deflate.mimetypes = ( \"text/\", \"application/javascript\", \"application/wasm\",\n"
      "                      \"application/octet-stream\", \"application/json\" )\n"
      "deflate.allowed-encodings = ( \"br\", \"gzip\", \"deflate\" )\n"
      "# compress each file once, not at every request (a folder lighttpd can write):\n"
      "# deflate.cache-dir = \"/var/cache/lighttpd/compress/\"\n");
  return finish(&b, rc);
}

static char *gen_iis(const wd_headers_plan *p) {
  wd_buf b = WD_BUF_INIT;
  int rc = wd_buf_printf(&b,
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<!-- Godot web export: IIS configuration (%s).\n"
      "     Written by webdoctor %s: webdoctor headers --host iis%s\n"
      "     web.config in the export folder. IIS answers 404 for file types it does\n"
      "     not know: the mimeMap lines make it serve .wasm and .pck. -->\n"
      "<configuration>\n"
      "  <system.webServer>\n"
      "    <staticContent>\n"
      "      <remove fileExtension=\".wasm\" />\n"
      "      <mimeMap fileExtension=\".wasm\" mimeType=\"application/wasm\" />\n"
      "      <remove fileExtension=\".pck\" />\n"
      "      <mimeMap fileExtension=\".pck\" mimeType=\"application/octet-stream\" />\n"
      "      <!-- the file names stay the same between exports: revalidate on every load -->\n"
      "      <clientCache cacheControlMode=\"DisableCache\" />\n"
      "    </staticContent>\n"
      "    <urlCompression doStaticCompression=\"true\" />\n",
      threads_line(p), WD_VERSION_STRING, p->threads ? " --threads" : " --no-threads");
  if (p->threads)
    rc |= wd_buf_puts(&b,
        "    <!-- SharedArrayBuffer (threads) needs a cross-origin isolated page -->\n"
        "    <httpProtocol>\n"
        "      <customHeaders>\n"
        "        <remove name=\"" COOP "\" />\n"
        "        <add name=\"" COOP "\" value=\"" COOP_VALUE "\" />\n"
        "        <remove name=\"" COEP "\" />\n"
        "        <add name=\"" COEP "\" value=\"" COEP_VALUE "\" />\n"
        "      </customHeaders>\n"
        "    </httpProtocol>\n");
  rc |= wd_buf_puts(&b, "  </system.webServer>\n</configuration>\n");
  return finish(&b, rc);
}

/* Netlify and Cloudflare Pages share the _headers format. */
static char *gen_headers_file(const wd_headers_plan *p, const char *hostkey, const char *hostname) {
  wd_buf b = WD_BUF_INIT;
  char what[64];
  snprintf(what, sizeof what, "%s _headers", hostname);
  int rc = banner(&b, p, what, hostkey);
  rc |= wd_buf_puts(&b, "/*\n");
  if (p->threads) rc |= wd_buf_puts(&b, "  " COOP ": " COOP_VALUE "\n  " COEP ": " COEP_VALUE "\n");
  rc |= wd_buf_puts(&b,
      "  Cache-Control: " CACHE_VALUE "\n"
      "/*.wasm\n"
      "  Content-Type: application/wasm\n"
      "/*.pck\n"
      "  Content-Type: application/octet-stream\n");
  return finish(&b, rc);
}

static cJSON *header_pair(const char *k, const char *v) {
  cJSON *o = cJSON_CreateObject();
  if (o) {
    cJSON_AddStringToObject(o, "key", k);
    cJSON_AddStringToObject(o, "value", v);
  }
  return o;
}

/* [{source, headers: [{key, value}]}] as Vercel and Firebase take them. */
static cJSON *header_rules(const wd_headers_plan *p, const char *all, const char *wasm, const char *pck) {
  cJSON *arr = cJSON_CreateArray();
  cJSON *r = cJSON_CreateObject();
  cJSON_AddItemToArray(arr, r);
  cJSON_AddStringToObject(r, "source", all);
  cJSON *h = cJSON_AddArrayToObject(r, "headers");
  if (p->threads) {
    cJSON_AddItemToArray(h, header_pair(COOP, COOP_VALUE));
    cJSON_AddItemToArray(h, header_pair(COEP, COEP_VALUE));
  }
  cJSON_AddItemToArray(h, header_pair("Cache-Control", CACHE_VALUE));
  r = cJSON_CreateObject();
  cJSON_AddItemToArray(arr, r);
  cJSON_AddStringToObject(r, "source", wasm);
  h = cJSON_AddArrayToObject(r, "headers");
  cJSON_AddItemToArray(h, header_pair("Content-Type", "application/wasm"));
  r = cJSON_CreateObject();
  cJSON_AddItemToArray(arr, r);
  cJSON_AddStringToObject(r, "source", pck);
  h = cJSON_AddArrayToObject(r, "headers");
  cJSON_AddItemToArray(h, header_pair("Content-Type", "application/octet-stream"));
  return arr;
}

static char *print_json(cJSON *j) {
  if (!j) return NULL;
  char *s = cJSON_Print(j);
  cJSON_Delete(j);
  if (!s) return NULL;
  char *t = fmt("%s\n", s);
  free(s);
  return t;
}

static char *gen_vercel(const wd_headers_plan *p) {
  cJSON *root = cJSON_CreateObject();
  if (!root) return NULL;
  cJSON_AddItemToObject(root, "headers", header_rules(p, "/(.*)", "/(.*)\\.wasm", "/(.*)\\.pck"));
  return print_json(root);
}

static char *gen_firebase(const wd_headers_plan *p) {
  cJSON *root = cJSON_CreateObject();
  if (!root) return NULL;
  cJSON *h = cJSON_AddObjectToObject(root, "hosting");
  cJSON_AddStringToObject(h, "public", ".");
  cJSON *ign = cJSON_AddArrayToObject(h, "ignore");
  cJSON_AddItemToArray(ign, cJSON_CreateString("firebase.json"));
  cJSON_AddItemToArray(ign, cJSON_CreateString("**/.*"));
  cJSON_AddItemToArray(ign, cJSON_CreateString("**/*.bak"));
  cJSON_AddItemToObject(h, "headers", header_rules(p, "**", "**/*.wasm", "**/*.pck"));
  return print_json(root);
}

static char *gen_azure(const wd_headers_plan *p) {
  cJSON *root = cJSON_CreateObject();
  if (!root) return NULL;
  cJSON *g = cJSON_AddObjectToObject(root, "globalHeaders");
  if (p->threads) {
    cJSON_AddStringToObject(g, COOP, COOP_VALUE);
    cJSON_AddStringToObject(g, COEP, COEP_VALUE);
  }
  cJSON_AddStringToObject(g, "Cache-Control", CACHE_VALUE);
  cJSON *m = cJSON_AddObjectToObject(root, "mimeTypes");
  cJSON_AddStringToObject(m, ".wasm", "application/wasm");
  cJSON_AddStringToObject(m, ".pck", "application/octet-stream");
  return print_json(root);
}

static cJSON *cf_header(const char *k, const char *v, bool override) {
  cJSON *o = cJSON_CreateObject();
  if (o) {
    cJSON_AddStringToObject(o, "Header", k);
    cJSON_AddStringToObject(o, "Value", v);
    cJSON_AddBoolToObject(o, "Override", override);
  }
  return o;
}

static char *gen_cloudfront(const wd_headers_plan *p) {
  cJSON *root = cJSON_CreateObject();
  if (!root) return NULL;
  cJSON_AddStringToObject(root, "Name", p->threads ? "godot-web-threads" : "godot-web");
  cJSON_AddStringToObject(root, "Comment", "Godot web export, written by webdoctor headers --host cloudfront");
  cJSON *c = cJSON_AddObjectToObject(root, "CustomHeadersConfig");
  cJSON_AddNumberToObject(c, "Quantity", p->threads ? 3 : 1);
  cJSON *items = cJSON_AddArrayToObject(c, "Items");
  if (p->threads) {
    cJSON_AddItemToArray(items, cf_header(COOP, COOP_VALUE, true));
    cJSON_AddItemToArray(items, cf_header(COEP, COEP_VALUE, true));
  }
  cJSON_AddItemToArray(items, cf_header("Cache-Control", CACHE_VALUE, false));
  return print_json(root);
}

/* ---- steps -------------------------------------------------------------- */

static void limits_notes(builder *b, const facts *fx) {
  const wd_host_info *h = wd_host_get(b->p->host);
  if (!fx->e) {
    if (h->max_file_size)
      NOTE(b, _("%s accepts files up to %llu MiB: give --dir to check the export against it"), h->name,
           (unsigned long long)(h->max_file_size >> 20));
    return;
  }
  const wd_export_folder *e = fx->e;
  for (uint32_t i = 0; i < e->nfiles && h->max_file_size; i++)
    if (e->files[i].size > h->max_file_size)
      NOTE(b, _("%s is %llu MiB: %s accepts files up to %llu MiB (upload a precompressed copy, or make it "
                "smaller)"),
           e->files[i].name, (unsigned long long)(e->files[i].size >> 20), h->name,
           (unsigned long long)(h->max_file_size >> 20));
  if (h->max_total_size && e->total_size > h->max_total_size)
    NOTE(b, _("the export is %llu MiB: %s accepts up to %llu MiB"), (unsigned long long)(e->total_size >> 20),
         h->name, (unsigned long long)(h->max_total_size >> 20));
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
    return wd_error_set(err, WD_ERR_IO, _("cannot open '%s': %s"), o->dir, strerror(errno));
  if (!S_ISDIR(st.st_mode))
    return wd_error_set(err, WD_ERR_USAGE, _("'%s' is not a folder: give the export folder"), o->dir);
  wd_status s = wd_export_folder_open(o->dir, &fx->e, err);
  if (s) return s;
  const wd_export_folder *e = fx->e;
  if (e->shell) {
    free(p->shell);
    if (!(p->shell = wd_strdup(e->shell))) return wd_error_set(err, WD_ERR_NOMEM, "%s", _("out of memory"));
  }
  fx->pwa_coi = e->service_worker && e->ensure_coi && wd_export_folder_find(e, e->service_worker);
  for (uint32_t i = 0; i < e->nfiles; i++) {
    if (ends_with(e->files[i].name, ".gz")) fx->has_gz = true;
    if (ends_with(e->files[i].name, ".br")) fx->has_br = true;
  }
  if (o->threads >= 0 || !e->has_config) return WD_OK;
  /* the engine tells best: its memory is shared when built with threads */
  char name[1024];
  snprintf(name, sizeof name, "%s.wasm", e->executable);
  if (wd_export_folder_find(e, name)) {
    char *path = wd_export_folder_path(e, name);
    if (!path) return wd_error_set(err, WD_ERR_NOMEM, "%s", _("out of memory"));
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

static void plan_pages(builder *b, const facts *fx, bool gitlab) {
  wd_headers_plan *p = b->p;
  const wd_host_info *h = wd_host_get(p->host);
  if (p->threads && fx->pwa_coi) {
    NOTE(b, _("%s cannot send headers, but the export's PWA service worker (%s) adds COOP/COEP itself: "
              "nothing to install"), h->name, fx->e->service_worker);
  } else if (p->threads) {
    p->service_worker = true;
    add_file(b, WD_COI_SW_NAME, WD_MERGE_REPLACE, _("the export folder, next to the HTML shell"),
             wd_strdup(wd_coi_serviceworker_js()));
    add_file(b, p->shell, WD_MERGE_HTML_SCRIPT, _("the export folder"),
             fmt("<script src=\"%s\"></script>\n", WD_COI_SW_NAME));
    NOTE(b, _("%s cannot send response headers: the service worker %s adds COOP/COEP instead. Its limits: "
              "the first visit reloads the page once; it needs HTTPS (or localhost); browsers without "
              "service workers (Firefox private windows) stay without threads; do not combine it with "
              "Godot's PWA option"), h->name, WD_COI_SW_NAME);
    STEP(b, _("Put %s next to %s, and load it as the first script of <head>: <script src=\"%s\"></script> "
              "(--write does both)."), WD_COI_SW_NAME, p->shell, WD_COI_SW_NAME);
  } else {
    NOTE(b, _("an export without threads needs no headers: %s serves it as it is"), h->name);
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
    else
      STEP(b, _("Leave \"SharedArrayBuffer support\" unticked: an export without threads does not need it, "
                "and it blocks cross-origin embeds."));
    STEP(b, _("Set the viewport size to the project's window size, and offer a fullscreen button."));
    NOTE(b, _("itch.io limits an HTML upload to %u files, %llu MiB per file and %llu MiB in all (after "
              "unzipping); it does not compress files on the fly"),
         h->max_files, (unsigned long long)(h->max_file_size >> 20), (unsigned long long)(h->max_total_size >> 20));
  } else {
    STEP(b, _("On Newgrounds: Submit > Game, upload game.zip as the game file (HTML5 / zip), and set the "
              "frame size to the project's window size."));
    if (p->threads) {
      STEP(b, _("A threaded export needs COOP/COEP. If the project settings offer a \"SharedArrayBuffer\" "
                "(cross-origin isolation) option, tick it; webdoctor knows of no way to send these headers "
                "from Newgrounds, so the dependable choice is to export without threads (Project > Export > "
                "Web > Variant > Thread Support off, with nothreads builds of every GDExtension)."));
    }
    NOTE(b, _("check the upload size limit on the Newgrounds submission form before exporting large "
              "assets; keep index.wasm and the .pck as small as you can"));
  }
  STEP(b, _("After publishing, check the live page: `webdoctor probe URL` (the address of the game's frame, "
            "not of the store page)."));
}

wd_status wd_headers_plan_make(const wd_headers_options *o, wd_headers_plan **out, wd_error *err) {
  *out = NULL;
  wd_headers_plan *p = calloc(1, sizeof *p);
  if (!p) return wd_error_set(err, WD_ERR_NOMEM, "%s", _("out of memory"));
  p->host = o->host;
  p->shell = wd_strdup("index.html");
  if (!p->shell) {
    free(p);
    return wd_error_set(err, WD_ERR_NOMEM, "%s", _("out of memory"));
  }
  if (o->host <= WD_HOST_UNKNOWN || o->host >= WD_HOST_COUNT) {
    wd_headers_plan_free(p);
    return wd_error_set(err, WD_ERR_USAGE, "%s", _("no host given"));
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
  if (p->threads_from == WD_THREADS_DEFAULT && p->host != WD_HOST_ITCH && p->host != WD_HOST_NEWGROUNDS)
    NOTE(&b, _("assumed an export without threads, so no COOP/COEP: give --dir EXPORT to read it, or "
               "--threads"));
  switch (p->host) {
  case WD_HOST_NGINX: {
    const char *n = "godot-web.nginx.conf";
    add_outside(&b, n, _("nginx: /etc/nginx/snippets/ (include it in the server block); not in the export "
                         "folder"), gen_nginx(p));
    steps_server(&b, &fx, n);
    break;
  }
  case WD_HOST_APACHE:
    add_file(&b, ".htaccess", WD_MERGE_BLOCK, _("the export folder"), gen_apache(p));
    steps_server(&b, &fx, ".htaccess");
    break;
  case WD_HOST_CADDY: {
    const char *n = "godot-web.caddy";
    add_outside(&b, n, _("the Caddyfile's site block (import it); not in the export folder"), gen_caddy(p));
    steps_server(&b, &fx, n);
    break;
  }
  case WD_HOST_LIGHTTPD: {
    const char *n = "godot-web.lighttpd.conf";
    add_outside(&b, n, _("lighttpd: /etc/lighttpd/conf-enabled/; not in the export folder"), gen_lighttpd(p));
    steps_server(&b, &fx, n);
    break;
  }
  case WD_HOST_IIS:
    add_file(&b, "web.config", WD_MERGE_REPLACE, _("the export folder"), gen_iis(p));
    steps_server(&b, &fx, "web.config");
    break;
  case WD_HOST_NETLIFY:
    add_file(&b, "_headers", WD_MERGE_BLOCK, _("the published folder (the export folder)"),
             gen_headers_file(p, h->key, h->name));
    STEP(&b, _("Deploy the export folder with _headers in it (drag and drop it on the Netlify dashboard, or "
               "`netlify deploy --prod --dir EXPORT`); Netlify compresses files on its own."));
    break;
  case WD_HOST_CLOUDFLARE:
    add_file(&b, "_headers", WD_MERGE_BLOCK, _("the published folder (the export folder)"),
             gen_headers_file(p, h->key, h->name));
    STEP(&b, _("Deploy the export folder with _headers in it (`wrangler pages deploy EXPORT`); Cloudflare "
               "compresses files on its own."));
    break;
  case WD_HOST_VERCEL:
    add_file(&b, "vercel.json", WD_MERGE_JSON, _("the deployed folder (the export folder)"), gen_vercel(p));
    STEP(&b, _("Deploy the export folder with vercel.json in it (`vercel deploy --prod EXPORT`); an existing "
               "vercel.json keeps its other settings (--write merges)."));
    break;
  case WD_HOST_FIREBASE:
    add_file(&b, "firebase.json", WD_MERGE_JSON, _("the export folder (deploy from it)"), gen_firebase(p));
    STEP(&b, _("Deploy from the export folder: `firebase deploy --only hosting` (with \"public\": \".\"; in a "
               "larger project, copy the \"headers\" list into its firebase.json instead)."));
    break;
  case WD_HOST_AZURE:
    add_file(&b, "staticwebapp.config.json", WD_MERGE_JSON,
             _("the app folder (app_location; the export folder)"), gen_azure(p));
    STEP(&b, _("Deploy the export folder as the app location (app_location in the workflow, or `swa deploy "
               "EXPORT`); staticwebapp.config.json must be in it."));
    break;
  case WD_HOST_CLOUDFRONT: {
    const char *n = "cloudfront-response-headers-policy.json";
    add_outside(&b, n, _("your machine (for the aws CLI; not to upload)"), gen_cloudfront(p));
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
    return wd_error_set(err, WD_ERR_NOMEM, "%s", _("out of memory"));
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
  free(p);
}

/* ---- merging with what exists -------------------------------------------- */

/* Comment syntax of a block-merged file: every one is '#'-commented. */
static char *merge_block(const wd_headers_file *f, const char *old, size_t len) {
  wd_buf b = WD_BUF_INIT;
  const char *begin = NULL, *end = NULL;
  for (const char *s = old; s && s < old + len;) {
    const char *nl = memchr(s, '\n', (size_t)(old + len - s));
    const char *e = nl ? nl + 1 : old + len;
    if (*s == '#') {
      const char *t = s + 1;
      while (t < e && *t == ' ') t++;
      size_t rest = (size_t)(e - t);
      if (!begin && rest >= sizeof BLOCK_BEGIN - 1 && !memcmp(t, BLOCK_BEGIN, sizeof BLOCK_BEGIN - 1)) begin = s;
      else if (begin && !end && rest >= sizeof BLOCK_END - 1 && !memcmp(t, BLOCK_END, sizeof BLOCK_END - 1))
        end = e;
    }
    s = e;
  }
  int rc = 0;
  if (begin && end) {
    rc |= wd_buf_append(&b, old, (size_t)(begin - old));
  } else {
    rc |= wd_buf_append(&b, old, len);
    if (len && old[len - 1] != '\n') rc |= wd_buf_putc(&b, '\n');
    if (len) rc |= wd_buf_putc(&b, '\n');
  }
  rc |= wd_buf_printf(&b, "# %s (webdoctor headers; --write replaces this block)\n%s", BLOCK_BEGIN, f->content);
  if (f->content[0] && f->content[strlen(f->content) - 1] != '\n') rc |= wd_buf_putc(&b, '\n');
  rc |= wd_buf_printf(&b, "# %s\n", BLOCK_END);
  if (begin && end) rc |= wd_buf_append(&b, end, (size_t)(old + len - end));
  return finish(&b, rc);
}

static void line_col(const char *text, const char *at, uint32_t *line, uint32_t *col) {
  *line = 1;
  *col = 1;
  for (const char *s = text; s < at; s++) {
    if (*s == '\n') {
      (*line)++;
      *col = 1;
    } else {
      (*col)++;
    }
  }
}

/* Rules lists ([{source, headers}]): ours replace those with the same source. */
static void merge_rules(cJSON *into, const cJSON *ours) {
  const cJSON *r;
  cJSON_ArrayForEach(r, ours) {
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(r, "source");
    int n = cJSON_GetArraySize(into);
    for (int i = n - 1; i >= 0; i--) {
      const cJSON *x = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(into, i), "source");
      if (cJSON_IsString(x) && cJSON_IsString(src) && !strcmp(x->valuestring, src->valuestring))
        cJSON_DeleteItemFromArray(into, i);
    }
    cJSON_AddItemToArray(into, cJSON_Duplicate(r, true));
  }
}

/* Set every key of `ours` (an object) in `into`, recursing into objects. */
static void merge_object(cJSON *into, const cJSON *ours) {
  const cJSON *it;
  cJSON_ArrayForEach(it, ours) {
    cJSON *have = cJSON_GetObjectItemCaseSensitive(into, it->string);
    if (cJSON_IsObject(it) && cJSON_IsObject(have)) {
      merge_object(have, it);
    } else if (cJSON_IsArray(it) && cJSON_IsArray(have) && !strcmp(it->string, "headers")) {
      merge_rules(have, it);
    } else if (have && !strcmp(it->string, "public")) {
      /* keep the project's own public folder */
    } else if (have && !strcmp(it->string, "ignore")) {
      /* keep the project's own ignore list */
    } else {
      cJSON_DeleteItemFromObjectCaseSensitive(into, it->string);
      cJSON_AddItemToObject(into, it->string, cJSON_Duplicate(it, true));
    }
  }
}

static char *merge_json(const wd_headers_file *f, const char *old, size_t len, wd_error *err) {
  const char *end = NULL;
  cJSON *have = cJSON_ParseWithLengthOpts(old, len, &end, false);
  if (!have || !cJSON_IsObject(have)) {
    uint32_t line, col;
    line_col(old, have ? old : (end ? end : old), &line, &col);
    cJSON_Delete(have);
    wd_error_set_file(err, f->name);
    err->line = line;
    err->column = col;
    return wd_error_set(err, WD_ERR_MALFORMED, _("%s is not a JSON object: fix it or move it away, then write "
                                                  "again (it was left unchanged)"), f->name),
           NULL;
  }
  cJSON *ours = cJSON_Parse(f->content);
  if (!ours) {
    cJSON_Delete(have);
    wd_error_set(err, WD_ERR_NOMEM, "%s", _("out of memory"));
    return NULL;
  }
  const cJSON *hosting = cJSON_GetObjectItemCaseSensitive(have, "hosting");
  if (cJSON_IsArray(hosting)) {
    cJSON_Delete(have);
    cJSON_Delete(ours);
    wd_error_set_file(err, f->name);
    wd_error_set(err, WD_ERR_UNSUPPORTED,
                 _("%s has several hosting targets: copy the \"headers\" list into the right one by hand (it "
                   "was left unchanged)"), f->name);
    return NULL;
  }
  merge_object(have, ours);
  cJSON_Delete(ours);
  char *s = print_json(have);
  if (!s) wd_error_set(err, WD_ERR_NOMEM, "%s", _("out of memory"));
  return s;
}

static const char *find_ci(const char *hay, size_t len, const char *needle) {
  size_t n = strlen(needle);
  for (size_t i = 0; i + n <= len; i++) {
    size_t k = 0;
    while (k < n && (hay[i + k] | 0x20) == (needle[k] | 0x20)) k++;
    if (k == n) return hay + i;
  }
  return NULL;
}

static char *merge_html(const wd_headers_file *f, const char *old, size_t len, wd_error *err) {
  wd_buf b = WD_BUF_INIT;
  int rc = 0;
  if (find_ci(old, len, WD_COI_SW_NAME)) {
    rc = wd_buf_append(&b, old, len); /* there already */
  } else {
    const char *at = find_ci(old, len, "<head");
    if (at) {
      const char *gt = memchr(at, '>', (size_t)(old + len - at));
      at = gt ? gt + 1 : NULL;
    }
    if (!at) at = find_ci(old, len, "<script");
    if (!at) at = old;
    rc |= wd_buf_append(&b, old, (size_t)(at - old));
    if (at > old && at[-1] == '>' && (at == old + len || *at == '\n')) {
      rc |= wd_buf_putc(&b, '\n');
      rc |= wd_buf_append(&b, f->content, strlen(f->content) - 1); /* without its newline */
    } else {
      rc |= wd_buf_puts(&b, f->content);
    }
    rc |= wd_buf_append(&b, at, (size_t)(old + len - at));
  }
  if (rc) {
    wd_buf_release(&b);
    wd_error_set(err, WD_ERR_NOMEM, "%s", _("out of memory"));
    return NULL;
  }
  return wd_buf_detach(&b, NULL);
}

char *wd_headers_merge_text(const wd_headers_file *f, const char *existing, size_t len, wd_error *err) {
  char *s = NULL;
  switch (f->merge) {
  case WD_MERGE_REPLACE: s = wd_strdup(f->content); break;
  case WD_MERGE_BLOCK: s = merge_block(f, existing, existing ? len : 0); break;
  case WD_MERGE_JSON:
    if (!existing) return wd_strdup(f->content);
    return merge_json(f, existing, len, err);
  case WD_MERGE_HTML_SCRIPT:
    if (!existing) {
      wd_error_set_file(err, f->name);
      wd_error_set(err, WD_ERR_IO, _("%s is not in the folder: the service worker must be loaded by the "
                                     "export's HTML shell"), f->name);
      return NULL;
    }
    return merge_html(f, existing, len, err);
  }
  if (!s) wd_error_set(err, WD_ERR_NOMEM, "%s", _("out of memory"));
  return s;
}

/* ---- writing ---------------------------------------------------------------- */

static char *join(const char *dir, const char *name) { return fmt("%s/%s", dir, name); }

/* Write `data` to `path` through a temporary file in the same folder and a
 * rename, with mode `mode`: readers see the old file or the new one, never
 * half of one. */
static wd_status write_atomic(const char *path, const char *data, size_t len, mode_t mode, wd_error *err) {
  char *tmp = fmt("%s.webdoctor-XXXXXX", path);
  if (!tmp) return wd_error_set(err, WD_ERR_NOMEM, "%s", _("out of memory"));
  int fd = mkstemp(tmp);
  if (fd < 0) {
    wd_error_set_file(err, path);
    wd_status s = wd_error_set(err, WD_ERR_IO, _("cannot create a temporary file next to '%s': %s"), path,
                               strerror(errno));
    free(tmp);
    return s;
  }
  size_t off = 0;
  int e = 0;
  while (off < len) {
    ssize_t w = write(fd, data + off, len - off);
    if (w < 0) {
      if (errno == EINTR) continue;
      e = errno;
      break;
    }
    off += (size_t)w;
  }
  if (!e && fchmod(fd, mode) != 0) e = errno;
  if (!e && fsync(fd) != 0) e = errno;
  if (close(fd) != 0 && !e) e = errno;
  if (!e && rename(tmp, path) != 0) e = errno;
  if (e) {
    unlink(tmp);
    free(tmp);
    wd_error_set_file(err, path);
    return wd_error_set(err, WD_ERR_IO, _("cannot write '%s': %s"), path, strerror(e));
  }
  free(tmp);
  return WD_OK;
}

char *wd_headers_outside_dir(const char *dir, wd_error *err) {
  size_t n = strlen(dir);
  while (n > 1 && dir[n - 1] == '/') n--;
  const char *last = dir + n;
  while (last > dir && last[-1] != '/') last--;
  size_t ln = (size_t)(dir + n - last);
  char *out = NULL;
  if (ln == 0 || (ln == 1 && last[0] == '.') || (ln == 2 && last[0] == '.' && last[1] == '.')) {
    /* "." or "..": its name is needed, so resolve it */
    char *real = realpath(dir, NULL);
    if (!real) {
      wd_error_set_file(err, dir);
      wd_error_set(err, WD_ERR_IO, _("cannot open '%s': %s"), dir, strerror(errno));
      return NULL;
    }
    if (strcmp(real, "/") == 0) {
      free(real);
      wd_error_set_file(err, dir);
      wd_error_set(err, WD_ERR_USAGE,
                   _("'%s' is the root folder: there is no folder beside it for server configuration "
                     "and backups"), dir);
      return NULL;
    }
    out = fmt("%s.webdoctor", real);
    free(real);
  } else if (n == 1 && dir[0] == '/') {
    wd_error_set_file(err, dir);
    wd_error_set(err, WD_ERR_USAGE,
                 _("'%s' is the root folder: there is no folder beside it for server configuration "
                   "and backups"), dir);
    return NULL;
  } else {
    out = fmt("%.*s.webdoctor", (int)n, dir);
  }
  if (!out) wd_error_set(err, WD_ERR_NOMEM, "%s", _("out of memory"));
  return out;
}

/* The folder beside the export, created on first use. */
static wd_status outside_ready(const char *out, bool *made, wd_error *err) {
  if (*made) return WD_OK;
  struct stat st;
  if (mkdir(out, 0755) != 0) {
    int e = errno;
    if (e != EEXIST || stat(out, &st) != 0 || !S_ISDIR(st.st_mode)) {
      wd_error_set_file(err, out);
      if (e == EEXIST) return wd_error_set(err, WD_ERR_IO, _("'%s' exists and is not a folder"), out);
      return wd_error_set(err, WD_ERR_IO, _("cannot create the folder '%s': %s"), out, strerror(e));
    }
  }
  *made = true;
  return WD_OK;
}

/* A free backup path in `out`: NAME.bak, NAME.bak.1, ...: an existing
 * backup is never overwritten, so the first one keeps the user's original. */
static char *backup_path(const char *out, const char *name) {
  for (int i = 0; i < 10000; i++) {
    char *p = i ? fmt("%s/%s.bak.%d", out, name, i) : fmt("%s/%s.bak", out, name);
    if (!p) return NULL;
    struct stat st;
    if (lstat(p, &st) != 0 && errno == ENOENT) return p;
    free(p);
  }
  return NULL;
}

static wd_status write_one(const wd_headers_file *f, const char *dir, const char *out, bool *made,
                           wd_headers_written *w, wd_error *err) {
  wd_status s = WD_OK;
  if (f->outside && (s = outside_ready(out, made, err))) return s;
  char *path = join(f->outside ? out : dir, f->name);
  if (!path) return wd_error_set(err, WD_ERR_NOMEM, "%s", _("out of memory"));
  wd_file old = {0};
  bool have = false;
  mode_t mode = 0644;
  struct stat st;
  if (stat(path, &st) == 0) {
    if (!S_ISREG(st.st_mode)) {
      wd_error_set_file(err, path);
      s = wd_error_set(err, WD_ERR_IO, _("'%s' exists and is not a regular file"), path);
      goto done;
    }
    if ((s = wd_file_load(path, &old, (uint64_t)64 << 20, err))) goto done;
    have = true;
    mode = st.st_mode & 07777;
  } else if (errno != ENOENT) {
    wd_error_set_file(err, path);
    s = wd_error_set(err, WD_ERR_IO, _("cannot open '%s': %s"), path, strerror(errno));
    goto done;
  }
  char *text = wd_headers_merge_text(f, have ? (const char *)old.data : NULL, have ? (size_t)old.size : 0, err);
  if (!text) {
    s = err->code ? err->code : WD_ERR_NOMEM;
    goto done;
  }
  size_t tlen = strlen(text);
  if (!(w->name = wd_strdup(f->name)) || !(w->path = wd_strdup(path))) {
    free(text);
    s = wd_error_set(err, WD_ERR_NOMEM, "%s", _("out of memory"));
    goto done;
  }
  if (have && old.size == tlen && !memcmp(old.data, text, tlen)) {
    w->action = WD_WRITE_UNCHANGED;
    free(text);
    goto done;
  }
  if (have) {
    /* the backup first, outside the deployed folder: the old bytes are safe
       before anything changes, and never published */
    if ((s = outside_ready(out, made, err))) {
      free(text);
      goto done;
    }
    char *bp = backup_path(out, f->name);
    if (!bp) {
      free(text);
      s = wd_error_set(err, WD_ERR_NOMEM, "%s", _("out of memory"));
      goto done;
    }
    s = write_atomic(bp, (const char *)old.data, (size_t)old.size, mode, err);
    if (s) {
      free(bp);
      free(text);
      goto done;
    }
    w->backup = bp;
  }
  s = write_atomic(path, text, tlen, mode, err);
  free(text);
  w->action = have ? WD_WRITE_UPDATED : WD_WRITE_CREATED;
done:
  if (have) wd_file_close(&old);
  free(path);
  return s;
}

wd_status wd_headers_write(const wd_headers_plan *p, const char *dir, wd_headers_report *report,
                           wd_error *err) {
  report->n = 0;
  report->v = NULL;
  report->outside = NULL;
  struct stat st;
  if (stat(dir, &st) != 0)
    return wd_error_set(err, WD_ERR_IO, _("cannot open '%s': %s"), dir, strerror(errno));
  if (!S_ISDIR(st.st_mode)) return wd_error_set(err, WD_ERR_USAGE, _("'%s' is not a folder"), dir);
  char *out = wd_headers_outside_dir(dir, err);
  if (!out) return err->code ? err->code : WD_ERR_NOMEM;
  if (p->nfiles && !(report->v = calloc(p->nfiles, sizeof *report->v))) {
    free(out);
    return wd_error_set(err, WD_ERR_NOMEM, "%s", _("out of memory"));
  }
  bool made = false;
  wd_status s = WD_OK;
  for (uint32_t i = 0; i < p->nfiles && !s; i++) {
    s = write_one(&p->files[i], dir, out, &made, &report->v[i], err);
    if (report->v[i].name) report->n = i + 1;
  }
  if (made) report->outside = out;
  else free(out);
  return s;
}

void wd_headers_report_free(wd_headers_report *r) {
  for (uint32_t i = 0; i < r->n; i++) {
    free(r->v[i].name);
    free(r->v[i].path);
    free(r->v[i].backup);
  }
  free(r->v);
  free(r->outside);
  r->outside = NULL;
  r->v = NULL;
  r->n = 0;
}

/* ---- JSON ---------------------------------------------------------------- */

static const char *merge_key(wd_headers_merge m) {
  switch (m) {
  case WD_MERGE_REPLACE: return "replace";
  case WD_MERGE_BLOCK: return "block";
  case WD_MERGE_JSON: return "json";
  case WD_MERGE_HTML_SCRIPT: return "html-script";
  }
  return "?";
}

static const char *threads_key(wd_threads_source s) {
  switch (s) {
  case WD_THREADS_FROM_OPTION: return "option";
  case WD_THREADS_FROM_ENGINE: return "engine";
  case WD_THREADS_FROM_SHELL: return "shell";
  case WD_THREADS_DEFAULT: return "default";
  }
  return "?";
}

cJSON *wd_headers_plan_json(const wd_headers_plan *p, const wd_headers_report *written) {
  cJSON *root = cJSON_CreateObject();
  if (!root) return NULL;
  const wd_host_info *h = wd_host_get(p->host);
  cJSON_AddStringToObject(root, "schema", WD_HEADERS_SCHEMA);
  cJSON_AddStringToObject(root, "tool", "webdoctor " WD_VERSION_STRING);
  cJSON *host = cJSON_AddObjectToObject(root, "host");
  cJSON_AddStringToObject(host, "key", h->key);
  cJSON_AddStringToObject(host, "name", h->name);
  cJSON_AddBoolToObject(host, "can_set_headers", h->can_set_headers);
  cJSON_AddBoolToObject(root, "threads", p->threads);
  cJSON_AddStringToObject(root, "threads_from", threads_key(p->threads_from));
  cJSON_AddBoolToObject(root, "service_worker", p->service_worker);
  cJSON *files = cJSON_AddArrayToObject(root, "files");
  for (uint32_t i = 0; i < p->nfiles; i++) {
    cJSON *f = cJSON_CreateObject();
    cJSON_AddStringToObject(f, "name", p->files[i].name);
    cJSON_AddStringToObject(f, "where", p->files[i].where);
    cJSON_AddStringToObject(f, "merge", merge_key(p->files[i].merge));
    cJSON_AddBoolToObject(f, "outside", p->files[i].outside);
    cJSON_AddStringToObject(f, "content", p->files[i].content);
    cJSON_AddItemToArray(files, f);
  }
  cJSON *steps = cJSON_AddArrayToObject(root, "steps");
  for (uint32_t i = 0; i < p->nsteps; i++) cJSON_AddItemToArray(steps, cJSON_CreateString(p->steps[i]));
  cJSON *notes = cJSON_AddArrayToObject(root, "notes");
  for (uint32_t i = 0; i < p->nnotes; i++) cJSON_AddItemToArray(notes, cJSON_CreateString(p->notes[i]));
  if (written) {
    static const char *const actions[] = {"created", "updated", "unchanged"};
    cJSON *w = cJSON_AddArrayToObject(root, "written");
    for (uint32_t i = 0; i < written->n; i++) {
      cJSON *x = cJSON_CreateObject();
      cJSON_AddStringToObject(x, "name", written->v[i].name);
      cJSON_AddStringToObject(x, "path", written->v[i].path);
      cJSON_AddStringToObject(x, "action", actions[written->v[i].action]);
      if (written->v[i].backup) cJSON_AddStringToObject(x, "backup", written->v[i].backup);
      else cJSON_AddNullToObject(x, "backup");
      cJSON_AddItemToArray(w, x);
    }
    if (written->outside) cJSON_AddStringToObject(root, "outside", written->outside);
    else cJSON_AddNullToObject(root, "outside");
  }
  return root;
}
