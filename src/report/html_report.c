/*
 * The HTML report: the page, the summary verdict, the findings with their
 * fixes side by side, and saving it atomically. The load-chain SVG is in
 * html_chain.c, the raw module facts in html_facts.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/atomic.h"
#include "common/i18n.h"
#include "report/html_int.h"
#include "wd_config.h"

/* ---- escaping ---------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when the bytes there
 * are not UTF-8 (overlong forms, surrogates and values past U+10FFFF
 * included). */
static size_t utf8_seq(const unsigned char *s, size_t left, unsigned long *cp) {
  unsigned char c = s[0];
  size_t n;
  unsigned long v, min;
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  if (c >= 0xc2 && c <= 0xdf) n = 2, v = c & 0x1f, min = 0x80;
  else if (c >= 0xe0 && c <= 0xef) n = 3, v = c & 0x0f, min = 0x800;
  else if (c >= 0xf0 && c <= 0xf4) n = 4, v = c & 0x07, min = 0x10000;
  else return 0;
  if (left < n) return 0;
  for (size_t i = 1; i < n; i++) {
    if ((s[i] & 0xc0) != 0x80) return 0;
    v = (v << 6) | (s[i] & 0x3f);
  }
  if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return 0;
  *cp = v;
  return n;
}

size_t wdi_utf8_prefix(const char *s, size_t len, size_t max) {
  size_t i = 0, k = 0;
  const unsigned char *u = (const unsigned char *)s;
  while (i < len && k < max) {
    unsigned long cp;
    size_t n = utf8_seq(u + i, len - i, &cp);
    i += n ? n : 1;
    k++;
  }
  return i;
}

size_t wdi_utf8_count(const char *s, size_t len) {
  size_t i = 0, k = 0;
  const unsigned char *u = (const unsigned char *)s;
  while (i < len) {
    unsigned long cp;
    size_t n = utf8_seq(u + i, len - i, &cp);
    i += n ? n : 1;
    k++;
  }
  return k;
}

/* Hand-written rather than a library's: Debian has no small C library for
 * HTML escaping (libxml2's xmlEncodeEntitiesReentrant needs a document and
 * passes bytes that are not UTF-8 through), and the rules are five
 * entities plus UTF-8 validation; tests/unit/test_html.c covers them. */
int wdi_html_escape_buf(wd_buf *b, const char *s, size_t len) {
  static const char replacement[] = "\xef\xbf\xbd"; /* U+FFFD */
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0, run = 0; /* bytes [i - run, i) are copied as they are */
  while (i < len) {
    unsigned long cp;
    size_t n = utf8_seq(u + i, len - i, &cp);
    const char *rep = NULL;
    if (n == 1) {
      switch (u[i]) {
      case '&': rep = "&amp;"; break;
      case '<': rep = "&lt;"; break;
      case '>': rep = "&gt;"; break;
      case '"': rep = "&quot;"; break;
      case '\'': rep = "&#39;"; break;
      case '\t':
      case '\n': break;
      default:
        if (u[i] < 0x20 || u[i] == 0x7f) rep = replacement;
      }
    } else if (n == 0) {
      rep = replacement;
      n = 1;
    } else if (cp >= 0x80 && cp <= 0x9f) {
      rep = replacement; /* C1 controls */
    }
    if (rep) {
      if (run && wd_buf_append(b, s + i - run, run)) return -1;
      run = 0;
      if (wd_buf_puts(b, rep)) return -1;
    } else {
      run += n;
    }
    i += n;
  }
  if (run && wd_buf_append(b, s + i - run, run)) return -1;
  return 0;
}

char *wd_html_escape(const char *s, size_t len) {
  wd_buf b = WD_BUF_INIT;
  if (wdi_html_escape_buf(&b, s ? s : "", s ? len : 0)) {
    wd_buf_release(&b);
    return NULL;
  }
  return wd_buf_detach(&b, NULL);
}

/* ---- the output buffer -------------------------------------------------- */

void wdi_h_raw(wdi_html *h, const char *s) {
  if (!h->failed && wd_buf_puts(&h->b, s)) h->failed = true;
}

