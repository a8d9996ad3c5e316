// Validates every object of a rendered manifest (kubectl kustomize output) against the Kubernetes API's OpenAPI
// schemas, as compiled by kubernetes-models: types, required fields, enums and formats. Prints one JSON line:
// {"objects": n, "errors": ["Kind/name: message", ...]}.
//   node validate.mjs <manifest.yaml>
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const models = {
  "v1": "v1", "apps/v1": "apps/v1", "batch/v1": "batch/v1", "autoscaling/v2": "autoscaling/v2",
  "policy/v1": "policy/v1", "networking.k8s.io/v1": "networking.k8s.io/v1",
  "rbac.authorization.k8s.io/v1": "rbac.authorization.k8s.io/v1",
};
const errors = [];
let objects = 0;
for (const document of parseAllDocuments(readFileSync(process.argv[2], "utf8"))) {
  if (document.errors.length) {
    errors.push("YAML: " + document.errors.map((e) => e.message).join("; "));
    continue;
  }
  const object = document.toJS();
  if (!object) continue;
  objects++;
  const where = `${object.kind}/${object.metadata && object.metadata.name}`;
  const group = models[object.apiVersion];
  if (!group) {
    errors.push(`${where}: apiVersion ${object.apiVersion} is not one this check knows`);
    continue;
  }
  let Model;
  try {
    Model = (await import(`kubernetes-models/${group}/${object.kind}`))[object.kind];
  } catch (e) {
    errors.push(`${where}: ${object.kind} is not a kind of ${object.apiVersion}`);
    continue;
  }
  try {
    new Model(object).validate();
  } catch (e) {
    errors.push(`${where}: ${e.message}`);
  }
}
console.log(JSON.stringify({ objects, errors }));
