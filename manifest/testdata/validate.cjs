// Validates JSON files against a JSON schema (draft-04, as Microsoft's app
// manifest schemas are) with ajv. Usage:
//   node validate.cjs SCHEMA.json FILE.json [FILE.json...]
// Prints "ok" or the errors as JSON, and exits 1 on any error.
// Modules are found through NODE_PATH (tools/node/node_modules).
"use strict";
const fs = require("fs");
const Ajv = require("ajv-draft-04");
const addFormats = require("ajv-formats");

const [schemaPath, ...files] = process.argv.slice(2);
const schema = JSON.parse(fs.readFileSync(schemaPath, "utf8"));
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);
let failed = false;
for (const f of files) {
  const doc = JSON.parse(fs.readFileSync(f, "utf8"));
  if (!validate(doc)) {
    failed = true;
    console.log(JSON.stringify({ file: f, errors: validate.errors }, null, 2));
  }
}
if (!failed) console.log("ok");
process.exit(failed ? 1 : 0);
