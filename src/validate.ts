// Checks input against the rules generated from the spec (generated/rules.ts), so no constraint is copied by hand.
import type { ValidationIssue } from "./errors.js";
import { describe, toInt64 } from "./ids.js";

/** A node of generated/rules.ts: a JSON Schema subset (object, string, integer, number, boolean; enum; format). */
export interface Rule {
  readonly type: string;
  readonly format?: string;
  readonly enum?: readonly unknown[];
  readonly example?: unknown;
  readonly closed?: boolean;
  readonly required?: readonly string[];
  readonly properties?: { readonly [name: string]: Rule };
}

/** A request body told apart by a discriminator property (a oneOf in the spec). */
export interface UnionRule {
  readonly discriminator: string;
  readonly variants: { readonly [value: string]: Rule };
}

// RFC 3339 date-time, as the spec's `format: date-time` (a UTC offset is required).
const DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

/** True for `{…}` literals and null-prototype objects, not class instances, arrays or dates. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Checks a body against one variant of a union, pushing every problem to `issues`.
 * Returns the wire object: int64 fields as bigint, every other field as given.
 */
export function checkUnion(rule: UnionRule, body: Record<string, unknown>, issues: ValidationIssue[]): Record<string, unknown> {
  const key = rule.discriminator;
  const kinds = Object.keys(rule.variants);
  const kind = body[key];
  const variant = typeof kind === "string" && Object.hasOwn(rule.variants, kind) ? rule.variants[kind] : undefined;
  if (!variant) {
    issues.push({ path: key, message: `must be one of ${kinds.join(", ")}, got ${describe(kind)}` });
    return body;
  }
  return checkObject(variant, body, "", issues, (name) => {
    const owners = kinds.filter((other) => other !== kind && rule.variants[other]!.properties?.[name]);
    return owners.length
      ? `is only for ${owners.join(", ")}, not for ${kind}: remove it, or set ${key} to ${owners[0]}`
      : `is not a field of ${kind}: Lofty rejects unknown fields (check the spelling; fields: ${Object.keys(variant.properties ?? {}).join(", ")})`;
  });
}

/** Checks a plain object against an object rule; unknown fields of a closed object are reported with `unknown(name)`. */
function checkObject(
  rule: Rule,
  value: unknown,
  path: string,
  issues: ValidationIssue[],
  unknown: (name: string) => string = () => "is not a known field: remove it",
): Record<string, unknown> {
  if (!isPlainObject(value)) {
    issues.push({ path: path || "(input)", message: `must be a plain object, got ${describe(value)}` });
    return {};
  }
  const properties = rule.properties ?? {};
  for (const name of rule.required ?? []) {
    if (value[name] === undefined) {
      const example = properties[name]?.example;
      issues.push({
        path: join(path, name),
        message: `is required${example === undefined ? "" : `, e.g. ${JSON.stringify(example)}`}`,
      });
    }
  }
  if (rule.closed) {
    for (const name of Object.keys(value)) {
      if (value[name] !== undefined && !Object.hasOwn(properties, name)) issues.push({ path: join(path, name), message: unknown(name) });
    }
  }
  // Known fields in the spec's order; fromEntries defines own properties, so "__proto__" never reaches a prototype.
  return Object.fromEntries(
    Object.entries(properties)
      .filter(([name]) => Object.hasOwn(value, name) && value[name] !== undefined)
      .map(([name, fieldRule]) => [name, checkField(fieldRule, value[name], join(path, name), issues)]),
  );
}

function checkField(rule: Rule, value: unknown, path: string, issues: ValidationIssue[]): unknown {
  const fail = (expected: string) => {
    issues.push({ path, message: `must be ${expected}, got ${describe(value)}` });
    return value;
  };
  if (rule.enum) return rule.enum.includes(value) ? value : fail(`one of ${rule.enum.join(", ")}`);
  if (rule.type === "object") return checkObject(rule, value, path, issues);
  if (rule.type === "integer" && rule.format === "int64") {
    const id = toInt64(value);
    if (typeof id === "string") issues.push({ path, message: id });
    return id;
  }
  if (rule.type === "integer") return Number.isSafeInteger(value) ? value : fail("an integer");
  if (rule.type === "number") return Number.isFinite(value) ? value : fail("a finite number");
  if (rule.type === "boolean") return typeof value === "boolean" ? value : fail("true or false");
  if (typeof value !== "string") return fail(`a string${rule.example === undefined ? "" : `, e.g. ${JSON.stringify(rule.example)}`}`);
  if (rule.format === "date-time" && !DATE_TIME.test(value)) return fail("an ISO 8601 date-time with an offset");
  return value;
}

/** True when a 2xx body has every required field with the right primitive type (unknown fields are tolerated). */
export function matchesResponse(rule: Rule, value: unknown): boolean {
  if (rule.type === "object") {
    if (!isPlainObject(value)) return false;
    return (rule.required ?? []).every((name) => {
      const field = rule.properties?.[name];
      return value[name] !== undefined && (!field || matchesResponse(field, value[name]));
    });
  }
  return rule.type === "integer" || rule.type === "number" ? typeof value === "number" : typeof value === rule.type;
}

function join(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}
