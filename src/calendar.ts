// The calendar resource: each method declares its operation, checks and encodes its input, and calls the send path.
import type { components } from "../generated/schema.js";
import { operationRules } from "../generated/rules.js";
import { LoftyError, LoftyValidationError, type ValidationIssue } from "./errors.js";
import type { CallOptions, Operation, Send } from "./send.js";
import { normalizeEventTimes, type Disambiguation, type EventTimesInput, type TimeInput } from "./time.js";
import type { RetryPolicy } from "./transport.js";
import { checkRequest, isPlainObject } from "./validate.js";

type CreateRequest = components["schemas"]["CalendarEventCreateRequest"];
type WireTimeField = "startAt" | "startAtMs" | "endAt" | "endAtMs";
type Exclusive<A, B> = (A & { [K in keyof B]?: never }) | (B & { [K in keyof A]?: never });
type StartFields = Exclusive<{ start?: TimeInput }, { startAt?: string; startAtMs?: number }>;
type EndFields = Exclusive<{ end?: TimeInput }, { endAt?: string; endAtMs?: number }>;
type CreateInputOf<T> = Omit<T, WireTimeField | "leadId"> & {
  /** The lead's 64-bit id: a safe-integer number, a bigint or a decimal string (sent with every digit exact). */
  leadId: number | bigint | string;
} & StartFields &
  EndFields;

/**
 * The input of `calendar.create`: the spec's TASK or APPOINTMENT body, with `leadId` as number, bigint or string, and
 * each time given either as `start`/`end` (Date, epoch ms, ISO string, or wall clock in `timeZoneCode`) or as the wire
 * fields `startAt`/`startAtMs`, `endAt`/`endAtMs`.
 */
export type CalendarCreateInput = CreateRequest extends infer T
  ? T extends unknown
    ? CreateInputOf<T>
    : never
  : never;

/** What `calendar.create` resolves to: the `data` of Lofty's envelope. */
export type CalendarEvent = components["schemas"]["CalendarCreateResult"];

/** Per-call options of the calendar methods that take times. */
export interface CreateOptions extends CallOptions {
  /** How a wall-clock time in a DST gap or overlap is read (default "compatible": gap → later, overlap → earlier). */
  disambiguation?: Disambiguation;
}

/** The calendar resource of a client. */
export interface CalendarResource {
  /** Creates a TASK or an APPOINTMENT on a lead; resolves to `{ id, type, message }`. Throws LoftyValidationError before sending. */
  create(input: CalendarCreateInput, options?: CreateOptions): Promise<CalendarEvent>;
}

/** Creating is not idempotent: only what Lofty certainly did not process is retried. */
const CREATES: RetryPolicy = { idempotent: false, creates: true };

/** The operations of the resource, as the send path needs them (method, path and 200 shape from the spec). */
const operations = {
  create: operation("createCalendarEvent", CREATES),
};

function operation(id: keyof typeof operationRules, policy: RetryPolicy): Operation {
  const { method, path, response } = operationRules[id];
  return { method, path, policy, response };
}

/** The calendar resource over a client's send path. */
export function calendarResource(send: Send): CalendarResource {
  return {
    async create(input, options) {
      const body = encode(() => createBody(input, options?.disambiguation));
      const answer = (await send(
        operations.create,
        { body },
        options,
      )) as components["schemas"]["CalendarCreateResponse"];
      return answer.data;
    },
  };
}

/**
 * Runs an input's check and encoding. Anything but a LoftyError thrown there came from reading the caller's input
 * (a getter or Proxy that throws).
 */
function encode<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof LoftyError) throw error;
    throw new LoftyValidationError([{ path: "(input)", message: "could not be read: pass plain values" }], error);
  }
}

/** Checks the input against the spec's rules and the time rules, and returns the exact JSON to send. */
export function createBody(input: unknown, disambiguation?: Disambiguation): string {
  if (!isPlainObject(input)) {
    throw new LoftyValidationError([{ path: "(input)", message: 'must be an object like { type: "TASK", … }' }]);
  }
  const { start, end, startAt, startAtMs, endAt, endAtMs, ...fields } = input;
  const issues: ValidationIssue[] = [];
  const times = { timeZoneCode: fields.timeZoneCode, start, end, startAt, startAtMs, endAt, endAtMs };
  try {
    Object.assign(fields, normalizeEventTimes(times as EventTimesInput, { disambiguation }));
  } catch (error) {
    if (!(error instanceof LoftyValidationError)) throw error;
    // A missing timeZoneCode is reported once, by the spec's required-field rule.
    const reported = error.issues.filter((issue) => fields.timeZoneCode !== undefined || issue.path !== "timeZoneCode");
    issues.push(...reported);
  }
  const wire = checkRequest(operationRules.createCalendarEvent.request, fields, issues);
  if (issues.length > 0) throw new LoftyValidationError(issues);
  return toJson(wire);
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
