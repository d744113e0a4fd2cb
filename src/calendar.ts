// The calendar resource: create (check → normalise times → exact ids → POST → decode); list/update/delete join here.
import type { Client } from "openapi-fetch";
import type { components, paths } from "../generated/schema.js";
import { operationRules } from "../generated/rules.js";
import {
  LoftyApiError,
  LoftyError,
  LoftyResponseError,
  LoftyValidationError,
  parseJson,
  type ValidationIssue,
} from "./errors.js";
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
export type CalendarCreateInput = CreateRequest extends infer T
  ? T extends unknown
    ? CreateInputOf<T>
    : never
  : never;

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

const rules = operationRules.createCalendar;

/**
 * The calendar resource over an openapi-fetch client, whose request it hands to `exchange` (the client's transport)
 * with the body as a string, so that the transport need not read it back from the Request. `observed` tells whether
 * the caller has added middleware to the client (which may read or replace the answer).
 */
export function calendarResource(client: Client<paths>, exchange: Exchange, observed: () => boolean): CalendarResource {
  return {
    async create(input, options) {
      const watched = observed();
      let json: string | undefined;
      let answer: Awaited<ReturnType<Exchange>> | undefined;
      let failure: LoftyError | undefined;
      let result;
      // Whether the event may exist, by what went over the wire (whatever a middleware made of it): a request left and
      // Lofty did not refuse it with a 4xx.
      const mayExist = () =>
        failure
          ? !!failure.mayHaveBeenCreated
          : !!answer && !(answer.response.status > 399 && answer.response.status < 500);
      // An error about what a middleware answered in Lofty's place, with nothing sent, cannot mean the event exists.
      const settled = (error: LoftyError) =>
        Object.assign(error, { mayHaveBeenCreated: !!(answer || failure) && (error.mayHaveBeenCreated || mayExist()) });
      try {
        const { signal, disambiguation, headers } = options ?? {};
        json = createBody(input, disambiguation);
        // openapi-fetch builds the request (URL, headers, signal, the caller's middleware). With no middleware to see it,
        // the body, checked and serialised already (exact int64 digits), goes to the transport as it is rather than
        // through a Request body stream that would only be read back, and openapi-fetch gets the answer as the
        // transport read it ("stream" leaves a 2xx body alone) rather than a second, readable copy. Both keep a create
        // within a few percent of a bare openapi-fetch POST (`npm run bench`). A middleware gets it all, and may change it.
        const body = json;
        result = await client.POST("/v2.0/calendar", {
          ...(watched ? { body: input as never, bodySerializer: () => body } : { body: undefined as never }),
          headers: headers!,
          parseAs: (watched ? "text" : "stream") as "text",
          signal: signal!,
          fetch: async (request) => {
            try {
              const { response, text } = (answer = await exchange(request, watched ? undefined : body));
              // No body (204, 304…) stays no body.
              return watched || !response.ok ? new Response(response.body && text, response) : response;
            } catch (error) {
              throw (failure = error as LoftyError);
            }
          },
        });
      } catch (error) {
        // The transport throws only LoftyErrors. Anything else came from reading the caller's input or options (a getter
        // or Proxy that throws, a header or signal the fetch API refuses) or from a middleware.
        throw error instanceof LoftyError
          ? settled(error)
          : answer || failure
            ? new LoftyResponseError("A middleware failed while handling the exchange with Lofty.", {
                cause: error,
                mayHaveBeenCreated: mayExist(),
              })
            : new LoftyValidationError(
                [
                  json
                    ? {
                        path: "(options)",
                        message: "could not be used (or a middleware threw): pass string headers and an AbortSignal",
                      }
                    : { path: "(input)", message: "could not be read: pass plain values" },
                ],
                error,
              );
      }
      // The answer a middleware may have replaced (openapi-fetch read it), else the transport's.
      const { response } = result;
      const body = parseJson(
        watched ? (result.data ?? result.error) : answer!.text,
      ) as components["schemas"]["CalendarCreateResponse"];
      if (!response.ok) throw settled(LoftyApiError.from(response.status, body, response.headers));
      if (!matchesShape(rules.response, body)) {
        throw settled(
          new LoftyResponseError(
            `Lofty answered ${response.status} without the documented body; the event was probably created.`,
            { mayHaveBeenCreated: true },
          ),
        );
      }
      return body.data;
    },
  };
}

/** Checks the input against the spec's rules and the time rules, and returns the exact JSON to send. */
export function createBody(input: unknown, disambiguation?: Disambiguation): string {
  if (!isPlainObject(input))
    throw new LoftyValidationError([{ path: "(input)", message: 'must be an object like { type: "TASK", … }' }]);
  const { start, end, startAt, startAtMs, endAt, endAtMs, ...fields } = input;
  const issues: ValidationIssue[] = [];
  try {
    Object.assign(
      fields,
      normalizeEventTimes(
        { timeZoneCode: fields.timeZoneCode, start, end, startAt, startAtMs, endAt, endAtMs } as EventTimesInput,
        { disambiguation },
      ),
    );
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
