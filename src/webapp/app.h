/*
 * The web app's entry points (app.c), called from web/worker.js through the
 * module Emscripten builds (cmake/web.cmake exports them).
 */
#ifndef WD_WEBAPP_APP_H
#define WD_WEBAPP_APP_H

#include <stdint.h>

int wd_app_begin(uint32_t n, double total);
uint8_t *wd_app_put(uint32_t i, const char *path, double size);
char *wd_app_run(const char *mode, const char *name, const char *lang);
char *wd_app_render(const char *lang);
void wd_app_release(char *p);

#endif
