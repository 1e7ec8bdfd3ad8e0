/*
 * Godot's ConfigFile text format: the file level (comments, [section]
 * headers, key=value entries) after core/io/config_file.cpp (_parse) and
 * VariantParser::parse_tag_assign_eof; the values are in cfg_value.c and
 * editing in cfg_edit.c.
 *
 * The reader is stricter than Godot where Godot silently loses data (a key
 * must be followed by '=' on its line; nothing but a ';' comment may follow
 * a value), and it reports, as warnings, what Godot reads differently from
 * how it looks ('#' is not a comment for Godot).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/file.h"
#include "common/i18n.h"
#include "godot/cfg_int.h"

typedef struct wdi_cfg_internal {
  wd_arena arena;
} wdi_cfg_internal;



/* White space that does not end the line. */
static void skip_inline(wdi_cfg_lexer *lx) {
  while (wdi_cfg_is_space(wdi_cfg_peek(lx)) && wdi_cfg_peek(lx) != '\n') wdi_cfg_adv(lx);
}
static void skip_to_eol(wdi_cfg_lexer *lx) {
  while (wdi_cfg_peek(lx) >= 0 && wdi_cfg_peek(lx) != '\n') wdi_cfg_adv(lx);
}

static void found_here(const wdi_cfg_lexer *lx, char *buf, size_t size) {
  int c = wdi_cfg_peek(lx);
  if (c < 0) snprintf(buf, size, "%s", _("the end of the file"));
  else if (c == '\n') snprintf(buf, size, "%s", _("the end of the line"));
  else if (c > 32 && c < 127) snprintf(buf, size, "'%c'", c);
  else snprintf(buf, size, _("byte 0x%02x"), (unsigned)c);
}

static void add_warning(wdi_cfg_lexer *lx, wdi_cfg_pos at, const char *msg) {
  wd_cfg_warning w;
  memset(&w, 0, sizeof w);
  w.line = at.line;
  w.column = at.col;
  snprintf(w.msg, sizeof w.msg, "%s", msg);
  if (wd_buf_append(&lx->warnings, &w, sizeof w)) { /* a lost warning is not an error */ }
}

/* At '#': a comment for people, not for Godot. Godot's ConfigFile collects
 * every non-blank character up to the next '=' into a key, so a '#' line
 * without '=' swallows the next key (or section header). */
static void hash_comment(wdi_cfg_lexer *lx) {
  wdi_cfg_pos at = lx->p;
  bool has_eq = false;
  while (wdi_cfg_peek(lx) >= 0 && wdi_cfg_peek(lx) != '\n') {
    if (wdi_cfg_peek(lx) == '=') has_eq = true;
    wdi_cfg_adv(lx);
  }
  if (has_eq) return;
  uint32_t i = lx->p.off;
  while (i < lx->n && wdi_cfg_is_space((unsigned char)lx->s[i])) i++;
  if (i < lx->n)
    add_warning(lx, at,
                _("Godot does not read '#' as a comment: it joins this line to the next key, "
                  "which is then lost; use ';'"));
}

typedef struct builder {
  wdi_cfg_lexer lx;
  wd_cfg *cfg;
  wd_buf sections;  /* wd_cfg_section */
  wd_buf entries;   /* wd_cfg_entry */
  uint32_t nsections, nentries;
} builder;

static wd_cfg_section *cur_section(builder *b) {
  return (wd_cfg_section *)(void *)b->sections.data + (b->nsections - 1);
}

static wd_status add_section(builder *b, wd_str name, bool has_header, wd_cfg_span header) {
  wd_cfg_section s;
  memset(&s, 0, sizeof s);
  s.name = name;
  s.has_header = has_header;
  s.header_span = header;
  s.first_entry = b->nentries;
  s.index = b->nsections;
  if (wd_buf_append(&b->sections, &s, sizeof s))
    return wdi_cfg_fail_at(&b->lx, b->lx.p, WD_ERR_NOMEM, "%s", W_("out of memory"));
  b->nsections++;
  return WD_OK;
}

