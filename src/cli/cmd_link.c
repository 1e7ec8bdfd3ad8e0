/* webdoctor link MAIN.wasm SIDE.wasm... */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/lang.h"
#include "common/i18n.h"
#include "webdoctor/link_report.h"

static void link_usage(FILE *out) {
  fprintf(out, "%s", _("Usage: webdoctor link [OPTIONS] MAIN.wasm SIDE.wasm...\n"
                       "\n"
                       "Model how a browser instantiates an Emscripten main module and loads its\n"
                       "side modules (a Godot engine and its GDExtensions), and predict the exact\n"
                       "error each engine prints, before anyone opens a browser.\n"
                       "\n"
                       "Side modules load in the order given; a file named *.side.wasm (Godot's\n"
                       "dlink engine) is preloaded like Module.dynamicLibraries, the others are\n"
                       "loaded the way Godot loads GDExtensions. dylink.0 NEEDED libraries are\n"
                       "looked up among the files given, by file name.\n"
                       "\n"
                       "Options:\n"
                       "      --glue FILE      the main module's JS glue (index.js): check that it\n"
                       "                       provides every import of the main module\n"
                       "      --engine NAME    chrome (V8), node (Node 20's V8), firefox, safari,\n"
                       "                       or all (default)\n"
                       "      --dlopen         load side modules as C dlopen() does\n"
                       "                       (new WebAssembly.Instance) instead of Godot's\n"
                       "                       WebAssembly.instantiate()\n"
                       "      --preload FILE   load FILE as a preloaded library (global symbols)\n"
                       "  -v, --verbose        also list the modules that load cleanly\n"
                       "      --json           print JSON (schema webdoctor.link/1, docs/json.md)\n"
                       "      --color=WHEN     auto, always or never\n"
                       "  -h, --help           show this help\n"
                       "\n"
                       "Exit status: 0 it will load, 1 it will not, 2 bad input or usage.\n"));
}

static const char *base_name(const char *p) {
  const char *s = strrchr(p, '/');
  return s ? s + 1 : p;
}

/* dylink.0 NEEDED libraries not given on the command line are looked up
 * next to the library that needs them, as the loader would request them. */
static int open_needed(wd_cli *cli, const char ***files, bool **preload, wd_module ***mods,
                       int *nfiles, int *cap) {
  for (int i = 1; i < *nfiles; i++) {
    const wd_module *m = (*mods)[i];
    for (uint32_t k = 0; k < m->dylink.nneeded; k++) {
      wd_str need = m->dylink.needed[k];
      bool have = false;
      for (int j = 1; j < *nfiles; j++)
        if (wd_str_eq(need, base_name((*files)[j]))) have = true;
      if (have) continue;
      const char *slash = strrchr((*files)[i], '/');
      int dirlen = slash ? (int)(slash - (*files)[i]) + 1 : 0;
      size_t n = (size_t)dirlen + need.len + 1;
      char *path = malloc(n);
      if (!path) return -1;
      snprintf(path, n, "%.*s%.*s", dirlen, (*files)[i], (int)need.len, need.ptr);
      FILE *probe = fopen(path, "rb");
      if (!probe) {
        free(path); /* the model reports it as missing */
        continue;
      }
      fclose(probe);
      if (*nfiles == *cap) {
        int ncap = *cap * 2;
        const char **nf = realloc(*files, (size_t)ncap * sizeof **files);
        if (nf) *files = nf;
        bool *np = realloc(*preload, (size_t)ncap * sizeof **preload);
        if (np) *preload = np;
        wd_module **nm = realloc(*mods, (size_t)ncap * sizeof **mods);
        if (nm) *mods = nm;
        if (!nf || !np || !nm) {
          free(path);
          return -1;
        }
        *cap = ncap;
      }
      wd_error err;
      wd_read_options ro = {.skip_code = true};
      if (wd_module_open(path, &ro, &(*mods)[*nfiles], &err) != WD_OK) {
        wd_cli_error(cli, &err);
        free(path);
        return -2;
      }
      (*files)[*nfiles] = path; /* freed with the command's files */
      (*preload)[*nfiles] = (*preload)[i];
      (*nfiles)++;
    }
  }
  return 0;
}

static bool ends_with(const char *s, const char *suf) {
  size_t a = strlen(s), b = strlen(suf);
  return a >= b && strcmp(s + a - b, suf) == 0;
}

