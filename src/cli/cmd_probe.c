/* webdoctor probe URL */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/lang.h"
#include "common/i18n.h"
#include "common/str.h"
#include "webdoctor/probe.h"

static void probe_usage(FILE *out) {
  fprintf(out, "%s", _("Usage: webdoctor probe [OPTIONS] URL\n"
                       "\n"
                       "Check a deployed Godot web export as a browser sees it: fetch the page, follow\n"
                       "GODOT_CONFIG to every file it loads (in parallel), check status codes,\n"
                       "COOP/COEP/CORP, Content-Type, Content-Encoding against the bytes, sizes against\n"
                       "fileSizes, caching and the secure context, then run `check` (and its link check)\n"
                       "on the files as received.\n"
                       "\n"
                       "Options:\n"
                       "      --json             print JSON (schema webdoctor.check/1, docs/json.md)\n"
                       "      --sarif            print SARIF 2.1.0\n"
                       "      --github           print GitHub Actions workflow annotations\n"
                       "  -q, --quiet            print only the summary line\n"
                       "      --strict           exit 1 on warnings too\n"
                       "      --no-code          do not decode instructions (faster link check)\n"
                       "      --timeout SECONDS  for each transfer, whole (default 120)\n"
                       "      --connect-timeout SECONDS  (default 10)\n"
                       "      --max-redirects N  for each transfer (default 10)\n"
                       "      --max-size MIB     for each file (default 512)\n"
                       "      --parallel N       transfers at once (default 6)\n"
                       "      --resolve HOST:PORT:ADDRESS  connect to ADDRESS for HOST:PORT (as curl's;\n"
                       "                         to probe a server before DNS points to it)\n"
                       "  -k, --insecure         do not verify TLS certificates\n"
                       "      --cacert FILE      trust the certificates in FILE\n"
                       "      --no-progress      no progress bar (shown on a terminal, on stderr)\n"
                       "      --color=WHEN       auto, always or never\n"
                       "  -h, --help             show this help\n"
                       "\n"
                       "Findings: WD4xx for HTTP and hosting, and check's WD1xx/WD2xx about the files\n"
                       "(docs/findings.md).\n"
                       "Exit status: 0 no errors, 1 errors found, 2 bad URL, unreachable page or usage.\n"));
}


typedef struct bar {
  bool on, drawn;
} bar;

static void draw_bar(void *user, const wd_probe_progress *p) {
  bar *b = user;
  if (!b->on) return;
  int width = 30;
  double frac = p->total ? (double)p->done / (double)p->total : 0;
  if (frac > 1) frac = 1;
  int fill = (int)(frac * width + 0.5);
  char line[160];
  int k = snprintf(line, sizeof line, "\r[");
  for (int i = 0; i < width && k < (int)sizeof line - 1; i++) line[k++] = i < fill ? '#' : '-';
  snprintf(line + k, sizeof line - (size_t)k, _("] %3.0f%%  %.1f/%.1f MiB  %u/%u files "), frac * 100,
           (double)p->done / 1048576.0, (double)p->total / 1048576.0, p->files_done, p->files_total);
  fputs(line, stderr);
  fflush(stderr);
  b->drawn = true;
}

static void clear_bar(bar *b) {
  if (b->drawn) fputs("\r\033[K", stderr);
  b->drawn = false;
}

static bool parse_num(const char *s, double max, double *out) {
  char *end;
  double v = strtod(s, &end);
  if (end == s || *end || v <= 0 || v > max) return false;
  *out = v;
  return true;
}