void wdi_h_rawf(wdi_html *h, const char *fmt, ...) {
  if (h->failed) return;
  va_list ap;
  va_start(ap, fmt);
  if (wd_buf_vprintf(&h->b, fmt, ap)) h->failed = true;
  va_end(ap);
}

void wdi_h_textn(wdi_html *h, const char *s, size_t n) {
  if (!h->failed && s && wdi_html_escape_buf(&h->b, s, n)) h->failed = true;
}

void wdi_h_text(wdi_html *h, const char *s) {
  if (s) wdi_h_textn(h, s, strlen(s));
}

void wdi_h_textf(wdi_html *h, const char *fmt, ...) {
  if (h->failed) return;
  wd_buf t = WD_BUF_INIT;
  va_list ap;
  va_start(ap, fmt);
  int rc = wd_buf_vprintf(&t, fmt, ap);
  va_end(ap);
  if (rc) h->failed = true;
  else wdi_h_textn(h, t.data, t.len);
  wd_buf_release(&t);
}

/* ---- the page ------------------------------------------------------------ */

/* Colours are chosen for WCAG AA contrast (4.5:1 and more for every text on
 * its background); tests/html checks them with axe-core and, for the SVG,
 * with its own contrast computation. */
static const char css[] =
  ":root{--fg:#15181d;--muted:#4a5160;--bg:#f4f5f7;--card:#fff;--line:#d5d9e0;"
  "--err:#8c1d18;--err-bg:#fdeeee;--err-line:#b3261e;--warn:#6e3f00;--warn-bg:#fff6e5;--warn-line:#a15c00;"
  "--ok:#1b5e20;--ok-bg:#edf7ee;--ok-line:#2e7d32;--info:#1d4f91;--info-bg:#edf2fb;--info-line:#3a6fc4}\n"
  "*{box-sizing:border-box}\n"
  "html{-webkit-text-size-adjust:100%}\n"
  "body{margin:0;background:var(--bg);color:var(--fg);"
  "font:16px/1.55 system-ui,-apple-system,\"Segoe UI\",\"DejaVu Sans\",Roboto,Helvetica,Arial,sans-serif;"
  "overflow-wrap:anywhere}\n"
  "code,pre,kbd,.mono{font-family:ui-monospace,\"DejaVu Sans Mono\",Menlo,Consolas,monospace;font-size:.88em}\n"
  ".wrap{max-width:64rem;margin:0 auto;padding:0 1.25rem}\n"
  "header.top{background:#1d2330;color:#fff;padding:1.4rem 0 1.5rem}\n"
  "header.top .brand{margin:0;font-size:.9rem;letter-spacing:.04em;color:#d7dce6}\n"
  "header.top h1{margin:.2rem 0 .1rem;font-size:1.7rem;line-height:1.25;overflow-wrap:anywhere}\n"
  "header.top .what{margin:0;color:#e3e7ee}\n"
  "main.wrap{padding-top:1.5rem;padding-bottom:1.5rem}\n"
  "section{margin:0 0 2rem}\n"
  "h2{font-size:1.3rem;margin:0 0 .6rem}\n"
  "h3{font-size:1.1rem;margin:0 0 .4rem;line-height:1.35}\n"
  "h4{font-size:.95rem;margin:1rem 0 .4rem;color:var(--muted)}\n"
  ".card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:1.1rem 1.3rem}\n"
  ".verdict{border-left:8px solid var(--ok-line)}\n"
  ".verdict.error{border-left-color:var(--err-line);background:var(--err-bg)}\n"
  ".verdict.warning{border-left-color:var(--warn-line);background:var(--warn-bg)}\n"
  ".verdict.ok{background:var(--ok-bg)}\n"
  ".verdict h2{font-size:1.5rem;margin-bottom:.3rem}\n"
  ".verdict.error h2{color:var(--err)}.verdict.warning h2{color:var(--warn)}.verdict.ok h2{color:var(--ok)}\n"
  ".verdict .lead{margin:.2rem 0 .8rem;font-size:1.05rem}\n"
  ".counts{display:flex;flex-wrap:wrap;gap:.5rem;margin:0 0 .9rem;padding:0;list-style:none}\n"
  ".counts li{background:var(--card);border:1px solid var(--line);border-radius:999px;padding:.1rem .75rem;font-size:.92rem}\n"
  "dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1.2rem;margin:0}\n"
  "dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;overflow-wrap:anywhere}\n"
  ".hint{color:var(--muted);margin:.1rem 0 .8rem}\n"
  "figure.chain{margin:0;background:var(--card);border:1px solid var(--line);border-radius:10px;padding:.6rem}\n"
  "figure.chain .scroll{overflow-x:auto}\n"
  "figure.chain svg{display:block;width:100%;height:auto;min-width:40rem}\n"
  "figure.chain figcaption{color:var(--muted);font-size:.9rem;padding:.3rem .6rem 0}\n"
  ".legend{display:inline-block;width:.8em;height:.8em;border-radius:2px;margin:0 .3em 0 .8em;vertical-align:-.05em}\n"
  ".finding{margin:0 0 1rem;border-left:6px solid var(--info-line)}\n"
  ".finding.error{border-left-color:var(--err-line)}.finding.warning{border-left-color:var(--warn-line)}\n"
  ".tag{display:inline-block;border-radius:6px;padding:0 .45em;font-size:.85rem;font-weight:700;margin-right:.35em;"
  "vertical-align:.08em}\n"
  ".tag.id{background:#e7e9ee;color:var(--fg);font-family:ui-monospace,\"DejaVu Sans Mono\",monospace}\n"
  ".tag.error{background:var(--err-bg);color:var(--err);border:1px solid var(--err-line)}\n"
  ".tag.warning{background:var(--warn-bg);color:var(--warn);border:1px solid var(--warn-line)}\n"
  ".tag.info{background:var(--info-bg);color:var(--info);border:1px solid var(--info-line)}\n"
  ".finding .message{font-weight:600;margin:.3rem 0;overflow-wrap:anywhere}\n"
  ".finding .where{color:var(--muted);margin:.1rem 0 .6rem;overflow-wrap:anywhere}\n"
  ".finding p{margin:.4rem 0}\n"
  "ul.engines{list-style:none;margin:0;padding:0}\n"
  "ul.engines li{margin:.25rem 0;padding:.4rem .6rem;background:#f7f7f9;border:1px solid var(--line);border-radius:6px}\n"
  "ul.engines .browser{display:block;font-size:.85rem;color:var(--muted)}\n"
  "ul.engines code{white-space:pre-wrap;overflow-wrap:anywhere;color:var(--err)}\n"
  "table{border-collapse:collapse}\n"
  "table.fixes{width:100%;table-layout:fixed}\n"
  "table.fixes th,table.fixes td{border:1px solid var(--line);padding:.55rem .7rem;text-align:left;vertical-align:top;"
  "overflow-wrap:anywhere}\n"
  "table.fixes thead th{background:#eef0f4}\n"
  "table.fixes thead th.best{background:var(--ok-bg);color:var(--ok)}\n"
  "table.fixes .label{display:block;font-size:.85rem;font-weight:700;color:var(--muted);margin-bottom:.2rem}\n"
  "table.fixes ul{margin:0;padding-left:1.1rem}\n"
  "table.fixes tr.tradeoffs td{background:#fafbfc}\n"
  "details{background:var(--card);border:1px solid var(--line);border-radius:8px;margin:0 0 .6rem;padding:.5rem .9rem}\n"
  "details summary{cursor:pointer;font-weight:600;overflow-wrap:anywhere}\n"
  "details[open] summary{margin-bottom:.5rem}\n"
  "table.raw{font-size:.9rem;margin:.5rem 0}\n"
  "table.raw th,table.raw td{border-bottom:1px solid var(--line);padding:.15rem .8rem .15rem 0;text-align:left}\n"
  "table.raw td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
  "footer{color:var(--muted);font-size:.9rem;border-top:1px solid var(--line);padding:1rem 0 2rem}\n"
  ".sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);"
  "white-space:nowrap;border:0}\n"
  "@media (max-width:40rem){dl.facts{grid-template-columns:1fr}dl.facts dd{margin-bottom:.3rem}}\n"
  "@media print{body{background:#fff}header.top{background:#fff;color:#000}header.top .brand,"
  "header.top .what{color:#333}details{break-inside:avoid}}\n";

