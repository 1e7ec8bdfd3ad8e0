#include "common/i18n.h"

#ifndef WD_NO_NLS
#include <libintl.h>
#endif

void wd_i18n_init(const char *localedir) {
#ifndef WD_NO_NLS
  bindtextdomain(WD_TEXTDOMAIN, localedir);
  bind_textdomain_codeset(WD_TEXTDOMAIN, "UTF-8");
#else
  (void)localedir;
#endif
}
