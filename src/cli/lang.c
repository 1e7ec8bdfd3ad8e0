/*
 * The language of the messages.
 *
 * GNU gettext picks the catalogue from LANGUAGE, then from the locale of
 * the LC_MESSAGES category (LC_ALL, LC_MESSAGES, LANG), and ignores
 * LANGUAGE while that locale is "C". Two cases would leave a user who asked
 * for Chinese with English:
 *   - LANG=zh_CN.UTF-8 on a system where that locale was never generated
 *     (a fresh Debian, most containers): setlocale() fails, the locale
 *     stays "C";
 *   - LANGUAGE=zh_CN with LANG unset or C.
 * In both the messages category is switched to C.UTF-8 (built into glibc
 * since 2.35: UTF-8, no locale data needed) and the language asked for is
 * put in LANGUAGE. LC_ALL=C or LC_MESSAGES=C still mean English, as POSIX
 * specifies for scripts.
 */
#include <dirent.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/lang.h"
#include "common/i18n.h"
#include "wd_config.h"

static const char *catalogues = WD_LOCALEDIR;

static bool is_dir(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A binary in the build tree reads the catalogues the build compiled from
 * po/ (<build>/locale); an installed binary the installed ones. */
static const char *find_catalogues(void) {
  int in_build = wd_cli_in_build_tree();
  if (in_build >= 0)
    return in_build && is_dir(WD_BINARY_DIR "/locale") ? WD_BINARY_DIR "/locale" : WD_LOCALEDIR;
  /* no /proc: the build tree's when nothing is installed */
  struct stat st;
  if (is_dir(WD_BINARY_DIR "/locale") && stat(WD_LOCALEDIR "/zh_CN/LC_MESSAGES/webdoctor.mo", &st) != 0)
    return WD_BINARY_DIR "/locale";
  return WD_LOCALEDIR;
}

#ifndef WD_NO_NLS
static const char *env(const char *name) {
  const char *v = getenv(name);
  return v && *v ? v : NULL;
}
#endif

static bool c_locale(const char *s) {
  return !s || !strcmp(s, "C") || !strcmp(s, "POSIX");
}

/* C, POSIX, C.UTF-8: no language of their own */
static bool no_language(const char *s) {
  return c_locale(s) || !strncmp(s, "C.", 2);
}

void wd_lang_init(void) {
  setlocale(LC_ALL, "");
  catalogues = find_catalogues();
  wd_i18n_init(catalogues);
#ifndef WD_NO_NLS
  /* strerror() and other system texts come from glibc's "libc" domain,
     converted to LC_CTYPE's charset: with a language whose locale is not
     installed that is ASCII, and every Chinese character became '?'. Our
     own messages are UTF-8 whatever the locale: the system's are too. */
  bind_textdomain_codeset("libc", "UTF-8");
  const char *category = env("LC_ALL") ? env("LC_ALL") : env("LC_MESSAGES");
  if (category && c_locale(category)) return;
  const char *want = env("LANGUAGE");
  if (!want) want = category ? category : env("LANG");
  if (!want || no_language(want)) return;
  if (!c_locale(setlocale(LC_MESSAGES, NULL))) return; /* a real locale: gettext does the rest */
  if (!env("LANGUAGE")) setenv("LANGUAGE", want, 1);
  setlocale(LC_MESSAGES, "C.UTF-8");
#endif
}

#ifndef WD_NO_NLS
static int cmp_names(const void *a, const void *b) {
  return strcmp(a, b);
}
#endif

/* The languages there are catalogues for, English first. */
static void list_languages(char *out, unsigned size) {
  snprintf(out, size, "en");
#ifndef WD_NO_NLS
  DIR *d = opendir(catalogues);
  if (!d) return;
  char names[16][64];
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) && n < 16) {
    size_t len = strlen(e->d_name);
    if (e->d_name[0] == '.' || len >= sizeof names[0]) continue;
    char mo[PATH_MAX];
    struct stat st;
    snprintf(mo, sizeof mo, "%s/%s/LC_MESSAGES/%s.mo", catalogues, e->d_name, WD_TEXTDOMAIN);
    if (stat(mo, &st) == 0) memcpy(names[n++], e->d_name, len + 1);
  }
  closedir(d);
  qsort(names, (size_t)n, sizeof names[0], cmp_names);
  for (int i = 0; i < n; i++) {
    size_t used = strlen(out);
    if (used + 1 < size) snprintf(out + used, size - used, " %s", names[i]);
  }
#endif
}

bool wd_lang_set(const char *lang, char *available, unsigned size) {
  char norm[64];
  snprintf(norm, sizeof norm, "%s", lang);
  for (char *p = norm; *p; p++)
    if (*p == '-') *p = '_';
  if (!strcasecmp(norm, "en") || !strncasecmp(norm, "en_", 3) || no_language(norm)) {
    unsetenv("LANGUAGE");
    setlocale(LC_MESSAGES, "C");
    return true;
  }
  /* Chinese in simplified characters, however it is spelled */
  if (!strcasecmp(norm, "zh") || !strncasecmp(norm, "zh_CN", 5) || !strcasecmp(norm, "zh_Hans") ||
      !strcasecmp(norm, "zh_Hans_CN") || !strcasecmp(norm, "zh_SG"))
    snprintf(norm, sizeof norm, "zh_CN");
#ifndef WD_NO_NLS
  setenv("LANGUAGE", norm, 1);
  if (c_locale(setlocale(LC_MESSAGES, NULL))) setlocale(LC_MESSAGES, "C.UTF-8");
  if (wd_lang_active()) return true;
#endif
  if (available && size) list_languages(available, size);
  return false;
}

const char *wd_lang_active(void) {
#ifdef WD_NO_NLS
  return NULL;
#else
  static char language[32];
  /* the catalogue's header is the translation of the empty msgid (passed
   * through a variable: xgettext would extract a literal "") */
  static const char header_msgid[] = "";
  const char *h = dgettext(WD_TEXTDOMAIN, header_msgid);
  if (!h || !*h) return NULL;
  const char *l = strstr(h, "Language: ");
  if (!l) return "?";
  l += strlen("Language: ");
  size_t n = strcspn(l, "\n");
  if (n == 0) return "?";
  if (n >= sizeof language) n = sizeof language - 1;
  memcpy(language, l, n);
  language[n] = '\0';
  return language;
#endif
}

/* Take every member out of `obj`, in order; NULL-terminated, or NULL on out of
 * memory (then `obj` is left as it was). Members are put back in the order
 * wanted with cJSON_AddItemToArray, which keeps their keys: cJSON 1.7.15
 * cannot insert into an object in place. */
static cJSON **take_members(cJSON *obj) {
  int n = cJSON_GetArraySize(obj);
  cJSON **v = calloc((size_t)n + 1, sizeof *v);
  if (!v) return NULL;
  for (int i = 0; i < n; i++) v[i] = cJSON_DetachItemFromArray(obj, 0);
  return v;
}

void wd_lang_json_root(cJSON *root) {
  const char *lang = wd_lang_active();
  if (!root || !lang) return;
  cJSON **members = take_members(root);
  if (!members) return;
  bool added = false;
  for (cJSON **m = members; *m; m++) {
    cJSON_AddItemToArray(root, *m);
    if (!added && (*m)->string && !strcmp((*m)->string, "schema"))
      added = cJSON_AddStringToObject(root, "language", lang) != NULL;
  }
  if (!added) cJSON_AddStringToObject(root, "language", lang);
  free(members);
}
