/*
 * The ConfigFile reader and editor: realistic Godot 4.3/4.4 files under
 * tests/godot/data/cfg/ (project.godot, export_presets.cfg with a Web and a
 * Linux preset, LimboAI's and godot-sqlite's .gdextension shapes), byte for
 * byte round trips, edits that change exactly one span, CRLF files, every
 * truncation point, escapes, and errors with their exact line:column.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "webdoctor/cfg.h"

/* ---- helpers -------------------------------------------------------------- */

typedef struct text {
  char *p;
  size_t n;
} text;

static text load(const char *name) {
  text t = {NULL, 0};
  const char *src = getenv("WD_SOURCE_DIR");
  char path[4096];
  snprintf(path, sizeof path, "%s/tests/godot/data/cfg/%s", src ? src : ".", name);
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "cannot open %s (set WD_SOURCE_DIR)\n", path);
    CHECK(f != NULL);
    return t;
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  t.p = malloc((size_t)n + 1);
  t.n = fread(t.p, 1, (size_t)n, f);
  t.p[t.n] = '\0';
  fclose(f);
  return t;
}

static wd_cfg *parse_ok_n(const char *s, size_t n, const char *path) {
  wd_error err;
  wd_error_clear(&err);
  wd_cfg *c = NULL;
  wd_status st = wd_cfg_parse(s, n, path, &c, &err);
  if (st) {
    char buf[1024];
    wd_error_format(&err, buf, sizeof buf);
    fprintf(stderr, "unexpected parse error: %s\n", buf);
  }
  CHECK(st == WD_OK);
  return c;
}
static wd_cfg *parse_ok(const char *s) { return parse_ok_n(s, strlen(s), "t.cfg"); }

/* Parse, expect failure, return "path:line:col: msg". */
static const char *parse_fail(const char *s, wd_status expect) {
  static char buf[1024];
  wd_error err;
  wd_error_clear(&err);
  wd_cfg *c = NULL;
  wd_status st = wd_cfg_parse(s, strlen(s), "t.cfg", &c, &err);
  CHECK(st != WD_OK);
  CHECK_EQ_INT(st, expect);
  CHECK(c == NULL);
  wd_error_format(&err, buf, sizeof buf);
  return buf;
}

static char *span_text(const wd_cfg *c, wd_cfg_span s) {
  char *p = malloc(s.length + 1);
  memcpy(p, c->text + s.offset, s.length);
  p[s.length] = '\0';
  return p;
}

static char *replace_all(const char *s, size_t n, const char *from, const char *to, size_t *out_n) {
  size_t fl = strlen(from), tl = strlen(to), cnt = 0;
  for (size_t i = 0; i + fl <= n; i++)
    if (memcmp(s + i, from, fl) == 0) cnt++;
  char *o = malloc(n + cnt * tl + 1);
  size_t k = 0;
  for (size_t i = 0; i < n;) {
    if (i + fl <= n && memcmp(s + i, from, fl) == 0) {
      memcpy(o + k, to, tl);
      k += tl;
      i += fl;
    } else {
      o[k++] = s[i++];
    }
  }
  o[k] = '\0';
  *out_n = k;
  return o;
}

static const char *str_at(const wd_cfg *c, const char *sec, const char *key) {
  return wd_cfg_string(wd_cfg_get(c, sec, key));
}

static int64_t int_at(const wd_cfg *c, const char *sec, const char *key) {
  int64_t v = -999;
  CHECK(wd_cfg_int(wd_cfg_get(c, sec, key), &v));
  return v;
}

/* ---- realistic files ---------------------------------------------------- */

static void test_project_godot(void) {
  text t = load("project.godot");
  if (!t.p) return;
  wd_cfg *c = parse_ok_n(t.p, t.n, "project.godot");
  if (!c) return;
  CHECK_EQ_STR(c->eol, "\n");
  CHECK(c->ends_with_eol);
  CHECK(!c->has_bom);
  CHECK_EQ_INT(c->nwarnings, 0);
  CHECK_EQ_INT(int_at(c, "", "config_version"), 5);
  CHECK_EQ_INT(c->sections[0].nentries, 1);
  CHECK(!c->sections[0].has_header);
  CHECK_EQ_STR(c->sections[1].name.ptr, "application");
  CHECK_EQ_INT(c->sections[1].header_span.line, 11);
  CHECK_EQ_STR(str_at(c, "application", "config/name"), "Lantern Keeper");
  CHECK_EQ_STR(str_at(c, "application", "run/main_scene"), "res://scenes/main.tscn");
  CHECK_EQ_STR(str_at(c, "rendering", "renderer/rendering_method.web"), "gl_compatibility");
  CHECK_EQ_STR(wd_cfg_get_string(c, "rendering", "renderer/rendering_method", "x"),
               "gl_compatibility");
  CHECK_EQ_STR(wd_cfg_get_string(c, "rendering", "nope", "fallback"), "fallback");
  CHECK(wd_cfg_get_bool(c, "rendering", "textures/vram_compression/import_etc2_astc", false));
  CHECK_EQ_STR(str_at(c, "autoload", "GameState"), "*res://autoload/game_state.gd");

  const wd_cfg_value *feat = wd_cfg_get(c, "application", "config/features");
  CHECK(feat && feat->kind == WD_CFG_CALL);
  CHECK(feat && wd_str_eq(feat->text, "PackedStringArray"));
  CHECK_EQ_INT(wd_cfg_len(feat), 2);
  CHECK_EQ_STR(wd_cfg_string(wd_cfg_at(feat, 0)), "4.3");
  CHECK_EQ_STR(wd_cfg_string(wd_cfg_at(feat, 1)), "GL Compatibility");
  CHECK(wd_cfg_at(feat, 2) == NULL);

  const wd_cfg_value *plugins = wd_cfg_get(c, "editor_plugins", "enabled");
  CHECK_EQ_INT(wd_cfg_len(plugins), 2);
  CHECK_EQ_STR(wd_cfg_string(wd_cfg_at(plugins, 0)), "res://addons/limboai/plugin.cfg");

  const wd_cfg_value *bg = wd_cfg_get(c, "application", "boot_splash/bg_color");
  CHECK(bg && bg->kind == WD_CFG_CALL && wd_str_eq(bg->text, "Color") && bg->count == 4);
  double d = 0;
  CHECK(wd_cfg_number(wd_cfg_at(bg, 0), &d) && fabs(d - 0.0784314) < 1e-9);
  CHECK(wd_cfg_number(wd_cfg_at(bg, 3), &d) && d == 1.0);

  const wd_cfg_value *grav = wd_cfg_get(c, "physics", "2d/default_gravity");
  CHECK(grav && grav->kind == WD_CFG_FLOAT && grav->number == 980.0);
  int64_t gi = 0;
  CHECK(wd_cfg_int(grav, &gi) && gi == 980);
  CHECK_EQ_INT(int_at(c, "physics", "common/physics_ticks_per_second"), 120);

  /* a dictionary over several lines with an Object(...) inside */
  const wd_cfg_entry *jump = wd_cfg_find(c, "input", "jump");
  CHECK(jump != NULL);
  if (jump) {
    const wd_cfg_value *v = jump->value;
    CHECK(v->kind == WD_CFG_DICT && v->count == 2);
    CHECK_EQ_INT(jump->value_span.line, 37);
    CHECK_EQ_INT(jump->value_span.column, 6);
    char *raw = span_text(c, jump->value_span);
    CHECK(raw[0] == '{' && raw[strlen(raw) - 1] == '}');
    free(raw);
    double dz = 0;
    CHECK(wd_cfg_number(wd_cfg_dict_get(v, "deadzone"), &dz) && dz == 0.5);
    const wd_cfg_value *ev = wd_cfg_dict_get(v, "events");
    CHECK_EQ_INT(wd_cfg_len(ev), 1);
    const wd_cfg_value *obj = wd_cfg_at(ev, 0);
    CHECK(obj && obj->kind == WD_CFG_CALL && wd_str_eq(obj->text, "Object"));
    if (obj && obj->count > 3) {
      CHECK(obj->items[0]->kind == WD_CFG_IDENT && wd_str_eq(obj->items[0]->text, "InputEventKey"));
      CHECK(obj->keys[0] == NULL);
      CHECK(obj->keys[1] && wd_str_eq(obj->keys[1]->text, "resource_local_to_scene"));
      CHECK(obj->items[3]->kind == WD_CFG_INT && obj->items[3]->integer == -1);
      CHECK(obj->items[obj->count - 1]->kind == WD_CFG_NULL);
    }
    /* the entry's lines: from "jump={" through the closing "}\n" */
    char *lines = span_text(c, jump->line_span);
    CHECK(strncmp(lines, "jump={\n", 7) == 0);
    CHECK(strcmp(lines + strlen(lines) - 3, "\n}\n") == 0);
    free(lines);
  }
  /* comments are not entries; the header comment mentions "[section]" */
  CHECK(wd_cfg_section_get(c, "section") == NULL);
  CHECK(wd_cfg_section_get(c, "") == &c->sections[0]);
  CHECK(wd_cfg_section_find(wd_cfg_section_get(c, "display"), "window/size/viewport_width") != NULL);
  wd_cfg_free(c);
  free(t.p);
}