static const char *sev_key(wd_severity s) {
  return s == WD_SEV_ERROR ? "error" : s == WD_SEV_WARNING ? "warning" : "info";
}

static const char *sev_label(wd_severity s) {
  return s == WD_SEV_ERROR ? _("error") : s == WD_SEV_WARNING ? _("warning") : _("note");
}

static void fact(wdi_html *h, const char *name, const char *value) {
  wdi_h_raw(h, "<dt>");
  wdi_h_text(h, name);
  wdi_h_raw(h, "</dt><dd>");
  wdi_h_text(h, value);
  wdi_h_raw(h, "</dd>");
}

static void verdict_section(wdi_html *h, const wd_findings *fs, const wd_check_summary *s) {
  uint32_t ne = wd_findings_count(fs, WD_SEV_ERROR), nw = wd_findings_count(fs, WD_SEV_WARNING),
           ni = wd_findings_count(fs, WD_SEV_INFO);
  const char *cls = ne ? "error" : nw ? "warning" : "ok";
  wdi_h_rawf(h, "<section class=\"card verdict %s\" aria-labelledby=\"verdict\">\n<h2 id=\"verdict\">", cls);
  /* the icon is decoration: the words say the same */
  wdi_h_rawf(h, "<span aria-hidden=\"true\">%s</span> ", ne ? "\xe2\x9c\x95" : nw ? "\xe2\x9a\xa0" : "\xe2\x9c\x93");
  if (ne) wdi_h_text(h, _("Will not load in a browser"));
  else if (nw) wdi_h_text(h, _("Should load, with warnings to read"));
  else wdi_h_text(h, _("Ready to load: no problems found"));
  wdi_h_raw(h, "</h2>\n");
  /* the worst finding in one line (the list is sorted, errors first) */
  const wd_finding *worst = NULL;
  for (uint32_t i = 0; i < fs->n; i++)
    if (fs->v[i].severity != WD_SEV_INFO && (!worst || fs->v[i].severity > worst->severity)) worst = &fs->v[i];
  if (worst) {
    wdi_h_raw(h, "<p class=\"lead\">");
    char *msg = wd_msg_str(&worst->message, false);
    wdi_h_text(h, msg ? msg : "");
    free(msg);
    wdi_h_rawf(h, " <a href=\"#finding-%u\">", (unsigned)(worst - fs->v) + 1);
    wdi_h_text(h, _("(details below)"));
    wdi_h_raw(h, "</a></p>\n");
  } else {
    wdi_h_raw(h, "<p class=\"lead\">");
    wdi_h_text(h, s && s->kind == WD_CHECKED_PROJECT
                      ? _("Nothing in the project stops its web export from loading.")
                      : _("Nothing in these files stops the page from loading."));
    wdi_h_raw(h, "</p>\n");
  }
  wdi_h_rawf(h, "<ul class=\"counts\" aria-label=\"%s\">", _("findings by severity"));
  wdi_h_raw(h, "<li>");
  wdi_h_textf(h, _("errors: %u"), ne);
  wdi_h_raw(h, "</li><li>");
  wdi_h_textf(h, _("warnings: %u"), nw);
  wdi_h_raw(h, "</li><li>");
  wdi_h_textf(h, _("notes: %u"), ni);
  wdi_h_raw(h, "</li></ul>\n");
  if (s) {
    char v[64];
    wdi_h_raw(h, "<dl class=\"facts\">");
    fact(h, _("Checked"), s->kind == WD_CHECKED_PROJECT ? _("a Godot project folder") : _("a web export folder"));
    if (s->godot_version[0]) fact(h, _("Godot"), s->godot_version);
    if (s->kind == WD_CHECKED_EXPORT && s->engine[0]) fact(h, _("Engine"), s->engine);
    fact(h, s->kind == WD_CHECKED_PROJECT ? _("Thread Support") : _("Threads"),
         s->threads == 1 ? _("yes (shared memory: the page needs cross-origin isolation)")
         : s->threads == 0 ? _("no (memory not shared: any host will do)")
                           : _("unknown"));
    fact(h, _("Extensions support"), s->dlink ? _("yes") : _("no"));
    snprintf(v, sizeof v, "%u", s->nextensions);
    fact(h, _("GDExtensions"), v);
    if (s->kind == WD_CHECKED_PROJECT) {
      snprintf(v, sizeof v, "%u", s->npresets);
      fact(h, _("Web export presets"), v);
    }
    wdi_h_raw(h, "</dl>\n");
  }
  wdi_h_raw(h, "</section>\n");
}

