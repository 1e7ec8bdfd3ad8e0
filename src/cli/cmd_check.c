/* webdoctor check DIR */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/lang.h"
#include "common/i18n.h"
#include "webdoctor/check.h"
#include "webdoctor/html_report.h"

static void check_usage(FILE *out) {
  fprintf(out, "%s", _("Usage: webdoctor check [OPTIONS] DIR\n"
                       "\n"
                       "Find every reason a Godot web export will not load, before players do. DIR is\n"
                       "an export folder (index.html, index.js, index.wasm, index.pck...), a .zip of\n"
                       "one (read in memory, as itch.io or Newgrounds would unpack it), or a Godot\n"
                       "project folder (project.godot, export_presets.cfg, .gdextension files).\n"
                       "\n"
                       "Options:\n"
                       "      --host HOST    where the export will be served (itch, github-pages,\n"
                       "                     netlify, cloudflare, nginx...; see `webdoctor headers --list`):\n"
                       "                     checks its upload limits and whether it can send headers\n"
                       "      --json         print JSON (schema webdoctor.check/1, docs/json.md)\n"
                       "      --sarif        print SARIF 2.1.0 (for code scanning)\n"
                       "      --github       print GitHub Actions workflow annotations\n"
                       "      --html FILE    also write a self-contained HTML report to FILE: the\n"
                       "                     verdict, the load chain drawn, the fixes side by side\n"
                       "  -q, --quiet        print only the summary line\n"
                       "      --strict       exit 1 on warnings too\n"
                       "      --no-code      do not decode instructions (faster, fewer feature facts)\n"
                       "      --threads N    decode the code section with N threads (default: one\n"
                       "                     per CPU); the findings are the same for any N\n"
                       "      --color=WHEN   auto, always or never\n"
                       "  -h, --help         show this help\n"
                       "\n"
                       "Findings have stable IDs (WD1xx modules and linking, WD2xx export folder,\n"
                       "WD3xx project); docs/findings.md lists them.\n"
                       "Exit status: 0 no errors, 1 errors found, 2 bad input or usage.\n"));
}


int wd_cmd_check(wd_cli *cli, int argc, char **argv) {
  enum { OPT_HOST = 256, OPT_JSON, OPT_SARIF, OPT_GITHUB, OPT_STRICT, OPT_NO_CODE, OPT_COLOR, OPT_HTML, OPT_THREADS };
  static const struct option longopts[] = {
    {"host", required_argument, NULL, OPT_HOST}, {"json", no_argument, NULL, OPT_JSON},
    {"sarif", no_argument, NULL, OPT_SARIF},     {"github", no_argument, NULL, OPT_GITHUB},
    {"quiet", no_argument, NULL, 'q'},           {"strict", no_argument, NULL, OPT_STRICT},
    {"no-code", no_argument, NULL, OPT_NO_CODE}, {"color", required_argument, NULL, OPT_COLOR},
    {"help", no_argument, NULL, 'h'},            {"html", required_argument, NULL, OPT_HTML},
    {"threads", required_argument, NULL, OPT_THREADS},
    {NULL, 0, NULL, 0},
  };
  wd_check_options o = {0};
  wd_out_format fmt = WD_OUT_TEXT;
  bool quiet = false, strict = false;
  const char *html = NULL;
  optind = 0;
  opterr = 0;
  int c;
  while ((c = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
    switch (c) {
    case OPT_HOST:
      if (!wd_cli_parse_host(cli, optarg, &o.host)) return WD_EXIT_USAGE;
      break;
    case OPT_JSON: fmt = WD_OUT_JSON; break;
    case OPT_SARIF: fmt = WD_OUT_SARIF; break;
    case OPT_GITHUB: fmt = WD_OUT_GITHUB; break;
    case OPT_HTML: html = optarg; break;
    case 'q': quiet = true; break;
    case OPT_STRICT: strict = true; break;
    case OPT_NO_CODE: o.no_code = true; break;
    case OPT_THREADS:
      if (!wd_cli_parse_threads(cli, "check", optarg, &o.threads)) return WD_EXIT_USAGE;
      break;
    case OPT_COLOR:
      if (!wd_cli_parse_color(optarg, &cli->color))
        return wd_cli_fail(cli, _("--color takes auto, always or never, not '%s'"), optarg);
      break;
    case 'h': check_usage(stdout); return WD_EXIT_OK;
    default:
      return wd_cli_opt_error(cli, "check", check_usage, c, argv);
    }
  }
  if (optind != argc - 1) {
    return wd_cli_usage_error(cli, check_usage,
        "%s", optind >= argc ? _("check: give the folder to check") : _("check: give one folder"));
  }
  const char *dir = argv[optind];
  /* an empty folder is no export and no project: bad input, not a finding */
  DIR *d = opendir(dir);
  if (d) {
    struct dirent *de;
    bool empty = true;
    while (empty && (de = readdir(d)))
      if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) empty = false;
    closedir(d);
    if (empty) return wd_cli_fail(cli, _("check: '%s' is empty: give the folder Godot exported to, or the project folder"), dir);
  }
  wd_findings fs = WD_FINDINGS_INIT;
  wd_check_summary sum;
  wd_error err;
  wd_error_clear(&err);
  if (wd_check_dir(dir, &o, &fs, &sum, &err) != WD_OK) {
    wd_findings_free(&fs);
    return wd_cli_error(cli, &err);
  }
  if (html) {
    wd_html_options ho = {.subject = dir, .dir = dir};
    if (wd_html_report_save(html, &fs, &sum, &ho, &err) != WD_OK) {
      wd_findings_free(&fs);
      return wd_cli_error(cli, &err);
    }
  }
  /* JSON: English, and the active language's texts beside them */
  wd_render_options ro = {dir, quiet, wd_lang_active()};
  cJSON *j = NULL;
  switch (fmt) {
  case WD_OUT_TEXT: {
    wd_term t;
    wd_term_init(&t, stdout, cli->color);
    if (!quiet) {
      /* TRANSLATORS: bold on, the folder, bold off */
      printf(_("%s%s%s: "), wd_term_style(&t, WD_STYLE_BOLD), dir, wd_term_style(&t, WD_STYLE_RESET));
      wd_cli_print_target(&sum, sum.threads);
      printf("\n\n");
    }
    wd_findings_text(&fs, &ro, &t);
    break;
  }
  case WD_OUT_JSON:
    j = wd_findings_json(&fs, &ro);
    if (j) cJSON_AddItemToObject(j, "target", wd_check_summary_json(&sum));
    break;
  case WD_OUT_SARIF: j = wd_findings_sarif(&fs, &ro); break;
  case WD_OUT_GITHUB: wd_findings_github(&fs, &ro, stdout); break;
  }
  if ((fmt == WD_OUT_JSON || fmt == WD_OUT_SARIF) && !wd_cli_put_json(cli, j)) {
    wd_findings_free(&fs);
    return WD_EXIT_USAGE;
  }
  return wd_cli_findings_exit(cli, &fs, strict);
}