static void test_export_presets(void) {
  text t = load("export_presets.cfg");
  if (!t.p) return;
  wd_cfg *c = parse_ok_n(t.p, t.n, "export_presets.cfg");
  if (!c) return;
  /* every [preset.N], but not [preset.N.options] */
  int64_t found[4];
  int n = 0;
  for (int64_t i = wd_cfg_next_section(c, "preset.", true, 0); i >= 0 && n < 4;
       i = wd_cfg_next_section(c, "preset.", true, (uint32_t)i + 1))
    found[n++] = i;
  CHECK_EQ_INT(n, 2);
  if (n == 2) {
    CHECK_EQ_STR(c->sections[found[0]].name.ptr, "preset.0");
    CHECK_EQ_STR(c->sections[found[1]].name.ptr, "preset.1");
    CHECK_EQ_STR(wd_cfg_string(wd_cfg_section_find(&c->sections[found[0]], "platform")->value),
                 "Web");
    CHECK_EQ_STR(wd_cfg_string(wd_cfg_section_find(&c->sections[found[1]], "platform")->value),
                 "Linux");
  }
  int all = 0;
  for (int64_t i = wd_cfg_next_section(c, "preset.", false, 0); i >= 0;
       i = wd_cfg_next_section(c, "preset.", false, (uint32_t)i + 1))
    all++;
  CHECK_EQ_INT(all, 4);
  CHECK_EQ_INT(wd_cfg_next_section(c, "nothing", false, 0), -1);

  const char *o = "preset.0.options";
  bool b = true;
  CHECK(wd_cfg_bool(wd_cfg_get(c, o, "variant/thread_support"), &b) && b == false);
  CHECK(wd_cfg_bool(wd_cfg_get(c, o, "variant/extensions_support"), &b) && b == true);
  CHECK(wd_cfg_bool(wd_cfg_get(c, o, "progressive_web_app/ensure_cross_origin_isolation_headers"), &b) && b);
  CHECK_EQ_STR(str_at(c, o, "custom_template/debug"), "");
  CHECK_EQ_STR(str_at(c, o, "html/custom_html_shell"), "");
  CHECK_EQ_INT(int_at(c, o, "html/canvas_resize_policy"), 2);
  CHECK_EQ_INT(int_at(c, o, "progressive_web_app/display"), 1);
  const wd_cfg_value *bgc = wd_cfg_get(c, o, "progressive_web_app/background_color");
  CHECK(bgc && bgc->kind == WD_CFG_CALL && wd_str_eq(bgc->text, "Color") && bgc->count == 4);

  const wd_cfg_entry *head = wd_cfg_find(c, o, "html/head_include");
  CHECK(head != NULL);
  if (head) {
    const char *s = wd_cfg_string(head->value);
    CHECK_CONTAINS(s, "<script>\n  // Tell the page which build this is.\n");
    CHECK_CONTAINS(s, "window.LANTERN_BUILD = \"2024-11-02\";");
    CHECK_CONTAINS(s, "href=\"liblantern.web.template_release.wasm32.nothreads.wasm\"");
    CHECK_EQ_INT(head->key_span.line, 29);
    CHECK_EQ_INT(head->value_span.line, 29);
    CHECK_EQ_INT(head->value_span.column, 19);
    /* the raw text keeps the escapes and spans five lines */
    char *raw = span_text(c, head->value_span);
    CHECK_CONTAINS(raw, "\\\"2024-11-02\\\"");
    int lines = 1;
    for (char *p = raw; *p; p++) lines += *p == '\n';
    CHECK_EQ_INT(lines, 5);
    free(raw);
    /* the next entry starts right after the entry's lines */
    const wd_cfg_entry *next = head + 1;
    CHECK(next->line_span.offset == head->line_span.offset + head->line_span.length);
    CHECK_EQ_INT(next->key_span.line, 34);
  }
  const char *run = str_at(c, "preset.1.options", "ssh_remote_deploy/run_script");
  CHECK_EQ_STR(run, "#!/usr/bin/env bash\nexport DISPLAY=:0\nunzip -o -q \"{temp_dir}/{archive_name}\" "
                    "-d \"{temp_dir}\"\n\"{temp_dir}/{exe_name}\" {cmd_args}");
  CHECK_EQ_STR(str_at(c, "preset.1.options", "binary_format/architecture"), "x86_64");
  /* the '#' in a string is not a comment */
  CHECK_EQ_INT(c->nwarnings, 0);
  wd_cfg_free(c);
  free(t.p);
}

