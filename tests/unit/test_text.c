/* Terminal text layout: widths and wrapping for Latin and CJK text. */
#include <stdlib.h>

#include "check.h"
#include "common/str.h"
#include "webdoctor/text.h"

static char *wrap_to_string(const char *text, int indent, int col, int width) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  if (!f) return NULL;
  wd_text_wrap(f, text, indent, col, width);
  fclose(f);
  return buf;
}

/* every line of s fits in width columns */
static int max_width(const char *s) {
  int best = 0;
  while (*s) {
    const char *nl = strchr(s, '\n');
    size_t n = nl ? (size_t)(nl - s) : strlen(s);
    int w = wd_text_width_n(s, n);
    if (w > best) best = w;
    s += n + (nl ? 1 : 0);
  }
  return best;
}

int main(void) {
  CHECK_EQ_INT(wd_text_width("abc"), 3);
  CHECK_EQ_INT(wd_text_width("修复"), 4);
  CHECK_EQ_INT(wd_text_width("a，b"), 4);
  CHECK_EQ_INT(wd_text_width("Ａ"), 2); /* fullwidth Latin */
  CHECK_EQ_INT(wd_text_width("é"), 1);
  CHECK_EQ_INT(wd_text_width("\xff"), 1); /* invalid byte: one column */

  char *s = wrap_to_string("one two three four five six", 2, 2, 12);
  CHECK_EQ_STR(s, "one two\n  three four\n  five six\n");
  CHECK(max_width(s) <= 12);
  free(s);

  /* Chinese breaks between characters, never before closing punctuation */
  s = wrap_to_string("声明了共享内存，说明它构建时启用了线程。", 0, 0, 16);
  CHECK(s != NULL);
  CHECK(max_width(s) <= 16);
  CHECK(strstr(s, "\n，") == NULL && strstr(s, "\n。") == NULL);
  free(s);

  /* mixed text keeps Latin words whole */
  s = wrap_to_string("在 .gdextension 中把 web.debug.wasm32 指向 .nothreads.wasm 文件", 4, 4, 30);
  CHECK(strstr(s, "web.debug.wasm32") != NULL);
  CHECK(strstr(s, ".nothreads.wasm") != NULL);
  CHECK(max_width(s) <= 30);
  free(s);

  /* a word longer than the line is printed whole on its own line */
  s = wrap_to_string("a liblimboai.web.template_release.wasm32.wasm b", 0, 0, 20);
  CHECK_EQ_STR(s, "a\nliblimboai.web.template_release.wasm32.wasm\nb\n");
  free(s);

  /* explicit newlines start a new indented line */
  s = wrap_to_string("x\ny", 3, 3, 40);
  CHECK_EQ_STR(s, "x\n   y\n");
  free(s);

  /* sizes: one format everywhere, one decimal below 100 of the unit */
  char b[WD_SIZE_STR_MAX];
  CHECK_EQ_STR(wd_format_size(0, b, sizeof b), "0 B");
  CHECK_EQ_STR(wd_format_size(1023, b, sizeof b), "1023 B");
  CHECK_EQ_STR(wd_format_size(1024, b, sizeof b), "1.0 KiB");
  CHECK_EQ_STR(wd_format_size(21584, b, sizeof b), "21.1 KiB");
  CHECK_EQ_STR(wd_format_size(37677000, b, sizeof b), "35.9 MiB");
  CHECK_EQ_STR(wd_format_size(16ull << 20, b, sizeof b), "16.0 MiB");
  CHECK_EQ_STR(wd_format_size(99ull * 1024 + 972, b, sizeof b), "99.9 KiB");  /* 99.949 */
  CHECK_EQ_STR(wd_format_size(99ull * 1024 + 1000, b, sizeof b), "100 KiB"); /* 99.977 */
  CHECK_EQ_STR(wd_format_size(200ull << 20, b, sizeof b), "200 MiB");
  CHECK_EQ_STR(wd_format_size((1ull << 20) - 1, b, sizeof b), "1.0 MiB"); /* not "1024 KiB" */
  CHECK_EQ_STR(wd_format_size(1023ull * 1024 + 400, b, sizeof b), "1023 KiB");
  CHECK_EQ_STR(wd_format_size(4ull << 30, b, sizeof b), "4.0 GiB");
  CHECK_EQ_STR(wd_format_size(UINT64_MAX, b, sizeof b), "16.0 EiB");
  return check_summary();
}
