/*
 * The page: takes what the user drops or picks, hands the files to the
 * worker (worker.js, which runs webdoctor's library compiled to
 * WebAssembly), and shows the report the library renders (the same HTML
 * renderer as `webdoctor check --html`).
 *
 * Hooks for tests and for people who script the page: #verdict carries
 * data-status = ok | warnings | errors (bad-input when the files cannot be
 * read at all), and data-read-ms / data-check-ms (the time to read the files
 * into the module and to check them), data-checks (the checks the module
 * has run), data-files-read (the files streamed into it) and data-rendered
 * ("true" when the result was only written again in another language: the
 * language switch); each finding card of the report carries
 * data-finding="WDxxx".
 */
'use strict';

/* Messages: every text of the page is marked, _() where it is shown and
 * N_() where it is only named (translated when shown), and xgettext
 * --language=JavaScript extracts them into po/webdoctor.pot with the rest of
 * the project's messages (po/CMakeLists.txt). The build writes
 * catalogue.js, a classic script loaded before this one, from po/<lang>.po
 * (cmake/web.cmake): webdoctorCatalogue = { zh_CN: { msgid: msgstr } }. It
 * needs neither the worker nor the module, so the texts that say those
 * failed are translated too. A format's %s and %d are filled in order
 * (format()). */
const CATALOGUE = typeof webdoctorCatalogue === 'object' ? webdoctorCatalogue : {};

function N_(msgid) { return msgid; }
function _(msgid) {
  const c = CATALOGUE[lang];
  return (c && c[msgid]) || msgid;
}
function format(text, ...args) {
  let i = 0;
  return text.replace(/%[sd%]/g, m => (m === '%%' ? '%' : String(args[i++])));
}

// the texts of the [data-t] elements of index.html
const STATIC = {
  title: N_('Why does my Godot web export stay on “Loading…”?'),
  lead: N_('Drop the export folder, the .zip Godot made, or the Godot project folder. Everything is checked here, in this page: nothing is uploaded.'),
  language: N_('Language'),
  drop: N_('Drop a folder or a .zip here'),
  or: N_('or choose:'),
  'pick-folder': N_('A folder…'),
  'pick-zip': N_('A .zip…'),
  'pick-files': N_('Files…'),
  'fix-title': N_('The fix for this project'),
  'fix-help': N_('These files, changed as `webdoctor fix --apply` would change them. Download them and put them over the project\'s files (keep a copy of the old ones).'),
  foot: N_('webdoctor runs here as WebAssembly. The page makes no network request: close the network and it still works.'),
};

// the verdict's title, by #verdict's data-status
const VERDICT = {
  errors: N_('Will not load'),
  warnings: N_('Loads, with warnings'),
  ok: N_('Ready to load'),
  'bad-input': N_('Cannot be checked'),
};

function mb(n) { return (n / 1048576).toFixed(1); }

const $ = id => document.getElementById(id);
let lang = (navigator.language || 'en').toLowerCase().startsWith('zh') ? 'zh_CN' : 'en';
let last = null;          // the last result, re-rendered on a language switch
let busy = false;
let failure = null;       // the error shown, as a function of the language
let blobs = [];           // object URLs of the patched files, revoked on the next result
const worker = location.protocol === 'file:' ? bundledWorker() : new Worker('worker.js');

/* Opened from disk (file://), a page may not start a worker from a file nor
 * fetch the module (Chromium refuses both, and so does Firefox under its
 * default policy for files, security.fileuri.strict_origin_policy), but it
 * can load a classic script: worker-bundle.js defines webdoctorWorker(),
 * whose source is worker.js with the module's glue and the module inside it
 * (cmake/web-bundle.cmake); the worker starts from a blob: URL of that
 * source. Messages posted before it exists wait in a queue; if it cannot
 * start, each message gets the error back. */
function bundledWorker() {
  const queue = [];
  let real = null;
  let broken = null;       // the error, once it cannot start
  const proxy = {
    onmessage: null,
    onerror: null,
    postMessage(msg) {
      if (real) real.postMessage(msg);
      else if (broken) proxy.onerror(broken);
      else queue.push(msg);
    },
  };
  const fail = error => {
    broken = error;
    if (queue.splice(0).length) proxy.onerror(error);
  };
  const script = document.createElement('script');
  script.src = 'worker-bundle.js';
  script.onload = () => {
    try {
      const source = `(${webdoctorWorker})();\n`;
      real = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
    } catch (err) {
      fail({ message: String(err && err.message || err) });
      return;
    }
    real.onmessage = e => proxy.onmessage(e);
    real.onerror = e => proxy.onerror(e);
    for (const msg of queue.splice(0)) real.postMessage(msg);
  };
  script.onerror = () => fail({ msgid: N_('worker-bundle.js could not be loaded'), args: [] });
  document.head.appendChild(script);
  return proxy;
}