static void test_gdextension_files(void) {
  text t = load("limboai.gdextension");
  if (t.p) {
    wd_cfg *c = parse_ok_n(t.p, t.n, "limboai.gdextension");
    if (c) {
      CHECK_EQ_STR(str_at(c, "configuration", "entry_symbol"), "limboai_init");
      CHECK_EQ_STR(str_at(c, "configuration", "compatibility_minimum"), "4.2");
      CHECK_EQ_STR(str_at(c, "libraries", "web.debug.wasm32"),
                   "res://addons/limboai/bin/liblimboai.web.editor.wasm32.nothreads.wasm");
      CHECK_EQ_STR(str_at(c, "libraries", "web.release.threads.wasm32"),
                   "res://addons/limboai/bin/liblimboai.web.template_release.wasm32.wasm");
      const wd_cfg_section *lib = wd_cfg_section_get(c, "libraries");
      CHECK(lib && lib->nentries == 14);
      const wd_cfg_entry *e = wd_cfg_find(c, "configuration", "entry_symbol");
      if (e) {
        CHECK_EQ_INT(e->key_span.length, strlen("entry_symbol"));
        CHECK_EQ_INT(e->value_span.column, 16);
        CHECK_EQ_INT(e->value_span.length, strlen("\"limboai_init\""));
      }
      int web = 0;
      for (uint32_t i = 0; lib && i < lib->nentries; i++)
        web += wd_str_startswith(lib->entries[i].key, "web.");
      CHECK_EQ_INT(web, 4);
      CHECK_EQ_INT(wd_cfg_section_get(c, "icons")->nentries, 7);
      wd_cfg_free(c);
    }
    free(t.p);
  }
  t = load("gdsqlite.gdextension");
  if (t.p) {
    wd_cfg *c = parse_ok_n(t.p, t.n, "gdsqlite.gdextension");
    if (c) {
      CHECK(!c->ends_with_eol);
      CHECK_EQ_STR(str_at(c, "configuration", "entry_symbol"), "sqlite_library_init");
      /* a '#' line with '=' is read by Godot as a harmless key: no warning */
      CHECK_EQ_INT(c->nwarnings, 0);
      CHECK(wd_cfg_get(c, "libraries", "windows.debug.arm64") == NULL);
      CHECK_EQ_INT(wd_cfg_section_get(c, "libraries")->nentries, 10);
      const wd_cfg_value *dep = wd_cfg_get(c, "dependencies", "ios.release");
      CHECK(dep && dep->kind == WD_CFG_DICT && dep->count == 1);
      CHECK_EQ_STR(wd_cfg_string(wd_cfg_dict_get(
                       dep, "res://addons/godot-sqlite/bin/libgodot-cpp.ios.template_release.xcframework")),
                   "");
      wd_cfg_free(c);
    }
    free(t.p);
  }
}

static void test_extension_list(void) {
  text t = load("extension_list.cfg");
  if (!t.p) return;
  wd_str paths[4];
  CHECK_EQ_INT(wd_cfg_path_list(t.p, t.n, paths, 4), 2);
  CHECK(wd_str_eq(paths[0], "res://addons/limboai/bin/limboai.gdextension"));
  CHECK(wd_str_eq(paths[1], "res://addons/godot-sqlite/gdsqlite.gdextension"));
  const char *crlf = "  res://a.gdextension \r\n\r\n\tres://b c.gdextension\r\n   \n";
  CHECK_EQ_INT(wd_cfg_path_list(crlf, strlen(crlf), paths, 1), 2);
  CHECK(wd_str_eq(paths[0], "res://a.gdextension"));
  CHECK_EQ_INT(wd_cfg_path_list(crlf, strlen(crlf), NULL, 0), 2);
  CHECK_EQ_INT(wd_cfg_path_list("", 0, paths, 4), 0);
  /* it is not a ConfigFile */
  CHECK_CONTAINS(parse_fail(t.p, WD_ERR_MALFORMED),
                 "t.cfg:1:45: expected '=' after key 'res://addons/limboai/bin/limboai.gdextension'");
  free(t.p);
}

/* ---- round trips and edits ---------------------------------------------- */

static const char *data_files[] = {"project.godot", "export_presets.cfg", "limboai.gdextension",
                                   "gdsqlite.gdextension"};

/* Every byte of the text belongs to the model in order: entries' line
 * spans do not overlap and lie inside the text; a value's span lies inside
 * its entry's lines. */
static void check_spans(const wd_cfg *c) {
  uint32_t prev_end = 0;
  for (uint32_t i = 0; i < c->nentries; i++) {
    const wd_cfg_entry *e = &c->entries[i];
    CHECK(e->line_span.offset >= prev_end);
    CHECK(e->line_span.offset + e->line_span.length <= c->len);
    CHECK(e->key_span.offset >= e->line_span.offset);
    CHECK(e->value_span.offset > e->key_span.offset);
    CHECK(e->value_span.offset + e->value_span.length <=
          e->line_span.offset + e->line_span.length);
    CHECK(e->index == i);
    prev_end = e->line_span.offset + e->line_span.length;
  }
}

/* Setting every value to its own text gives back the file byte for byte. */
static void roundtrip_all(const wd_cfg *c, const char *orig, size_t n) {
  for (uint32_t i = 0; i < c->nentries; i++) {
    const wd_cfg_entry *e = &c->entries[i];
    if (wd_cfg_find(c, c->sections[e->section].name.ptr, e->key.ptr) != e) continue;
    char *raw = span_text(c, e->value_span);
    char *out = NULL;
    size_t out_n = 0;
    wd_error err;
    wd_status s = wd_cfg_set_value(c, c->sections[e->section].name.ptr, e->key.ptr, raw, &out,
                                   &out_n, &err);
    CHECK(s == WD_OK);
    CHECK(out && out_n == n && memcmp(out, orig, n) == 0);
    free(out);
    free(raw);
  }
}

static void test_roundtrip(void) {
  for (size_t f = 0; f < sizeof data_files / sizeof *data_files; f++) {
    text t = load(data_files[f]);
    if (!t.p) continue;
    wd_cfg *c = parse_ok_n(t.p, t.n, data_files[f]);
    if (c) {
      CHECK(c->len == t.n && memcmp(c->text, t.p, t.n) == 0);
      check_spans(c);
      roundtrip_all(c, t.p, t.n);
      wd_cfg_free(c);
    }
    /* the same file with CRLF line endings */
    size_t cn;
    char *crlf = replace_all(t.p, t.n, "\n", "\r\n", &cn);
    wd_cfg *c2 = parse_ok_n(crlf, cn, data_files[f]);
    wd_cfg *c1 = parse_ok_n(t.p, t.n, data_files[f]);
    if (c2 && c1) {
      CHECK_EQ_STR(c2->eol, "\r\n");
      CHECK_EQ_INT(c2->nentries, c1->nentries);
      CHECK_EQ_INT(c2->nsections, c1->nsections);
      for (uint32_t i = 0; i < c1->nentries && i < c2->nentries; i++) {
        CHECK(wd_str_eqs(c1->entries[i].key, c2->entries[i].key));
        CHECK_EQ_INT(c1->entries[i].value->kind, c2->entries[i].value->kind);
        CHECK_EQ_INT(c1->entries[i].key_span.line, c2->entries[i].key_span.line);
        CHECK_EQ_INT(c1->entries[i].value_span.column, c2->entries[i].value_span.column);
      }
      check_spans(c2);
      roundtrip_all(c2, crlf, cn);
      /* an added key uses the file's CRLF */
      char *out = NULL;
      size_t on = 0;
      wd_error err;
      CHECK(wd_cfg_set_value(c2, c2->sections[c2->nsections - 1].name.ptr, "added/key", "1", &out,
                             &on, &err) == WD_OK);
      if (out) {
        CHECK(strstr(out, "added/key=1\r\n") != NULL || strstr(out, "\r\nadded/key=1") != NULL);
        size_t lf_only = 0;
        for (size_t i = 0; i < on; i++) lf_only += out[i] == '\n' && (i == 0 || out[i - 1] != '\r');
        CHECK_EQ_INT(lf_only, 0);
      }
      free(out);
    }
    if (c2 && !strcmp(data_files[f], "export_presets.cfg")) {
      const char *s = str_at(c2, "preset.0.options", "html/head_include");
      CHECK_CONTAINS(s, "<script>\r\n  // Tell");
    }
    wd_cfg_free(c1);
    wd_cfg_free(c2);
    free(crlf);
    free(t.p);
  }
}

