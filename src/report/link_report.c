/*
 * `webdoctor link` output.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "report/json_int.h"
#include "webdoctor/link_report.h"
#include "webdoctor/text.h"

static bool show_engine(const wd_link_report_options *o, wd_engine e) {
  return o->engines == 0 || (o->engines & (1u << e));
}

static const char *stage_key(uint8_t s) {
  switch (s) {
  case WD_STAGE_BEFORE: return "loader-before";
  case WD_STAGE_IMPORT: return "instantiate";
  case WD_STAGE_AFTER: return "loader-after";
  case WD_STAGE_RUNTIME: return "first-call";
  }
  return "?";
}

static void print_messages(const wd_link_result *r, const wd_link_problem *p,
                           const wd_link_report_options *o, const wd_term *t, bool first_only) {
  char msg[1024];
  for (int e = 0; e < WD_ENGINE_COUNT; e++) {
    if (!show_engine(o, (wd_engine)e)) continue;
    if (first_only) {
      const wd_link_problem *fp = wd_link_first_problem(r, p->module, (wd_engine)e);
      if (fp != p) continue;
    }
    wd_link_engine_message(r, p, (wd_engine)e, o->call, msg, sizeof msg);
    if (!msg[0]) continue;
    fprintf(t->out, "    %s%-27s%s %s\n", wd_term_style(t, WD_STYLE_DIM), /* engine names: ASCII */
            wd_engine_get((wd_engine)e)->name, wd_term_style(t, WD_STYLE_RESET), msg);
  }
}

/* A text of an explanation in the active language, "" when there is none;
 * *hold is what to free. */
static const char *say(const wd_msg *m, char **hold) {
  *hold = wd_msg_str(m, false);
  return *hold ? *hold : "";
}

static void print_explanation(const wd_link_result *r, const wd_link_problem *p,
                              const wd_link_report_options *o, const wd_term *t) {
  wd_link_explanation ex;
  wd_link_explain(r, p, o->facts, &ex);
  int hw = wd_text_width(_("why"));
  if (wd_text_width(_("fix")) > hw) hw = wd_text_width(_("fix"));
  fprintf(t->out, "    %s", wd_term_style(t, WD_STYLE_BOLD));
  wd_text_pad(t->out, _("why"), hw);
  fprintf(t->out, "%s ", wd_term_style(t, WD_STYLE_RESET));
  char *hold;
  wd_text_wrap(t->out, say(&ex.why, &hold), 5 + hw, 5 + hw, 78);
  free(hold);
  for (unsigned i = 0; i < ex.nfixes; i++) {
    fprintf(t->out, "    %s", wd_term_style(t, WD_STYLE_BOLD));
    wd_text_pad(t->out, i == 0 ? _("fix") : "", hw);
    fprintf(t->out, "%s %u. ", wd_term_style(t, WD_STYLE_RESET), i + 1);
    int col = 5 + hw + 3;
    wd_text_wrap(t->out, say(&ex.fixes[i].text, &hold), col, col, 78);
    free(hold);
    char buf[512];
    snprintf(buf, sizeof buf, _("trade-off: %s"), say(&ex.fixes[i].tradeoff, &hold));
    free(hold);
    fprintf(t->out, "%*s%s", col, "", wd_term_style(t, WD_STYLE_DIM));
    wd_text_wrap(t->out, buf, col, col, 78);
    fprintf(t->out, "%s", wd_term_style(t, WD_STYLE_RESET));
  }
  wd_link_explanation_free(&ex);
}

static cJSON *str_json(const char *p, uint32_t len) {
  char buf[1024];
  snprintf(buf, sizeof buf, "%.*s", (int)len, p);
  return cJSON_CreateString(buf);
}

/* The note for what the model could not tell, in words (unworded: msg.h);
 * 0, or -1 on out of memory. */
