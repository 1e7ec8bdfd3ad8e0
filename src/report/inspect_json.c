/*
 * `webdoctor inspect --json`: the module as a JSON object.
 * Schema "webdoctor.inspect/1", documented in docs/json.md; keys are never
 * translated, and additions keep the version, removals or changes bump it.
 */
#include <stdlib.h>
#include <string.h>

#include "report/json_int.h"
#include "webdoctor/inspect.h"

static cJSON *jstr(wd_str s) {
  char *z = malloc((size_t)s.len + 1);
  if (!z) return NULL;
  if (s.len) memcpy(z, s.ptr, s.len);
  z[s.len] = '\0';
  cJSON *j = cJSON_CreateString(z);
  free(z);
  return j;
}

static void add_str(cJSON *o, const char *k, wd_str s) { cJSON_AddItemToObject(o, k, jstr(s)); }

static const char *role_key(wd_module_role r) {
  switch (r) {
  case WD_ROLE_STANDALONE: return "standalone";
  case WD_ROLE_EMSCRIPTEN_MAIN: return "main";
  case WD_ROLE_SIDE: return "side";
  }
  return "unknown";
}

static cJSON *limits_json(const wd_limits *l) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "initial", (double)l->min);
  if (l->has_max) cJSON_AddNumberToObject(o, "maximum", (double)l->max);
  else cJSON_AddNullToObject(o, "maximum");
  cJSON_AddBoolToObject(o, "shared", l->shared);
  cJSON_AddBoolToObject(o, "index64", l->is64);
  return o;
}

static cJSON *memory_json(const wd_module *m) {
  const wd_import *im;
  const wd_limits *l = wd_module_memory0(m, &im);
  if (!l) return cJSON_CreateNull();
  cJSON *o = limits_json(l);
  cJSON_AddNumberToObject(o, "page_size", (double)((uint64_t)1 << l->page_size_log2));
  cJSON_AddBoolToObject(o, "imported", im != NULL);
  if (im) {
    add_str(o, "module", im->module);
    add_str(o, "name", im->name);
  }
  cJSON_AddNumberToObject(o, "count", m->nmemories);
  return o;
}

static cJSON *table_json(const wd_module *m) {
  if (m->ntables == 0) return cJSON_CreateNull();
  const wd_tabletype *tt = &m->table_types[0];
  cJSON *o = limits_json(&tt->limits);
  char vt[48];
  wd_valtype_str(tt->elem, vt, sizeof vt);
  cJSON_AddStringToObject(o, "element_type", vt);
  cJSON_AddBoolToObject(o, "imported", m->nimported_tables > 0);
  cJSON_AddNumberToObject(o, "count", m->ntables);
  return o;
}

static cJSON *symbols_json(const wd_dylink_symbol *v, uint32_t n, bool imports) {
  cJSON *a = cJSON_CreateArray();
  for (uint32_t i = 0; i < n; i++) {
    cJSON *o = cJSON_CreateObject();
    if (imports) add_str(o, "module", v[i].module);
    add_str(o, "name", v[i].name);
    cJSON_AddNumberToObject(o, "flags", v[i].flags);
    cJSON_AddBoolToObject(o, "weak", (v[i].flags & WD_SYM_BINDING_WEAK) != 0);
    cJSON_AddBoolToObject(o, "tls", (v[i].flags & WD_SYM_TLS) != 0);
    cJSON_AddItemToArray(a, o);
  }
  return a;
}

static cJSON *strs_json(const wd_str *v, uint32_t n) {
  cJSON *a = cJSON_CreateArray();
  for (uint32_t i = 0; i < n; i++) cJSON_AddItemToArray(a, jstr(v[i]));
  return a;
}

static cJSON *dylink_json(const wd_module *m) {
  const wd_dylink *d = &m->dylink;
  if (!d->present) return cJSON_CreateNull();
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "section", d->legacy ? "dylink" : "dylink.0");
  cJSON_AddNumberToObject(o, "memory_size", d->mem_size);
  cJSON_AddNumberToObject(o, "memory_align_log2", d->mem_align);
  cJSON_AddNumberToObject(o, "table_size", d->table_size);
  cJSON_AddNumberToObject(o, "table_align_log2", d->table_align);
  cJSON_AddItemToObject(o, "needed", strs_json(d->needed, d->nneeded));
  cJSON_AddItemToObject(o, "runtime_path", strs_json(d->runtime_path, d->nruntime_path));
  cJSON_AddItemToObject(o, "import_info", symbols_json(d->import_info, d->nimport_info, true));
  cJSON_AddItemToObject(o, "export_info", symbols_json(d->export_info, d->nexport_info, false));
  return o;
}

