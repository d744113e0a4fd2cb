// The spec says what Lofty documents (../shared/vendor/lofty-calendar-api.md), and its examples are self-consistent.
import { describe, expect, test } from "vitest";
import { createOperation, deref, namedExamples, spec, validatorFor } from "../support/spec.js";

const requestMedia = createOperation.requestBody.content["application/json"];
const responses: Record<string, any> = Object.fromEntries(
  Object.entries(createOperation.responses).map(([status, response]) => [status, deref(response)]),
);

describe("the createCalendarEvent operation", () => {
  test("is POST /v2.0/calendar on https://api.lofty.com, tagged Calendar", () => {
    expect(spec.openapi).toBe("3.1.0");
    expect(spec.servers.map((s: { url: string }) => s.url)).toEqual(["https://api.lofty.com"]);
    expect(createOperation.operationId).toBe("createCalendarEvent");
    expect(createOperation.tags).toEqual(["Calendar"]);
    expect(createOperation.description).toMatch(/startAt.*preferred|uses `startAt`/s);
  });

  test("answers exactly the documented statuses: no 201, no 422", () => {
    expect(Object.keys(createOperation.responses).sort()).toEqual(["200", "400", "401", "403", "404", "429", "500"]);
  });

  test("every response carries the three rate-limit headers", () => {
    for (const [status, response] of Object.entries(responses)) {
      expect(Object.keys(response.headers ?? {}).sort(), status).toEqual([
        "X-RateLimit-Limit",
        "X-RateLimit-Remaining",
        "X-RateLimit-Reset",
      ]);
    }
  });

  test("accepts a Bearer OAuth token or a `token` API key in Authorization", () => {
    expect(spec.security).toEqual([{ OAuthAccessToken: [] }, { ApiKey: [] }]);
    const schemes = spec.components.securitySchemes;
    expect(schemes.OAuthAccessToken).toMatchObject({ type: "http", scheme: "bearer" });
    expect(schemes.ApiKey).toMatchObject({ type: "apiKey", in: "header", name: "Authorization" });
    expect(schemes.ApiKey.description).toContain("Authorization: token <api_key>");
  });

  test("errors are Lofty's {code, message} body, code an integer or a string", () => {
    for (const status of ["400", "401", "403", "404", "429", "500"]) {
      expect(responses[status].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/Error" });
    }
    const error = spec.components.schemas.Error;
    expect(error.properties.code.type).toEqual(["integer", "string"]);
    expect(error.required).toEqual(["message"]);
  });

  test("error examples use the documented codes", () => {
    const codes = (status: string) =>
      Object.values(namedExamples(responses[status].content["application/json"])).map((e) => e.code);
    expect(codes("400")).toContain("INVALID_PARAMETER");
    expect(codes("401")).toContain("BAD_CREDENTIALS");
    expect(codes("403")).toEqual(expect.arrayContaining(["VENDOR_HAS_NO_PERMISSION", 200100]));
    expect(codes("404")).toContain("LEAD_NOT_EXIST");
    expect(Object.values(namedExamples(responses["429"].content["application/json"]))).toEqual([
      { message: "Too Many Requests" },
    ]);
  });
});

describe("the request body", () => {
  const schemas = spec.components.schemas;

  test("is a oneOf of TASK and APPOINTMENT with a discriminator on type", () => {
    expect(deref(requestMedia.schema)).toMatchObject({
      oneOf: [
        { $ref: "#/components/schemas/TaskCreateRequest" },
        { $ref: "#/components/schemas/AppointmentCreateRequest" },
      ],
      discriminator: { propertyName: "type" },
    });
  });

  test("each variant is flat, closed, and requires type, content, leadId and timeZoneCode", () => {
    for (const name of ["TaskCreateRequest", "AppointmentCreateRequest"]) {
      expect(schemas[name].additionalProperties, name).toBe(false);
      expect(schemas[name].allOf, name).toBeUndefined();
      expect(schemas[name].required, name).toEqual(["type", "content", "leadId", "timeZoneCode"]);
    }
    expect(Object.keys(schemas.TaskCreateRequest.properties)).toContain("taskWay");
    expect(Object.keys(schemas.TaskCreateRequest.properties)).not.toContain("address");
    expect(Object.keys(schemas.AppointmentCreateRequest.properties)).toContain("address");
    expect(Object.keys(schemas.AppointmentCreateRequest.properties)).not.toContain("taskWay");
  });

  test("fields carry the documented types, formats and enums", () => {
    expect(schemas.LeadId).toMatchObject({ type: "integer", format: "int64" });
    expect(schemas.StartAtMs).toMatchObject({ type: "integer", format: "int64" });
    expect(schemas.StartAt).toMatchObject({ type: "string", format: "date-time" });
    expect(schemas.TaskWay.enum).toEqual(["Call", "Email", "Text", "Other"]);
    expect(schemas.AssignedRole.enum).toEqual(["Agent", "Assistant"]);
    expect(schemas.EventType.enum).toEqual(["TASK", "APPOINTMENT"]);
  });
});

describe("the examples", () => {
  const requestExamples = namedExamples(requestMedia);
  const responseExamples = namedExamples(responses["200"].content["application/json"]);

  test("are named task and appointment, for requests and responses", () => {
    expect(Object.keys(requestExamples).sort()).toEqual(["appointment", "task"]);
    expect(Object.keys(responseExamples).sort()).toEqual(["appointment", "task"]);
    expect(requestExamples.task.type).toBe("TASK");
    expect(requestExamples.appointment.type).toBe("APPOINTMENT");
    expect(responseExamples.task.data.id).toMatch(/^\d+-task$/);
    expect(responseExamples.appointment.data.id).toMatch(/^\d+-appointment$/);
  });

  test("validate against their schemas", () => {
    const validate = validatorFor("#/components/schemas/CalendarEventCreateRequest");
    for (const [name, example] of Object.entries(requestExamples)) {
      expect(validate(example), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    const validateOk = validatorFor("#/components/schemas/CalendarCreateResponse");
    for (const [name, example] of Object.entries(responseExamples)) {
      expect(validateOk(example), `${name}: ${JSON.stringify(validateOk.errors)}`).toBe(true);
    }
    const validateError = validatorFor("#/components/schemas/Error");
    for (const status of ["400", "401", "403", "404", "429", "500"]) {
      for (const example of Object.values(namedExamples(responses[status].content["application/json"]))) {
        expect(validateError(example), `${status}: ${JSON.stringify(example)}`).toBe(true);
      }
    }
  });

  test("give startAt and startAtMs (and endAt and endAtMs) for the same instant", () => {
    const pairs = [...Object.values(requestExamples)].flatMap((e) => [
      [e.startAt, e.startAtMs],
      [e.endAt, e.endAtMs],
    ]);
    const checked = pairs.filter(([iso, ms]) => iso !== undefined && ms !== undefined);
    expect(checked.length).toBeGreaterThan(0);
    for (const [iso, ms] of checked) expect(Date.parse(iso), `${iso} vs ${ms}`).toBe(ms);
    for (const example of Object.values(requestExamples)) {
      expect(Date.parse(example.endAt)).toBeGreaterThan(Date.parse(example.startAt));
    }
  });

  test("the validator rejects what Lofty rejects", () => {
    const validate = validatorFor("#/components/schemas/CalendarEventCreateRequest");
    const task = requestExamples.task;
    const appointment = requestExamples.appointment;
    const { content: _content, ...noContent } = task;
    for (const bad of [
      { ...task, address: "123 Maple Street" },
      { ...appointment, taskWay: "Call" },
      { ...task, way: "Call" },
      { ...task, taskWay: "Fax" },
      noContent,
      { ...task, startAt: "2026-03-01T14:00" },
      { ...task, leadId: "563172647619608" },
    ]) {
      expect(validate(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});