static int note_msg(const wd_link_result *r, const wd_link_note *n, wd_msg *m) {
  const char *mod = n->module < r->nmodules ? r->modules[n->module].name : "?";
  int sl = (int)n->symbol.len;
  const char *sp = n->symbol.ptr ? n->symbol.ptr : "";
  switch (n->kind) {
  case WD_NOTE_LOADER_GUESSED:
    return wd_msg_init(m,
                       N_("nothing tells which Emscripten version wrote the loader (no producers section, no glue "
                          "text that says): modelled %s's loader, the nearest known version; give --glue to tell"),
                       wd_loader_get(r->loader.version)->version);
  case WD_NOTE_GLUE_UNREAD:
    return wd_msg_init(m,
                       N_("could not read the import object of %.*s; assumed it provides every import of the main module"),
                       sl, sp);
  case WD_NOTE_IMPORT_MODULE_ASSUMED:
    return wd_msg_init(m,
                       N_("%s imports from a module named \"%.*s\" (a minified build): assumed its JS glue provides it, "
                          "as it provides every import of the main module"),
                       mod, sl, sp);
  case WD_NOTE_GOT_UNKNOWN:
    if (n->count > 1)
      return wd_msg_init(m,
                         N_("no module defines %.*s and %u more symbols %s takes through the GOT: its JS glue may "
                            "(JS library functions); give --glue to check"),
                         sl, sp, n->count - 1, mod);
    else
      return wd_msg_init(m,
                         N_("no module defines %.*s, which %s takes through the GOT: its JS glue may (a JS library "
                            "function); give --glue to check"),
                         sl, sp, mod);
  case WD_NOTE_WEAK_VERSION:
    return wd_msg_init(m,
                       N_("%.*s is weak and undefined: Emscripten's loader ignores it from 3.1.15, 3.1.6's fails; the "
                          "version is not known"),
                       sl, sp);
  default:
    return wd_msg_plain(m, "");
  }
}

static const char *loader_source_key(wd_loader_source s) {
  switch (s) {
  case WD_LOADER_FROM_USER: return "given";
  case WD_LOADER_FROM_PRODUCERS: return "producers";
  case WD_LOADER_FROM_GLUE: return "glue";
  case WD_LOADER_FROM_SHAPE: return "main-module";
  case WD_LOADER_GUESSED: return "guessed";
  }
  return "guessed";
}

