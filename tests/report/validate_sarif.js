// Validate SARIF files against the SARIF 2.1.0 schema (draft-04) with ajv 6.
// usage: node validate_sarif.js FILE.sarif...   prints "N passed, N failed"
'use strict';
const fs = require('fs');
const path = require('path');
const Ajv = require('ajv');
const schema = JSON.parse(fs.readFileSync(path.join(__dirname, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
const ajv = new Ajv({ schemaId: 'id', allErrors: true, meta: false, validateSchema: false });
ajv.addMetaSchema(require('ajv/lib/refs/json-schema-draft-04.json'));
const validate = ajv.compile(schema);
let passed = 0, failed = 0;
for (const file of process.argv.slice(2)) {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (validate(doc)) {
    passed++;
  } else {
    failed++;
    console.log(`FAIL ${file}`);
    for (const e of validate.errors.slice(0, 10)) console.log(`   ${e.dataPath} ${e.message}`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
