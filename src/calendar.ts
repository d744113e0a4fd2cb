// The calendar resource: create (check → normalise times → exact ids → POST → decode); list/update/delete join here.
import type { Client } from "openapi-fetch";
import type { components, paths } from "../generated/schema.js";
import { operationRules } from "../generated/rules.js";
import { LoftyApiError, LoftyError, LoftyResponseError, LoftyValidationError, type ValidationIssue } from "./errors.js";
import { normalizeEventTimes, type Disambiguation, type TimeInput } from "./time.js";
import { checkUnion, isPlainObject, matchesResponse } from "./validate.js";

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
export type CalendarCreateInput = CreateRequest extends infer T ? (T extends unknown ? CreateInputOf<T> : never) : never;

/** What `calendar.create` resolves to: the `data` of Lofty's envelope. */
export type CalendarEvent = components["schemas"]["CalendarCreateResult"];

/** Per-call options of `calendar.create`. */
export interface CreateOptions {
  /** Aborts the call; if it fires while the request is in flight, the error says the event may have been created. */
  signal?: AbortSignal;
  /** How a wall-clock time in a DST gap or overlap is read (default "compatible": gap → later, overlap → earlier). */
  disambiguation?: Disambiguation;
  /** Extra request headers, e.g. `{ Prefer: "example=appointment" }` to pick a mock scenario. */
  headers?: Record<string, string>;
}

/** The calendar resource of a client. */
export interface CalendarResource {
  /** Creates a TASK or an APPOINTMENT on a lead; resolves to `{ id, type, message }`. Throws LoftyValidationError before sending. */
  create(input: CalendarCreateInput, options?: CreateOptions): Promise<CalendarEvent>;
}

const rules = operationRules.createCalendarEvent;

/** The calendar resource over an openapi-fetch client. */
export function calendarResource(client: Client<paths>): CalendarResource {
  return {
    async create(input, options = {}) {
      const json = readSafely(() => createBody(input, options.disambiguation), "(input)", "a plain object of plain values");
      const { data, error, response } = await readSafely(() => client.POST("/v2.0/calendar", {
        // The body is already checked and serialised (exact int64 digits): openapi-fetch only sends it.
        body: input as unknown as CreateRequest,
        bodySerializer: () => json,
        parseAs: "text",
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.headers ? { headers: options.headers } : {}),
      }), "options", "an AbortSignal as signal and string headers");
      if (!response.ok) throw LoftyApiError.from(response.status, parseJson(error), response.headers);
      const body = parseJson(data);
      if (!matchesResponse(rules.response, body)) {
        throw new LoftyResponseError(
          `Lofty answered ${response.status} without the documented {data: {id, type, message}} body; the event was probably created.`,
          { mayHaveBeenCreated: true },
        );
      }
      return (body as components["schemas"]["CalendarCreateResponse"]).data;
    },
  };
}

/** Checks the input against the spec's rules and the time rules, and returns the exact JSON to send. */
export function createBody(input: unknown, disambiguation?: Disambiguation): string {
  if (!isPlainObject(input)) {
    throw new LoftyValidationError([
      { path: "(input)", message: 'must be an object such as { type: "TASK", content, leadId, timeZoneCode }' },
    ]);
  }
  const { start, end, startAt, startAtMs, endAt, endAtMs, ...fields } = input;
  const issues: ValidationIssue[] = [];
  try {
    const times = normalizeEventTimes(
      { timeZoneCode: fields.timeZoneCode, start, end, startAt, startAtMs, endAt, endAtMs } as Parameters<typeof normalizeEventTimes>[0],
      disambiguation === undefined ? {} : { disambiguation },
    );
    Object.assign(fields, times);
  } catch (error) {
    if (!(error instanceof LoftyValidationError)) throw error;
    // A missing timeZoneCode is reported once, by the spec's required-field rule.
    issues.push(...error.issues.filter((issue) => fields.timeZoneCode !== undefined || issue.path !== "timeZoneCode"));
  }
  const wire = checkUnion(rules.request, fields, issues);
  if (issues.length) throw new LoftyValidationError(issues);
  return toJson(wire);
}

/**
 * Runs `read`, turning anything but a LoftyError (a getter or Proxy trap of the caller's that throws, a header the
 * fetch API refuses) into a LoftyValidationError at `path`, thrown or rejected: nothing has been sent then.
 */
function readSafely<T>(read: () => T, path: string, expected: string): T {
  const refuse = (error: unknown): never => {
    throw error instanceof LoftyError ? error : new LoftyValidationError([{ path, message: `could not be read: pass ${expected}` }]);
  };
  try {
    const result = read();
    return (result instanceof Promise ? result.catch(refuse) : result) as T;
  } catch (error) {
    return refuse(error);
  }
}

// JSON.stringify cannot write a bigint; int64 fields are written as bare digits so no precision is lost.
function toJson(body: Record<string, unknown>): string {
  const members = Object.entries(body).map(
    ([key, value]) => `${JSON.stringify(key)}:${typeof value === "bigint" ? value.toString() : JSON.stringify(value)}`,
  );
  return `{${members.join(",")}}`;
}

function parseJson(text: unknown): unknown {
  if (typeof text !== "string") return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
