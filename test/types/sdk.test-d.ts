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
} from "../../src/index.js";
import type { components as reexported, paths } from "../../src/schema.js";

const lofty = createLoftyClient({ accessToken: "t" });
const base = { content: "Follow up", leadId: 563172647619608, timeZoneCode: "America/Los_Angeles" } as const;

describe("calendar.create input", () => {
  test("the issue's example compiles and resolves to the envelope's data", () => {
    const event = lofty.calendar.create(
      {
        ...base,
        type: "TASK",
        start: "2026-03-01T14:00",
        end: "2026-03-01T15:00",
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
    void lofty.calendar.create({ ...base, type: "TASK", leadId: true });
  });

  test("wire time fields or convenience fields, per end, not both", () => {
    void lofty.calendar.create({
      ...base,
      type: "APPOINTMENT",
      startAt: "2026-03-01T14:00:00-08:00",
      startAtMs: 1772402400000,
    });
    void lofty.calendar.create({ ...base, type: "APPOINTMENT", start: new Date(), end: 1772406000000 });
    // @ts-expect-error start and startAt together
    void lofty.calendar.create({
      ...base,
      type: "TASK",
      start: "2026-03-01T14:00",
      startAt: "2026-03-01T14:00:00-08:00",
    });
    // @ts-expect-error end and endAtMs together
    void lofty.calendar.create({ ...base, type: "TASK", end: "2026-03-01T15:00", endAtMs: 1772406000000 });
  });

  test("TASK-only fields on an APPOINTMENT and the reverse do not compile", () => {
    // @ts-expect-error address is APPOINTMENT-only
    void lofty.calendar.create({ ...base, type: "TASK", address: "123 Maple Street" });
    // @ts-expect-error taskWay is TASK-only
    void lofty.calendar.create({ ...base, type: "APPOINTMENT", taskWay: "Call" });
    // @ts-expect-error assignedRole is TASK-only
    void lofty.calendar.create({ ...base, type: "APPOINTMENT", assignedRole: "Agent" });
  });

  test("a bad enum value or a missing required field does not compile", () => {
    // @ts-expect-error "Fax" is not a taskWay
    void lofty.calendar.create({ ...base, type: "TASK", taskWay: "Fax" });
    // @ts-expect-error content is required
    void lofty.calendar.create({ type: "TASK", leadId: 1, timeZoneCode: "UTC" });
    // @ts-expect-error timeZoneCode is required
    void lofty.calendar.create({ type: "APPOINTMENT", content: "x", leadId: 1 });
  });

  test("narrowing on type works on the input union", () => {
    const check = (input: CalendarCreateInput) => {
      if (input.type === "TASK") {
        expectTypeOf(input.taskWay).toEqualTypeOf<"Call" | "Email" | "Text" | "Other" | undefined>();
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
    expectTypeOf(lofty.client.POST).parameter(0).toEqualTypeOf<"/v2.0/calendar">();
    expectTypeOf<reexported>().toEqualTypeOf<components>();
    expectTypeOf<keyof paths>().toEqualTypeOf<"/v2.0/calendar">();
  });
});
