/*
 * Internals of the HTML report (src/report/html_*.c): an output buffer
 * that remembers a failed append (so the writers do not check every call),
 * escaping, and the parts of the page.
 */
#ifndef WD_REPORT_HTML_INT_H
#define WD_REPORT_HTML_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"
#include "webdoctor/check.h"
#include "webdoctor/html_report.h"
#include "webdoctor/report.h"
#include "webdoctor/source.h"

typedef struct wdi_html {
  wd_buf b;
  bool failed;   /* an append ran out of memory: the output is incomplete */
} wdi_html;

/* Append escaped text (see wd_html_escape). Returns nonzero on out of memory. */
int wdi_html_escape_buf(wd_buf *b, const char *s, size_t len);

/* Verbatim markup. */
void wdi_h_raw(wdi_html *h, const char *s);
void wdi_h_rawf(wdi_html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Escaped text. */
void wdi_h_text(wdi_html *h, const char *s);
void wdi_h_textn(wdi_html *h, const char *s, size_t n);
/* Formatted, then escaped as a whole (the arguments may come from files). */
void wdi_h_textf(wdi_html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* UTF-8 helpers: the number of bytes of the first `max` code points of
 * s[0..len) (invalid bytes count as one each), and the number of code
 * points. */
size_t wdi_utf8_prefix(const char *s, size_t len, size_t max);
size_t wdi_utf8_count(const char *s, size_t len);

/* Parts of the page. */
const char *wdi_chain_kind_label(wd_chain_kind k);   /* translated */
void wdi_html_chain_svg(wdi_html *h, const wd_check_summary *s, const char *subject);
void wdi_html_module_facts(wdi_html *h, const wd_check_summary *s, const wd_source *src);
/* "1.5 MiB", "312 KiB", "87 bytes" */

#endif