static wd_status parse_header(builder *b) {
  wdi_cfg_lexer *lx = &b->lx;
  wdi_cfg_pos open = lx->p;
  wdi_cfg_adv(lx); /* '[' */
  uint32_t name_start = lx->p.off;
  bool escaping = false;
  for (;;) {
    int c = wdi_cfg_peek(lx);
    if (c < 0 || c == '\n')
      return wdi_cfg_fail_at(lx, open, WD_ERR_MALFORMED, "%s",
                     W_("unclosed section header: expected ']' on the same line"));
    if (c == 0)
      return wdi_cfg_fail_at(lx, lx->p, WD_ERR_MALFORMED, "%s",
                     W_("unexpected NUL byte in a section header"));
    if (c == ']' && !escaping) break;
    escaping = c == '\\';
    wdi_cfg_adv(lx);
  }
  uint32_t name_end = lx->p.off;
  wdi_cfg_adv(lx); /* ']' */
  while (name_start < name_end && wdi_cfg_is_space((unsigned char)lx->s[name_start])) name_start++;
  while (name_end > name_start && wdi_cfg_is_space((unsigned char)lx->s[name_end - 1])) name_end--;
  wd_str name;
  name.len = name_end - name_start;
  name.ptr = wd_arena_strndup(lx->arena, lx->s + name_start, name.len);
  if (!name.ptr) return wdi_cfg_fail_at(lx, open, WD_ERR_NOMEM, "%s", W_("out of memory"));
  wd_cfg_span header = {open.off, lx->p.off - open.off, open.line, open.col};
  skip_inline(lx);
  int c = wdi_cfg_peek(lx);
  if (c == ';') {
    skip_to_eol(lx);
  } else if (c == '#') {
    hash_comment(lx);
  } else if (c >= 0 && c != '\n') {
    char found[32];
    found_here(lx, found, sizeof found);
    return wdi_cfg_fail_at(lx, lx->p, WD_ERR_MALFORMED, N_("unexpected %s after section header [%s]"),
                   found, name.ptr);
  }
  return add_section(b, name, true, header);
}

static wd_status parse_entry(builder *b) {
  wdi_cfg_lexer *lx = &b->lx;
  wd_status s;
  wd_cfg_entry e;
  memset(&e, 0, sizeof e);
  wdi_cfg_pos kstart = lx->p;
  uint32_t line_start = lx->p.line_start;
  if (line_start == 0 && b->cfg->has_bom) line_start = 3;
  if (wdi_cfg_peek(lx) == '"') {
    const wd_cfg_value *kv;
    lx->depth = 0;
    if ((s = wdi_cfg_parse_value(lx, false, &kv))) return s;
    e.key = kv->text;
    e.quoted_key = true;
  } else {
    int c;
    while ((c = wdi_cfg_peek(lx)) > 32 && c != '=' && c != ';' && c != '"') wdi_cfg_adv(lx);
    e.key.len = lx->p.off - kstart.off;
    e.key.ptr = wd_arena_strndup(lx->arena, lx->s + kstart.off, e.key.len);
    if (!e.key.ptr) return wdi_cfg_fail_at(lx, kstart, WD_ERR_NOMEM, "%s", W_("out of memory"));
  }
  e.key_span = (wd_cfg_span){kstart.off, lx->p.off - kstart.off, kstart.line, kstart.col};
  skip_inline(lx);
  if (wdi_cfg_peek(lx) != '=')
    return wdi_cfg_fail_at(lx, lx->p, WD_ERR_MALFORMED, N_("expected '=' after key '%s'"), e.key.ptr);
  wdi_cfg_adv(lx);
  skip_inline(lx);
  int c = wdi_cfg_peek(lx);
  if (c < 0 || c == '\n' || c == ';')
    return wdi_cfg_fail_at(lx, lx->p, WD_ERR_MALFORMED, N_("expected a value after '=' for key '%s'"),
                   e.key.ptr);
  lx->depth = 0;
  if ((s = wdi_cfg_parse_value(lx, false, &e.value))) return s;
  e.value_span = e.value->span;
  skip_inline(lx);
  c = wdi_cfg_peek(lx);
  if (c == ';') {
    skip_to_eol(lx);
  } else if (c == '#') {
    hash_comment(lx);
  } else if (c >= 0 && c != '\n') {
    /* a string that ran over lines and is followed by more text: most
     * likely its closing quote is missing, and the string swallowed the
     * lines up to the next quote; say so where it opened */
    if ((e.value->kind == WD_CFG_STRING || e.value->kind == WD_CFG_STRING_NAME) &&
        lx->p.line > e.value_span.line) {
      wdi_cfg_pos at = {e.value_span.offset, e.value_span.line, e.value_span.column, 0};
      return wdi_cfg_fail_at(lx, at, WD_ERR_MALFORMED,
                             N_("the string value of key '%s' is not closed on its line: it runs to line %u "
                               "(a missing closing quote?)"),
                             e.key.ptr, lx->p.line);
    }
    char found[32];
    found_here(lx, found, sizeof found);
    return wdi_cfg_fail_at(lx, lx->p, WD_ERR_MALFORMED, N_("unexpected %s after the value of key '%s'"),
                   found, e.key.ptr);
  }
  if (wdi_cfg_peek(lx) == '\n') wdi_cfg_adv(lx);
  e.line_span = (wd_cfg_span){line_start, lx->p.off - line_start, kstart.line,
                              1};
  e.section = b->nsections - 1;
  e.index = b->nentries;
  if (wd_buf_append(&b->entries, &e, sizeof e))
    return wdi_cfg_fail_at(lx, kstart, WD_ERR_NOMEM, "%s", W_("out of memory"));
  b->nentries++;
  cur_section(b)->nentries++;
  return WD_OK;
}

