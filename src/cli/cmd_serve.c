/* webdoctor serve [DIR] */
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/limits.h"
#include "cli/cli.h"
#include "cli/lang.h"
#include "common/file.h"
#include "common/i18n.h"
#include "webdoctor/check.h"
#include "webdoctor/html_report.h"
#include "webdoctor/serve.h"
#include "wd_config.h"

static void serve_usage(FILE *out) {
  fprintf(out, "%s", _("Usage: webdoctor serve [OPTIONS] [DIR]\n"
                       "\n"
                       "Serve a web export folder (default: the current folder) the way a threaded\n"
                       "Godot export needs, and say in the page itself what is wrong when it does\n"
                       "not load. Sends Cross-Origin-Opener-Policy: same-origin,\n"
                       "Cross-Origin-Embedder-Policy: require-corp and Cross-Origin-Resource-Policy:\n"
                       "same-origin, the right Content-Type (application/wasm...), precompressed\n"
                       ".br/.zst/.gz copies chosen by Accept-Encoding, ETag, Range, and\n"
                       "Cache-Control: no-cache. Runs `webdoctor check` on DIR first and prints the\n"
                       "findings; HTML pages get a small diagnosis script that shows the matching\n"
                       "finding when the page fails to load.\n"
                       "\n"
                       "Options:\n"
                       "  -p, --port N          port (default 8060; 0 picks a free one)\n"
                       "  -b, --bind ADDR       address to listen on (default 127.0.0.1; anything\n"
                       "                        else is reachable from other machines: a warning says so)\n"
                       "      --open            open the page in the default browser\n"
                       "      --tls CERT KEY    HTTPS with these PEM files\n"
                       "      --coep VALUE      require-corp (default) or credentialless\n"
                       "      --no-isolation    send no COOP/COEP/CORP headers (to see a page fail\n"
                       "                        as on a plain server)\n"
                       "      --no-inject       do not add the diagnosis script to HTML pages\n"
                       "      --no-check        do not run check on start\n"
                       "      --app             serve the web app (drop an export or a project on the\n"
                       "                        page and read the report; built with `--target web`)\n"
                       "                        in place of a folder\n"
                       "  -q, --quiet           no access log (one line per request otherwise)\n"
                       "      --threads N       worker threads (default: one per CPU)\n"
                       "      --color=WHEN      auto, always or never\n"
                       "  -h, --help            show this help\n"
                       "\n"
                       "Stops cleanly on Ctrl-C (SIGINT), SIGTERM or SIGHUP.\n"
                       "Exit status: 0 stopped cleanly, 2 bad usage or the server could not start.\n"));
}

typedef struct log_state {
  wd_term term;
} log_state;

/* One access-log line; the request-target is untrusted: escape it. */
static void access_log(void *ctx, const wd_serve_request *r) {
  log_state *ls = ctx;
  char line[2400];
  size_t n = 0;
  time_t now = time(NULL);
  struct tm tm;
  localtime_r(&now, &tm);
  n += (size_t)snprintf(line + n, sizeof line - n, "%02d:%02d:%02d %s \"%s ", tm.tm_hour, tm.tm_min, tm.tm_sec,
                        r->client, r->method);
  for (const unsigned char *p = (const unsigned char *)r->path; *p && n < 2000; p++) {
    if (*p < 0x20 || *p >= 0x7f || *p == '"' || *p == '\\') n += (size_t)snprintf(line + n, sizeof line - n, "\\x%02x", *p);
    else line[n++] = (char)*p;
  }
  const char *color = "";
  if (r->status >= 400) color = wd_term_style(&ls->term, WD_STYLE_RED);
  else if (r->status >= 300) color = wd_term_style(&ls->term, WD_STYLE_CYAN);
  n += (size_t)snprintf(line + n, sizeof line - n, " %s\" %s%u%s %llu", r->version, color, r->status,
                        wd_term_style(&ls->term, WD_STYLE_RESET), (unsigned long long)r->bytes);
  if (r->encoding && n < sizeof line) n += (size_t)snprintf(line + n, sizeof line - n, " %s", r->encoding);
  if (r->injected && n < sizeof line) n += (size_t)snprintf(line + n, sizeof line - n, " +diagnosis");
  if (n >= sizeof line - 1) n = sizeof line - 2;
  line[n++] = '\n';
  fwrite(line, 1, n, stdout); /* one call: lines from several threads never interleave */
}

