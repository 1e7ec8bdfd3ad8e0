/* The configuration each host needs, one generator per host (see plan.c for the policy). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/file.h"
#include "common/i18n.h"
#include "common/str.h"
#include "deploy/deploy_int.h"
#include "webdoctor/wasm.h"
#include "wd_config.h"

/* ---- one generator per host -------------------------------------------- */

/* The first two comment lines of a '#'-commented file: what it is, and the
   command that wrote it. */
static int banner(wd_buf *b, const wd_headers_plan *p, const char *what, const char *hostkey) {
  return wd_buf_printf(b,
                       "# Godot web export: %s (%s)\n"
                       "# Written by webdoctor %s: webdoctor headers --host %s%s\n",
                       what,
                       /* the file is for any administrator: English, as the rest of it */
                       p->threads ? "threaded export: cross-origin isolation (COOP/COEP) on"
                                  : "export without threads: no COOP/COEP needed",
                       WD_VERSION_STRING, hostkey,
                       p->threads ? " --threads" : " --no-threads");
}

char *wdi_gen_nginx(const wd_headers_plan *p) {
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
  return wdi_deploy_finish(&b, rc);
}

char *wdi_gen_apache(const wd_headers_plan *p) {
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
  return wdi_deploy_finish(&b, rc);
}

char *wdi_gen_caddy(const wd_headers_plan *p) {
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
  return wdi_deploy_finish(&b, rc);
}

char *wdi_gen_lighttpd(const wd_headers_plan *p) {
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
  return wdi_deploy_finish(&b, rc);
}

char *wdi_gen_iis(const wd_headers_plan *p) {
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
      wdi_deploy_threads_line(p), WD_VERSION_STRING, p->threads ? " --threads" : " --no-threads");
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
  return wdi_deploy_finish(&b, rc);
}

/* Netlify and Cloudflare Pages share the _headers format. */
char *wdi_gen_headers_file(const wd_headers_plan *p, const char *hostkey, const char *hostname) {
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
  return wdi_deploy_finish(&b, rc);
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

char *wdi_deploy_print_json(cJSON *j) {
  if (!j) return NULL;
  char *s = cJSON_Print(j);
  cJSON_Delete(j);
  if (!s) return NULL;
  char *t = wd_asprintf("%s\n", s);
  free(s);
  return t;
}

char *wdi_gen_vercel(const wd_headers_plan *p) {
  cJSON *root = cJSON_CreateObject();
  if (!root) return NULL;
  cJSON_AddItemToObject(root, "headers", header_rules(p, "/(.*)", "/(.*)\\.wasm", "/(.*)\\.pck"));
  return wdi_deploy_print_json(root);
}

char *wdi_gen_firebase(const wd_headers_plan *p) {
  cJSON *root = cJSON_CreateObject();
  if (!root) return NULL;
  cJSON *h = cJSON_AddObjectToObject(root, "hosting");
  cJSON_AddStringToObject(h, "public", ".");
  cJSON *ign = cJSON_AddArrayToObject(h, "ignore");
  cJSON_AddItemToArray(ign, cJSON_CreateString("firebase.json"));
  cJSON_AddItemToArray(ign, cJSON_CreateString("**/.*"));
  cJSON_AddItemToArray(ign, cJSON_CreateString("**/*.bak"));
  cJSON_AddItemToObject(h, "headers", header_rules(p, "**", "**/*.wasm", "**/*.pck"));
  return wdi_deploy_print_json(root);
}

char *wdi_gen_azure(const wd_headers_plan *p) {
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
  return wdi_deploy_print_json(root);
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

char *wdi_gen_cloudfront(const wd_headers_plan *p) {
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
  return wdi_deploy_print_json(root);
}