static void add_import_type(cJSON *o, const wd_module *m, const wd_import *im) {
  char buf[256];
  switch (im->kind) {
  case WD_EXTERN_FUNC:
  case WD_EXTERN_TAG: {
    uint32_t ti = im->kind == WD_EXTERN_FUNC ? im->u.func_type : im->u.tag.type;
    wd_functype_str(&m->types[ti], buf, sizeof buf);
    cJSON_AddNumberToObject(o, "type_index", ti);
    cJSON_AddStringToObject(o, "type", buf);
    break;
  }
  case WD_EXTERN_TABLE:
    wd_valtype_str(im->u.table.elem, buf, sizeof buf);
    cJSON_AddStringToObject(o, "element_type", buf);
    cJSON_AddItemToObject(o, "limits", limits_json(&im->u.table.limits));
    break;
  case WD_EXTERN_MEMORY:
    cJSON_AddItemToObject(o, "limits", limits_json(&im->u.memory));
    break;
  case WD_EXTERN_GLOBAL:
    wd_valtype_str(im->u.global.type, buf, sizeof buf);
    cJSON_AddStringToObject(o, "type", buf);
    cJSON_AddBoolToObject(o, "mutable", im->u.global.is_mutable);
    break;
  }
}

cJSON *wd_inspect_json(const wd_module *m, const char *name, const char *language) {
  cJSON *o = cJSON_CreateObject();
  if (!o) return NULL;
  char buf[256];
  cJSON_AddStringToObject(o, "file", name);
  cJSON_AddNumberToObject(o, "size", (double)m->size);
  cJSON_AddNumberToObject(o, "version", m->version);
  cJSON_AddStringToObject(o, "role", role_key(wd_module_role_of(m)));

  cJSON *secs = cJSON_AddArrayToObject(o, "sections");
  for (uint32_t i = 0; i < m->nsections; i++) {
    const wd_section *s = &m->sections[i];
    cJSON *so = cJSON_CreateObject();
    cJSON_AddNumberToObject(so, "id", s->id);
    cJSON_AddStringToObject(so, "name", wd_section_name(s->id));
    if (s->id == WD_SEC_CUSTOM) add_str(so, "custom_name", s->name);
    cJSON_AddNumberToObject(so, "offset", (double)s->offset);
    cJSON_AddNumberToObject(so, "payload_offset", (double)s->payload_offset);
    cJSON_AddNumberToObject(so, "size", (double)s->size);
    if (s->id != WD_SEC_CUSTOM && s->id != WD_SEC_START)
      cJSON_AddNumberToObject(so, "count", s->count);
    cJSON_AddItemToArray(secs, so);
  }

  cJSON_AddItemToObject(o, "memory", memory_json(m));
  cJSON_AddItemToObject(o, "table", table_json(m));
  cJSON_AddNumberToObject(o, "types", m->ntypes);
  cJSON *fn = cJSON_AddObjectToObject(o, "functions");
  cJSON_AddNumberToObject(fn, "imported", m->nimported_funcs);
  cJSON_AddNumberToObject(fn, "defined", m->nfuncs - m->nimported_funcs);
  cJSON *gl = cJSON_AddObjectToObject(o, "globals");
  cJSON_AddNumberToObject(gl, "imported", m->nimported_globals);
  cJSON_AddNumberToObject(gl, "defined", m->nglobals - m->nimported_globals);
  cJSON *tg = cJSON_AddObjectToObject(o, "tags");
  cJSON_AddNumberToObject(tg, "imported", m->nimported_tags);
  cJSON_AddNumberToObject(tg, "defined", m->ntags - m->nimported_tags);

  cJSON *imps = cJSON_AddArrayToObject(o, "imports");
  for (uint32_t i = 0; i < m->nimports; i++) {
    const wd_import *im = &m->imports[i];
    cJSON *io = cJSON_CreateObject();
    cJSON_AddNumberToObject(io, "index", i);
    add_str(io, "module", im->module);
    add_str(io, "name", im->name);
    cJSON_AddStringToObject(io, "kind", wd_extern_kind_name(im->kind));
    cJSON_AddNumberToObject(io, "kind_index", im->kind_index);
    add_import_type(io, m, im);
    cJSON_AddNumberToObject(io, "offset", (double)im->offset);
    cJSON_AddItemToArray(imps, io);
  }
  cJSON *exps = cJSON_AddArrayToObject(o, "exports");
  for (uint32_t i = 0; i < m->nexports; i++) {
    const wd_export *e = &m->exports[i];
    cJSON *eo = cJSON_CreateObject();
    add_str(eo, "name", e->name);
    cJSON_AddStringToObject(eo, "kind", wd_extern_kind_name(e->kind));
    cJSON_AddNumberToObject(eo, "index", e->index);
    if (e->kind == WD_EXTERN_FUNC) {
      const wd_type *ft = wd_module_func_type(m, e->index);
      if (ft) {
        wd_functype_str(ft, buf, sizeof buf);
        cJSON_AddStringToObject(eo, "type", buf);
      }
    } else if (e->kind == WD_EXTERN_GLOBAL && e->index < m->nglobals) {
      wd_valtype_str(m->global_types[e->index].type, buf, sizeof buf);
      cJSON_AddStringToObject(eo, "type", buf);
      cJSON_AddBoolToObject(eo, "mutable", m->global_types[e->index].is_mutable);
    }
    cJSON_AddItemToArray(exps, eo);
  }

  cJSON *code = cJSON_AddObjectToObject(o, "code");
  cJSON_AddNumberToObject(code, "bodies", m->nbodies);
  cJSON_AddNumberToObject(code, "bytes", (double)m->code.bytes);
  cJSON_AddBoolToObject(code, "decoded", m->code.decoded);
  if (m->code.decoded) {
    cJSON_AddNumberToObject(code, "instructions", (double)m->code.instructions);
    cJSON_AddNumberToObject(code, "max_depth", m->code.max_depth);
  }
  uint64_t dbytes = 0;
  for (uint32_t i = 0; i < m->ndatas; i++) dbytes += m->datas[i].size;
  cJSON *data = cJSON_AddObjectToObject(o, "data");
  cJSON_AddNumberToObject(data, "segments", m->ndatas);
  cJSON_AddNumberToObject(data, "bytes", (double)dbytes);

  cJSON_AddItemToObject(o, "dylink", dylink_json(m));

  cJSON *prod = cJSON_AddObjectToObject(o, "producers");
  for (uint32_t i = 0; i < m->nproducers; i++) {
    const wd_producer_field *f = &m->producers[i];
    cJSON *arr = cJSON_CreateArray();
    for (uint32_t k = 0; k < f->nvalues; k++) {
      cJSON *v = cJSON_CreateObject();
      add_str(v, "name", f->values[k].name);
      add_str(v, "version", f->values[k].version);
      cJSON_AddItemToArray(arr, v);
    }
    char *fname = malloc((size_t)f->name.len + 1);
    if (fname) {
      memcpy(fname, f->name.ptr, f->name.len);
      fname[f->name.len] = '\0';
      cJSON_AddItemToObject(prod, fname, arr);
      free(fname);
    } else {
      cJSON_Delete(arr);
    }
  }
  cJSON *tf = cJSON_AddArrayToObject(o, "target_features");
  for (uint32_t i = 0; i < m->ntarget_features; i++) {
    const wd_target_feature *f = &m->target_features[i];
    snprintf(buf, sizeof buf, "%c%.*s", f->prefix, (int)f->name.len, f->name.ptr);
    cJSON_AddItemToArray(tf, cJSON_CreateString(buf));
  }

  cJSON *feats = cJSON_AddArrayToObject(o, "features");
  for (unsigned f = 0; f < WD_FEAT_COUNT; f++) {
    if (!(m->features & (1u << f))) continue;
    cJSON *fo = cJSON_CreateObject();
    cJSON_AddStringToObject(fo, "key", wd_feature_get((wd_feature)f)->key);
    if (m->feature_first_func[f] >= 0)
      cJSON_AddNumberToObject(fo, "first_function", (double)m->feature_first_func[f]);
    else
      cJSON_AddNullToObject(fo, "first_function");
    cJSON_AddItemToArray(feats, fo);
  }
  cJSON *br = cJSON_AddObjectToObject(o, "browsers");
  static const char *keys[WD_BROWSER_COUNT] = {"chrome", "firefox", "safari"};
  for (int b = 0; b < WD_BROWSER_COUNT; b++) {
    wd_browser_version v = wd_features_min_browser(m->features, (wd_browser)b);
    if (v) {
      wd_browser_version_str(v, buf, sizeof buf);
      cJSON_AddStringToObject(br, keys[b], buf);
    } else {
      cJSON_AddNullToObject(br, keys[b]);
    }
  }

  cJSON *sm = m->has_source_mapping_url ? jstr(m->source_mapping_url) : cJSON_CreateNull();
  cJSON_AddItemToObject(o, "source_mapping_url", sm);
  cJSON *warns = cJSON_AddArrayToObject(o, "warnings");
  for (uint32_t i = 0; i < m->nwarnings; i++) {
    cJSON *w = cJSON_CreateObject();
    cJSON_AddNumberToObject(w, "offset", (double)m->warnings[i].offset);
    cJSON_AddStringToObject(w, "where", m->warnings[i].where);
    wdi_json_add_msg(w, "message", &m->warnings[i].msg, language);
    cJSON_AddItemToArray(warns, w);
  }
  return o;
}
