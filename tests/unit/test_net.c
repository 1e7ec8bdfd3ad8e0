/*
 * The prober's pieces that need no server: Content-Encoding decoding (every
 * coding browsers send, wrong data, the size limit), sniffing, the secure
 * context rule, and the merging of configuration files (`headers --write`).
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "check.h"
#include "net/net_int.h"
#include "webdoctor/headers.h"
#include "webdoctor/probe.h"

static const char text[] = "hello, webdoctor";

/* `printf 'hello, webdoctor' | brotli -c` */
static const uint8_t br_hello[] = {0x1f, 0x0f, 0x00, 0xf8, 0x25, 0xc5, 0xca, 0xee, 0x6a,
                                   0x10, 0x4e, 0x8a, 0x96, 0x8b, 0x74, 0xfa, 0x38};

static size_t deflate_with(int wbits, const void *in, size_t n, uint8_t *out, size_t cap) {
  z_stream z;
  memset(&z, 0, sizeof z);
  deflateInit2(&z, 9, Z_DEFLATED, wbits, 8, Z_DEFAULT_STRATEGY);
  z.next_in = (Bytef *)in;
  z.avail_in = (uInt)n;
  z.next_out = out;
  z.avail_out = (uInt)cap;
  deflate(&z, Z_FINISH);
  size_t len = cap - z.avail_out;
  deflateEnd(&z);
  return len;
}

static void decodes(const char *coding, const uint8_t *in, size_t n) {
  uint8_t *out = NULL;
  size_t len = 0;
  int rc = wdn_decode(coding, in, n, 1 << 20, &out, &len);
  CHECK_EQ_INT(rc, 0);
  CHECK(len == strlen(text) && out && !memcmp(out, text, len));
  free(out);
}

static void test_decode(void) {
  uint8_t buf[256];
  size_t n = deflate_with(16 + MAX_WBITS, text, strlen(text), buf, sizeof buf);
  decodes("gzip", buf, n);
  decodes("x-gzip", buf, n);
  decodes("GZIP", buf, n);
  n = deflate_with(MAX_WBITS, text, strlen(text), buf, sizeof buf);
  decodes("deflate", buf, n); /* zlib stream, as the RFC says */
  n = deflate_with(-MAX_WBITS, text, strlen(text), buf, sizeof buf);
  decodes("deflate", buf, n); /* raw deflate, as some servers send */
  decodes("br", br_hello, sizeof br_hello);
  n = ZSTD_compress(buf, sizeof buf, text, strlen(text), 3);
  decodes("zstd", buf, n);

  uint8_t *out = NULL;
  size_t len = 0;
  /* not in the declared coding */
  CHECK_EQ_INT(wdn_decode("gzip", (const uint8_t *)"\0asm\1\0\0\0", 8, 1 << 20, &out, &len), 1);
  CHECK_EQ_INT(wdn_decode("br", (const uint8_t *)"\0asm\1\0\0\0", 8, 1 << 20, &out, &len), 1);
  CHECK_EQ_INT(wdn_decode("zstd", (const uint8_t *)"<html>", 6, 1 << 20, &out, &len), 1);
  /* truncated */
  n = deflate_with(16 + MAX_WBITS, text, strlen(text), buf, sizeof buf);
  CHECK_EQ_INT(wdn_decode("gzip", buf, n - 6, 1 << 20, &out, &len), 1);
  CHECK_EQ_INT(wdn_decode("br", br_hello, sizeof br_hello - 3, 1 << 20, &out, &len), 1);
  /* unknown coding */
  CHECK_EQ_INT(wdn_decode("compress", buf, n, 1 << 20, &out, &len), 2);
  /* over the limit: a bomb stops at the limit */
  static uint8_t zeros[1 << 20], big[1 << 16];
  n = deflate_with(16 + MAX_WBITS, zeros, sizeof zeros, big, sizeof big);
  CHECK(n < 4096);
  CHECK_EQ_INT(wdn_decode("gzip", big, n, 100000, &out, &len), 3);
  CHECK_EQ_INT(wdn_decode("gzip", big, n, sizeof zeros, &out, &len), 0);
  CHECK_EQ_INT(len, sizeof zeros);
  free(out);
}

static void test_sniff(void) {
  CHECK_EQ_STR(wdn_sniff((const uint8_t *)"\0asm\1\0\0\0", 8), "WebAssembly");
  CHECK_EQ_STR(wdn_sniff((const uint8_t *)"\x1f\x8b\x08\0", 4), "gzip");
  CHECK_EQ_STR(wdn_sniff((const uint8_t *)"\x28\xb5\x2f\xfd", 4), "zstd");
  CHECK_EQ_STR(wdn_sniff((const uint8_t *)"GDPC\2\0\0\0", 8), "Godot pack");
  CHECK_EQ_STR(wdn_sniff((const uint8_t *)"\xef\xbb\xbf\n  <!DOCTYPE html>", 20), "HTML");
  CHECK(wdn_sniff((const uint8_t *)"var Godot", 9) == NULL);
  CHECK(wdn_sniff((const uint8_t *)"", 0) == NULL);
}

