/*
 * The HTML report: one self-contained page for people deciding what to do.
 *
 * wd_html_report_write() renders the findings of `check` (or `probe`, or
 * `serve`) and the check summary as a single HTML5 file that needs nothing
 * else: inline CSS, an SVG of the load chain drawn here, no script, no
 * font, no image, no link that the browser would fetch (a Content Security
 * Policy of default-src 'none' says so to the browser too). It holds, in
 * this order:
 *
 *   - the summary verdict (will not load / loads with warnings / ready),
 *     with the target's facts (kind, Godot version, engine, threads);
 *   - the load chain as an SVG: page -> JS glue -> engine -> engine side
 *     module -> each GDExtension (an export folder), or export preset ->
 *     export template -> each GDExtension (a project); every node coloured
 *     by its verdict and showing its memory (shared = threads) and its
 *     Emscripten version; the edge the browser fails on drawn in red with
 *     the browser's exact message;
 *   - every finding with its explanation, the browsers' verbatim texts, and
 *     its fixes best first as a table with one column per fix, so the
 *     trade-offs stand side by side;
 *   - the caller's extra sections (e.g. probe's HTTP facts), then the raw
 *     facts of every module of the chain (sections, imports by kind, memory
 *     and table limits, dylink.0, producers) folded away in <details>.
 *
 * Every string that comes from the inputs (file and module names, paths,
 * messages, engine texts) is HTML-escaped; bytes that are not UTF-8 become
 * U+FFFD. Every string of the report itself goes through gettext, so the
 * report follows the locale (the <html lang> too: it is the translation of
 * "en").
 *
 * The output depends only on its inputs (no date, no absolute path unless
 * the caller passes one as the subject), so two runs give the same bytes.
 *
 * Stable hooks for tests and for pages that link to the report (serve's
 * in-page diagnosis): the SVG is <svg id="load-chain">; each node is a
 * <g class="node" data-kind="page|glue|main|engine-side|extension|preset|
 * template" data-name="..." data-verdict="ok|warning|error"
 * data-shared="true|false|unknown">; each edge is <g class="edge"
 * data-from="..." data-to="..." data-status="ok|fail">, and a failing edge
 * carries the engine's text in <text class="edge-message">. Each finding is
 * <article id="finding-N" data-id="WD101">, N from 1 in the order given.
 * docs/json.md ("HTML report") lists them.
 */
#ifndef WEBDOCTOR_HTML_REPORT_H
#define WEBDOCTOR_HTML_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "webdoctor/check.h"
#include "webdoctor/error.h"
#include "webdoctor/finding.h"
#include "webdoctor/source.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A name/value row of an extra section. Both are plain text (escaped when
 * written); the caller translates names. */
typedef struct wd_html_fact {
  const char *name;
  const char *value;
} wd_html_fact;

/* A section the caller adds, e.g. probe's "HTTP responses": a heading and
 * rows of facts, shown before the raw module facts. */
typedef struct wd_html_section {
  const char *title;          /* plain text, translated by the caller */
  const char *intro;          /* a sentence under the heading, or NULL */
  uint32_t nfacts;
  const wd_html_fact *facts;
  int folded;                 /* nonzero: inside a closed <details> */
} wd_html_section;

typedef struct wd_html_options {
  const char *subject;        /* what was checked as the user named it: a
                                 folder or a URL; shown as the page's title */
  const char *dir;            /* the checked folder (or .zip) on disk, to
                                 read the modules of the chain again for
                                 the raw facts; NULL leaves the module
                                 facts out (e.g. probe of a URL) */
  const wd_source *source;    /* or the export source to read them from
                                 (files in memory); used before dir */
  const char *generator;      /* "webdoctor 0.1.0" when NULL */
  uint32_t nsections;
  const wd_html_section *sections; /* extra sections, may be NULL */
} wd_html_options;

/* Render the report into a new buffer (NUL-terminated; *len without the
 * NUL). `summary` may be NULL (no chain, no target facts: e.g. a probe that
 * could not fetch the page); `o` may be NULL. The caller frees *out.
 * Fails only on out of memory (WD_ERR_NOMEM). */
wd_status wd_html_report_render(const wd_findings *fs, const wd_check_summary *summary,
                                const wd_html_options *o, char **out, size_t *len, wd_error *err);

/* Render and write to `out` (e.g. stdout, or an HTTP response through
 * fmemopen/open_memstream). WD_ERR_IO when the stream fails. */
wd_status wd_html_report_write(FILE *out, const wd_findings *fs, const wd_check_summary *summary,
                               const wd_html_options *o, wd_error *err);

/* Render and save to `path` atomically: written to a new file beside it,
 * then renamed over it, so a reader (or a browser reloading the report)
 * never sees half a report. The file gets mode 0666 less the umask.
 * Errors (WD_ERR_IO) name the path and the system's reason. */
wd_status wd_html_report_save(const char *path, const wd_findings *fs, const wd_check_summary *summary,
                              const wd_html_options *o, wd_error *err);

/* HTML-escape `len` bytes of `s` (& < > " ' become entities, so the result
 * is safe in text and in quoted attributes; bytes that are not UTF-8 and
 * control characters other than tab and newline become U+FFFD). Returns a
 * new NUL-terminated string, or NULL on out of memory. */
char *wd_html_escape(const char *s, size_t len);

#ifdef __cplusplus
}
#endif
#endif
