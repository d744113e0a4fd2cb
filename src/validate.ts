// Checks input against the rules generated from the spec (generated/rules.ts), so no constraint is copied by hand.
import { operationRules } from "../generated/rules.js";
import { describe, type ValidationIssue } from "./errors.js";
import { toInt64 } from "./ids.js";

type RequestRule = (typeof operationRules)[keyof typeof operationRules]["request"];
/** A 200 body's shape: each required field's JSON type or enum, nested. */
export type Shape = string | readonly unknown[] | { readonly [name: string]: Shape };

/** True for `{…}` literals and null-prototype objects, not class instances, arrays or dates. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  const proto = !!value && typeof value == "object" && Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Checks a body against its variant of the request's union, pushing every problem to `issues`.
 * Returns the wire object: the discriminator, then the variant's fields in the spec's order, int64 fields as bigint.
 */
export function checkRequest(
  { key, fields, examples, variants }: RequestRule,
  body: Record<string, unknown>,
  issues: ValidationIssue[],
): Record<string, unknown> {
  const kind = body[key] as keyof typeof variants;
  const names = Object.keys(variants) as (keyof typeof variants)[];
  const variant =
    typeof kind == "string" && Object.hasOwn(variants, kind) && (variants[kind].fields as readonly string[]);
  const issue = (path: string, message: string) => issues.push({ path, message });
  if (!variant) return (issue(key, `must be one of ${names.join(", ")}, got ${describe(kind)}`), body);
  const wire: Record<string, unknown> = { [key]: kind };
  for (const name of Object.keys(body)) {
    if (name != key && body[name] !== undefined && !variant.includes(name)) {
      const owner = names.find((other) => (variants[other].fields as readonly string[]).includes(name));
      issue(
        name,
        owner
          ? `is only for ${owner}: remove it or set ${key} to ${owner}`
          : `is not a field of ${kind}: check the spelling`,
      );
    }
  }
  for (const name of variant) {
    // Own fields only: a polluted Object.prototype must not fill in a field.
    const value = Object.hasOwn(body, name) ? body[name] : undefined;
    const rule = fields[name as keyof typeof fields] as string | readonly unknown[];
    const id = rule == "int64" && toInt64(value);
    const problem =
      value === undefined
        ? (variants[kind].required as readonly string[]).includes(name) &&
          "is required" + (name in examples ? ", e.g. " + JSON.stringify(examples[name as keyof typeof examples]) : "")
        : typeof rule == "object"
          ? !rule.includes(value) && `must be one of ${rule.join(", ")}, got ${describe(value)}`
          : rule == "int64"
            ? typeof id == "string" && id
            : // date-time fields are the wire times, which createBody takes from normalizeEventTimes (src/time.ts checks
              // and writes them), so their format is not checked again here.
              typeof value != (rule == "date-time" ? "string" : rule == "integer" ? "number" : rule) ||
                (rule == "integer" && !Number.isSafeInteger(value))
              ? `must be a ${rule}, got ${describe(value)}`
              : 0;
    if (problem) issue(name, problem);
    // In the spec's order; the names are the spec's, so never "__proto__". A safe-integer id stays a number.
    else if (value !== undefined) wire[name] = typeof id == "bigint" && typeof value != "number" ? id : value;
  }
  return wire;
}

/** True when a 2xx body has every required field with the right JSON type (unknown fields are tolerated). */
export function matchesShape(shape: Shape, value: any): boolean {
  return typeof shape == "string"
    ? typeof value == shape
    : Array.isArray(shape)
      ? shape.includes(value)
      : isPlainObject(value) &&
        Object.keys(shape).every((name) => matchesShape((shape as Record<string, Shape>)[name]!, value[name]));
}
