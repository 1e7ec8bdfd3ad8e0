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
#else
#include <libintl.h>
#define _(s) dgettext(WD_TEXTDOMAIN, s)
/* A message with a count: P_("%u error", "%u errors", n), the form the
 * language wants for n (Chinese has one form, English two). */
#define P_(s, p, n) dngettext(WD_TEXTDOMAIN, s, p, (unsigned long)(n))
#endif
#define N_(s) (s)

/* Bind the text domain to the installed or build-tree catalogue.
 * Called once by the CLI; harmless to call again. */
void wd_i18n_init(const char *localedir);

#endif