static wd_status parse_file(builder *b) {
  wdi_cfg_lexer *lx = &b->lx;
  wd_status s;
  wd_str empty = {"", 0};
  wd_cfg_span none = {0, 0, 0, 0};
  if ((s = add_section(b, empty, false, none))) return s;
  for (;;) {
    while (wdi_cfg_is_space(wdi_cfg_peek(lx))) wdi_cfg_adv(lx);
    int c = wdi_cfg_peek(lx);
    if (c < 0) return WD_OK;
    switch (c) {
    case 0:
      return wdi_cfg_fail_at(lx, lx->p, WD_ERR_MALFORMED, "%s",
                     W_("unexpected NUL byte: this does not look like a text file"));
    case ';':
      skip_to_eol(lx);
      break;
    case '#':
      hash_comment(lx);
      break;
    case '[':
      if ((s = parse_header(b))) return s;
      break;
    case '=':
      return wdi_cfg_fail_at(lx, lx->p, WD_ERR_MALFORMED, "%s", W_("expected a key before '='"));
    default:
      if ((s = parse_entry(b))) return s;
    }
  }
}

static wd_cfg *cfg_new(void) {
  wdi_cfg_internal *in = calloc(1, sizeof *in);
  if (!in) return NULL;
  wd_cfg *c = wd_arena_alloc(&in->arena, sizeof *c);
  if (!c) {
    free(in);
    return NULL;
  }
  c->internal = in;
  c->path = "";
  c->text = "";
  c->eol = "\n";
  return c;
}

void wd_cfg_free(wd_cfg *cfg) {
  if (!cfg) return;
  wdi_cfg_internal *in = cfg->internal;
  wd_arena_release(&in->arena);
  free(in);
}

wd_status wd_cfg_parse(const char *text, size_t len, const char *path, wd_cfg **out,
                       wd_error *err) {
  *out = NULL;
  wd_error_clear(err);
  if (path && path[0]) wd_error_set_file(err, path);
  if (len > WD_CFG_MAX_SIZE)
    return wd_error_set(err, WD_ERR_LIMIT, N_("the file is larger than the limit of %u bytes"),
                        (unsigned)WD_CFG_MAX_SIZE);
  if (!text && len) return wd_error_set(err, WD_ERR_USAGE, "%s", W_("no text to parse"));
  wd_cfg *cfg = cfg_new();
  if (!cfg) return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  wdi_cfg_internal *in = cfg->internal;
  wd_arena *a = &in->arena;
  char *copy = wd_arena_strndup(a, len ? text : "", len);
  if (!copy || (path && !(cfg->path = wd_arena_strndup(a, path, strlen(path))))) {
    wd_cfg_free(cfg);
    return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  }
  uint32_t n = (uint32_t)len;
  cfg->text = copy;
  cfg->len = n;
  cfg->has_bom = n >= 3 && memcmp(copy, "\xef\xbb\xbf", 3) == 0;
  cfg->ends_with_eol = n > 0 && copy[n - 1] == '\n';
  /* Godot's exports end some files (*.import) with a NUL, which its reader
   * takes as the end of the text: stop before a trailing run of white space
   * that holds a NUL. */
  uint32_t tail = n;
  while (tail > 0 && (unsigned char)copy[tail - 1] <= 32) tail--;
  const char *nul = memchr(copy + tail, '\0', n - tail);
  cfg->content_end = nul ? (uint32_t)(nul - copy) : n;
  const char *nl = memchr(copy, '\n', n);
  cfg->eol = nl && nl > copy && nl[-1] == '\r' ? "\r\n" : "\n";

  builder b;
  memset(&b, 0, sizeof b);
  wd_buf empty = WD_BUF_INIT;
  b.sections = empty;
  b.entries = empty;
  b.cfg = cfg;
  wdi_cfg_lexer_init(&b.lx, copy, cfg->content_end, a, err, cfg->path);
  b.lx.collect_warnings = true;
  if (cfg->has_bom && cfg->content_end >= 3) b.lx.p.off = 3;
  wd_status s = parse_file(&b);
  if (!s) {
    cfg->nsections = b.nsections;
    cfg->nentries = b.nentries;
    cfg->nwarnings = (uint32_t)(b.lx.warnings.len / sizeof(wd_cfg_warning));
    cfg->sections = wd_arena_array(a, b.nsections, sizeof *cfg->sections);
    cfg->entries = b.nentries ? wd_arena_array(a, b.nentries, sizeof *cfg->entries) : NULL;
    cfg->warnings =
        cfg->nwarnings ? wd_arena_array(a, cfg->nwarnings, sizeof *cfg->warnings) : NULL;
    if (!cfg->sections || (b.nentries && !cfg->entries) || (cfg->nwarnings && !cfg->warnings)) {
      s = wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
    } else {
      memcpy(cfg->sections, b.sections.data, b.nsections * sizeof *cfg->sections);
      if (b.nentries) memcpy(cfg->entries, b.entries.data, b.nentries * sizeof *cfg->entries);
      if (cfg->nwarnings)
        memcpy(cfg->warnings, b.lx.warnings.data, cfg->nwarnings * sizeof *cfg->warnings);
      for (uint32_t i = 0; i < cfg->nsections; i++) {
        wd_cfg_section *sec = &cfg->sections[i];
        sec->entries = sec->nentries ? &cfg->entries[sec->first_entry] : NULL;
      }
    }
  }
  wd_buf_release(&b.sections);
  wd_buf_release(&b.entries);
  wd_buf_release(&b.lx.warnings);
  if (s) {
    wd_cfg_free(cfg);
    return s;
  }
  *out = cfg;
  return WD_OK;
}

