// Holds every answer the integration tests received against the OpenAPI document the agent serves,
// with code we did not write: @seriousme/openapi-schema-validator checks the document is OpenAPI
// 3.1, and ajv (JSON Schema 2020-12, ajv-formats) checks each answer. Usage:
//   node src/test/js/validate-answers.mjs src/main/resources/openapi.json target/signed-answers [doc.md…]
// Each answer N.json (exact body, recorded by dev.teeagent.testing.SignedAnswers) has N.meta: its
// HTTP status and content type when seen, or transport "event-stream" (a stream's signed last
// event) or "stand-in-route" (a route tests register beside the API). The operation is found from
// the signed request echo (method, path) and status. An answer on a path or method the document
// does not list must be one of its x-unmatched-request-responses (404, 405, the HTTP layer's
// refusals): a new endpoint without its description fails here. requests/*.json are request
// bodies the agent accepted; each must conform to its operation's request schema. The document's
// own request examples are checked too, and so is every request in the Markdown files given that is
// marked for it: a line `<!-- openapi-request: POST /prompt -->` before a ```json block. Exits 1
// naming every failure, and when nothing was recorded.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { recordedAnswers } from "./recorded-answers.mjs";

const [specPath, dir, ...documents] = process.argv.slice(2);
if (!specPath || !dir) {
  console.error("usage: validate-answers.mjs <openapi.json> <directory of recorded answers>");
  process.exit(2);
}
const PREFIX = "/api/v1";
const spec = JSON.parse(readFileSync(specPath, "utf8"));
const failures = [];

const documentCheck = await new Validator().validate(structuredClone(spec));
if (!documentCheck.valid) {
  console.error(`${specPath} is not a valid OpenAPI 3.1 document:`);
  console.error(JSON.stringify(documentCheck.errors, null, 2));
  process.exit(1);
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(spec, "openapi.json");
const compiled = new Map();
const pointer = (...parts) =>
  parts.map((part) => String(part).replaceAll("~", "~0").replaceAll("/", "~1")).join("/");
function validator(path) {
  if (!compiled.has(path)) compiled.set(path, ajv.compile({ $ref: `openapi.json#/${path}` }));
  return compiled.get(path);
}
function check(path, value, what) {
  const validate = validator(path);
  if (!validate(value)) {
    const errors = validate.errors
      .slice(0, 5)
      .map((e) => `${e.instancePath || "/"} ${e.message}`)
      .join("; ");
    failures.push(`${what}: does not conform to ${path}: ${errors}`);
    return false;
  }
  return true;
}

// Path templates of the document, most literal first, as regular expressions.
const templates = Object.keys(spec.paths).map((template) => ({
  template,
  pattern: new RegExp(
    "^" + template.replace(/[.]/g, "\\.").replace(/\{[^}]+\}/g, "[^/]+") + "$",
  ),
  literal: !template.includes("{"),
}));
templates.sort((a, b) => Number(b.literal) - Number(a.literal));

/** The template of a path as the agent routes it: slashes collapsed, a trailing one ignored. */
function templateOf(rawPath) {
  let path = String(rawPath).replace(/\/{2,}/g, "/");
  if (path.length > 1 && path.endsWith("/")) path = path.slice(0, -1);
  if (!path.startsWith(PREFIX + "/")) return null;
  path = path.slice(PREFIX.length);
  return templates.find((t) => t.pattern.test(path))?.template ?? null;
}

