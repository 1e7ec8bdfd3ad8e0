/*
 * `webdoctor inspect` text output: one screen a person can read, plus the
 * full lists on request.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/str.h"
#include "webdoctor/inspect.h"
#include "webdoctor/text.h"

void wd_module_producers_str(const wd_module *m, char *buf, unsigned size) {
  size_t n = 0;
  buf[0] = '\0';
  for (uint32_t i = 0; i < m->nproducers; i++) {
    const wd_producer_field *f = &m->producers[i];
    for (uint32_t k = 0; k < f->nvalues; k++) {
      const wd_producer_value *v = &f->values[k];
      int w = snprintf(buf + n, n < size ? size - n : 0, "%s%.*s%s%.*s", n ? ", " : "",
                       (int)v->name.len, v->name.ptr, v->version.len ? " " : "",
                       (int)v->version.len, v->version.ptr);
      if (w > 0) n += (size_t)w;
      if (n >= size) {
        n = size - 1;
        return;
      }
    }
  }
}

static void label(const wd_term *t, const char *l) {
  fprintf(t->out, "  %s", wd_term_style(t, WD_STYLE_BOLD));
  wd_text_pad(t->out, l, 10);
  fprintf(t->out, "%s ", wd_term_style(t, WD_STYLE_RESET));
}

static void limits_str(const wd_limits *l, bool memory, char *buf, unsigned size) {
  char a[32], b[32];
  uint64_t page = (uint64_t)1 << l->page_size_log2;
  if (memory) {
    wd_format_size(l->min * page, a, sizeof a);
    if (l->has_max) {
      wd_format_size(l->max * page, b, sizeof b);
      snprintf(buf, size, _("initial %" PRIu64 " pages (%s), maximum %" PRIu64 " pages (%s)"),
               l->min, a, l->max, b);
    } else {
      snprintf(buf, size, _("initial %" PRIu64 " pages (%s), no maximum"), l->min, a);
    }
  } else if (l->has_max) {
    snprintf(buf, size, _("initial %" PRIu64 ", maximum %" PRIu64 "%s"), l->min, l->max,
             l->max == l->min ? _(" (cannot grow)") : "");
  } else {
    snprintf(buf, size, _("initial %" PRIu64 ", no maximum"), l->min);
  }
}

static void print_memory(const wd_module *m, const wd_term *t) {
  const wd_import *im;
  const wd_limits *mem = wd_module_memory0(m, &im);
  char lim[160];
  label(t, _("memory"));
  if (!mem) {
    fprintf(t->out, "%s\n", _("none"));
    return;
  }
  limits_str(mem, true, lim, sizeof lim);
  if (im)
    fprintf(t->out, _("imported from %.*s.%.*s"), (int)im->module.len, im->module.ptr,
            (int)im->name.len, im->name.ptr);
  else
    fprintf(t->out, "%s", _("defined in the module"));
  fprintf(t->out, ", %s%s%s%s, %s\n", wd_term_style(t, WD_STYLE_BOLD),
          mem->shared ? _("shared") : _("not shared"), wd_term_style(t, WD_STYLE_RESET),
          mem->is64 ? _(", 64-bit") : "", lim);
  if (m->nmemories > 1) {
    label(t, "");
    fprintf(t->out, _("and %u more memories\n"), m->nmemories - 1);
  }
  label(t, _("threads"));
  wd_module_role role = wd_module_role_of(m);
  if (mem->shared) {
    if (role == WD_ROLE_SIDE)
      fprintf(t->out, "%s\n", _("built with threads: it needs the main module's memory to be shared"));
    else
      fprintf(t->out, "%s\n", _("built with threads: needs SharedArrayBuffer, so the page must be cross-origin isolated (COOP same-origin + COEP require-corp)"));
  } else {
    if (role == WD_ROLE_SIDE)
      fprintf(t->out, "%s\n", _("built without threads: it needs the main module's memory to be unshared"));
    else
      fprintf(t->out, "%s\n", _("built without threads: runs without SharedArrayBuffer or cross-origin isolation"));
  }
}

static void print_table(const wd_module *m, const wd_term *t) {
  label(t, _("table"));
  if (m->ntables == 0) {
    fprintf(t->out, "%s\n", _("none"));
    return;
  }
  const wd_tabletype *tt = &m->table_types[0];
  char vt[48], lim[128];
  wd_valtype_str(tt->elem, vt, sizeof vt);
  limits_str(&tt->limits, false, lim, sizeof lim);
  const wd_import *im = NULL;
  for (uint32_t i = 0; i < m->nimports; i++)
    if (m->imports[i].kind == WD_EXTERN_TABLE && m->imports[i].kind_index == 0) im = &m->imports[i];
  if (im)
    fprintf(t->out, _("imported from %.*s.%.*s"), (int)im->module.len, im->module.ptr,
            (int)im->name.len, im->name.ptr);
  else
    fprintf(t->out, "%s", _("defined in the module"));
  fprintf(t->out, ", %s, %s", vt, lim);
  if (m->ntables > 1) fprintf(t->out, _(" (and %u more tables)"), m->ntables - 1);
  fputc('\n', t->out);
}

/* "env 313, wasi_snapshot_preview1 25" for the import modules */
static void print_import_modules(const wd_module *m, const wd_term *t) {
  enum { MAXMOD = 8 };
  wd_str names[MAXMOD];
  uint32_t counts[MAXMOD], nmods = 0, other = 0;
  for (uint32_t i = 0; i < m->nimports; i++) {
    wd_str mod = m->imports[i].module;
    uint32_t k;
    for (k = 0; k < nmods; k++)
      if (wd_str_eqs(names[k], mod)) break;
    if (k == nmods) {
      if (nmods == MAXMOD) {
        other++;
        continue;
      }
      names[k] = mod;
      counts[k] = 0;
      nmods++;
    }
    counts[k]++;
  }
  for (uint32_t k = 0; k < nmods; k++)
    fprintf(t->out, "%s\"%.*s\" %u", k ? ", " : "", (int)names[k].len, names[k].ptr, counts[k]);
  if (other) fprintf(t->out, _(", other modules %u"), other);
}

