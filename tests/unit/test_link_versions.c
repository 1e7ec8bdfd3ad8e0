/* The link model's version data: Godot's template toolchains, known-bad
 * Emscripten mixes, the loader rows and the glue's version markers. */
#include <string.h>

#include "check.h"
#include "webdoctor/link.h"

static int glue_loader(const char *text) {
  wd_glue *g = NULL;
  wd_error err;
  if (wd_glue_parse(text, strlen(text), &g, &err) != WD_OK) return -2;
  int v = g->loader;
  wd_glue_free(g);
  return v;
}

int main(void) {
  CHECK_EQ_STR(wd_godot_emscripten("4.3"), "3.1.64");
  CHECK_EQ_STR(wd_godot_emscripten("4.4.1"), "3.1.64");
  CHECK_EQ_STR(wd_godot_emscripten("4.5"), "4.0.10");
  CHECK_EQ_STR(wd_godot_emscripten("4.6.2"), "4.0.20");
  CHECK_EQ_STR(wd_godot_emscripten("4.7"), "4.0.20");
  CHECK_EQ_STR(wd_godot_emscripten("Godot 4.5.1"), "4.0.10");
  CHECK(wd_godot_emscripten("4.2") == NULL);
  CHECK(wd_godot_emscripten("x") == NULL);

  CHECK_EQ_INT(wd_emscripten_mix_risk("3.1.64", "3.1.64", true), WD_MIX_NONE);
  CHECK_EQ_INT(wd_emscripten_mix_risk("4.0.10", "3.1.64", true), WD_MIX_UNKNOWN);
  CHECK_EQ_INT(wd_emscripten_mix_risk("3.1.64", "3.1.50", true), WD_MIX_THREADS_TABLE);
  CHECK_EQ_INT(wd_emscripten_mix_risk("3.1.64", "3.1.50", false), WD_MIX_UNKNOWN);
  CHECK_EQ_INT(wd_emscripten_mix_risk("3.1.40", "3.1.64", true), WD_MIX_THREADS_TABLE);
  CHECK_EQ_INT(wd_emscripten_mix_risk("3.1.62", "3.1.64", true), WD_MIX_UNKNOWN);
  CHECK_EQ_INT(wd_emscripten_mix_risk("?", "3.1.50", true), WD_MIX_NONE);

  wd_loader_version v;
  CHECK(wd_loader_nearest("3.1.6", &v) && v == WD_LOADER_3_1_6);
  CHECK(wd_loader_nearest("3.1.64", &v) && v == WD_LOADER_3_1_64);
  CHECK(wd_loader_nearest("3.1.15", &v) && v == WD_LOADER_3_1_64);
  CHECK(wd_loader_nearest("4.0.10", &v) && v == WD_LOADER_4_0_10);
  CHECK(wd_loader_nearest("4.0.19", &v) && v == WD_LOADER_4_0_20);
  CHECK(wd_loader_nearest("6.0.10", &v) && v == WD_LOADER_4_0_20);
  CHECK(!wd_loader_nearest("latest", &v));
  CHECK(wd_loader_get(WD_LOADER_3_1_6)->legacy_dylink && !wd_loader_get(WD_LOADER_3_1_6)->weak_optional);
  CHECK(!wd_loader_get(WD_LOADER_4_0_10)->legacy_dylink && wd_loader_get(WD_LOADER_4_0_10)->weak_optional);
  CHECK(wd_loader_get(WD_LOADER_4_0_20)->main_static && wd_loader_get(WD_LOADER_4_0_20)->keeps_objects);

  /* the glue's text (each phrase as that version's library_dylink.js writes it) */
  CHECK_EQ_INT(glue_loader("var asmLibraryArg={a:b};getDylinkMetadata('dylink.0');"
                           "throw new Error('bad export type for `' + symName + '`: ' + (typeof value))"),
               WD_LOADER_3_1_6);
  CHECK_EQ_INT(glue_loader("var wasmImports={a:b};var name='dylink.0';name='dylink';"
                           "throw new Error(`bad export type for '${symName}': ${typeof value}`)"),
               WD_LOADER_3_1_64);
  CHECK_EQ_INT(glue_loader("var wasmImports={a:b};failIf(name!==\"dylink.0\");"
                           "throw new Error(`bad export type for '${a}': ${typeof c}`)"),
               WD_LOADER_4_0_10);
  CHECK_EQ_INT(glue_loader("L={a:b};x={env:L};\"dylink.0\";"
                           "throw Error(`bad export type for '${a}': ${typeof c} (${c})`)"),
               WD_LOADER_4_0_20);
  CHECK_EQ_INT(glue_loader("var wasmImports={a:b};"), -1); /* no loader at all */

  /* minified import objects: followed from env:X and {a:X} */
  wd_glue *g = NULL;
  wd_error err;
  const char *min = "function jb(){L={__assert_fail:kb,memory:Ia};return{env:L,wasi_snapshot_preview1:L}}";
  CHECK(wd_glue_parse(min, strlen(min), &g, &err) == WD_OK && g->found_imports && g->nnames == 2 &&
        wd_glue_provides(g, "memory", 6));
  wd_glue_free(g);
  const char *mina = "var Xa={b:Qb,c:Rb,d:Sb};function Pb(){return{a:Xa}}";
  CHECK(wd_glue_parse(mina, strlen(mina), &g, &err) == WD_OK && g->found_imports && g->nnames == 3);
  wd_glue_free(g);
  const char *none = "export const x = {env: 1};";
  CHECK(wd_glue_parse(none, strlen(none), &g, &err) == WD_OK && !g->found_imports);
  wd_glue_free(g);
  return check_summary();
}
