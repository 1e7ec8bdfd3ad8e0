/*
 * The CompileError each engine prints for a module that does not compile.
 *
 * Every text below was measured (tests/oracle/compile: the engines'
 * String(error) for WebAssembly.instantiate(bytes) on cut and mangled
 * modules; docs/oracles.md lists them): V8 in Chromium 156 and in Node 20
 * (V8 11.3), SpiderMonkey in Firefox ESR 153, JavaScriptCore in WebKitGTK
 * 2.50. The module's framing is walked here (header, then each section's id
 * and size) because the engines' texts need its facts: the section id, its
 * size, the bytes left, the offsets each engine counts from. Section
 * contents are not decoded: their errors depend on each engine's decoder,
 * so there the prediction is "unknown".
 */
#include "webdoctor/compile_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum cls {
  C_NONE,        /* framing is sound: no prediction */
  C_EMPTY,       /* zero bytes */
  C_SHORT,       /* the magic number, then fewer than 4 bytes of version */
  C_MAGIC,       /* 8+ bytes, wrong magic number */
  C_VERSION,     /* wrong version */
  C_SIZE_CUT,    /* the file ends inside a section's size */
  C_PAST_END,    /* a section's size runs past the end of the file */
  C_UNKNOWN_ID,  /* a section id no engine knows */
  C_NO_CODE      /* functions declared, no code section, the file ends cleanly */
};

typedef struct facts {
  enum cls cls;
  uint8_t id;           /* the section's id */
  uint64_t at;          /* the section's id byte */
  uint64_t body;        /* its contents (after the size) */
  uint32_t size;        /* its declared size */
  uint64_t len;
  uint8_t head[8];
  uint32_t nfuncs;      /* C_NO_CODE: the function section's count */
} facts;

/* LEB128 u32 at p: bytes read, 0 when the file ends inside it, -1 when it
   is not a valid u32. */
static int leb_u32(const uint8_t *p, const uint8_t *end, uint32_t *out) {
  uint64_t v = 0;
  for (int i = 0; i < 5; i++) {
    if (p + i >= end) return 0;
    v |= (uint64_t)(p[i] & 0x7f) << (7 * i);
    if (!(p[i] & 0x80)) {
      if (v > UINT32_MAX) return -1;
      *out = (uint32_t)v;
      return i + 1;
    }
  }
  return -1;
}

static void classify(const uint8_t *d, uint64_t len, facts *f) {
  memset(f, 0, sizeof *f);
  f->len = len;
  memcpy(f->head, d, len < 8 ? (size_t)len : 8);
  static const uint8_t magic[4] = {0, 'a', 's', 'm'}, version[4] = {1, 0, 0, 0};
  if (len == 0) {
    f->cls = C_EMPTY;
    return;
  }
  if (len < 8) {
    /* measured only with the magic number intact */
    if (len >= 4 && !memcmp(d, magic, 4)) f->cls = C_SHORT;
    return;
  }
  if (memcmp(d, magic, 4)) {
    f->cls = C_MAGIC;
    return;
  }
  if (memcmp(d + 4, version, 4)) {
    f->cls = C_VERSION;
    return;
  }
  const uint8_t *end = d + len;
  uint64_t at = 8;
  bool code = false;
  uint32_t nfuncs = 0;
  while (at < len) {
    f->id = d[at];
    f->at = at;
    uint32_t size;
    int n = leb_u32(d + at + 1, end, &size);
    if (n == 0) {
      f->cls = C_SIZE_CUT;
      return;
    }
    if (n < 0) return; /* not measured */
    f->size = size;
    f->body = at + 1 + (uint64_t)n;
    if (f->id > 13) {
      f->cls = C_UNKNOWN_ID;
      return;
    }
    if (size > len - f->body) {
      f->cls = C_PAST_END;
      return;
    }
    if (f->id == 3) {
      uint32_t count;
      if (leb_u32(d + f->body, d + f->body + size, &count) > 0) nfuncs = count;
    }
    if (f->id == 10) code = true;
    at = f->body + size;
  }
  if (nfuncs && !code) {
    f->cls = C_NO_CODE;
    f->nfuncs = nfuncs;
  }
}

