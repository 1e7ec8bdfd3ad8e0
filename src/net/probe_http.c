/* probe: each response checked as a browser would use it: the status, the
 * Content-Type, the Content-Encoding and the bytes behind it, the caching
 * and CORP headers; and the page: cross-origin isolation (COOP/COEP), the
 * service worker, the manifest (probe_int.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/limits.h"
#include "common/str.h"
#include "common/i18n.h"
#include "webdoctor/msg.h"
#include "net/probe_int.h"
#include "webdoctor/headers.h"

/* ---- small helpers for responses ----------------------------------------------- */

/* The MIME type essence: lower case, without parameters. */
void wdn_essence(const char *ct, char *buf, size_t n) {
  size_t k = 0;
  if (ct)
    for (const char *s = ct; *s && *s != ';' && k + 1 < n; s++)
      if (*s != ' ' && *s != '\t') buf[k++] = (char)(*s >= 'A' && *s <= 'Z' ? *s + 32 : *s);
  buf[k] = '\0';
}

bool wdn_is_js_mime(const char *e) {
  static const char *const js[] = {
    "text/javascript", "application/javascript", "application/x-javascript", "application/ecmascript",
    "application/x-ecmascript", "text/ecmascript", "text/x-ecmascript", "text/x-javascript", "text/jscript",
    "text/livescript", "text/javascript1.0", "text/javascript1.1", "text/javascript1.2", "text/javascript1.3",
    "text/javascript1.4", "text/javascript1.5",
  };
  for (size_t i = 0; i < sizeof js / sizeof *js; i++)
    if (!strcmp(e, js[i])) return true;
  return false;
}

const char *wdn_cistr(const char *hay, const char *needle) {
  return wdn_find_ci(hay, hay + strlen(hay), needle);
}

/* The first token of a header value, lower case ("same-origin"). */
void wdn_token(const char *v, char *buf, size_t n) {
  size_t k = 0;
  if (v) {
    while (*v == ' ' || *v == '"') v++;
    for (; *v && *v != ';' && *v != ',' && *v != ' ' && *v != '"' && k + 1 < n; v++)
      buf[k++] = (char)(*v >= 'A' && *v <= 'Z' ? *v + 32 : *v);
  }
  buf[k] = '\0';
}

bool wdn_is_script_kind(wd_asset_kind k) {
  return k == WD_ASSET_SCRIPT || k == WD_ASSET_GLUE || k == WD_ASSET_WORKER || k == WD_ASSET_WORKLET ||
         k == WD_ASSET_SERVICE_WORKER;
}

bool wdn_is_binary_kind(wd_asset_kind k) {
  return k == WD_ASSET_ENGINE || k == WD_ASSET_ENGINE_SIDE || k == WD_ASSET_EXTENSION || k == WD_ASSET_PCK;
}

bool wdn_ok_status(long s) { return s >= 200 && s < 300; }

/* ---- findings ------------------------------------------------------------------- */

wd_finding *wdn_add(probe *pr, wd_finding_id id, wd_severity sev, const char *file, const char *fmt, ...) {
  wd_msg m;
  va_list ap;
  va_start(ap, fmt);
  int rc = wd_msg_vinit(&m, fmt, ap);
  va_end(ap);
  if (rc) return NULL;
  wd_finding *f = wd_findings_add_msg(pr->out, id, sev, file, &m);
  wd_msg_free(&m);
  return f;
}

static const char *kind_text(wd_asset_kind k) {
  switch (k) {
  case WD_ASSET_PAGE: return W_("the page");
  case WD_ASSET_SCRIPT: return W_("a script of the page");
  case WD_ASSET_GLUE: return W_("the engine's JavaScript");
  case WD_ASSET_ENGINE: return W_("the engine");
  case WD_ASSET_ENGINE_SIDE: return W_("the engine's side module");
  case WD_ASSET_EXTENSION: return W_("a GDExtension");
  case WD_ASSET_PCK: return W_("the project data");
  case WD_ASSET_WORKER: return W_("the threads' worker script");
  case WD_ASSET_WORKLET: return W_("an audio worklet");
  case WD_ASSET_SERVICE_WORKER: return W_("the service worker");
  case WD_ASSET_MANIFEST: return W_("the web app manifest");
  case WD_ASSET_OTHER: return W_("a file GODOT_CONFIG.fileSizes lists");
  }
  return "";
}

