// The spec says what Lofty documents (../shared/vendor/lofty-calendar-family.md), and its examples are self-consistent.
import { describe, expect, test } from "vitest";
import {
  deref,
  omit,
  operationById,
  operations,
  parametersOf,
  requestExamples,
  responseExamples,
  responseMedia,
  responseValidator,
  spec,
  validatorFor,
  walk,
} from "../support/spec.js";

const schemas = spec.components.schemas;
const statuses = ["200", "400", "401", "403", "429", "500"];
const errorStatuses = statuses.filter((status) => status !== "200");
const idOperations = ["updateCalendar", "deleteCalendar", "finishCalendar", "unfinishCalendar"];
/** The operations for which Lofty declares `Content-Type: application/json` required. */
const contentTypeOperations = ["createCalendar", ...idOperations];

/** A parameter of an operation by name (refs followed). */
function parameter(id: string, name: string) {
  const found = parametersOf(operationById(id)).find((p) => p.name === name);
  if (!found) throw new Error(`${id} has no parameter ${name}`);
  return found;
}

describe("the seven operations of Lofty's calendar family", () => {
  test("are exactly Lofty's, with its operationIds, on https://api.lofty.com, tagged Calendar", () => {
    expect(spec.openapi).toBe("3.1.0");
    expect(spec.servers.map((s: { url: string }) => s.url)).toEqual(["https://api.lofty.com"]);
    expect(operations.map((op) => `${op.method.toUpperCase()} ${op.path} ${op.id}`).sort()).toEqual(
      [
        "GET /v2.0/calendar queryCalendars",
        "POST /v2.0/calendar createCalendar",
        "PUT /v2.0/calendar/{calendarId} updateCalendar",
        "DELETE /v2.0/calendar/{calendarId} deleteCalendar",
        "POST /v2.0/calendar/{calendarId}/finish finishCalendar",
        "POST /v2.0/calendar/{calendarId}/unfinish unfinishCalendar",
        "GET /v2.0/calendar/meetings/available getAvailableMeetings",
      ].sort(),
    );
    for (const op of operations) {
      expect(op.operation.tags, op.id).toEqual(["Calendar"]);
      expect(op.operation.summary, op.id).toBeTruthy();
      expect(op.operation.description, op.id).toBeTruthy();
    }
  });

  test("there is no GET of one event", () => {
    expect(spec.paths["/v2.0/calendar/{calendarId}"].get).toBeUndefined();
  });

  test("each answers exactly 200, 400, 401, 403, 429 and 500: no 201, 204, 404 or 422", () => {
    for (const op of operations) expect(Object.keys(op.operation.responses).sort(), op.id).toEqual(statuses);
  });

  test("every answer carries the three rate-limit headers; a 429's Remaining is 0", () => {
    for (const op of operations) {
      for (const status of statuses) {
        const headers = deref(op.operation.responses[status]).headers ?? {};
        expect(Object.keys(headers).sort(), `${op.id} ${status}`).toEqual([
          "X-RateLimit-Limit",
          "X-RateLimit-Remaining",
          "X-RateLimit-Reset",
        ]);
      }
      const remaining = deref(deref(op.operation.responses["429"]).headers["X-RateLimit-Remaining"]);
      expect(remaining.example ?? remaining.schema.example, op.id).toBe(0);
    }
  });

  test("accept a Bearer OAuth token or a `token` API key in Authorization", () => {
    expect(spec.security).toEqual([{ OAuthAccessToken: [] }, { ApiKey: [] }]);
    const schemes = spec.components.securitySchemes;
    expect(schemes.OAuthAccessToken).toMatchObject({ type: "http", scheme: "bearer" });
    expect(schemes.ApiKey).toMatchObject({ type: "apiKey", in: "header", name: "Authorization" });
    expect(schemes.ApiKey.description).toContain("Authorization: token <api_key>");
    for (const op of operations) expect(op.operation.security, op.id).toBeUndefined(); // the global one applies
  });

  test("the five that Lofty declares it on say that Content-Type: application/json is required", () => {
    for (const id of contentTypeOperations) {
      expect(operationById(id).operation.description, id).toMatch(/Content-Type: application\/json`? required/);
    }
  });

  test("each 200 has named examples, valid against its schema", () => {
    for (const op of operations) {
      const examples = responseExamples(op, 200);
      expect(Object.keys(examples).length, op.id).toBeGreaterThan(0);
      const validate = responseValidator(op, 200);
      for (const [name, example] of Object.entries(examples)) {
        expect(validate(example), `${op.id} ${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
      }
    }
  });
});

describe("errors", () => {
  test("are Lofty's {code, message} body, named ErrorResponse (no schema shadows the global Error)", () => {
    expect(schemas.Error).toBeUndefined();
    for (const op of operations) {
      for (const status of errorStatuses) {
        expect(responseMedia(op, status).schema, `${op.id} ${status}`).toEqual({
          $ref: "#/components/schemas/ErrorResponse",
        });
      }
    }
    expect(schemas.ErrorResponse.properties.code.anyOf).toEqual([{ type: "integer" }, { type: "string" }]);
    expect(schemas.ErrorResponse.required).toEqual(["message"]);
  });

  test("a 400's first example is code 20012 (what Prefer: code=400 answers); 20017 PERMISSION_DENIED is one", () => {
    for (const op of operations) {
      const examples = Object.values(responseExamples(op, 400));
      expect(examples[0], op.id).toMatchObject({ code: 20012 });
      expect(
        examples.map((e) => e.code),
        op.id,
      ).toContain(20017);
    }
    const description = deref(operationById("createCalendar").operation.responses["400"]).description;
    expect(description).toMatch(/20017/);
    expect(description).toMatch(/PERMISSION_DENIED/);
  });

  test("a 403 is the app's missing scope (VENDOR_HAS_NO_PERMISSION, 200100), a 429 has no code", () => {
    for (const op of operations) {
      const forbidden = Object.values(responseExamples(op, 403)).map((e) => e.code);
      expect(forbidden[0], op.id).toBe("VENDOR_HAS_NO_PERMISSION");
      expect(forbidden, op.id).toContain(200100);
      expect(Object.values(responseExamples(op, 429)), op.id).toEqual([{ message: "Too Many Requests" }]);
      expect(Object.values(responseExamples(op, 401))[0], op.id).toMatchObject({ code: "BAD_CREDENTIALS" });
    }
  });

  test("say where Lofty's general error page disagrees: not-found under 404, PERMISSION_DENIED under 403", () => {
    expect(spec.info.description).toMatch(/404/);
    expect(spec.info.description).toMatch(/PERMISSION_DENIED under 403/);
    const forbidden = deref(operationById("createCalendar").operation.responses["403"]).description;
    expect(forbidden).toMatch(/general error page/);
  });

  test("every error example validates against ErrorResponse", () => {
    const validate = validatorFor("#/components/schemas/ErrorResponse");
    for (const op of operations) {
      for (const status of errorStatuses) {
        for (const [name, example] of Object.entries(responseExamples(op, status))) {
          expect(validate(example), `${op.id} ${status} ${name}`).toBe(true);
        }
      }
    }
  });
});

describe("calendarId", () => {
  const validate = validatorFor("#/components/schemas/CalendarId");

  test("is one schema, used by the path parameter, create's data.id and a list item's id", () => {
    for (const id of idOperations) {
      const op = operationById(id);
      expect(op.operation.parameters, id).toEqual([{ $ref: "#/components/parameters/CalendarId" }]);
    }
    expect(spec.components.parameters.CalendarId).toMatchObject({
      name: "calendarId",
      in: "path",
      required: true,
      schema: { $ref: "#/components/schemas/CalendarId" },
    });
    expect(schemas.CalendarCreateResult.properties.id).toEqual({ $ref: "#/components/schemas/CalendarId" });
    expect(schemas.CalendarItem.properties.id).toEqual({ $ref: "#/components/schemas/CalendarId" });
  });

  test.each(["12345-task", "67890-appointment", "9223372036854775807-task", "0-appointment"])("accepts %s", (id) => {
    expect(validate(id)).toBe(true);
  });

  test.each(["abc", "12-meeting", "-task", "12-Task", "12-task ", "12_task", "12345678901234567890-task", "12"])(
    "refuses %j",
    (id) => {
      expect(validate(id)).toBe(false);
    },
  );
});

describe("createCalendar's body", () => {
  const create = operationById("createCalendar");
  const requestMedia = create.operation.requestBody.content["application/json"];
  const validate = validatorFor("#/components/schemas/CalendarEventCreateRequest");
  const examples = requestExamples(create);
  const task = examples.task;
  const appointment = examples.appointment;

  test("is a oneOf of TASK and APPOINTMENT with a discriminator mapping on type", () => {
    expect(deref(requestMedia.schema)).toMatchObject({
      oneOf: [
        { $ref: "#/components/schemas/TaskCreateRequest" },
        { $ref: "#/components/schemas/AppointmentCreateRequest" },
      ],
      discriminator: {
        propertyName: "type",
        mapping: {
          TASK: "#/components/schemas/TaskCreateRequest",
          APPOINTMENT: "#/components/schemas/AppointmentCreateRequest",
        },
      },
    });
  });

  test("each variant is closed and requires type, content, leadId and timeZoneCode; a TASK taskWay too", () => {
    expect(schemas.TaskCreateRequest.required).toEqual(["type", "content", "leadId", "timeZoneCode", "taskWay"]);
    expect(schemas.AppointmentCreateRequest.required).toEqual(["type", "content", "leadId", "timeZoneCode"]);
    for (const name of ["TaskCreateRequest", "AppointmentCreateRequest"]) {
      expect(schemas[name].additionalProperties, name).toBe(false);
    }
    expect(Object.keys(schemas.TaskCreateRequest.properties)).toContain("assignedRole");
    expect(Object.keys(schemas.TaskCreateRequest.properties)).not.toContain("address");
    expect(Object.keys(schemas.AppointmentCreateRequest.properties)).toContain("address");
    expect(Object.keys(schemas.AppointmentCreateRequest.properties)).not.toContain("taskWay");
  });

  test("type is a one-value upper-case enum per variant (no const); the description says Lofty takes any case", () => {
    expect(schemas.TaskCreateRequest.properties.type).toMatchObject({ type: "string", enum: ["TASK"] });
    expect(schemas.AppointmentCreateRequest.properties.type).toMatchObject({ type: "string", enum: ["APPOINTMENT"] });
    expect(create.operation.description).toMatch(/any case/);
  });

  test("fields carry the documented types, formats and enums", () => {
    expect(schemas.LeadId).toMatchObject({ type: "integer", format: "int64" });
    expect(schemas.StartAtMs).toMatchObject({ type: "integer", format: "int64" });
    expect(schemas.StartAt).toMatchObject({ type: "string", format: "date-time" });
    expect(schemas.TaskWay.enum).toEqual(["Call", "Email", "Text", "Other"]);
    expect(schemas.AssignedRole.enum).toEqual(["Agent", "Assistant"]);
    expect(schemas.EventType.enum).toEqual(["TASK", "APPOINTMENT"]);
  });

  test("the description states the clock rule, the permission rule and the all-day rule", () => {
    const description: string = create.operation.description;
    expect(description).toMatch(/later than Lofty's current time, else 400 with code 20012/);
    expect(description).toMatch(/20017 \(PERMISSION_DENIED\)/);
    expect(description).toMatch(/exactly midnight .* all-day/s);
  });

  test("named request examples validate, each variant has one, and the create answers are task and appointment", () => {
    expect(Object.keys(examples)).toEqual(expect.arrayContaining(["task", "appointment"]));
    for (const [name, example] of Object.entries(examples)) {
      expect(validate(example), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    const answers = responseExamples(create, 200);
    expect(Object.keys(answers)).toEqual(["task", "appointment"]);
    expect(answers.task.data).toMatchObject({ type: "TASK", id: expect.stringMatching(/-task$/) });
    expect(answers.appointment.data).toMatchObject({ type: "APPOINTMENT", id: expect.stringMatching(/-appointment$/) });
  });

  test("a start and an end are required, each in either form", () => {
    const { startAt, startAtMs, endAt, endAtMs, ...timeless } = task;
    for (const [label, times] of Object.entries({
      "startAt + endAt": { startAt, endAt },
      "startAt + endAtMs": { startAt, endAtMs },
      "startAtMs + endAt": { startAtMs, endAt },
      "startAtMs + endAtMs": { startAtMs, endAtMs },
    })) {
      expect(validate({ ...timeless, ...times }), label).toBe(true);
    }
    for (const [label, times] of Object.entries({
      "no time": {},
      "no start": { endAt, endAtMs },
      "no end": { startAt, startAtMs },
      "start only as ms": { startAtMs },
    })) {
      expect(validate({ ...timeless, ...times }), label).toBe(false);
    }
  });

  test("the validator refuses what Lofty refuses", () => {
    const noContent = omit(task, "content");
    const noTaskWay = omit(task, "taskWay");
    for (const bad of [
      { ...task, address: "123 Maple Street" },
      { ...appointment, taskWay: "Call" },
      { ...task, way: "Call" },
      { ...task, taskWay: "Fax" },
      { ...task, type: "task" }, // stricter than Lofty, which reads type in any case
      noContent,
      noTaskWay,
      { ...task, startAt: "2027-03-01T14:00" },
      { ...task, leadId: "563172647619608" },
    ]) {
      expect(validate(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});

describe("queryCalendars", () => {
  const list = operationById("queryCalendars");

  test("takes exactly Lofty's twelve query parameters (no type filter)", () => {
    const parameters = parametersOf(list);
    expect(parameters.map((p) => p.name)).toEqual([
      "leadId",
      "startTime",
      "endTime",
      "startTimeMs",
      "endTimeMs",
      "timeZoneCode",
      "includeFinished",
      "page",
      "pageSize",
      "sort",
      "desc",
      "sourceType",
    ]);
    for (const p of parameters) {
      expect(p.in, p.name).toBe("query");
      expect(p.required, p.name).toBe(false);
      expect(p.description, p.name).toBeTruthy();
    }
    for (const op of operations) expect(op.operation.parameters ?? [], op.id).not.toContainEqual({ name: "type" });
  });

  test("types them by what Lofty documents, and says that Lofty's document declares them strings", () => {
    const schemaOf = (name: string) => deref(parameter("queryCalendars", name).schema);
    expect(schemaOf("leadId")).toMatchObject({ type: "integer", format: "int64" });
    expect(schemaOf("startTime")).toMatchObject({ type: "string", format: "date-time" });
    expect(schemaOf("endTime")).toMatchObject({ type: "string", format: "date-time" });
    expect(schemaOf("startTimeMs")).toMatchObject({ type: "integer", format: "int64" });
    expect(schemaOf("endTimeMs")).toMatchObject({ type: "integer", format: "int64" });
    expect(schemaOf("timeZoneCode")).toMatchObject({ type: "string" });
    expect(schemaOf("includeFinished")).toMatchObject({ type: "boolean", default: false });
    expect(schemaOf("page")).toMatchObject({ type: "integer", format: "int32", minimum: 0, default: 0 });
    expect(schemaOf("pageSize")).toMatchObject({ type: "integer", format: "int32", minimum: 1, maximum: 500 });
    expect(schemaOf("pageSize").default).toBeUndefined(); // Lofty documents none
    expect(schemaOf("sort")).toMatchObject({ type: "string", default: "startTime" });
    expect(schemaOf("sort").enum).toBeUndefined();
    expect(schemaOf("desc")).toMatchObject({ type: "boolean", default: true });
    expect(parameter("queryCalendars", "sourceType")).toMatchObject({
      style: "form",
      explode: true,
      schema: { type: "array", items: { type: "integer", format: "int32" } },
    });
    expect(parameter("queryCalendars", "sourceType").description).toMatch(/does not say how they are sent/);
    expect(list.operation.description).toMatch(/declares every query parameter of this operation as a string/);
  });

  test("states the rule OpenAPI cannot: at least one bound of the range, in either form", () => {
    expect(list.operation.description).toMatch(/At least one bound is required/);
    expect(list.operation.description).toMatch(/400 with code 20012/);
    // …and says it to the tools too (the SDK's rules and the stateful mock read it): one group of all four.
    expect(list.operation["x-required-one-of"]).toEqual([["startTime", "startTimeMs", "endTime", "endTimeMs"]]);
  });

  test("answers {data: {total, page, pageSize, items}} with closed items of Lofty's fields", () => {
    expect(schemas.CalendarListResponse).toMatchObject({ additionalProperties: false, required: ["data"] });
    const result = schemas.CalendarListResult;
    expect(result).toMatchObject({ additionalProperties: false, required: ["total", "items"] });
    expect(result.properties.total).toMatchObject({ type: "integer", format: "int64" });
    expect(result.properties.page).toMatchObject({ type: "integer", format: "int32" });
    expect(result.properties.pageSize).toMatchObject({ type: "integer", format: "int32" });
    expect(result.properties.items).toMatchObject({
      type: "array",
      items: { $ref: "#/components/schemas/CalendarItem" },
    });
    const item = schemas.CalendarItem;
    expect(item).toMatchObject({ additionalProperties: false, required: ["id", "type"] });
    expect(item.description).toMatch(/Lofty marks none of its fields required/);
    expect(Object.keys(item.properties)).toEqual([
      "id",
      "type",
      "taskId",
      "sourceType",
      "content",
      "title",
      "finished",
      "startAt",
      "endAt",
      "startAtMs",
      "endAtMs",
      "timeZoneCode",
      "leadId",
    ]);
    expect(item.properties.type).toEqual({ $ref: "#/components/schemas/EventType" });
    expect(item.properties.taskId).toMatchObject({ type: "integer", format: "int64" });
    expect(item.properties.sourceType).toMatchObject({ type: "integer", format: "int32" });
    expect(item.properties.finished).toMatchObject({ type: "boolean" });
    expect(item.properties.title.description).toMatch(/lead's name and the event type/);
    // Lofty's exact string format of these is open (a sibling endpoint answers `…T15:00:00GMT`): no format.
    for (const name of ["startAt", "endAt"]) {
      expect(item.properties[name], name).toMatchObject({ type: "string" });
      expect(item.properties[name].format, name).toBeUndefined();
    }
    expect(item.properties.startAtMs).toMatchObject({ type: "integer", format: "int64" });
    expect(deref(item.properties.leadId)).toMatchObject({ type: "integer", format: "int64" });
    const validate = validatorFor("#/components/schemas/CalendarItem");
    expect(validate({ id: "12-task", type: "TASK", startAt: "2026-03-01T15:00:00GMT" })).toBe(true);
    expect(validate({ id: "12-task", type: "TASK", extra: 1 })).toBe(false);
    expect(validate({ id: "12-task" })).toBe(false);
  });

  test("has named answers events and empty", () => {
    expect(Object.keys(responseExamples(list, 200))).toEqual(["events", "empty"]);
    expect(responseExamples(list, 200).empty.data).toMatchObject({ total: 0, items: [] });
  });
});

describe("updateCalendar", () => {
  const update = operationById("updateCalendar");
  const body = schemas.CalendarUpdateRequest;
  const validate = validatorFor("#/components/schemas/CalendarUpdateRequest");

  test("takes a closed partial body of Lofty's fields, none required, at least one", () => {
    expect(update.operation.requestBody.required).toBe(true);
    expect(update.operation.requestBody.content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/CalendarUpdateRequest",
    });
    expect(body).toMatchObject({ type: "object", additionalProperties: false, minProperties: 1 });
    expect(body.required).toBeUndefined();
    expect(Object.keys(body.properties)).toEqual([
      "content",
      "startAt",
      "endAt",
      "startAtMs",
      "endAtMs",
      "timeZoneCode",
      "reminderType",
      "reminderTime",
      "leadId",
      "address",
    ]);
    expect(body.properties.startAt).toEqual({ $ref: "#/components/schemas/StartAt" });
    expect(body.properties.endAtMs).toEqual({ $ref: "#/components/schemas/EndAtMs" });
    expect(body.properties.leadId).toEqual({ $ref: "#/components/schemas/LeadId" });
    expect(body.properties.reminderType).toMatchObject({ type: "string" });
    expect(body.properties.reminderTime).toMatchObject({ type: "string" });
    expect(body.description).toMatch(/stricter/);
  });

  test("refuses what cannot change, unknown fields and an empty body", () => {
    for (const bad of [
      {},
      { type: "TASK" },
      { taskWay: "Call" },
      { assignedRole: "Agent" },
      { contnet: "typo" },
      { startAt: "2027-03-01T16:00" },
      { leadId: "563172647619608" },
    ]) {
      expect(validate(bad), JSON.stringify(bad)).toBe(false);
    }
  });

  test("has named requests reschedule and content, and answers {message} without data", () => {
    const examples = requestExamples(update);
    expect(Object.keys(examples)).toEqual(["reschedule", "content"]);
    for (const [name, example] of Object.entries(examples)) expect(validate(example), name).toBe(true);
    expect(responseExamples(update, 200)).toEqual({ updated: { message: "Calendar updated successfully" } });
  });
});

describe("deleteCalendar, finishCalendar and unfinishCalendar", () => {
  test("take no body and answer the shared {message} schema (200, not 204)", () => {
    for (const id of idOperations) {
      const op = operationById(id);
      if (id !== "updateCalendar") expect(op.operation.requestBody, id).toBeUndefined();
      expect(responseMedia(op, 200).schema, id).toEqual({ $ref: "#/components/schemas/MessageResponse" });
    }
    expect(schemas.MessageResponse).toMatchObject({
      additionalProperties: false,
      required: ["message"],
      properties: { message: { type: "string" } },
    });
    expect(Object.keys(responseExamples(operationById("deleteCalendar"), 200))).toEqual(["deleted"]);
    expect(Object.keys(responseExamples(operationById("finishCalendar"), 200))).toEqual(["finished"]);
    expect(Object.keys(responseExamples(operationById("unfinishCalendar"), 200))).toEqual(["unfinished"]);
  });
});

describe("getAvailableMeetings", () => {
  const meetings = operationById("getAvailableMeetings");

  test("takes Lofty's six parameters (no leadId), limit at least 1 with default 10", () => {
    expect(parametersOf(meetings).map((p) => p.name)).toEqual([
      "startTime",
      "endTime",
      "startTimeMs",
      "endTimeMs",
      "timeZoneCode",
      "limit",
    ]);
    expect(deref(parameter("getAvailableMeetings", "limit").schema)).toMatchObject({
      type: "integer",
      format: "int32",
      minimum: 1,
      default: 10,
    });
    expect(deref(parameter("getAvailableMeetings", "limit").schema).maximum).toBeUndefined();
  });

  test("states the range rules: start and end required, start in the future, end after it, at most 90 days", () => {
    // A start and an end, each in one form: one x-required-one-of group per bound, naming declared parameters.
    expect(meetings.operation["x-required-one-of"]).toEqual([
      ["startTime", "startTimeMs"],
      ["endTime", "endTimeMs"],
    ]);
    const description: string = meetings.operation.description;
    expect(description).toMatch(/are both required/);
    expect(description).toMatch(/later than Lofty's current time/);
    expect(description).toMatch(/the end later than the start/);
    expect(description).toMatch(/at most 90\s+days/);
  });

  test("answers {data: {total, slots}} with closed slots named startTime/endTime", () => {
    expect(schemas.AvailableMeetingsResponse).toMatchObject({ additionalProperties: false, required: ["data"] });
    const result = schemas.AvailableMeetingsResult;
    expect(result).toMatchObject({ additionalProperties: false, required: ["total", "slots"] });
    expect(result.properties.total).toMatchObject({ type: "integer", format: "int32" });
    expect(result.properties.slots.items).toEqual({ $ref: "#/components/schemas/MeetingSlot" });
    const slot = schemas.MeetingSlot;
    expect(slot.additionalProperties).toBe(false);
    expect(Object.keys(slot.properties)).toEqual(["startTime", "endTime", "startTimeMs", "endTimeMs"]);
    expect(slot.properties.startTime.format).toBeUndefined();
    expect(slot.properties.startTimeMs).toMatchObject({ type: "integer", format: "int64" });
    expect(Object.keys(responseExamples(meetings, 200))).toEqual(["slots", "none"]);
  });
});

describe("portability to other generators (issue 14)", () => {
  test("no `const` anywhere: one-value enums instead", () => {
    const found: string[] = [];
    walk(spec, (_value, key, path) => {
      if (key === "const" && !/\.(properties|examples)\.const$/.test(path)) found.push(path);
    });
    expect(found).toEqual([]);
  });
});

describe("the examples", () => {
  /** Every example of the spec: named request/response examples, schema and parameter examples. */
  function allExamples(): Array<[string, unknown]> {
    const found: Array<[string, unknown]> = [];
    walk(spec, (value, key, path) => {
      if (key === "example") found.push([path, value]);
      if (key === "value" && /\.examples\.[^.]+\.value$/.test(path)) found.push([path, value]);
    });
    return found;
  }

  const pairs = [
    ["startAt", "startAtMs"],
    ["endAt", "endAtMs"],
    ["startTime", "startTimeMs"],
    ["endTime", "endTimeMs"],
  ] as const;

  /** The instant a record's start or end denotes: its string form, or else its epoch-ms form. */
  function instantOf(record: Record<string, unknown>, name: "start" | "end"): number {
    const iso = record[`${name}At`] ?? record[`${name}Time`];
    if (typeof iso === "string") return Date.parse(iso);
    return Number(record[`${name}AtMs`] ?? record[`${name}TimeMs`]);
  }

  test("every string and epoch-ms time lies in the future (Lofty refuses times not later than now)", () => {
    const now = Date.now();
    let checked = 0;
    for (const [path, example] of allExamples()) {
      walk({ example }, (value, key) => {
        const isIso = typeof value === "string" && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(value);
        const isMs = typeof value === "number" && /(At|Time)Ms$/.test(key);
        if (!isIso && !isMs) return;
        checked++;
        expect(isIso ? Date.parse(value) : value, `${path} ${key}=${String(value)}`).toBeGreaterThan(now);
      });
    }
    expect(checked).toBeGreaterThan(20);
  });

  test("each string/ms pair denotes the same instant, and each end comes after its start", () => {
    let checked = 0;
    for (const [path, example] of allExamples()) {
      walk({ example }, (value) => {
        if (value === null || typeof value !== "object") return;
        const record = value as Record<string, unknown>;
        for (const [iso, ms] of pairs) {
          if (typeof record[iso] === "string" && typeof record[ms] === "number") {
            checked++;
            expect(Date.parse(record[iso]), `${path} ${iso} vs ${ms}`).toBe(record[ms]);
          }
        }
        if (Object.keys(record).some((k) => k.startsWith("end"))) {
          expect(instantOf(record, "end"), `${path}: end after start`).toBeGreaterThan(instantOf(record, "start"));
        }
      });
    }
    expect(checked).toBeGreaterThan(10);
  });

  test("the range parameters' examples denote the same instants in both forms", () => {
    const example = (name: string) => deref(spec.components.parameters[name].schema).example;
    expect(Date.parse(example("StartTime"))).toBe(example("StartTimeMs"));
    expect(Date.parse(example("EndTime"))).toBe(example("EndTimeMs"));
  });

  test("an all-day appointment example has both times exactly at midnight in their offsets", () => {
    const allDay = requestExamples(operationById("createCalendar")).allDayAppointment;
    expect(allDay.type).toBe("APPOINTMENT");
    for (const time of [allDay.startAt, allDay.endAt]) expect(time).toMatch(/T00:00:00[+-]\d\d:\d\d$/);
  });
});
