/* serve: request paths, MIME types, Accept-Encoding, Range, If-None-Match,
 * the script's place in a page. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "webdoctor/serve.h"

static wd_path_verdict resolve(const char *target, char *out, bool *slash) {
  return wd_serve_resolve_path(target, strlen(target), out, strlen(target) + 1, slash);
}

static void test_paths(void) {
  char out[256];
  bool slash;
  static const struct { const char *in, *out; bool slash; } ok[] = {
    {"/", "", true},
    {"/index.html", "index.html", false},
    {"/a/b/c.wasm", "a/b/c.wasm", false},
    {"/a//b///c", "a/b/c", false},
    {"/sub/", "sub", true},
    {"/a%20b.txt", "a b.txt", false},
    {"/index.html?v=1&x=../../etc", "index.html", false},
    {"/index.html#frag", "index.html", false},
    {"/%E4%B8%AD%E6%96%87.pck", "\xe4\xb8\xad\xe6\x96\x87.pck", false},
    {"/\xe4\xb8\xad.js", "\xe4\xb8\xad.js", false},
    {"http://example/a/b", "a/b", false},
    {"HTTPS://example", "", true},
    {"http://x?y", "", true},
    {"/.well-known/x", ".well-known/x", false},
    {"/...", "", false},  /* "..." is a name, but a dot-name: hidden */
    {"/a..b", "a..b", false},
    {"/%252e%252e/x", "%2e%2e/x", false}, /* decoded once: a literal '%' */
    {"/a;b", "a;b", false},
  };
  for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
    wd_path_verdict v = resolve(ok[i].in, out, &slash);
    if (!strcmp(ok[i].in, "/...")) {
      CHECK_EQ_INT(v, WD_PATH_HIDDEN);
      continue;
    }
    CHECK_EQ_INT(v, WD_PATH_OK);
    CHECK_EQ_STR(out, ok[i].out);
    CHECK_EQ_INT(slash, ok[i].slash);
  }
  static const char *const bad[] = {
    "", "index.html", "*", "/..", "/../x", "/a/../../x", "/a/..", "/./x", "/a/.", "/%2e%2e/x", "/%2E%2e/x",
    "/.%2e/x", "/%2e./x", "/a%2fb", "/a%2Fb", "/a%5cb", "/a\\b", "/a%00b", "/a%0ab", "/a%0d%0aSet-Cookie:x",
    "/%c0%ae%c0%ae/x", "/%c0%af", "/%e0%80%ae", "/%ed%a0%80", "/%f4%90%80%80", "/%ff", "/\xff", "/\xc0\xae",
    "/%", "/%4", "/%zz", "/%u002e", "/a\x7f", "/a\tb", "http:/x", "file:///etc/passwd", "//../x",
    "http://x/../y", "/%2e%2e", "/..?x", "/.%00./x",
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    strcpy(out, "junk");
    wd_path_verdict v = resolve(bad[i], out, &slash);
    if (v != WD_PATH_BAD) fprintf(stderr, "  not refused: %s\n", bad[i]);
    CHECK_EQ_INT(v, WD_PATH_BAD);
    CHECK_EQ_STR(out, "");
  }
  static const char *const hidden[] = {"/.git/config", "/.env", "/a/.htaccess", "/.well-knownx", "/%2egit/x"};
  for (size_t i = 0; i < sizeof hidden / sizeof *hidden; i++) CHECK_EQ_INT(resolve(hidden[i], out, &slash), WD_PATH_HIDDEN);
  /* a NUL inside the length is refused, not a terminator */
  CHECK_EQ_INT(wd_serve_resolve_path("/a\0/../b", 8, out, sizeof out, &slash), WD_PATH_BAD);
  /* too small an output buffer */
  CHECK_EQ_INT(wd_serve_resolve_path("/abc", 4, out, 4, &slash), WD_PATH_BAD);
}

