// The generated request type is a discriminated union on `type`: each variant takes only its own fields.
import { describe, expectTypeOf, test } from "vitest";
import type { components, operations, paths } from "../../generated/schema.js";

type CreateRequest = components["schemas"]["CalendarEventCreateRequest"];
type Task = components["schemas"]["TaskCreateRequest"];
type Appointment = components["schemas"]["AppointmentCreateRequest"];
const base = { content: "Follow up", leadId: 563172647619608, timeZoneCode: "America/Los_Angeles" } as const;

describe("generated request types", () => {
  test("the POST body of /v2.0/calendar is the union of TASK and APPOINTMENT", () => {
    type Body = NonNullable<paths["/v2.0/calendar"]["post"]["requestBody"]>["content"]["application/json"];
    expectTypeOf<Body>().toEqualTypeOf<Task | Appointment>();
    expectTypeOf<CreateRequest>().toEqualTypeOf<Task | Appointment>();
  });

  test("a TASK with its own fields and an APPOINTMENT with an address compile", () => {
    const task: CreateRequest = { ...base, type: "TASK", taskWay: "Call", assignedRole: "Agent" };
    const appointment: CreateRequest = { ...base, type: "APPOINTMENT", address: "123 Maple Street" };
    expectTypeOf(task).toExtend<CreateRequest>();
    expectTypeOf(appointment).toExtend<CreateRequest>();
  });

  test("address on a TASK does not compile", () => {
    // @ts-expect-error address is APPOINTMENT-only
    const bad: CreateRequest = { ...base, type: "TASK", address: "123 Maple Street" };
    expectTypeOf(bad).not.toBeNever();
  });

  test("taskWay or assignedRole on an APPOINTMENT does not compile", () => {
    // @ts-expect-error taskWay is TASK-only
    const way: CreateRequest = { ...base, type: "APPOINTMENT", taskWay: "Call" };
    // @ts-expect-error assignedRole is TASK-only
    const role: CreateRequest = { ...base, type: "APPOINTMENT", assignedRole: "Agent" };
    expectTypeOf(way).not.toBeNever();
    expectTypeOf(role).not.toBeNever();
  });

  test("a bad enum value does not compile", () => {
    // @ts-expect-error "Fax" is not a taskWay
    const fax: CreateRequest = { ...base, type: "TASK", taskWay: "Fax" };
    // @ts-expect-error "MEETING" is not a type
    const meeting: CreateRequest = { ...base, type: "MEETING" };
    expectTypeOf(fax).not.toBeNever();
    expectTypeOf(meeting).not.toBeNever();
  });

  test("a missing required field does not compile", () => {
    // @ts-expect-error content is required
    const noContent: CreateRequest = { type: "TASK", leadId: 1, timeZoneCode: "UTC" };
    // @ts-expect-error leadId is required
    const noLead: CreateRequest = { type: "APPOINTMENT", content: "x", timeZoneCode: "UTC" };
    // @ts-expect-error timeZoneCode is required
    const noZone: CreateRequest = { type: "TASK", content: "x", leadId: 1 };
    expectTypeOf([noContent, noLead, noZone]).not.toBeNever();
  });

  test("a misspelt field does not compile", () => {
    // @ts-expect-error `way` is not a field (Lofty's field is taskWay)
    const misspelt: CreateRequest = { ...base, type: "TASK", way: "Call" };
    expectTypeOf(misspelt).not.toBeNever();
  });

  test("narrowing on type selects the variant", () => {
    const pick = (event: CreateRequest) => {
      if (event.type === "TASK") {
        expectTypeOf(event).toEqualTypeOf<Task>();
        expectTypeOf(event.taskWay).toEqualTypeOf<"Call" | "Email" | "Text" | "Other" | undefined>();
        return event.assignedRole;
      }
      expectTypeOf(event).toEqualTypeOf<Appointment>();
      expectTypeOf(event.address).toEqualTypeOf<string | undefined>();
      // @ts-expect-error an APPOINTMENT has no taskWay
      return event.taskWay;
    };
    expectTypeOf(pick).returns.toEqualTypeOf<"Agent" | "Assistant" | undefined>();
  });

  test("the 200 body is the data envelope and errors are {code?, message}", () => {
    type Responses = operations["createCalendarEvent"]["responses"];
    type Ok = Responses[200]["content"]["application/json"];
    expectTypeOf<Ok["data"]>().toEqualTypeOf<components["schemas"]["CalendarCreateResult"]>();
    expectTypeOf<Ok["data"]["type"]>().toEqualTypeOf<"TASK" | "APPOINTMENT">();
    type Err = Responses[400]["content"]["application/json"];
    expectTypeOf<Err>().toEqualTypeOf<{ code?: number | string; message: string }>();
    expectTypeOf<keyof Responses>().toEqualTypeOf<200 | 400 | 401 | 403 | 404 | 429 | 500>();
  });
});
