// The calendar resource: create (check → normalise times → exact ids → POST → decode); list/update/delete join here.
import type { Client } from "openapi-fetch";
import type { components, paths } from "../generated/schema.js";
import { operationRules } from "../generated/rules.js";
import { LoftyApiError, LoftyError, LoftyResponseError, LoftyValidationError, type ValidationIssue } from "./errors.js";
import type { Exchange } from "./transport.js";
import { normalizeEventTimes, type Disambiguation, type EventTimesInput, type TimeInput } from "./time.js";
import { checkRequest, isPlainObject, matchesShape } from "./validate.js";

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

/**
 * The calendar resource over an openapi-fetch client, whose request it hands to `exchange` (the client's transport)
 * with the body as a string, so that the transport need not read it back from the Request.
 */
export function calendarResource(client: Client<paths>, exchange: Exchange): CalendarResource {
  return {
    async create(input, { signal, disambiguation, headers } = {}) {
      let answer: Awaited<ReturnType<Exchange>> | undefined;
      try {
        const json = createBody(input, disambiguation);
        // openapi-fetch builds the request (URL, headers, signal, the caller's middleware); the body, checked and
        // serialised already (exact int64 digits), goes to the transport as it is, not through a Request body stream
        // that would only be read back. That, and not reading the answer twice, keeps a create within a few percent of
        // a bare openapi-fetch POST (`npm run bench`).
        await client.POST("/v2.0/calendar", {
          body: undefined as never,
          headers: { "Content-Type": "application/json", ...headers },
          // The transport has read the answer already: "stream" makes openapi-fetch leave a 2xx body alone.
          parseAs: "stream",
          signal: signal!,
          fetch: async (request) => {
            const { response, text } = (answer = await exchange(request, json));
            return response.ok ? response : new Response(text, response);
          },
        });
      } catch (error) {
        // The transport throws only LoftyErrors. Anything else before the answer came from reading the caller's input or
        // options (a getter or Proxy that throws, a header or signal the fetch API refuses) or from a middleware of the
        // caller's: nothing was sent. After it, a middleware failed on the answer (which it gets with the body read).
        throw error instanceof LoftyError
          ? error
          : answer
            ? new LoftyResponseError("A middleware failed on Lofty's answer.", { cause: error, mayHaveBeenCreated: answer.response.ok })
            : new LoftyValidationError([{ path: "(input)", message: "could not be read (or a middleware threw): pass plain values" }]);
      }
      // A middleware that answers in Lofty's place leaves nothing to decode.
      if (!answer) throw new LoftyError("A middleware answered instead of Lofty; nothing was sent.");
      const { response, text } = answer!;
      const body = parseJson(text) as components["schemas"]["CalendarCreateResponse"];
      if (!response.ok) throw LoftyApiError.from(response.status, body, response.headers);
      if (!matchesShape(rules.response, body)) {
        throw new LoftyResponseError(`Lofty answered ${response.status} without the documented body; the event was probably created.`, { mayHaveBeenCreated: true });
      }
      return body.data;
    },
  };
}

/** Checks the input against the spec's rules and the time rules, and returns the exact JSON to send. */
export function createBody(input: unknown, disambiguation?: Disambiguation): string {
  if (!isPlainObject(input)) throw new LoftyValidationError([{ path: "(input)", message: 'must be an object like { type: "TASK", … }' }]);
  const { start, end, startAt, startAtMs, endAt, endAtMs, ...fields } = input;
  const issues: ValidationIssue[] = [];
  try {
    Object.assign(fields, normalizeEventTimes({ timeZoneCode: fields.timeZoneCode, start, end, startAt, startAtMs, endAt, endAtMs } as EventTimesInput, { disambiguation }));
  } catch (error) {
    if (!(error instanceof LoftyValidationError)) throw error;
    // A missing timeZoneCode is reported once, by the spec's required-field rule.
    issues.push(...error.issues.filter((issue) => fields.timeZoneCode !== undefined || issue.path !== "timeZoneCode"));
  }
  const wire = checkRequest(rules.request, fields, issues);
  if (issues.length) throw new LoftyValidationError(issues);
  return toJson(wire);
}

// JSON.stringify cannot write a bigint (an int64 past 2^53 - 1, or given as a string): those bodies are written field by
// field, with bare digits so no precision is lost.
function toJson(body: Record<string, unknown>): string {
  const fields = Object.entries(body);
  return fields.some(([, value]) => typeof value == "bigint")
    ? `{${fields.map(([key, value]) => JSON.stringify(key) + ":" + (typeof value == "bigint" ? value : JSON.stringify(value)))}}`
    : JSON.stringify(body);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