static void test_local(void) {
  CHECK(wd_probe_host_is_local("localhost"));
  CHECK(wd_probe_host_is_local("LOCALHOST"));
  CHECK(wd_probe_host_is_local("game.localhost"));
  CHECK(wd_probe_host_is_local("127.0.0.1"));
  CHECK(wd_probe_host_is_local("127.1.2.3"));
  CHECK(wd_probe_host_is_local("[::1]"));
  CHECK(!wd_probe_host_is_local("127.0.0.1.example.com"));
  CHECK(!wd_probe_host_is_local("localhost.example.com"));
  CHECK(!wd_probe_host_is_local("mylocalhost"));
  CHECK(!wd_probe_host_is_local("192.168.1.10"));
  CHECK(!wd_probe_host_is_local("128.0.0.1"));
  CHECK(!wd_probe_host_is_local(NULL));
}

static void test_merge(void) {
  wd_error err;
  wd_error_clear(&err);
  /* a marked block: appended once, replaced after */
  wd_headers_file f = {(char *)"_headers", (char *)"/*\n  A: 1\n", WD_MERGE_BLOCK, (char *)"", false};
  const char *user = "/api/*\n  X: y";
  char *a = wd_headers_merge_text(&f, user, strlen(user), &err);
  CHECK_CONTAINS(a, "/api/*\n  X: y\n\n# BEGIN webdoctor");
  CHECK_CONTAINS(a, "  A: 1\n# END webdoctor\n");
  f.content = (char *)"/*\n  A: 2\n";
  char *b = wd_headers_merge_text(&f, a, strlen(a), &err);
  CHECK(b && strstr(b, "A: 2") && !strstr(b, "A: 1") && strstr(b, "/api/*"));
  char *c = wd_headers_merge_text(&f, b, strlen(b), &err);
  CHECK(c && !strcmp(b, c)); /* idempotent */
  free(a);
  free(b);
  free(c);
  a = wd_headers_merge_text(&f, NULL, 0, &err);
  CHECK(a && !strncmp(a, "# BEGIN webdoctor", 17));
  free(a);

  /* JSON: our keys set, the rest kept, same-source rules replaced */
  wd_headers_file j = {(char *)"vercel.json",
                       (char *)"{\"headers\":[{\"source\":\"/(.*)\",\"headers\":[{\"key\":\"K\",\"value\":\"v\"}]}]}",
                       WD_MERGE_JSON, (char *)"", false};
  const char *have = "{\"cleanUrls\":true,\"headers\":[{\"source\":\"/(.*)\",\"headers\":[]},{\"source\":\"/x\"}]}";
  a = wd_headers_merge_text(&j, have, strlen(have), &err);
  CHECK_CONTAINS(a, "\"cleanUrls\":\ttrue");
  CHECK_CONTAINS(a, "\"/x\"");
  CHECK_CONTAINS(a, "\"K\"");
  CHECK(a && strstr(a, "/(.*)") && !strstr(strstr(a, "/(.*)") + 1, "/(.*)")); /* one /(.*) rule */
  free(a);
  const char *bad = "{\n  \"a\": 1,\n  oops\n}";
  wd_error_clear(&err);
  a = wd_headers_merge_text(&j, bad, strlen(bad), &err);
  CHECK(a == NULL);
  CHECK_EQ_INT(err.code, WD_ERR_MALFORMED);
  CHECK_EQ_INT(err.line, 3);

  /* HTML: the script tag right after <head>, once */
  wd_headers_file h = {(char *)"index.html", (char *)"<script src=\"coi-serviceworker.js\"></script>\n",
                       WD_MERGE_HTML_SCRIPT, (char *)"", false};
  const char *page = "<!DOCTYPE html>\n<HTML><Head lang=x>\n<title>t</title>\n</head></html>\n";
  wd_error_clear(&err);
  a = wd_headers_merge_text(&h, page, strlen(page), &err);
  CHECK_EQ_STR(a, "<!DOCTYPE html>\n<HTML><Head lang=x>\n<script src=\"coi-serviceworker.js\"></script>\n"
                  "<title>t</title>\n</head></html>\n");
  b = a ? wd_headers_merge_text(&h, a, strlen(a), &err) : NULL;
  CHECK(a && b && !strcmp(a, b));
  free(a);
  free(b);
  const char *nohead = "<body><script src=\"index.js\"></script></body>";
  a = wd_headers_merge_text(&h, nohead, strlen(nohead), &err);
  CHECK_EQ_STR(a, "<body><script src=\"coi-serviceworker.js\"></script>\n<script src=\"index.js\"></script></body>");
  free(a);
  wd_error_clear(&err);
  CHECK(wd_headers_merge_text(&h, NULL, 0, &err) == NULL && err.code == WD_ERR_IO);
}

int main(void) {
  test_decode();
  test_sniff();
  test_local();
  test_merge();
  return check_summary();
}