void wd_link_text(const wd_link_result *r, const wd_link_report_options *o, const wd_term *t) {
  FILE *out = t->out;
  if (o->moved_first && o->main_path) {
    const char *b = strrchr(o->moved_first, '/');
    fprintf(out, _("%sNote:%s the first file must be the main module; %s is a side module: loading %s as the "
                   "main module and the others after it\n"),
            wd_term_style(t, WD_STYLE_YELLOW), wd_term_style(t, WD_STYLE_RESET), b ? b + 1 : o->moved_first,
            o->main_path);
  }
  fprintf(out, _("%sLoad order:%s "), wd_term_style(t, WD_STYLE_BOLD), wd_term_style(t, WD_STYLE_RESET));
  for (uint32_t i = 0; i < r->nmodules; i++)
    fprintf(out, "%s%s", i ? " -> " : "", r->modules[i].name);
  fputc('\n', out);
  fprintf(out, _("Loaded with %s.\n"), o->call == WD_CALL_INSTANCE
                                           ? _("new WebAssembly.Instance() (C dlopen)")
                                           : _("WebAssembly.instantiate() (Godot's loadDynamicLibrary)"));
  bool unread = false;
  for (uint32_t i = 0; i < r->nnotes; i++)
    if (r->notes[i].kind == WD_NOTE_GLUE_UNREAD) unread = true;
  if (r->assumed_glue && !unread)
    fprintf(out, "%s%s%s\n", wd_term_style(t, WD_STYLE_DIM),
            _("No --glue given: assuming the JS glue provides every import of the main module."),
            wd_term_style(t, WD_STYLE_RESET));
  if (r->loader.source != WD_LOADER_GUESSED) {
    fprintf(out, "%s", wd_term_style(t, WD_STYLE_DIM));
    if (r->loader.source == WD_LOADER_FROM_USER)
      fprintf(out, _("Loader modelled: Emscripten %s's (as given).\n"), wd_loader_get(r->loader.version)->version);
    else
      fprintf(out, _("Loader modelled: Emscripten %s's (from %s).\n"), wd_loader_get(r->loader.version)->version,
              r->loader.evidence);
    fprintf(out, "%s", wd_term_style(t, WD_STYLE_RESET));
  }
  for (uint32_t i = 0; i < r->nnotes; i++) {
    wd_msg note;
    if (note_msg(r, &r->notes[i], &note)) memset(&note, 0, sizeof note);
    fprintf(out, "%s%s%s ", wd_term_style(t, WD_STYLE_DIM), _("note:"), wd_term_style(t, WD_STYLE_RESET));
    char *hold;
    wd_text_wrap(out, say(&note, &hold), 6, 6, 78);
    free(hold);
    wd_msg_free(&note);
  }
  for (uint32_t mi = 0; mi < r->nmodules; mi++) {
    const wd_link_loaded *l = &r->modules[mi];
    bool any = false;
    for (uint32_t k = 0; k < r->nproblems; k++)
      if (r->problems[k].module == mi) any = true;
    if (!any) {
      if (o->verbose)
        fprintf(out, "\n%s%s%s %s\n", wd_term_style(t, WD_STYLE_GREEN), "✓",
                wd_term_style(t, WD_STYLE_RESET), l->name);
      continue;
    }
    fputc('\n', out);
    if (!l->loads) {
      fprintf(out, _("%s✗ %s will not load%s\n"), wd_term_style(t, WD_STYLE_RED), l->name,
              wd_term_style(t, WD_STYLE_RESET));
    } else {
      fprintf(out, _("%s! %s loads, but fails later%s\n"), wd_term_style(t, WD_STYLE_YELLOW), l->name,
              wd_term_style(t, WD_STYLE_RESET));
    }
    /* what the engines report first */
    bool printed_first = false;
    for (int e = 0; e < WD_ENGINE_COUNT && !l->loads; e++) {
      const wd_link_problem *fp = wd_link_first_problem(r, mi, (wd_engine)e);
      if (!fp) continue;
      /* print each distinct first problem once, with its engines */
      bool seen = false;
      for (int e2 = 0; e2 < e; e2++)
        if (wd_link_first_problem(r, mi, (wd_engine)e2) == fp) seen = true;
      if (seen) continue;
      bool shown = false;
      for (int e2 = e; e2 < WD_ENGINE_COUNT; e2++)
        if (show_engine(o, (wd_engine)e2) && wd_link_first_problem(r, mi, (wd_engine)e2) == fp) shown = true;
      if (!shown) continue;
      wd_link_explanation ex;
      wd_link_explain(r, fp, o->facts, &ex);
      char *hold;
      fprintf(out, "  %s\n", say(&ex.summary, &hold));
      free(hold);
      wd_link_explanation_free(&ex);
      print_messages(r, fp, o, t, true);
      print_explanation(r, fp, o, t);
      printed_first = true;
    }
    /* everything else in this module */
    for (uint32_t k = 0; k < r->nproblems; k++) {
      const wd_link_problem *p = &r->problems[k];
      if (p->module != mi) continue;
      bool is_first = false;
      for (int e = 0; e < WD_ENGINE_COUNT; e++)
        if (wd_link_first_problem(r, mi, (wd_engine)e) == p) is_first = true;
      if (is_first && printed_first) continue;
      wd_link_explanation ex;
      wd_link_explain(r, p, o->facts, &ex);
      char *hold;
      if (wd_link_fault_is_fatal(p->fault))
        fprintf(out, _("  also present: %s\n"), say(&ex.summary, &hold));
      else
        fprintf(out, "  %s\n", say(&ex.summary, &hold));
      free(hold);
      wd_link_explanation_free(&ex);
      if (!wd_link_fault_is_fatal(p->fault)) {
        print_messages(r, p, o, t, false);
        print_explanation(r, p, o, t);
      } else {
        print_messages(r, p, o, t, false);
      }
    }
  }
  fputc('\n', out);
  if (r->loads) {
    bool warn = r->nproblems > 0;
    fprintf(out, "%s%s%s\n", wd_term_style(t, warn ? WD_STYLE_YELLOW : WD_STYLE_GREEN),
            warn ? _("Every module instantiates, but some calls will fail (see above).")
                 : _("Every module instantiates: no link error expected."),
            wd_term_style(t, WD_STYLE_RESET));
  } else {
    fprintf(out, "%s%s%s\n", wd_term_style(t, WD_STYLE_RED),
            _("Loading fails: the page stays on its loading screen."), wd_term_style(t, WD_STYLE_RESET));
  }
}


