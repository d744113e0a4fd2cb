// The calendar resource: each method is a declaration (its operation, how its input is encoded, what it returns);
// the send path does the rest.
import { operationRules } from "../generated/rules.js";
import type { operations } from "../generated/schema.js";
import { createOnce, type CreateOnceOptions, type CreateOnceResult, type EventKey } from "./create-once.js";
import { encodeBody, encodeBodyFields, encodeCalendarId, encodeQuery, toJson, type EncodeOptions } from "./encode.js";
import type { Disambiguation } from "./time.js";
import type { CallOptions, Operation, Send } from "./send.js";
import type { TimeInput } from "./time.js";
import type { RetryPolicy } from "./transport.js";

type Op = typeof operations extends never ? never : operations;
type Json<K extends keyof Op> = Op[K] extends { responses: { 200: { content: { "application/json": infer B } } } }
  ? B
  : never;
type RequestBody<K extends keyof Op> = Op[K] extends {
  requestBody?: { content: { "application/json": infer B } } | undefined;
}
  ? B
  : never;
type Query<K extends keyof Op> = Op[K] extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

/** One end of an event in an input: the convenience field (`start`), or the wire fields, not both; may be absent. */
type End<Name extends string, Iso extends string> = Exclusive<
  { [K in Name]?: TimeInput },
  { [K in Iso]?: string } & { [K in `${Iso}Ms`]?: number }
>;
/** One end that must be given: the convenience field, or at least one of the wire fields. */
type RequiredEnd<Name extends string, Iso extends string> =
  | ({ [K in Name]: TimeInput } & { [K in Iso | `${Iso}Ms`]?: never })
  | ({ [K in Iso]: string } & { [K in `${Iso}Ms`]?: number } & { [K in Name]?: never })
  | ({ [K in `${Iso}Ms`]: number } & { [K in Iso]?: string } & { [K in Name]?: never });
type Exclusive<A, B> = (A & { [K in keyof B]?: never }) | (B & { [K in keyof A]?: never });
/** A 64-bit id as a caller may give it: a safe-integer number, a bigint or a decimal string (sent with every digit). */
export type Int64Input = number | bigint | string;
type WithTimes<T, StartIso extends string, EndIso extends string> = Omit<
  T,
  StartIso | `${StartIso}Ms` | EndIso | `${EndIso}Ms` | "leadId"
> &
  End<"start", StartIso> &
  End<"end", EndIso>;
type LeadIdInput<T> = "leadId" extends keyof T
  ? undefined extends T["leadId" & keyof T]
    ? { leadId?: Int64Input }
    : { leadId: Int64Input }
  : unknown;
/** An answer's types with its int64 ids (`taskId`, `leadId`) as the decimal strings the SDK gives them as. */
type ExactIds<T> = T extends readonly (infer Item)[]
  ? ExactIds<Item>[]
  : T extends object
    ? { [K in keyof T]: K extends IdName ? string : ExactIds<T[K]> }
    : T;
type IdName = (typeof operationRules.queryCalendars.ids)[number];

type CreateRequest = RequestBody<"createCalendar">;
/**
 * The input of `calendar.create`: the spec's TASK or APPOINTMENT body, with `leadId` as number, bigint or string, and
 * each time given either as `start`/`end` (Date, epoch ms, ISO string, or wall clock in `timeZoneCode`) or as the wire
 * fields `startAt`/`startAtMs`, `endAt`/`endAtMs`.
 */
export type CalendarCreateInput = CreateRequest extends infer T
  ? T extends unknown
    ? Omit<T, "startAt" | "startAtMs" | "endAt" | "endAtMs" | "leadId"> &
        RequiredEnd<"start", "startAt"> &
        RequiredEnd<"end", "endAt"> &
        LeadIdInput<T>
    : never
  : never;