/* out must equal orig with [at, at+len) replaced by repl. */
static void check_only_span_changed(const char *orig, size_t n, const char *out, size_t on,
                                    uint32_t at, uint32_t len, const char *repl) {
  size_t rl = strlen(repl);
  CHECK(on == n - len + rl);
  if (on != n - len + rl) return;
  CHECK(memcmp(out, orig, at) == 0);
  CHECK(memcmp(out + at, repl, rl) == 0);
  CHECK(memcmp(out + at + rl, orig + at + len, n - at - len) == 0);
  /* and the first and last differing bytes are inside the new value */
  size_t first = 0;
  while (first < on && first < n && out[first] == orig[first]) first++;
  CHECK(first >= at);
}

static void test_set_value(void) {
  text t = load("export_presets.cfg");
  if (!t.p) return;
  wd_cfg *c = parse_ok_n(t.p, t.n, "export_presets.cfg");
  if (!c) return;
  wd_error err;
  char *out = NULL;
  size_t on = 0;
  /* flip one bool */
  const wd_cfg_entry *e = wd_cfg_find(c, "preset.0.options", "variant/thread_support");
  CHECK(wd_cfg_set_value(c, "preset.0.options", "variant/thread_support", "true", &out, &on,
                         &err) == WD_OK);
  check_only_span_changed(t.p, t.n, out, on, e->value_span.offset, e->value_span.length, "true");
  wd_cfg *c2 = parse_ok_n(out, on, "export_presets.cfg");
  if (c2) {
    bool b = false;
    CHECK(wd_cfg_bool(wd_cfg_get(c2, "preset.0.options", "variant/thread_support"), &b) && b);
    CHECK_EQ_INT(c2->nentries, c->nentries);
    for (uint32_t i = 0; i < c->nentries; i++) {
      if (&c->entries[i] == e) continue;
      char *a = span_text(c, c->entries[i].value_span), *bb = span_text(c2, c2->entries[i].value_span);
      CHECK_EQ_STR(a, bb);
      free(a);
      free(bb);
    }
    wd_cfg_free(c2);
  }
  free(out);

  /* replace a five-line string with a one-line one */
  e = wd_cfg_find(c, "preset.0.options", "html/head_include");
  CHECK(wd_cfg_set_value(c, "preset.0.options", "html/head_include", "\"\"", &out, &on, &err) == WD_OK);
  check_only_span_changed(t.p, t.n, out, on, e->value_span.offset, e->value_span.length, "\"\"");
  c2 = parse_ok_n(out, on, "export_presets.cfg");
  if (c2) {
    CHECK_EQ_STR(str_at(c2, "preset.0.options", "html/head_include"), "");
    CHECK_EQ_INT(wd_cfg_find(c2, "preset.0.options", "html/canvas_resize_policy")->key_span.line, 30);
    wd_cfg_free(c2);
  }
  free(out);

  /* a quoted path built with wd_cfg_quote */
  char *q = wd_cfg_quote("res://web/shell \"v2\".html");
  CHECK_EQ_STR(q, "\"res://web/shell \\\"v2\\\".html\"");
  CHECK(wd_cfg_set_value(c, "preset.0.options", "html/custom_html_shell", q, &out, &on, &err) == WD_OK);
  c2 = parse_ok_n(out, on, "x");
  if (c2) {
    CHECK_EQ_STR(str_at(c2, "preset.0.options", "html/custom_html_shell"), "res://web/shell \"v2\".html");
    wd_cfg_free(c2);
  }
  free(out);
  free(q);

  /* a new key in an existing section: one line after its last entry */
  const wd_cfg_section *s0 = wd_cfg_section_get(c, "preset.0");
  const wd_cfg_entry *last = &s0->entries[s0->nentries - 1];
  uint32_t at = last->line_span.offset + last->line_span.length;
  CHECK(wd_cfg_set_value(c, "preset.0", "seed", "0", &out, &on, &err) == WD_OK);
  check_only_span_changed(t.p, t.n, out, on, at, 0, "seed=0\n");
  free(out);

  /* a new section at the end */
  CHECK(wd_cfg_set_value(c, "preset.2", "name", "\"Web (threads)\"", &out, &on, &err) == WD_OK);
  check_only_span_changed(t.p, t.n, out, on, (uint32_t)t.n, 0, "\n[preset.2]\n\nname=\"Web (threads)\"\n");
  c2 = parse_ok_n(out, on, "x");
  if (c2) {
    CHECK_EQ_STR(str_at(c2, "preset.2", "name"), "Web (threads)");
    wd_cfg_free(c2);
  }
  free(out);

  /* a key that must be quoted */
  CHECK(wd_cfg_set_value(c, "preset.0", "odd key=1", "2", &out, &on, &err) == WD_OK);
  c2 = parse_ok_n(out, on, "x");
  if (c2) {
    CHECK_EQ_INT(int_at(c2, "preset.0", "odd key=1"), 2);
    CHECK(wd_cfg_find(c2, "preset.0", "odd key=1")->quoted_key);
    wd_cfg_free(c2);
  }
  free(out);

  /* invalid values and sections are refused with a reason */
  CHECK(wd_cfg_set_value(c, "preset.0", "name", "\"unterminated", &out, &on, &err) == WD_ERR_USAGE);
  CHECK(out == NULL);
  CHECK_CONTAINS(err.msg, "invalid value for key 'name' in [preset.0]: unterminated string");
  CHECK(wd_cfg_set_value(c, "preset.0", "name", "1 2", &out, &on, &err) == WD_ERR_USAGE);
  CHECK_CONTAINS(err.msg, "unexpected text after the value at line 1, column 2");
  CHECK(wd_cfg_set_value(c, "preset.0", "name", " 1", &out, &on, &err) == WD_ERR_USAGE);
  CHECK(wd_cfg_set_value(c, "preset.0", "name", "", &out, &on, &err) == WD_ERR_USAGE);
  CHECK(wd_cfg_set_value(c, "a]b", "name", "1", &out, &on, &err) == WD_ERR_USAGE);
  CHECK(wd_cfg_set_value(c, "preset.0", "name", "[1,\n2", &out, &on, &err) == WD_ERR_USAGE);
  CHECK_CONTAINS(err.msg, "unclosed '['");
  CHECK(wd_cfg_check_value("PackedStringArray(\"a\", \"b\")", &err) == WD_OK);
  CHECK(wd_cfg_check_value("{\n\"a\": [1, 2.5, &\"x\"]\n}", &err) == WD_OK);
  CHECK(wd_cfg_check_value("bogus", &err) == WD_ERR_USAGE);
  CHECK_CONTAINS(err.msg, "unexpected identifier 'bogus'");
  CHECK(wd_cfg_check_value(NULL, &err) == WD_ERR_USAGE);

  /* remove: the entry's whole lines go, nothing else */
  e = wd_cfg_find(c, "preset.0.options", "html/head_include");
  CHECK(wd_cfg_remove(c, "preset.0.options", "html/head_include", &out, &on, &err) == WD_OK);
  check_only_span_changed(t.p, t.n, out, on, e->line_span.offset, e->line_span.length, "");
  c2 = parse_ok_n(out, on, "x");
  if (c2) {
    CHECK(wd_cfg_get(c2, "preset.0.options", "html/head_include") == NULL);
    CHECK_EQ_INT(c2->nentries, c->nentries - 1);
    wd_cfg_free(c2);
  }
  free(out);
  CHECK(wd_cfg_remove(c, "preset.0.options", "no/such/key", &out, &on, &err) == WD_ERR_USAGE);
  CHECK_CONTAINS(err.msg, "key 'no/such/key' not found in [preset.0.options]");
  wd_cfg_free(c);
  free(t.p);
}

