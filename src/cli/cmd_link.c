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
  int nfiles = 0;
  int status = WD_EXIT_USAGE;
  wd_link_set *set = NULL;
  wd_link_file *lf = NULL;
  wd_glue *glue = NULL;
  wd_link_result *res = NULL;
  if (!files || !preload) {
    wd_cli_fail(cli, "%s", _("out of memory"));
    goto out;
  }
  optind = 0;
  opterr = 0;
  int c;
  while ((c = getopt_long(argc, argv, "-:vh", longopts, NULL)) != -1) {
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
      status = wd_cli_opt_error(cli, "link", link_usage, c, argv);
      goto out;
    }
  }
  /* after "--" every argument is a file, even one named like an option */
  while (optind < argc) files[nfiles++] = argv[optind++];
  if (nfiles < 1) {
    status = wd_cli_usage_error(cli, link_usage, "%s", _("link: give the main module and at least one side module"));
    goto out;
  }
  lf = calloc((size_t)nfiles, sizeof *lf);
  if (!lf) {
    wd_cli_fail(cli, "%s", _("out of memory"));
    goto out;
  }
  for (int i = 0; i < nfiles; i++) lf[i] = (wd_link_file){files[i], preload[i]};
  wd_error serr;
  wd_error_clear(&serr);
  if (wd_link_set_open(lf, (uint32_t)nfiles, &set, &serr) != WD_OK) {
    wd_cli_error(cli, &serr);
    wd_cli_compile_errors(serr.file, &serr);
    goto out;
  }
  if (glue_path) {
    wd_error err;
    wd_error_clear(&err);
    if (wd_glue_open(glue_path, &glue, &err) != WD_OK) {
      wd_cli_error(cli, &err);
      goto out;
    }
  }
  const char *main_name = strrchr(set->main_path, '/');
  main_name = main_name ? main_name + 1 : set->main_path;
  wd_link_input in = {set->main, main_name, glue, set->sides, set->nsides, call, false, 0, NULL};
  if (glue && !glue->found_imports) in.glue_unread = glue_path;
  wd_error err;
  wd_error_clear(&err);
  if (wd_link_run(&in, &res, &err) != WD_OK) {
    wd_cli_error(cli, &err);
    goto out;
  }
  wd_link_report_options o = {engines, call, NULL, verbose, set->moved_first, set->main_path, wd_lang_active()};
  if (json) {
    cJSON *j = wd_link_json(res, &o);
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
  wd_link_set_free(set);
  free(lf);
  free(files);
  free(preload);
  return status;
}
