// calendar.create's input is the generated union: TASK/APPOINTMENT fields, enums and required fields are enforced by type.
import { describe, expectTypeOf, test } from "vitest";
import type { components } from "../../generated/schema.js";
import {
  createLoftyClient,
  LoftyApiError,
  LoftyError,
  LoftyValidationError,
  normalizeEventTimes,
  type CalendarCreateInput,
  type CalendarEvent,
  type CalendarItem,
  type CalendarPage,
} from "../../src/index.js";
import type { components as reexported, paths } from "../../src/schema.js";

const lofty = createLoftyClient({ accessToken: "t" });
const base = { content: "Follow up", leadId: 563172647619608, timeZoneCode: "America/Los_Angeles" } as const;
const times = { start: "2027-03-01T14:00", end: "2027-03-01T15:00" } as const;

describe("calendar.create input", () => {
  test("the issue's example compiles and resolves to the envelope's data", () => {
    const event = lofty.calendar.create(
      {
        ...base,
        type: "TASK",
        start: "2027-03-01T14:00",
        end: "2027-03-01T15:00",
        taskWay: "Call",
        assignedRole: "Agent",
      },
      { signal: AbortSignal.timeout(1000) },
    );
    expectTypeOf(event).resolves.toEqualTypeOf<CalendarEvent>();
    expectTypeOf<CalendarEvent>().toEqualTypeOf<components["schemas"]["CalendarCreateResult"]>();
  });

  test("leadId is a number, bigint or string", () => {
    expectTypeOf<CalendarCreateInput["leadId"]>().toEqualTypeOf<number | bigint | string>();
    // @ts-expect-error a leadId is not a boolean
    void lofty.calendar.create({ ...base, ...times, type: "TASK", taskWay: "Call", leadId: true });
  });

  test("wire time fields or convenience fields, per end, not both", () => {
    void lofty.calendar.create({
      ...base,
      type: "APPOINTMENT",
      startAt: "2027-03-01T14:00:00-08:00",
      startAtMs: 1803996000000,
      endAtMs: 1803999600000,
    });
    void lofty.calendar.create({ ...base, type: "APPOINTMENT", start: new Date(), end: 1803999600000 });
    // @ts-expect-error start and startAt together
    void lofty.calendar.create({
      ...base,
      ...times,
      type: "TASK",
      taskWay: "Call",
      startAt: "2027-03-01T14:00:00-08:00",
    });
    // @ts-expect-error end and endAtMs together
    void lofty.calendar.create({ ...base, ...times, type: "TASK", taskWay: "Call", endAtMs: 1803999600000 });
  });

  test("a start and an end are required, in either form", () => {
    // @ts-expect-error a create has no start
    void lofty.calendar.create({ ...base, type: "APPOINTMENT", end: 1803999600000 });
    // @ts-expect-error a create has no end
    void lofty.calendar.create({ ...base, type: "APPOINTMENT", startAtMs: 1803996000000 });
  });

  test("TASK-only fields on an APPOINTMENT and the reverse do not compile", () => {
    // @ts-expect-error address is APPOINTMENT-only
    void lofty.calendar.create({ ...base, ...times, type: "TASK", taskWay: "Call", address: "123 Maple Street" });
    // @ts-expect-error taskWay is TASK-only
    void lofty.calendar.create({ ...base, ...times, type: "APPOINTMENT", taskWay: "Call" });
    // @ts-expect-error assignedRole is TASK-only
    void lofty.calendar.create({ ...base, ...times, type: "APPOINTMENT", assignedRole: "Agent" });
  });

  test("a bad enum value or a missing required field does not compile", () => {
    // @ts-expect-error "Fax" is not a taskWay
    void lofty.calendar.create({ ...base, ...times, type: "TASK", taskWay: "Fax" });
    // @ts-expect-error content is required
    void lofty.calendar.create({ ...times, type: "TASK", taskWay: "Call", leadId: 1, timeZoneCode: "UTC" });
    // @ts-expect-error timeZoneCode is required
    void lofty.calendar.create({ ...times, type: "APPOINTMENT", content: "x", leadId: 1 });
    // @ts-expect-error taskWay is required on a TASK
    void lofty.calendar.create({ ...base, ...times, type: "TASK" });
  });

  test("narrowing on type works on the input union", () => {
    const check = (input: CalendarCreateInput) => {
      if (input.type === "TASK") {
        expectTypeOf(input.taskWay).toEqualTypeOf<"Call" | "Email" | "Text" | "Other">();
        // @ts-expect-error a TASK has no address
        const _address = input.address;
        return undefined;
      }
      expectTypeOf(input.address).toEqualTypeOf<string | undefined>();
      return input.type;
    };
    expectTypeOf(check).returns.toEqualTypeOf<"APPOINTMENT" | undefined>();
  });
});