int wdn_check_transfer(probe *pr, const wdn_asset *a) {
  const wd_probe_asset *x = &a->pub;
  const char *n = x->name;
  wd_finding *f;
  /* a script of another site (analytics, a widget) may not be needed by the game */
  wd_severity sev = x->kind == WD_ASSET_SCRIPT && x->cross_origin ? WD_SEV_WARNING : WD_SEV_ERROR;
  if (x->error) {
    f = wdn_add(pr, WD408, sev, n, N_("%s could not be downloaded: %s"), n, x->error);
    if (!f || wd_msg_set_arg_text2(&f->message, 1, a->error_en, x->error)) return -1;
    if (wd_finding_explain(f, N_("%s (%s) failed the way it would fail in a browser, which then stays on the "
                                "loading screen if the game needs it.%s%s"),
                           n, kind_text(x->kind), strcmp(n, x->url) ? W_(" The URL was ") : "",
                           strcmp(n, x->url) ? x->url : "") ||
        wd_finding_add_fix(f, N_("Check that the server is up and answers for this file; a file over the host's "
                                "size limit or a proxy that cuts long transfers also end this way."),
                           NULL))
      return -1;
    return 0;
  }
  if (!wdn_ok_status(x->status)) {
    f = wdn_add(pr, WD401, sev, n, N_("the server answers %s with HTTP %ld"), n, x->status);
    if (!f) return -1;
    const char *why;
    if (x->status == 404)
      why = W_("The file is not on the server under this name: it was not uploaded, its name differs in case "
              "(most servers are case-sensitive), or the page was exported with another name.");
    else if (x->status == 403 || x->status == 401)
      why = W_("The server refuses the file: its permissions (the web server's user must be able to read it), "
              "a deny rule for the extension, or a login in front of the folder.");
    else if (x->status >= 500)
      why = W_("The server failed: a broken .htaccess (a directive from a module that is not enabled) answers "
              "500 for every file of its folder; the server's error log names the cause.");
    else
      why = W_("The browser gets no file from this answer.");
    if (wd_finding_explain(f, N_("%s is %s (%s). %s"), n, kind_text(x->kind), x->final_url, why) ||
        wd_finding_add_fix(f, N_("Upload the whole export folder again, keeping the names Godot gave the files, "
                                "and make the files readable by the web server."),
                           NULL))
      return -1;
    return 0;
  }
  const char *looks = wdn_sniff(a->body, a->body_len);
  if (!x->body_ok) {
    f = wdn_add(pr, WD406, WD_SEV_ERROR, n, N_("%s is sent with Content-Encoding: %s, but %s"), n,
            x->content_encoding, a->decode_msg);
    if (!f || wd_msg_set_arg_text2(&f->message, 2, a->decode_msg_en, a->decode_msg)) return -1;
    if (wd_finding_set_engine_message(f, "net::ERR_CONTENT_DECODING_FAILED") ||
        wd_finding_explain(f, N_("The browser undoes Content-Encoding before anything sees the bytes; when they "
                                "are not in that encoding the request fails (Chrome: "
                                "ERR_CONTENT_DECODING_FAILED) and the engine stops loading. Typical causes: a "
                                "precompressed .gz/.br copy served with the wrong encoding, or a header rule that "
                                "labels every file as compressed.")) ||
        wd_finding_add_fix(f, N_("Send Content-Encoding only for bytes compressed that way: `webdoctor headers "
                                "--host HOST` writes rules that do."),
                           NULL))
      return -1;
    return 0;
  }
  /* a .gz the page inflates itself (WD221): what its script gets must still be gzip */
  if (wd_ends_with(n, ".gz") && a->body_len && !(a->body_len >= 2 && a->body[0] == 0x1f && a->body[1] == 0x8b)) {
    f = x->content_encoding
            ? wdn_add(pr, WD221, WD_SEV_ERROR, n,
                      N_("%s is sent with Content-Encoding: %s: the browser unpacks it before the page's script does"),
                      n, x->content_encoding)
            : wdn_add(pr, WD221, WD_SEV_ERROR, n, N_("%s is not gzip data: the host serves it unpacked"), n);
    if (!f) return -1;
    const char *kind = wdn_sniff(a->body, a->body_len);
    if (wd_finding_set_engine_message(f, "Uncaught (in promise) incorrect header check") ||
        wd_finding_explain(f, N_("The page or its script names %s and inflates it itself (a gzip plugin's loader, "
                                "pako or DecompressionStream). It gets %s bytes that are no longer gzip, so "
                                "the inflate fails with \"incorrect header check\" and the game stays on the "
                                "loading screen. itch.io unpacks uploaded .gz files (itchio/itch.io#1180); a "
                                "server that labels .gz files Content-Encoding: gzip has the browser unpack them."),
                           n, kind ? kind : W_("other")) ||
        wd_finding_add_fix(f, N_("Upload the export without the gzip plugin's .gz copies and let the server "
                                "compress (`webdoctor headers --host HOST`); itch.io compresses by itself."),
                           N_("none")) ||
        wd_finding_add_fix(f, x->content_encoding
                                  ? N_("Or serve the .gz files without Content-Encoding (as "
                                      "application/octet-stream).")
                                  : N_("Or host the files where .gz uploads are served as they are."),
                           NULL))
      return -1;
    return 0;
  }
  /* compressed bytes the browser will not undo */
  bool still_compressed = looks && (!strcmp(looks, "gzip") || !strcmp(looks, "zstd"));
  const char *brotli_inside = NULL;
  if (!looks && wdn_is_binary_kind(x->kind) && a->body_len) {
    uint8_t *tmp = NULL;
    size_t tl = 0;
    if (wdn_decode("br", a->body, a->body_len, pr->o->max_size, &tmp, &tl) == 0) {
      const char *inner = wdn_sniff(tmp, tl);
      if (inner && (!strcmp(inner, "WebAssembly") || !strcmp(inner, "Godot pack"))) brotli_inside = "br";
    }
    free(tmp);
  }
  if ((still_compressed || brotli_inside) && !wd_ends_with(n, ".gz") && !wd_ends_with(n, ".br") && !wd_ends_with(n, ".zst")) {
    const char *what = brotli_inside ? "brotli" : looks;
    f = x->content_encoding
            ? wdn_add(pr, WD406, WD_SEV_ERROR, n, N_("%s is compressed twice: after Content-Encoding: %s it is still %s data"),
                  n, x->content_encoding, what)
            : wdn_add(pr, WD406, WD_SEV_ERROR, n, N_("%s is %s data sent without Content-Encoding"), n, what);
    if (!f) return -1;
    if (wd_finding_explain(f, N_("The browser hands the compressed bytes to the engine as they are: a .wasm fails "
                                "to compile (\"expected magic word 00 61 73 6d\"), a .pck or a script is garbage. "
                                "The server sends a compressed copy (index.wasm.gz, or a file compressed in "
                                "place) without saying so.")) ||
        wd_finding_add_fix(f, N_("Upload the uncompressed file under its own name and let the server pick "
                                "precompressed copies with the right Content-Encoding (`webdoctor headers --host "
                                "HOST`); on S3, set Content-Encoding in the object's metadata."),
                           NULL))
      return -1;
    return 0;
  }
  char ct[128];
  wdn_essence(x->content_type, ct, sizeof ct);
  if (looks && !strcmp(looks, "HTML") && x->kind != WD_ASSET_PAGE && x->kind != WD_ASSET_MANIFEST &&
      x->kind != WD_ASSET_OTHER) {
    f = wdn_add(pr, WD405, WD_SEV_ERROR, n, N_("the server answers %s with an HTML page (%s, HTTP %ld)"), n,
            ct[0] ? ct : W_("no Content-Type"), x->status);
    if (!f) return -1;
    if (wd_finding_explain(f, N_("In place of %s the server sends an HTML page with a success status: a "
                                "single-page-app fallback (every unknown path answers index.html), a login or "
                                "error page. A .wasm then fails with \"expected magic word 00 61 73 6d, found 3c "
                                "...\" and a script with a SyntaxError."),
                           kind_text(x->kind)) ||
        wd_finding_add_fix(f, N_("Upload the file; turn off the catch-all rewrite for the export's folder (Netlify "
                                "/* /index.html 200, try_files ... /index.html)."),
                           NULL))
      return -1;
    return 0;
  }
  /* Content-Type */
  if (x->kind == WD_ASSET_PAGE && strcmp(ct, "text/html") != 0 && strcmp(ct, "application/xhtml+xml") != 0) {
    f = wdn_add(pr, WD405, WD_SEV_ERROR, n, N_("the page is sent as %s, not text/html"), ct[0] ? ct : W_("no type"));
    if (!f || wd_finding_explain(f, N_("Browsers show a page of another type as text or download it; the game "
                                      "never starts.")) ||
        wd_finding_add_fix(f, N_("Serve .html files as text/html (the server's MIME types)."), NULL))
      return -1;
  } else if (x->kind == WD_ASSET_ENGINE && strcmp(ct, "application/wasm") != 0) {
    f = wdn_add(pr, WD405, WD_SEV_WARNING, n, N_("%s is sent as %s, not application/wasm"), n, ct[0] ? ct : W_("no type"));
    if (!f) return -1;
    if (wd_finding_set_engine_message(f, "TypeError: Failed to execute 'compile' on 'WebAssembly': Incorrect "
                                         "response MIME type. Expected 'application/wasm'.") ||
        wd_finding_explain(f, N_("WebAssembly.instantiateStreaming() accepts only application/wasm: with another "
                                "type the engine cannot compile while downloading (Godot's loader and "
                                "Emscripten fall back to a slower path, or fail in custom loaders).")) ||
        wd_finding_add_fix(f, N_("Map .wasm to application/wasm: `webdoctor headers --host HOST`."), NULL))
      return -1;
  } else if (wdn_is_script_kind(x->kind) && !wdn_is_js_mime(ct)) {
    bool strict = x->kind != WD_ASSET_SCRIPT && x->kind != WD_ASSET_GLUE;
    bool nosniff = x->nosniff && !strncasecmp(x->nosniff, "nosniff", 7);
    bool blocked = strict || nosniff || !strncmp(ct, "image/", 6) || !strncmp(ct, "audio/", 6) ||
                   !strncmp(ct, "video/", 6) || !strcmp(ct, "text/csv");
    f = wdn_add(pr, WD405, blocked ? WD_SEV_ERROR : WD_SEV_WARNING, n, N_("%s is sent as %s, not as JavaScript"), n,
            ct[0] ? ct : W_("no type"));
    if (!f) return -1;
    char em[600];
    snprintf(em, sizeof em,
             "Refused to execute script from '%s' because its MIME type ('%s') is not executable, and strict MIME "
             "type checking is enabled.",
             x->final_url, ct);
    if ((blocked && wd_finding_set_engine_message(f, em)) ||
        wd_finding_explain(f, blocked ? N_("Browsers refuse to run %s when it is not sent with a JavaScript type "
                                          "(workers, worklets, service workers and modules always check; other "
                                          "scripts check under X-Content-Type-Options: nosniff).")
                                      : N_("Browsers still run %s, but refuse it as soon as the server adds "
                                          "X-Content-Type-Options: nosniff."),
                           kind_text(x->kind)) ||
        wd_finding_add_fix(f, N_("Serve .js files as text/javascript (the server's MIME types)."), NULL))
      return -1;
  }
  /* uncompressed large files */
  if ((x->kind == WD_ASSET_ENGINE || x->kind == WD_ASSET_PCK || x->kind == WD_ASSET_EXTENSION ||
       x->kind == WD_ASSET_ENGINE_SIDE) &&
      !x->content_encoding && a->body_len >= WD_UNCOMPRESSED_NOTE_SIZE) {
    char h[32];
    f = wdn_add(pr, WD409, WD_SEV_INFO, n, N_("%s (%s) is sent uncompressed"), n, wd_format_size(a->body_len, h, sizeof h));
    if (!f || wd_finding_explain(f, N_("The server did not compress it although the request accepted gzip, br "
                                      "and zstd; an engine .wasm shrinks to about a quarter with brotli.")) ||
        wd_finding_add_fix(f, N_("Let the server compress (on the fly or precompressed copies): `webdoctor "
                                "headers --host HOST`."),
                           NULL))
      return -1;
  }
  return 0;
}

