/*
 * Hosting services: whether they can send COOP/COEP, and their upload limits.
 * Sources: itch.io forum t/2025776 (SharedArrayBuffer checkbox) and itch.io's
 * HTML5 upload documentation (file count and size limits); GitHub Pages
 * and GitLab Pages cannot set response headers (abarichello/godot-ci#116);
 * Cloudflare Pages' 25 MiB per-file limit (godot-proposals#12208).
 */
#include <string.h>

#include "webdoctor/check.h"

#define MB (1024ull * 1024ull)

static const wd_host_info hosts[WD_HOST_COUNT] = {
  {WD_HOST_UNKNOWN, "unknown", "an unknown host", true, 0, 0, 0, WD_ISOLATION_CONFIG},
  {WD_HOST_ITCH, "itch", "itch.io", true, 1000, 200 * MB, 500 * MB, WD_ISOLATION_OPTION},
  {WD_HOST_NEWGROUNDS, "newgrounds", "Newgrounds", false, 0, 0, 0, WD_ISOLATION_NONE},
  {WD_HOST_GITHUB_PAGES, "github-pages", "GitHub Pages", false, 0, 100 * MB, 1024 * MB, WD_ISOLATION_SERVICE_WORKER},
  {WD_HOST_GITLAB_PAGES, "gitlab-pages", "GitLab Pages", false, 0, 0, 0, WD_ISOLATION_SERVICE_WORKER},
  {WD_HOST_NETLIFY, "netlify", "Netlify", true, 0, 0, 0, WD_ISOLATION_CONFIG},
  {WD_HOST_CLOUDFLARE, "cloudflare", "Cloudflare Pages", true, 20000, 25 * MB, 0, WD_ISOLATION_CONFIG},
  {WD_HOST_VERCEL, "vercel", "Vercel", true, 0, 0, 0, WD_ISOLATION_CONFIG},
  {WD_HOST_FIREBASE, "firebase", "Firebase Hosting", true, 0, 0, 0, WD_ISOLATION_CONFIG},
  {WD_HOST_AZURE, "azure", "Azure Static Web Apps", true, 0, 0, 0, WD_ISOLATION_CONFIG},
  {WD_HOST_CLOUDFRONT, "cloudfront", "AWS S3 + CloudFront", true, 0, 0, 0, WD_ISOLATION_CONFIG},
  {WD_HOST_NGINX, "nginx", "nginx", true, 0, 0, 0, WD_ISOLATION_CONFIG},
  {WD_HOST_APACHE, "apache", "Apache httpd", true, 0, 0, 0, WD_ISOLATION_CONFIG},
  {WD_HOST_CADDY, "caddy", "Caddy", true, 0, 0, 0, WD_ISOLATION_CONFIG},
  {WD_HOST_LIGHTTPD, "lighttpd", "lighttpd", true, 0, 0, 0, WD_ISOLATION_CONFIG},
  {WD_HOST_IIS, "iis", "IIS", true, 0, 0, 0, WD_ISOLATION_CONFIG},
};

const wd_host_info *wd_host_get(wd_host h) {
  return (unsigned)h < WD_HOST_COUNT ? &hosts[h] : &hosts[0];
}

bool wd_host_cannot_isolate(wd_host h) {
  return h != WD_HOST_UNKNOWN && !wd_host_get(h)->can_set_headers;
}

static unsigned edit_distance(const char *a, const char *b) {
  size_t n = strlen(a), m = strlen(b);
  if (n > 63 || m > 63) return 99;
  unsigned prev[64], cur[64];
  for (size_t j = 0; j <= m; j++) prev[j] = (unsigned)j;
  for (size_t i = 1; i <= n; i++) {
    cur[0] = (unsigned)i;
    for (size_t j = 1; j <= m; j++) {
      unsigned sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
      unsigned del = prev[j] + 1, ins = cur[j - 1] + 1;
      cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
    }
    memcpy(prev, cur, (m + 1) * sizeof *prev);
  }
  return prev[m];
}

bool wd_host_parse(const char *s, wd_host *out, const char **suggest) {
  static const struct { const char *alias; wd_host h; } aliases[] = {
    {"itch.io", WD_HOST_ITCH}, {"github", WD_HOST_GITHUB_PAGES}, {"gh-pages", WD_HOST_GITHUB_PAGES},
    {"gitlab", WD_HOST_GITLAB_PAGES}, {"cloudflare-pages", WD_HOST_CLOUDFLARE},
    {"s3", WD_HOST_CLOUDFRONT}, {"aws", WD_HOST_CLOUDFRONT}, {"httpd", WD_HOST_APACHE},
    {"azure-static-web-apps", WD_HOST_AZURE},
  };
  for (int i = 1; i < WD_HOST_COUNT; i++)
    if (!strcmp(s, hosts[i].key)) {
      *out = (wd_host)i;
      return true;
    }
  for (size_t i = 0; i < sizeof aliases / sizeof *aliases; i++)
    if (!strcmp(s, aliases[i].alias)) {
      *out = aliases[i].h;
      return true;
    }
  /* Suggest the nearest name only when it is near: at most 3 edits, and no
     more than half the longer word changed ("zzz" is not a typo of "iis"). */
  unsigned best = 99;
  const char *nearest = NULL;
  for (int i = 1; i < WD_HOST_COUNT; i++) {
    unsigned d = edit_distance(s, hosts[i].key);
    if (d < best) {
      best = d;
      nearest = hosts[i].key;
    }
  }
  if (nearest) {
    size_t ls = strlen(s), lk = strlen(nearest), longer = ls > lk ? ls : lk;
    if (best > 3 || 2 * (size_t)best > longer) nearest = NULL;
  }
  if (suggest) *suggest = nearest;
  return false;
}
