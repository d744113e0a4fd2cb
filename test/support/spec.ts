// The bundled spec (generated/openapi.json) and a JSON Schema validator built from it: the tests' independent judge.
import { readFileSync } from "node:fs";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

/** The bundled OpenAPI document, as `npm run generate` wrote it. */
export const spec = JSON.parse(readFileSync(new URL("../../generated/openapi.json", import.meta.url), "utf8"));

/** One operation of the spec: its operationId, HTTP method (lower case), path template and operation object. */
export interface SpecOperation {
  id: string;
  method: string;
  path: string;
  operation: any;
}

const methods = new Set(["get", "put", "post", "delete", "patch", "head", "options", "trace"]);

/** Every operation of the spec, in the spec's order. */
export const operations: SpecOperation[] = Object.entries(spec.paths as Record<string, Record<string, any>>).flatMap(
  ([path, item]) =>
    Object.entries(item)
      .filter(([method]) => methods.has(method))
      .map(([method, operation]) => ({ id: operation.operationId as string, method, path, operation })),
);

/** The operation with this operationId (throws when the spec has none, so a renamed operation fails loudly). */
export function operationById(id: string): SpecOperation {
  const found = operations.find((op) => op.id === id);
  if (!found) throw new Error(`the spec has no operation ${id}`);
  return found;
}

/** The createCalendar operation object. */
export const createOperation = operationById("createCalendar").operation;

/** Follows one internal `#/components/...` ref (or returns the object as it is). */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- a cast for the caller: it knows the schema
export function deref<T = any>(node: any): T {
  if (node && typeof node.$ref === "string") {
    return node.$ref
      .slice(2)
      .split("/")
      .reduce((at: any, key: string) => at[key], spec);
  }
  return node;
}

/** A copy of an example without some of its fields (to build the requests Lofty refuses). */
export function omit(record: Record<string, unknown>, ...keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !keys.includes(key)));
}

/** Named examples of a media type, with their refs followed: `{ task: {...}, appointment: {...} }`. */
export function namedExamples(mediaType: { examples?: Record<string, unknown> } | undefined): Record<string, any> {
  return Object.fromEntries(Object.entries(mediaType?.examples ?? {}).map(([name, ex]) => [name, deref(ex).value]));
}

/** The JSON media type of an operation's answer with this status (its ref followed), or undefined. */
export function responseMedia(op: SpecOperation, status: string | number): any {
  return deref(op.operation.responses[String(status)])?.content?.["application/json"];
}

/** The named examples of an operation's answer with this status, in the spec's order. */
export function responseExamples(op: SpecOperation, status: string | number): Record<string, any> {
  return namedExamples(responseMedia(op, status));
}

/** The named examples of an operation's JSON request body ({} when it has none). */
export function requestExamples(op: SpecOperation): Record<string, any> {
  return namedExamples(deref(op.operation.requestBody)?.content?.["application/json"]);
}

/** The operation's parameters, refs followed. */
export function parametersOf(op: SpecOperation): any[] {
  return (op.operation.parameters ?? []).map((p: unknown) => deref(p));
}

const escapePointer = (segment: string) => segment.replace(/~/g, "~0").replace(/\//g, "~1");

/** The JSON pointer of the schema of an operation's JSON answer with this status (through a shared response). */
export function responseSchemaPointer(op: SpecOperation, status: string | number): string {
  const response = op.operation.responses[String(status)];
  const at =
    typeof response?.$ref === "string"
      ? response.$ref
      : `#/paths/${escapePointer(op.path)}/${op.method}/responses/${String(status)}`;
  return `${at}/content/application~1json/schema`;
}

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const ajv = new Ajv2020({ allErrors: true, strict: false, validateSchema: false });
addFormats(ajv);
ajv.addSchema(spec, "openapi.json");

/** An Ajv validator for a schema of the spec, by JSON pointer (e.g. "#/components/schemas/ErrorResponse"). */
export function validatorFor(pointer: string): ValidateFunction {
  const validate = ajv.getSchema(`openapi.json${pointer}`);
  if (!validate) throw new Error(`no schema at ${pointer}`);
  return validate;
}

/** A validator of an operation's JSON answer with this status. */
export function responseValidator(op: SpecOperation, status: string | number): ValidateFunction {
  return validatorFor(responseSchemaPointer(op, status));
}

/** Walks every value of a JSON tree, calling `visit(value, key, path)` for each. */
export function walk(node: unknown, visit: (value: unknown, key: string, path: string) => void, path = "$"): void {
  if (node === null || typeof node !== "object") return;
  for (const [key, value] of Object.entries(node)) {
    const at = `${path}.${key}`;
    visit(value, key, at);
    walk(value, visit, at);
  }
}
