// Checks input against the rules generated from the spec (generated/rules.ts), so no constraint is copied by hand.
import { operationRules } from "../generated/rules.js";
import { describe, type ValidationIssue } from "./errors.js";
import { toInt64 } from "./ids.js";

/** A request body's rules: the discriminator, each field's rule, examples of required fields, the variants. */
export type BodyRule = (typeof operationRules)[keyof typeof operationRules]["request"];
/** A field's rule: its JSON type or format ("string", "integer", "int64", "date-time"…), or its enum. */
type FieldRule = string | readonly unknown[];
/** A 200 body's shape: each required field's JSON type or enum, nested. */
export type Shape = string | readonly unknown[] | { readonly [name: string]: Shape };

/** True for `{…}` literals and null-prototype objects, not class instances, arrays or dates. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Checks a body against its variant of the request's union, pushing every problem to `issues`.
 * Returns the wire object: the discriminator, then the variant's fields in the spec's order, int64 fields as bigint.
 */
export function checkRequest(rule: BodyRule, body: Record<string, unknown>, issues: ValidationIssue[]) {
  const { key, variants } = rule;
  const kind = body[key];
  const names = Object.keys(variants);
  if (typeof kind !== "string" || !Object.hasOwn(variants, kind)) {
    issues.push({ path: key, message: `must be one of ${names.join(", ")}, got ${describe(kind)}` });
    return body;
  }
  const variant = variants[kind as keyof typeof variants];
  const own: readonly string[] = variant.fields;
  const required: readonly string[] = variant.required;
  for (const name of Object.keys(body)) {
    if (name !== key && body[name] !== undefined && !own.includes(name)) {
      issues.push({ path: name, message: foreignFieldMessage(rule, name, kind) });
    }
  }
  const wire: Record<string, unknown> = { [key]: kind };
  for (const name of own) {
    // Own fields only: a polluted Object.prototype must not fill in a field.
    const value = Object.hasOwn(body, name) ? body[name] : undefined;
    const fieldRule = (rule.fields as Record<string, FieldRule>)[name] ?? "string";
    const problem = value === undefined ? missingProblem(rule, name, required) : fieldProblem(fieldRule, value);
    // In the spec's order; the names are the spec's, so never "__proto__".
    if (problem) issues.push({ path: name, message: problem });
    else if (value !== undefined) wire[name] = wireValue(fieldRule, value);
  }
  return wire;
}

/** The message for a field of another variant, or of none. */
function foreignFieldMessage(rule: BodyRule, name: string, kind: string): string {
  const variants: Record<string, { fields: readonly string[] }> = rule.variants;
  const owner = Object.keys(variants).find((other) => variants[other]?.fields.includes(name));
  if (owner) return `is only for ${owner}: remove it or set ${rule.key} to ${owner}`;
  return `is not a field of ${kind}: check the spelling`;
}

/** The message for an absent field: empty when it is optional; for a required one, its example when the spec has one. */
function missingProblem(rule: BodyRule, name: string, required: readonly string[]): string {
  if (!required.includes(name)) return "";
  const examples: Record<string, unknown> = rule.examples;
  if (!(name in examples)) return "is required";
  return `is required, e.g. ${JSON.stringify(examples[name])}`;
}

/** What is wrong with a given value, or "" when nothing is. */
export function fieldProblem(rule: FieldRule, value: unknown): string {
  if (typeof rule === "object") {
    return rule.includes(value) ? "" : `must be one of ${rule.join(", ")}, got ${describe(value)}`;
  }
  if (rule === "int64") {
    const id = toInt64(value);
    return typeof id === "string" ? id : "";
  }
  // date-time fields are the wire times, which src/time.ts checks and writes: their format is not checked again here.
  if (rule === "date-time") return typeof value === "string" ? "" : `must be a string, got ${describe(value)}`;
  if (rule === "integer") return Number.isSafeInteger(value) ? "" : `must be an integer, got ${describe(value)}`;
  return typeof value === rule ? "" : `must be a ${rule}, got ${describe(value)}`;
}

/** The value as the wire gets it: an int64 given as a bigint or a string becomes a bigint (a safe number stays). */
function wireValue(rule: FieldRule, value: unknown): unknown {
  if (rule !== "int64" || typeof value === "number") return value;
  return toInt64(value);
}

/** True when a 2xx body has every required field with the right JSON type (unknown fields are tolerated). */
export function matchesShape(shape: Shape, value: unknown): boolean {
  if (typeof shape === "string") return typeof value === shape;
  if (isShapeEnum(shape)) return shape.includes(value);
  if (!isPlainObject(value)) return false;
  return Object.entries(shape).every(([name, fieldShape]) => matchesShape(fieldShape, value[name]));
}

function isShapeEnum(shape: Shape): shape is readonly unknown[] {
  return Array.isArray(shape);
}
