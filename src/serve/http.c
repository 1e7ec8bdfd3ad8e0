/*
 * The few header values the server interprets itself: Accept-Encoding (to
 * pick a precompressed copy), Range and If-None-Match. libmicrohttpd parses
 * the message and hands over each value as a string; these functions only
 * read such values, and are fuzzed (fuzz/fuzz_serve_path.c).
 */
#include <string.h>

#include "webdoctor/serve.h"

static const char *const enc_suffix[WD_ENC_COUNT] = {"", ".br", ".zst", ".gz"};
static const char *const enc_token[WD_ENC_COUNT] = {"identity", "br", "zstd", "gzip"};

const char *wd_encoding_suffix(wd_encoding e) { return e < WD_ENC_COUNT ? enc_suffix[e] : ""; }
const char *wd_encoding_token(wd_encoding e) { return e < WD_ENC_COUNT ? enc_token[e] : "identity"; }

static bool is_ows(char c) { return c == ' ' || c == '\t'; }

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

static bool token_eq(const char *s, size_t n, const char *lit) {
  size_t k = strlen(lit);
  if (n != k) return false;
  for (size_t i = 0; i < n; i++)
    if (lower(s[i]) != lit[i]) return false;
  return true;
}

/* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), as 0..1000;
 * -1 when malformed. */
static int parse_qvalue(const char *s, size_t n) {
  if (n == 0 || (s[0] != '0' && s[0] != '1')) return -1;
  int v = (s[0] - '0') * 1000;
  if (n == 1) return v;
  if (s[1] != '.' || n > 5) return -1;
  int scale = 100;
  for (size_t i = 2; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v += (s[i] - '0') * scale;
    scale /= 10;
  }
  return v > 1000 ? -1 : v;
}

wd_encoding wd_serve_pick_encoding(const char *ae, unsigned available) {
  if (!ae) return WD_ENC_IDENTITY;
  int q[WD_ENC_COUNT] = {-1, -1, -1, -1};
  int star = -1;
  const char *p = ae;
  while (*p) {
    while (*p == ',' || is_ows(*p)) p++;
    if (!*p) break;
    const char *tok = p;
    while (*p && *p != ',' && *p != ';' && !is_ows(*p)) p++;
    size_t toklen = (size_t)(p - tok);
    int qv = 1000;
    /* parameters: only q is meaningful */
    while (is_ows(*p)) p++;
    while (*p == ';') {
      p++;
      while (is_ows(*p)) p++;
      const char *name = p;
      while (*p && *p != '=' && *p != ',' && *p != ';' && !is_ows(*p)) p++;
      size_t namelen = (size_t)(p - name);
      while (is_ows(*p)) p++;
      if (*p != '=') {
        qv = -1;
        break;
      }
      p++;
      while (is_ows(*p)) p++;
      const char *val = p;
      while (*p && *p != ',' && *p != ';' && !is_ows(*p)) p++;
      if (token_eq(name, namelen, "q")) qv = parse_qvalue(val, (size_t)(p - val));
      while (is_ows(*p)) p++;
    }
    while (*p && *p != ',') p++; /* junk after an element: skip it */
    if (qv < 0) continue;        /* malformed element: ignore it */
    if (token_eq(tok, toklen, "br")) q[WD_ENC_BR] = qv;
    else if (token_eq(tok, toklen, "zstd")) q[WD_ENC_ZSTD] = qv;
    else if (token_eq(tok, toklen, "gzip") || token_eq(tok, toklen, "x-gzip")) q[WD_ENC_GZIP] = qv;
    else if (token_eq(tok, toklen, "*")) star = qv;
  }
  wd_encoding best = WD_ENC_IDENTITY;
  int bestq = 0;
  static const wd_encoding pref[] = {WD_ENC_BR, WD_ENC_ZSTD, WD_ENC_GZIP};
  for (size_t k = 0; k < sizeof pref / sizeof *pref; k++) {
    wd_encoding e = pref[k];
    if (!(available & (1u << e))) continue;
    int qe = q[e] >= 0 ? q[e] : (star >= 0 ? star : 0);
    if (qe > bestq) {
      bestq = qe;
      best = e;
    }
  }
  return best;
}

/* Digits into a saturating u64; returns the count of digits read. */
static size_t parse_u64(const char *s, uint64_t *out) {
  uint64_t v = 0;
  size_t i = 0;
  for (; s[i] >= '0' && s[i] <= '9'; i++) {
    unsigned d = (unsigned)(s[i] - '0');
    if (v > (UINT64_MAX - d) / 10) v = UINT64_MAX;
    else v = v * 10 + d;
  }
  *out = v;
  return i;
}