/* Text with `code` spans (backticks, as the fix texts use them) as <code>;
 * unbalanced backticks stay as they are. */
static void text_with_code(wdi_html *h, const char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    const char *open = memchr(s + i, '`', n - i);
    const char *close = open ? memchr(open + 1, '`', n - (size_t)(open + 1 - s)) : NULL;
    if (!open || !close) {
      wdi_h_textn(h, s + i, n - i);
      return;
    }
    wdi_h_textn(h, s + i, (size_t)(open - (s + i)));
    wdi_h_raw(h, "<code>");
    wdi_h_textn(h, open + 1, (size_t)(close - open - 1));
    wdi_h_raw(h, "</code>");
    i = (size_t)(close + 1 - s);
  }
}

/* The fixes as a table with one column per fix: what to do in the first
 * row, the trade-offs in the second, so they can be compared side by side.
 * A fix's text "Turn threads on: in the preset ..." shows its lead (before
 * the first ": ") in bold; a trade-off "keeps threads; needs headers" is
 * one bullet per clause. */
static void fixes_table(wdi_html *h, const wd_finding *f, const wd_finding_texts *tx, uint32_t num) {
  bool any_tradeoff = false;
  for (uint32_t k = 0; k < f->nfixes; k++)
    if (tx->tradeoff[k]) any_tradeoff = true;
  wdi_h_rawf(h, "<h4 id=\"fixes-%u\">", num);
  wdi_h_text(h, f->nfixes > 1 ? _("Fixes, best first") : _("Fix"));
  wdi_h_rawf(h, "</h4>\n<table class=\"fixes\" aria-labelledby=\"fixes-%u\">\n<thead><tr>", num);
  for (uint32_t k = 0; k < f->nfixes; k++) {
    wdi_h_rawf(h, "<th scope=\"col\"%s>", k == 0 && f->nfixes > 1 ? " class=\"best\"" : "");
    if (f->nfixes > 1 && k == 0) wdi_h_textf(h, _("Fix %u (recommended)"), k + 1);
    else wdi_h_textf(h, _("Fix %u"), k + 1);
    wdi_h_raw(h, "</th>");
  }
  wdi_h_raw(h, "</tr></thead>\n<tbody>\n<tr class=\"todo\">");
  for (uint32_t k = 0; k < f->nfixes; k++) {
    const char *t = tx->fix[k];
    size_t n = strlen(t);
    const char *colon = strstr(t, ": ");
    wdi_h_raw(h, "<td>");
    if (colon && colon > t && colon - t <= 160 && memchr(t, '`', (size_t)(colon - t)) == NULL) {
      wdi_h_raw(h, "<strong>");
      wdi_h_textn(h, t, (size_t)(colon - t));
      wdi_h_raw(h, "</strong>");
      text_with_code(h, colon, n - (size_t)(colon - t));
    } else {
      text_with_code(h, t, n);
    }
    wdi_h_raw(h, "</td>");
  }
  wdi_h_raw(h, "</tr>\n");
  if (any_tradeoff) {
    wdi_h_raw(h, "<tr class=\"tradeoffs\">");
    for (uint32_t k = 0; k < f->nfixes; k++) {
      const char *t = tx->tradeoff[k];
      wdi_h_raw(h, "<td><span class=\"label\">");
      wdi_h_text(h, _("Trade-offs"));
      wdi_h_raw(h, "</span>");
      if (!t) {
        wdi_h_text(h, _("none stated"));
      } else {
        wdi_h_raw(h, "<ul>");
        const char *p = t;
        for (;;) {
          const char *semi = strstr(p, "; ");
          size_t len = semi ? (size_t)(semi - p) : strlen(p);
          wdi_h_raw(h, "<li>");
          wdi_h_textn(h, p, len);
          wdi_h_raw(h, "</li>");
          if (!semi) break;
          p = semi + 2;
        }
        wdi_h_raw(h, "</ul>");
      }
      wdi_h_raw(h, "</td>");
    }
    wdi_h_raw(h, "</tr>\n");
  }
  wdi_h_raw(h, "</tbody></table>\n");
}

