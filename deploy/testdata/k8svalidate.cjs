// Validates Kubernetes objects against the API's JSON schemas, as compiled
// by the npm package kubernetes-models. Input on stdin: a JSON array of
// {file, object}. Prints one line per error; exits 1 if there is any.
"use strict";
const fs = require("fs");
const docs = JSON.parse(fs.readFileSync(0, "utf8"));
let bad = 0;
for (const { file, object } of docs) {
  const where = `${file}: ${object.kind} ${object.metadata && object.metadata.name}`;
  let Model;
  try {
    Model = require(`kubernetes-models/${object.apiVersion}/${object.kind}`)[object.kind];
  } catch (e) {
    console.log(`${where}: unknown apiVersion/kind ${object.apiVersion} ${object.kind}`);
    bad++;
    continue;
  }
  try {
    new Model(object).validate();
    console.log(`${where}: valid`);
  } catch (e) {
    console.log(`${where}: ${e.message}`);
    bad++;
  }
}
process.exit(bad ? 1 : 0);