cJSON *wd_link_json(const wd_link_result *r, const wd_link_report_options *o) {
  cJSON *root = cJSON_CreateObject();
  if (!root) return NULL;
  cJSON_AddStringToObject(root, "schema", WD_LINK_SCHEMA);
  if (o->language) cJSON_AddStringToObject(root, "language", o->language);
  cJSON_AddBoolToObject(root, "loads", r->loads);
  cJSON_AddStringToObject(root, "call", o->call == WD_CALL_INSTANCE ? "instance" : "instantiate");
  cJSON_AddBoolToObject(root, "assumed_glue", r->assumed_glue);
  cJSON *lo = cJSON_AddObjectToObject(root, "loader");
  cJSON_AddStringToObject(lo, "emscripten", wd_loader_get(r->loader.version)->version);
  cJSON_AddStringToObject(lo, "source", loader_source_key(r->loader.source));
  if (r->loader.evidence[0]) cJSON_AddStringToObject(lo, "evidence", r->loader.evidence);
  else cJSON_AddNullToObject(lo, "evidence");
  if (o->moved_first) {
    const char *b = strrchr(o->moved_first, '/');
    cJSON_AddStringToObject(root, "reordered_first", b ? b + 1 : o->moved_first);
  }
  cJSON *notes = cJSON_AddArrayToObject(root, "notes");
  for (uint32_t i = 0; i < r->nnotes; i++) {
    static const char *const kinds[WD_NOTE_COUNT] = {"loader-guessed", "glue-unread", "import-module-assumed",
                                                      "got-unknown", "weak-version"};
    wd_msg note;
    if (note_msg(r, &r->notes[i], &note)) memset(&note, 0, sizeof note);
    cJSON *no = cJSON_CreateObject();
    cJSON_AddStringToObject(no, "kind", kinds[r->notes[i].kind]);
    cJSON_AddNumberToObject(no, "module", r->notes[i].module);
    if (r->notes[i].symbol.len) cJSON_AddItemToObject(no, "symbol", str_json(r->notes[i].symbol.ptr, r->notes[i].symbol.len));
    cJSON_AddNumberToObject(no, "count", r->notes[i].count);
    wdi_json_add_msg(no, "text", &note, o->language);
    wd_msg_free(&note);
    cJSON_AddItemToArray(notes, no);
  }
  cJSON *eng = cJSON_AddArrayToObject(root, "engines");
  for (int e = 0; e < WD_ENGINE_COUNT; e++) {
    if (!show_engine(o, (wd_engine)e)) continue;
    const wd_engine_info *ei = wd_engine_get((wd_engine)e);
    cJSON *eo = cJSON_CreateObject();
    cJSON_AddStringToObject(eo, "key", ei->key);
    cJSON_AddStringToObject(eo, "name", ei->name);
    cJSON_AddStringToObject(eo, "tested_with", ei->tested_with);
    cJSON_AddItemToArray(eng, eo);
  }
  cJSON *mods = cJSON_AddArrayToObject(root, "modules");
  for (uint32_t i = 0; i < r->nmodules; i++) {
    const wd_link_loaded *l = &r->modules[i];
    cJSON *mo = cJSON_CreateObject();
    cJSON_AddNumberToObject(mo, "index", i);
    cJSON_AddStringToObject(mo, "name", l->name);
    cJSON_AddBoolToObject(mo, "main", l->is_main);
    cJSON_AddBoolToObject(mo, "loads", l->loads);
    const wd_limits *mem = wd_module_memory0(l->module, NULL);
    if (mem) cJSON_AddBoolToObject(mo, "shared_memory", mem->shared);
    else cJSON_AddNullToObject(mo, "shared_memory");
    cJSON *first = cJSON_AddObjectToObject(mo, "first_error");
    for (int e = 0; e < WD_ENGINE_COUNT; e++) {
      if (!show_engine(o, (wd_engine)e)) continue;
      const wd_link_problem *fp = wd_link_first_problem(r, i, (wd_engine)e);
      if (!fp) {
        cJSON_AddNullToObject(first, wd_engine_get((wd_engine)e)->key);
        continue;
      }
      char msg[1024];
      wd_link_engine_message(r, fp, (wd_engine)e, o->call, msg, sizeof msg);
      cJSON_AddStringToObject(first, wd_engine_get((wd_engine)e)->key, msg);
    }
    cJSON_AddItemToArray(mods, mo);
  }
  cJSON *probs = cJSON_AddArrayToObject(root, "problems");
  for (uint32_t k = 0; k < r->nproblems; k++) {
    const wd_link_problem *p = &r->problems[k];
    cJSON *po = cJSON_CreateObject();
    cJSON_AddStringToObject(po, "fault", wd_link_fault_key(p->fault));
    cJSON_AddStringToObject(po, "stage", stage_key(p->stage));
    cJSON_AddBoolToObject(po, "fatal", wd_link_fault_is_fatal(p->fault));
    cJSON_AddNumberToObject(po, "module", p->module);
    cJSON_AddStringToObject(po, "module_name", r->modules[p->module].name);
    if (p->import) {
      cJSON *io = cJSON_AddObjectToObject(po, "import");
      cJSON_AddNumberToObject(io, "index", (double)p->import_index);
      cJSON_AddItemToObject(io, "module", str_json(p->import->module.ptr, p->import->module.len));
      cJSON_AddItemToObject(io, "name", str_json(p->import->name.ptr, p->import->name.len));
      cJSON_AddStringToObject(io, "kind", wd_extern_kind_name(p->import->kind));
    } else {
      cJSON_AddNullToObject(po, "import");
    }
    if (p->symbol.len) cJSON_AddItemToObject(po, "symbol", str_json(p->symbol.ptr, p->symbol.len));
    cJSON *msgs = cJSON_AddObjectToObject(po, "messages");
    for (int e = 0; e < WD_ENGINE_COUNT; e++) {
      if (!show_engine(o, (wd_engine)e)) continue;
      char msg[1024];
      wd_link_engine_message(r, p, (wd_engine)e, o->call, msg, sizeof msg);
      if (msg[0]) cJSON_AddStringToObject(msgs, wd_engine_get((wd_engine)e)->key, msg);
      else cJSON_AddNullToObject(msgs, wd_engine_get((wd_engine)e)->key);
    }
    wd_link_explanation ex;
    wd_link_explain(r, p, o->facts, &ex);
    wdi_json_add_msg(po, "summary", &ex.summary, o->language);
    wdi_json_add_msg(po, "why", &ex.why, o->language);
    cJSON *fixes = cJSON_AddArrayToObject(po, "fixes");
    for (unsigned i = 0; i < ex.nfixes; i++) {
      cJSON *fo = cJSON_CreateObject();
      static const char *kinds[] = {"nothreads", "threads", "rebuild", "reexport", "add-file"};
      cJSON_AddNumberToObject(fo, "rank", i + 1);
      cJSON_AddStringToObject(fo, "kind", kinds[ex.fixes[i].kind]);
      wdi_json_add_msg(fo, "text", &ex.fixes[i].text, o->language);
      wdi_json_add_msg(fo, "tradeoff", &ex.fixes[i].tradeoff, o->language);
      cJSON_AddItemToArray(fixes, fo);
    }
    wd_link_explanation_free(&ex);
    cJSON_AddItemToArray(probs, po);
  }
  return root;
}
