// Checks input against the rules generated from the spec (generated/rules.ts), so no constraint is copied by hand.
import type { ValidationIssue } from "./errors.js";
import { describe, toInt64 } from "./ids.js";

/** A field of generated/rules.ts: "string", "integer", "number", "boolean", "int64" or "date-time", maybe an enum. */
export interface FieldRule {
  readonly type: string;
  readonly enum?: readonly unknown[];
  readonly example?: unknown;
}

/** An object of generated/rules.ts. */
export interface ObjectRule {
  readonly closed: boolean;
  readonly required: readonly string[];
  readonly properties: { readonly [name: string]: FieldRule | ObjectRule };
}

/** A request body told apart by a discriminator property (a oneOf in the spec). */
export interface UnionRule {
  readonly discriminator: string;
  readonly variants: { readonly [value: string]: ObjectRule };
}

/** True for `{…}` literals and null-prototype objects, not class instances, arrays or dates. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  const proto = typeof value === "object" && value !== null && Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Checks a body against its variant of a union, pushing every problem to `issues`.
 * Returns the wire object: the variant's fields in the spec's order, int64 fields as bigint.
 */
export function checkUnion(rule: UnionRule, body: Record<string, unknown>, issues: ValidationIssue[]): Record<string, unknown> {
  const key = rule.discriminator;
  const kind = body[key];
  const variant = typeof kind === "string" && Object.hasOwn(rule.variants, kind) ? rule.variants[kind]! : undefined;
  if (!variant) {
    issues.push({ path: key, message: `must be one of ${Object.keys(rule.variants).join(", ")}, got ${describe(kind)}` });
    return body;
  }
  for (const name of Object.keys(body)) {
    if (!variant.closed || body[name] === undefined || Object.hasOwn(variant.properties, name)) continue;
    const owner = Object.keys(rule.variants).find((other) => Object.hasOwn(rule.variants[other]!.properties, name));
    issues.push({
      path: name,
      message: owner
        ? `is only for ${owner}, not ${kind}: remove it or set ${key} to ${owner}`
        : `is not a field of ${kind} (Lofty rejects unknown fields): check the spelling`,
    });
  }
  for (const name of variant.required) {
    const example = (variant.properties[name] as FieldRule).example;
    if (body[name] === undefined) issues.push({ path: name, message: `is required${example === undefined ? "" : `, e.g. ${JSON.stringify(example)}`}` });
  }
  // fromEntries defines own properties, so a "__proto__" key can never reach a prototype.
  return Object.fromEntries(
    Object.entries(variant.properties)
      .filter(([name]) => Object.hasOwn(body, name) && body[name] !== undefined)
      .map(([name, field]) => [name, checkField(field as FieldRule, body[name], name, issues)]),
  );
}

function checkField(rule: FieldRule, value: unknown, path: string, issues: ValidationIssue[]): unknown {
  let problem: string | undefined;
  if (rule.enum) problem = rule.enum.includes(value) ? undefined : `must be one of ${rule.enum.join(", ")}`;
  else if (rule.type === "int64") {
    const id = toInt64(value);
    if (typeof id !== "string") return id;
    issues.push({ path, message: id });
    return value;
  } else if (rule.type === "integer") problem = Number.isSafeInteger(value) ? undefined : "must be an integer";
  else if (typeof value !== (rule.type === "date-time" ? "string" : rule.type)) problem = `must be a ${rule.type}`;
  else if (rule.type === "date-time" && !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(value as string)) {
    problem = "must be an ISO 8601 date-time with an offset";
  }
  if (problem) issues.push({ path, message: `${problem}, got ${describe(value)}` });
  return value;
}

/** True when a 2xx body has every required field with the right JSON type (unknown fields are tolerated). */
export function matchesResponse(rule: FieldRule | ObjectRule, value: unknown): boolean {
  if (!("properties" in rule)) return typeof value === (rule.type === "integer" ? "number" : rule.type);
  return (
    isPlainObject(value) &&
    rule.required.every((name) => value[name] !== undefined && matchesResponse(rule.properties[name]!, value[name]))
  );
}
