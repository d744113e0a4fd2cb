// Checks a call's input against its operation's rules (generated from the spec) and encodes it for the wire: times
// through src/time.ts, ids exact, everything else by src/validate.ts. Nothing is sent when anything is wrong.
import { LoftyError, LoftyValidationError, type ValidationIssue } from "./errors.js";
import { normalizeWireTimes, type Disambiguation, type WireTimeNames } from "./time.js";
import {
  checkBody,
  checkObject,
  fieldProblem,
  isPlainObject,
  variantOf,
  type FieldRule,
  type ObjectRule,
  type RequiredGroup,
  type VariantsRule,
} from "./validate.js";

/** Options of the methods that take times. */
export interface EncodeOptions {
  /** How a wall-clock time in a DST gap or overlap is read (default "compatible": gap → later, overlap → earlier). */
  disambiguation?: Disambiguation;
}

/** The rules of an operation with a body, as generated (scripts/rules.mjs). */
interface BodyRule {
  readonly body: ObjectRule | VariantsRule;
  readonly times?: WireTimeNames;
}

/** The rules of an operation with query parameters, as generated. */
interface QueryRule {
  readonly query: ObjectRule;
  readonly times?: WireTimeNames;
}

/** The path parameters of an operation on one event, as generated. */
interface CalendarIdRule {
  readonly fields: { readonly calendarId: FieldRule };
  readonly examples: { readonly calendarId?: unknown };
}

/** The exact JSON body of a call, or a LoftyValidationError listing every problem. */
export function encodeBody(rule: BodyRule, input: unknown, options?: EncodeOptions | null): string {
  return toJson(encodeBodyFields(rule, input, options));
}

/** The checked wire fields of a body (int64 ids as bigint), before they are written as JSON. */
export function encodeBodyFields(rule: BodyRule, input: unknown, options?: EncodeOptions | null) {
  const { body } = rule;
  return readInput(() => {
    const fields = plainInput(input, body);
    const check = (times: Record<string, unknown>, issues: ValidationIssue[]) => checkBody(body, times, issues);
    // The groups of which one is required: the variant's, for a union.
    const object = "key" in body ? variantOf(body, fields[body.key]) : body;
    return encodeFields(rule.times, fields, options, check, object?.oneOf ?? []);
  });
}

/** The query of a call: its parameters checked, times in both wire forms, ids exact (as decimal strings). */
export function encodeQuery(rule: QueryRule, input: unknown, options?: EncodeOptions | null) {
  const { query } = rule;
  const wire = readInput(() => {
    const fields = plainInput(input, query);
    const check = (times: Record<string, unknown>, issues: ValidationIssue[]) =>
      checkObject(query, times, issues, () => "is not a parameter of this call: check the spelling");
    return encodeFields(rule.times, fields, options, check, query.oneOf ?? []);
  });
  // Query strings carry text: a bigint id goes as its digits.
  return Object.fromEntries(
    Object.entries(wire).map(([name, value]) => [name, typeof value === "bigint" ? value.toString() : value]),
  );
}

/** The path of a call on one event: its `calendarId` checked against the spec's pattern. */
export function encodeCalendarId(params: CalendarIdRule, calendarId: unknown): { calendarId: string } {
  const problem = fieldProblem(params.fields.calendarId, calendarId, params.examples.calendarId);
  if (problem)
    throw new LoftyValidationError([{ path: "calendarId", message: `${problem} (the id that create returned)` }]);
  return { calendarId: calendarId as string };
}

/** Runs an input's encoding: anything but a LoftyError thrown there came from reading the caller's input. */
function readInput<T>(encode: () => T): T {
  try {
    return encode();
  } catch (error) {
    if (error instanceof LoftyError) throw error;
    throw new LoftyValidationError([{ path: "(input)", message: "could not be read: pass plain values" }], error);
  }
}

function plainInput(input: unknown, rule: ObjectRule | VariantsRule): Record<string, unknown> {
  if (isPlainObject(input)) return input;
  let like = "{ … }";
  if ("key" in rule) like = `{ ${rule.key}: "${Object.keys(rule.variants)[0] ?? ""}", … }`;
  throw new LoftyValidationError([{ path: "(input)", message: `must be an object like ${like}` }]);
}

/**
 * Normalises the times (the convenience `start`/`end` or the wire fields), then checks the rest, and the groups of
 * which one field is required; returns the wire fields or throws with every problem found.
 */
function encodeFields(
  times: WireTimeNames | undefined,
  input: Record<string, unknown>,
  options: EncodeOptions | null | undefined,
  check: (fields: Record<string, unknown>, issues: ValidationIssue[]) => Record<string, unknown>,
  groups: readonly RequiredGroup[],
): Record<string, unknown> {
  const issues: ValidationIssue[] = [];
  const fields = times ? withWireTimes(times, input, options, issues) : input;
  const wire = check(fields, issues);
  // A group is given when one of its fields is, or the convenience field of its end: an unusable one has its issue.
  const given = (name: string) => input[name] !== undefined;
  for (const group of groups) {
    if (!group.fields.some(given) && !group.ends.some(given)) issues.push(missingGroup(group));
  }
  if (issues.length > 0) throw new LoftyValidationError(issues);
  return wire;
}

/** The input with its time fields (the convenience ends or the wire fields) in their wire forms: both, for each end. */
function withWireTimes(
  names: WireTimeNames,
  input: Record<string, unknown>,
  options: EncodeOptions | null | undefined,
  issues: ValidationIssue[],
): Record<string, unknown> {
  const timeNames = ["start", "end", ...names.start, ...names.end];
  const times: Record<string, unknown> = { timeZoneCode: input.timeZoneCode };
  const rest: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input)) {
    if (timeNames.includes(name)) times[name] = value;
    else rest[name] = value;
  }
  // A missing start is the spec's required field (create), or a choice the caller may make (list, update); a missing
  // timeZoneCode is the required-field rule's to report (times without one are written in +00:00).
  const disambiguation = options?.disambiguation;
  const wire = normalizeWireTimes(
    times,
    names,
    { disambiguation, endNeedsStart: false, timeZoneRequired: false },
    issues,
  );
  return Object.assign(rest, wire);
}

/** The issue of a group of which none was given: named by the convenience fields when the group is times. */
function missingGroup({ fields, ends }: RequiredGroup): ValidationIssue {
  const path = ends[0] ?? fields[0] ?? "(input)";
  if (ends.length === 0) return { path, message: `is required: give ${fields.join(" or ")}` };
  return { path, message: `is required: give ${ends.join(" or ")} (or the wire fields ${fields.join(", ")})` };
}

/**
 * JSON.stringify cannot write a bigint (an int64 past 2^53 - 1, or given as a string): those bodies are written field
 * by field, with bare digits so no precision is lost.
 */
export function toJson(body: Record<string, unknown>): string {
  const fields = Object.entries(body);
  if (!fields.some(([, value]) => typeof value === "bigint")) return JSON.stringify(body);
  const members = fields.map(([key, value]) => `${JSON.stringify(key)}:${jsonValue(value)}`);
  return `{${members.join(",")}}`;
}

function jsonValue(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  return JSON.stringify(value);
}