function applyLanguage() {
  document.documentElement.lang = lang === 'zh_CN' ? 'zh-CN' : 'en';
  $('lang').value = lang;
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = _(STATIC[el.dataset.t]);
  if (failure && $('verdict').dataset.status === 'bad-input') showError(failure);
}

function readingText(name, done, total) {
  return format(_('Reading %s: %s of %s MB'), name, mb(done), mb(total));
}

function progress(text, done, total) {
  $('progress').hidden = false;
  $('progress-text').textContent = text;
  const bar = $('progress-bar');
  if (total > 0) { bar.max = total; bar.value = done; } else { bar.removeAttribute('value'); }
}

/* Files of a folder dropped or picked: [{path, file}], the paths relative to
 * the folder, and the folder's name. */
function fromPicked(list) {
  const files = [];
  for (const f of list) files.push({ path: f.webkitRelativePath || f.name, file: f });
  return strip(files);
}

/* A common first folder ("seed-export/index.html") is the subject's name, not
 * part of the paths. */
function strip(files) {
  let name = '';
  const first = files.length ? files[0].path.split('/')[0] : '';
  if (first && files.every(f => f.path.startsWith(first + '/'))) {
    name = first;
    for (const f of files) f.path = f.path.slice(first.length + 1);
  }
  return { name, files };
}

