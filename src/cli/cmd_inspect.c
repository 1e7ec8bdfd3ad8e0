/* webdoctor inspect FILE.wasm... */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/lang.h"
#include "common/i18n.h"
#include "webdoctor/inspect.h"

static void inspect_usage(FILE *out) {
  fprintf(out, "%s", _("Usage: webdoctor inspect [OPTIONS] FILE.wasm...\n"
                       "\n"
                       "Show what a WebAssembly module is: its role in dynamic linking (Emscripten\n"
                       "main module, side module, standalone), memory (imported or defined, shared\n"
                       "or not, limits), table, imports and exports, dylink.0, the features its code\n"
                       "uses and the oldest Chrome, Firefox and Safari that run them.\n"
                       "\n"
                       "Options:\n"
                       "  -s, --sections   list every section with offsets and sizes\n"
                       "  -i, --imports    list every import\n"
                       "  -e, --exports    list every export\n"
                       "  -f, --features   list the features with browser versions\n"
                       "  -a, --all        the summary and every list\n"
                       "      --no-code    do not decode instructions (faster; features from\n"
                       "                   types and sections only)\n"
                       "      --threads N  decode the code section with N threads (default: one\n"
                       "                   per CPU); the output is the same for any N\n"
                       "      --json       print JSON (schema webdoctor.inspect/1, docs/json.md)\n"
                       "      --color=WHEN auto, always or never\n"
                       "  -h, --help       show this help\n"
                       "\n"
                       "With a list option, only the lists asked for are printed; --sections,\n"
                       "--imports and --exports alone do not decode instructions.\n"
                       "Exit status: 0 success, 2 unreadable or malformed input.\n"));
}

int wd_cmd_inspect(wd_cli *cli, int argc, char **argv) {
  enum { OPT_JSON = 256, OPT_NO_CODE, OPT_COLOR, OPT_THREADS };
  static const struct option longopts[] = {
    {"sections", no_argument, NULL, 's'}, {"imports", no_argument, NULL, 'i'},
    {"exports", no_argument, NULL, 'e'},  {"features", no_argument, NULL, 'f'},
    {"all", no_argument, NULL, 'a'},      {"json", no_argument, NULL, OPT_JSON},
    {"no-code", no_argument, NULL, OPT_NO_CODE},
    {"color", required_argument, NULL, OPT_COLOR},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"help", no_argument, NULL, 'h'},     {NULL, 0, NULL, 0},
  };
  wd_inspect_options o = {0};
  bool json = false, lists = false, all = false;
  wd_read_options ro = {0};
  optind = 0;
  opterr = 0;
  int c;
  while ((c = getopt_long(argc, argv, ":sieafh", longopts, NULL)) != -1) {
    switch (c) {
    case 's': o.sections = lists = true; break;
    case 'i': o.imports = lists = true; break;
    case 'e': o.exports = lists = true; break;
    case 'f': o.features = lists = true; break;
    case 'a': all = true; break;
    case OPT_JSON: json = true; break;
    case OPT_NO_CODE: ro.skip_code = true; break;
    case OPT_THREADS:
      if (!wd_cli_parse_threads(cli, "inspect", optarg, &ro.threads)) return WD_EXIT_USAGE;
      break;
    case OPT_COLOR:
      if (!wd_cli_parse_color(optarg, &cli->color))
        return wd_cli_fail(cli, _("--color takes auto, always or never, not '%s'"), optarg);
      break;
    case 'h': inspect_usage(stdout); return WD_EXIT_OK;
    default:
      return wd_cli_opt_error(cli, "inspect", inspect_usage, c, argv);
    }
  }
  if (optind >= argc) {
    return wd_cli_usage_error(cli, inspect_usage, "%s", _("inspect: no input file"));
  }
  if (all) o.summary = o.sections = o.imports = o.exports = o.features = true;
  else if (!lists) o.summary = true;
  /* The summary and the feature list tell what the code uses, and JSON
   * always has both; the other lists need no instruction decoded. */
  if (!json && !o.summary && !o.features) ro.skip_code = true;

  wd_term t;
  wd_term_init(&t, stdout, cli->color);
  cJSON *root = NULL, *mods = NULL;
  if (json) {
    root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "schema", WD_INSPECT_SCHEMA);
    wd_lang_json_root(root);
    mods = cJSON_AddArrayToObject(root, "modules");
  }
  int status = WD_EXIT_OK;
  for (int i = optind; i < argc; i++) {
    wd_error err;
    wd_module *m;
    if (wd_module_open(argv[i], &ro, &m, &err) != WD_OK) {
      wd_cli_error(cli, &err);
      wd_cli_compile_errors(argv[i], &err);
      status = WD_EXIT_USAGE;
      continue;
    }
    if (json) {
      cJSON *mj = wd_inspect_json(m, argv[i], wd_lang_active());
      if (mj) cJSON_AddItemToArray(mods, mj);
    } else {
      if (i > optind) fputc('\n', stdout);
      wd_inspect_text(m, argv[i], &o, &t);
    }
    wd_module_free(m);
  }
  if (json) {
    if (!wd_cli_put_json(cli, root)) status = WD_EXIT_USAGE;
  }
  if (fflush(stdout) != 0) return wd_cli_fail(cli, "%s", _("cannot write to standard output"));
  return status;
}
