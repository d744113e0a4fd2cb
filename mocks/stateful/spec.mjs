// What the stateful mock learns from the spec: the bundled document `npm run generate` writes (generated/openapi.json,
// also shipped in the package). Routes, field names, defaults, messages and error bodies come from it, so the store
// copies no constraint by hand; Prism, in front, holds every request and answer to the same document.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The bundled spec: the document Prism serves and the store reads. */
export const bundledSpecFile = fileURLToPath(new URL("../../generated/openapi.json", import.meta.url));

const httpMethods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

/** Reads and parses the bundled spec. */
export function loadSpec(file = bundledSpecFile) {
  return JSON.parse(readFileSync(file, "utf8"));
}

/** Follows a local `$ref` (`#/components/...`) until a node without one; other nodes are returned as they are. */
export function deref(doc, node) {
  let current = node;
  const seen = new Set();
  while (current && typeof current === "object" && typeof current.$ref === "string") {
    if (seen.has(current.$ref)) throw new Error(`spec: circular $ref ${current.$ref}`);
    seen.add(current.$ref);
    if (!current.$ref.startsWith("#/")) throw new Error(`spec: only local $refs are expected, not ${current.$ref}`);
    current = current.$ref
      .slice(2)
      .split("/")
      .map((segment) => segment.replaceAll("~1", "/").replaceAll("~0", "~"))
      .reduce((parent, key) => parent?.[key], doc);
    if (current === undefined) throw new Error(`spec: $ref ${[...seen].at(-1)} points at nothing`);
  }
  return current;
}

/** Every operation of the spec: `{ operationId, method, path, operation }` (method in upper case). */
export function operationsOf(doc) {
  const operations = [];
  for (const [path, rawItem] of Object.entries(doc.paths ?? {})) {
    const item = deref(doc, rawItem);
    for (const method of httpMethods) {
      const operation = item[method];
      if (operation)
        operations.push({ operationId: operation.operationId, method: method.toUpperCase(), path, operation });
    }
  }
  return operations;
}

/** The operation named `operationId`; throws when the spec has none. */
export function operationNamed(doc, operationId) {
  const found = operationsOf(doc).find((candidate) => candidate.operationId === operationId);
  if (!found) throw new Error(`spec: no operation ${operationId}`);
  return found;
}

/** The parameter `name` of an operation (its own or its path's), dereferenced. */
export function parameterOf(doc, operationId, name) {
  const { path, operation } = operationNamed(doc, operationId);
  const pathItem = deref(doc, doc.paths[path]);
  const all = [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])].map((p) => deref(doc, p));
  const parameter = all.find((candidate) => candidate.name === name);
  if (!parameter) throw new Error(`spec: ${operationId} has no parameter ${name}`);
  return parameter;
}

/** The `default` of a parameter's schema, or `fallback` when the spec gives none. */
export function parameterDefault(doc, operationId, name, fallback) {
  const schema = deref(doc, parameterOf(doc, operationId, name).schema ?? {});
  return schema.default ?? fallback;
}

/** The example values of one answer of an operation (`status` as a string, e.g. "200"), for its JSON content. */
export function responseExamples(doc, operationId, status) {
  const { operation } = operationNamed(doc, operationId);
  const response = deref(doc, operation.responses?.[status]);
  if (!response) throw new Error(`spec: ${operationId} has no ${status} answer`);
  const media = response.content?.["application/json"] ?? {};
  const examples = Object.values(media.examples ?? {}).map((example) => deref(doc, example).value);
  if (media.example !== undefined) examples.push(media.example);
  return examples;
}

/** A component schema by name, dereferenced. */
export function schemaNamed(doc, name) {
  const schema = doc.components?.schemas?.[name];
  if (!schema) throw new Error(`spec: no schema ${name}`);
  return deref(doc, schema);
}
