#include "webdoctor/term.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool wd_term_wants_color(FILE *out, wd_color_mode mode) {
  if (mode == WD_COLOR_ALWAYS) return true;
  if (mode == WD_COLOR_NEVER) return false;
  const char *nc = getenv("NO_COLOR");
  if (nc && nc[0]) return false;
  const char *term = getenv("TERM");
  if (term && strcmp(term, "dumb") == 0) return false;
  return isatty(fileno(out)) == 1;
}

void wd_term_init(wd_term *t, FILE *out, wd_color_mode mode) {
  t->out = out;
  t->color = wd_term_wants_color(out, mode);
}

const char *wd_term_style(const wd_term *t, wd_style s) {
  if (!t->color) return "";
  switch (s) {
  case WD_STYLE_RESET: return "\033[0m";
  case WD_STYLE_BOLD: return "\033[1m";
  case WD_STYLE_DIM: return "\033[2m";
  case WD_STYLE_RED: return "\033[31m";
  case WD_STYLE_GREEN: return "\033[32m";
  case WD_STYLE_YELLOW: return "\033[33m";
  case WD_STYLE_BLUE: return "\033[34m";
  case WD_STYLE_CYAN: return "\033[36m";
  }
  return "";
}
