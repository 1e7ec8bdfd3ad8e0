// Minimal WebAssembly binary reader for the oracle harness: import and
// export lists and the dylink.0 section (what Emscripten's loader reads).
// Plain script: defines the global WDWasmInfo (and module.exports in Node),
// so the same file runs in Node, in browsers and in the jsc shell.
(function (root) {
  function reader(bytes) {
    var r = { pos: 0 };
    r.u8 = function () {
      if (r.pos >= bytes.length) throw new Error('wasm-info: unexpected end of module');
      return bytes[r.pos++];
    };
    r.leb = function () {
      var result = 0, mul = 1, b;
      do {
        b = r.u8();
        result += (b & 0x7f) * mul;
        mul *= 128;
      } while (b & 0x80);
      return result;
    };
    r.str = function () {
      var len = r.leb();
      var s = '';
      for (var i = 0; i < len; i++) s += String.fromCharCode(bytes[r.pos + i]);
      r.pos += len;
      try {
        return decodeURIComponent(escape(s)); // UTF-8
      } catch (e) {
        return s;
      }
    };
    r.limits = function () {
      var flags = r.u8();
      var l = { initial: r.leb(), maximum: null, shared: !!(flags & 2) };
      if (flags & 1) l.maximum = r.leb();
      return l;
    };
    return r;
  }

  var VALTYPES = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128', 0x70: 'funcref', 0x6f: 'externref' };
  var KINDS = ['function', 'table', 'memory', 'global', 'tag'];

  function parseDylink(bytes, start, end, info) {
    var r = reader(bytes);
    r.pos = start;
    var d = { memorySize: 0, memoryAlign: 0, tableSize: 0, tableAlign: 0, needed: [], weakImports: [] };
    while (r.pos < end) {
      var type = r.u8();
      var size = r.leb();
      var next = r.pos + size;
      if (type === 1) {
        d.memorySize = r.leb();
        d.memoryAlign = r.leb();
        d.tableSize = r.leb();
        d.tableAlign = r.leb();
      } else if (type === 2) {
        for (var n = r.leb(); n > 0; n--) d.needed.push(r.str());
      } else if (type === 4) {
        for (var m = r.leb(); m > 0; m--) {
          var mod = r.str(), field = r.str(), flags = r.leb();
          if (flags & 1) d.weakImports.push(mod + '.' + field);
        }
      }
      r.pos = next;
    }
    info.dylink = d;
  }

  function parse(bytes) {
    if (!(bytes instanceof Uint8Array)) bytes = new Uint8Array(bytes);
    if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
      throw new Error('wasm-info: not a wasm module');
    }
    var r = reader(bytes);
    r.pos = 8;
    var info = { imports: [], exports: [], dylink: null, dylinkFirst: false };
    var first = true;
    while (r.pos < bytes.length) {
      var id = r.u8();
      var size = r.leb();
      var end = r.pos + size;
      if (id === 0) {
        var name = r.str();
        if (name === 'dylink.0') {
          info.dylinkFirst = first;
          parseDylink(bytes, r.pos, end, info);
        }
      } else if (id === 2) {
        for (var n = r.leb(); n > 0; n--) {
          var imp = { module: r.str(), name: r.str(), kind: KINDS[r.u8()] };
          if (imp.kind === 'function') imp.type = r.leb();
          else if (imp.kind === 'table') { imp.element = VALTYPES[r.u8()]; var tl = r.limits(); imp.initial = tl.initial; imp.maximum = tl.maximum; }
          else if (imp.kind === 'memory') { var ml = r.limits(); imp.initial = ml.initial; imp.maximum = ml.maximum; imp.shared = ml.shared; }
          else if (imp.kind === 'global') { imp.value = VALTYPES[r.u8()]; imp.mutable = r.u8() === 1; }
          else if (imp.kind === 'tag') { r.u8(); imp.type = r.leb(); }
          else throw new Error('wasm-info: unknown import kind');
          info.imports.push(imp);
        }
      } else if (id === 7) {
        for (var k = r.leb(); k > 0; k--) {
          var ename = r.str();
          var ekind = KINDS[r.u8()];
          r.leb();
          info.exports.push({ name: ename, kind: ekind });
        }
      }
      r.pos = end;
      first = false;
    }
    return info;
  }

  // FNV-1a over the bytes, plus the length: identifies a fixture's bytes.
  function fingerprint(bytes) {
    if (!(bytes instanceof Uint8Array)) bytes = new Uint8Array(bytes.buffer || bytes);
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return bytes.length + ':' + h.toString(16);
  }

  var api = { parse: parse, fingerprint: fingerprint };
  root.WDWasmInfo = api;
  if (typeof module === 'object' && module.exports) module.exports = api;
})(typeof globalThis !== 'undefined' ? globalThis : this);
