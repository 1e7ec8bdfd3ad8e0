/*
 * Texts of the JSON renderers in English and in the active language.
 */
#include <stdio.h>
#include <stdlib.h>

#include "report/json_int.h"

void wdi_json_add_text(cJSON *o, const char *key, const char *en, const char *loc) {
  cJSON_AddStringToObject(o, key, en);
  if (loc) {
    char lk[64];
    snprintf(lk, sizeof lk, "%s_localized", key);
    cJSON_AddStringToObject(o, lk, loc);
  }
}

void wdi_json_add_msg(cJSON *o, const char *key, const wd_msg *m, const char *language) {
  char *en = wd_msg_str(m, true), *loc = language ? wd_msg_str(m, false) : NULL;
  wdi_json_add_text(o, key, en ? en : "", language ? (loc ? loc : "") : NULL);
  free(en);
  free(loc);
}
