// Checks input against the rules generated from the spec (generated/rules.ts), so no constraint is copied by hand.
import { describe, type ValidationIssue } from "./errors.js";
import { toInt64 } from "./ids.js";

/**
 * A field's rule (scripts/rules.mjs): its enum; its JSON type or format ("string", "integer", "boolean", "int64",
 * "date-time"); or that with a range or a pattern; an array parameter by its items.
 */
export type FieldRule =
  | string
  | readonly unknown[]
  | { readonly type: string; readonly minimum?: number; readonly maximum?: number; readonly pattern?: string }
  | { readonly type: "array"; readonly items: FieldRule };

/** A closed object's rules: its fields in the spec's order, the required ones, groups of which one is required. */
export interface ObjectRule {
  readonly fields: { readonly [name: string]: FieldRule };
  readonly required: readonly string[];
  readonly examples: { readonly [name: string]: unknown };
  readonly oneOf?: readonly RequiredGroup[];
  readonly minProperties?: number;
}

/**
 * Fields of which one must be given. `ends` names the convenience fields (`start`, `end`) of a group of wire times:
 * giving one of those gives the group too.
 */
export interface RequiredGroup {
  readonly fields: readonly string[];
  readonly ends: readonly string[];
}

/** A body that is one of several closed variants, told apart by `key`: an object rule per value. */
export interface VariantsRule {
  readonly key: string;
  readonly variants: { readonly [value: string]: ObjectRule };
}

/** A 200 body's shape: a JSON type, an enum, `{ "[]": items }` for an array, or an object's required fields. */
export type Shape = string | readonly unknown[] | { readonly [name: string]: Shape };

/** True for `{…}` literals and null-prototype objects, not class instances, arrays or dates. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Checks a body against its rule (for a union: against its variant), pushing every problem to `issues`. Returns the
 * wire object: the discriminator, then the fields in the spec's order, int64 fields given as bigint or string as bigint.
 */
export function checkBody(rule: ObjectRule | VariantsRule, body: Record<string, unknown>, issues: ValidationIssue[]) {
  if (!("key" in rule)) return checkObject(rule, body, issues, () => "is not a field here: check the spelling");
  const { key, variants } = rule;
  const kind = body[key];
  const variant = variantOf(rule, kind);
  if (!variant) {
    const message = `must be one of ${Object.keys(variants).join(", ")}, got ${describe(kind)}`;
    issues.push({ path: key, message });
    return body;
  }
  const { [key]: _kind, ...rest } = body;
  const foreign = (name: string) => foreignFieldMessage(rule, name, String(kind));
  return { [key]: kind, ...checkObject(variant, rest, issues, foreign) };
}

/** The rule of the variant a discriminator value names, if it names one. */
export function variantOf(rule: VariantsRule, kind: unknown): ObjectRule | undefined {
  if (typeof kind !== "string" || !Object.hasOwn(rule.variants, kind)) return undefined;
  return rule.variants[kind];
}

/** The message for a field of another variant, or of none. */
function foreignFieldMessage(rule: VariantsRule, name: string, kind: string): string {
  const owner = Object.keys(rule.variants).find((other) => Object.hasOwn(rule.variants[other]?.fields ?? {}, name));
  if (owner) return `is only for ${owner}: remove it or set ${rule.key} to ${owner}`;
  return `is not a field of ${kind}: check the spelling`;
}

