/*
 * Which Emscripten builds which Godot, and which mixes of Emscripten
 * versions between an engine and its extensions are known to fail.
 *
 * Godot's official web export templates (the toolchain of
 * godotengine/build-containers for each branch):
 *   4.3, 4.4  Emscripten 3.1.64 (build-containers 4.3 branch; 4.4 kept it,
 *             commit 440561d)
 *   4.5       Emscripten 4.0.10 (build-containers bc0a7d9; the 4.5.2 console
 *             prints "Emscripten 4.0.10")
 *   4.6, 4.7  Emscripten 4.0.20 (godotengine/godot#122412)
 */
#include <stdio.h>
#include <string.h>

#include "webdoctor/link.h"

static const struct {
  unsigned major, minor;
  const char *emscripten;
} godot_table[] = {
  {4, 3, "3.1.64"}, {4, 4, "3.1.64"}, {4, 5, "4.0.10"}, {4, 6, "4.0.20"}, {4, 7, "4.0.20"},
};

const char *wd_godot_emscripten(const char *godot_version) {
  unsigned a, b;
  if (!godot_version) return NULL;
  while (*godot_version && (*godot_version < '0' || *godot_version > '9')) godot_version++; /* "Godot 4.3.0" */
  if (sscanf(godot_version, "%u.%u", &a, &b) != 2) return NULL;
  for (size_t i = 0; i < sizeof godot_table / sizeof *godot_table; i++)
    if (godot_table[i].major == a && godot_table[i].minor == b) return godot_table[i].emscripten;
  return NULL;
}

static bool parse3(const char *v, unsigned long *out) {
  unsigned a, b, c;
  if (!v || sscanf(v, "%u.%u.%u", &a, &b, &c) != 3) return false;
  *out = (unsigned long)a * 1000000ul + b * 1000ul + c;
  return true;
}

wd_emscripten_risk wd_emscripten_mix_risk(const char *engine, const char *extension, bool threads) {
  unsigned long e, x;
  if (!parse3(engine, &e) || !parse3(extension, &x) || e == x) return WD_MIX_NONE;
  /* threads + dynamic linking with a module built by 3.1.40-3.1.61:
   * RangeError: WebAssembly.Table.get(): invalid index (godotengine/godot#82865) */
  bool broken_e = e >= 3001040ul && e <= 3001061ul, broken_x = x >= 3001040ul && x <= 3001061ul;
  if (threads && (broken_e || broken_x)) return WD_MIX_THREADS_TABLE;
  return WD_MIX_UNKNOWN;
}
