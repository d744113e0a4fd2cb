// The bundled spec (generated/openapi.json) and a JSON Schema validator built from it: the tests' independent judge.
import { readFileSync } from "node:fs";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

/** The bundled OpenAPI document, as `npm run generate` wrote it. */
export const spec = JSON.parse(readFileSync(new URL("../../generated/openapi.json", import.meta.url), "utf8"));

/** The createCalendarEvent operation object. */
export const createOperation = spec.paths["/v2.0/calendar"].post;

/** Follows one internal `#/components/...` ref (or returns the object as it is). */
export function deref<T = any>(node: any): T {
  if (node && typeof node.$ref === "string") {
    return node.$ref
      .slice(2)
      .split("/")
      .reduce((at: any, key: string) => at[key], spec) as T;
  }
  return node as T;
}

/** Named examples of a media type, with their refs followed: `{ task: {...}, appointment: {...} }`. */
export function namedExamples(mediaType: { examples?: Record<string, unknown> }): Record<string, any> {
  return Object.fromEntries(Object.entries(mediaType.examples ?? {}).map(([name, ex]) => [name, deref<any>(ex).value]));
}

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const ajv = new Ajv2020({ allErrors: true, strict: false, validateSchema: false });
addFormats(ajv);
ajv.addSchema(spec, "openapi.json");

/** An Ajv validator for a schema of the spec, by JSON pointer (e.g. "#/components/schemas/Error"). */
export function validatorFor(pointer: string): ValidateFunction {
  const validate = ajv.getSchema(`openapi.json${pointer}`);
  if (!validate) throw new Error(`no schema at ${pointer}`);
  return validate;
}