static void test_edit_edges(void) {
  wd_error err;
  char *out = NULL;
  size_t on = 0;
  /* no final newline: the inserted line goes after a new line ending */
  wd_cfg *c = parse_ok("[a]\nx=1");
  CHECK(wd_cfg_set_value(c, "a", "y", "2", &out, &on, &err) == WD_OK);
  CHECK_EQ_STR(out, "[a]\nx=1\ny=2");
  free(out);
  CHECK(wd_cfg_set_value(c, "b", "y", "2", &out, &on, &err) == WD_OK);
  CHECK_EQ_STR(out, "[a]\nx=1\n\n[b]\n\ny=2\n");
  free(out);
  /* the unnamed section: before the first header, with a blank line */
  CHECK(wd_cfg_set_value(c, "", "config_version", "5", &out, &on, &err) == WD_OK);
  CHECK_EQ_STR(out, "config_version=5\n\n[a]\nx=1");
  free(out);
  wd_cfg_free(c);
  /* after a leading comment block */
  c = parse_ok("; comment\n\n[application]\n");
  CHECK(wd_cfg_set_value(c, "", "config_version", "5", &out, &on, &err) == WD_OK);
  CHECK_EQ_STR(out, "; comment\n\nconfig_version=5\n\n[application]\n");
  free(out);
  /* an empty section: right after its header line */
  CHECK(wd_cfg_set_value(c, "application", "config/name", "\"x\"", &out, &on, &err) == WD_OK);
  CHECK_EQ_STR(out, "; comment\n\n[application]\nconfig/name=\"x\"\n");
  free(out);
  wd_cfg_free(c);
  c = parse_ok("[a]");
  CHECK(wd_cfg_set_value(c, "a", "k", "1", &out, &on, &err) == WD_OK);
  CHECK_EQ_STR(out, "[a]\nk=1");
  free(out);
  wd_cfg_free(c);
  /* an empty file */
  c = parse_ok("");
  CHECK_EQ_INT(c->nsections, 1);
  CHECK(wd_cfg_set_value(c, "s", "k", "true", &out, &on, &err) == WD_OK);
  CHECK_EQ_STR(out, "[s]\n\nk=true\n");
  free(out);
  CHECK(wd_cfg_set_value(c, "", "k", "true", &out, &on, &err) == WD_OK);
  CHECK_EQ_STR(out, "k=true\n");
  free(out);
  wd_cfg_free(c);
  /* a byte order mark stays first */
  c = parse_ok("\xef\xbb\xbf[a]\nk=1\n");
  CHECK(c->has_bom);
  CHECK_EQ_INT(c->sections[1].header_span.column, 1);
  CHECK(wd_cfg_set_value(c, "", "v", "1", &out, &on, &err) == WD_OK);
  CHECK_EQ_STR(out, "\xef\xbb\xbfv=1\n\n[a]\nk=1\n");
  free(out);
  CHECK(wd_cfg_set_value(c, "a", "k", "2", &out, &on, &err) == WD_OK);
  CHECK_EQ_STR(out, "\xef\xbb\xbf[a]\nk=2\n");
  free(out);
  wd_cfg_free(c);
  /* removing the first key keeps the byte order mark */
  c = parse_ok("\xef\xbb\xbfk=1\n[a]\n");
  CHECK(wd_cfg_remove(c, "", "k", &out, &on, &err) == WD_OK);
  CHECK_EQ_STR(out, "\xef\xbb\xbf[a]\n");
  free(out);
  wd_cfg_free(c);
  /* a trailing NUL (as in exported *.import files) ends the text for
   * Godot: additions go before it */
  {
    const char nul_text[] = "[remap]\n\npath=\"res://a\"\n\0";
    wd_cfg *cn = parse_ok_n(nul_text, sizeof nul_text - 1, "a.import");
    if (cn) {
      CHECK_EQ_INT(cn->content_end, sizeof nul_text - 2);
      CHECK(wd_cfg_set_value(cn, "remap", "type", "\"X\"", &out, &on, &err) == WD_OK);
      CHECK(on == sizeof nul_text - 1 + 9 && !memcmp(out, "[remap]\n\npath=\"res://a\"\ntype=\"X\"\n\0", on));
      free(out);
      CHECK(wd_cfg_set_value(cn, "deps", "a", "1", &out, &on, &err) == WD_OK);
      CHECK(on == sizeof nul_text - 1 + 13 &&
            !memcmp(out, "[remap]\n\npath=\"res://a\"\n\n[deps]\n\na=1\n\0", on));
      free(out);
      wd_cfg_free(cn);
    }
    cn = parse_ok_n("k=1\0", 4, "x");
    if (cn) {
      CHECK_EQ_INT(int_at(cn, "", "k"), 1);
      CHECK(wd_cfg_set_value(cn, "", "j", "2", &out, &on, &err) == WD_OK);
      CHECK(on == 8 && !memcmp(out, "k=1\nj=2\0", 8));
      free(out);
      wd_cfg_free(cn);
    }
  }
  /* duplicates: the last one takes effect, is the one edited, and remove
   * takes them all (across repeated sections too) */
  c = parse_ok("[a]\nk=1\n[b]\nk=5\n[a]\nk=2 ; again\nj=0\n");
  CHECK_EQ_INT(int_at(c, "a", "k"), 2);
  CHECK_EQ_INT(wd_cfg_section_find(wd_cfg_section_get(c, "a"), "k")->value->integer, 1);
  CHECK(wd_cfg_set_value(c, "a", "k", "3", &out, &on, &err) == WD_OK);
  CHECK_EQ_STR(out, "[a]\nk=1\n[b]\nk=5\n[a]\nk=3 ; again\nj=0\n");
  free(out);
  CHECK(wd_cfg_set_value(c, "a", "new", "3", &out, &on, &err) == WD_OK);
  CHECK_EQ_STR(out, "[a]\nk=1\n[b]\nk=5\n[a]\nk=2 ; again\nj=0\nnew=3\n");
  free(out);
  CHECK(wd_cfg_remove(c, "a", "k", &out, &on, &err) == WD_OK);
  CHECK_EQ_STR(out, "[a]\n[b]\nk=5\n[a]\nj=0\n");
  free(out);
  wd_cfg_free(c);
}

/* ---- every truncation point ------------------------------------------- */

