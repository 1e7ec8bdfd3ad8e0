/* Terminal text layout: display widths and wrapping for Latin and CJK text. */
#include "webdoctor/text.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* Decode one UTF-8 character at s (n bytes left); invalid bytes count as
 * one character of width 1. */
static size_t next_char(const char *s, size_t n, uint32_t *cp) {
  const unsigned char *u = (const unsigned char *)s;
  size_t len = u[0] < 0x80 ? 1 : (u[0] & 0xe0) == 0xc0 ? 2 : (u[0] & 0xf0) == 0xe0 ? 3 : (u[0] & 0xf8) == 0xf0 ? 4 : 1;
  if (len > n) len = 1;
  uint32_t c = len == 1 ? u[0] : len == 2 ? u[0] & 0x1f : len == 3 ? u[0] & 0x0f : u[0] & 0x07;
  for (size_t i = 1; i < len; i++) {
    if ((u[i] & 0xc0) != 0x80) {
      *cp = u[0];
      return 1;
    }
    c = c << 6 | (u[i] & 0x3f);
  }
  *cp = c;
  return len;
}

/* East Asian Wide and Fullwidth ranges (Unicode UAX #11, the common blocks). */
static bool is_wide(uint32_t c) {
  return (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0x303e) || (c >= 0x3041 && c <= 0x33ff) ||
         (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xa000 && c <= 0xa4cf) ||
         (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) ||
         (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x20000 && c <= 0x3fffd);
}

/* No line may start with these (closing punctuation) ... */
static bool no_break_before(uint32_t c) {
  static const uint32_t set[] = {0xff0c, 0x3002, 0xff1a, 0xff1b, 0xff09, 0x3001, 0xff01, 0xff1f,
                                 0x300d, 0x300f, 0x201d, 0x2019, 0x3011, 0xff3d, 0xff5d, 0x3009,
                                 0x300b, ',', '.', ':', ';', ')', '!', '?', ']', '}', '"'};
  for (size_t i = 0; i < sizeof set / sizeof *set; i++)
    if (set[i] == c) return true;
  return false;
}

/* ... and none end with these (opening punctuation). */
static bool no_break_after(uint32_t c) {
  static const uint32_t set[] = {0xff08, 0x300c, 0x300e, 0x201c, 0x2018, 0x3010, 0xff3b, 0xff5b, 0x3008, 0x300a};
  for (size_t i = 0; i < sizeof set / sizeof *set; i++)
    if (set[i] == c) return true;
  return false;
}

int wd_text_width_n(const char *s, size_t n) {
  int w = 0;
  size_t i = 0;
  while (i < n && s[i]) {
    uint32_t c;
    i += next_char(s + i, n - i, &c);
    w += is_wide(c) ? 2 : 1;
  }
  return w;
}

int wd_text_width(const char *s) { return wd_text_width_n(s, strlen(s)); }

void wd_text_pad(FILE *out, const char *s, int width) {
  fputs(s, out);
  for (int w = wd_text_width(s); w < width; w++) fputc(' ', out);
}

/* The next unit that may not be split: a run of non-space characters up to
 * a break opportunity. Returns its length in bytes; *width its columns. */
static size_t next_unit(const char *s, int *width) {
  size_t i = 0, n = strlen(s);
  int w = 0;
  uint32_t prev = 0;
  while (i < n && s[i] != ' ' && s[i] != '\n') {
    uint32_t c;
    size_t len = next_char(s + i, n - i, &c);
    /* a break opportunity before c: between wide characters, or between a
     * wide one and a narrow one, unless punctuation forbids it */
    if (i > 0 && (is_wide(c) || is_wide(prev)) && !no_break_before(c) && !no_break_after(prev)) break;
    w += is_wide(c) ? 2 : 1;
    i += len;
    prev = c;
  }
  *width = w;
  return i;
}

void wd_text_wrap(FILE *out, const char *text, int indent, int col, int width) {
  bool line_empty = true;
  const char *s = text;
  while (*s) {
    if (*s == '\n') {
      fprintf(out, "\n%*s", indent, "");
      col = indent;
      line_empty = true;
      s++;
      continue;
    }
    bool space = *s == ' ';
    while (*s == ' ') s++;
    if (!*s || *s == '\n') continue;
    int w;
    size_t len = next_unit(s, &w);
    int sep = space && !line_empty ? 1 : 0;
    if (!line_empty && col + sep + w > width) {
      fprintf(out, "\n%*s", indent, "");
      col = indent;
      sep = 0;
    }
    if (sep) {
      fputc(' ', out);
      col++;
    }
    fwrite(s, 1, len, out);
    col += w;
    line_empty = false;
    s += len;
  }
  fputc('\n', out);
}