/** What `calendar.create` resolves to: the `data` of Lofty's envelope. */
export type CalendarEvent = Json<"createCalendar">["data"];
/** The input of `calendar.list`: Lofty's query, with times as for create (`start`/`end`, or the wire fields). */
export type CalendarListInput = WithTimes<Query<"queryCalendars">, "startTime", "endTime"> & {
  leadId?: Int64Input;
};
/** One page of `calendar.list`: `{ total, page, pageSize, items }`, ids as decimal strings. */
export type CalendarPage = ExactIds<Json<"queryCalendars">["data"]>;
/** One event of a page. */
export type CalendarItem = CalendarPage["items"][number];
/** The input of `calendar.update`: the fields to change (only those given are applied). */
export type CalendarUpdateInput = WithTimes<RequestBody<"updateCalendar">, "startAt", "endAt"> & {
  leadId?: Int64Input;
};
/** The input of `calendar.availableMeetings`. */
export type AvailableMeetingsInput = WithTimes<Query<"getAvailableMeetings">, "startTime", "endTime">;
/** Free meeting slots: `{ total, slots: [{ startTime, endTime, startTimeMs, endTimeMs }] }`. */
export type AvailableMeetings = Json<"getAvailableMeetings">["data"];
/** What update, delete, finish and unfinish resolve to: Lofty's `{ message }`. */
export type CalendarMessage = Json<"updateCalendar">;

/** Per-call options of the methods that take times. */
export interface CreateOptions extends CallOptions, EncodeOptions {}

/** The calendar resource of a client. */
export interface CalendarResource {
  /** Creates a TASK or an APPOINTMENT on a lead; resolves to `{ id, type, message }`. Throws LoftyValidationError before sending. */
  create: (input: CalendarCreateInput, options?: CreateOptions) => Promise<CalendarEvent>;
  /**
   * Creates the event unless the lead already has it (same type, content, start and end), and never twice: after a
   * failure that may have created it, it lists the lead's events instead of guessing. Resolves to `{ event, created }`.
   */
  createOnce: (input: CalendarCreateInput, options?: CreateOptions & CreateOnceOptions) => Promise<CreateOnceResult>;
  /** One page of the caller's tasks and appointments; give a start or an end (or both). */
  list: (input: CalendarListInput, options?: CreateOptions) => Promise<CalendarPage>;
  /** Every item of every page, fetched page by page (the largest page size unless `pageSize` is given). */
  listAll: (input: CalendarListInput, options?: CreateOptions) => AsyncGenerator<CalendarItem, void, undefined>;
  /** Changes the fields given of the event `calendarId` (the `id` that create returned); the others keep their values. */
  update: (calendarId: string, input: CalendarUpdateInput, options?: CreateOptions) => Promise<CalendarMessage>;
  /** Deletes the event `calendarId`. */
  delete: (calendarId: string, options?: CallOptions) => Promise<CalendarMessage>;
  /** Marks the event `calendarId` finished (finished events leave the default list). */
  finish: (calendarId: string, options?: CallOptions) => Promise<CalendarMessage>;
  /** Marks the event `calendarId` unfinished again. */
  unfinish: (calendarId: string, options?: CallOptions) => Promise<CalendarMessage>;
  /** Free meeting slots between a start and an end (at most 90 days apart, per Lofty). */
  availableMeetings: (input: AvailableMeetingsInput, options?: CreateOptions) => Promise<AvailableMeetings>;
}

/** Creating is not idempotent: only what Lofty certainly did not process is retried. */
const CREATES: RetryPolicy = { idempotent: false, creates: true };
/** Reads, and writes that set a state or remove one: repeating them cannot make a second event. */
const REPEATABLE: RetryPolicy = { idempotent: true, creates: false };

/** The operations of the resource: method, path and 200 shape from the spec, the retry policy from what they do. */
const operations = {
  create: operation("createCalendar", CREATES),
  list: operation("queryCalendars", REPEATABLE),
  update: operation("updateCalendar", REPEATABLE),
  delete: operation("deleteCalendar", REPEATABLE),
  finish: operation("finishCalendar", REPEATABLE),
  unfinish: operation("unfinishCalendar", REPEATABLE),
  availableMeetings: operation("getAvailableMeetings", REPEATABLE),
};