describe("the rest of the public API", () => {
  test("errors share one base class", () => {
    expectTypeOf<LoftyValidationError>().toExtend<LoftyError>();
    expectTypeOf<LoftyApiError>().toExtend<LoftyError>();
    expectTypeOf<LoftyApiError["status"]>().toEqualTypeOf<number>();
    expectTypeOf<LoftyApiError["code"]>().toEqualTypeOf<string | number | undefined>();
    expectTypeOf<LoftyValidationError["issues"]>().toEqualTypeOf<{ path: string; message: string }[]>();
  });

  test("normalizeEventTimes returns the wire time fields", () => {
    const times = normalizeEventTimes({ timeZoneCode: "UTC", start: "2026-03-01T14:00" });
    expectTypeOf(times).toEqualTypeOf<{ startAt?: string; startAtMs?: number; endAt?: string; endAtMs?: number }>();
  });

  test("lofty.client is typed by paths; ./schema re-exports the generated types", () => {
    expectTypeOf(lofty.client.POST)
      .parameter(0)
      .toEqualTypeOf<
        "/v2.0/calendar" | "/v2.0/calendar/{calendarId}/finish" | "/v2.0/calendar/{calendarId}/unfinish"
      >();
    expectTypeOf<reexported>().toEqualTypeOf<components>();
    expectTypeOf<keyof paths>().toEqualTypeOf<
      | "/v2.0/calendar"
      | "/v2.0/calendar/{calendarId}"
      | "/v2.0/calendar/{calendarId}/finish"
      | "/v2.0/calendar/{calendarId}/unfinish"
      | "/v2.0/calendar/meetings/available"
    >();
  });
});

describe("the rest of the calendar family", () => {
  test("list: times as for create, ids in answers as strings, counts as numbers", () => {
    const page = lofty.calendar.list({ leadId: 563172647619608n, start: "2027-03-01T00:00", timeZoneCode: "UTC" });
    expectTypeOf(page).resolves.toEqualTypeOf<CalendarPage>();
    expectTypeOf<CalendarItem["taskId"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<CalendarItem["leadId"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<CalendarItem["startAtMs"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<CalendarPage["total"]>().toEqualTypeOf<number>();
    void lofty.calendar.list({ startTime: "2027-03-01T00:00:00-08:00", includeFinished: true, pageSize: 500 });
    // @ts-expect-error start and startTime together
    void lofty.calendar.list({ start: 1803888000000, startTime: "2027-03-01T00:00:00-08:00" });
    // @ts-expect-error the list has no type filter
    void lofty.calendar.list({ start: 1803888000000, type: "TASK" });
  });

  test("listAll yields items; update, delete, finish and unfinish take the calendarId and resolve to a message", () => {
    expectTypeOf(lofty.calendar.listAll({ start: 1803888000000 })).toEqualTypeOf<
      AsyncGenerator<CalendarItem, void, undefined>
    >();
    expectTypeOf(lofty.calendar.update("12345-task", { content: "x", end: new Date() })).resolves.toEqualTypeOf<{
      message: string;
    }>();
    // @ts-expect-error type cannot be changed by update
    void lofty.calendar.update("12345-task", { type: "APPOINTMENT" });
    for (const method of ["delete", "finish", "unfinish"] as const) {
      expectTypeOf(lofty.calendar[method]).parameter(0).toEqualTypeOf<string>();
      expectTypeOf(lofty.calendar[method]).returns.resolves.toEqualTypeOf<{ message: string }>();
    }
  });

  test("availableMeetings takes a range and resolves to the slots", () => {
    const slots = lofty.calendar.availableMeetings({ start: new Date(), end: 1804492800000, limit: 5 });
    expectTypeOf(slots).resolves.toHaveProperty("slots");
    // @ts-expect-error no leadId on available meetings
    void lofty.calendar.availableMeetings({ start: new Date(), end: 1804492800000, leadId: 1 });
  });
});