/* The browsers' texts: each engine's name apart and its text verbatim; a
 * text set as one piece (the engine's own words), one line an item. */
static void engine_messages(wdi_html *h, const wd_finding *f, uint32_t num) {
  wdi_h_rawf(h, "<h4 id=\"engines-%u\">", num);
  wdi_h_text(h, _("What the browsers say"));
  wdi_h_rawf(h, "</h4>\n<ul class=\"engines\" aria-labelledby=\"engines-%u\">", num);
  for (uint32_t i = 0; i < f->nengine_texts; i++) {
    wdi_h_raw(h, "<li><span class=\"browser\">");
    wdi_h_text(h, f->engine_texts[i].engine);
    wdi_h_raw(h, "</span><code>");
    wdi_h_text(h, f->engine_texts[i].text);
    wdi_h_raw(h, "</code></li>");
  }
  const char *p = f->nengine_texts ? "" : f->engine_message;
  while (*p) {
    const char *nl = strchr(p, '\n');
    size_t len = nl ? (size_t)(nl - p) : strlen(p);
    if (len) {
      wdi_h_raw(h, "<li><code>");
      wdi_h_textn(h, p, len);
      wdi_h_raw(h, "</code></li>");
    }
    if (!nl) break;
    p = nl + 1;
  }
  wdi_h_raw(h, "</ul>\n");
}