static void print_kind_counts(const wd_term *t, const uint32_t counts[5]) {
  bool first = true;
  for (int k = 0; k < 5; k++) {
    if (!counts[k]) continue;
    fprintf(t->out, "%s%s %u", first ? "" : ", ", wd_extern_kind_name((uint8_t)k), counts[k]);
    first = false;
  }
}

static void print_dylink(const wd_module *m, const wd_term *t) {
  const wd_dylink *d = &m->dylink;
  label(t, d->legacy ? "dylink" : "dylink.0");
  if (!d->present) {
    fprintf(t->out, "%s\n", _("none (not built for dynamic linking)"));
    return;
  }
  fprintf(t->out, _("memory %u bytes (alignment 2^%u), table %u slots (alignment 2^%u)"),
          d->mem_size, d->mem_align, d->table_size, d->table_align);
  uint32_t weak = 0, tls_imp = 0, tls_exp = 0;
  for (uint32_t i = 0; i < d->nimport_info; i++) {
    if (d->import_info[i].flags & WD_SYM_BINDING_WEAK) weak++;
    if (d->import_info[i].flags & WD_SYM_TLS) tls_imp++;
  }
  for (uint32_t i = 0; i < d->nexport_info; i++)
    if (d->export_info[i].flags & WD_SYM_TLS) tls_exp++;
  if (weak) fprintf(t->out, P_("; %u weak import", "; %u weak imports", weak), weak);
  if (tls_imp) fprintf(t->out, P_("; %u TLS import", "; %u TLS imports", tls_imp), tls_imp);
  if (tls_exp) fprintf(t->out, P_("; %u TLS export", "; %u TLS exports", tls_exp), tls_exp);
  fputc('\n', t->out);
  if (d->nneeded) {
    label(t, _("needed"));
    for (uint32_t i = 0; i < d->nneeded; i++)
      fprintf(t->out, "%s%.*s", i ? ", " : "", (int)d->needed[i].len, d->needed[i].ptr);
    fputc('\n', t->out);
  }
}