static void print_transfers(const wd_probe_result *r, const wd_term *t) {
  for (uint32_t i = 0; i < r->nassets; i++) {
    const wd_probe_asset *x = &r->assets[i];
    char ct[40] = "", size[32] = "";
    if (x->content_type) {
      size_t k = strcspn(x->content_type, ";");
      snprintf(ct, sizeof ct, "%.*s", (int)(k < sizeof ct - 1 ? k : sizeof ct - 1), x->content_type);
    }
    uint64_t n = x->body_bytes ? x->body_bytes : x->wire_bytes;
    wd_format_size(n, size, sizeof size);
    wd_style st = x->status >= 200 && x->status < 300 && !x->error ? WD_STYLE_GREEN : WD_STYLE_RED;
    if (x->status) printf("  %s%3ld%s ", wd_term_style(t, st), x->status, wd_term_style(t, WD_STYLE_RESET));
    else printf("  %s---%s ", wd_term_style(t, st), wd_term_style(t, WD_STYLE_RESET));
    printf("%-44s %-24s %10s", x->name, ct, size);
    if (x->content_encoding) printf("  %s", x->content_encoding);
    if (x->kind == WD_ASSET_PAGE) printf("%s%s", x->coop ? "  COOP" : "", x->coep ? "  COEP" : "");
    if (x->error) printf("  %s", x->error);
    putchar('\n');
  }
  putchar('\n');
}