static void finding_article(wdi_html *h, const wd_finding *f, uint32_t num) {
  const wd_rule *r = wd_rule_of(f->code);
  wd_finding_texts tx;
  if (wd_finding_texts_make(f, false, &tx)) return;
  wdi_h_rawf(h, "<article class=\"card finding %s\" id=\"finding-%u\" data-id=\"", sev_key(f->severity), num);
  wdi_h_text(h, f->id);
  wdi_h_rawf(h, "\" aria-labelledby=\"finding-%u-h\">\n<h3 id=\"finding-%u-h\"><span class=\"tag id\">", num, num);
  wdi_h_text(h, f->id);
  wdi_h_rawf(h, "</span><span class=\"tag %s\">", sev_key(f->severity));
  wdi_h_text(h, sev_label(f->severity));
  wdi_h_raw(h, "</span>");
  wdi_h_text(h, r ? _(r->title) : f->id);
  wdi_h_raw(h, "</h3>\n<p class=\"message\">");
  wdi_h_text(h, tx.message);
  wdi_h_raw(h, "</p>\n");
  if (f->file) {
    wdi_h_raw(h, "<p class=\"where\">");
    if (f->has_offset)
      wdi_h_textf(h, _("in %s, byte offset %llu (0x%llx)"), f->file, (unsigned long long)f->offset,
                  (unsigned long long)f->offset);
    else if (f->line && f->column) wdi_h_textf(h, _("in %s, line %u, column %u"), f->file, f->line, f->column);
    else if (f->line) wdi_h_textf(h, _("in %s, line %u"), f->file, f->line);
    else wdi_h_textf(h, _("in %s"), f->file);
    wdi_h_raw(h, "</p>\n");
  }
  if (tx.explanation) {
    wdi_h_raw(h, "<p class=\"explanation\">");
    wdi_h_text(h, tx.explanation);
    wdi_h_raw(h, "</p>\n");
  }
  if (f->engine_message && f->engine_message[0]) engine_messages(h, f, num);
  if (f->nfixes) fixes_table(h, f, &tx, num);
  wd_finding_texts_free(&tx);
  wdi_h_raw(h, "</article>\n");
}