static char *load_pem(const wd_cli *cli, const char *path, size_t *len) {
  wd_file f;
  wd_error err;
  wd_error_clear(&err);
  if (wd_file_load(path, &f, WD_MAX_PEM_SIZE, &err) != WD_OK) {
    wd_cli_error(cli, &err);
    return NULL;
  }
  char *s = malloc((size_t)f.size + 1);
  if (s) {
    memcpy(s, f.data, (size_t)f.size);
    s[f.size] = '\0';
    *len = (size_t)f.size;
  } else {
    wd_cli_fail(cli, "%s", _("out of memory"));
  }
  wd_file_close(&f);
  return s;
}

/* Read CERT and KEY and check them as the server will use them, before
 * anything else is printed. */
static bool load_tls(const wd_cli *cli, const char *cert, const char *key, char **cert_pem, char **key_pem) {
  size_t clen = 0, klen = 0;
  *cert_pem = load_pem(cli, cert, &clen);
  *key_pem = *cert_pem ? load_pem(cli, key, &klen) : NULL;
  if (*key_pem) {
    wd_error err;
    wd_error_clear(&err);
    if (wd_serve_tls_check(*cert_pem, clen, cert, *key_pem, klen, key, &err) == WD_OK) return true;
    wd_cli_error(cli, &err);
  }
  free(*cert_pem);
  free(*key_pem);
  *cert_pem = *key_pem = NULL;
  return false;
}

static void open_browser(const char *url) {
  pid_t pid = fork();
  if (pid == 0) {
    /* the child: a detached opener that must not hold the terminal */
    setsid();
    execlp("xdg-open", "xdg-open", url, (char *)NULL);
    _exit(127);
  }
  if (pid > 0) {
    int st = 0;
    /* xdg-open returns quickly; do not wait for a browser */
    for (int i = 0; i < 20; i++) {
      if (waitpid(pid, &st, WNOHANG) == pid) {
        if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
          fprintf(stderr, _("webdoctor: could not open a browser (no xdg-open); open %s\n"), url);
        return;
      }
      usleep(50000);
    }
  }
}

static char *page_findings_zh(const wd_findings *fs, const wd_check_summary *sum, const char *dir);

static const char *signal_name(int sig) {
  return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "SIGHUP";
}

/* Run check on DIR: print the findings, return them as JSON in English for
 * the page (and *report as check's HTML report, *zh with the Chinese texts
 * beside the English ones). */
static char *run_check(const wd_cli *cli, const char *dir, char **report, char **zh) {
  wd_check_options co = {0};
  wd_findings fs = WD_FINDINGS_INIT;
  wd_check_summary sum;
  wd_error err;
  wd_error_clear(&err);
  if (wd_check_dir(dir, &co, &fs, &sum, &err) != WD_OK) {
    char buf[1400];
    wd_error_format(&err, buf, sizeof buf);
    fprintf(stderr, _("webdoctor: warning: check could not run: %s\n"), buf);
    wd_findings_free(&fs);
    return NULL;
  }
  wd_term t;
  wd_term_init(&t, stdout, cli->color);
  wd_render_options ro = {dir, false, NULL};
  printf(_("%scheck%s %s\n\n"), wd_term_style(&t, WD_STYLE_BOLD), wd_term_style(&t, WD_STYLE_RESET), dir);
  wd_findings_text(&fs, &ro, &t);
  putchar('\n');
  wd_html_options ho;
  memset(&ho, 0, sizeof ho);
  ho.subject = dir;
  ho.dir = dir;
  size_t rlen = 0;
  if (wd_html_report_render(&fs, &sum, &ho, report, &rlen, &err) != WD_OK) *report = NULL;
  cJSON *j = wd_findings_json(&fs, &ro);
  char *s = NULL;
  if (j) {
    cJSON_AddItemToObject(j, "target", wd_check_summary_json(&sum));
    s = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
  }
  *zh = s ? page_findings_zh(&fs, &sum, dir) : NULL;
  wd_findings_free(&fs);
  return s;
}

