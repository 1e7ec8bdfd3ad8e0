/*
 * The load chain as an SVG, drawn top to bottom:
 *
 *   [ page: index.html                     memory     verdict ]
 *     |
 *   [ JS glue: index.js                                        ]
 *     |                                   (a failing edge is red and
 *   [ engine: index.wasm                   dashed, with the browser's
 *     |                                    message beside it)
 *   [ engine side: index.side.wasm                             ]
 *     +--> [ GDExtension: libfoo.wasm                          ]
 *     +--> [ GDExtension: libbar.wasm                          ]
 *
 * Extensions hang off a bus from the last node before them (the engine
 * loads each one); a page or a preset starts a new chain. Text is measured
 * in monospace cells where it must fit (names, messages), so the layout
 * does not depend on the fonts of the machine that opens the report.
 */
#include <stdio.h>
#include <string.h>

#include "common/i18n.h"
#include "common/str.h"
#include "report/html_int.h"

enum {
  VW = 960,          /* viewBox width */
  M = 16,            /* margin */
  AX = M + 28,       /* x of the vertical edges and the bus */
  EXT_X = M + 84,    /* left of an extension node */
  MSG_X = EXT_X,     /* left of an edge's message */
  NODE_H = 72,
  GAP = 34,          /* between two nodes joined by an ordinary edge */
  ROOT_GAP = 30,     /* before a node that starts a new chain */
  MID_X = 548,       /* second column of a node: memory, Emscripten */
  RIGHT_X = VW - M - 18,
  MSG_LINE = 17,
  MSG_CHARS = 108    /* 12.5px DejaVu Sans Mono is 7.53px a cell */
};

/* fill, stroke, text colour of a verdict (WCAG AA on the fill) */
static const char *const fill_of[] = {"#edf7ee", "#fff6e5", "#fdeeee"};
static const char *const line_of[] = {"#2e7d32", "#a15c00", "#b3261e"};
static const char *const text_of[] = {"#1b5e20", "#6e3f00", "#8c1d18"};

const char *wdi_chain_kind_label(wd_chain_kind k) {
  switch (k) {
  case WD_CHAIN_PAGE: return _("page (HTML shell)");
  case WD_CHAIN_GLUE: return _("JavaScript glue");
  case WD_CHAIN_MAIN: return _("engine (main module)");
  case WD_CHAIN_ENGINE_SIDE: return _("engine side module");
  case WD_CHAIN_EXTENSION: return _("GDExtension");
  case WD_CHAIN_PRESET: return _("Web export preset");
  case WD_CHAIN_TEMPLATE: return _("export template");
  }
  return "?";
}

static bool is_module(wd_chain_kind k) {
  return k == WD_CHAIN_MAIN || k == WD_CHAIN_ENGINE_SIDE || k == WD_CHAIN_EXTENSION || k == WD_CHAIN_TEMPLATE;
}

static bool is_root(wd_chain_kind k) {
  return k == WD_CHAIN_PAGE || k == WD_CHAIN_PRESET;
}

static int verdict_of(const wd_chain_node *n) {
  return n->has_findings ? (int)n->verdict : 0;
}

static const char *verdict_word(int v) {
  return v == 2 ? _("error") : v == 1 ? _("warning") : _("OK");
}

/* What a file is, by its name: the line a module's memory takes for the
 * files of the chain that are not modules. */
static const char *file_label(const char *file) {
  const char *slash = strrchr(file, '/');
  const char *base = slash ? slash + 1 : file;
  if (!strcmp(base, "export_presets.cfg")) return _("export preset (export_presets.cfg)");
  if (!strcmp(base, "project.godot")) return _("project file (project.godot)");
  if (wd_ends_with(base, ".gdextension")) return _("GDExtension description (.gdextension)");
  if (wd_ends_with(base, ".html") || wd_ends_with(base, ".htm")) return _("HTML shell");
  if (wd_ends_with(base, ".js")) return _("JavaScript glue (Emscripten)");
  if (wd_ends_with(base, ".pck")) return _("Godot pack (.pck)");
  if (wd_ends_with(base, ".wasm")) return _("WebAssembly module");
  return _("file");
}