function readEntries(reader) {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

async function walk(entry, prefix, out) {
  if (entry.isFile) {
    const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
    out.push({ path: prefix + entry.name, file });
  } else if (entry.isDirectory) {
    const reader = entry.createReader();
    for (;;) {
      const batch = await readEntries(reader);   // a batch at a time, until empty
      if (!batch.length) break;
      for (const e of batch) await walk(e, prefix + entry.name + '/', out);
    }
  }
}

async function fromDrop(dt) {
  const entries = [];
  for (const item of dt.items) {
    const e = item.webkitGetAsEntry ? item.webkitGetAsEntry() : null;
    if (e) entries.push(e);
  }
  const out = [];
  if (entries.length) {
    for (const e of entries) await walk(e, '', out);
  } else {
    for (const f of dt.files) out.push({ path: f.name, file: f });
  }
  return strip(out);
}

function isZip(files) {
  return files.length === 1 && /\.zip$/i.test(files[0].file.name);
}

function start(picked) {
  if (busy) return;
  const { files } = picked;
  if (!files.length) { showError(() => _('Nothing to check: drop a folder, a .zip or files.')); return; }
  busy = true;
  failure = null;
  const zip = isZip(files);
  const name = zip ? files[0].file.name : (picked.name || files[0].file.name);
  $('verdict').hidden = true;
  $('verdict').dataset.status = '';
  $('fix').hidden = true;
  $('report').replaceChildren();
  progress(readingText(name, 0, files.reduce((n, f) => n + f.file.size, 0)), 0, 1);
  worker.postMessage({ type: 'check', mode: zip ? 'zip' : 'files', name, lang,
                       files: files.map(f => ({ path: f.path, file: f.file })) });
}

/* message: a text as it is (the module's, already in the language asked
 * for, or the browser's, never translated), or a function that gives it in
 * the page's language, called again on a language switch. */
function showError(message) {
  failure = typeof message === 'function' ? message : () => message;
  const v = $('verdict');
  v.hidden = false;
  v.dataset.status = 'bad-input';
  $('verdict-title').textContent = _(VERDICT['bad-input']);
  $('verdict-detail').textContent = failure();
  $('verdict-time').textContent = '';
}

function render(msg) {
  last = msg;
  $('progress').hidden = true;
  const r = msg.result;
  if (r.error) { showError(r.error); return; }
  failure = null;
  const v = $('verdict');
  const sum = r.check.summary || {};
  v.dataset.status = r.status;
  v.dataset.readMs = String(msg.readMs);
  v.dataset.checkMs = String(msg.checkMs);
  v.dataset.kind = r.kind;
  v.dataset.checks = String(r.checks);
  v.dataset.filesRead = String(msg.filesRead);
  v.dataset.rendered = String(!!msg.rendered);
  $('verdict-title').textContent = _(VERDICT[r.status]);
  $('verdict-detail').textContent = `${r.check.subject}: ${format(_('%d error(s), %d warning(s), %d note(s)'),
                                                                  sum.errors || 0, sum.warnings || 0, sum.notes || 0)}`;
  $('verdict-time').textContent = format(_('read in %d ms, checked in %d ms, in this page'),
                                         Math.round(msg.readMs), Math.round(msg.checkMs));
  v.hidden = false;
  renderReport(r.html);
  renderFix(r.fix);
}

/* The report is a whole document: its body goes into a shadow root, with its
 * style sheet adopted there (a constructed sheet, so the page's
 * Content-Security-Policy needs no inline styles), so its styles and ids
 * never meet the page's. */
function renderReport(html) {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const host = document.createElement('div');
  host.className = 'report-host';
  const root = host.attachShadow({ mode: 'open' });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(Array.from(doc.querySelectorAll('style'), s => s.textContent).join('\n'));
  root.adoptedStyleSheets = [sheet];
  const body = document.createElement('div');
  body.className = 'report';
  body.lang = doc.documentElement.lang;
  for (const n of Array.from(doc.body.childNodes)) body.appendChild(document.adoptNode(n));
  for (const a of body.querySelectorAll('article[data-id]')) a.dataset.finding = a.dataset.id;
  root.appendChild(body);
  $('report').replaceChildren(host);
}

function renderFix(fix) {
  for (const u of blobs) URL.revokeObjectURL(u);
  blobs = [];
  const box = $('fix');
  if (!fix) { box.hidden = true; return; }
  box.hidden = false;
  const list = $('fix-files');
  list.replaceChildren();
  if (fix.error) {
    $('fix-reason').textContent = fix.error;
    $('fix-diff').textContent = '';
    return;
  }
  $('fix-reason').textContent = fix.reason || '';
  $('fix-diff').textContent = fix.diff || _('Nothing to change.');
  for (const f of fix.files || []) {
    const url = URL.createObjectURL(new Blob([f.text], { type: 'application/octet-stream' }));
    blobs.push(url);
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = url;
    a.download = f.path.split('/').pop();
    a.dataset.path = f.path;
    a.textContent = `${_('download')} ${f.path}`;
    li.appendChild(a);
    list.appendChild(li);
  }
}

// The worker's own texts (and the bundled worker's start-up failure) come
// as a msgid and its arguments: the worker has no catalogue. Any other
// text is the browser's or the module's, shown as it is.
function workerText(m) {
  return () => format(_(m.msgid), ...m.args);
}

worker.onmessage = e => {
  const msg = e.data;
  if (msg.type === 'progress') {
    progress(msg.done < msg.total ? readingText(msg.name, msg.done, msg.total) : format(_('Checking %s…'), msg.name),
             msg.done, msg.total);
  } else if (msg.type === 'result') {
    busy = false;
    render(msg);
    // the language was switched while the check ran: write it again
    if (msg.lang !== lang && !msg.result.error) {
      busy = true;
      worker.postMessage({ type: 'lang', lang });
    }
  } else if (msg.type === 'failed') {
    busy = false;
    $('progress').hidden = true;
    showError(msg.msgid ? workerText(msg) : msg.message);
  }
};
worker.onerror = e => {
  busy = false;
  $('progress').hidden = true;
  showError(e.msgid ? workerText(e) : e.message || (() => _('the worker failed')));
};

const drop = $('drop');
drop.addEventListener('dragover', e => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', async e => {
  e.preventDefault();
  drop.classList.remove('over');
  try { start(await fromDrop(e.dataTransfer)); } catch (err) { showError(String(err)); }
});
for (const id of ['pick', 'pick-zip', 'pick-files']) {
  $(id).addEventListener('change', e => {
    const list = Array.from(e.target.files);
    e.target.value = '';
    start(id === 'pick' ? fromPicked(list) : { name: '', files: list.map(f => ({ path: f.name, file: f })) });
  });
}
$('lang').addEventListener('change', e => {
  lang = e.target.value;
  applyLanguage();
  // the module keeps the last result (findings as message IDs and
  // arguments, the load chain, the fix plan) and writes it again in the
  // new language: nothing is checked or read again
  if (last && last.result && !last.result.error && !busy) {
    busy = true;
    worker.postMessage({ type: 'lang', lang });
  } else if (last) {
    render(last);
  }
});
applyLanguage();
