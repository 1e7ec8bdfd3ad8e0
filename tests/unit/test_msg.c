/*
 * Messages rendered late (webdoctor/msg.h): the values a format converts
 * are kept, and the message written again gives what snprintf gives, in
 * English and through the catalogue, with positional arguments.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "common/i18n.h"
#include "webdoctor/msg.h"

/* wd_msg_str(english) of fmt with the arguments equals snprintf of them */
static void same_as_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void same_as_printf(const char *fmt, ...) {
  char want[512];
  va_list ap, aq;
  va_start(ap, fmt);
  va_copy(aq, ap);
  vsnprintf(want, sizeof want, fmt, ap);
  va_end(ap);
  wd_msg m;
  CHECK_EQ_INT(wd_msg_vinit(&m, fmt, aq), 0);
  va_end(aq);
  char *got = wd_msg_str(&m, true);
  CHECK_EQ_STR(got, want);
  char *loc = wd_msg_str(&m, false); /* no catalogue bound: the same */
  CHECK_EQ_STR(loc, want);
  free(got);
  free(loc);
  wd_msg_free(&m);
}

/* A translation's format applied to the values the msgid's format kept:
 * the order the translation asks for. */
static char *as_translated(const wd_msg *m, const char *translation) {
  wd_msg t = *m;
  t.id = (char *)translation;
  t.plural = NULL;
  return wd_msg_str(&t, true);
}

int main(void) {
  same_as_printf("plain text");
  same_as_printf("%s is %llu bytes, but %s says %llu", "index.wasm", 123456789012ULL, "GODOT_CONFIG", 7ULL);
  same_as_printf("%u files: %s accepts at most %u", 1001u, "itch.io", 1000u);
  same_as_printf("Import #%lld of %s, %.*s.%.*s", -3LL, "side.wasm", 3, "envXYZ", 6, "memory");
  same_as_printf("[%02x %02x] %c %ld %d %x %llx %zu", 0xab, 0x1, 'q', -5L, 42, 255u, 0xdeadbeefULL, (size_t)77);
  same_as_printf("%.1f MiB, %3.0f%%, %-6s|%6s|", 2.25, 99.6, "ab", "cd");
  same_as_printf("%2$s then %1$s (%3$u)", "first", "second", 3u);
  same_as_printf("%*d|%-*s|%.*s", 5, 42, 4, "x", 2, "abcdef");

  /* a "%.*s" string is kept up to its precision: it need not end in NUL */
  char slice[4] = {'a', 'b', 'c', 'd'};
  wd_msg m;
  CHECK_EQ_INT(wd_msg_init(&m, "[%.*s]", 3, slice), 0);
  char *s = wd_msg_str(&m, true);
  CHECK_EQ_STR(s, "[abc]");
  free(s);
  wd_msg_free(&m);

  /* the translation reorders the values with n$ */
  CHECK_EQ_INT(wd_msg_init(&m, "%s was built with Emscripten %s", "side.wasm", "3.1.64"), 0);
  s = as_translated(&m, "%2$s built %1$s");
  CHECK_EQ_STR(s, "3.1.64 built side.wasm");
  free(s);
  /* a translation that does not fit the values: the English text */
  wd_msg bad = m;
  bad.id = (char *)"%s %u %s";
  s = wd_msg_str(&bad, true);
  CHECK(s == NULL);
  wd_msg_free(&m);

  /* a word is kept as a message ID, without its mark */
  CHECK_EQ_INT(wd_msg_init(&m, "a %s export of %s", W_("threaded"), "game"), 0);
  CHECK_EQ_INT(m.nargs, 2);
  CHECK_EQ_INT(m.args[0].kind, WD_ARG_WORD);
  s = wd_msg_str(&m, true);
  CHECK_EQ_STR(s, "a threaded export of game");
  free(s);

  /* a copy, a nested message and a text with two wordings */
  wd_msg c, sub;
  CHECK_EQ_INT(wd_msg_copy(&c, &m), 0);
  CHECK_EQ_INT(wd_msg_init(&sub, "%u modules", 3u), 0);
  CHECK_EQ_INT(wd_msg_set_arg_msg(&c, 1, &sub), 0);
  CHECK(sub.id == NULL);
  s = wd_msg_str(&c, true);
  CHECK_EQ_STR(s, "a threaded export of 3 modules");
  free(s);
  CHECK_EQ_INT(wd_msg_set_arg_msg(&c, 1, &sub), -1); /* no longer a string */
  wd_msg_free(&c);
  CHECK_EQ_INT(wd_msg_set_arg_text2(&m, 1, "english", "localized"), 0);
  s = wd_msg_str(&m, true);
  char *l = wd_msg_str(&m, false);
  CHECK_EQ_STR(s, "a threaded export of english");
  CHECK_EQ_STR(l, "a threaded export of localized");
  free(s);
  free(l);
  wd_msg_free(&m);

  /* plural: English picks by n */
  CHECK_EQ_INT(wd_msg_init(&m, "%u file", 1u), 0);
  m.plural = strdup("%u files");
  m.n = 1;
  s = wd_msg_str(&m, true);
  CHECK_EQ_STR(s, "1 file");
  free(s);
  m.n = 2;
  m.args[0].v.u = 2;
  s = wd_msg_str(&m, true);
  CHECK_EQ_STR(s, "2 files");
  free(s);
  wd_msg_free(&m);

  /* a format that mixes positional and sequential values is refused */
  const char *mixed = "%s %2$s";
  CHECK_EQ_INT(wd_msg_init(&m, mixed, "a", "b"), -1);
  CHECK(m.id == NULL);
  return check_summary();
}