/* Section names as each engine words them; NULL where no text was measured
   with that section. */
static const char *v8_name(uint8_t id) {
  static const char *const n[] = {"Unknown", "Type", "Import", "Function", NULL, NULL, "Global",
                                  "Export", "Start", "Element", "Code", "Data"};
  return id < sizeof n / sizeof *n ? n[id] : NULL;
}
static const char *jsc_name(uint8_t id) {
  static const char *const n[] = {"Custom", "Type", "Import", "Function", NULL, NULL, "Global",
                                  "Export", "Start", "Element", "Code", "Data"};
  return id < sizeof n / sizeof *n ? n[id] : NULL;
}
static const char *sm_name(uint8_t id) {
  static const char *const n[] = {"custom", "type", "import", "function", NULL, NULL, NULL,
                                  "export", "start", "elem", "code", "data"};
  return id < sizeof n / sizeof *n ? n[id] : NULL;
}

static bool put(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool put(char *buf, size_t size, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, size, fmt, ap);
  va_end(ap);
  return true;
}

#define V8 "CompileError: WebAssembly.instantiate(): "
#define SM "CompileError: wasm validation error: "
#define JSC "CompileError: WebAssembly.Module doesn't parse at byte "

static bool v8_text(const facts *f, bool node, char *buf, size_t size) {
  const uint8_t *h = f->head;
  switch (f->cls) {
  case C_EMPTY: return put(buf, size, V8 "BufferSource argument is empty");
  case C_SHORT: return put(buf, size, V8 "expected 4 bytes, fell off end @+4");
  case C_MAGIC:
    return put(buf, size, V8 "expected magic word 00 61 73 6d, found %02x %02x %02x %02x @+0", h[0], h[1], h[2], h[3]);
  case C_VERSION:
    return put(buf, size, V8 "expected version 01 00 00 00, found %02x %02x %02x %02x @+4", h[4], h[5], h[6], h[7]);
  case C_SIZE_CUT:
    /* V8 11.3 (Node 20) and V8 in Chromium 156 word it differently */
    return put(buf, size, node ? V8 "expected section length @+%llu" : V8 "reached end while decoding section length @+%llu",
               (unsigned long long)f->at + 1);
  case C_PAST_END:
    if (!v8_name(f->id)) return false;
    return put(buf, size, V8 "section (code %u, \"%s\") extends past end of the module (length %u, remaining bytes %llu) @+%llu",
               f->id, v8_name(f->id), f->size, (unsigned long long)(f->len - f->body), (unsigned long long)f->at);
  case C_UNKNOWN_ID:
    return put(buf, size, V8 "unknown section code #0x%02x @+%llu", f->id, (unsigned long long)f->body);
  case C_NO_CODE:
    if (node) return false; /* Node 20 reports a function-body error at @+0 here */
    return put(buf, size, V8 "function count is %u, but code section is absent @+%llu", f->nfuncs,
               (unsigned long long)f->len);
  case C_NONE: break;
  }
  return false;
}

static bool sm_text(const facts *f, char *buf, size_t size) {
  switch (f->cls) {
  case C_EMPTY: return put(buf, size, SM "at offset 0: failed to match magic number");
  case C_SHORT: return put(buf, size, SM "at offset 4: failed to read version");
  case C_MAGIC: return put(buf, size, SM "at offset 4: failed to match magic number");
  case C_VERSION: {
    uint32_t v = (uint32_t)f->head[4] | (uint32_t)f->head[5] << 8 | (uint32_t)f->head[6] << 16 | (uint32_t)f->head[7] << 24;
    return put(buf, size, SM "at offset 8: binary version 0x%x does not match expected version 0x1", v);
  }
  case C_SIZE_CUT:
    if (!sm_name(f->id)) return false;
    return put(buf, size, SM "at offset %llu: failed to start %s section", (unsigned long long)f->at + 1, sm_name(f->id));
  case C_PAST_END:
    /* SpiderMonkey decodes what is there first: only a custom section
       fails before its contents are read */
    if (f->id != 0) return false;
    return put(buf, size, SM "at offset %llu: failed to start custom section", (unsigned long long)f->body);
  case C_NO_CODE: return put(buf, size, SM "at offset %llu: expected code section", (unsigned long long)f->len);
  case C_UNKNOWN_ID: /* measured, but its offset does not follow from the file */
  case C_NONE: break;
  }
  return false;
}