int wd_cmd_link(wd_cli *cli, int argc, char **argv) {
  enum { OPT_GLUE = 256, OPT_ENGINE, OPT_DLOPEN, OPT_PRELOAD, OPT_JSON, OPT_COLOR };
  static const struct option longopts[] = {
    {"glue", required_argument, NULL, OPT_GLUE},
    {"engine", required_argument, NULL, OPT_ENGINE},
    {"dlopen", no_argument, NULL, OPT_DLOPEN},
    {"preload", required_argument, NULL, OPT_PRELOAD},
    {"verbose", no_argument, NULL, 'v'},
    {"json", no_argument, NULL, OPT_JSON},
    {"color", required_argument, NULL, OPT_COLOR},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  const char *glue_path = NULL;
  unsigned engines = 0;
  bool json = false, verbose = false;
  wd_link_call call = WD_CALL_INSTANTIATE;
  /* files in command-line order, with their mode */
  const char **files = calloc((size_t)argc + 1, sizeof *files);
  bool *preload = calloc((size_t)argc + 1, sizeof *preload);
  int nfiles = 0, given = 0;
  int status = WD_EXIT_USAGE;
  wd_module **mods = NULL;
  wd_link_side *sides = NULL;
  wd_glue *glue = NULL;
  wd_link_result *res = NULL;
  if (!files || !preload) {
    wd_cli_fail(cli, "%s", _("out of memory"));
    goto out;
  }
  optind = 0;
  opterr = 0;
  int c;
  while ((c = getopt_long(argc, argv, "-vh", longopts, NULL)) != -1) {
    switch (c) {
    case 1: files[nfiles++] = optarg; break;
    case OPT_GLUE: glue_path = optarg; break;
    case OPT_ENGINE: {
      if (!strcmp(optarg, "all")) {
        engines = 0;
        break;
      }
      wd_engine e;
      if (!wd_engine_parse(optarg, &e)) {
        wd_cli_fail(cli, _("--engine takes chrome, node, firefox, safari or all, not '%s'"), optarg);
        goto out;
      }
      engines |= 1u << e;
      break;
    }
    case OPT_DLOPEN: call = WD_CALL_INSTANCE; break;
    case OPT_PRELOAD:
      preload[nfiles] = true;
      files[nfiles++] = optarg;
      break;
    case 'v': verbose = true; break;
    case OPT_JSON: json = true; break;
    case OPT_COLOR:
      if (!wd_cli_parse_color(optarg, &cli->color)) {
        wd_cli_fail(cli, _("--color takes auto, always or never, not '%s'"), optarg);
        goto out;
      }
      break;
    case 'h':
      link_usage(stdout);
      status = WD_EXIT_OK;
      goto out;
    default:
      wd_cli_fail(cli, _("link: unknown option '%s'"), argv[optind - 1]);
      link_usage(stderr);
      goto out;
    }
  }
  if (nfiles < 1) {
    wd_cli_fail(cli, "%s", _("link: give the main module and at least one side module"));
    link_usage(stderr);
    goto out;
  }
  int cap = argc + 1;
  mods = calloc((size_t)cap, sizeof *mods);
  if (!mods) {
    wd_cli_fail(cli, "%s", _("out of memory"));
    goto out;
  }
  wd_read_options ro = {.skip_code = true};
  for (int i = 0; i < nfiles; i++) {
    wd_error err;
    if (wd_module_open(files[i], &ro, &mods[i], &err) != WD_OK) {
      wd_cli_error(cli, &err);
      goto out;
    }
  }
  if (glue_path) {
    wd_error err;
    wd_error_clear(&err);
    if (wd_glue_open(glue_path, &glue, &err) != WD_OK) {
      wd_cli_error(cli, &err);
      goto out;
    }
    if (!glue->found_imports) {
      wd_cli_fail(cli, _("%s: no import object (asmLibraryArg or wasmImports) found: is it Emscripten's JS glue?"),
                  glue_path);
      goto out;
    }
  }
  given = nfiles;
  int rc = open_needed(cli, &files, &preload, &mods, &nfiles, &cap);
  if (rc) {
    if (rc == -1) wd_cli_fail(cli, "%s", _("out of memory"));
    goto out;
  }
  sides = calloc((size_t)nfiles, sizeof *sides);
  if (!sides) {
    wd_cli_fail(cli, "%s", _("out of memory"));
    goto out;
  }
  for (int i = 1; i < nfiles; i++) {
    sides[i - 1].module = mods[i];
    sides[i - 1].name = base_name(files[i]);
    sides[i - 1].mode = preload[i] || ends_with(files[i], ".side.wasm") ? WD_SIDE_PRELOAD : WD_SIDE_EXTENSION;
  }
  wd_link_input in = {mods[0], base_name(files[0]), glue, sides, (uint32_t)(nfiles - 1), call};
  wd_error err;
  wd_error_clear(&err);
  if (wd_link_run(&in, &res, &err) != WD_OK) {
    wd_cli_error(cli, &err);
    goto out;
  }
  wd_link_report_options o = {engines, call, NULL, verbose};
  if (json) {
    cJSON *j = wd_link_json(res, &o);
    if (j && wd_lang_active()) {
      /* explanations are written as the JSON is built: once more in English */
      wd_lang_english(true);
      cJSON *en = wd_link_json(res, &o);
      wd_lang_english(false);
      if (en) {
        wd_lang_json(en, j);
        wd_lang_json_root(en);
        cJSON_Delete(j);
        j = en;
      }
    }
    if (!wd_cli_put_json(cli, j)) {
      status = WD_EXIT_USAGE;
      goto out;
    }
  } else {
    wd_term t;
    wd_term_init(&t, stdout, cli->color);
    wd_link_text(res, &o, &t);
  }
  status = res->loads ? WD_EXIT_OK : WD_EXIT_PROBLEMS;
  if (fflush(stdout) != 0) status = wd_cli_fail(cli, "%s", _("cannot write to standard output"));
out:
  wd_link_result_free(res);
  wd_glue_free(glue);
  if (mods)
    for (int i = 0; i < nfiles; i++) wd_module_free(mods[i]);
  free(mods);
  free(sides);
  for (int i = given; i < nfiles; i++) free((char *)files[i]);
  free(files);
  free(preload);
  return status;
}