function operation(id: keyof typeof operationRules, policy: RetryPolicy): Operation {
  return { ...operationRules[id], policy };
}

const LARGEST_PAGE = operationRules.queryCalendars.query.fields.pageSize.maximum;

/** How far around an event's start and end createOnce lists the lead's events. */
const LOOKUP_MARGIN_MS = 60_000;

/** The calendar resource over a client's send path; `maxRetries` bounds createOnce's creates. */
export function calendarResource(send: Send, { maxRetries }: { maxRetries: number }): CalendarResource {
  const list = async (input: CalendarListInput, options?: CreateOptions | null) => {
    const query = encodeQuery(operationRules.queryCalendars, input, options);
    const answer = (await send(operations.list, { query }, options)) as Json<"queryCalendars">;
    return answer.data as CalendarPage;
  };
  const resource: CalendarResource = {
    async create(input, options) {
      const body = encodeBody(operationRules.createCalendar, input, options);
      const answer = (await send(operations.create, { body }, options)) as Json<"createCalendar">;
      return answer.data;
    },
    async createOnce(input, options) {
      const wire = encodeBodyFields(operationRules.createCalendar, input, options);
      const body = toJson(wire);
      const key = wire as unknown as EventKey;
      const create = async () => {
        const answer = (await send(operations.create, { body }, options)) as Json<"createCalendar">;
        return answer.data;
      };
      const listAround = ({ leadId, startAtMs, endAtMs }: EventKey) => {
        const around = { startTimeMs: startAtMs - LOOKUP_MARGIN_MS, endTimeMs: endAtMs + LOOKUP_MARGIN_MS };
        return resource.listAll({ leadId, ...around, includeFinished: true }, { signal: options?.signal });
      };
      return createOnce({ key, create, listAround, maxRetries, signal: options?.signal }, options ?? {});
    },
    list,
    async *listAll(input, options) {
      const pageSize = input.pageSize ?? LARGEST_PAGE;
      const first = input.page ?? 0;
      // `total` counts every page: the pages before the first one asked for are seen too.
      let seen = first * pageSize;
      for (let page = first; ; page++) {
        const { items, total } = await list({ ...input, page, pageSize }, options);
        yield* items;
        seen += items.length;
        // An empty page ends it too: a total that grew meanwhile must not loop forever.
        if (items.length === 0 || seen >= total) return;
      }
    },
    async update(calendarId, input, options) {
      const path = encodeCalendarId(operationRules.updateCalendar.pathParams, calendarId);
      const body = encodeBody(operationRules.updateCalendar, input, options);
      return (await send(operations.update, { path, body }, options)) as CalendarMessage;
    },
    async delete(calendarId, options) {
      const path = encodeCalendarId(operationRules.deleteCalendar.pathParams, calendarId);
      return (await send(operations.delete, { path }, options)) as CalendarMessage;
    },
    async finish(calendarId, options) {
      const path = encodeCalendarId(operationRules.finishCalendar.pathParams, calendarId);
      return (await send(operations.finish, { path }, options)) as CalendarMessage;
    },
    async unfinish(calendarId, options) {
      const path = encodeCalendarId(operationRules.unfinishCalendar.pathParams, calendarId);
      return (await send(operations.unfinish, { path }, options)) as CalendarMessage;
    },
    async availableMeetings(input, options) {
      const query = encodeQuery(operationRules.getAvailableMeetings, input, options);
      const answer = (await send(operations.availableMeetings, { query }, options)) as Json<"getAvailableMeetings">;
      return answer.data;
    },
  };
  return resource;
}

/** The exact JSON body `calendar.create` sends for an input, or a LoftyValidationError (for tests and tools). */
export function createBody(input: unknown, disambiguation?: Disambiguation): string {
  return encodeBody(operationRules.createCalendar, input, { disambiguation });
}