static void print_features_line(const wd_module *m, const wd_term *t) {
  label(t, _("features"));
  if (!m->features) {
    fprintf(t->out, "%s", _("WebAssembly 1.0 (MVP) only"));
  } else {
    bool first = true;
    for (unsigned f = 0; f < WD_FEAT_COUNT; f++) {
      if (!(m->features & (1u << f))) continue;
      fprintf(t->out, "%s%s", first ? "" : ", ", wd_feature_get((wd_feature)f)->key);
      first = false;
    }
  }
  if (!m->code.decoded && m->nbodies)
    fprintf(t->out, " %s%s%s", wd_term_style(t, WD_STYLE_DIM), _("(code not decoded)"),
            wd_term_style(t, WD_STYLE_RESET));
  fputc('\n', t->out);
  label(t, _("browsers"));
  for (int b = 0; b < WD_BROWSER_COUNT; b++) {
    char v[16];
    wd_browser_version ver = wd_features_min_browser(m->features, (wd_browser)b);
    wd_browser_version_str(ver, v, sizeof v);
    if (ver)
      fprintf(t->out, "%s%s %s+", b ? ", " : "", wd_browser_name((wd_browser)b), v);
    else
      fprintf(t->out, "%s%s%s %s%s", b ? ", " : "", wd_term_style(t, WD_STYLE_RED),
              wd_browser_name((wd_browser)b), _("(no release runs it)"),
              wd_term_style(t, WD_STYLE_RESET));
  }
  fputc('\n', t->out);
}

static void print_summary(const wd_module *m, const char *name, const wd_term *t) {
  char sz[32];
  wd_format_size(m->size, sz, sizeof sz);
  fprintf(t->out, _("%s%s%s: WebAssembly module, %" PRIu64 " bytes (%s)\n"),
          wd_term_style(t, WD_STYLE_BOLD), name, wd_term_style(t, WD_STYLE_RESET), m->size, sz);
  label(t, _("kind"));
  fprintf(t->out, "%s\n", wd_module_role_name(wd_module_role_of(m)));
  print_memory(m, t);
  print_table(m, t);

  label(t, _("functions"));
  fprintf(t->out, _("%u defined, %u imported; %u types\n"), m->nfuncs - m->nimported_funcs,
          m->nimported_funcs, m->ntypes);

  uint32_t counts[5] = {0};
  for (uint32_t i = 0; i < m->nimports; i++) counts[m->imports[i].kind]++;
  label(t, _("imports"));
  fprintf(t->out, "%u", m->nimports);
  if (m->nimports) {
    fprintf(t->out, " (");
    print_kind_counts(t, counts);
    fprintf(t->out, _(") from "));
    print_import_modules(m, t);
  }
  fputc('\n', t->out);

  memset(counts, 0, sizeof counts);
  for (uint32_t i = 0; i < m->nexports; i++) counts[m->exports[i].kind]++;
  label(t, _("exports"));
  fprintf(t->out, "%u", m->nexports);
  if (m->nexports) {
    fprintf(t->out, " (");
    print_kind_counts(t, counts);
    fprintf(t->out, ")");
  }
  fputc('\n', t->out);

  if (m->nbodies) {
    label(t, _("code"));
    wd_format_size(m->code.bytes, sz, sizeof sz);
    if (m->code.decoded)
      fprintf(t->out, _("%s, %" PRIu64 " instructions decoded, nesting depth up to %u\n"), sz,
              m->code.instructions, m->code.max_depth);
    else
      fprintf(t->out, _("%s (not decoded)\n"), sz);
  }
  if (m->ndatas) {
    uint64_t bytes = 0;
    for (uint32_t i = 0; i < m->ndatas; i++) bytes += m->datas[i].size;
    wd_format_size(bytes, sz, sizeof sz);
    label(t, _("data"));
    fprintf(t->out, P_("%u segment, %s\n", "%u segments, %s\n", m->ndatas), m->ndatas, sz);
  }
  print_dylink(m, t);
  char prod[256];
  wd_module_producers_str(m, prod, sizeof prod);
  label(t, _("producers"));
  fprintf(t->out, "%s\n", prod[0] ? prod : _("not recorded"));
  print_features_line(m, t);
  if (m->nwarnings) {
    label(t, _("warnings"));
    for (uint32_t i = 0; i < m->nwarnings; i++) {
      char *msg = wd_msg_str(&m->warnings[i].msg, false);
      fprintf(t->out, "%s%s%s: %s (offset 0x%" PRIx64 ")\n", i ? "             " : "",
              wd_term_style(t, WD_STYLE_YELLOW), m->warnings[i].where, msg ? msg : "",
              m->warnings[i].offset);
      free(msg);
    }
    fprintf(t->out, "%s", wd_term_style(t, WD_STYLE_RESET));
  }
}

