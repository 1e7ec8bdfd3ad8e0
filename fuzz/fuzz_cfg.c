/*
 * Fuzz target: the Godot ConfigFile reader and editor.
 * Parses the input, walks every value, looks keys up, then edits: sets an
 * existing value, adds a key, removes a key, and re-parses each result,
 * aborting when an edit does not read back as written. The input is also
 * checked as a lone value and read as an extension_list.cfg.
 * libFuzzer: built by CMake with -DWD_FUZZ=ON (clang); replayed by ctest
 * through fuzz/replay.c over fuzz/regressions/cfg/.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "webdoctor/cfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk(const wd_cfg_value *v, unsigned depth) {
  if (!v || depth > WD_CFG_MAX_DEPTH + 2) abort();
  bool b;
  double d;
  int64_t i;
  (void)wd_cfg_bool(v, &b);
  (void)wd_cfg_number(v, &d);
  (void)wd_cfg_int(v, &i);
  const char *s = wd_cfg_string(v);
  if (s && strlen(s) > v->text.len) abort();
  (void)wd_cfg_dict_get(v, "a");
  uint32_t n = wd_cfg_len(v);
  for (uint32_t k = 0; k < n; k++) walk(wd_cfg_at(v, k), depth + 1);
  for (uint32_t k = 0; k < v->count; k++) {
    walk(v->items[k], depth + 1);
    if (v->keys && v->keys[k]) walk(v->keys[k], depth + 1);
  }
  for (uint32_t k = 0; k < v->ntypes; k++) walk(v->types[k], depth + 1);
}

static wd_cfg *reparse(const char *text, size_t len) {
  wd_error err;
  wd_cfg *c = NULL;
  if (wd_cfg_parse(text, len, "edited.cfg", &c, &err) != WD_OK) {
    char buf[1400];
    wd_error_format(&err, buf, sizeof buf);
    fprintf(stderr, "edited text does not parse: %s\n", buf);
    abort();
  }
  return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  wd_error err;
  wd_str paths[8];
  (void)wd_cfg_path_list((const char *)data, size, paths, 8);

  char *z = malloc(size + 1);
  if (!z) return 0;
  memcpy(z, data, size);
  z[size] = '\0';
  (void)wd_cfg_check_value(z, &err);
  free(z);

  wd_cfg *c = NULL;
  if (wd_cfg_parse((const char *)data, size, "fuzz.cfg", &c, &err) != WD_OK) {
    char buf[1400];
    wd_error_format(&err, buf, sizeof buf);
    return 0;
  }
  for (uint32_t i = 0; i < c->nentries; i++) {
    const wd_cfg_entry *e = &c->entries[i];
    if (e->value_span.offset + e->value_span.length > c->len) abort();
    if (e->line_span.offset + e->line_span.length > c->len) abort();
    walk(e->value, 0);
  }
  for (int64_t i = wd_cfg_next_section(c, "preset.", true, 0); i >= 0;
       i = wd_cfg_next_section(c, "preset.", true, (uint32_t)i + 1))
    (void)wd_cfg_section_find(&c->sections[i], "platform");
  (void)wd_cfg_get_string(c, "configuration", "entry_symbol", NULL);

  if (c->nentries) {
    const wd_cfg_entry *e = &c->entries[c->nentries / 2];
    const char *sec = c->sections[e->section].name.ptr;
    const char *key = e->key.ptr;
    if (strlen(key) == e->key.len && strlen(sec) == c->sections[e->section].name.len) {
      char *out = NULL;
      size_t n = 0;
      /* setting a value to its own text gives back the same bytes */
      if (e == wd_cfg_find(c, sec, key)) {
        char *raw = malloc(e->value_span.length + 1);
        if (raw) {
          memcpy(raw, c->text + e->value_span.offset, e->value_span.length);
          raw[e->value_span.length] = '\0';
          if (strlen(raw) == e->value_span.length &&
              wd_cfg_set_value(c, sec, key, raw, &out, &n, &err) == WD_OK) {
            if (n != c->len || memcmp(out, c->text, n) != 0) abort();
            free(out);
          }
          free(raw);
        }
      }
      /* replace a value */
      if (wd_cfg_set_value(c, sec, key, "[true, \"x\"]", &out, &n, &err) == WD_OK) {
        wd_cfg *c2 = reparse(out, n);
        const wd_cfg_value *v = wd_cfg_get(c2, sec, key);
        if (!v || v->kind != WD_CFG_ARRAY || v->count != 2) abort();
        wd_cfg_free(c2);
        free(out);
      }
      /* add a key to the same section */
      if (wd_cfg_set_value(c, sec, "fuzz/added", "42", &out, &n, &err) == WD_OK) {
        wd_cfg *c2 = reparse(out, n);
        const wd_cfg_value *v = wd_cfg_get(c2, sec, "fuzz/added");
        if (!v || v->kind != WD_CFG_INT || v->integer != 42) abort();
        wd_cfg_free(c2);
        free(out);
      }
      /* remove it */
      if (wd_cfg_remove(c, sec, key, &out, &n, &err) == WD_OK) {
        wd_cfg *c2 = reparse(out, n);
        if (wd_cfg_get(c2, sec, key)) abort();
        wd_cfg_free(c2);
        free(out);
      }
    }
  }
  /* a new section */
  char *out = NULL;
  size_t n = 0;
  if (wd_cfg_set_value(c, "fuzz.section", "k", "Color(0, 0, 0, 1)", &out, &n, &err) == WD_OK) {
    wd_cfg *c2 = reparse(out, n);
    const wd_cfg_value *v = wd_cfg_get(c2, "fuzz.section", "k");
    if (!v || v->kind != WD_CFG_CALL) abort();
    wd_cfg_free(c2);
    free(out);
  }
  wd_cfg_free(c);
  return 0;
}