static const char *memory_line(const wd_chain_node *n) {
  if (n->shared == 1) return _("shared memory \xc2\xb7 threads");
  if (n->shared == 0) return _("memory not shared \xc2\xb7 no threads");
  if (is_module(n->kind)) return _("memory unknown");
  return file_label(n->file[0] ? n->file : n->name);
}

static void second_line(const wd_chain_node *n, const wd_check_summary *s, char *buf, size_t size) {
  buf[0] = '\0';
  switch (n->kind) {
  case WD_CHAIN_MAIN:
  case WD_CHAIN_ENGINE_SIDE:
  case WD_CHAIN_EXTENSION:
    if (n->emscripten[0]) snprintf(buf, size, _("Emscripten %s"), n->emscripten);
    else snprintf(buf, size, "%s", _("Emscripten version not recorded"));
    break;
  case WD_CHAIN_TEMPLATE:
    if (n->emscripten[0]) snprintf(buf, size, _("Emscripten %s"), n->emscripten);
    else snprintf(buf, size, "%s", _("Emscripten of Godot's template"));
    break;
  case WD_CHAIN_PAGE:
    if (s->threads == 1) snprintf(buf, size, "%s", _("needs COOP/COEP headers (threads)"));
    else if (s->threads == 0) snprintf(buf, size, "%s", _("no special headers needed"));
    break;
  case WD_CHAIN_PRESET:
    if (s->threads >= 0) snprintf(buf, size, "%s", s->threads ? _("Thread Support on") : _("Thread Support off"));
    break;
  case WD_CHAIN_GLUE: break;
  }
}

/* At most `max` code points of s; longer ones keep their start and end with
 * an ellipsis between (file names differ at both ends). */
static void fitted(wdi_html *h, const char *s, size_t max) {
  size_t len = strlen(s), n = wdi_utf8_count(s, len);
  if (n <= max || max < 5) {
    wdi_h_text(h, s);
    return;
  }
  size_t tail = (max - 1) * 2 / 5, head = max - 1 - tail;
  size_t hb = wdi_utf8_prefix(s, len, head), tb = wdi_utf8_prefix(s, len, n - tail);
  wdi_h_textn(h, s, hb);
  wdi_h_raw(h, "\xe2\x80\xa6");
  wdi_h_textn(h, s + tb, len - tb);
}

/* Break `s` into lines of at most `width` code points, at spaces where
 * possible. Returns the count; fills starts/lengths (byte offsets) up to
 * `max` lines, the last one cut with an ellipsis when there is more. */
static unsigned wrap(const char *s, size_t width, size_t *starts, size_t *lens, unsigned max, bool *cut) {
  size_t len = strlen(s), pos = 0;
  unsigned k = 0;
  *cut = false;
  while (pos < len && k < max) {
    while (pos < len && s[pos] == ' ') pos++;
    if (pos >= len) break;
    size_t take = wdi_utf8_prefix(s + pos, len - pos, width);
    if (pos + take < len) {
      size_t sp = take;
      while (sp > 0 && s[pos + sp] != ' ') sp--;
      if (sp > width / 3) take = sp;
    }
    starts[k] = pos;
    lens[k] = take;
    k++;
    pos += take;
  }
  while (pos < len && s[pos] == ' ') pos++;
  if (pos < len) *cut = true;
  return k;
}

typedef struct node_pos {
  int x, y, w;
  int parent;        /* index of the node the edge comes from, or -1 */
  unsigned nlines;   /* lines of the edge message */
  size_t starts[4], lens[4];
  bool cut;
} node_pos;