static void print_sections(const wd_module *m, const wd_term *t) {
  fprintf(t->out, _("%sSections%s (%u):\n"), wd_term_style(t, WD_STYLE_BOLD),
          wd_term_style(t, WD_STYLE_RESET), m->nsections);
  for (uint32_t i = 0; i < m->nsections; i++) {
    const wd_section *s = &m->sections[i];
    fprintf(t->out, "  %-9s start=0x%08" PRIx64 " end=0x%08" PRIx64 " (size=0x%08" PRIx64 ")",
            wd_section_name(s->id), s->payload_offset, s->payload_offset + s->size, s->size);
    if (s->id == WD_SEC_CUSTOM)
      fprintf(t->out, " \"%.*s\"", (int)s->name.len, s->name.ptr);
    else if (s->id == WD_SEC_START)
      fprintf(t->out, _(" start: %u"), m->start);
    else
      fprintf(t->out, _(" count: %u"), s->count);
    fputc('\n', t->out);
  }
}

static void print_imports(const wd_module *m, const wd_term *t) {
  fprintf(t->out, _("%sImports%s (%u):\n"), wd_term_style(t, WD_STYLE_BOLD),
          wd_term_style(t, WD_STYLE_RESET), m->nimports);
  char buf[256], lim[160];
  for (uint32_t i = 0; i < m->nimports; i++) {
    const wd_import *im = &m->imports[i];
    fprintf(t->out, "  #%-5u %-6s %u  \"%.*s\" \"%.*s\"  ", i, wd_extern_kind_name(im->kind),
            im->kind_index, (int)im->module.len, im->module.ptr, (int)im->name.len,
            im->name.ptr);
    switch (im->kind) {
    case WD_EXTERN_FUNC:
      wd_functype_str(&m->types[im->u.func_type], buf, sizeof buf);
      fprintf(t->out, "type %u %s", im->u.func_type, buf);
      break;
    case WD_EXTERN_TABLE:
      wd_valtype_str(im->u.table.elem, buf, sizeof buf);
      limits_str(&im->u.table.limits, false, lim, sizeof lim);
      fprintf(t->out, "%s, %s", buf, lim);
      break;
    case WD_EXTERN_MEMORY:
      limits_str(&im->u.memory, true, lim, sizeof lim);
      fprintf(t->out, "%s%s%s", im->u.memory.shared ? _("shared, ") : "",
              im->u.memory.is64 ? "i64, " : "", lim);
      break;
    case WD_EXTERN_GLOBAL:
      wd_valtype_str(im->u.global.type, buf, sizeof buf);
      fprintf(t->out, "%s%s", im->u.global.is_mutable ? "mut " : "", buf);
      break;
    case WD_EXTERN_TAG:
      wd_functype_str(&m->types[im->u.tag.type], buf, sizeof buf);
      fprintf(t->out, "type %u %s", im->u.tag.type, buf);
      break;
    }
    fputc('\n', t->out);
  }
}