static void extra_section(wdi_html *h, const wd_html_section *sec, uint32_t num) {
  wdi_h_rawf(h, "<section aria-labelledby=\"extra-%u\">\n<h2 id=\"extra-%u\">", num, num);
  wdi_h_text(h, sec->title ? sec->title : "");
  wdi_h_raw(h, "</h2>\n");
  if (sec->intro) {
    wdi_h_raw(h, "<p class=\"hint\">");
    wdi_h_text(h, sec->intro);
    wdi_h_raw(h, "</p>\n");
  }
  if (sec->folded) {
    wdi_h_raw(h, "<details><summary>");
    wdi_h_text(h, _("Show"));
    wdi_h_raw(h, "</summary>");
  } else {
    wdi_h_raw(h, "<div class=\"card\">");
  }
  wdi_h_raw(h, "<dl class=\"facts\">");
  for (uint32_t i = 0; i < sec->nfacts; i++)
    fact(h, sec->facts[i].name ? sec->facts[i].name : "", sec->facts[i].value ? sec->facts[i].value : "");
  wdi_h_raw(h, "</dl>");
  wdi_h_raw(h, sec->folded ? "</details>\n" : "</div>\n");
  wdi_h_raw(h, "</section>\n");
}

static void render(wdi_html *h, const wd_findings *fs, const wd_check_summary *s, const wd_html_options *o) {
  const char *subject = o && o->subject ? o->subject : "";
  char gen[64];
  if (o && o->generator) snprintf(gen, sizeof gen, "%s", o->generator);
  else snprintf(gen, sizeof gen, "webdoctor %s", WD_VERSION_STRING);
  wdi_h_raw(h, "<!DOCTYPE html>\n<html lang=\"");
  /* TRANSLATORS: the language tag of the HTML report (BCP 47), e.g. "de" or
     "zh-CN": the report's <html lang="...">. */
  wdi_h_text(h, _("en"));
  wdi_h_raw(h, "\">\n<head>\n<meta charset=\"utf-8\">\n"
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
               /* nothing to fetch, nothing to run: the browser enforces it */
               "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
               "style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">\n"
               "<meta name=\"referrer\" content=\"no-referrer\">\n<meta name=\"generator\" content=\"");
  wdi_h_text(h, gen);
  wdi_h_raw(h, "\">\n<title>");
  wdi_h_textf(h, _("webdoctor report: %s"), subject);
  wdi_h_raw(h, "</title>\n<style>\n");
  wdi_h_raw(h, css);
  wdi_h_raw(h, "</style>\n</head>\n<body>\n<header class=\"top\"><div class=\"wrap\">\n<p class=\"brand\">");
  wdi_h_text(h, _("webdoctor report"));
  wdi_h_raw(h, "</p>\n<h1>");
  /* a path breaks after its slashes when it must */
  for (const char *p = subject; *p;) {
    const char *slash = strchr(p, '/');
    size_t n = slash ? (size_t)(slash - p) + 1 : strlen(p);
    wdi_h_textn(h, p, n);
    if (slash && slash[1]) wdi_h_raw(h, "<wbr>");
    p += n;
  }
  wdi_h_raw(h, "</h1>\n<p class=\"what\">");
  if (s) {
    wdi_h_text(h, s->kind == WD_CHECKED_PROJECT ? _("Godot project") : _("web export"));
    if (s->godot_version[0]) {
      wdi_h_raw(h, " \xc2\xb7 ");
      wdi_h_text(h, s->godot_version);
    }
  } else {
    wdi_h_text(h, _("why a web export stays on \"Loading...\""));
  }
  wdi_h_raw(h, "</p>\n</div></header>\n<main class=\"wrap\">\n");

  verdict_section(h, fs, s);

  if (s && s->nchain) {
    wdi_h_raw(h, "<section aria-labelledby=\"chain\">\n<h2 id=\"chain\">");
    wdi_h_text(h, _("Load chain"));
    wdi_h_raw(h, "</h2>\n<p class=\"hint\">");
    wdi_h_text(h, s->kind == WD_CHECKED_PROJECT
                      ? _("What the Web preset makes the export load, in order: each link with its memory "
                          "(shared memory means a build with threads), its Emscripten version and its verdict.")
                      : _("What the browser loads, in order: each link with its memory (shared memory means a "
                          "build with threads), its Emscripten version and its verdict. A red edge is where "
                          "the browser stops, with its exact message."));
    /* on a narrow screen the diagram keeps a readable size and scrolls
     * sideways; the scrolling box can take the focus, for keyboards */
    wdi_h_raw(h, "</p>\n<figure class=\"chain\">\n<div class=\"scroll\" tabindex=\"0\" role=\"group\" aria-label=\"");
    wdi_h_text(h, _("Load chain diagram"));
    wdi_h_raw(h, "\">\n");
    wdi_html_chain_svg(h, s, subject);
    wdi_h_raw(h, "</div>\n<figcaption>");
    wdi_h_text(h, _("Verdicts:"));
    wdi_h_raw(h, "<span class=\"legend\" style=\"background:#2e7d32\"></span>");
    wdi_h_text(h, _("OK"));
    wdi_h_raw(h, "<span class=\"legend\" style=\"background:#a15c00\"></span>");
    wdi_h_text(h, _("warning"));
    wdi_h_raw(h, "<span class=\"legend\" style=\"background:#b3261e\"></span>");
    wdi_h_text(h, _("error"));
    wdi_h_raw(h, "</figcaption>\n</figure>\n</section>\n");
  }

  wdi_h_raw(h, "<section aria-labelledby=\"findings\">\n<h2 id=\"findings\">");
  wdi_h_text(h, _("Findings"));
  wdi_h_raw(h, "</h2>\n");
  if (!fs->n) {
    wdi_h_raw(h, "<p class=\"hint\">");
    wdi_h_text(h, _("None."));
    wdi_h_raw(h, "</p>\n");
  }
  for (uint32_t i = 0; i < fs->n; i++) finding_article(h, &fs->v[i], i + 1);
  wdi_h_raw(h, "</section>\n");

  for (uint32_t i = 0; o && i < o->nsections; i++) extra_section(h, &o->sections[i], i + 1);

  if (s && o && o->source) {
    wdi_html_module_facts(h, s, o->source);
  } else if (s && o && o->dir) {
    wd_source *src = NULL;
    wd_error err;
    wd_error_clear(&err);
    if (wd_source_open(o->dir, &src, &err) == WD_OK) wdi_html_module_facts(h, s, src);
    else if (err.code == WD_ERR_NOMEM) h->failed = true;
    wd_source_free(src);
  }

  wdi_h_raw(h, "</main>\n<footer><div class=\"wrap\">");
  wdi_h_textf(h, _("Made by %s. This report is a single file: it loads nothing from the network and runs no "
                   "script."),
              gen);
  wdi_h_raw(h, " ");
  wdi_h_text(h, _("Finding IDs are stable; docs/findings.md describes each."));
  wdi_h_raw(h, "</div></footer>\n</body>\n</html>\n");
}