/* check's JSON for the page's overlay, which follows navigator.language:
 * the English JSON with the Chinese texts beside the English ones
 * (message_localized..., as check --json does), or NULL when there is no
 * Chinese catalogue. gettext is switched as --lang does, with its cache
 * dropped (_nl_msg_cat_cntr, as the gettext manual says), before the
 * server's threads start; the language the terminal output uses is
 * restored afterwards. */
#ifndef WD_NO_NLS
extern int _nl_msg_cat_cntr;
#endif
static char *page_findings_zh(const wd_findings *fs, const wd_check_summary *sum, const char *dir) {
  char *out = NULL;
#ifndef WD_NO_NLS
  const char *old = getenv("LANGUAGE");
  char *saved_lang = old ? strdup(old) : NULL;
  const char *oldloc = setlocale(LC_MESSAGES, NULL);
  char *saved_loc = oldloc ? strdup(oldloc) : NULL;
  ++_nl_msg_cat_cntr;
  const char *active = wd_lang_set("zh_CN", NULL, 0) ? wd_lang_active() : NULL;
  if (active && !strncmp(active, "zh", 2)) {
    wd_render_options ro = {dir, false, active};
    cJSON *zh = wd_findings_json(fs, &ro);
    if (zh) {
      cJSON_AddItemToObject(zh, "target", wd_check_summary_json(sum));
      out = cJSON_PrintUnformatted(zh);
      cJSON_Delete(zh);
    }
  }
  if (saved_lang) setenv("LANGUAGE", saved_lang, 1);
  else unsetenv("LANGUAGE");
  if (saved_loc) setlocale(LC_MESSAGES, saved_loc);
  ++_nl_msg_cat_cntr;
  free(saved_lang);
  free(saved_loc);
#else
  (void)fs;
  (void)sum;
  (void)dir;
#endif
  return out;
}

/* The web app's files (cmake --build build --target web): the build tree's
 * for a binary run from the build tree, else the installed ones. */
static const char *const app_names[] = {"index.html", "app.css", "catalogue.js", "app.js", "worker.js",
                                        "webdoctor.js", "webdoctor.wasm"};
enum { APP_FILES = sizeof app_names / sizeof *app_names };

static const char *app_dir(void) {
  return wd_cli_in_build_tree() == 1 ? WD_BINARY_DIR "/web-app" : WD_APPDIR;
}

/* Read the app's files; false (and nothing kept) when one is missing. */
static bool load_app(const char *dir, wd_serve_file files[APP_FILES]) {
  memset(files, 0, sizeof(wd_serve_file) * APP_FILES);
  for (int i = 0; i < APP_FILES; i++) {
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, app_names[i]);
    FILE *f = fopen(path, "rb");
    struct stat st;
    uint8_t *data = NULL;
    if (f && fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && (data = malloc((size_t)st.st_size + 1)) &&
        fread(data, 1, (size_t)st.st_size, f) == (size_t)st.st_size) {
      files[i] = (wd_serve_file){app_names[i], data, (size_t)st.st_size};
      fclose(f);
      continue;
    }
    free(data);
    if (f) fclose(f);
    for (int k = 0; k < i; k++) free((void *)files[k].data);
    memset(files, 0, sizeof(wd_serve_file) * APP_FILES);
    return false;
  }
  return true;
}

/* what serve holds while it runs: the app's files (NULL when not loaded) and the check's texts */
static void free_served(wd_serve_file *app, char *findings, char *findings_zh, char *report) {
  for (int i = 0; app && i < APP_FILES; i++) free((void *)app[i].data);
  free(findings);
  free(findings_zh);
  free(report);
}

