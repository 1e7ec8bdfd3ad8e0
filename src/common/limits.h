/*
 * Size limits: the most webdoctor reads of each kind of input, in one place.
 * Each is far above what a real export has, and low enough that a wrong or
 * hostile file cannot make webdoctor use gigabytes. Going over one is an
 * error naming the file (or, for optional inputs, the input is skipped),
 * never a crash. (The Godot ConfigFile limits are WD_CFG_MAX_* in
 * webdoctor/cfg.h, part of that reader's interface.)
 */
#ifndef WD_LIMITS_H
#define WD_LIMITS_H

#include <stdint.h>

#define WD_MIB ((uint64_t)1 << 20)

/* An HTML shell (index.html): Godot's is ~6 KiB, with an inlined splash a few MiB. */
#define WD_MAX_SHELL_SIZE (16 * WD_MIB)
/* The engine's JS glue (index.js), read for features and the loader: Godot's is ~300 KiB. */
#define WD_MAX_ENGINE_JS_SIZE (64 * WD_MIB)
/* A JS glue file given to `link --glue` or read by the link model. */
#define WD_MAX_GLUE_SIZE (256 * WD_MIB)
/* The PWA service worker script: Godot's is ~5 KiB. */
#define WD_MAX_SERVICE_WORKER_SIZE (8 * WD_MIB)
/* .godot/extension_list.cfg inside a .pck: one line per GDExtension. */
#define WD_MAX_EXTENSION_LIST_SIZE (1 * WD_MIB)
/* The engine .wasm inside a custom export template zip: Godot's is ~40 MiB. */
#define WD_MAX_TEMPLATE_ENGINE_SIZE (512 * WD_MIB)
/* An existing host configuration file `headers --write` merges into. */
#define WD_MAX_HOST_CONFIG_SIZE (64 * WD_MIB)
/* A TLS certificate or key file for `serve --tls-*` (PEM). */
#define WD_MAX_PEM_SIZE (1 * WD_MIB)
/* `probe --max-size` by default: the largest file probe downloads. */
#define WD_PROBE_DEFAULT_MAX_SIZE (512 * WD_MIB)
/* Not a limit: from this size an uncompressed .wasm or .pck gets WD409. */
#define WD_UNCOMPRESSED_NOTE_SIZE (1 * WD_MIB)

#endif