static void test_truncations(void) {
  int ok = 0, failed = 0;
  for (size_t f = 0; f < sizeof data_files / sizeof *data_files; f++) {
    text t = load(data_files[f]);
    if (!t.p) continue;
    for (size_t n = 0; n <= t.n; n++) {
      char *p = malloc(n ? n : 1);
      memcpy(p, t.p, n);
      wd_error err;
      wd_cfg *c = NULL;
      wd_status s = wd_cfg_parse(p, n, data_files[f], &c, &err);
      if (s == WD_OK) {
        ok++;
        CHECK(c != NULL);
        check_spans(c);
        wd_cfg_free(c);
      } else {
        failed++;
        CHECK(s == WD_ERR_MALFORMED);
        CHECK(c == NULL);
        CHECK(err.line >= 1 && err.column >= 1 && err.msg[0]);
        CHECK_EQ_STR(err.file, data_files[f]);
      }
      free(p);
    }
    free(t.p);
  }
  CHECK(ok > 100);
  CHECK(failed > 100);
}

/* ---- values --------------------------------------------------------------- */

static void test_values(void) {
  wd_cfg *c = parse_ok(
      "i=42\nn=-7\nf=1.5\ng=1.\ne=2.5e-3\nE=1E5\nbig=99999999999999999999\nsmall=-9223372036854775808\n"
      "h=0x1F\nhn=-0x10\ninf1=inf\ninf2=-inf\ninf3=inf_neg\nnan1=nan\nt=true\nf0=false\nz=null\nnil=nil\n"
      "sn=&\"Node\"\nold=@\"Old\"\nnp=^\"Path/To:prop\"\ncol=#ff8000\ncol4=#fa0c\n"
      "ta=Array[int]([1, 2, 3])\ntd=Dictionary[String, int]({\"a\": 1, &\"b\": 2})\n"
      "tr=Array[ExtResource(\"1_x\")]([])\n"
      "res=Resource(\"uid://b8\", \"res://x.tres\")\nempty=PackedStringArray()\nv=Vector2i(-1, 2)\n"
      "nest=[[], {}, [[1]], {\"k\": [\"v\",],},]\n"
      "spaced = [ 1 ,\n\t2 ; comment inside\n ]\n"
      "\"quoted key\" = 1\n"
      "sub=SubResource(\"Animation_3k\")\n");
  if (!c) return;
  int64_t i = 0;
  double d = 0;
  CHECK_EQ_INT(int_at(c, "", "i"), 42);
  CHECK_EQ_INT(int_at(c, "", "n"), -7);
  CHECK(wd_cfg_number(wd_cfg_get(c, "", "f"), &d) && d == 1.5);
  CHECK(wd_cfg_get(c, "", "g")->kind == WD_CFG_FLOAT);
  CHECK(wd_cfg_number(wd_cfg_get(c, "", "e"), &d) && fabs(d - 0.0025) < 1e-15);
  CHECK(wd_cfg_number(wd_cfg_get(c, "", "E"), &d) && d == 100000.0);
  CHECK_EQ_INT(int_at(c, "", "big"), INT64_MAX);
  CHECK(int_at(c, "", "small") == INT64_MIN);
  const wd_cfg_value *h = wd_cfg_get(c, "", "h");
  CHECK(h->kind == WD_CFG_INT && h->integer == 31 && h->hex);
  CHECK_EQ_INT(int_at(c, "", "hn"), -16);
  CHECK_EQ_INT(c->nwarnings, 2);
  CHECK_CONTAINS(c->warnings[0].msg, "hexadecimal");
  CHECK_EQ_INT(c->warnings[0].line, 9);
  CHECK(wd_cfg_number(wd_cfg_get(c, "", "inf1"), &d) && isinf(d) && d > 0);
  CHECK(wd_cfg_number(wd_cfg_get(c, "", "inf2"), &d) && isinf(d) && d < 0);
  CHECK(wd_cfg_number(wd_cfg_get(c, "", "inf3"), &d) && isinf(d) && d < 0);
  CHECK(wd_cfg_number(wd_cfg_get(c, "", "nan1"), &d) && isnan(d));
  CHECK(!wd_cfg_int(wd_cfg_get(c, "", "nan1"), &i));
  CHECK(!wd_cfg_int(wd_cfg_get(c, "", "f"), &i));
  bool b = true;
  CHECK(wd_cfg_bool(wd_cfg_get(c, "", "f0"), &b) && !b);
  CHECK(!wd_cfg_bool(wd_cfg_get(c, "", "i"), &b));
  CHECK(!wd_cfg_bool(NULL, &b));
  CHECK(wd_cfg_get(c, "", "z")->kind == WD_CFG_NULL);
  CHECK(wd_cfg_get(c, "", "nil")->kind == WD_CFG_NULL);
  CHECK(wd_cfg_get(c, "", "sn")->kind == WD_CFG_STRING_NAME);
  CHECK_EQ_STR(str_at(c, "", "sn"), "Node");
  CHECK_EQ_STR(str_at(c, "", "old"), "Old");
  CHECK(wd_cfg_get(c, "", "np")->kind == WD_CFG_NODE_PATH);
  CHECK_EQ_STR(str_at(c, "", "np"), "Path/To:prop");
  CHECK(wd_cfg_get(c, "", "col")->kind == WD_CFG_COLOR);
  CHECK_EQ_STR(wd_cfg_get(c, "", "col")->text.ptr, "#ff8000");
  CHECK(wd_cfg_string(wd_cfg_get(c, "", "col")) == NULL);
  const wd_cfg_value *ta = wd_cfg_get(c, "", "ta");
  CHECK(ta->kind == WD_CFG_CALL && ta->ntypes == 1 && wd_str_eq(ta->types[0]->text, "int"));
  CHECK_EQ_INT(wd_cfg_len(ta), 3);
  CHECK_EQ_INT(wd_cfg_at(ta, 2)->integer, 3);
  const wd_cfg_value *td = wd_cfg_get(c, "", "td");
  CHECK(td->ntypes == 2);
  CHECK_EQ_INT(wd_cfg_dict_get(td, "b")->integer, 2);
  CHECK(wd_cfg_dict_get(td, "c") == NULL);
  const wd_cfg_value *tr = wd_cfg_get(c, "", "tr");
  CHECK(tr->ntypes == 1 && tr->types[0]->kind == WD_CFG_CALL && wd_cfg_len(tr) == 0);
  const wd_cfg_value *res = wd_cfg_get(c, "", "res");
  CHECK(res->count == 2 && !strcmp(wd_cfg_string(res->items[1]), "res://x.tres"));
  CHECK_EQ_INT(wd_cfg_len(wd_cfg_get(c, "", "empty")), 0);
  CHECK_EQ_INT(wd_cfg_at(wd_cfg_get(c, "", "v"), 0)->integer, -1);
  const wd_cfg_value *nest = wd_cfg_get(c, "", "nest");
  CHECK_EQ_INT(wd_cfg_len(nest), 4);
  CHECK(wd_cfg_at(nest, 1)->kind == WD_CFG_DICT && wd_cfg_at(nest, 1)->count == 0);
  CHECK_EQ_INT(wd_cfg_len(wd_cfg_dict_get(wd_cfg_at(nest, 3), "k")), 1);
  CHECK_EQ_INT(wd_cfg_len(wd_cfg_get(c, "", "spaced")), 2);
  CHECK(wd_cfg_len(wd_cfg_get(c, "", "i")) == 0 && wd_cfg_at(wd_cfg_get(c, "", "i"), 0) == NULL);
  const wd_cfg_entry *q = wd_cfg_find(c, "", "quoted key");
  CHECK(q && q->quoted_key && q->key_span.length == 12);
  CHECK_EQ_STR(wd_cfg_get(c, "", "sub")->text.ptr, "SubResource");
  CHECK_EQ_STR(wd_cfg_kind_name(WD_CFG_DICT), "dictionary");
  wd_cfg_free(c);
}

