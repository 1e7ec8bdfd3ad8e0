/*
 * Custom sections: name, producers, target_features, dylink.0 and the
 * legacy dylink, sourceMappingURL, external_debug_info.
 *
 * Engines ignore custom sections, so a malformed one never rejects the
 * module: the problem becomes a warning and the part read so far is kept
 * (Emscripten's loader does parse dylink.0; a broken one is reported by the
 * link check from the warning).
 *
 * Formats: https://github.com/WebAssembly/tool-conventions (Linking.md,
 * DynamicLinking.md, ProducersSection.md, Debugging.md) and the core spec
 * appendix for the name section.
 */
#include <string.h>

#include "common/i18n.h"
#include "wasm/reader_int.h"

/* dylink.0 subsection types */
enum {
  DYLINK_MEM_INFO = 1,
  DYLINK_NEEDED = 2,
  DYLINK_EXPORT_INFO = 3,
  DYLINK_IMPORT_INFO = 4,
  DYLINK_RUNTIME_PATH = 5
};

static wd_status read_str_vec(wdi_reader *r, wd_cursor *c, uint32_t *n, wd_str **out,
                              const char *desc) {
  wd_status s = wd_cur_count(c, n, 1, desc);
  if (s) return s;
  *out = wd_arena_array(r->arena, *n ? *n : 1, sizeof **out);
  if (!*out) return wd_error_set(c->err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  for (uint32_t i = 0; i < *n; i++)
    if ((s = wd_cur_name(c, &(*out)[i], desc))) return s;
  return WD_OK;
}

static wd_status read_dylink0(wdi_reader *r, wd_cursor *c) {
  wd_dylink *d = &r->m->dylink;
  wd_status s;
  int last = 0;
  while (!wd_cur_eof(c)) {
    uint64_t at = c->pos;
    uint8_t type;
    uint32_t size;
    wd_cur_saved saved;
    if ((s = wd_cur_u8(c, &type, N_("dylink.0 subsection type")))) return s;
    if ((s = wd_cur_u32(c, &size, N_("dylink.0 subsection size")))) return s;
    if ((s = wd_cur_enter(c, size, &saved, N_("dylink.0 subsection")))) return s;
    if (type <= last && type <= DYLINK_RUNTIME_PATH)
      return wd_cur_fail_at(c, at, N_("dylink.0 subsection %u out of order or repeated"), type);
    last = type;
    switch (type) {
    case DYLINK_MEM_INFO:
      if ((s = wd_cur_u32(c, &d->mem_size, N_("memory size")))) return s;
      if ((s = wd_cur_u32(c, &d->mem_align, N_("memory alignment")))) return s;
      if ((s = wd_cur_u32(c, &d->table_size, N_("table size")))) return s;
      if ((s = wd_cur_u32(c, &d->table_align, N_("table alignment")))) return s;
      break;
    case DYLINK_NEEDED:
      if ((s = read_str_vec(r, c, &d->nneeded, &d->needed, N_("needed library name")))) return s;
      break;
    case DYLINK_EXPORT_INFO:
    case DYLINK_IMPORT_INFO: {
      bool imp = type == DYLINK_IMPORT_INFO;
      uint32_t n;
      if ((s = wd_cur_count(c, &n, imp ? 3 : 2, N_("symbol count")))) return s;
      wd_dylink_symbol *v = wd_arena_array(r->arena, n ? n : 1, sizeof *v);
      if (!v) return wd_error_set(c->err, WD_ERR_NOMEM, "%s", W_("out of memory"));
      for (uint32_t i = 0; i < n; i++) {
        if (imp && (s = wd_cur_name(c, &v[i].module, N_("import module name")))) return s;
        if ((s = wd_cur_name(c, &v[i].name, N_("symbol name")))) return s;
        if ((s = wd_cur_u32(c, &v[i].flags, N_("symbol flags")))) return s;
      }
      if (imp) { d->nimport_info = n; d->import_info = v; }
      else { d->nexport_info = n; d->export_info = v; }
      break;
    }
    case DYLINK_RUNTIME_PATH:
      if ((s = read_str_vec(r, c, &d->nruntime_path, &d->runtime_path, N_("runtime path"))))
        return s;
      break;
    default:
      /* unknown subsections are skipped, as the loader does */
      c->pos = c->end;
      break;
    }
    if (!wd_cur_eof(c))
      return wd_cur_fail_at(c, c->pos, N_("dylink.0 subsection %u has %llu unread bytes"), type,
                            (unsigned long long)wd_cur_left(c));
    wd_cur_leave(c, saved);
  }
  return WD_OK;
}

static wd_status read_dylink_legacy(wdi_reader *r, wd_cursor *c) {
  wd_dylink *d = &r->m->dylink;
  wd_status s;
  if ((s = wd_cur_u32(c, &d->mem_size, N_("memory size")))) return s;
  if ((s = wd_cur_u32(c, &d->mem_align, N_("memory alignment")))) return s;
  if ((s = wd_cur_u32(c, &d->table_size, N_("table size")))) return s;
  if ((s = wd_cur_u32(c, &d->table_align, N_("table alignment")))) return s;
  return read_str_vec(r, c, &d->nneeded, &d->needed, N_("needed library name"));
}

static wd_status read_producers(wdi_reader *r, wd_cursor *c) {
  wd_module *m = r->m;
  uint32_t n;
  wd_status s = wd_cur_count(c, &n, 2, N_("producers field count"));
  if (s) return s;
  wd_producer_field *f = wd_arena_array(r->arena, n ? n : 1, sizeof *f);
  if (!f) return wd_error_set(c->err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  m->producers = f;
  for (uint32_t i = 0; i < n; i++) {
    if ((s = wd_cur_name(c, &f[i].name, N_("producers field name")))) return s;
    uint32_t nv;
    if ((s = wd_cur_count(c, &nv, 2, N_("producers value count")))) return s;
    f[i].values = wd_arena_array(r->arena, nv ? nv : 1, sizeof *f[i].values);
    if (!f[i].values) return wd_error_set(c->err, WD_ERR_NOMEM, "%s", W_("out of memory"));
    for (uint32_t k = 0; k < nv; k++) {
      if ((s = wd_cur_name(c, &f[i].values[k].name, N_("producer name")))) return s;
      if ((s = wd_cur_name(c, &f[i].values[k].version, N_("producer version")))) return s;
      f[i].nvalues = k + 1;
    }
    m->nproducers = i + 1;
  }
  return WD_OK;
}

static wd_status read_target_features(wdi_reader *r, wd_cursor *c) {
  wd_module *m = r->m;
  uint32_t n;
  wd_status s = wd_cur_count(c, &n, 2, N_("target feature count"));
  if (s) return s;
  wd_target_feature *f = wd_arena_array(r->arena, n ? n : 1, sizeof *f);
  if (!f) return wd_error_set(c->err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  m->target_features = f;
  for (uint32_t i = 0; i < n; i++) {
    uint64_t at = c->pos;
    if ((s = wd_cur_u8(c, &f[i].prefix, N_("target feature prefix")))) return s;
    if (f[i].prefix != '+' && f[i].prefix != '-' && f[i].prefix != '=')
      return wd_cur_fail_at(c, at, N_("target feature prefix 0x%02x is not '+', '-' or '='"),
                            f[i].prefix);
    if ((s = wd_cur_name(c, &f[i].name, N_("target feature name")))) return s;
    m->ntarget_features = i + 1;
  }
  return WD_OK;
}

static wd_status read_name_map(wdi_reader *r, wd_cursor *c, uint32_t *n, wd_name_entry **out) {
  wd_status s = wd_cur_count(c, n, 2, N_("name map count"));
  if (s) return s;
  *out = wd_arena_array(r->arena, *n ? *n : 1, sizeof **out);
  if (!*out) return wd_error_set(c->err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  for (uint32_t i = 0; i < *n; i++) {
    uint64_t at = c->pos;
    if ((s = wd_cur_u32(c, &(*out)[i].index, N_("name map index")))) return s;
    if (i && (*out)[i].index <= (*out)[i - 1].index)
      return wd_cur_fail_at(c, at, N_("name map indices are not in increasing order (%u after %u)"),
                            (*out)[i].index, (*out)[i - 1].index);
    if ((s = wd_cur_name(c, &(*out)[i].name, N_("name")))) return s;
  }
  return WD_OK;
}

static wd_status read_names(wdi_reader *r, wd_cursor *c) {
  wd_names *nm = &r->m->names;
  nm->present = true;
  wd_status s;
  int last = -1;
  while (!wd_cur_eof(c)) {
    uint64_t at = c->pos;
    uint8_t id;
    uint32_t size;
    wd_cur_saved saved;
    if ((s = wd_cur_u8(c, &id, N_("name subsection id")))) return s;
    if ((s = wd_cur_u32(c, &size, N_("name subsection size")))) return s;
    if ((s = wd_cur_enter(c, size, &saved, N_("name subsection")))) return s;
    if ((int)id <= last)
      return wd_cur_fail_at(c, at, N_("name subsection %u out of order or repeated"), id);
    last = id;
    nm->nsubsections++;
    switch (id) {
    case 0:
      if ((s = wd_cur_name(c, &nm->module_name, N_("module name")))) return s;
      nm->has_module_name = true;
      break;
    case 1:
      if ((s = read_name_map(r, c, &nm->nfunctions, &nm->functions))) return s;
      break;
    case 2: { /* indirect name map: function -> local names */
      uint32_t n;
      if ((s = wd_cur_count(c, &n, 2, N_("local name count")))) return s;
      for (uint32_t i = 0; i < n; i++) {
        uint32_t idx, nl;
        wd_name_entry *unused;
        if ((s = wd_cur_u32(c, &idx, N_("function index")))) return s;
        if ((s = read_name_map(r, c, &nl, &unused))) return s;
      }
      nm->nlocal_funcs = n;
      break;
    }
    default:
      /* extended-name-section subsections (labels, types, tables...): skipped */
      c->pos = c->end;
      break;
    }
    if (!wd_cur_eof(c))
      return wd_cur_fail_at(c, c->pos, N_("name subsection %u has %llu unread bytes"), id,
                            (unsigned long long)wd_cur_left(c));
    wd_cur_leave(c, saved);
  }
  return WD_OK;
}

static wd_status read_single_string(wd_cursor *c, wd_str *out, const char *desc) {
  wd_status s = wd_cur_name(c, out, desc);
  if (s) return s;
  if (!wd_cur_eof(c))
    return wd_cur_fail_at(c, c->pos, N_("%llu unread bytes after the %s"),
                          (unsigned long long)wd_cur_left(c), desc);
  return WD_OK;
}

void wdi_read_custom(wdi_reader *r, const wd_section *sec) {
  wd_module *m = r->m;
  wd_error err;
  wd_error_clear(&err);
  /* A cursor over the payload after the name, with its own error. */
  wd_cursor c = r->cur;
  c.err = &err;
  uint64_t name_end = r->cur.pos; /* the caller has read the name */
  c.pos = name_end;
  c.end = sec->payload_offset + sec->size;
  wd_status s = WD_OK;
  const char *what = NULL;
  if (wd_str_eq(sec->name, "dylink.0")) {
    what = "dylink.0";
    if (m->dylink.present) {
      wdi_warn(r, sec->offset, what, N_("a second dylink.0 section is ignored"));
      return;
    }
    m->dylink.present = true;
    m->dylink.offset = sec->offset;
    s = read_dylink0(r, &c);
  } else if (wd_str_eq(sec->name, "dylink")) {
    what = "dylink";
    if (m->dylink.present) {
      wdi_warn(r, sec->offset, what, N_("a second dylink section is ignored"));
      return;
    }
    m->dylink.present = true;
    m->dylink.legacy = true;
    m->dylink.offset = sec->offset;
    s = read_dylink_legacy(r, &c);
  } else if (wd_str_eq(sec->name, "name")) {
    what = "name";
    if (m->names.present) {
      wdi_warn(r, sec->offset, what, N_("a second name section is ignored"));
      return;
    }
    s = read_names(r, &c);
  } else if (wd_str_eq(sec->name, "producers")) {
    what = "producers";
    s = read_producers(r, &c);
  } else if (wd_str_eq(sec->name, "target_features")) {
    what = "target_features";
    s = read_target_features(r, &c);
  } else if (wd_str_eq(sec->name, "sourceMappingURL")) {
    what = "sourceMappingURL";
    s = read_single_string(&c, &m->source_mapping_url, N_("source map URL"));
    m->has_source_mapping_url = s == WD_OK;
  } else if (wd_str_eq(sec->name, "external_debug_info")) {
    what = "external_debug_info";
    s = read_single_string(&c, &m->external_debug_info, N_("debug file URL"));
    m->has_external_debug_info = s == WD_OK;
  }
  if (s && what) {
    wdi_warn_error(r, err.has_offset ? err.offset : sec->offset, what, &err);
  }
  /* The reader expects the cursor at the end of the section payload. */
  r->cur.pos = sec->payload_offset + sec->size;
}
