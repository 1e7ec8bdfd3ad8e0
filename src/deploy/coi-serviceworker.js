/*
 * coi-serviceworker.js: cross-origin isolation for hosts that cannot send
 * headers (GitHub Pages, GitLab Pages). Written by webdoctor
 * (`webdoctor headers --host github-pages --dir DIR --write` installs it).
 *
 * A threaded Godot web export needs SharedArrayBuffer, which browsers give
 * only to pages served with
 *   Cross-Origin-Opener-Policy: same-origin
 *   Cross-Origin-Embedder-Policy: require-corp
 * This one file is both halves of a workaround:
 *  - in the page (<script src="coi-serviceworker.js"></script>, the first
 *    script of <head>) it registers itself as a service worker and reloads
 *    the page once the worker controls it;
 *  - as the service worker it adds the two headers (and
 *    Cross-Origin-Resource-Policy: cross-origin) to every response it passes
 *    through, so the reloaded page is cross-origin isolated.
 *
 * Limits:
 *  - the first visit loads the page twice (one reload);
 *  - it needs a secure context: HTTPS, or http://localhost / 127.0.0.1;
 *  - browsers without service workers (Firefox private windows, some
 *    embedded web views) never become isolated;
 *  - a forced reload (Shift+Reload) bypasses service workers: the page
 *    reloads once more to get isolated again;
 *  - one service worker per scope: do not combine with Godot's own PWA
 *    service worker (Progressive Web App > Enabled), which adds the same
 *    headers itself;
 *  - the worker's scope is the folder of this file: keep it next to
 *    index.html;
 *  - cross-origin files (a CDN, an ad, an embed) must allow it: they need
 *    CORS or Cross-Origin-Resource-Policy, as under real headers.
 */
(function () {
  'use strict';
  var COOP = 'same-origin';
  var COEP = 'require-corp';

  if (typeof window === 'undefined') {
    /* ---- the service worker ---- */
    self.addEventListener('install', function () {
      self.skipWaiting();
    });
    self.addEventListener('activate', function (event) {
      event.waitUntil(self.clients.claim());
    });
    self.addEventListener('fetch', function (event) {
      var request = event.request;
      /* Chrome throws on these when they are not same-origin */
      if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
      event.respondWith(fetch(request).then(function (response) {
        /* opaque responses (no-cors, cross-origin) cannot be changed */
        if (response.status === 0) return response;
        var headers = new Headers(response.headers);
        headers.set('Cross-Origin-Opener-Policy', COOP);
        headers.set('Cross-Origin-Embedder-Policy', COEP);
        if (!headers.has('Cross-Origin-Resource-Policy'))
          headers.set('Cross-Origin-Resource-Policy', 'cross-origin');
        return new Response(response.body, {
          status: response.status,
          statusText: response.statusText,
          headers: headers
        });
      }));
    });
    return;
  }

  /* ---- the page ---- */
  var tag = 'coi-serviceworker:';
  if (window.crossOriginIsolated !== false) return; /* isolated already, or no such concept */
  if (!window.isSecureContext) {
    console.warn(tag, 'not registered: a secure context is required (HTTPS, or localhost)');
    return;
  }
  if (!('serviceWorker' in navigator)) {
    console.warn(tag, 'not registered: this browser has no service workers here (private window?)');
    return;
  }
  var script = document.currentScript && document.currentScript.src;
  if (!script) return;

  /* One reload per 10 seconds at most: if the page is still not isolated
   * after the worker took it, reloading again would loop. */
  var KEY = 'coiServiceWorkerReloaded';
  var reloading = false;
  function reload(why) {
    if (reloading) return;
    var last = Number(window.sessionStorage.getItem(KEY) || 0);
    if (Date.now() - last < 10000) {
      console.error(tag, 'still not cross-origin isolated after a reload (' + why + ')');
      return;
    }
    reloading = true;
    window.sessionStorage.setItem(KEY, String(Date.now()));
    console.log(tag, 'reloading to become cross-origin isolated (' + why + ')');
    window.location.reload();
  }

  navigator.serviceWorker.register(script).then(function (registration) {
    if (navigator.serviceWorker.controller) {
      /* controlled but not isolated: a forced reload bypassed the worker */
      reload('page not served through the worker');
      return;
    }
    navigator.serviceWorker.addEventListener('controllerchange', function () {
      reload('worker installed');
    });
    /* the worker claims the page when it activates; if it is active
     * already (another tab installed it), it claims only new pages */
    if (registration.active && !registration.installing && !registration.waiting)
      reload('worker active');
  }, function (error) {
    console.error(tag, 'registration failed:', error);
  });
})();