void wdi_html_chain_svg(wdi_html *h, const wd_check_summary *s, const char *subject) {
  node_pos pos[WD_CHAIN_MAX];
  uint32_t n = s->nchain < WD_CHAIN_MAX ? s->nchain : WD_CHAIN_MAX;
  int y = M, last_spine = -1;
  for (uint32_t i = 0; i < n; i++) {
    const wd_chain_node *c = &s->chain[i];
    node_pos *p = &pos[i];
    memset(p, 0, sizeof *p);
    bool ext = c->kind == WD_CHAIN_EXTENSION;
    p->parent = is_root(c->kind) ? -1 : ext ? last_spine : (i > 0 ? last_spine : -1);
    if (c->edge_message[0] && p->parent >= 0)
      p->nlines = wrap(c->edge_message, MSG_CHARS, p->starts, p->lens, 4, &p->cut);
    if (i > 0) {
      if (p->parent < 0) y += ROOT_GAP;
      else if (p->nlines) y += 14 + 18 + MSG_LINE * (int)p->nlines + 12;
      else y += ext ? 22 : GAP;
    }
    p->x = ext ? EXT_X : M;
    p->w = VW - M - p->x;
    p->y = y;
    y += NODE_H;
    if (!ext) last_spine = (int)i;
  }
  int height = y + M;

  wdi_h_rawf(h, "<svg id=\"load-chain\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
                "width=\"%d\" height=\"%d\" role=\"img\" aria-labelledby=\"load-chain-title load-chain-desc\">\n",
             VW, height, VW, height);
  wdi_h_raw(h, "<title id=\"load-chain-title\">");
  wdi_h_textf(h, _("Load chain of %s"), subject);
  wdi_h_raw(h, "</title>\n<desc id=\"load-chain-desc\">");
  /* the whole diagram in words, for screen readers */
  for (uint32_t i = 0; i < n; i++) {
    const wd_chain_node *c = &s->chain[i];
    char second[160];
    second_line(c, s, second, sizeof second);
    if (i) wdi_h_raw(h, pos[i].parent < 0 ? ". " : c->kind == WD_CHAIN_EXTENSION ? "; " : " \xe2\x86\x92 ");
    wdi_h_textf(h, "%s %s (%s%s%s; %s)", wdi_chain_kind_label(c->kind), c->name, memory_line(c),
                second[0] ? ", " : "", second, verdict_word(verdict_of(c)));
    if (c->edge_message[0] && pos[i].parent >= 0) {
      wdi_h_raw(h, " ");
      wdi_h_textf(h, _("the browser stops loading %s: %s"), c->name, c->edge_message);
    }
  }
  wdi_h_raw(h, "</desc>\n");
  wdi_h_raw(h, "<style>\n"
               "#load-chain text{font-family:system-ui,\"DejaVu Sans\",\"Segoe UI\",Roboto,sans-serif;fill:#15181d}\n"
               "#load-chain .kind{font-size:12.5px;font-weight:600;fill:#4a5160}\n"
               "#load-chain .name{font-family:\"DejaVu Sans Mono\",ui-monospace,Menlo,Consolas,monospace;"
               "font-size:14.5px;font-weight:700}\n"
               "#load-chain .mem{font-size:13.5px}\n"
               "#load-chain .mem.differs{font-weight:700;fill:#8c1d18}\n"
               "#load-chain .sub{font-size:13px;fill:#4a5160}\n"
               "#load-chain .verdict{font-size:14px;font-weight:700}\n"
               "#load-chain .edge-label{font-size:13px;font-weight:700;fill:#8c1d18}\n"
               "#load-chain .edge-message{font-family:\"DejaVu Sans Mono\",ui-monospace,Menlo,Consolas,monospace;"
               "font-size:12.5px;fill:#8c1d18}\n"
               "</style>\n"
               "<defs>\n"
               "<marker id=\"wd-arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" "
               "markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#6b7280\"/></marker>\n"
               "<marker id=\"wd-arrow-fail\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"6\" "
               "markerHeight=\"6\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#b3261e\"/></marker>\n"
               "</defs>\n");

  /* buses: one per run of extensions, from their parent to the last of them */
  for (uint32_t i = 0; i < n; i++) {
    if (s->chain[i].kind != WD_CHAIN_EXTENSION || pos[i].parent < 0) continue;
    if (i + 1 < n && s->chain[i + 1].kind == WD_CHAIN_EXTENSION && pos[i + 1].parent == pos[i].parent) continue;
    const node_pos *par = &pos[pos[i].parent];
    wdi_h_rawf(h, "<path class=\"bus\" d=\"M%d %d V%d\" stroke=\"#6b7280\" stroke-width=\"2\" fill=\"none\"/>\n", AX,
               par->y + NODE_H, pos[i].y + NODE_H / 2);
  }

  /* edges */
  for (uint32_t i = 0; i < n; i++) {
    const wd_chain_node *c = &s->chain[i];
    const node_pos *p = &pos[i];
    if (p->parent < 0) continue;
    const wd_chain_node *from = &s->chain[p->parent];
    const node_pos *fp = &pos[p->parent];
    bool fail = c->edge_message[0] != '\0';
    bool ext = c->kind == WD_CHAIN_EXTENSION;
    wdi_h_raw(h, "<g class=\"edge\" data-from=\"");
    wdi_h_text(h, from->name);
    wdi_h_raw(h, "\" data-to=\"");
    wdi_h_text(h, c->name);
    wdi_h_rawf(h, "\" data-status=\"%s\">", fail ? "fail" : "ok");
    const char *stroke = fail ? "#b3261e" : "#6b7280";
    const char *attrs = fail ? " stroke-width=\"3\" stroke-dasharray=\"7 4\"" : " stroke-width=\"2\"";
    const char *marker = fail ? "wd-arrow-fail" : "wd-arrow";
    int mx, my; /* where the failure mark goes */
    if (ext) {
      wdi_h_rawf(h, "<path d=\"M%d %d H%d\" stroke=\"%s\"%s fill=\"none\" marker-end=\"url(#%s)\"/>", AX,
                 p->y + NODE_H / 2, EXT_X - 1, stroke, attrs, marker);
      mx = (AX + EXT_X) / 2;
      my = p->y + NODE_H / 2;
    } else {
      wdi_h_rawf(h, "<path d=\"M%d %d V%d\" stroke=\"%s\"%s fill=\"none\" marker-end=\"url(#%s)\"/>", AX,
                 fp->y + NODE_H, p->y - 1, stroke, attrs, marker);
      mx = AX;
      my = (fp->y + NODE_H + p->y) / 2;
    }
    if (fail) {
      /* a cross on the edge, then the browser's words */
      wdi_h_rawf(h, "<circle cx=\"%d\" cy=\"%d\" r=\"9\" fill=\"#fff\" stroke=\"#b3261e\" stroke-width=\"2\"/>"
                    "<path d=\"M%d %d l8 8 M%d %d l-8 8\" stroke=\"#b3261e\" stroke-width=\"2.5\"/>",
                 mx, my, mx - 4, my - 4, mx + 4, my - 4);
      int ty = ext ? p->y - 12 - MSG_LINE * (int)p->nlines : fp->y + NODE_H + 14 + 13;
      wdi_h_rawf(h, "<text class=\"edge-label\" x=\"%d\" y=\"%d\">", MSG_X, ty);
      wdi_h_text(h, _("The browser stops here:"));
      wdi_h_raw(h, "</text>");
      wdi_h_rawf(h, "<text class=\"edge-message\" x=\"%d\" y=\"%d\">", MSG_X, ty + 18);
      for (unsigned k = 0; k < p->nlines; k++) {
        wdi_h_rawf(h, "<tspan x=\"%d\" dy=\"%d\">", MSG_X, k ? MSG_LINE : 0);
        wdi_h_textn(h, c->edge_message + p->starts[k], p->lens[k]);
        if (k + 1 == p->nlines && p->cut) wdi_h_raw(h, "\xe2\x80\xa6");
        /* the space the line was broken at stays, so that the selected
         * text reads as the message */
        if (k + 1 < p->nlines && c->edge_message[p->starts[k] + p->lens[k]] == ' ') wdi_h_raw(h, " ");
        wdi_h_raw(h, "</tspan>");
      }
      wdi_h_raw(h, "</text>");
    }
    wdi_h_raw(h, "</g>\n");
  }

  /* the engine's memory (the main module, or a project's template), to
   * show a node whose memory differs from it */
  int engine_shared = -1;
  for (uint32_t i = 0; i < n && engine_shared < 0; i++)
    if (s->chain[i].kind == WD_CHAIN_MAIN || s->chain[i].kind == WD_CHAIN_TEMPLATE) engine_shared = s->chain[i].shared;

  /* nodes */
  for (uint32_t i = 0; i < n; i++) {
    const wd_chain_node *c = &s->chain[i];
    const node_pos *p = &pos[i];
    int v = verdict_of(c);
    char second[160];
    second_line(c, s, second, sizeof second);
    wdi_h_rawf(h, "<g class=\"node\" data-kind=\"%s\" data-name=\"", wd_chain_kind_key(c->kind));
    wdi_h_text(h, c->name);
    wdi_h_rawf(h, "\" data-verdict=\"%s\" data-shared=\"%s\">", v == 2 ? "error" : v == 1 ? "warning" : "ok",
               c->shared == 1 ? "true" : c->shared == 0 ? "false" : "unknown");
    wdi_h_raw(h, "<title>");
    wdi_h_textf(h, "%s: %s\n%s%s%s\n%s", wdi_chain_kind_label(c->kind), c->name, memory_line(c),
                second[0] ? "\n" : "", second, verdict_word(v));
    wdi_h_raw(h, "</title>");
    wdi_h_rawf(h, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"9\" fill=\"%s\" stroke=\"%s\" "
                  "stroke-width=\"%s\"/>",
               p->x, p->y, p->w, NODE_H, fill_of[v], line_of[v], v == 2 ? "2.5" : "1.5");
    wdi_h_rawf(h, "<rect x=\"%d\" y=\"%d\" width=\"5\" height=\"%d\" rx=\"2.5\" fill=\"%s\"/>", p->x + 7, p->y + 9,
               NODE_H - 18, line_of[v]);
    wdi_h_rawf(h, "<text class=\"kind\" x=\"%d\" y=\"%d\">", p->x + 22, p->y + 26);
    wdi_h_text(h, wdi_chain_kind_label(c->kind));
    wdi_h_raw(h, "</text>");
    /* 14.5px monospace: 8.73px a cell */
    size_t cells = (size_t)(MID_X - 24 - (p->x + 22)) * 100 / 873;
    wdi_h_rawf(h, "<text class=\"name\" x=\"%d\" y=\"%d\">", p->x + 22, p->y + 51);
    fitted(h, c->name, cells);
    wdi_h_raw(h, "</text>");
    bool differs = c->shared >= 0 && engine_shared >= 0 && c->shared != engine_shared;
    wdi_h_rawf(h, "<text class=\"mem%s\" x=\"%d\" y=\"%d\">", differs ? " differs" : "", MID_X,
               p->y + (second[0] ? 30 : 41));
    fitted(h, memory_line(c), 40);
    wdi_h_raw(h, "</text>");
    if (second[0]) {
      wdi_h_rawf(h, "<text class=\"sub\" x=\"%d\" y=\"%d\">", MID_X, p->y + 52);
      fitted(h, second, 40);
      wdi_h_raw(h, "</text>");
    }
    wdi_h_rawf(h, "<text class=\"verdict\" x=\"%d\" y=\"%d\" text-anchor=\"end\" style=\"fill:%s\">", RIGHT_X,
               p->y + 41, text_of[v]);
    wdi_h_raw(h, v == 2 ? "\xe2\x9c\x95 " : v == 1 ? "\xe2\x9a\xa0 " : "\xe2\x9c\x93 ");
    fitted(h, verdict_word(v), 12);
    wdi_h_raw(h, "</text></g>\n");
  }
  wdi_h_raw(h, "</svg>\n");
}
