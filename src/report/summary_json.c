/* The JSON of what a check looked at: its summary and the load chain. */
#include "webdoctor/report.h"

const char *wd_chain_kind_key(wd_chain_kind k) {
  switch (k) {
  case WD_CHAIN_PAGE: return "page";
  case WD_CHAIN_GLUE: return "glue";
  case WD_CHAIN_MAIN: return "main";
  case WD_CHAIN_ENGINE_SIDE: return "engine-side";
  case WD_CHAIN_EXTENSION: return "extension";
  case WD_CHAIN_PRESET: return "preset";
  case WD_CHAIN_TEMPLATE: return "template";
  }
  return "?";
}

cJSON *wd_check_summary_json(const wd_check_summary *s) {
  cJSON *o = cJSON_CreateObject();
  if (!o) return NULL;
  cJSON_AddStringToObject(o, "kind", s->kind == WD_CHECKED_PROJECT ? "project" : "export");
  if (s->engine[0]) cJSON_AddStringToObject(o, "engine", s->engine);
  if (s->threads >= 0) cJSON_AddBoolToObject(o, "threads", s->threads);
  else cJSON_AddNullToObject(o, "threads");
  cJSON_AddBoolToObject(o, "extensions_support", s->dlink);
  cJSON_AddNumberToObject(o, "extensions", s->nextensions);
  if (s->kind == WD_CHECKED_PROJECT) cJSON_AddNumberToObject(o, "web_presets", s->npresets);
  if (s->godot_version[0]) cJSON_AddStringToObject(o, "godot_version", s->godot_version);
  cJSON *chain = cJSON_AddArrayToObject(o, "chain");
  static const char *const verdicts[] = {"ok", "warning", "error"};
  for (uint32_t i = 0; i < s->nchain; i++) {
    const wd_chain_node *n = &s->chain[i];
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "kind", wd_chain_kind_key(n->kind));
    cJSON_AddStringToObject(c, "name", n->name);
    if (n->shared >= 0) cJSON_AddBoolToObject(c, "shared_memory", n->shared);
    else cJSON_AddNullToObject(c, "shared_memory");
    if (n->emscripten[0]) cJSON_AddStringToObject(c, "emscripten", n->emscripten);
    cJSON_AddStringToObject(c, "verdict", n->has_findings ? verdicts[n->verdict] : "ok");
    if (n->edge_message[0]) cJSON_AddStringToObject(c, "edge_message", n->edge_message);
    cJSON_AddItemToArray(chain, c);
  }
  return o;
}
