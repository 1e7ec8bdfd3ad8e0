/*
 * The raw facts of the load chain's modules, folded away: each module of
 * the chain is read again (without walking its code) and shown as its
 * size, role, producers, memory and table limits, imports by kind and by
 * module, exports, dylink.0, features, and the section table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/str.h"
#include "report/html_int.h"
#include "webdoctor/wasm.h"

static bool is_wasm_node(const wd_chain_node *c) {
  return c->kind == WD_CHAIN_MAIN || c->kind == WD_CHAIN_ENGINE_SIDE || c->kind == WD_CHAIN_EXTENSION;
}

static void row(wdi_html *h, const char *name, const char *value) {
  wdi_h_raw(h, "<dt>");
  wdi_h_text(h, name);
  wdi_h_raw(h, "</dt><dd>");
  wdi_h_text(h, value);
  wdi_h_raw(h, "</dd>");
}

static void limits_str(const wd_limits *l, bool memory, char *buf, size_t size) {
  char a[32], b[32];
  unsigned long long page = memory ? 1ull << (l->page_size_log2 ? l->page_size_log2 : 16) : 0;
  if (memory) {
    wd_format_size(l->min * page, a, sizeof a);
    if (l->has_max) wd_format_size(l->max * page, b, sizeof b);
  }
  int n;
  if (memory && l->has_max)
    n = snprintf(buf, size, _("initial %llu pages (%s), maximum %llu pages (%s)"), (unsigned long long)l->min, a,
                 (unsigned long long)l->max, b);
  else if (memory)
    n = snprintf(buf, size, _("initial %llu pages (%s), no maximum"), (unsigned long long)l->min, a);
  else if (l->has_max)
    n = snprintf(buf, size, _("initial %llu, maximum %llu"), (unsigned long long)l->min, (unsigned long long)l->max);
  else
    n = snprintf(buf, size, _("initial %llu, no maximum"), (unsigned long long)l->min);
  if (n < 0 || (size_t)n >= size) return;
  if (l->shared) snprintf(buf + n, size - (size_t)n, "%s", _(", shared"));
  n = (int)strlen(buf);
  if (l->is64 && (size_t)n < size) snprintf(buf + n, size - (size_t)n, "%s", _(", 64-bit"));
}

static void module_facts(wdi_html *h, const wd_chain_node *c, const wd_source *src) {
  wd_module *m = NULL;
  wd_error err;
  wd_error_clear(&err);
  wd_read_options ro = {.skip_code = true, .max_warnings = 0};
  wd_source_data bytes;
  wd_status st = wd_source_read(src, c->file, 0, &bytes, &err);
  if (st == WD_OK) {
    st = wd_module_parse(bytes.data, bytes.size, &ro, &m, &err);
    if (st) wd_source_data_release(&bytes);
  }
  char v[512], sz[32];
  wdi_h_raw(h, "<details class=\"module\" data-file=\"");
  wdi_h_text(h, c->file);
  wdi_h_raw(h, "\"><summary>");
  wdi_h_text(h, c->file);
  wdi_h_raw(h, " \xe2\x80\x94 ");
  wdi_h_text(h, wdi_chain_kind_label(c->kind));
  if (st == WD_OK) {
    wd_format_size(m->size, sz, sizeof sz);
    wdi_h_textf(h, ", %s", sz);
  }
  wdi_h_raw(h, "</summary>\n");
  if (st != WD_OK) {
    char msg[1024];
    wd_error_format(&err, msg, sizeof msg);
    wdi_h_raw(h, "<p>");
    wdi_h_textf(h, _("cannot read it: %s"), msg);
    wdi_h_raw(h, "</p></details>\n");
    return;
  }
  wdi_h_raw(h, "<dl class=\"facts\">");
  snprintf(v, sizeof v, _("%llu bytes"), (unsigned long long)m->size);
  row(h, _("Size"), v);
  row(h, _("Role"), wd_module_role_name(wd_module_role_of(m)));
  /* producers: "language: C++ 17; processed-by: clang 19, Emscripten 3.1.64" */
  if (m->nproducers) {
    wd_buf b = WD_BUF_INIT;
    int bad = 0;
    for (uint32_t i = 0; i < m->nproducers; i++) {
      const wd_producer_field *f = &m->producers[i];
      bad |= wd_buf_printf(&b, "%s%.*s:", i ? "; " : "", (int)f->name.len, f->name.ptr);
      for (uint32_t k = 0; k < f->nvalues; k++)
        bad |= wd_buf_printf(&b, "%s %.*s %.*s", k ? "," : "", (int)f->values[k].name.len, f->values[k].name.ptr,
                             (int)f->values[k].version.len, f->values[k].version.ptr);
    }
    if (bad) h->failed = true;
    else row(h, _("Producers"), b.data);
    wd_buf_release(&b);
  }
  const wd_import *mi = NULL;
  const wd_limits *mem = wd_module_memory0(m, &mi);
  if (mem) {
    limits_str(mem, true, v, sizeof v);
    char w[640];
    if (mi)
      snprintf(w, sizeof w, _("imported as %.*s.%.*s: %s"), (int)mi->module.len, mi->module.ptr, (int)mi->name.len,
               mi->name.ptr, v);
    else snprintf(w, sizeof w, _("defined: %s"), v);
    row(h, _("Memory"), w);
  } else {
    row(h, _("Memory"), _("none"));
  }
  for (uint32_t i = 0; i < m->ntables && i < 4; i++) {
    limits_str(&m->table_types[i].limits, false, v, sizeof v);
    char name[64], w[640], t[32];
    snprintf(name, sizeof name, _("Table %u"), i);
    wd_valtype_str(m->table_types[i].elem, t, sizeof t);
    snprintf(w, sizeof w, "%s %s: %s", i < m->nimported_tables ? _("imported") : _("defined"), t, v);
    row(h, name, w);
  }
  /* imports by kind, then by module name */
  uint32_t bykind[5] = {0};
  for (uint32_t i = 0; i < m->nimports; i++)
    if (m->imports[i].kind < 5) bykind[m->imports[i].kind]++;
  snprintf(v, sizeof v, _("%u: %u functions, %u tables, %u memories, %u globals, %u tags"), m->nimports, bykind[0],
           bykind[1], bykind[2], bykind[3], bykind[4]);
  row(h, _("Imports"), v);
  {
    wd_str names[16];
    uint32_t counts[16], nn = 0, other = 0;
    for (uint32_t i = 0; i < m->nimports; i++) {
      uint32_t k = 0;
      while (k < nn && !wd_str_eqs(names[k], m->imports[i].module)) k++;
      if (k == nn) {
        if (nn == 16) {
          other++;
          continue;
        }
        names[nn] = m->imports[i].module;
        counts[nn++] = 0;
      }
      counts[k]++;
    }
    if (nn) {
      wd_buf b = WD_BUF_INIT;
      int bad = 0;
      for (uint32_t k = 0; k < nn; k++)
        bad |= wd_buf_printf(&b, "%s%.*s %u", k ? ", " : "", (int)names[k].len, names[k].ptr, counts[k]);
      if (other) bad |= wd_buf_printf(&b, _(", %u more from other modules"), other);
      if (bad) h->failed = true;
      else row(h, _("Imports by module"), b.data);
      wd_buf_release(&b);
    }
  }
  snprintf(v, sizeof v, "%u", m->nexports);
  row(h, _("Exports"), v);
  snprintf(v, sizeof v, _("%u (%u imported, %u defined)"), m->nfuncs, m->nimported_funcs,
           m->nfuncs - m->nimported_funcs);
  row(h, _("Functions"), v);
  snprintf(v, sizeof v, _("%u (%u imported)"), m->nglobals, m->nimported_globals);
  row(h, _("Globals"), v);
  if (m->ntags) {
    snprintf(v, sizeof v, _("%u (%u imported)"), m->ntags, m->nimported_tags);
    row(h, _("Exception tags"), v);
  }
  if (m->dylink.present) {
    snprintf(v, sizeof v, _("memory %u bytes (alignment 2^%u), table %u entries, %u needed libraries"),
             m->dylink.mem_size, m->dylink.mem_align, m->dylink.table_size, m->dylink.nneeded);
    row(h, m->dylink.legacy ? "dylink" : "dylink.0", v);
    if (m->dylink.nneeded) {
      wd_buf b = WD_BUF_INIT;
      int bad = 0;
      for (uint32_t k = 0; k < m->dylink.nneeded; k++)
        bad |= wd_buf_printf(&b, "%s%.*s", k ? ", " : "", (int)m->dylink.needed[k].len, m->dylink.needed[k].ptr);
      if (bad) h->failed = true;
      else row(h, _("Needed libraries"), b.data);
      wd_buf_release(&b);
    }
  }
  if (m->features) {
    wd_buf b = WD_BUF_INIT;
    int bad = 0, k = 0;
    for (int f = 0; f < WD_FEAT_COUNT; f++)
      if (m->features & (1u << f)) bad |= wd_buf_printf(&b, "%s%s", k++ ? ", " : "", _(wd_feature_get(f)->name));
    if (bad) h->failed = true;
    else row(h, _("Features (from types and imports)"), b.data);
    wd_buf_release(&b);
  }
  wdi_h_raw(h, "</dl>\n<table class=\"raw\"><caption class=\"sr-only\">");
  wdi_h_textf(h, _("Sections of %s"), c->file);
  wdi_h_raw(h, "</caption><thead><tr><th scope=\"col\">");
  wdi_h_text(h, _("Section"));
  wdi_h_raw(h, "</th><th scope=\"col\">");
  wdi_h_text(h, _("Offset"));
  wdi_h_raw(h, "</th><th scope=\"col\">");
  wdi_h_text(h, _("Size"));
  wdi_h_raw(h, "</th><th scope=\"col\">");
  wdi_h_text(h, _("Items"));
  wdi_h_raw(h, "</th></tr></thead>\n<tbody>");
  for (uint32_t i = 0; i < m->nsections; i++) {
    const wd_section *sec = &m->sections[i];
    wdi_h_raw(h, "<tr><td>");
    if (sec->id == WD_SEC_CUSTOM) {
      wdi_h_text(h, "custom \"");
      wdi_h_textn(h, sec->name.ptr, sec->name.len);
      wdi_h_text(h, "\"");
    } else {
      wdi_h_text(h, wd_section_name(sec->id));
    }
    wdi_h_rawf(h, "</td><td class=\"n\">0x%llx</td><td class=\"n\">%llu</td><td class=\"n\">", (unsigned long long)sec->offset,
               (unsigned long long)sec->size);
    if (sec->id != WD_SEC_CUSTOM && sec->id != WD_SEC_START) wdi_h_rawf(h, "%u", sec->count);
    wdi_h_raw(h, "</td></tr>\n");
  }
  wdi_h_raw(h, "</tbody></table>\n");
  if (m->nwarnings) {
    wdi_h_raw(h, "<p>");
    char *msg = wd_msg_str(&m->warnings[0].msg, false);
    wdi_h_textf(h, _("%s at offset %llu: %s"), m->warnings[0].where, (unsigned long long)m->warnings[0].offset,
                msg ? msg : "");
    free(msg);
    wdi_h_raw(h, "</p>\n");
  }
  wdi_h_raw(h, "</details>\n");
  wd_module_free(m);
  wd_source_data_release(&bytes);
}

void wdi_html_module_facts(wdi_html *h, const wd_check_summary *s, const wd_source *src) {
  uint32_t n = 0;
  for (uint32_t i = 0; i < s->nchain; i++)
    if (s->chain[i].file[0] && is_wasm_node(&s->chain[i])) n++;
  if (!n) return;
  wdi_h_raw(h, "<section aria-labelledby=\"raw\">\n<h2 id=\"raw\">");
  wdi_h_text(h, _("Raw facts"));
  wdi_h_raw(h, "</h2>\n<p class=\"hint\">");
  wdi_h_text(h, _("What webdoctor read from each module of the chain, for bug reports and the curious. "
                  "Open a module to see its sections, imports and memory limits."));
  wdi_h_raw(h, "</p>\n");
  for (uint32_t i = 0; i < s->nchain; i++)
    if (s->chain[i].file[0] && is_wasm_node(&s->chain[i])) module_facts(h, &s->chain[i], src);
  wdi_h_raw(h, "</section>\n");
}
