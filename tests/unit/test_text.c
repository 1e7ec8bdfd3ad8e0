/* Terminal text layout: widths and wrapping for Latin and CJK text. */
#include <stdlib.h>

#include "check.h"
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
  return check_summary();
}