static void test_escapes(void) {
  wd_cfg *c = parse_ok("a=\"tab\\there\\nnl \\\\ \\\" \\' \\/ \\b\\f\\r\"\n"
                       "u=\"\\u00e9\\u20AC\"\nU=\"\\U01F600\"\npair=\"\\ud83d\\ude00\"\n"
                       "raw=\"h\xc3\xa9llo \xe2\x82\xac\"\nhuge=\"\\UFFFFFF\"\nml=\"a\nb\"\n");
  if (!c) return;
  CHECK_EQ_STR(str_at(c, "", "a"), "tab\there\nnl \\ \" ' / \b\f\r");
  CHECK_EQ_STR(str_at(c, "", "u"), "\xc3\xa9\xe2\x82\xac");
  CHECK_EQ_STR(str_at(c, "", "U"), "\xf0\x9f\x98\x80");
  CHECK_EQ_STR(str_at(c, "", "pair"), "\xf0\x9f\x98\x80");
  CHECK_EQ_STR(str_at(c, "", "raw"), "h\xc3\xa9llo \xe2\x82\xac");
  CHECK_EQ_STR(str_at(c, "", "huge"), "\xef\xbf\xbd");
  CHECK_EQ_STR(str_at(c, "", "ml"), "a\nb");
  /* columns count characters: the value after "raw=" on line 5 */
  const wd_cfg_entry *e = wd_cfg_find(c, "", "raw");
  CHECK_EQ_INT(e->value_span.column, 5);
  wd_cfg_free(c);
  c = parse_ok("k=\"\xc3\xa9\xc3\xa9\" ; \xc3\xa9\nx=1\n");
  wd_cfg_free(c);
  CHECK_EQ_STR(parse_fail("\xc3\xa9\xc3\xa9 x", WD_ERR_MALFORMED),
               "t.cfg:1:4: expected '=' after key '\xc3\xa9\xc3\xa9'");
  CHECK_EQ_STR(parse_fail("a=\"x\\q\\u12G4\"", WD_ERR_MALFORMED),
               "t.cfg:1:11: malformed escape '\\u' in a string: expected 4 hex digits");
  CHECK_EQ_STR(parse_fail("a=\"\\u12\"", WD_ERR_MALFORMED),
               "t.cfg:1:8: malformed escape '\\u' in a string: expected 4 hex digits");
  CHECK_EQ_STR(parse_fail("a=\"\\ud83d x\"", WD_ERR_MALFORMED),
               "t.cfg:1:4: unpaired UTF-16 lead surrogate in a string escape");
  CHECK_EQ_STR(parse_fail("a=\"ok\"\nb=\"\\ude00\"", WD_ERR_MALFORMED),
               "t.cfg:2:4: unpaired UTF-16 trail surrogate in a string escape");
  CHECK_EQ_STR(parse_fail("a=\"\\ud83d\"", WD_ERR_MALFORMED),
               "t.cfg:1:4: unpaired UTF-16 lead surrogate in a string escape");
  CHECK_EQ_STR(parse_fail("a=\"\\ud83d\\ud83d\"", WD_ERR_MALFORMED),
               "t.cfg:1:4: unpaired UTF-16 lead surrogate in a string escape");
}

/* ---- errors at exact positions ---------------------------------------- */

static void test_errors(void) {
  CHECK_EQ_STR(parse_fail("[preset.0.options]\n\nvariant/thread_support false\n", WD_ERR_MALFORMED),
               "t.cfg:3:24: expected '=' after key 'variant/thread_support'");
  CHECK_EQ_STR(parse_fail("[a]\nkey\nnext=1\n", WD_ERR_MALFORMED),
               "t.cfg:2:4: expected '=' after key 'key'");
  CHECK_EQ_STR(parse_fail("a=1\nb=\"abc\nc=2\n", WD_ERR_MALFORMED),
               "t.cfg:2:3: unterminated string: the closing '\"' is missing");
  CHECK_EQ_STR(parse_fail("a=&\"abc", WD_ERR_MALFORMED),
               "t.cfg:1:3: unterminated string: the closing '\"' is missing");
  CHECK_EQ_STR(parse_fail("x=1\nlist=[1, 2,\n3\n", WD_ERR_MALFORMED),
               "t.cfg:2:6: unclosed '[': expected ']' before the end of the file");
  CHECK_EQ_STR(parse_fail("d={\n\"a\": 1,\n", WD_ERR_MALFORMED),
               "t.cfg:1:3: unclosed '{': expected '}' before the end of the file");
  CHECK_EQ_STR(parse_fail("d={\"a\"", WD_ERR_MALFORMED),
               "t.cfg:1:3: unclosed '{': expected '}' before the end of the file");
  CHECK_EQ_STR(parse_fail("c=Color(0, 0,\n0", WD_ERR_MALFORMED),
               "t.cfg:1:8: unclosed '(': expected ')' before the end of the file");
  CHECK_EQ_STR(parse_fail("a=[1 2]", WD_ERR_MALFORMED),
               "t.cfg:1:6: expected ',' or ']' in an array, found '2'");
  CHECK_EQ_STR(parse_fail("a={\"k\" 1}", WD_ERR_MALFORMED),
               "t.cfg:1:8: expected ':' after a dictionary key, found '1'");
  CHECK_EQ_STR(parse_fail("a={\"k\": 1 \"j\": 2}", WD_ERR_MALFORMED),
               "t.cfg:1:11: expected ',' or '}' in a dictionary, found '\"'");
  CHECK_EQ_STR(parse_fail("a=Vector2(1 2)", WD_ERR_MALFORMED),
               "t.cfg:1:13: expected ',' or ')' in the arguments of Vector2, found '2'");
  CHECK_EQ_STR(parse_fail("a=\n", WD_ERR_MALFORMED),
               "t.cfg:1:3: expected a value after '=' for key 'a'");
  CHECK_EQ_STR(parse_fail("a = ; nothing", WD_ERR_MALFORMED),
               "t.cfg:1:5: expected a value after '=' for key 'a'");
  CHECK_EQ_STR(parse_fail("a=1 b", WD_ERR_MALFORMED),
               "t.cfg:1:5: unexpected 'b' after the value of key 'a'");
  CHECK_EQ_STR(parse_fail("[sec\nk=1", WD_ERR_MALFORMED),
               "t.cfg:1:1: unclosed section header: expected ']' on the same line");
  CHECK_EQ_STR(parse_fail("[sec] x", WD_ERR_MALFORMED),
               "t.cfg:1:7: unexpected 'x' after section header [sec]");
  CHECK_EQ_STR(parse_fail("a=foo", WD_ERR_MALFORMED),
               "t.cfg:1:3: unexpected identifier 'foo' in a value");
  CHECK_EQ_STR(parse_fail("a=-bar", WD_ERR_MALFORMED),
               "t.cfg:1:3: unexpected identifier '-bar' in a value");
  CHECK_EQ_STR(parse_fail("a=- 1", WD_ERR_MALFORMED),
               "t.cfg:1:4: expected a digit after '-', found byte 0x20");
  CHECK_EQ_STR(parse_fail("=1", WD_ERR_MALFORMED), "t.cfg:1:1: expected a key before '='");
  CHECK_EQ_STR(parse_fail("a=#12", WD_ERR_MALFORMED),
               "t.cfg:1:3: invalid color '#12': expected 3, 4, 6 or 8 hex digits after '#'");
  CHECK_EQ_STR(parse_fail("a=&x", WD_ERR_MALFORMED),
               "t.cfg:1:4: expected '\"' after '&', found 'x'");
  CHECK_EQ_STR(parse_fail("a=Array[](1)", WD_ERR_MALFORMED),
               "t.cfg:1:9: expected a type inside Array[]");
  CHECK_EQ_STR(parse_fail("a=Array[int] [1]", WD_ERR_MALFORMED),
               "t.cfg:1:14: expected '(' after Array[...], found '['");
  CHECK_EQ_STR(parse_fail("a=,", WD_ERR_MALFORMED), "t.cfg:1:3: expected a value, found ','");
  CHECK_EQ_STR(parse_fail("a=[,]", WD_ERR_MALFORMED), "t.cfg:1:4: expected a value, found ','");
  /* NUL bytes: binary input */
  {
    wd_error err;
    wd_cfg *c = NULL;
    CHECK(wd_cfg_parse("k=1\n\0x", 6, "bin", &c, &err) == WD_ERR_MALFORMED);
    char buf[512];
    wd_error_format(&err, buf, sizeof buf);
    CHECK_EQ_STR(buf, "bin:2:1: unexpected NUL byte: this does not look like a text file");
    CHECK(wd_cfg_parse("k=1\n\0\0 \n\0", 9, "ok", &c, &err) == WD_OK);
    if (c) CHECK_EQ_INT(int_at(c, "", "k"), 1);
    wd_cfg_free(c);
    CHECK(wd_cfg_parse("k=\"a\0\"", 6, "bin", &c, &err) == WD_ERR_MALFORMED);
    CHECK_EQ_INT(err.column, 5);
  }
  /* nesting is bounded */
  {
    char deep[600];
    strcpy(deep, "a=");
    for (int i = 0; i < 300; i++) strcat(deep, "[");
    CHECK_CONTAINS(parse_fail(deep, WD_ERR_LIMIT), "t.cfg:1:131: values are nested more than 128 levels deep");
    char ok[400];
    strcpy(ok, "a=");
    for (int i = 0; i < 128; i++) strcat(ok, "[");
    for (int i = 0; i < 128; i++) strcat(ok, "]");
    wd_cfg *c = parse_ok(ok);
    wd_cfg_free(c);
  }
  /* an unclosed quote is reported where the string opened, not where the
   * swallowed lines end (a .gdextension with the quote missing on line 3) */
  CHECK_CONTAINS(parse_fail("[libraries]\n\nweb.release.wasm32 = \"res://bin/lib.wasm\n\n[icons]\n\n"
                            "A = \"res://icons/a.svg\"\n",
                            WD_ERR_MALFORMED),
                 "t.cfg:3:22: the string value of key 'web.release.wasm32' is not closed on its line: it runs "
                 "to line 7 (a missing closing quote?)");
  /* no path: no file name in the message */
  {
    wd_error err;
    wd_cfg *c = NULL;
    CHECK(wd_cfg_parse("x", 1, NULL, &c, &err) == WD_ERR_MALFORMED);
    char buf[512];
    wd_error_format(&err, buf, sizeof buf);
    CHECK_EQ_STR(buf, "expected '=' after key 'x'");
  }
}

