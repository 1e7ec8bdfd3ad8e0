/*
 * Reading Emscripten's JS glue (index.js) for what the link model needs:
 * the names in the main module's import object, and whether it was built
 * with threads.
 *
 * The import object is an object literal assigned to `asmLibraryArg`
 * (Emscripten up to 3.1.2x) or `wasmImports` (later releases, including
 * Godot 4's templates): `var wasmImports={__assert_fail:___assert_fail,...}`.
 * The scanner understands enough JavaScript to find its keys: strings,
 * template literals, comments and nested brackets inside values.
 */
#include <stdlib.h>
#include <string.h>

#include "common/file.h"
#include "common/i18n.h"
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
  char *c = malloc(len + 1);
  if (!c) return -1;
  memcpy(c, s, len);
  c[len] = '\0';
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

static const char *find_mem(const char *hay, size_t n, const char *needle, size_t from) {
  size_t k = strlen(needle);
  for (size_t i = from; i + k <= n; i++)
    if (hay[i] == needle[0] && memcmp(hay + i, needle, k) == 0) return hay + i;
  return NULL;
}

wd_status wd_glue_parse(const char *text, size_t len, wd_glue **out, wd_error *err) {
  *out = NULL;
  wd_glue *g = calloc(1, sizeof *g);
  if (!g) return wd_error_set(err, WD_ERR_NOMEM, "%s", _("out of memory"));
  names ns = {0};
  static const char *const vars[] = {"asmLibraryArg", "wasmImports"};
  for (size_t v = 0; v < 2 && !g->found_imports; v++) {
    size_t from = 0;
    const char *p;
    unsigned attempts = 0; /* a glue has one; bound the work on odd inputs */
    while (attempts < 64 && (p = find_mem(text, len, vars[v], from))) {
      size_t i = (size_t)(p - text) + strlen(vars[v]);
      from = i;
      if (p > text && is_ident(p[-1], false)) continue;
      i = skip_space(text, i, len);
      if (i >= len || text[i] != '=' || (i + 1 < len && text[i + 1] == '=')) continue;
      i = skip_space(text, i + 1, len);
      if (i >= len || text[i] != '{') continue;
      for (uint32_t k = 0; k < ns.n; k++) free(ns.v[k]);
      ns.n = 0;
      attempts++;
      int rc = parse_object(text, i, len, &ns);
      if (rc == -2) {
        for (uint32_t k = 0; k < ns.n; k++) free(ns.v[k]);
        free(ns.v);
        free(g);
        return wd_error_set(err, WD_ERR_NOMEM, "%s", _("out of memory"));
      }
      if (rc == 0 && ns.n > 0) {
        g->found_imports = true;
        break;
      }
    }
  }
  if (!g->found_imports) {
    for (uint32_t k = 0; k < ns.n; k++) free(ns.v[k]);
    ns.n = 0;
  }
  if (ns.n) qsort(ns.v, ns.n, sizeof *ns.v, cmp_names);
  g->names = ns.v;
  g->nnames = ns.n;
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
  wd_status s = wd_file_load(path, &f, (uint64_t)256 << 20, err);
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