static void print_exports(const wd_module *m, const wd_term *t) {
  fprintf(t->out, _("%sExports%s (%u):\n"), wd_term_style(t, WD_STYLE_BOLD),
          wd_term_style(t, WD_STYLE_RESET), m->nexports);
  char buf[256];
  for (uint32_t i = 0; i < m->nexports; i++) {
    const wd_export *e = &m->exports[i];
    fprintf(t->out, "  %-6s %-6u \"%.*s\"", wd_extern_kind_name(e->kind), e->index,
            (int)e->name.len, e->name.ptr);
    if (e->kind == WD_EXTERN_FUNC) {
      const wd_type *ft = wd_module_func_type(m, e->index);
      if (ft) {
        wd_functype_str(ft, buf, sizeof buf);
        fprintf(t->out, "  %s", buf);
      }
    } else if (e->kind == WD_EXTERN_GLOBAL && e->index < m->nglobals) {
      wd_valtype_str(m->global_types[e->index].type, buf, sizeof buf);
      fprintf(t->out, "  %s%s", m->global_types[e->index].is_mutable ? "mut " : "", buf);
    }
    fputc('\n', t->out);
  }
}

static void print_features(const wd_module *m, const wd_term *t) {
  fprintf(t->out, _("%sFeatures%s (browser versions from %s):\n"),
          wd_term_style(t, WD_STYLE_BOLD), wd_term_style(t, WD_STYLE_RESET),
          wd_features_table_source());
  fprintf(t->out, "  ");
  wd_text_pad(t->out, _("feature"), 28);
  fprintf(t->out, " %-8s %-8s %-8s %s\n", "Chrome", "Firefox", "Safari", _("first seen"));
  for (unsigned f = 0; f < WD_FEAT_COUNT; f++) {
    const wd_feature_info *fi = wd_feature_get((wd_feature)f);
    bool used = m->features & (1u << f);
    char v[WD_BROWSER_COUNT][16];
    for (int b = 0; b < WD_BROWSER_COUNT; b++) wd_browser_version_str(fi->since[b], v[b], 16);
    fprintf(t->out, "  %s%-28s %-8s %-8s %-8s ", used ? "" : wd_term_style(t, WD_STYLE_DIM),
            fi->key, v[0], v[1], v[2]);
    if (!used) fprintf(t->out, "%s", _("not used"));
    else if (m->feature_first_func[f] >= 0)
      fprintf(t->out, _("function %lld"), (long long)m->feature_first_func[f]);
    else fprintf(t->out, "%s", _("types, imports or sections"));
    fprintf(t->out, "%s\n", wd_term_style(t, WD_STYLE_RESET));
  }
  if (m->ntarget_features) {
    fprintf(t->out, _("  target_features section (what the toolchain was told): "));
    for (uint32_t i = 0; i < m->ntarget_features; i++)
      fprintf(t->out, "%s%c%.*s", i ? " " : "", m->target_features[i].prefix,
              (int)m->target_features[i].name.len, m->target_features[i].name.ptr);
    fputc('\n', t->out);
  }
}

void wd_inspect_text(const wd_module *m, const char *name, const wd_inspect_options *o,
                     const wd_term *t) {
  bool any = false;
  if (o->summary) {
    print_summary(m, name, t);
    any = true;
  }
  if (o->sections) {
    if (any) fputc('\n', t->out);
    print_sections(m, t);
    any = true;
  }
  if (o->imports) {
    if (any) fputc('\n', t->out);
    print_imports(m, t);
    any = true;
  }
  if (o->exports) {
    if (any) fputc('\n', t->out);
    print_exports(m, t);
    any = true;
  }
  if (o->features) {
    if (any) fputc('\n', t->out);
    print_features(m, t);
  }
}