wd_status wd_cfg_open(const char *path, wd_cfg **out, wd_error *err) {
  *out = NULL;
  wd_error_clear(err);
  wd_file f;
  wd_status s = wd_file_load(path, &f, WD_CFG_MAX_SIZE, err);
  if (s) return s;
  s = wd_cfg_parse((const char *)f.data, (size_t)f.size, path, out, err);
  wd_file_close(&f);
  return s;
}

/* ---- lookups ------------------------------------------------------------ */

const wd_cfg_entry *wd_cfg_find(const wd_cfg *cfg, const char *section, const char *key) {
  if (!cfg || !section || !key) return NULL;
  for (uint32_t i = cfg->nentries; i-- > 0;) {
    const wd_cfg_entry *e = &cfg->entries[i];
    if (wd_str_eq(e->key, key) && wd_str_eq(cfg->sections[e->section].name, section)) return e;
  }
  return NULL;
}

const wd_cfg_value *wd_cfg_get(const wd_cfg *cfg, const char *section, const char *key) {
  const wd_cfg_entry *e = wd_cfg_find(cfg, section, key);
  return e ? e->value : NULL;
}

const wd_cfg_section *wd_cfg_section_get(const wd_cfg *cfg, const char *name) {
  if (!cfg || !name) return NULL;
  for (uint32_t i = 0; i < cfg->nsections; i++)
    if (wd_str_eq(cfg->sections[i].name, name)) return &cfg->sections[i];
  return NULL;
}

const wd_cfg_entry *wd_cfg_section_find(const wd_cfg_section *s, const char *key) {
  if (!s || !key) return NULL;
  for (uint32_t i = s->nentries; i-- > 0;)
    if (wd_str_eq(s->entries[i].key, key)) return &s->entries[i];
  return NULL;
}

int64_t wd_cfg_next_section(const wd_cfg *cfg, const char *prefix, bool one_level,
                            uint32_t from) {
  if (!cfg || !prefix) return -1;
  size_t plen = strlen(prefix);
  for (uint32_t i = from; i < cfg->nsections; i++) {
    wd_str name = cfg->sections[i].name;
    if (!cfg->sections[i].has_header || !wd_str_startswith(name, prefix)) continue;
    if (one_level) {
      if (name.len == plen || memchr(name.ptr + plen, '.', name.len - plen)) continue;
    }
    return i;
  }
  return -1;
}

/* ---- values ------------------------------------------------------------- */

