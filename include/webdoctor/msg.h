/*
 * A message rendered late: the untranslated printf format (the message ID,
 * English) and its arguments kept as values, so that one message is written
 * in English and in the reader's language from the same value.
 *
 * Arguments are read from a va_list as the format's conversions say
 * (positional %1$s too, as translations use them): integers and doubles as
 * numbers, strings copied (at most the precision of a "%.*s"). A string
 * argument made with W_() (src/common/i18n.h) is a message ID itself, a
 * translatable word such as "threaded", rendered in the same language as
 * the message that holds it.
 */
#ifndef WEBDOCTOR_MSG_H
#define WEBDOCTOR_MSG_H

#include <stdarg.h>
#include <stdbool.h>

typedef enum wd_msg_arg_kind {
  WD_ARG_INT,    /* d i c: any signed length */
  WD_ARG_UINT,   /* u x X o: any unsigned length */
  WD_ARG_DOUBLE, /* f e g a */
  WD_ARG_STR,    /* s: verbatim text */
  WD_ARG_WORD,   /* s given as W_("..."): a message ID */
  WD_ARG_TEXT2,  /* s with an English and a localized text (wd_msg_set_arg_text2) */
  WD_ARG_MSG     /* s replaced by a message of its own (wd_msg_set_arg_msg) */
} wd_msg_arg_kind;

typedef struct wd_msg wd_msg;

typedef struct wd_msg_arg {
  wd_msg_arg_kind kind;
  union {
    long long i;
    unsigned long long u;
    double d;
    char *s;     /* STR, WORD, TEXT2 (the English text) */
    wd_msg *m;   /* MSG */
  } v;
  char *loc;     /* TEXT2: the localized text */
} wd_msg_arg;

struct wd_msg {
  char *id;        /* the format as written in the source; NULL: no message */
  char *plural;    /* the plural format (wd_msg_initn), or NULL */
  unsigned long n; /* the count that picks the plural form */
  unsigned nargs;
  wd_msg_arg *args;
};

#define WD_MSG_MAX_ARGS 16

/* Keep `fmt` and the arguments it converts. 0, or -1 on out of memory or a
 * format this reader does not take (then *m is empty). */
int wd_msg_vinit(wd_msg *m, const char *fmt, va_list ap);
int wd_msg_init(wd_msg *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A message with a count: the forms `one` and `other` (English), the one
 * the language wants for n when rendered; arguments as `one` converts them. */
int wd_msg_vinitn(wd_msg *m, const char *one, const char *other, unsigned long n, va_list ap);
int wd_msg_initn(wd_msg *m, const char *one, const char *other, unsigned long n, ...)
    __attribute__((format(printf, 2, 5)));
/* A message ID without arguments (no conversion in it). */
int wd_msg_plain(wd_msg *m, const char *id);
/* A text to show as it is in every language (engine texts, parser errors
 * already worded): the message "%s" of it. */
int wd_msg_verbatim(wd_msg *m, const char *text);
void wd_msg_free(wd_msg *m);
int wd_msg_copy(wd_msg *to, const wd_msg *from);

/* Argument i (a string) becomes `sub`, which is taken (left empty). */
int wd_msg_set_arg_msg(wd_msg *m, unsigned i, wd_msg *sub);
/* Argument i (a string) becomes a text with its English and localized
 * wording (an error worded when it happened, wd_error). */
int wd_msg_set_arg_text2(wd_msg *m, unsigned i, const char *en, const char *loc);

/* A word known only at run time (a message ID passed as a parameter), as
 * W_ marks a literal one: written into buf. WD_WORD(id) for an argument. */
const char *wd_msg_word(char *buf, unsigned size, const char *id);
#define WD_WORD(id) wd_msg_word((char[160]){0}, 160, (id))

/* The message in English (english) or in the active language; malloc'd,
 * NULL on out of memory or for an empty message. A translation that does
 * not match the arguments is not used: the English text is. */
char *wd_msg_str(const wd_msg *m, bool english);

#endif