/** The JSON schema of a response (at pointer {@code base}, or where its $ref points). */
function responseSchema(base, response) {
  const at = response.$ref ? response.$ref.replace(/^#\//, "") : base;
  return `${at}/${pointer("content", "application/json", "schema")}`;
}

const files = recordedAnswers(dir, "validated");

const seen = new Set();
let validated = 0;
let standIn = 0;
for (const name of files) {
  let body;
  let meta;
  try {
    body = JSON.parse(readFileSync(join(dir, name), "utf8"));
    const metaFile = join(dir, name.replace(/\.json$/, ".meta"));
    meta = existsSync(metaFile) ? JSON.parse(readFileSync(metaFile, "utf8")) : {};
  } catch (e) {
    failures.push(`${name}: ${e.message}`);
    continue;
  }
  if (!check(pointer("components", "schemas", "Envelope"), body, name)) continue;
  const status = body.status;
  const method = String(body.request.method).toLowerCase();
  if (meta.transport === "stand-in-route") {
    // Routes tests register beside the API: only their refusals are the API's.
    if (status >= 400) check(pointer("components", "schemas", "ErrorAnswer"), body, name);
    standIn++;
    continue;
  }
  if (meta.http_status != null && meta.transport === "json" && meta.http_status !== status) {
    failures.push(`${name}: HTTP status ${meta.http_status} but signed status ${status}`);
  }
  const template = templateOf(body.request.path);
  const operation = template && spec.paths[template][method];
  const where = `${name} (${method.toUpperCase()} ${body.request.path} ${status})`;
  if (!operation) {
    const response = spec["x-unmatched-request-responses"][String(status)];
    if (!response) {
      failures.push(
        `${where}: ${template ? "method" : "path"} not in ${specPath}, and ${status} is not an answer to an unmatched request`,
      );
      continue;
    }
    if (check(responseSchema(null, response), body, where)) {
      validated++;
    }
    continue;
  }
  const base = pointer("paths", template, method, "responses", String(status));
  if (meta.transport === "event-stream") {
    const final = operation.responses["200"]?.content?.["text/event-stream"]?.["x-final-event"];
    if (!final) {
      failures.push(`${where}: an event stream, which ${template} does not document`);
      continue;
    }
    const schema = pointer("paths", template, method, "responses", "200", "content", "text/event-stream", "x-final-event", "schema");
    if (check(schema, body, where)) validated++;
    seen.add(`${method.toUpperCase()} ${template} 200 event-stream`);
    continue;
  }
  const response = operation.responses[String(status)];
  if (!response) {
    failures.push(`${where}: status ${status} is not documented for ${method.toUpperCase()} ${template}`);
    continue;
  }
  if (check(responseSchema(base, response), body, where)) {
    validated++;
  }
  seen.add(`${method.toUpperCase()} ${template} ${status}`);
}

// Request bodies the tests sent: what the agent accepted must conform to its operation's request
// schema, and what it refused as unknown_field must not (every request object is closed).
let requests = 0;
let refused = 0;
const requestDir = join(dir, "requests");
const requestFiles = existsSync(requestDir)
  ? readdirSync(requestDir).filter((name) => name.endsWith(".json")).sort()
  : [];
for (const name of requestFiles) {
  const recorded = JSON.parse(readFileSync(join(requestDir, name), "utf8"));
  const accepted = recorded.status >= 200 && recorded.status <= 299;
  if (!accepted && recorded.error_code !== "unknown_field") continue;
  const template = templateOf(recorded.path.split("?")[0]);
  const method = recorded.method.toLowerCase();
  const operation = template && spec.paths[template][method];
  const what = `requests/${name} (${recorded.method} ${recorded.path} ${recorded.status})`;
  if (!operation?.requestBody) {
    failures.push(`${what}: answered with a body the document does not describe`);
    continue;
  }
  let value;
  try {
    value = JSON.parse(recorded.body);
  } catch {
    continue; // not JSON, yet accepted: the agent's business, not a shape to check
  }
  const schema = pointer("paths", template, method, "requestBody", "content", "application/json", "schema");
  if (accepted) {
    if (check(schema, value, what)) requests++;
  } else if (validator(schema)(value)) {
    failures.push(`${what}: refused as unknown_field, yet ${schema} accepts it`);
  } else {
    refused++;
  }
}
let examples = 0;
for (const [template, item] of Object.entries(spec.paths)) {
  for (const [method, operation] of Object.entries(item)) {
    const media = operation.requestBody?.content?.["application/json"];
    for (const [key, example] of Object.entries(media?.examples ?? {})) {
      const schema = pointer("paths", template, method, "requestBody", "content", "application/json", "schema");
      if (check(schema, example.value, `example ${key} of ${method.toUpperCase()} ${template}`)) examples++;
    }
  }
}

// Requests in the documentation, marked `<!-- openapi-request: METHOD /path -->` before a json block.
const MARKED = /<!-- openapi-request: ([A-Z]+) (\/[^ ]*) -->\s*```json\n([\s\S]*?)```/g;
let documented = 0;
let marked = 0;
for (const document of documents) {
  for (const [, method, path, text] of readFileSync(document, "utf8").matchAll(MARKED)) {
    marked++;
    const what = `${document}: the ${method} ${path} example`;
    const operation = spec.paths[path]?.[method.toLowerCase()];
    if (!operation?.requestBody) {
      failures.push(`${what}: ${specPath} has no request body for ${method} ${path}`);
      continue;
    }
    let value;
    try {
      value = JSON.parse(text);
    } catch (e) {
      failures.push(`${what}: not JSON: ${e.message}`);
      continue;
    }
    const schema = pointer("paths", path, method.toLowerCase(), "requestBody", "content", "application/json", "schema");
    if (check(schema, value, what)) documented++;
  }
}
if (documents.length > 0 && marked === 0) {
  failures.push(`${documents.join(", ")}: no request marked <!-- openapi-request: METHOD /path -->`);
}

if (failures.length > 0) {
  console.error(`${failures.length} answers or requests do not conform to ${specPath}:`);
  for (const failure of failures) console.error(`  ${failure}`);
  process.exit(1);
}
// The signed operations whose success no test received: worth a test, not (yet) a failure.
const unexercised = Object.entries(spec.paths).flatMap(([template, item]) =>
  Object.entries(item)
    .filter(([, operation]) => !operation["x-unsigned"])
    .map(([method]) => `${method.toUpperCase()} ${template} 200`)
    .filter((pair) => !seen.has(pair)),
);
if (unexercised.length > 0) console.log(`no answer received for: ${unexercised.join(", ")}`);
console.log(
  `all ${validated} signed answers conform to ${specPath} (ajv, JSON Schema 2020-12): ` +
    `${seen.size} operation/status pairs; ${requests} accepted request bodies, ${examples} ` +
    `examples and ${documented} marked requests in ${documents.length} documents conform, ` +
    `${refused} requests refused as unknown_field are refused by the schema too; ` +
    `${standIn} answers of stand-in routes (their errors checked)`,
);
