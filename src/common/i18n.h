/*
 * Native language support.
 *
 * Every user-facing string is written as _("...") where it is used, or as
 * N_("...") where it must stay a constant (tables) and is translated later
 * with _(). The library translates in its own text domain, so a program
 * embedding libwebdoctor keeps its own domain.
 *
 * Never wrap: engine error texts (V8, SpiderMonkey, JavaScriptCore print
 * them verbatim and users search for them), finding IDs, JSON keys.
 */
#ifndef WD_I18N_H
#define WD_I18N_H

#define WD_TEXTDOMAIN "webdoctor"

#ifdef WD_NO_NLS
#define _(s) (s)
#define P_(s, p, n) ((n) == 1 ? (s) : (p))
#elif defined(WD_MO_NLS)
/* The WebAssembly build (the web app) has no libintl and no file system to
 * load catalogues from: the catalogue is compiled in and looked up here
 * (i18n.c), chosen with wd_i18n_use_mo(). */
#define _(s) wd_i18n_gettext(s)
#define P_(s, p, n) wd_i18n_ngettext(s, p, (unsigned long)(n))
#else
#include <libintl.h>
#define _(s) dgettext(WD_TEXTDOMAIN, s)
/* A message with a count: P_("%u error", "%u errors", n), the form the
 * language wants for n (Chinese has one form, English two). */
#define P_(s, p, n) dngettext(WD_TEXTDOMAIN, s, p, (unsigned long)(n))
#endif
#define N_(s) (s)
/* A translatable word given as an argument of a message rendered late
 * (webdoctor/msg.h: findings, errors): W_("threaded") is rendered in the
 * language of the message that holds it. Only as such an argument. */
#define WD_WORD_MARK "\x1f"
#define W_(s) (WD_WORD_MARK s)
/* A message with a count rendered late: the two English forms as two
 * arguments, wd_findings_addn(fs, id, file, n, NP_("%u file", "%u files"), n) */
#define NP_(s, p) s, p

/* Bind the text domain to the installed or build-tree catalogue.
 * Called once by the CLI; harmless to call again. */
void wd_i18n_init(const char *localedir);

#ifdef WD_MO_NLS
#include <stddef.h>
/* Translate through the compiled-in GNU .mo catalogue `mo` (`len` bytes, as
 * msgfmt writes it; borrowed, must stay), or English when mo is NULL.
 * Returns 0, or -1 when the bytes are not a .mo catalogue (then English). */
int wd_i18n_use_mo(const unsigned char *mo, size_t len);
/* format_arg: a translated format string is checked against its arguments
 * as the original is, as for gettext's own declarations */
const char *wd_i18n_gettext(const char *msgid) __attribute__((format_arg(1)));
const char *wd_i18n_ngettext(const char *msgid, const char *plural, unsigned long n)
    __attribute__((format_arg(1))) __attribute__((format_arg(2)));
#endif

#endif