wd_range_verdict wd_serve_parse_range(const char *range, uint64_t size, uint64_t *first, uint64_t *last) {
  if (!range) return WD_RANGE_NONE;
  const char *p = range;
  while (is_ows(*p)) p++;
  if (!token_eq(p, 5, "bytes") || p[5] != '=') return WD_RANGE_NONE;
  p += 6;
  while (is_ows(*p)) p++;
  uint64_t a = 0, b = 0;
  bool suffix = false, open_end = false;
  if (*p == '-') {
    suffix = true;
    p++;
    size_t n = parse_u64(p, &b);
    if (n == 0) return WD_RANGE_NONE;
    p += n;
  } else {
    size_t n = parse_u64(p, &a);
    if (n == 0 || p[n] != '-') return WD_RANGE_NONE;
    p += n + 1;
    n = parse_u64(p, &b);
    if (n == 0) open_end = true;
    p += n;
  }
  while (is_ows(*p)) p++;
  if (*p != '\0') return WD_RANGE_NONE; /* a second range, or junk: ignore Range */
  if (suffix) {
    if (b == 0 || size == 0) return WD_RANGE_UNSATISFIABLE;
    *first = b >= size ? 0 : size - b;
    *last = size - 1;
    return WD_RANGE_OK;
  }
  if (!open_end && b < a) return WD_RANGE_NONE; /* invalid: ignore */
  if (a >= size) return WD_RANGE_UNSATISFIABLE;
  *first = a;
  *last = open_end || b >= size ? size - 1 : b;
  return WD_RANGE_OK;
}

bool wd_serve_etag_matches(const char *inm, const char *etag) {
  if (!inm || !etag) return false;
  /* our ETag's opaque part, without W/ */
  if (etag[0] == 'W' && etag[1] == '/') etag += 2;
  size_t elen = strlen(etag);
  const char *p = inm;
  for (;;) {
    while (*p == ',' || is_ows(*p)) p++;
    if (!*p) return false;
    if (*p == '*') return true;
    if (p[0] == 'W' && p[1] == '/') p += 2;
    if (*p != '"') return false; /* malformed: no match */
    const char *q = strchr(p + 1, '"');
    if (!q) return false;
    size_t n = (size_t)(q - p) + 1;
    if (n == elen && memcmp(p, etag, n) == 0) return true;
    p = q + 1;
  }
}

/* ---- where the diagnosis script goes in a page ------------------------ */

static bool tag_at(const char *s, size_t len, size_t i, const char *name) {
  size_t k = strlen(name);
  if (i + 1 + k > len || s[i] != '<') return false;
  for (size_t j = 0; j < k; j++)
    if (lower(s[i + 1 + j]) != name[j]) return false;
  if (i + 1 + k == len) return false;
  char c = s[i + 1 + k];
  return c == '>' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '/';
}

/* The offset just past the '>' that closes the tag starting at i (quotes in
 * attribute values respected), or 0 when it never closes. */
static size_t tag_end(const char *s, size_t len, size_t i) {
  char quote = 0;
  for (size_t j = i + 1; j < len; j++) {
    char c = s[j];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      return j + 1;
    }
  }
  return 0;
}

size_t wd_serve_inject_offset(const char *html, size_t len) {
  size_t head = 0, htm = 0, doctype = 0;
  for (size_t i = 0; i < len; i++) {
    if (html[i] != '<') continue;
    if (i + 4 <= len && !memcmp(html + i, "<!--", 4)) {
      const char *e = NULL;
      for (size_t j = i + 4; j + 3 <= len; j++)
        if (!memcmp(html + j, "-->", 3)) {
          e = html + j;
          break;
        }
      if (!e) break;
      i = (size_t)(e - html) + 2;
      continue;
    }
    if (tag_at(html, len, i, "head")) {
      head = tag_end(html, len, i);
      break;
    }
    if (!htm && tag_at(html, len, i, "html")) {
      htm = tag_end(html, len, i);
      continue;
    }
    if (!doctype && !htm && tag_at(html, len, i, "!doctype")) {
      doctype = tag_end(html, len, i);
      continue;
    }
    /* the first element of the body, or a script, ends the search */
    if (tag_at(html, len, i, "body") || tag_at(html, len, i, "script")) break;
  }
  if (head) return head;
  if (htm) return htm;
  return doctype;
}
