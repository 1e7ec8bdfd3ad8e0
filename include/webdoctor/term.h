/*
 * Terminal output: color only where it helps and only where wanted.
 *
 * Color is on when the stream is a terminal, NO_COLOR is unset or empty,
 * and TERM is not "dumb" (--color=auto); --color=always / never override.
 */
#ifndef WEBDOCTOR_TERM_H
#define WEBDOCTOR_TERM_H

#include <stdbool.h>
#include <stdio.h>

typedef enum wd_color_mode { WD_COLOR_AUTO = 0, WD_COLOR_ALWAYS, WD_COLOR_NEVER } wd_color_mode;

typedef struct wd_term {
  FILE *out;
  bool color;
} wd_term;

typedef enum wd_style {
  WD_STYLE_RESET = 0,
  WD_STYLE_BOLD,
  WD_STYLE_DIM,
  WD_STYLE_RED,
  WD_STYLE_GREEN,
  WD_STYLE_YELLOW,
  WD_STYLE_BLUE,
  WD_STYLE_CYAN
} wd_style;

/* Decide whether `out` gets color under `mode` (reads NO_COLOR, TERM). */
bool wd_term_wants_color(FILE *out, wd_color_mode mode);
void wd_term_init(wd_term *t, FILE *out, wd_color_mode mode);
/* The escape sequence for a style, or "" when color is off. */
const char *wd_term_style(const wd_term *t, wd_style s);

#endif
