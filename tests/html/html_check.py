#!/usr/bin/env python3
"""Structural checks of a webdoctor HTML report, without a browser.

    html_check.py REPORT.html

Every non-void element is closed in order; ids are unique; every
aria-labelledby and in-page href="#id" points at an id that exists; no
element or attribute could make the browser fetch or run anything (script,
link, img, iframe, object, embed, src, srcset, on* handlers, http(s) URLs
other than the SVG namespace, CSS url() or @import). Prints one line per
problem and exits 1 when there is any.
"""
import re
import sys
from html.parser import HTMLParser

VOID = {"meta", "wbr", "br", "hr", "img", "input", "link"}
# SVG elements the report writes self-closed
SELF_CLOSED = {"path", "rect", "circle"}
FORBIDDEN = {"script", "link", "img", "iframe", "object", "embed", "base", "form", "audio", "video",
             "source", "image", "use", "foreignobject", "noscript", "template", "frame"}


class Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.ids = {}
        self.refs = []
        self.problems = []
        self.in_style = False
        self.styles = []

    def problem(self, msg):
        line, col = self.getpos()
        self.problems.append(f"{line}:{col}: {msg}")

    def handle_starttag(self, tag, attrs):
        self._attrs(tag, attrs)
        if tag not in VOID:
            self.stack.append(tag)
        if tag == "style":
            self.in_style = True

    def handle_startendtag(self, tag, attrs):
        self._attrs(tag, attrs)
        if tag not in SELF_CLOSED and tag not in VOID:
            self.problem(f"<{tag}/> is not an element the report self-closes")

    def _attrs(self, tag, attrs):
        if tag in FORBIDDEN:
            self.problem(f"forbidden element <{tag}>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problem(f"event handler attribute {name} on <{tag}>")
            if name in ("src", "srcset", "action", "formaction", "poster", "background", "xlink:href"):
                self.problem(f"attribute {name} on <{tag}>")
            if name == "href" and not value.startswith("#"):
                self.problem(f"link out of the page: {value!r}")
            if name == "href":
                self.refs.append(("href", value[1:]))
            if name == "xmlns" and value != "http://www.w3.org/2000/svg":
                self.problem(f"unexpected namespace {value!r}")
            if name not in ("xmlns", "href") and re.search(r"https?:", value):
                self.problem(f"URL in attribute {name}: {value!r}")
            if name == "id":
                if value in self.ids:
                    self.problem(f"duplicate id {value!r}")
                self.ids[value] = tag
            if name == "aria-labelledby":
                for ref in value.split():
                    self.refs.append(("aria-labelledby", ref))
            if name == "style" and re.search(r"url\(|@import|expression\(", value, re.I):
                self.problem(f"style attribute fetches: {value!r}")

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False
        if tag in VOID:
            self.problem(f"end tag for void element </{tag}>")
            return
        if not self.stack:
            self.problem(f"</{tag}> closes nothing")
            return
        top = self.stack.pop()
        if top != tag:
            self.problem(f"</{tag}> closes <{top}>")

    def handle_data(self, data):
        if self.in_style:
            self.styles.append(data)


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    text = open(sys.argv[1], encoding="utf-8").read()  # raises on bytes that are not UTF-8
    if not text.startswith("<!DOCTYPE html>\n"):
        print("does not start with <!DOCTYPE html>")
        return 1
    c = Checker()
    c.feed(text)
    c.close()
    if c.stack:
        c.problem(f"elements left open: {c.stack}")
    for kind, ref in c.refs:
        if ref not in c.ids:
            c.problem(f"{kind} points at a missing id {ref!r}")
    css = "".join(c.styles)
    if re.search(r"url\(|@import|@font-face", css, re.I):
        c.problem("the stylesheet fetches (url(), @import or @font-face)")
    for p in c.problems:
        print(p)
    return 1 if c.problems else 0


if __name__ == "__main__":
    sys.exit(main())