int wd_cmd_serve(wd_cli *cli, int argc, char **argv) {
  enum { OPT_OPEN = 256, OPT_TLS, OPT_COEP, OPT_NO_ISOLATION, OPT_NO_INJECT, OPT_NO_CHECK, OPT_THREADS, OPT_COLOR,
         OPT_APP };
  static const struct option longopts[] = {
    {"port", required_argument, NULL, 'p'},
    {"bind", required_argument, NULL, 'b'},
    {"open", no_argument, NULL, OPT_OPEN},
    {"tls", required_argument, NULL, OPT_TLS},
    {"coep", required_argument, NULL, OPT_COEP},
    {"no-isolation", no_argument, NULL, OPT_NO_ISOLATION},
    {"no-inject", no_argument, NULL, OPT_NO_INJECT},
    {"no-check", no_argument, NULL, OPT_NO_CHECK},
    {"app", no_argument, NULL, OPT_APP},
    {"quiet", no_argument, NULL, 'q'},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"color", required_argument, NULL, OPT_COLOR},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  wd_serve_options o;
  memset(&o, 0, sizeof o);
  o.port = 8060;
  o.inject = true;
  bool open_it = false, quiet = false, check = true, app_only = false;
  const char *cert = NULL, *key = NULL;
  optind = 0;
  opterr = 0;
  int c;
  while ((c = getopt_long(argc, argv, ":p:b:qh", longopts, NULL)) != -1) {
    switch (c) {
    case 'p': {
      char *end;
      long v = strtol(optarg, &end, 10);
      if (!*optarg || *end || v < 0 || v > 65535)
        return wd_cli_fail(cli, _("serve: --port takes a number from 0 to 65535, not '%s'"), optarg);
      o.port = (uint16_t)v;
      break;
    }
    case 'b': o.bind = optarg; break;
    case OPT_OPEN: open_it = true; break;
    case OPT_TLS:
      cert = optarg;
      if (optind >= argc || argv[optind][0] == '-')
        return wd_cli_fail(cli, "%s", _("serve: --tls takes two files: CERT KEY"));
      key = argv[optind++];
      break;
    case OPT_COEP:
      if (!strcmp(optarg, "require-corp")) o.coep = WD_COEP_REQUIRE_CORP;
      else if (!strcmp(optarg, "credentialless")) o.coep = WD_COEP_CREDENTIALLESS;
      else return wd_cli_fail(cli, _("serve: --coep takes require-corp or credentialless, not '%s'"), optarg);
      break;
    case OPT_NO_ISOLATION: o.coep = WD_COEP_OFF; break;
    case OPT_NO_INJECT: o.inject = false; break;
    case OPT_NO_CHECK: check = false; break;
    case OPT_APP: app_only = true; break;
    case 'q': quiet = true; break;
    case OPT_THREADS: {
      char *end;
      long v = strtol(optarg, &end, 10);
      if (!*optarg || *end || v < 1 || v > 64)
        return wd_cli_fail(cli, _("serve: --threads takes a number from 1 to 64, not '%s'"), optarg);
      o.threads = (unsigned)v;
      break;
    }
    case OPT_COLOR:
      if (!wd_cli_parse_color(optarg, &cli->color))
        return wd_cli_fail(cli, _("--color takes auto, always or never, not '%s'"), optarg);
      break;
    case 'h': serve_usage(stdout); return WD_EXIT_OK;
    default:
      return wd_cli_opt_error(cli, "serve", serve_usage, c, argv);
    }
  }
  if (argc - optind > 1) {
    return wd_cli_usage_error(cli, serve_usage, "%s", _("serve: give one folder"));
  }
  if (app_only && optind < argc)
    return wd_cli_usage_error(cli, serve_usage, "%s", _("serve: --app serves the web app: give no folder"));
  const char *dir = optind < argc ? argv[optind] : ".";
  /* the web app: the whole site with --app, else at /__webdoctor/app/ (the
     overlay links to it) when it was built */
  wd_serve_file app[APP_FILES];
  bool have_app = load_app(app_dir(), app);
  if (app_only) {
    if (!have_app)
      return wd_cli_fail(cli, _("serve: the web app is not in '%s': build it with `cmake --build build --target web`"),
                         app_dir());
    dir = app_dir();
    check = false;
    o.inject = false;
  }
  if (have_app) {
    o.app = app;
    o.napp = APP_FILES;
  }
  struct stat st;
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
    return wd_cli_fail(cli, _("serve: '%s' is not a folder"), dir);
  if (cert && !wd_serve_tls_available())
    return wd_cli_fail(cli, "%s",
                       _("serve: --tls is unavailable: the libmicrohttpd this program uses was built without "
                         "TLS (GnuTLS) support"));

  char *cert_pem = NULL, *key_pem = NULL;
  if (cert && !load_tls(cli, cert, key, &cert_pem, &key_pem)) return WD_EXIT_USAGE;

  /* stdout gets whole lines promptly, also when it is a pipe or a file */
  setvbuf(stdout, NULL, _IOLBF, 0);

  /* Signals: SIGINT, SIGTERM and SIGHUP are blocked from here on, so that
   * the check's and the server's threads inherit the mask and this thread
   * takes them with sigwait. One that arrives during the start-up check
   * waits until the check is done, and then stops serve cleanly before it
   * starts serving. */
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  signal(SIGPIPE, SIG_IGN);

  /* the overlay shows the findings in the page's language */
  char *report = NULL, *findings_zh = NULL;
  char *findings = check ? run_check(cli, dir, &report, &findings_zh) : NULL;
  int sig = 0;
  sigset_t pending;
  if (sigpending(&pending) == 0 &&
      (sigismember(&pending, SIGINT) == 1 || sigismember(&pending, SIGTERM) == 1 ||
       sigismember(&pending, SIGHUP) == 1)) {
    while (sigwait(&set, &sig) != 0) {
    }
    printf(_("stopping (%s)\n"), signal_name(sig));
    free_served(have_app ? app : NULL, findings, findings_zh, report);
    free(key_pem);
    free(cert_pem);
    printf("%s\n", _("stopped"));
    return fflush(stdout) != 0 ? WD_EXIT_USAGE : WD_EXIT_OK;
  }
  o.root = dir;
  o.findings_json = findings;
  o.findings_json_zh = findings_zh;
  o.report_html = report;
  o.tls_cert_pem = cert_pem;
  o.tls_key_pem = key_pem;
  log_state ls;
  wd_term_init(&ls.term, stdout, cli->color);
  if (!quiet) {
    o.log = access_log;
    o.log_ctx = &ls;
  }

  wd_server *srv = NULL;
  wd_error err;
  wd_error_clear(&err);
  wd_status rc = wd_serve_start(&o, &srv, &err);
  free(key_pem);
  free(cert_pem);
  if (rc != WD_OK) {
    free_served(have_app ? app : NULL, findings, findings_zh, report);
    return wd_cli_error(cli, &err);
  }
  const char *shown = o.bind ? o.bind : "127.0.0.1";
  if (!strcmp(shown, "0.0.0.0") || !strcmp(shown, "::")) shown = "localhost";
  char url[300];
  bool v6 = strchr(shown, ':') != NULL;
  snprintf(url, sizeof url, "%s://%s%s%s:%u/", cert ? "https" : "http", v6 ? "[" : "", shown, v6 ? "]" : "",
           (unsigned)wd_server_port(srv));
  wd_term t;
  wd_term_init(&t, stdout, cli->color);
  printf(_("serving %s at %s%s%s\n"), dir, wd_term_style(&t, WD_STYLE_BOLD), url, wd_term_style(&t, WD_STYLE_RESET));
  if (o.coep == WD_COEP_OFF)
    printf("%s\n", _("  no cross-origin isolation headers (--no-isolation): threaded builds will not start"));
  else
    printf(_("  Cross-Origin-Opener-Policy: same-origin, Cross-Origin-Embedder-Policy: %s\n"),
           o.coep == WD_COEP_CREDENTIALLESS ? "credentialless" : "require-corp");
  if (o.inject) printf("%s\n", _("  HTML pages get the diagnosis script (--no-inject to turn it off)"));
  printf("%s\n", _("  Ctrl-C stops"));
  if (!wd_serve_is_loopback(o.bind)) {
    wd_term et;
    wd_term_init(&et, stderr, cli->color);
    fprintf(stderr, _("%swarning:%s listening on %s: any machine that can reach this one can read '%s'\n"),
            wd_term_style(&et, WD_STYLE_YELLOW), wd_term_style(&et, WD_STYLE_RESET), o.bind, dir);
  }
  fflush(stdout);
  if (open_it) open_browser(url);

  while (sigwait(&set, &sig) != 0) {
  }
  printf(_("stopping (%s)\n"), signal_name(sig));
  wd_serve_stop(srv);
  free_served(have_app ? app : NULL, findings, findings_zh, report);
  printf("%s\n", _("stopped"));
  if (fflush(stdout) != 0) return WD_EXIT_USAGE;
  return WD_EXIT_OK;
}