static bool jsc_text(const facts *f, char *buf, size_t size) {
  switch (f->cls) {
  case C_EMPTY:
  case C_SHORT: return put(buf, size, JSC "0: expected a module of at least 8 bytes");
  case C_MAGIC: return put(buf, size, JSC "0: module doesn't start with '\\0asm'");
  case C_VERSION: {
    uint32_t v = (uint32_t)f->head[4] | (uint32_t)f->head[5] << 8 | (uint32_t)f->head[6] << 16 | (uint32_t)f->head[7] << 24;
    return put(buf, size, JSC "0: unexpected version number %u expected 1", v);
  }
  case C_SIZE_CUT:
    if (!jsc_name(f->id)) return false;
    return put(buf, size, JSC "%llu: can't get %s section's length", (unsigned long long)f->at + 1, jsc_name(f->id));
  case C_PAST_END:
    /* the code section is read function by function: not predicted */
    if (f->id == 10 || !jsc_name(f->id)) return false;
    return put(buf, size, JSC "%llu: %s section of size %u would overflow Module's size", (unsigned long long)f->body,
               jsc_name(f->id), f->size);
  case C_UNKNOWN_ID: return put(buf, size, JSC "%llu: invalid section", (unsigned long long)f->at);
  case C_NO_CODE:
    return put(buf, size, JSC "%llu: Number of functions parsed (0) does not match the number of declared functions (%u)",
               (unsigned long long)f->len, f->nfuncs);
  case C_NONE: break;
  }
  return false;
}

bool wd_compile_error_text(const uint8_t *data, uint64_t len, uint64_t first_error, wd_engine e, char *buf,
                           size_t size) {
  if (size) buf[0] = '\0';
  facts f;
  classify(data, len, &f);
  if (f.cls == C_NONE) return false;
  /* the reader met a problem before this one: the engines meet that first */
  if ((f.cls == C_SIZE_CUT || f.cls == C_PAST_END || f.cls == C_UNKNOWN_ID) && first_error < f.at) return false;
  switch (e) {
  case WD_ENGINE_CHROME: return v8_text(&f, false, buf, size);
  case WD_ENGINE_NODE20: return v8_text(&f, true, buf, size);
  case WD_ENGINE_FIREFOX: return sm_text(&f, buf, size);
  case WD_ENGINE_SAFARI: return jsc_text(&f, buf, size);
  case WD_ENGINE_COUNT: break;
  }
  return false;
}

unsigned wd_compile_error_lines(const uint8_t *data, uint64_t len, uint64_t first_error, bool node, char *buf,
                                size_t size) {
  unsigned lines = 0;
  size_t n = 0;
  if (size) buf[0] = '\0';
  static const wd_engine shown[] = {WD_ENGINE_CHROME, WD_ENGINE_FIREFOX, WD_ENGINE_SAFARI, WD_ENGINE_NODE20};
  for (size_t i = 0; i < sizeof shown / sizeof *shown; i++) {
    if (shown[i] == WD_ENGINE_NODE20 && !node) continue;
    char text[512];
    if (!wd_compile_error_text(data, len, first_error, shown[i], text, sizeof text)) continue;
    int w = snprintf(buf + n, size > n ? size - n : 0, "%s%s: %s", lines ? "\n" : "", wd_engine_get(shown[i])->name, text);
    if (w < 0 || (size_t)w >= (size > n ? size - n : 0)) break;
    n += (size_t)w;
    lines++;
  }
  return lines;
}