static void test_warnings(void) {
  /* Godot joins a '#' line without '=' to the next key */
  wd_cfg *c = parse_ok("[libraries]\n# Web builds\nweb.debug.wasm32 = \"res://a.wasm\"\n"
                       "# disabled.key = \"res://b.wasm\"\nx=1 # trailing note\ny=2\n# last line\n");
  if (!c) return;
  CHECK_EQ_INT(c->nwarnings, 2);
  CHECK_EQ_INT(c->warnings[0].line, 2);
  CHECK_EQ_INT(c->warnings[0].column, 1);
  CHECK_CONTAINS(c->warnings[0].msg, "Godot does not read '#' as a comment");
  CHECK_EQ_INT(c->warnings[1].line, 5);
  CHECK_EQ_INT(c->warnings[1].column, 5);
  CHECK_EQ_STR(str_at(c, "libraries", "web.debug.wasm32"), "res://a.wasm");
  CHECK_EQ_INT(int_at(c, "libraries", "y"), 2);
  wd_cfg_free(c);
}

static void test_open(void) {
  const char *src = getenv("WD_SOURCE_DIR");
  char path[4096];
  snprintf(path, sizeof path, "%s/tests/godot/data/cfg/limboai.gdextension", src ? src : ".");
  wd_cfg *c = NULL;
  wd_error err;
  CHECK(wd_cfg_open(path, &c, &err) == WD_OK);
  if (c) {
    CHECK_EQ_STR(c->path, path);
    CHECK_EQ_STR(str_at(c, "configuration", "entry_symbol"), "limboai_init");
    wd_cfg_free(c);
  }
  CHECK(wd_cfg_open("/nonexistent/project.godot", &c, &err) == WD_ERR_IO);
  CHECK(c == NULL);
  CHECK_EQ_STR(err.file, "/nonexistent/project.godot");
  wd_cfg_free(NULL);
}

/* Files as Godot writes them inside an export (.import, .remap, the class
 * cache): short, but with &"" names and a one-key dictionary list. */
static void test_exported_shapes(void) {
  wd_cfg *c = parse_ok("[remap]\n\nimporter=\"texture\"\ntype=\"CompressedTexture2D\"\n"
                       "uid=\"uid://luj8i6pmrxda\"\npath=\"res://.godot/imported/x.ctex\"\n"
                       "metadata={\n\"vram_texture\": false\n}\n");
  if (c) {
    bool b = true;
    CHECK(wd_cfg_bool(wd_cfg_dict_get(wd_cfg_get(c, "remap", "metadata"), "vram_texture"), &b) && !b);
    wd_cfg_free(c);
  }
  c = parse_ok("list=[{\n\"base\": &\"Node\",\n\"class\": &\"ShaderLoader\",\n\"icon\": \"\",\n"
               "\"is_abstract\": false,\n\"path\": \"res://shader_loader.gd\"\n}, {\n"
               "\"base\": &\"RefCounted\",\n\"class\": &\"GutUtils\",\n\"path\": \"res://u.gd\"\n}]\n");
  if (c) {
    const wd_cfg_value *l = wd_cfg_get(c, "", "list");
    CHECK_EQ_INT(wd_cfg_len(l), 2);
    CHECK_EQ_STR(wd_cfg_string(wd_cfg_dict_get(wd_cfg_at(l, 1), "class")), "GutUtils");
    wd_cfg_free(c);
  }
}

int main(void) {
  test_project_godot();
  test_export_presets();
  test_gdextension_files();
  test_extension_list();
  test_roundtrip();
  test_set_value();
  test_edit_edges();
  test_truncations();
  test_values();
  test_escapes();
  test_errors();
  test_warnings();
  test_open();
  test_exported_shapes();
  return check_summary();
}
