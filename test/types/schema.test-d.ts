// The generated types say what the spec says: the create body is a discriminated union on `type` whose variants take
// only their own fields and need a start and an end; the other six operations are typed by their parameters and answers.
import { describe, expectTypeOf, test } from "vitest";
import type { components, operations, paths } from "../../generated/schema.js";

type Schemas = components["schemas"];
type CreateRequest = Schemas["CalendarEventCreateRequest"];
type Task = Schemas["TaskCreateRequest"];
type Appointment = Schemas["AppointmentCreateRequest"];
type Statuses = 200 | 400 | 401 | 403 | 429 | 500;
const base = { content: "Follow up", leadId: 563172647619608, timeZoneCode: "America/Los_Angeles" } as const;
const times = { startAt: "2027-03-01T14:00:00-08:00", endAt: "2027-03-01T15:00:00-08:00" } as const;

describe("generated create types", () => {
  test("the POST body of /v2.0/calendar is the union of TASK and APPOINTMENT", () => {
    type Body = NonNullable<paths["/v2.0/calendar"]["post"]["requestBody"]>["content"]["application/json"];
    expectTypeOf<Body>().toEqualTypeOf<Task | Appointment>();
    expectTypeOf<CreateRequest>().toEqualTypeOf<Task | Appointment>();
  });

  test("a TASK with its own fields and an APPOINTMENT with an address compile", () => {
    const task: CreateRequest = { ...base, ...times, type: "TASK", taskWay: "Call", assignedRole: "Agent" };
    const appointment: CreateRequest = { ...base, ...times, type: "APPOINTMENT", address: "123 Maple Street" };
    expectTypeOf(task).toExtend<CreateRequest>();
    expectTypeOf(appointment).toExtend<CreateRequest>();
  });

  test("a start and an end compile in either form", () => {
    const ms: CreateRequest = { ...base, type: "APPOINTMENT", startAtMs: 1803938400000, endAtMs: 1803942000000 };
    const mixed: CreateRequest = { ...base, type: "TASK", taskWay: "Email", startAt: times.startAt, endAtMs: 1 };
    expectTypeOf([ms, mixed]).not.toBeNever();
  });

  test("a body without a start or without an end does not compile", () => {
    // @ts-expect-error a start (startAt or startAtMs) is required
    const noStart: CreateRequest = { ...base, type: "APPOINTMENT", endAt: times.endAt };
    // @ts-expect-error an end (endAt or endAtMs) is required
    const noEnd: CreateRequest = { ...base, type: "TASK", taskWay: "Call", startAtMs: 1803938400000 };
    // @ts-expect-error neither a start nor an end
    const neither: CreateRequest = { ...base, type: "APPOINTMENT" };
    expectTypeOf([noStart, noEnd, neither]).not.toBeNever();
  });

  test("a TASK without taskWay does not compile", () => {
    // @ts-expect-error taskWay is required on a TASK
    const noWay: CreateRequest = { ...base, ...times, type: "TASK" };
    expectTypeOf(noWay).not.toBeNever();
  });

  test("address on a TASK does not compile", () => {
    // @ts-expect-error address is APPOINTMENT-only
    const bad: CreateRequest = { ...base, ...times, type: "TASK", taskWay: "Call", address: "123 Maple Street" };
    expectTypeOf(bad).not.toBeNever();
  });

  test("taskWay or assignedRole on an APPOINTMENT does not compile", () => {
    // @ts-expect-error taskWay is TASK-only
    const way: CreateRequest = { ...base, ...times, type: "APPOINTMENT", taskWay: "Call" };
    // @ts-expect-error assignedRole is TASK-only
    const role: CreateRequest = { ...base, ...times, type: "APPOINTMENT", assignedRole: "Agent" };
    expectTypeOf(way).not.toBeNever();
    expectTypeOf(role).not.toBeNever();
  });

  test("a bad enum value does not compile", () => {
    // @ts-expect-error "Fax" is not a taskWay
    const fax: CreateRequest = { ...base, ...times, type: "TASK", taskWay: "Fax" };
    // @ts-expect-error "MEETING" is not a type
    const meeting: CreateRequest = { ...base, ...times, type: "MEETING" };
    // @ts-expect-error the type is upper case
    const lower: CreateRequest = { ...base, ...times, type: "appointment" };
    expectTypeOf([fax, meeting, lower]).not.toBeNever();
  });

  test("a missing required field does not compile", () => {
    // @ts-expect-error content is required
    const noContent: CreateRequest = { ...times, type: "APPOINTMENT", leadId: 1, timeZoneCode: "UTC" };
    // @ts-expect-error leadId is required
    const noLead: CreateRequest = { ...times, type: "APPOINTMENT", content: "x", timeZoneCode: "UTC" };
    // @ts-expect-error timeZoneCode is required
    const noZone: CreateRequest = { ...times, type: "APPOINTMENT", content: "x", leadId: 1 };
    expectTypeOf([noContent, noLead, noZone]).not.toBeNever();
  });

  test("a misspelt field does not compile", () => {
    // @ts-expect-error `way` is not a field (Lofty's field is taskWay)
    const misspelt: CreateRequest = { ...base, ...times, type: "TASK", taskWay: "Call", way: "Call" };
    expectTypeOf(misspelt).not.toBeNever();
  });

  test("narrowing on type selects the variant", () => {
    const pick = (event: CreateRequest) => {
      if (event.type === "TASK") {
        expectTypeOf(event).toEqualTypeOf<Task>();
        expectTypeOf(event.taskWay).toEqualTypeOf<"Call" | "Email" | "Text" | "Other">();
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
    type Responses = operations["createCalendar"]["responses"];
    type Ok = Responses[200]["content"]["application/json"];
    expectTypeOf<Ok["data"]>().toEqualTypeOf<Schemas["CalendarCreateResult"]>();
    expectTypeOf<Ok["data"]["type"]>().toEqualTypeOf<"TASK" | "APPOINTMENT">();
    expectTypeOf<Ok["data"]["id"]>().toEqualTypeOf<string>();
    type Err = Responses[400]["content"]["application/json"];
    expectTypeOf<Err>().toEqualTypeOf<{ code?: number | string; message: string }>();
    expectTypeOf<Err>().toEqualTypeOf<Schemas["ErrorResponse"]>();
    expectTypeOf<keyof Responses>().toEqualTypeOf<Statuses>();
  });
});

describe("generated types of the other six operations", () => {
  test("the seven operations are keyed by Lofty's operationIds", () => {
    expectTypeOf<keyof operations>().toEqualTypeOf<
      | "queryCalendars"
      | "createCalendar"
      | "updateCalendar"
      | "deleteCalendar"
      | "finishCalendar"
      | "unfinishCalendar"
      | "getAvailableMeetings"
    >();
    expectTypeOf<keyof paths>().toEqualTypeOf<
      | "/v2.0/calendar"
      | "/v2.0/calendar/{calendarId}"
      | "/v2.0/calendar/{calendarId}/finish"
      | "/v2.0/calendar/{calendarId}/unfinish"
      | "/v2.0/calendar/meetings/available"
    >();
    for (const check of [
      expectTypeOf<keyof operations["queryCalendars"]["responses"]>(),
      expectTypeOf<keyof operations["updateCalendar"]["responses"]>(),
      expectTypeOf<keyof operations["deleteCalendar"]["responses"]>(),
      expectTypeOf<keyof operations["finishCalendar"]["responses"]>(),
      expectTypeOf<keyof operations["unfinishCalendar"]["responses"]>(),
      expectTypeOf<keyof operations["getAvailableMeetings"]["responses"]>(),
    ])
      check.toEqualTypeOf<Statuses>();
  });

  test("the list's query is typed by what Lofty documents, all optional", () => {
    type Query = NonNullable<operations["queryCalendars"]["parameters"]["query"]>;
    expectTypeOf<Query>().toEqualTypeOf<{
      leadId?: number;
      startTime?: string;
      endTime?: string;
      startTimeMs?: number;
      endTimeMs?: number;
      timeZoneCode?: string;
      includeFinished?: boolean;
      page?: number;
      pageSize?: number;
      sort?: string;
      desc?: boolean;
      sourceType?: number[];
    }>();
    // No type filter: Lofty declares none.
    // @ts-expect-error `type` is not a parameter of the list
    const typed: Query = { type: "TASK" };
    expectTypeOf(typed).not.toBeNever();
  });

  test("the list answers a page of items; an item's id and type are always there", () => {
    type Page = operations["queryCalendars"]["responses"][200]["content"]["application/json"]["data"];
    expectTypeOf<Page["total"]>().toEqualTypeOf<number>();
    expectTypeOf<Page["page"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Page["items"]>().toEqualTypeOf<Schemas["CalendarItem"][]>();
    type Item = Schemas["CalendarItem"];
    expectTypeOf<Item["id"]>().toEqualTypeOf<string>();
    expectTypeOf<Item["type"]>().toEqualTypeOf<"TASK" | "APPOINTMENT">();
    expectTypeOf<Item["finished"]>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<Item["startAt"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Item["taskId"]>().toEqualTypeOf<number | undefined>();
  });

  test("the id operations take a calendarId path parameter", () => {
    expectTypeOf<operations["updateCalendar"]["parameters"]["path"]>().toEqualTypeOf<{ calendarId: string }>();
    expectTypeOf<operations["deleteCalendar"]["parameters"]["path"]>().toEqualTypeOf<{ calendarId: string }>();
    expectTypeOf<operations["finishCalendar"]["parameters"]["path"]>().toEqualTypeOf<{ calendarId: string }>();
    expectTypeOf<operations["unfinishCalendar"]["parameters"]["path"]>().toEqualTypeOf<{ calendarId: string }>();
  });

  test("the update body is partial and closed: type, taskWay and assignedRole cannot change", () => {
    type Update = NonNullable<operations["updateCalendar"]["requestBody"]>["content"]["application/json"];
    expectTypeOf<Update>().toEqualTypeOf<Schemas["CalendarUpdateRequest"]>();
    const reschedule: Update = { startAt: "2027-03-01T16:00:00-08:00", endAtMs: 1803949200000 };
    const content: Update = { content: "Call back", reminderType: "1", reminderTime: "30", address: "x", leadId: 1 };
    expectTypeOf([reschedule, content]).not.toBeNever();
    // @ts-expect-error type cannot change
    const retype: Update = { type: "TASK" };
    // @ts-expect-error taskWay cannot change
    const reway: Update = { taskWay: "Call" };
    expectTypeOf([retype, reway]).not.toBeNever();
  });

  test("update, delete, finish and unfinish answer {message}; the three without a body take none", () => {
    type Message = { message: string };
    expectTypeOf<
      operations["updateCalendar"]["responses"][200]["content"]["application/json"]
    >().toEqualTypeOf<Message>();
    expectTypeOf<
      operations["deleteCalendar"]["responses"][200]["content"]["application/json"]
    >().toEqualTypeOf<Message>();
    expectTypeOf<
      operations["finishCalendar"]["responses"][200]["content"]["application/json"]
    >().toEqualTypeOf<Message>();
    expectTypeOf<
      operations["unfinishCalendar"]["responses"][200]["content"]["application/json"]
    >().toEqualTypeOf<Message>();
    expectTypeOf<operations["deleteCalendar"]["requestBody"]>().toEqualTypeOf<undefined>();
    expectTypeOf<operations["finishCalendar"]["requestBody"]>().toEqualTypeOf<undefined>();
  });

  test("available meetings take a range and a limit (no leadId) and answer {total, slots}", () => {
    type Query = NonNullable<operations["getAvailableMeetings"]["parameters"]["query"]>;
    expectTypeOf<keyof Query>().toEqualTypeOf<
      "startTime" | "endTime" | "startTimeMs" | "endTimeMs" | "timeZoneCode" | "limit"
    >();
    type Data = operations["getAvailableMeetings"]["responses"][200]["content"]["application/json"]["data"];
    expectTypeOf<Data["total"]>().toEqualTypeOf<number>();
    expectTypeOf<Data["slots"]>().toEqualTypeOf<Schemas["MeetingSlot"][]>();
    expectTypeOf<keyof Schemas["MeetingSlot"]>().toEqualTypeOf<"startTime" | "endTime" | "startTimeMs" | "endTimeMs">();
  });
});
