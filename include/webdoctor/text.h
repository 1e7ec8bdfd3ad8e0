/*
 * Text layout for terminals: display width and line wrapping that know
 * that CJK characters take two columns and that Chinese breaks between
 * characters, not at spaces. Every renderer and command wraps through here.
 */
#ifndef WEBDOCTOR_TEXT_H
#define WEBDOCTOR_TEXT_H

#include <stddef.h>
#include <stdio.h>

/* Columns `s` (UTF-8) takes on a terminal. */
int wd_text_width(const char *s);
int wd_text_width_n(const char *s, size_t n);

/* Print `s` padded with spaces to `width` columns (like "%-*s" for bytes). */
void wd_text_pad(FILE *out, const char *s, int width);

/* Print `text` wrapped at `width` columns: the first line continues at
 * column `col` (already printed), the others start at `indent`. Breaks at
 * spaces and between CJK characters (never before closing punctuation such
 * as ， 。 ） or after an opening one); '\n' in the text starts a new line.
 * Ends with a newline. */
void wd_text_wrap(FILE *out, const char *text, int indent, int col, int width);

#endif
