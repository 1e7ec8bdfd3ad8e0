#!/usr/bin/env python3
"""The web page's message catalogue, catalogue.js, from compiled catalogues:

    web-catalogue.py OUT LANG=FILE.mo [LANG=FILE.mo...]

writes OUT, a classic script (it loads from file:// too, where a page may
not fetch) defining webdoctorCatalogue = { LANG: { msgid: msgstr } }, which
web/app.js reads. Each FILE.mo holds only the page's messages (cmake/web.cmake
merges po/LANG.po with what xgettext extracts from web/*.js, then msgfmt
compiles it); the .mo is read by Python's own gettext module, so no .po or
.mo parser is written here. Untranslated and fuzzy entries are not in a .mo:
the page shows their English msgid."""
import gettext
import json
import os
import sys


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: web-catalogue.py OUT LANG=FILE.mo...")
    out = sys.argv[1]
    catalogue = {}
    for arg in sys.argv[2:]:
        lang, sep, mo = arg.partition("=")
        if not sep or not lang:
            sys.exit(f"web-catalogue.py: {arg}: expected LANG=FILE.mo")
        try:
            with open(mo, "rb") as f:
                trans = gettext.GNUTranslations(f)
        except (OSError, ValueError) as e:  # a .mo that gettext cannot read
            sys.exit(f"web-catalogue.py: {mo}: {e}")
        # plural entries are keyed (msgid, n): the page has none
        catalogue[lang] = {k: v for k, v in sorted(trans._catalog.items())
                           if isinstance(k, str) and k and v}
    text = ("/* The web page's messages, written by the build (cmake/web.cmake,\n"
            " * cmake/web-catalogue.py) from po/<lang>.po; read by app.js. */\n"
            "var webdoctorCatalogue = "
            + json.dumps(catalogue, ensure_ascii=False, sort_keys=True, indent=0)
            + ";\n")
    with open(out + ".tmp", "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(out + ".tmp", out)


main()
