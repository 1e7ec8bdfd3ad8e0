/*
 * Content-Type by file extension: everything a Godot / Emscripten web export
 * holds, and the usual web assets around it.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "webdoctor/serve.h"

typedef struct mime_entry {
  const char *ext; /* lower case, sorted for bsearch */
  const char *type;
} mime_entry;

static const mime_entry mime_table[] = {
  {"aac", "audio/aac"},
  {"avif", "image/avif"},
  {"bin", "application/octet-stream"},
  {"bmp", "image/bmp"},
  {"br", "application/octet-stream"},
  {"css", "text/css; charset=utf-8"},
  {"csv", "text/csv; charset=utf-8"},
  {"data", "application/octet-stream"},   /* Emscripten --preload-file packages */
  {"flac", "audio/flac"},
  {"gif", "image/gif"},
  {"glb", "model/gltf-binary"},
  {"gltf", "model/gltf+json"},
  {"gz", "application/gzip"},
  {"htm", "text/html; charset=utf-8"},
  {"html", "text/html; charset=utf-8"},
  {"ico", "image/x-icon"},
  {"jpeg", "image/jpeg"},
  {"jpg", "image/jpeg"},
  {"js", "text/javascript; charset=utf-8"},
  {"json", "application/json"},
  {"ktx2", "image/ktx2"},
  {"m4a", "audio/mp4"},
  {"map", "application/json"},
  {"md", "text/markdown; charset=utf-8"},
  {"mjs", "text/javascript; charset=utf-8"},
  {"mp3", "audio/mpeg"},
  {"mp4", "video/mp4"},
  {"oga", "audio/ogg"},
  {"ogg", "audio/ogg"},
  {"ogv", "video/ogg"},
  {"opus", "audio/ogg"},
  {"otf", "font/otf"},
  {"pck", "application/octet-stream"},    /* Godot packs */
  {"pdf", "application/pdf"},
  {"png", "image/png"},
  {"svg", "image/svg+xml"},
  {"tar", "application/x-tar"},
  {"ttf", "font/ttf"},
  {"txt", "text/plain; charset=utf-8"},
  {"wasm", "application/wasm"},
  {"wav", "audio/wav"},
  {"webm", "video/webm"},
  {"webmanifest", "application/manifest+json"},
  {"webp", "image/webp"},
  {"woff", "font/woff"},
  {"woff2", "font/woff2"},
  {"xml", "application/xml"},
  {"zip", "application/zip"},
  {"zst", "application/zstd"},
};

static int cmp_entry(const void *key, const void *elem) {
  return strcasecmp((const char *)key, ((const mime_entry *)elem)->ext);
}

const char *wd_serve_mime_type(const char *name) {
  const char *slash = strrchr(name, '/');
  const char *base = slash ? slash + 1 : name;
  const char *dot = strrchr(base, '.');
  if (!dot || dot == base || !dot[1] || strlen(dot + 1) > 16) return "application/octet-stream";
  const mime_entry *e = bsearch(dot + 1, mime_table, sizeof mime_table / sizeof *mime_table,
                                sizeof *mime_table, cmp_entry);
  return e ? e->type : "application/octet-stream";
}

bool wd_serve_mime_compressible(const char *type) {
  return !strncmp(type, "text/", 5) || !strcmp(type, "application/wasm") ||
         !strncmp(type, "application/json", 16) || !strcmp(type, "application/manifest+json") ||
         !strcmp(type, "image/svg+xml") || !strcmp(type, "application/xml") ||
         !strcmp(type, "application/octet-stream") || !strcmp(type, "model/gltf+json");
}
