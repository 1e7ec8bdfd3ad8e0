// Validate SARIF files against the SARIF 2.1.0 schema (draft-04) with ajv 6.
// usage: node validate_sarif.js [--github] FILE.sarif...   prints "N passed, N failed"
// --github: also what GitHub code scanning's upload needs of a result
// (docs.github.com "SARIF support for code scanning"; the sarif-sdk GH10xx
// rules): a tool name, each result's ruleId and message.text, a
// physicalLocation with a non-empty artifactLocation.uri that is relative
// (to a uriBaseId given in run.originalUriBaseIds as an absolute file:// URI
// ending in '/'), and a region with startLine unless the region is a byte
// range (a binary file); levels error, warning or note.
'use strict';
const fs = require('fs');
const path = require('path');
const Ajv = require('ajv');
const schema = JSON.parse(fs.readFileSync(path.join(__dirname, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
const ajv = new Ajv({ schemaId: 'id', allErrors: true, meta: false, validateSchema: false });
ajv.addMetaSchema(require('ajv/lib/refs/json-schema-draft-04.json'));
const validate = ajv.compile(schema);
function githubProblems(doc) {
  const out = [];
  for (const run of doc.runs || []) {
    if (!run.tool || !run.tool.driver || !run.tool.driver.name) out.push('run.tool.driver.name missing');
    const bases = run.originalUriBaseIds || {};
    for (const [k, v] of Object.entries(bases))
      if (!/^file:\/\/\/.*\/$/.test(v.uri || '')) out.push(`originalUriBaseIds.${k}: not an absolute file URI ending in /`);
    (run.results || []).forEach((r, i) => {
      const at = `results[${i}]`;
      if (!r.ruleId) out.push(`${at}: no ruleId`);
      if (!r.message || !r.message.text) out.push(`${at}: no message.text`);
      if (!['error', 'warning', 'note'].includes(r.level)) out.push(`${at}: level ${r.level}`);
      for (const loc of r.locations || []) {
        const pl = loc.physicalLocation;
        const al = pl && pl.artifactLocation;
        if (!al || !al.uri) { out.push(`${at}: no artifactLocation.uri`); continue; }
        if (al.uriBaseId) {
          if (!bases[al.uriBaseId]) out.push(`${at}: uriBaseId ${al.uriBaseId} not in originalUriBaseIds`);
          if (/^[a-z]+:|^\//.test(al.uri)) out.push(`${at}: uri ${al.uri} is not relative to its base`);
        } else if (!/^file:\/\/\//.test(al.uri)) {
          out.push(`${at}: uri ${al.uri} without uriBaseId is not an absolute file URI`);
        }
        const reg = pl.region;
        if (reg && reg.byteOffset === undefined && !(reg.startLine >= 1)) out.push(`${at}: region without startLine`);
      }
    });
  }
  return out;
}

let passed = 0, failed = 0;
let github = false;
for (const file of process.argv.slice(2)) {
  if (file === '--github') { github = true; continue; }
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  const gh = github ? githubProblems(doc) : [];
  if (validate(doc) && gh.length === 0) {
    passed++;
  } else if (gh.length) {
    failed++;
    console.log(`FAIL ${file} (GitHub code scanning)`);
    for (const e of gh.slice(0, 10)) console.log(`   ${e}`);
  } else {
    failed++;
    console.log(`FAIL ${file}`);
    for (const e of validate.errors.slice(0, 10)) console.log(`   ${e.dataPath} ${e.message}`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