wd_status wd_html_report_render(const wd_findings *fs, const wd_check_summary *summary,
                                const wd_html_options *o, char **out, size_t *len, wd_error *err) {
  static const wd_findings none = WD_FINDINGS_INIT;
  wdi_html h = {WD_BUF_INIT, false};
  render(&h, fs ? fs : &none, summary, o);
  size_t n = h.b.len;
  char *p = h.failed ? NULL : wd_buf_detach(&h.b, NULL);
  wd_buf_release(&h.b);
  *out = p;
  if (len) *len = p ? n : 0;
  if (!p) return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  return WD_OK;
}

wd_status wd_html_report_write(FILE *out, const wd_findings *fs, const wd_check_summary *summary,
                               const wd_html_options *o, wd_error *err) {
  char *p;
  size_t n;
  wd_status s = wd_html_report_render(fs, summary, o, &p, &n, err);
  if (s) return s;
  bool ok = fwrite(p, 1, n, out) == n && fflush(out) == 0;
  free(p);
  if (!ok) return wd_error_set(err, WD_ERR_IO, N_("cannot write the HTML report: %s"), strerror(errno));
  return WD_OK;
}

wd_status wd_html_report_save(const char *path, const wd_findings *fs, const wd_check_summary *summary,
                              const wd_html_options *o, wd_error *err) {
  char *p;
  size_t n;
  wd_status s = wd_html_report_render(fs, summary, o, &p, &n, err);
  if (s) return s;
  /* the one atomic write; the new file gets 0666 less the umask, as a report should */
  s = wd_atomic_write(path, p, n, WD_ATOMIC_UMASK, err);
  int e = errno;
  free(p);
  if (s == WD_ERR_IO) {
    wd_error_set_file(err, path);
    return wd_error_set(err, WD_ERR_IO, N_("cannot write the HTML report '%s': %s"), path, strerror(e));
  }
  return s;
}