static void test_mime(void) {
  CHECK_EQ_STR(wd_serve_mime_type("index.wasm"), "application/wasm");
  CHECK_EQ_STR(wd_serve_mime_type("a/b/index.WASM"), "application/wasm");
  CHECK_EQ_STR(wd_serve_mime_type("index.js"), "text/javascript; charset=utf-8");
  CHECK_EQ_STR(wd_serve_mime_type("index.worker.js"), "text/javascript; charset=utf-8");
  CHECK_EQ_STR(wd_serve_mime_type("index.html"), "text/html; charset=utf-8");
  CHECK_EQ_STR(wd_serve_mime_type("index.pck"), "application/octet-stream");
  CHECK_EQ_STR(wd_serve_mime_type("index.manifest.json"), "application/json");
  CHECK_EQ_STR(wd_serve_mime_type("site.webmanifest"), "application/manifest+json");
  CHECK_EQ_STR(wd_serve_mime_type("index.icon.png"), "image/png");
  CHECK_EQ_STR(wd_serve_mime_type("favicon.ico"), "image/x-icon");
  CHECK_EQ_STR(wd_serve_mime_type("logo.svg"), "image/svg+xml");
  CHECK_EQ_STR(wd_serve_mime_type("index.audio.worklet.js"), "text/javascript; charset=utf-8");
  CHECK_EQ_STR(wd_serve_mime_type("Makefile"), "application/octet-stream");
  CHECK_EQ_STR(wd_serve_mime_type(".wasm"), "application/octet-stream");
  CHECK_EQ_STR(wd_serve_mime_type("dir.d/file"), "application/octet-stream");
  CHECK_EQ_STR(wd_serve_mime_type("x."), "application/octet-stream");
  CHECK(wd_serve_mime_compressible("application/wasm"));
  CHECK(!wd_serve_mime_compressible("image/png"));
}

static void test_encoding(void) {
  unsigned all = 1u | 1u << WD_ENC_BR | 1u << WD_ENC_ZSTD | 1u << WD_ENC_GZIP;
  unsigned gz = 1u | 1u << WD_ENC_GZIP;
  CHECK_EQ_INT(wd_serve_pick_encoding(NULL, all), WD_ENC_IDENTITY);
  CHECK_EQ_INT(wd_serve_pick_encoding("", all), WD_ENC_IDENTITY);
  CHECK_EQ_INT(wd_serve_pick_encoding("gzip, deflate, br, zstd", all), WD_ENC_BR);
  CHECK_EQ_INT(wd_serve_pick_encoding("gzip, deflate, br, zstd", gz), WD_ENC_GZIP);
  CHECK_EQ_INT(wd_serve_pick_encoding("gzip, deflate", all), WD_ENC_GZIP);
  CHECK_EQ_INT(wd_serve_pick_encoding("zstd, gzip", all), WD_ENC_ZSTD);
  CHECK_EQ_INT(wd_serve_pick_encoding("BR", all), WD_ENC_BR);
  CHECK_EQ_INT(wd_serve_pick_encoding("br;q=0, gzip", all), WD_ENC_GZIP);
  CHECK_EQ_INT(wd_serve_pick_encoding("br;q=0.5, gzip;q=0.8", all), WD_ENC_GZIP);
  CHECK_EQ_INT(wd_serve_pick_encoding("br ; q=1.0 , gzip", all), WD_ENC_BR);
  CHECK_EQ_INT(wd_serve_pick_encoding("*", all), WD_ENC_BR);
  CHECK_EQ_INT(wd_serve_pick_encoding("*;q=0", all), WD_ENC_IDENTITY);
  CHECK_EQ_INT(wd_serve_pick_encoding("*;q=0, gzip", all), WD_ENC_GZIP);
  CHECK_EQ_INT(wd_serve_pick_encoding("gzip;q=0", gz), WD_ENC_IDENTITY);
  CHECK_EQ_INT(wd_serve_pick_encoding("x-gzip", gz), WD_ENC_GZIP);
  CHECK_EQ_INT(wd_serve_pick_encoding("gzip;q=2", gz), WD_ENC_IDENTITY);   /* bad q: ignored */
  CHECK_EQ_INT(wd_serve_pick_encoding("gzip;q=0.0001", gz), WD_ENC_IDENTITY);
  CHECK_EQ_INT(wd_serve_pick_encoding("gzip;level=9", gz), WD_ENC_GZIP);
  CHECK_EQ_INT(wd_serve_pick_encoding("gzipx, brx", all), WD_ENC_IDENTITY);
  CHECK_EQ_INT(wd_serve_pick_encoding(";;,,;q", all), WD_ENC_IDENTITY);
  CHECK_EQ_STR(wd_encoding_suffix(WD_ENC_ZSTD), ".zst");
  CHECK_EQ_STR(wd_encoding_token(WD_ENC_GZIP), "gzip");
}