/** Checks a closed object's fields; `foreign` says what is wrong with a field it does not have. */
export function checkObject(
  rule: ObjectRule,
  input: Record<string, unknown>,
  issues: ValidationIssue[],
  foreign: (name: string) => string,
): Record<string, unknown> {
  for (const name of Object.keys(input)) {
    if (input[name] !== undefined && !Object.hasOwn(rule.fields, name))
      issues.push({ path: name, message: foreign(name) });
  }
  const wire: Record<string, unknown> = {};
  for (const [name, fieldRule] of Object.entries(rule.fields)) {
    // Own fields only: a polluted Object.prototype must not fill in a field.
    const value = Object.hasOwn(input, name) ? input[name] : undefined;
    const problem =
      value === undefined ? missingProblem(rule, name) : fieldProblem(fieldRule, value, rule.examples[name]);
    // In the spec's order; the names are the spec's, so never "__proto__".
    if (problem) issues.push({ path: name, message: problem });
    else if (value !== undefined) wire[name] = wireValue(fieldRule, value);
  }
  // Only when nothing else is wrong: a field given but refused has its own issue, and "give a field" would mislead.
  const { minProperties } = rule;
  if (minProperties !== undefined && Object.keys(wire).length < minProperties && issues.length === 0) {
    const message = `give at least ${minProperties} field: ${Object.keys(rule.fields).join(", ")}`;
    issues.push({ path: "(input)", message });
  }
  return wire;
}

/** The message for an absent field: empty when it is optional; for a required one, its example when the spec has one. */
function missingProblem(rule: ObjectRule, name: string): string {
  if (!rule.required.includes(name)) return "";
  if (!(name in rule.examples)) return "is required";
  return `is required, e.g. ${JSON.stringify(rule.examples[name])}`;
}

/** What is wrong with a given value, or "" when nothing is; `example` shows the fix of a pattern. */
export function fieldProblem(rule: FieldRule, value: unknown, example?: unknown): string {
  if (isList(rule)) {
    return rule.includes(value) ? "" : `must be one of ${rule.join(", ")}, got ${describe(value)}`;
  }
  if (typeof rule !== "string") return ruleObjectProblem(rule, value, example);
  if (rule === "int64") {
    const id = toInt64(value);
    return typeof id === "string" ? id : "";
  }
  // date-time fields are the wire times: src/encode.ts puts only what src/time.ts checked and wrote in them.
  if (rule === "date-time") return "";
  if (rule === "integer") return Number.isSafeInteger(value) ? "" : `must be an integer, got ${describe(value)}`;
  return typeof value === rule ? "" : `must be a ${rule}, got ${describe(value)}`;
}

/** A range, a pattern, or an array's items. */
function ruleObjectProblem(rule: Exclude<FieldRule, string | readonly unknown[]>, value: unknown, example: unknown) {
  if ("items" in rule) {
    if (!Array.isArray(value)) return `must be an array, got ${describe(value)}`;
    const problems = value.map((item: unknown) => fieldProblem(rule.items, item)).filter(Boolean);
    return problems.length > 0 ? `has an item that ${problems[0] ?? ""}` : "";
  }
  const typeProblem = fieldProblem(rule.type, value);
  if (typeProblem) return typeProblem;
  const { minimum, maximum, pattern } = rule;
  if (minimum !== undefined && (value as number) < minimum)
    return `must be at least ${minimum}, got ${describe(value)}`;
  if (maximum !== undefined && (value as number) > maximum) return `must be at most ${maximum}, got ${describe(value)}`;
  if (pattern !== undefined && !new RegExp(pattern).test(value as string)) {
    if (example === undefined) return `is malformed, got ${describe(value)}`;
    return `must look like ${JSON.stringify(example)}, got ${describe(value)}`;
  }
  return "";
}

/** The value as the wire gets it: an int64 given as a bigint or a string becomes a bigint (a safe number stays). */
function wireValue(rule: FieldRule, value: unknown): unknown {
  if (rule !== "int64" || typeof value === "number") return value;
  return toInt64(value);
}

/** True when a 2xx body has every required field with the right JSON type (unknown fields are tolerated). */
export function matchesShape(shape: Shape, value: unknown): boolean {
  if (typeof shape === "string") return typeof value === shape;
  if (isList(shape)) return shape.includes(value);
  const items = shape["[]"];
  if (items !== undefined) return Array.isArray(value) && value.every((item) => matchesShape(items, item));
  if (!isPlainObject(value)) return false;
  return Object.entries(shape).every(([name, fieldShape]) => matchesShape(fieldShape, value[name]));
}

/** Array.isArray, for the readonly arrays of the rules (an enum). */
function isList(value: unknown): value is readonly unknown[] {
  return Array.isArray(value);
}
