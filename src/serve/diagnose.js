/* webdoctor serve: in-page diagnosis. Injected into HTML pages by
 * `webdoctor serve` (turn it off with --no-inject). It reports whether the
 * page is cross-origin isolated, has SharedArrayBuffer and WebGL 2, catches
 * a LinkError or any other load failure (error and unhandledrejection
 * events, console.error) and shows webdoctor's explanation in the page,
 * from the findings `webdoctor check` made when the server started
 * (/__webdoctor/findings.json, findings.zh.json for Chinese pages). State
 * for tests: window.__webdoctor.
 * The build embeds this file in the library as it is (cmake/embed.cmake). */
(function () {
  'use strict';
  if (typeof window !== 'object' || window.__webdoctor) return;

  var TEXTS = {
    en: {
      failed: 'This page failed to load',
      missing: 'This page is missing what it needs to run',
      said: 'The browser said',
      why: 'Why',
      fix: 'How to fix',
      tradeoff: 'trade-off',
      found: 'webdoctor check found',
      nomatch: 'None of the findings of webdoctor check matches this error; the findings it made are below.',
      nofindings: 'webdoctor check found nothing that explains this error.',
      env: 'This page',
      isolated: 'cross-origin isolated',
      sab: 'SharedArrayBuffer',
      webgl2: 'WebGL 2',
      secure: 'secure context',
      notIsolated: 'The page runs a threaded build but is not cross-origin isolated, so SharedArrayBuffer is missing. The server must send Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp (webdoctor serve does; a plain server does not).',
      noWebgl2: 'WebGL 2 is not available: Godot 4 web exports need it (check the browser\'s hardware acceleration setting).',
      close: 'Close',
      footer: 'Shown by webdoctor serve; --no-inject turns this off.',
      report: 'The full report',
      app: 'Check another export in the browser',
      ok: 'webdoctor: the page has what it needs'
    },
    zh: {
      failed: '页面加载失败',
      missing: '页面缺少运行所需的条件',
      said: '浏览器报告',
      why: '原因',
      fix: '修复方法',
      tradeoff: '权衡',
      found: 'webdoctor check 的发现',
      nomatch: 'webdoctor check 的发现中没有与此错误对应的一项；以下是它的全部发现。',
      nofindings: 'webdoctor check 没有找到能解释此错误的问题。',
      env: '本页面',
      isolated: '跨源隔离',
      sab: 'SharedArrayBuffer',
      webgl2: 'WebGL 2',
      secure: '安全上下文',
      notIsolated: '页面运行的是多线程构建，但没有跨源隔离，因此没有 SharedArrayBuffer。服务器必须发送 Cross-Origin-Opener-Policy: same-origin 和 Cross-Origin-Embedder-Policy: require-corp（webdoctor serve 会发送；普通服务器不会）。',
      noWebgl2: 'WebGL 2 不可用：Godot 4 的 Web 导出需要它（请检查浏览器的硬件加速设置）。',
      close: '关闭',
      footer: '由 webdoctor serve 显示；--no-inject 可关闭。',
      report: '完整报告',
      app: '在浏览器中检查其他导出',
      ok: 'webdoctor：页面具备运行所需的条件'
    }
  };
  var langs = (navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en']);
  var lang = /^zh\b/i.test(String(langs[0] || '')) ? 'zh' : 'en';
  var T = TEXTS[lang];

  var state = {
    version: 1,
    lang: lang,
    env: {
      crossOriginIsolated: window.crossOriginIsolated === true,
      sharedArrayBuffer: typeof SharedArrayBuffer === 'function',
      secureContext: window.isSecureContext === true,
      webgl2: null
    },
    threadsExpected: null,
    godotPage: false,
    errors: [],
    findings: null,
    app: false,
    matched: [],
    problems: [],
    shown: false
  };
  window.__webdoctor = state;

  var consoleError = console.error;

  function text(x) {
    try {
      if (x === undefined) return 'undefined';
      if (x === null) return 'null';
      if (typeof x === 'string') return x;
      if (x instanceof Error || (x && typeof x.message === 'string' && typeof x.name === 'string'))
        return (x.name ? x.name + ': ' : '') + x.message;
      if (typeof x === 'object') return JSON.stringify(x);
      return String(x);
    } catch (e) {
      return '[unprintable]';
    }
  }

  function normalize(s) {
    return String(s).replace(/^Uncaught (\(in promise\) )?/, '').replace(/\s+/g, ' ').trim();
  }

  function record(kind, message) {
    message = normalize(message);
    if (!message) return;
    for (var i = 0; i < state.errors.length; i++) if (state.errors[i].message === message) return;
    if (state.errors.length >= 20) return;
    state.errors.push({ kind: kind, message: message });
    schedule();
  }

  window.addEventListener('error', function (ev) {
    try {
      var t = ev.target;
      if (t && t !== window && t.tagName) {
        /* a script, image or link that failed to load (capture phase) */
        var src = t.src || t.href || '';
        record('resource', 'failed to load ' + t.tagName.toLowerCase() + ' ' + src);
        return;
      }
      record('error', ev.error !== undefined && ev.error !== null ? text(ev.error) : ev.message);
    } catch (e) { /* never break the page */ }
  }, true);

  window.addEventListener('unhandledrejection', function (ev) {
    try { record('unhandledrejection', text(ev.reason)); } catch (e) { /* ignore */ }
  });

  console.error = function () {
    try {
      var parts = [];
      for (var i = 0; i < arguments.length; i++) parts.push(text(arguments[i]));
      record('console.error', parts.join(' '));
    } catch (e) { /* ignore */ }
    return consoleError.apply(console, arguments);
  };

  /* files the page fetches itself (Emscripten uses fetch and XHR): an HTTP
   * error or a network failure is a load failure too */
  function recordHttp(status, statusText, url) {
    if (status >= 400 && String(url).indexOf('/__webdoctor/') < 0)
      record('http', status + (statusText ? ' ' + statusText : '') + ' ' + url);
  }
  if (typeof window.fetch === 'function') {
    var origFetch = window.fetch;
    window.fetch = function (input) {
      var url = typeof input === 'string' ? input : (input && input.url) || String(input);
      return origFetch.apply(this, arguments).then(function (r) {
        try { recordHttp(r.status, r.statusText, r.url || url); } catch (e) { /* ignore */ }
        return r;
      }, function (err) {
        try { record('network', 'fetch ' + url + ': ' + text(err)); } catch (e) { /* ignore */ }
        throw err;
      });
    };
  }
  if (typeof XMLHttpRequest === 'function') {
    var origOpen = XMLHttpRequest.prototype.open;
    XMLHttpRequest.prototype.open = function (method, url) {
      try {
        var xhr = this;
        xhr.addEventListener('loadend', function () {
          try { recordHttp(xhr.status, xhr.statusText, xhr.responseURL || url); } catch (e) { /* ignore */ }
        });
      } catch (e) { /* ignore */ }
      return origOpen.apply(this, arguments);
    };
  }

  function detectWebgl2() {
    try {
      var c = document.createElement('canvas');
      var gl = c.getContext('webgl2');
      if (!gl) return false;
      var lose = gl.getExtension('WEBGL_lose_context');
      if (lose) lose.loseContext();
      return true;
    } catch (e) {
      return false;
    }
  }

  /* globals of the Godot shell (top-level const: visible by name, not on window) */
  function pageFacts() {
    try {
      /* eslint-disable no-undef */
      if (typeof GODOT_THREADS_ENABLED !== 'undefined') state.threadsExpected = GODOT_THREADS_ENABLED === true;
      if (typeof GODOT_CONFIG !== 'undefined') state.godotPage = true;
      /* eslint-enable no-undef */
    } catch (e) { /* ignore */ }
    if (state.env.webgl2 === null) state.env.webgl2 = detectWebgl2();
    state.problems = [];
    if (state.threadsExpected && (!state.env.crossOriginIsolated || !state.env.sharedArrayBuffer))
      state.problems.push('notIsolated');
    if (state.godotPage && state.env.webgl2 === false) state.problems.push('noWebgl2');
  }

  /* ---- the findings ---------------------------------------------------- */

  var findingsPromise = null;
  function loadFindings() {
    if (!findingsPromise) {
      /* the findings in the page's language (the server falls back to English) */
      var url = lang === 'zh' ? '/__webdoctor/findings.zh.json' : '/__webdoctor/findings.json';
      findingsPromise = fetch(url, { cache: 'no-store' })
        .then(function (r) { return r.ok ? r.json() : null; })
        .catch(function () { return null; })
        .then(function (j) { state.findings = j; return j; });
      /* is the web app served here too? (the overlay links to it) */
      fetch('/__webdoctor/app/', { method: 'HEAD', cache: 'no-store' })
        .then(function (r) { state.app = r.ok; })
        .catch(function () { state.app = false; });
    }
    return findingsPromise;
  }

  /* "Chrome 156 (V8): LinkError: ..." -> "LinkError: ..." */
  function engineTexts(f) {
    if (!f.engine_message) return [];
    return String(f.engine_message).split('\n').map(function (l) {
      return normalize(l.replace(/^[^:\n]*\([^)\n]*\):\s*/, ''));
    }).filter(function (l) { return l.length > 0; });
  }

  /* V8 names the API that threw ("WebAssembly.instantiate(): "): compare past it too */
  function core(s) {
    var i = s.indexOf('(): ');
    return i >= 0 ? s.slice(i + 4) : s;
  }

  function matches(f, err) {
    var e = err.message;
    var lines = engineTexts(f);
    for (var i = 0; i < lines.length; i++) {
      var l = lines[i];
      if (e.indexOf(l) >= 0 || (e.length > 20 && l.indexOf(e) >= 0)) return true;
      var a = core(l), b = core(e);
      if (a.length > 20 && (b.indexOf(a) >= 0 || a.indexOf(b) >= 0)) return true;
    }
    /* a file that failed to load, named by a finding (WD201 file missing...) */
    if (f.file && (err.kind === 'resource' || err.kind === 'http') && e.indexOf(f.file) >= 0) return true;
    return false;
  }

  function errorFindings() {
    var fs = (state.findings && state.findings.findings) || [];
    return fs.filter(function (f) { return f.severity === 'error'; });
  }

  function match() {
    var fs = (state.findings && state.findings.findings) || [];
    var out = [];
    state.errors.forEach(function (err) {
      fs.forEach(function (f) {
        if (out.indexOf(f) < 0 && matches(f, err)) out.push(f);
      });
    });
    if (state.problems.indexOf('notIsolated') >= 0) {
      fs.forEach(function (f) { if (f.id === 'WD203' && out.indexOf(f) < 0) out.push(f); });
    }
    state.matched = out;
    return out;
  }

  /* ---- the overlay ----------------------------------------------------- */

  var host = null, root = null, timer = null;

  var CSS = [
    ':host{all:initial}',
    '.panel{position:fixed;top:12px;left:50%;transform:translateX(-50%);z-index:2147483647;',
    'width:min(760px,calc(100vw - 24px));max-height:calc(100vh - 24px);overflow:auto;box-sizing:border-box;',
    'background:#1b1d23;color:#e6e6e6;border:1px solid #c0392b;border-radius:10px;',
    'box-shadow:0 8px 32px rgba(0,0,0,.55);font:14px/1.45 system-ui,-apple-system,"Segoe UI","Noto Sans",',
    '"Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei",sans-serif;padding:16px 18px}',
    '.top{display:flex;align-items:center;gap:10px;margin-bottom:8px}',
    '.brand{font-weight:700;color:#fff;background:#c0392b;border-radius:4px;padding:1px 7px;font-size:12px}',
    'h1{font-size:17px;margin:0;flex:1;color:#fff}',
    'button{font:inherit;background:#2c2f38;color:#e6e6e6;border:1px solid #555;border-radius:6px;padding:2px 10px;cursor:pointer}',
    'h2{font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:#9aa3b5;margin:12px 0 4px}',
    'pre{white-space:pre-wrap;word-break:break-word;background:#111318;border-radius:6px;padding:8px 10px;margin:0 0 6px;',
    'font:12.5px/1.4 ui-monospace,"DejaVu Sans Mono",monospace;color:#ffb4a8}',
    '.finding{border-top:1px solid #333845;padding-top:10px;margin-top:10px}',
    '.msg{font-weight:600;color:#fff}',
    '.id{font:12px ui-monospace,"DejaVu Sans Mono",monospace;color:#ff8a7a;margin-right:6px}',
    'p{margin:4px 0}',
    'ol{margin:4px 0 0 0;padding-left:22px}li{margin:3px 0}',
    '.trade{color:#9aa3b5;font-size:13px}',
    '.env{display:flex;flex-wrap:wrap;gap:6px;margin-top:10px}',
    '.pill{border-radius:999px;padding:1px 9px;font-size:12.5px;border:1px solid #444}',
    '.yes{color:#7ee2a8;border-color:#2e6b47}.no{color:#ff9a8a;border-color:#7a2e25}',
    '.foot{margin-top:12px;color:#7d8597;font-size:12px}.foot a{color:#8fb8ff}',
    '.badge{position:fixed;right:10px;bottom:10px;z-index:2147483647;background:#1b1d23;color:#cfe9d9;',
    'border:1px solid #2e6b47;border-radius:999px;padding:3px 12px;font:12.5px system-ui,sans-serif;opacity:.92}'
  ].join('');

  function el(tag, cls, txt) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (txt !== undefined) e.textContent = txt;
    return e;
  }

  function ensureHost() {
    if (host && host.isConnected) return;
    host = document.createElement('webdoctor-overlay');
    host.setAttribute('data-webdoctor', '');
    (document.body || document.documentElement).appendChild(host);
    root = host.attachShadow ? host.attachShadow({ mode: 'open' }) : host;
  }

  function envRow() {
    var row = el('div', 'env');
    row.appendChild(el('span', 'pill', T.env));
    [['isolated', state.env.crossOriginIsolated], ['sab', state.env.sharedArrayBuffer],
      ['webgl2', state.env.webgl2], ['secure', state.env.secureContext]].forEach(function (p) {
      var ok = p[1] === true;
      row.appendChild(el('span', 'pill ' + (ok ? 'yes' : 'no'), (ok ? '\u2713 ' : '\u2717 ') + T[p[0]]));
    });
    return row;
  }

  /* the page's language: "<key>_localized" is the Chinese text (findings.zh.json) */
  function L(o, k) {
    return (lang !== 'en' && o[k + '_localized']) || o[k];
  }

  function findingNode(f) {
    var d = el('div', 'finding');
    d.setAttribute('data-id', f.id);
    var m = el('p', 'msg');
    m.appendChild(el('span', 'id', f.id));
    m.appendChild(document.createTextNode(L(f, 'message')));
    d.appendChild(m);
    if (f.explanation) {
      d.appendChild(el('h2', null, T.why));
      d.appendChild(el('p', 'why', L(f, 'explanation')));
    }
    if (f.fixes && f.fixes.length) {
      d.appendChild(el('h2', null, T.fix));
      var ol = el('ol');
      f.fixes.forEach(function (x) {
        var li = el('li', null, L(x, 'text'));
        if (x.tradeoff) {
          li.appendChild(document.createElement('br'));
          li.appendChild(el('span', 'trade', T.tradeoff + ': ' + L(x, 'tradeoff')));
        }
        ol.appendChild(li);
      });
      d.appendChild(ol);
    }
    return d;
  }

  function render() {
    timer = null;
    pageFacts();
    if (!state.errors.length && !state.problems.length) return;
    loadFindings().then(function () {
      try { draw(); } catch (e) { consoleError.call(console, 'webdoctor overlay: ' + text(e)); }
    });
  }

  function draw() {
    var matched = match();
    ensureHost();
    while (root.firstChild) root.removeChild(root.firstChild);
    var style = el('style');
    style.textContent = CSS;
    root.appendChild(style);
    var panel = el('div', 'panel');
    panel.setAttribute('role', 'alertdialog');
    var top = el('div', 'top');
    top.appendChild(el('span', 'brand', 'webdoctor'));
    top.appendChild(el('h1', null, state.errors.length ? T.failed : T.missing));
    var close = el('button', null, T.close);
    close.addEventListener('click', function () { host.remove(); });
    top.appendChild(close);
    panel.appendChild(top);
    if (state.errors.length) {
      panel.appendChild(el('h2', null, T.said));
      /* a rejection with no reason (Emscripten's failed XHR) says nothing next to the real error */
      var said = state.errors.filter(function (e) { return !/^(undefined|null)$/.test(e.message); });
      (said.length ? said : state.errors).slice(0, 4).forEach(function (e) {
        panel.appendChild(el('pre', 'error', e.message));
      });
    }
    state.problems.forEach(function (p) { panel.appendChild(el('p', 'problem', T[p])); });
    var list = matched;
    if (!list.length && state.errors.length) {
      list = errorFindings();
      panel.appendChild(el('p', 'nomatch', list.length ? T.nomatch : T.nofindings));
    }
    if (list.length) {
      panel.appendChild(el('h2', null, T.found));
      list.forEach(function (f) { panel.appendChild(findingNode(f)); });
    }
    panel.appendChild(envRow());
    var foot = el('div', 'foot', T.footer + ' ');
    var a = el('a', 'report', T.report);
    a.href = '/__webdoctor/report.html';
    a.target = '_blank';
    foot.appendChild(a);
    // the web app, when this server carries it (webdoctor serve finds it
    // next to itself): the same checks in a page, for any export or zip
    if (state.app) {
      var app = el('a', 'app', T.app);
      app.href = '/__webdoctor/app/';
      app.target = '_blank';
      foot.appendChild(document.createTextNode(' \u00b7 '));
      foot.appendChild(app);
    }
    panel.appendChild(foot);
    root.appendChild(panel);
    state.shown = true;
  }

  function schedule() {
    if (timer) return;
    timer = setTimeout(function () {
      if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', render, { once: true });
      } else {
        render();
      }
    }, 50);
  }

  function badge() {
    if (state.shown || state.errors.length || state.problems.length) return;
    ensureHost();
    var style = el('style');
    style.textContent = CSS;
    root.appendChild(style);
    var b = el('div', 'badge', '\u2713 ' + T.ok + ' (' + [
      T.isolated + ' ' + (state.env.crossOriginIsolated ? '\u2713' : '\u2717'),
      T.sab + ' ' + (state.env.sharedArrayBuffer ? '\u2713' : '\u2717'),
      T.webgl2 + ' ' + (state.env.webgl2 ? '\u2713' : '\u2717')].join(' \u00b7 ') + ')');
    root.appendChild(b);
    setTimeout(function () { if (b.isConnected) b.remove(); }, 10000);
  }

  window.addEventListener('load', function () {
    pageFacts();
    var facts = 'webdoctor: crossOriginIsolated=' + state.env.crossOriginIsolated +
      ' SharedArrayBuffer=' + state.env.sharedArrayBuffer + ' WebGL2=' + state.env.webgl2 +
      ' threads=' + state.threadsExpected;
    console.info(facts);
    if (state.problems.length) schedule();
    /* quiet when all is well: a small badge that goes away */
    setTimeout(badge, 1500);
  });
  loadFindings();
})();
