#define _GNU_SOURCE /* memmem */
/*
 * Reading Emscripten's JS glue (index.js) for what the link model needs:
 * the names in the main module's import object, and whether it was built
 * with threads.
 *
 * The import object is an object literal assigned to `asmLibraryArg`
 * (Emscripten up to 3.1.2x) or `wasmImports` (later releases, including
 * Godot 4's templates): `var wasmImports={__assert_fail:___assert_fail,...}`.
 * Minified and bundled glue (closure, esbuild, webpack) renames that
 * variable: then the object the import object hands over as `env:X` (or,
 * with minified import modules, `{a:X}`) is followed to its `X={...}`.
 * The text also tells which Emscripten loader it carries (wd_loader_version):
 * error strings survive minification.
 * The scanner understands enough JavaScript to find its keys: strings,
 * template literals, comments and nested brackets inside values.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/limits.h"
#include "common/file.h"
#include "common/i18n.h"
#include "common/str.h"
#include "webdoctor/link.h"

typedef struct names {
  char **v;
  uint32_t n, cap;
} names;

static int add_name(names *ns, const char *s, size_t len) {
  if (ns->n == ns->cap) {
    uint32_t cap = ns->cap ? ns->cap * 2 : 64;
    char **v = realloc(ns->v, cap * sizeof *v);
    if (!v) return -1;
    ns->v = v;
    ns->cap = cap;
  }
  char *c = wd_strndup(s, len);
  if (!c) return -1;
  ns->v[ns->n++] = c;
  return 0;
}

static bool is_ident(char c, bool first) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' ||
         (!first && c >= '0' && c <= '9');
}

/* Skip whitespace and comments. */
static size_t skip_space(const char *t, size_t i, size_t n) {
  for (;;) {
    while (i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r')) i++;
    if (i + 1 < n && t[i] == '/' && t[i + 1] == '/') {
      while (i < n && t[i] != '\n') i++;
    } else if (i + 1 < n && t[i] == '/' && t[i + 1] == '*') {
      i += 2;
      while (i + 1 < n && !(t[i] == '*' && t[i + 1] == '/')) i++;
      i = i + 2 <= n ? i + 2 : n;
    } else {
      return i;
    }
  }
}

/* Skip a string or template literal starting at t[i] (the quote). */
static size_t skip_string(const char *t, size_t i, size_t n) {
  char q = t[i++];
  while (i < n && t[i] != q) {
    if (t[i] == '\\') i++;
    i++;
  }
  return i < n ? i + 1 : n;
}

/* Skip one value up to the ',' or '}' that ends it at depth 0. */
static size_t skip_value(const char *t, size_t i, size_t n) {
  int depth = 0;
  while (i < n) {
    char c = t[i];
    if (c == '"' || c == '\'' || c == '`') {
      i = skip_string(t, i, n);
      continue;
    }
    if (c == '/' && i + 1 < n && (t[i + 1] == '/' || t[i + 1] == '*')) {
      i = skip_space(t, i, n);
      continue;
    }
    if (c == '(' || c == '[' || c == '{') depth++;
    else if (c == ')' || c == ']' || c == '}') {
      if (depth == 0) return i;
      depth--;
    } else if (c == ',' && depth == 0) {
      return i;
    }
    i++;
  }
  return n;
}

/* Parse the object literal whose '{' is at t[i]; collect its keys. */
static int parse_object(const char *t, size_t i, size_t n, names *ns) {
  i++; /* '{' */
  for (;;) {
    i = skip_space(t, i, n);
    if (i >= n) return -1;
    if (t[i] == '}') return 0;
    size_t ks, kl;
    if (t[i] == '"' || t[i] == '\'') {
      size_t e = skip_string(t, i, n);
      ks = i + 1;
      kl = e - i - 2;
      i = e;
    } else if (is_ident(t[i], true)) {
      ks = i;
      while (i < n && is_ident(t[i], false)) i++;
      kl = i - ks;
    } else {
      return -1; /* spread or computed key: not an import object we know */
    }
    i = skip_space(t, i, n);
    if (i < n && (t[i] == ',' || t[i] == '}')) {
      /* shorthand property `{ memory }` */
    } else {
      if (i >= n || t[i] != ':') return -1;
      i = skip_value(t, i + 1, n);
    }
    if (add_name(ns, t + ks, kl)) return -2;
    i = skip_space(t, i, n);
    if (i < n && t[i] == ',') i++;
  }
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The first `needle` in hay[from, n), by the C library's memmem rather
 * than a byte loop: a parse of the Godot 4.6 glue (315 KB, about a dozen
 * searches) went from 1.46 to 0.28 ms, of Emscripten 4.0.20's unminified
 * glue with threads (2.8 MB) from 8.5 to 1.6 ms. */
static const char *find_bytes(const char *hay, size_t n, const char *needle, size_t k, size_t from) {
  if (from > n) return NULL;
  return memmem(hay + from, n - from, needle, k);
}

static const char *find_mem(const char *hay, size_t n, const char *needle, size_t from) {
  return find_bytes(hay, n, needle, strlen(needle), from);
}

/* Parse the object literal assigned to `name` (`name={...}`, `var name = {`),
 * the one with most keys wins; 0 if none, -2 on out of memory. */
static int object_of(const char *text, size_t len, const char *name, size_t nlen, names *best) {
  size_t from = 0;
  unsigned attempts = 0; /* a glue assigns it once or twice; bound the work on odd inputs */
  while (attempts < 64 && from < len) {
    const char *p = find_bytes(text, len, name, nlen, from);
    if (!p) break;
    size_t i = (size_t)(p - text) + nlen;
    from = i;
    if (p > text && (is_ident(p[-1], false) || p[-1] == '.')) continue;
    if (i < len && is_ident(text[i], false)) continue;
    i = skip_space(text, i, len);
    if (i >= len || text[i] != '=' || (i + 1 < len && (text[i + 1] == '=' || text[i + 1] == '>'))) continue;
    i = skip_space(text, i + 1, len);
    if (i >= len || text[i] != '{') continue;
    attempts++;
    names ns = {0};
    int rc = parse_object(text, i, len, &ns);
    if (rc == -2) {
      for (uint32_t k = 0; k < ns.n; k++) free(ns.v[k]);
      free(ns.v);
      return -2;
    }
    if (rc == 0 && ns.n > best->n) {
      for (uint32_t k = 0; k < best->n; k++) free(best->v[k]);
      free(best->v);
      *best = ns;
    } else {
      for (uint32_t k = 0; k < ns.n; k++) free(ns.v[k]);
      free(ns.v);
    }
  }
  return 0;
}

/* The variables a glue hands to WebAssembly as its import object's module
 * objects: `env:X` (also quoted) and, with minified import modules,
 * `{a:X}`. Calls `fn` with each distinct identifier X. */
static int each_module_object(const char *t, size_t n, int (*fn)(const char *, size_t, void *), void *arg) {
  static const char *const keys[] = {"env", "\"env\"", "'env'", "{a"};
  for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
    size_t kl = strlen(keys[k]);
    unsigned seen = 0;
    for (const char *p = find_bytes(t, n, keys[k], kl, 0); p && seen < 64;
         p = find_bytes(t, n, keys[k], kl, (size_t)(p - t) + 1)) {
      size_t i = (size_t)(p - t);
      if (i + kl >= n) break;
      if (k < 3 && i > 0 && (is_ident(t[i - 1], false) || t[i - 1] == '.')) continue;
      size_t j = skip_space(t, i + kl, n);
      if (j >= n || t[j] != ':') continue;
      j = skip_space(t, j + 1, n);
      size_t s = j;
      while (j < n && is_ident(t[j], false)) j++;
      if (j == s || !is_ident(t[s], true)) continue;
      size_t e = skip_space(t, j, n);
      if (k == 3 && (e >= n || t[e] != '}')) continue; /* exactly {a:X} */
      if (e < n && t[e] == '(') continue;                /* a call, not a variable */
      seen++;
      int rc = fn(t + s, j - s, arg);
      if (rc) return rc;
    }
  }
  return 0;
}

typedef struct candidate_ctx {
  const char *text;
  size_t len;
  names *best;
} candidate_ctx;

static int try_candidate(const char *id, size_t idlen, void *arg) {
  candidate_ctx *c = arg;
  char name[128];
  if (idlen >= sizeof name) return 0;
  memcpy(name, id, idlen);
  name[idlen] = '\0';
  return object_of(c->text, c->len, name, idlen, c->best);
}

/* Which loader the glue's text shows (strings survive minification). */
static void detect_loader(const char *t, size_t n, wd_glue *g) {
  g->loader = -1;
  /* resolveGlobalSymbol makes __cxa_find_matching_catch_* for side modules
   * only with exception catching (library_dylink.js, !DISABLE_EXCEPTION_CATCHING);
   * abort() appends this hint only without ASSERTIONS */
  g->js_eh = find_mem(t, n, "\"__cxa_find_matching_catch_\"", 0) || find_mem(t, n, "'__cxa_find_matching_catch_'", 0);
  /* resolveGlobalSymbol creates invoke_* wrappers only with exception
   * catching or SUPPORT_LONGJMP='emscripten' (the default up to 3.1.x; Godot
   * 4.5+ builds with 'wasm'): else an invoke_* import stays a lazy stub */
  g->invoke_wrappers = find_mem(t, n, "startsWith(\"invoke_\")", 0) || find_mem(t, n, "startsWith('invoke_')", 0);
  g->abort_hint = find_mem(t, n, "Build with -sASSERTIONS for more info.", 0) != NULL;
  g->has_loader = find_mem(t, n, "dylink.0", 0) != NULL;
  if (!g->has_loader) return;
  const char *be = find_mem(t, n, "bad export type for ", 0);
  const char *why = NULL;
  size_t berest = be ? (size_t)(t + n - be) : 0;
  if (find_mem(t, n, "could not load dynamic lib", 0) ||
      (be && find_mem(be, berest < 80 ? berest : 80, "} (${", 0))) {
    g->loader = WD_LOADER_4_0_20;
    why = find_mem(t, n, "could not load dynamic lib", 0) ? "could not load dynamic lib"
                                                           : "bad export type for '…': … (…)";
  } else if (be && berest > 20 && be[20] == '`') {
    g->loader = WD_LOADER_3_1_6;
    why = "bad export type for `…`";
  } else if (!find_mem(t, n, "\"dylink\"", 0) && !find_mem(t, n, "'dylink'", 0)) {
    g->loader = WD_LOADER_4_0_10;
    why = "only \"dylink.0\" (no legacy \"dylink\")";
  } else if (be) {
    g->loader = WD_LOADER_3_1_64;
    why = "bad export type for '…'";
  } else if (find_mem(t, n, "asmLibraryArg", 0)) {
    g->loader = WD_LOADER_3_1_6;
    why = "asmLibraryArg";
  }
  if (why) snprintf(g->loader_evidence, sizeof g->loader_evidence, "%s", why);
}

wd_status wd_glue_parse(const char *text, size_t len, wd_glue **out, wd_error *err) {
  *out = NULL;
  wd_glue *g = calloc(1, sizeof *g);
  if (!g) return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  names ns = {0};
  int rc = object_of(text, len, "wasmImports", 11, &ns);
  if (rc == 0 && ns.n == 0) rc = object_of(text, len, "asmLibraryArg", 13, &ns);
  if (rc == 0 && ns.n == 0) {
    /* minified or bundled: the variable the import object names */
    candidate_ctx c = {text, len, &ns};
    rc = each_module_object(text, len, try_candidate, &c);
  }
  if (rc == -2) {
    for (uint32_t k = 0; k < ns.n; k++) free(ns.v[k]);
    free(ns.v);
    free(g);
    return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  }
  g->found_imports = ns.n > 0;
  if (ns.n) qsort(ns.v, ns.n, sizeof *ns.v, cmp_names);
  g->names = ns.v;
  g->nnames = ns.n;
  detect_loader(text, len, g);
  /* threads: the glue creates shared memory, or carries the pthread runtime */
  const char *mem = find_mem(text, len, "new WebAssembly.Memory(", 0);
  while (mem && !g->threads) {
    size_t at = (size_t)(mem - text);
    size_t end = at + 300 < len ? at + 300 : len;
    if (find_mem(text, end, "shared", at) && (find_mem(text, end, "shared\":true", at) ||
                                             find_mem(text, end, "shared:true", at) ||
                                             find_mem(text, end, "shared: true", at) ||
                                             find_mem(text, end, "\"shared\": true", at)))
      g->threads = true;
    mem = find_mem(text, len, "new WebAssembly.Memory(", at + 1);
  }
  if (find_mem(text, len, "PThread", 0) && find_mem(text, len, "SharedArrayBuffer", 0))
    g->threads = true;
  *out = g;
  return WD_OK;
}

wd_status wd_glue_open(const char *path, wd_glue **out, wd_error *err) {
  wd_file f;
  wd_status s = wd_file_load(path, &f, WD_MAX_GLUE_SIZE, err);
  if (s) return s;
  s = wd_glue_parse((const char *)f.data, (size_t)f.size, out, err);
  wd_file_close(&f);
  return s;
}

bool wd_glue_provides(const wd_glue *g, const char *name, size_t len) {
  uint32_t lo = 0, hi = g->nnames;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    const char *s = g->names[mid];
    int c = strncmp(s, name, len);
    if (c == 0) c = s[len] == '\0' ? 0 : 1;
    if (c == 0) return true;
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return false;
}

void wd_glue_free(wd_glue *g) {
  if (!g) return;
  for (uint32_t i = 0; i < g->nnames; i++) free(g->names[i]);
  free(g->names);
  free(g);
}
