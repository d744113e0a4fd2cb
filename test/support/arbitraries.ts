// fast-check generators of calendar.create inputs: every form the SDK accepts, built from the spec's own enums.
import fc from "fast-check";
import type { CalendarCreateInput } from "../../src/index.js";
import { spec } from "./spec.js";

const schemas = spec.components.schemas;
const zones = Intl.supportedValuesOf("timeZone");
const MIN_MS = Date.UTC(1974, 0, 1); // below 1e11 ms (March 1973) the SDK reads a number as seconds by mistake
const MAX_MS = Date.UTC(2037, 11, 31);

/** An int64 lead id in each accepted form: safe number, bigint, decimal string (bigint and string up to `max`). */
export const leadId = (max = 2n ** 63n - 1n) =>
  fc.oneof(
    fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    fc.bigInt({ min: 1n, max }),
    fc.bigInt({ min: 1n, max }).map(String),
  );

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** The forms a `start`/`end` may take: Date, epoch ms, ISO with Z, or a wall clock read in the zone. */
const timeForm = fc.constantFrom<(ms: number) => Date | number | string>(
  (t) => new Date(t),
  (t) => t,
  (t) => new Date(t).toISOString(),
  (t) => {
    const d = new Date(t); // its UTC wall clock, read in the event's zone: valid in any zone (gaps resolve)
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  },
);

// Wall clocks shift by a DST gap (up to a whole skipped day, as Pacific/Apia in 2011): ends get 25 h of slack.
const SLACK_MS = 25 * 3_600_000;

/** The start and end fields of a valid input (both are required): convenience fields, or wire ms fields. */
const times = fc
  .tuple(fc.integer({ min: MIN_MS, max: MAX_MS }), fc.integer({ min: 0, max: 86_400_000 }), timeForm)
  .chain(([start, duration, form]) =>
    fc.oneof(
      fc.constant({ start: form(start), end: form(start + duration + SLACK_MS) }),
      fc.constant({ startAtMs: start, endAtMs: start + duration }),
    ),
  );

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const drop = <T extends object>(record: T) =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;

/** A valid calendar.create input of either type, with any of the accepted id and time forms. */
export const validInput = (maxLeadId?: bigint): fc.Arbitrary<CalendarCreateInput> =>
  fc
    .record({
      type: fc.constantFrom<"TASK" | "APPOINTMENT">(...schemas.EventType.enum),
      content: fc.string({ minLength: 1, maxLength: 80, unit: "grapheme" }),
      leadId: leadId(maxLeadId),
      timeZoneCode: fc.constantFrom(...zones),
      taskWay: fc.constantFrom(...(schemas.TaskWay.enum as string[])),
      assignedRole: optional(fc.constantFrom(...(schemas.AssignedRole.enum as string[]))),
      address: optional(fc.string({ maxLength: 60 })),
      times,
    })
    .map(
      ({ type, taskWay, assignedRole, address, times, ...rest }) =>
        drop({
          type,
          ...rest,
          ...times,
          ...(type === "TASK" ? { taskWay, assignedRole } : { address }),
        }) as CalendarCreateInput,
    );

/** One way to make a valid wire body invalid under the spec, by name. */
export const specMutations: Record<string, (body: Record<string, unknown>) => Record<string, unknown>> = {
  "address on a TASK": (b) => ({ ...b, type: "TASK", address: "123 Maple Street" }),
  "taskWay on an APPOINTMENT": (b) => ({
    ...strip(b, "assignedRole", "taskWay"),
    type: "APPOINTMENT",
    taskWay: "Call",
  }),
  "assignedRole on an APPOINTMENT": (b) => ({ ...strip(b, "taskWay"), type: "APPOINTMENT", assignedRole: "Agent" }),
  "a misspelt field": (b) => ({ ...b, way: "Call" }),
  "a bad taskWay": (b) => ({ ...strip(b, "address"), type: "TASK", taskWay: "Fax" }),
  "a bad type": (b) => ({ ...b, type: "MEETING" }),
  "no content": (b) => strip(b, "content"),
  "no leadId": (b) => strip(b, "leadId"),
  "no timeZoneCode": (b) => strip(b, "timeZoneCode"),
  "no start": (b) => strip(b, "startAt", "startAtMs"),
  "no end": (b) => strip(b, "endAt", "endAtMs"),
  "a TASK without taskWay": (b) => ({ ...strip(b, "taskWay", "address"), type: "TASK" }),
  "a number as content": (b) => ({ ...b, content: 42 }),
  "a fractional leadId": (b) => ({ ...b, leadId: 1.5 }),
  "startAt without an offset": (b) => ({
    ...strip(b, "startAtMs", "endAt", "endAtMs"),
    startAt: "2027-03-01T14:00:00",
  }),
};

function strip(body: Record<string, unknown>, ...names: string[]) {
  return Object.fromEntries(Object.entries(body).filter(([key]) => !names.includes(key)));
}