static void test_range(void) {
  uint64_t a = 0, b = 0;
  CHECK_EQ_INT(wd_serve_parse_range("bytes=0-9", 100, &a, &b), WD_RANGE_OK);
  CHECK_EQ_INT(a, 0);
  CHECK_EQ_INT(b, 9);
  CHECK_EQ_INT(wd_serve_parse_range("bytes=90-", 100, &a, &b), WD_RANGE_OK);
  CHECK_EQ_INT(a, 90);
  CHECK_EQ_INT(b, 99);
  CHECK_EQ_INT(wd_serve_parse_range("bytes=-10", 100, &a, &b), WD_RANGE_OK);
  CHECK_EQ_INT(a, 90);
  CHECK_EQ_INT(wd_serve_parse_range("bytes=-1000", 100, &a, &b), WD_RANGE_OK);
  CHECK_EQ_INT(a, 0);
  CHECK_EQ_INT(wd_serve_parse_range("bytes=50-5000", 100, &a, &b), WD_RANGE_OK);
  CHECK_EQ_INT(b, 99);
  CHECK_EQ_INT(wd_serve_parse_range("Bytes = 1-2", 100, &a, &b), WD_RANGE_NONE); /* no space before '=' */
  CHECK_EQ_INT(wd_serve_parse_range("bytes= 1-2 ", 100, &a, &b), WD_RANGE_OK);
  CHECK_EQ_INT(wd_serve_parse_range("bytes=100-", 100, &a, &b), WD_RANGE_UNSATISFIABLE);
  CHECK_EQ_INT(wd_serve_parse_range("bytes=-0", 100, &a, &b), WD_RANGE_UNSATISFIABLE);
  CHECK_EQ_INT(wd_serve_parse_range("bytes=0-0", 0, &a, &b), WD_RANGE_UNSATISFIABLE);
  CHECK_EQ_INT(wd_serve_parse_range("bytes=99999999999999999999999-", 100, &a, &b), WD_RANGE_UNSATISFIABLE);
  CHECK_EQ_INT(wd_serve_parse_range("bytes=0-99999999999999999999999", 100, &a, &b), WD_RANGE_OK);
  CHECK_EQ_INT(b, 99);
  CHECK_EQ_INT(wd_serve_parse_range("bytes=5-1", 100, &a, &b), WD_RANGE_NONE);
  CHECK_EQ_INT(wd_serve_parse_range("bytes=0-1,3-4", 100, &a, &b), WD_RANGE_NONE);
  CHECK_EQ_INT(wd_serve_parse_range("bytes=a-b", 100, &a, &b), WD_RANGE_NONE);
  CHECK_EQ_INT(wd_serve_parse_range("items=0-1", 100, &a, &b), WD_RANGE_NONE);
  CHECK_EQ_INT(wd_serve_parse_range("bytes=-", 100, &a, &b), WD_RANGE_NONE);
  CHECK_EQ_INT(wd_serve_parse_range(NULL, 100, &a, &b), WD_RANGE_NONE);
}

static void test_etag(void) {
  const char *e = "\"1a-2b-3c\"";
  CHECK(wd_serve_etag_matches("\"1a-2b-3c\"", e));
  CHECK(wd_serve_etag_matches("W/\"1a-2b-3c\"", e));
  CHECK(wd_serve_etag_matches("\"x\", W/\"1a-2b-3c\"", e));
  CHECK(wd_serve_etag_matches("*", e));
  CHECK(!wd_serve_etag_matches("\"1a-2b-3\"", e));
  CHECK(!wd_serve_etag_matches("1a-2b-3c", e));
  CHECK(!wd_serve_etag_matches("\"1a-2b-3c", e));
  CHECK(!wd_serve_etag_matches("", e));
  CHECK(!wd_serve_etag_matches(NULL, e));
}

static size_t at(const char *html) { return wd_serve_inject_offset(html, strlen(html)); }

static void test_inject(void) {
  CHECK_EQ_INT(at("<!DOCTYPE html><html><head><title>x</title></head>"), strlen("<!DOCTYPE html><html><head>"));
  CHECK_EQ_INT(at("<HTML><HEAD lang=\"a>b\">x"), strlen("<HTML><HEAD lang=\"a>b\">"));
  CHECK_EQ_INT(at("<!-- <head> --><html><head>"), strlen("<!-- <head> --><html><head>"));
  CHECK_EQ_INT(at("<html><header></header><body>"), strlen("<html>"));
  CHECK_EQ_INT(at("<!doctype html><body>x"), strlen("<!doctype html>"));
  CHECK_EQ_INT(at("<script>x</script><head>"), 0);
  CHECK_EQ_INT(at("plain text"), 0);
  CHECK_EQ_INT(at("<!-- unterminated"), 0);
  CHECK_EQ_INT(at("<head"), 0);
  CHECK_EQ_INT(at(""), 0);
}

int main(void) {
  test_paths();
  test_mime();
  test_encoding();
  test_range();
  test_etag();
  test_inject();
  CHECK(wd_serve_is_loopback("127.0.0.1"));
  CHECK(wd_serve_is_loopback("127.8.9.10"));
  CHECK(wd_serve_is_loopback("::1"));
  CHECK(wd_serve_is_loopback("localhost"));
  CHECK(wd_serve_is_loopback(NULL));
  CHECK(!wd_serve_is_loopback("0.0.0.0"));
  CHECK(!wd_serve_is_loopback("::"));
  CHECK(!wd_serve_is_loopback("192.168.1.2"));
  return check_summary();
}
