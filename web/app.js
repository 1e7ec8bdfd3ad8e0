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

const TEXT = {
  en: {
    title: 'Why does my Godot web export stay on “Loading…”?',
    lead: 'Drop the export folder, the .zip Godot made, or the Godot project folder. Everything is checked here, in this page: nothing is uploaded.',
    language: 'Language',
    drop: 'Drop a folder or a .zip here',
    or: 'or choose:',
    'pick-folder': 'A folder…',
    'pick-zip': 'A .zip…',
    'pick-files': 'Files…',
    'fix-title': 'The fix for this project',
    'fix-help': 'These files, changed as `webdoctor fix --apply` would change them. Download them and put them over the project\'s files (keep a copy of the old ones).',
    foot: 'webdoctor runs here as WebAssembly. The page makes no network request: close the network and it still works.',
    loading: 'Starting webdoctor…',
    reading: (name, done, total) => `Reading ${name}: ${mb(done)} of ${mb(total)} MB`,
    checking: name => `Checking ${name}…`,
    errors: 'Will not load',
    warnings: 'Loads, with warnings',
    ok: 'Ready to load',
    'bad-input': 'Cannot be checked',
    counts: (e, w, n) => `${e} error(s), ${w} warning(s), ${n} note(s)`,
    time: (r, c) => `read in ${r} ms, checked in ${c} ms, in this page`,
    nothing: 'Nothing to check: drop a folder, a .zip or files.',
    download: 'download',
    'fix-none': 'Nothing to change.',
  },
  zh_CN: {
    title: '为什么我的 Godot Web 导出一直停在“Loading…”？',
    lead: '把导出文件夹、Godot 生成的 .zip 或 Godot 项目文件夹拖到这里。所有检查都在本页面内完成：不上传任何内容。',
    language: '语言',
    drop: '把文件夹或 .zip 拖到这里',
    or: '或者选择：',
    'pick-folder': '文件夹…',
    'pick-zip': '.zip 文件…',
    'pick-files': '文件…',
    'fix-title': '此项目的修复',
    'fix-help': '以下文件已按 `webdoctor fix --apply` 的方式修改。下载后覆盖项目中的对应文件（请先备份旧文件）。',
    foot: 'webdoctor 以 WebAssembly 形式在本页面中运行。页面不发出任何网络请求：断开网络也能使用。',
    loading: '正在启动 webdoctor…',
    reading: (name, done, total) => `正在读取 ${name}：${mb(done)} / ${mb(total)} MB`,
    checking: name => `正在检查 ${name}…`,
    errors: '无法加载',
    warnings: '可以加载，但有警告',
    ok: '可以加载',
    'bad-input': '无法检查',
    counts: (e, w, n) => `${e} 个错误，${w} 个警告，${n} 条提示`,
    time: (r, c) => `在本页面中读取用时 ${r} 毫秒，检查用时 ${c} 毫秒`,
    nothing: '没有可检查的内容：请拖入文件夹、.zip 或文件。',
    download: '下载',
    'fix-none': '无需修改。',
  },
};

function mb(n) { return (n / 1048576).toFixed(1); }

const $ = id => document.getElementById(id);
let lang = (navigator.language || 'en').toLowerCase().startsWith('zh') ? 'zh_CN' : 'en';
let last = null;          // the last result, re-rendered on a language switch
let busy = false;
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
  let failure = null;
  const proxy = {
    onmessage: null,
    onerror: null,
    postMessage(msg) {
      if (real) real.postMessage(msg);
      else if (failure) proxy.onerror({ message: failure });
      else queue.push(msg);
    },
  };
  const fail = message => {
    failure = message;
    if (queue.splice(0).length) proxy.onerror({ message });
  };
  const script = document.createElement('script');
  script.src = 'worker-bundle.js';
  script.onload = () => {
    try {
      const source = `(${webdoctorWorker})();\n`;
      real = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
    } catch (err) {
      fail(String(err && err.message || err));
      return;
    }
    real.onmessage = e => proxy.onmessage(e);
    real.onerror = e => proxy.onerror(e);
    for (const msg of queue.splice(0)) real.postMessage(msg);
  };
  script.onerror = () => fail('worker-bundle.js could not be loaded');
  document.head.appendChild(script);
  return proxy;
}

function t(key, ...args) {
  const v = TEXT[lang][key];
  return typeof v === 'function' ? v(...args) : v;
}

function applyLanguage() {
  document.documentElement.lang = lang === 'zh_CN' ? 'zh-CN' : 'en';
  $('lang').value = lang;
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
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
  if (!files.length) { showError(t('nothing')); return; }
  busy = true;
  const zip = isZip(files);
  const name = zip ? files[0].file.name : (picked.name || files[0].file.name);
  $('verdict').hidden = true;
  $('verdict').dataset.status = '';
  $('fix').hidden = true;
  $('report').replaceChildren();
  progress(t('reading', name, 0, files.reduce((n, f) => n + f.file.size, 0)), 0, 1);
  worker.postMessage({ type: 'check', mode: zip ? 'zip' : 'files', name, lang,
                       files: files.map(f => ({ path: f.path, file: f.file })) });
}

function showError(message) {
  const v = $('verdict');
  v.hidden = false;
  v.dataset.status = 'bad-input';
  $('verdict-title').textContent = t('bad-input');
  $('verdict-detail').textContent = message;
  $('verdict-time').textContent = '';
}

function render(msg) {
  last = msg;
  $('progress').hidden = true;
  const r = msg.result;
  if (r.error) { showError(r.error); return; }
  const v = $('verdict');
  const sum = r.check.summary || {};
  v.dataset.status = r.status;
  v.dataset.readMs = String(msg.readMs);
  v.dataset.checkMs = String(msg.checkMs);
  v.dataset.kind = r.kind;
  v.dataset.checks = String(r.checks);
  v.dataset.filesRead = String(msg.filesRead);
  v.dataset.rendered = String(!!msg.rendered);
  $('verdict-title').textContent = t(r.status);
  $('verdict-detail').textContent = `${r.check.subject}: ${t('counts', sum.errors || 0, sum.warnings || 0, sum.notes || 0)}`;
  $('verdict-time').textContent = t('time', Math.round(msg.readMs), Math.round(msg.checkMs));
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
  $('fix-diff').textContent = fix.diff || t('fix-none');
  for (const f of fix.files || []) {
    const url = URL.createObjectURL(new Blob([f.text], { type: 'application/octet-stream' }));
    blobs.push(url);
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = url;
    a.download = f.path.split('/').pop();
    a.dataset.path = f.path;
    a.textContent = `${t('download')} ${f.path}`;
    li.appendChild(a);
    list.appendChild(li);
  }
}

worker.onmessage = e => {
  const msg = e.data;
  if (msg.type === 'progress') {
    progress(msg.done < msg.total ? t('reading', msg.name, msg.done, msg.total) : t('checking', msg.name),
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
    showError(msg.message);
  }
};
worker.onerror = e => {
  busy = false;
  $('progress').hidden = true;
  showError(e.message || 'the worker failed');
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