const char *wd_cfg_kind_name(wd_cfg_kind kind) {
  switch (kind) {
  case WD_CFG_NULL: return "null";
  case WD_CFG_BOOL: return "bool";
  case WD_CFG_INT: return "int";
  case WD_CFG_FLOAT: return "float";
  case WD_CFG_STRING: return "string";
  case WD_CFG_STRING_NAME: return "string_name";
  case WD_CFG_NODE_PATH: return "node_path";
  case WD_CFG_COLOR: return "color";
  case WD_CFG_ARRAY: return "array";
  case WD_CFG_DICT: return "dictionary";
  case WD_CFG_CALL: return "constructor";
  case WD_CFG_IDENT: return "identifier";
  }
  return "unknown";
}

bool wd_cfg_bool(const wd_cfg_value *v, bool *out) {
  if (!v || v->kind != WD_CFG_BOOL) return false;
  *out = v->boolean;
  return true;
}

const char *wd_cfg_string(const wd_cfg_value *v) {
  if (!v) return NULL;
  if (v->kind == WD_CFG_STRING || v->kind == WD_CFG_STRING_NAME || v->kind == WD_CFG_NODE_PATH)
    return v->text.ptr;
  return NULL;
}

bool wd_cfg_number(const wd_cfg_value *v, double *out) {
  if (!v || (v->kind != WD_CFG_INT && v->kind != WD_CFG_FLOAT)) return false;
  *out = v->number;
  return true;
}

bool wd_cfg_int(const wd_cfg_value *v, int64_t *out) {
  if (!v) return false;
  if (v->kind == WD_CFG_INT) {
    *out = v->integer;
    return true;
  }
  if (v->kind == WD_CFG_FLOAT && v->number >= -9.2e18 && v->number <= 9.2e18 &&
      (double)(int64_t)v->number == v->number) {
    *out = (int64_t)v->number;
    return true;
  }
  return false;
}

static bool call_is(const wd_cfg_value *v, const char *name) {
  return v->kind == WD_CFG_CALL && wd_str_eq(v->text, name);
}

/* The value whose items are the elements: see through Array[T]([...]). */
static const wd_cfg_value *list_of(const wd_cfg_value *v) {
  if (!v) return NULL;
  if (v->kind == WD_CFG_ARRAY) return v;
  if (v->kind != WD_CFG_CALL) return NULL;
  if (call_is(v, "Array") && v->ntypes && v->count == 1 && v->items[0]->kind == WD_CFG_ARRAY)
    return v->items[0];
  return v;
}

uint32_t wd_cfg_len(const wd_cfg_value *v) {
  const wd_cfg_value *l = list_of(v);
  return l ? l->count : 0;
}

const wd_cfg_value *wd_cfg_at(const wd_cfg_value *v, uint32_t i) {
  const wd_cfg_value *l = list_of(v);
  return l && i < l->count ? l->items[i] : NULL;
}

const wd_cfg_value *wd_cfg_dict_get(const wd_cfg_value *v, const char *key) {
  if (!v || !key) return NULL;
  if (call_is(v, "Dictionary") && v->ntypes && v->count == 1 && v->items[0]->kind == WD_CFG_DICT)
    v = v->items[0];
  if (v->kind != WD_CFG_DICT) return NULL;
  for (uint32_t i = v->count; i-- > 0;) {
    const wd_cfg_value *k = v->keys[i];
    if ((k->kind == WD_CFG_STRING || k->kind == WD_CFG_STRING_NAME) && wd_str_eq(k->text, key))
      return v->items[i];
  }
  return NULL;
}

const char *wd_cfg_get_string(const wd_cfg *cfg, const char *section, const char *key,
                              const char *fallback) {
  const char *s = wd_cfg_string(wd_cfg_get(cfg, section, key));
  return s ? s : fallback;
}

bool wd_cfg_get_bool(const wd_cfg *cfg, const char *section, const char *key, bool fallback) {
  bool b;
  return wd_cfg_bool(wd_cfg_get(cfg, section, key), &b) ? b : fallback;
}

/* ---- extension_list.cfg ------------------------------------------------- */

uint32_t wd_cfg_path_list(const char *text, size_t len, wd_str *out, uint32_t max) {
  uint32_t n = 0;
  size_t i = 0;
  if (!text) return 0;
  if (len > WD_CFG_MAX_SIZE) len = WD_CFG_MAX_SIZE;
  while (i < len) {
    size_t start = i;
    while (i < len && text[i] != '\n') i++;
    size_t end = i;
    if (i < len) i++;
    while (start < end && (unsigned char)text[start] <= 32) start++;
    while (end > start && (unsigned char)text[end - 1] <= 32) end--;
    if (end == start) continue;
    if (n < max && out) {
      out[n].ptr = text + start;
      out[n].len = (uint32_t)(end - start);
    }
    n++;
  }
  return n;
}