static const char *const coi_missing =
    "Cross-Origin Isolation - Check that the web server configuration sends the correct headers.\n"
    "SharedArrayBuffer - Check that the web server configuration sends the correct headers.";

static bool coep_isolating(const char *v) {
  char t[64];
  wdn_token(v, t, sizeof t);
  return !strcmp(t, "require-corp") || !strcmp(t, "credentialless");
}

int wdn_check_page(probe *pr, wd_probe_result *res) {
  const wdn_asset *page = pr->page;
  const char *n = pr->page_name;
  wd_finding *f;
  /* secure context */
  if (!res->secure_context) {
    CURLU *u = curl_url();
    char *host = NULL;
    if (u && curl_url_set(u, CURLUPART_URL, pr->page_url, 0) == CURLUE_OK)
      curl_url_get(u, CURLUPART_HOST, &host, 0);
    f = wdn_add(pr, WD404, WD_SEV_ERROR, n, N_("the page is served over http:// from %s: not a secure context"),
            host ? host : "?");
    curl_free(host);
    curl_url_cleanup(u);
    if (!f) return -1;
    if (wd_finding_set_engine_message(f, "Secure Context - Check web server configuration (use HTTPS)") ||
        wd_finding_explain(f, N_("Godot's page refuses to start outside a secure context, and browsers give "
                                "SharedArrayBuffer, service workers and audio worklets only to secure "
                                "contexts: https://, or http:// on localhost / 127.0.0.1 only.")) ||
        wd_finding_add_fix(f, N_("Serve the page over HTTPS (Let's Encrypt, or a host that does it for you)."),
                           NULL))
      return -1;
  }
  /* cross-origin isolation */
  char coop[64];
  wdn_token(page->pub.coop, coop, sizeof coop);
  bool coop_ok = !strcmp(coop, "same-origin");
  bool coep_ok = coep_isolating(page->pub.coep);
  res->isolated = coop_ok && coep_ok && res->secure_context;
  const wdn_asset *sw = NULL;
  for (uint32_t i = 0; i < pr->f.n; i++) {
    const wdn_asset *a = pr->f.v[i];
    bool shim = a->pub.kind == WD_ASSET_SCRIPT && strstr(a->pub.name, WD_COI_SW_NAME);
    bool pwa = a->pub.kind == WD_ASSET_SERVICE_WORKER &&
               cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(pr->config, "ensureCrossOriginIsolationHeaders"));
    if ((shim || pwa) && wdn_ok_status(a->pub.status) && !a->pub.error) sw = a;
  }
  res->sw_isolation = sw != NULL && !res->isolated;
  if (pr->threads == 1 && !res->isolated) {
    /* what the page lacks, in the language it is written in */
    wd_msg missing = {0}, coop_m = {0}, coep_m = {0};
    int mrc = 0;
    if (!coop_ok)
      mrc = page->pub.coop ? wd_msg_init(&coop_m, N_("Cross-Origin-Opener-Policy is '%s', not same-origin"), page->pub.coop)
                           : wd_msg_init(&coop_m, N_("no Cross-Origin-Opener-Policy%s"), "");
    if (!mrc && !coep_ok)
      mrc = page->pub.coep ? wd_msg_init(&coep_m, N_("%sCross-Origin-Embedder-Policy is '%s', not require-corp"),
                                         coop_m.id ? "; " : "", page->pub.coep)
                           : wd_msg_init(&coep_m, N_("%sno Cross-Origin-Embedder-Policy%s"), coop_m.id ? "; " : "", "");
    if (!mrc && (coop_m.id || coep_m.id)) mrc = wd_msg_init(&missing, "%s%s", "", "");
    if (!mrc && coop_m.id) mrc = wd_msg_set_arg_msg(&missing, 0, &coop_m);
    if (!mrc && coep_m.id) mrc = wd_msg_set_arg_msg(&missing, 1, &coep_m);
    wd_msg_free(&coop_m);
    wd_msg_free(&coep_m);
    if (mrc) {
      wd_msg_free(&missing);
      return -1;
    }
    if (sw) {
      f = wdn_add(pr, WD402, WD_SEV_INFO, n,
              N_("threaded export: %s makes the page cross-origin isolated after one reload (the page itself has %s)"),
              sw->pub.name, missing.id ? "" : W_("no isolation"));
      if (f && missing.id && wd_msg_set_arg_msg(&f->message, 1, &missing)) f = NULL;
      wd_msg_free(&missing);
      if (!f || wd_finding_explain(f, N_("The service worker adds Cross-Origin-Opener-Policy and "
                                        "Cross-Origin-Embedder-Policy to the responses it passes, so the page "
                                        "works after it reloads itself once. Browsers without service workers "
                                        "(Firefox private windows) never get threads; headers from the server "
                                        "avoid both.")))
        return -1;
    } else {
      f = wdn_add(pr, WD402, WD_SEV_ERROR, n, N_("threaded export, but the page is not cross-origin isolated: %s"),
              missing.id ? "" : W_("not a secure context"));
      if (f && missing.id && wd_msg_set_arg_msg(&f->message, 0, &missing)) f = NULL;
      wd_msg_free(&missing);
      if (!f) return -1;
      if (wd_finding_set_engine_message(f, coi_missing) ||
          wd_finding_explain(f, N_("The engine's memory is shared (built with threads), which needs "
                                  "SharedArrayBuffer, which browsers give only to pages sent with "
                                  "Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: "
                                  "require-corp (over HTTPS or on localhost). Godot's page then stops with "
                                  "\"The following features required to run Godot projects on the Web are "
                                  "missing\".")) ||
          wd_finding_add_fix(f, N_("Send the two headers: `webdoctor headers --host HOST --dir EXPORT` writes the "
                                  "configuration for your server or host."),
                             N_("keeps threads; isolation blocks cross-origin ads and embeds")) ||
          wd_finding_add_fix(f, N_("On a host that cannot send headers (GitHub Pages, GitLab Pages): `webdoctor "
                                  "headers --host github-pages --dir EXPORT --write` installs a service worker "
                                  "that adds them."),
                             N_("one reload on the first visit")) ||
          wd_finding_add_fix(f, N_("Or export without threads (Web preset > Variant > Thread Support off, with "
                                  "nothreads builds of every GDExtension)."),
                             N_("no headers needed anywhere; no threads")))
        return -1;
    }
  }
  /* what an isolated page blocks */
  bool require_corp = res->isolated || sw;
  bool have_worker = false;
  for (uint32_t i = 0; i < pr->f.n; i++) have_worker |= pr->f.v[i]->pub.kind == WD_ASSET_WORKER;
  char coep_page[64];
  wdn_token(page->pub.coep, coep_page, sizeof coep_page);
  for (uint32_t i = 0; i < pr->f.n; i++) {
    const wdn_asset *a = pr->f.v[i];
    const wd_probe_asset *x = &a->pub;
    if (x->kind == WD_ASSET_PAGE || !wdn_ok_status(x->status) || x->error) continue;
    char corp[64];
    wdn_token(x->corp, corp, sizeof corp);
    if (x->cross_origin) {
      if (x->kind == WD_ASSET_WORKER || x->kind == WD_ASSET_WORKLET || x->kind == WD_ASSET_SERVICE_WORKER) {
        f = wdn_add(pr, WD403, WD_SEV_ERROR, x->name, N_("%s is on another origin (%s): browsers load it only from "
                                                       "the page's origin"),
                x->name, x->final_url);
        if (!f || wd_finding_explain(f, N_("Workers, worklets and service workers must come from the page's own "
                                          "origin.")) ||
            wd_finding_add_fix(f, N_("Serve every file of the export from the page's origin."), NULL))
          return -1;
        continue;
      }
      bool script = x->kind == WD_ASSET_SCRIPT || x->kind == WD_ASSET_GLUE;
      bool crossorigin_attr = false;
      for (uint32_t k = 0; k < pr->nscripts; k++)
        if (!strcmp(pr->scripts[k].ref, x->name)) crossorigin_attr = pr->scripts[k].crossorigin;
      char *acao_origin = x->acao && strcmp(x->acao, "*") ? wdn_origin_of(x->acao) : NULL;
      bool cors = x->acao && (!strcmp(x->acao, "*") || (acao_origin && !strcmp(acao_origin, pr->page_origin)));
      free(acao_origin);
      /* classic scripts need CORP only under COEP; what is fetch()ed needs CORS always */
      bool ok = script && !crossorigin_attr
                    ? !require_corp || !strcmp(corp, "cross-origin") || !strcmp(coep_page, "credentialless")
                    : cors;
      if (!ok) {
        f = wdn_add(pr, WD403, WD_SEV_ERROR, x->name,
                script && !crossorigin_attr
                    ? N_("%s comes from another origin without Cross-Origin-Resource-Policy: the isolated page blocks it")
                    : N_("%s comes from another origin without CORS (Access-Control-Allow-Origin): the page cannot "
                        "fetch it"),
                x->name);
        bool corp_case = script && !crossorigin_attr;
        if (!f ||
            (corp_case ? wd_finding_explain(f, N_("%s is at %s. Under Cross-Origin-Embedder-Policy: require-corp a "
                                                 "script of another origin runs only if it opts in with "
                                                 "Cross-Origin-Resource-Policy: cross-origin."),
                                            x->name, x->final_url)
                       : wd_finding_explain(f, N_("%s is at %s. The engine reads it with fetch(), and a page may "
                                                 "read a file of another origin only when that origin sends "
                                                 "Access-Control-Allow-Origin (CORS): the browser reports \"blocked "
                                                 "by CORS policy\" and the loading stops."),
                                            x->name, x->final_url)) ||
            wd_finding_add_fix(f, N_("Have the other origin send Access-Control-Allow-Origin (and "
                                    "Cross-Origin-Resource-Policy: cross-origin), or serve the file from the "
                                    "page's origin."),
                               NULL))
          return -1;
      }
    } else if (res->isolated && pr->threads == 1 &&
               (x->kind == WD_ASSET_WORKER ||
                (x->kind == WD_ASSET_GLUE && !have_worker)) &&
               !coep_isolating(x->coep)) {
      f = wdn_add(pr, WD403, WD_SEV_ERROR, x->name,
              N_("%s starts the threads' workers, but is sent without Cross-Origin-Embedder-Policy"), x->name);
      if (!f || wd_finding_explain(f, N_("A dedicated worker of a page with Cross-Origin-Embedder-Policy: "
                                        "require-corp must be served with it too, or the browser refuses to "
                                        "start it and threads never run. Headers set for the page alone (a "
                                        "location for .html) miss the worker script.")) ||
          wd_finding_add_fix(f, N_("Send COOP/COEP on every file of the export, not only the page: `webdoctor "
                                  "headers --host HOST`."),
                             NULL))
        return -1;
    }
  }
  /* long-lived caching of names that do not change between exports */
  {
    char files[512] = "", cc_seen[256] = "";
    uint32_t nl = 0;
    size_t fl = 0;
    long longest = 0;
    const char *first = NULL;
    for (uint32_t i = 0; i < pr->f.n; i++) {
      const wd_probe_asset *x = &pr->f.v[i]->pub;
      if (!wdn_ok_status(x->status) || x->error || !x->cache_control) continue;
      const char *cc = x->cache_control;
      const char *ma = wdn_cistr(cc, "max-age=");
      long max_age = ma ? strtol(ma + 8, NULL, 10) : -1;
      bool immutable = wdn_cistr(cc, "immutable") != NULL;
      if (wdn_cistr(cc, "no-cache") || wdn_cistr(cc, "no-store") || !(immutable || max_age > 86400)) continue;
      if (!nl) {
        first = x->name;
        snprintf(cc_seen, sizeof cc_seen, "%s", cc);
      }
      if (nl < 6) {
        int k = snprintf(files + fl, sizeof files - fl, "%s%s", nl ? ", " : "", x->name);
        if (k > 0) fl += (size_t)k < sizeof files - fl ? (size_t)k : sizeof files - fl - 1;
      }
      if (max_age > longest) longest = max_age;
      nl++;
    }
    if (nl) {
      wd_msg dur;
      if (longest > 86400 ? wd_msg_init(&dur, N_("%ld days"), longest / 86400) : wd_msg_plain(&dur, N_("ever (immutable)")))
        return -1;
      f = nl == 1 ? wdn_add(pr, WD407, WD_SEV_WARNING, first,
                            N_("%s may be reused from the cache for %s without asking the server"), first, "")
                  : wdn_add(pr, WD407, WD_SEV_WARNING, NULL,
                            N_("%u files may be reused from the cache for %s without asking the server (%s%s)"), nl, "",
                            files, nl > 6 ? ", ..." : "");
      if (f && wd_msg_set_arg_msg(&f->message, 1, &dur)) f = NULL;
      wd_msg_free(&dur);
      if (!f || wd_finding_explain(f, N_("Cache-Control: %s. Godot gives its files the same names in every "
                                        "export, so after an update players keep old files next to new ones: an "
                                        "old index.wasm with a new .pck or extension fails to load or to link."),
                                   cc_seen) ||
          wd_finding_add_fix(f, N_("Send Cache-Control: no-cache (revalidate on every load; unchanged files cost "
                                  "a 304): `webdoctor headers --host HOST`."),
                             N_("long caching is safe only for names that change with the content")))
        return -1;
    }
  }
  /* heuristic caching: Last-Modified without Cache-Control or Expires */
  char list[512] = "";
  uint32_t nh = 0;
  size_t len = 0;
  for (uint32_t i = 0; i < pr->f.n; i++) {
    const wd_probe_asset *x = &pr->f.v[i]->pub;
    if (!wdn_ok_status(x->status) || x->error || x->cache_control || x->expires || !x->last_modified) continue;
    if (nh < 6) {
      int k = snprintf(list + len, sizeof list - len, "%s%s", nh ? ", " : "", x->name);
      if (k > 0) len += (size_t)k < sizeof list - len ? (size_t)k : sizeof list - len - 1;
    }
    nh++;
  }
  if (nh) {
    wd_msg m;
    f = NULL;
    if (!wd_msg_initn(&m, NP_("%u file is sent without Cache-Control (%s%s): browsers guess how long to reuse it",
                              "%u files are sent without Cache-Control (%s%s): browsers guess how long to reuse them"),
                      nh, nh, list, nh > 6 ? ", ..." : "")) {
      f = wd_findings_add_msg(pr->out, WD407, WD_SEV_INFO, NULL, &m);
      wd_msg_free(&m);
    }
    if (!f || wd_finding_explain(f, N_("With Last-Modified and no Cache-Control, browsers reuse a file without "
                                      "asking for about a tenth of its age: a file uploaded a month ago stays "
                                      "three days after the next update, mixing builds.")) ||
        wd_finding_add_fix(f, N_("Send Cache-Control: no-cache: `webdoctor headers --host HOST`."), NULL))
      return -1;
  }
  return 0;
}
