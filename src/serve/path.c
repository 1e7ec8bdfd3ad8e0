/*
 * Request-target to a path beneath the served root.
 *
 * Hand-written because libmicrohttpd's own unescaping (MHD_http_unescape)
 * decodes "%00" to a NUL that silently cuts the path, and decodes "%2F" to a
 * '/' after the path was split; the server installs a no-op unescape
 * callback and hands the raw bytes here, where every rule is in one place
 * and fuzzed (fuzz/fuzz_serve_path.c). The file is then still opened with
 * openat2(RESOLVE_BENEATH), so even a mistake here cannot leave the root.
 */
#include <string.h>

#include "webdoctor/serve.h"

static int hexval(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, <= U+10FFFF. */
static bool utf8_valid(const unsigned char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t need;
    unsigned lo = 0x80, hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c == 0xe0) need = 2, lo = 0xa0;
    else if (c >= 0xe1 && c <= 0xec) need = 2;
    else if (c == 0xed) need = 2, hi = 0x9f;
    else if (c >= 0xee && c <= 0xef) need = 2;
    else if (c == 0xf0) need = 3, lo = 0x90;
    else if (c >= 0xf1 && c <= 0xf3) need = 3;
    else if (c == 0xf4) need = 3, hi = 0x8f;
    else return false; /* 0x80-0xc1 (continuation, overlong 2-byte), 0xf5-0xff */
    if (n - i - 1 < need) return false;
    if (s[i + 1] < lo || s[i + 1] > hi) return false;
    for (size_t k = 2; k <= need; k++)
      if (s[i + k] < 0x80 || s[i + k] > 0xbf) return false;
    i += need + 1;
  }
  return true;
}

static bool ieq_prefix(const char *s, size_t n, const char *prefix) {
  size_t k = strlen(prefix);
  if (n < k) return false;
  for (size_t i = 0; i < k; i++) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

/* Check the segment out[start..end); returns the verdict for it. */
static wd_path_verdict segment_verdict(const char *out, size_t start, size_t end) {
  size_t n = end - start;
  const char *s = out + start;
  if (n == 1 && s[0] == '.') return WD_PATH_BAD;
  if (n == 2 && s[0] == '.' && s[1] == '.') return WD_PATH_BAD;
  if (n > 0 && s[0] == '.' && !(n == 11 && memcmp(s, ".well-known", 11) == 0)) return WD_PATH_HIDDEN;
  return WD_PATH_OK;
}

static wd_path_verdict resolve(const char *target, size_t len, char *out, bool *trailing_slash) {
  /* the path ends at the query or a (never legitimately sent) fragment */
  size_t end = 0;
  while (end < len && target[end] != '?' && target[end] != '#') end++;
  size_t i = 0;
  if (end > 0 && target[0] == '/') {
    i = 0;
  } else if (ieq_prefix(target, end, "http://") || ieq_prefix(target, end, "https://")) {
    i = target[4] == ':' ? 7 : 8;
    while (i < end && target[i] != '/') i++;   /* skip the authority */
    if (i == end) {                            /* "http://host" is "/" */
      *trailing_slash = true;
      return WD_PATH_OK;
    }
  } else {
    return WD_PATH_BAD;
  }
  size_t o = 0, seg = 0;
  wd_path_verdict verdict = WD_PATH_OK;
  bool slash = false;
  for (; i < end; i++) {
    unsigned char c = (unsigned char)target[i];
    if (c == '/') {
      if (o > seg) {
        wd_path_verdict v = segment_verdict(out, seg, o);
        if (v == WD_PATH_BAD) return WD_PATH_BAD;
        if (v == WD_PATH_HIDDEN) verdict = WD_PATH_HIDDEN;
        out[o++] = '/';
        seg = o;
      }
      slash = true;
      continue;
    }
    slash = false;
    if (c == '%') {
      if (end - i < 3) return WD_PATH_BAD;
      int h = hexval((unsigned char)target[i + 1]), l = hexval((unsigned char)target[i + 2]);
      if (h < 0 || l < 0) return WD_PATH_BAD;
      c = (unsigned char)(h * 16 + l);
      i += 2;
      if (c == '/') return WD_PATH_BAD; /* an escaped separator */
    }
    if (c < 0x20 || c == 0x7f || c == '\\') return WD_PATH_BAD;
    out[o++] = (char)c;
  }
  if (o > seg) {
    wd_path_verdict v = segment_verdict(out, seg, o);
    if (v == WD_PATH_BAD) return WD_PATH_BAD;
    if (v == WD_PATH_HIDDEN) verdict = WD_PATH_HIDDEN;
  } else if (o > 0) {
    o--; /* drop the separator added before an empty last segment */
  }
  out[o] = '\0';
  if (!utf8_valid((const unsigned char *)out, o)) return WD_PATH_BAD;
  if (trailing_slash) *trailing_slash = slash;
  return verdict;
}

wd_path_verdict wd_serve_resolve_path(const char *target, size_t len, char *out, size_t out_size,
                                      bool *trailing_slash) {
  bool slash = false;
  if (trailing_slash) *trailing_slash = false;
  if (!out || out_size == 0) return WD_PATH_BAD;
  out[0] = '\0';
  if (!target || out_size < len + 1) return WD_PATH_BAD;
  wd_path_verdict v = resolve(target, len, out, &slash);
  if (v != WD_PATH_OK) {
    out[0] = '\0';
    return v;
  }
  if (trailing_slash) *trailing_slash = slash;
  return v;
}
