#include "common/dynlib.h"

/* (not in a WebAssembly build: it links what it uses) */
#ifndef __EMSCRIPTEN__

#include <dlfcn.h>
#include <stdio.h>

#include "common/i18n.h"

void wd_dynlib_open(wd_dynlib *lib) {
  lib->handle = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
  if (!lib->handle) {
    const char *e = dlerror();
    snprintf(lib->why, sizeof lib->why, "%s", e ? e : "");
  }
}

wd_status wd_dynlib_load(wd_dynlib *lib, void (*once_fn)(void), wd_error *err) {
  pthread_once(&lib->once, once_fn);
  if (lib->handle) return WD_OK;
  return wd_error_set(err, WD_ERR_UNSUPPORTED, N_("cannot load %s: %s"), lib->soname, lib->why);
}

void *wd_dynlib_sym(wd_dynlib *lib, void (*once_fn)(void), const char *name) {
  pthread_once(&lib->once, once_fn);
  return lib->handle ? dlsym(lib->handle, name) : NULL;
}
#endif