int wd_cmd_probe(wd_cli *cli, int argc, char **argv) {
  enum {
    OPT_JSON = 256, OPT_SARIF, OPT_GITHUB, OPT_STRICT, OPT_NO_CODE, OPT_COLOR, OPT_TIMEOUT, OPT_CONNECT,
    OPT_REDIRS, OPT_MAX_SIZE, OPT_PARALLEL, OPT_RESOLVE, OPT_CACERT, OPT_NO_PROGRESS
  };
  static const struct option longopts[] = {
    {"json", no_argument, NULL, OPT_JSON},
    {"sarif", no_argument, NULL, OPT_SARIF},
    {"github", no_argument, NULL, OPT_GITHUB},
    {"quiet", no_argument, NULL, 'q'},
    {"strict", no_argument, NULL, OPT_STRICT},
    {"no-code", no_argument, NULL, OPT_NO_CODE},
    {"color", required_argument, NULL, OPT_COLOR},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"connect-timeout", required_argument, NULL, OPT_CONNECT},
    {"max-redirects", required_argument, NULL, OPT_REDIRS},
    {"max-size", required_argument, NULL, OPT_MAX_SIZE},
    {"parallel", required_argument, NULL, OPT_PARALLEL},
    {"resolve", required_argument, NULL, OPT_RESOLVE},
    {"insecure", no_argument, NULL, 'k'},
    {"cacert", required_argument, NULL, OPT_CACERT},
    {"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  wd_probe_options o;
  wd_probe_options_init(&o);
  const char *resolve[16];
  uint32_t nresolve = 0;
  wd_out_format fmt = WD_OUT_TEXT;
  bool quiet = false, strict = false, progress = true;
  optind = 0;
  opterr = 0;
  int c;
  double v;
  while ((c = getopt_long(argc, argv, ":qkh", longopts, NULL)) != -1) {
    switch (c) {
    case OPT_JSON: fmt = WD_OUT_JSON; break;
    case OPT_SARIF: fmt = WD_OUT_SARIF; break;
    case OPT_GITHUB: fmt = WD_OUT_GITHUB; break;
    case 'q': quiet = true; break;
    case OPT_STRICT: strict = true; break;
    case OPT_NO_CODE: o.no_code = true; break;
    case OPT_COLOR:
      if (!wd_cli_parse_color(optarg, &cli->color))
        return wd_cli_fail(cli, _("--color takes auto, always or never, not '%s'"), optarg);
      break;
    case OPT_TIMEOUT:
      if (!parse_num(optarg, 86400, &v)) return wd_cli_fail(cli, _("--timeout takes seconds, not '%s'"), optarg);
      o.timeout_ms = (long)(v * 1000);
      break;
    case OPT_CONNECT:
      if (!parse_num(optarg, 3600, &v))
        return wd_cli_fail(cli, _("--connect-timeout takes seconds, not '%s'"), optarg);
      o.connect_timeout_ms = (long)(v * 1000);
      break;
    case OPT_REDIRS:
      if (!strcmp(optarg, "0")) {
        o.max_redirects = 0;
        break;
      }
      if (!parse_num(optarg, 100, &v) || v != (long)v)
        return wd_cli_fail(cli, _("--max-redirects takes a number from 0 to 100, not '%s'"), optarg);
      o.max_redirects = (long)v;
      break;
    case OPT_MAX_SIZE:
      if (!parse_num(optarg, 65536, &v)) return wd_cli_fail(cli, _("--max-size takes MiB, not '%s'"), optarg);
      o.max_size = (uint64_t)(v * 1048576.0);
      break;
    case OPT_PARALLEL:
      if (!parse_num(optarg, 64, &v) || v != (long)v)
        return wd_cli_fail(cli, _("--parallel takes a number from 1 to 64, not '%s'"), optarg);
      o.max_parallel = (uint32_t)v;
      break;
    case OPT_RESOLVE:
      if (nresolve == 16) return wd_cli_fail(cli, "%s", _("--resolve: at most 16"));
      if (!strchr(optarg, ':')) return wd_cli_fail(cli, _("--resolve takes HOST:PORT:ADDRESS, not '%s'"), optarg);
      resolve[nresolve++] = optarg;
      break;
    case 'k': o.insecure = true; break;
    case OPT_CACERT: o.cacert = optarg; break;
    case OPT_NO_PROGRESS: progress = false; break;
    case 'h': probe_usage(stdout); return WD_EXIT_OK;
    default:
      return wd_cli_opt_error(cli, "probe", probe_usage, c, argv);
    }
  }
  if (optind != argc - 1) {
    return wd_cli_usage_error(cli, probe_usage,
        "%s", optind >= argc ? _("probe: give the URL of the page") : _("probe: give one URL"));
  }
  const char *url = argv[optind];
  o.resolve = resolve;
  o.nresolve = nresolve;
  bar b = {progress && !quiet && isatty(STDERR_FILENO), false};
  o.progress = draw_bar;
  o.progress_user = &b;
  wd_findings fs = WD_FINDINGS_INIT;
  wd_probe_result *r = NULL;
  wd_error err;
  wd_error_clear(&err);
  wd_status s = wd_probe_url(url, &o, &fs, &r, &err);
  clear_bar(&b);
  if (s != WD_OK) {
    wd_findings_free(&fs);
    return wd_cli_error(cli, &err);
  }
  wd_render_options ro = {url, quiet, wd_lang_active()};
  cJSON *j = NULL;
  switch (fmt) {
  case WD_OUT_TEXT: {
    wd_term t;
    wd_term_init(&t, stdout, cli->color);
    if (!quiet) {
      const wd_check_summary *sum = &r->summary;
      /* TRANSLATORS: bold on, the URL, bold off */
      printf(_("%s%s%s: "), wd_term_style(&t, WD_STYLE_BOLD), r->final_url ? r->final_url : url,
             wd_term_style(&t, WD_STYLE_RESET));
      if (r->has_config) {
        wd_cli_print_target(sum, r->threads);
      } else {
        printf("%s", _("no Godot web export"));
      }
      printf(_(", %s%s\n\n"), r->secure_context ? _("secure context") : _("not a secure context"),
             r->isolated ? _(", cross-origin isolated") : r->sw_isolation ? _(", isolated by a service worker") : "");
      print_transfers(r, &t);
    }
    wd_findings_text(&fs, &ro, &t);
    break;
  }
  case WD_OUT_JSON:
    j = wd_findings_json(&fs, &ro);
    if (j) cJSON_AddItemToObject(j, "target", wd_probe_result_json(r));
    break;
  case WD_OUT_SARIF: j = wd_findings_sarif(&fs, &ro); break;
  case WD_OUT_GITHUB: wd_findings_github(&fs, &ro, stdout); break;
  }
  wd_probe_result_free(r);
  if ((fmt == WD_OUT_JSON || fmt == WD_OUT_SARIF) && !wd_cli_put_json(cli, j)) {
    wd_findings_free(&fs);
    return WD_EXIT_USAGE;
  }
  return wd_cli_findings_exit(cli, &fs, strict);
}
