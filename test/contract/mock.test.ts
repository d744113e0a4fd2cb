// The Prism mock (`npm start`) serves every operation of the spec like Lofty answers: the README's request, named
// examples, Prefer scenarios, refused requests, headers, auth and CORS. Every answer is checked against the spec.
import { describe, expect, inject, test } from "vitest";
import {
  calendarIdExample,
  callUrl,
  parameterSchema,
  send as sendTo,
  validCall,
  type Call,
} from "../support/mock-calls.js";
import { parseCurl, readmeBlocks } from "../support/readme.js";
import {
  deref,
  omit,
  operationById,
  operations,
  parametersOf,
  requestExamples,
  responseExamples,
  responseValidator,
  type SpecOperation,
} from "../support/spec.js";

const mockUrl = inject("mockUrl");
const rateLimitHeaders = ["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"];
const errorStatuses = [400, 401, 403, 429, 500];

const create = operationById("createCalendar");
const createExamples = requestExamples(create);
const update = operationById("updateCalendar");
const list = operationById("queryCalendars");
const meetings = operationById("getAvailableMeetings");

/** A query parameter's example, from the spec. */
const parameterExample = (op: SpecOperation, name: string) => parameterSchema(op, name).example;
/** Sends a call to the mock. */
const send = (op: SpecOperation, call: Call = {}) => sendTo(mockUrl, op, call);

/** Asserts the three rate-limit headers are there, as non-negative integers, and returns them. */
function expectRateLimitHeaders(response: Response, label = "") {
  const values = rateLimitHeaders.map((name) => response.headers.get(name));
  for (const [i, value] of values.entries()) {
    expect(value, `${label} ${rateLimitHeaders[i]}`).toMatch(/^\d+$/);
  }
  return values.map(Number);
}

/** Asserts an answer: its status, JSON valid against the spec's schema for that status, the rate-limit headers. */
async function expectAnswer(response: Response, op: SpecOperation, status: number, label = "") {
  const where = `${op.id} ${label}`;
  expect(response.status, where).toBe(status);
  expect(response.headers.get("content-type"), where).toMatch(/^application\/json/);
  const json = await response.json();
  const validate = responseValidator(op, status);
  expect(validate(json), `${where} ${JSON.stringify(json)} ${JSON.stringify(validate.errors)}`).toBe(true);
  const [, remaining] = expectRateLimitHeaders(response, where);
  if (status === 429) expect(remaining, where).toBe(0);
  return json;
}

/** The operation a request goes to, by method and path (a `{calendarId}` matches one segment). */
function operationAt(method: string, pathname: string) {
  const template = (path: string) => new RegExp(`^${path.replace(/\{[^}]+\}/g, "[^/]+")}$`);
  return operations.find((op) => op.method.toUpperCase() === method && template(op.path).test(pathname));
}

/** The first named example of an operation's answer with this status: what Prism answers by default. */
const firstExample = (op: SpecOperation, status: number) => Object.values(responseExamples(op, status))[0];

describe("the README's requests", () => {
  test("the curl example is answered 200 with the envelope and the rate-limit headers", async () => {
    const curl = readmeBlocks("sh").find((block) => block.includes("curl"));
    expect(curl).toBeDefined();
    const { method, url, headers, body } = parseCurl(curl!);
    const response = await fetch(url.replace("http://127.0.0.1:4010", mockUrl), { method, headers, body });
    const json = await expectAnswer(response, create, 200);
    expect(json.data.type).toBe("TASK");
  });

  test("the Prefer curl examples answer what they ask for", async () => {
    const examples = readmeBlocks("sh").filter((block) => block.includes("curl") && block.includes("Prefer: code="));
    expect(examples.length).toBeGreaterThan(0);
    for (const block of examples) {
      const { method, url, headers, body } = parseCurl(block);
      const target = operationAt(method, new URL(url).pathname);
      expect(target, block).toBeDefined();
      const response = await fetch(url.replace("http://127.0.0.1:4010", mockUrl), { method, headers, body });
      const code = Number(/code=(\d{3})/.exec(headers.Prefer ?? "")?.[1]);
      await expectAnswer(response, target!, code, block);
    }
  });
});

describe.each(operations.map((op) => [op.id, op] as const))("%s on the mock", (_id, op) => {
  test("a spec-valid request is answered 200 with the first named example", async () => {
    const json = await expectAnswer(await send(op, validCall(op)), op, 200);
    expect(json).toEqual(firstExample(op, 200));
  });

  test("Prefer: example=<name> picks each named answer", async () => {
    const examples = Object.entries(responseExamples(op, 200));
    expect(examples.length).toBeGreaterThan(0);
    for (const [name, value] of examples) {
      const response = await send(op, { ...validCall(op), headers: { Prefer: `example=${name}` } });
      expect(await expectAnswer(response, op, 200, name)).toEqual(value);
    }
  });

  test.each(errorStatuses)("Prefer: code=%i answers that status with its first example", async (status) => {
    const response = await send(op, { ...validCall(op), headers: { Prefer: `code=${status}` } });
    expect(await expectAnswer(response, op, status, `code=${status}`)).toEqual(firstExample(op, status));
  });

  test("Prefer: code=400, example=permissionDenied answers code 20017", async () => {
    const response = await send(op, { ...validCall(op), headers: { Prefer: "code=400, example=permissionDenied" } });
    expect(await expectAnswer(response, op, 400)).toEqual(responseExamples(op, 400).permissionDenied);
    expect(responseExamples(op, 400).permissionDenied.code).toBe(20017);
  });

  test("no Authorization is a 401 with Lofty's body, whatever Prefer asks", async () => {
    const call = validCall(op);
    const response = await fetch(callUrl(mockUrl, op, call), {
      method: op.method.toUpperCase(),
      headers: { "Content-Type": "application/json", Prefer: "code=500" },
      ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
    });
    expect(await expectAnswer(response, op, 401)).toEqual(firstExample(op, 401));
  });
});

/** Asserts the mock refused a request as Lofty does: 400 with the first 400 example (code 20012). */
async function expectRefused(op: SpecOperation, call: Call, label: string) {
  const json = await expectAnswer(await send(op, call), op, 400, label);
  expect(json, `${op.id} ${label}`).toEqual(firstExample(op, 400));
  expect(json.code).toBe(20012);
}

describe("a malformed calendarId is a 400 with code 20012", () => {
  const idOperations = operations.filter((op) => op.path.includes("{calendarId}"));
  test.each(
    idOperations.flatMap((op) =>
      ["abc", "12-meeting", "12-Task", "-task", "12345678901234567890-task"].map((id) => [op.id, id, op] as const),
    ),
  )("%s with %j", async (_id, calendarId, op) => {
    await expectRefused(op, { ...validCall(op), calendarId }, calendarId);
  });

  test("both kinds of id the create returns are accepted as they are", async () => {
    const ids = Object.values(responseExamples(create, 200)).map((e) => e.data.id as string);
    expect(ids.some((id) => id.endsWith("-task")) && ids.some((id) => id.endsWith("-appointment"))).toBe(true);
    for (const op of idOperations) {
      for (const calendarId of ids) await expectAnswer(await send(op, { ...validCall(op), calendarId }), op, 200);
    }
  });
});

describe("createCalendar's body", () => {
  const { task, appointment } = createExamples;

  test("every request example of the spec is accepted", async () => {
    for (const [name, body] of Object.entries(createExamples)) {
      await expectAnswer(await send(create, { body }), create, 200, name);
    }
  });

  test("a start and an end are accepted in either form", async () => {
    const { startAt, startAtMs, endAt, endAtMs, ...timeless } = task;
    for (const times of [
      { startAt, endAt },
      { startAt, endAtMs },
      { startAtMs, endAt },
      { startAtMs, endAtMs },
    ]) {
      await expectAnswer(
        await send(create, { body: { ...timeless, ...times } }),
        create,
        200,
        Object.keys(times).join(),
      );
    }
  });

  const taskWithoutContent = omit(task, "content");
  const taskWithoutTaskWay = omit(task, "taskWay");
  const taskWithoutStart = omit(task, "startAt", "startAtMs");
  const taskWithoutEnd = omit(task, "endAt", "endAtMs");
  const appointmentWithoutStart = omit(appointment, "startAt", "startAtMs");
  test.each([
    ["no start (neither startAt nor startAtMs)", taskWithoutStart],
    ["no end (neither endAt nor endAtMs)", taskWithoutEnd],
    ["an APPOINTMENT without a start", appointmentWithoutStart],
    ["a TASK without taskWay", taskWithoutTaskWay],
    ["an unknown (misspelt) field", { ...task, way: "Call" }],
    ["a TASK-only field on an APPOINTMENT", { ...appointment, taskWay: "Call" }],
    ["an APPOINTMENT-only field on a TASK", { ...task, address: "123 Maple Street" }],
    ["a bad enum value", { ...task, taskWay: "Fax" }],
    ["a bad type", { ...task, type: "MEETING" }],
    ["a lower-case type (stricter than Lofty)", { ...task, type: "task" }],
    ["a missing required field", taskWithoutContent],
    ["startAt without an offset", { ...task, startAt: "2027-03-01T14:00:00" }],
    ["leadId as a string", { ...task, leadId: "563172647619608" }],
  ])("%s is a 400 with code 20012", async (label, body) => {
    await expectRefused(create, { body }, label);
  });

  test("a named 400 example can be chosen with Prefer (code and example together)", async () => {
    const response = await send(create, {
      body: taskWithoutContent,
      headers: { Prefer: "code=400, example=missingParameter" },
    });
    expect(await expectAnswer(response, create, 400)).toEqual(responseExamples(create, 400).missingParameter);
  });

  test("known limitation: a leadId above 2^53 - 1 is refused, although Lofty's ids are int64", async () => {
    // Prism's OpenAPI reader (@stoplight/http-spec) turns `format: int64` into `maximum: Number.MAX_SAFE_INTEGER`.
    // Real lead ids (e.g. 563172647619608) are far below it. README: Mock server.
    const rawBody = JSON.stringify(task).replace(String(task.leadId), "9007199254740993");
    await expectRefused(create, { rawBody }, "leadId 9007199254740993");
  });
});

describe("updateCalendar's body", () => {
  test("every request example of the spec is accepted", async () => {
    for (const [name, body] of Object.entries(requestExamples(update))) {
      await expectAnswer(await send(update, { body }), update, 200, name);
    }
  });

  test.each([
    ["an empty body", {}],
    ["an unknown field", { contnet: "typo" }],
    ["type, which cannot change", { type: "APPOINTMENT" }],
    ["taskWay, which cannot change", { taskWay: "Email" }],
    ["assignedRole, which cannot change", { assignedRole: "Assistant" }],
    ["startAt without an offset", { startAt: "2027-03-01T16:00:00" }],
    ["leadId as a string", { leadId: "563172647619608" }],
  ])("%s is a 400 with code 20012", async (label, body) => {
    await expectRefused(update, { body }, label);
  });
});

describe("queryCalendars' parameters", () => {
  const start = { startTime: parameterExample(list, "startTime") };

  test("every parameter, each at its example, is accepted together", async () => {
    const query = Object.fromEntries(parametersOf(list).map((p) => [p.name, deref(p.schema).example]));
    await expectAnswer(await send(list, { query }), list, 200);
  });

  test("the bounds of page and pageSize, read from the spec, are accepted", async () => {
    const page = parameterSchema(list, "page");
    const pageSize = parameterSchema(list, "pageSize");
    const queries: Array<NonNullable<Call["query"]>> = [
      { page: page.minimum },
      { pageSize: pageSize.minimum },
      { pageSize: pageSize.maximum },
      { startTimeMs: parameterExample(list, "startTimeMs") },
      { endTime: parameterExample(list, "endTime"), sourceType: [1, 2] },
      { includeFinished: true, desc: false, sort: "endTime" },
    ];
    for (const query of queries) {
      await expectAnswer(await send(list, { query: { ...start, ...query } }), list, 200, JSON.stringify(query));
    }
  });

  test.each([
    ["pageSize above its maximum", () => ({ pageSize: Number(parameterSchema(list, "pageSize").maximum) + 1 })],
    ["pageSize below its minimum", () => ({ pageSize: Number(parameterSchema(list, "pageSize").minimum) - 1 })],
    ["page below its minimum", () => ({ page: Number(parameterSchema(list, "page").minimum) - 1 })],
    ["page not an integer", () => ({ page: "first" })],
    ["includeFinished not a boolean", () => ({ includeFinished: "yes" })],
    ["desc not a boolean", () => ({ desc: "down" })],
    ["leadId not an integer", () => ({ leadId: "lead-1" })],
    ["startTime without an offset", () => ({ startTime: "2027-03-01T00:00:00" })],
    ["startTimeMs not an integer", () => ({ startTimeMs: "soon" })],
    ["a sourceType that is not an integer", () => ({ sourceType: ["1", "x"] })],
  ])("%s is a 400 with code 20012", async (label, query) => {
    await expectRefused(list, { query: { ...start, ...query() } }, label);
  });

  test("known limitation: the rule that needs a bound is described, not enforced: no bound is still a 200", async () => {
    // OpenAPI cannot require one of several query parameters (Lofty answers 400 20012); the spec states the rule.
    expect(list.operation.description).toMatch(/At least one bound is required/);
    await expectAnswer(await send(list), list, 200);
  });

  test("known limitation: an undeclared query parameter (`type`) is not refused", async () => {
    // OpenAPI has no closed query string; the spec declares no `type` filter (Lofty has none) and Prism ignores it.
    expect(parametersOf(list).map((p) => p.name)).not.toContain("type");
    await expectAnswer(await send(list, { query: { ...start, type: "TASK" } }), list, 200);
  });
});

describe("getAvailableMeetings' parameters", () => {
  const range = validCall(meetings).query!;

  test("every parameter, each at its example, is accepted together", async () => {
    const query = Object.fromEntries(parametersOf(meetings).map((p) => [p.name, deref(p.schema).example]));
    await expectAnswer(await send(meetings, { query }), meetings, 200);
  });

  test("limit at its minimum, read from the spec, is accepted; below it is a 400 with code 20012", async () => {
    const limit = parameterSchema(meetings, "limit");
    await expectAnswer(await send(meetings, { query: { ...range, limit: limit.minimum } }), meetings, 200);
    await expectRefused(meetings, { query: { ...range, limit: Number(limit.minimum) - 1 } }, "limit below minimum");
    await expectRefused(meetings, { query: { ...range, limit: "ten" } }, "limit not an integer");
    await expectRefused(meetings, { query: { ...range, endTimeMs: "later" } }, "endTimeMs not an integer");
  });

  test("known limitation: the range rules are described, not enforced (no end, a range over 90 days)", async () => {
    expect(meetings.operation.description).toMatch(/at most 90\s+days/);
    const start = parameterExample(meetings, "startTimeMs") as number;
    await expectAnswer(await send(meetings, { query: { startTimeMs: start } }), meetings, 200, "no end");
    const farEnd = start + 91 * 24 * 3600 * 1000;
    await expectAnswer(await send(meetings, { query: { startTimeMs: start, endTimeMs: farEnd } }), meetings, 200);
  });
});

describe("Authorization, checked as Lofty does (the auth front before Prism, mocks/auth-front.mjs)", () => {
  const task = createExamples.task;
  test.each([
    ["another scheme", "Basic dXNlcjpwYXNz"],
    ["Bearer without a token", "Bearer"],
    ["token without a key", "token"],
    ["a bare token without a scheme", "my-access-token"],
    ["a credential with a space in it", "Bearer two words"],
    ["an unknown scheme", "Digest username=x"],
  ])("%s (%j) is a 401 with Lofty's body and the rate-limit headers", async (_, authorization) => {
    const response = await send(create, { body: task, headers: { Authorization: authorization } });
    expect(await expectAnswer(response, create, 401, authorization)).toEqual({
      code: "BAD_CREDENTIALS",
      message: "Bad credentials",
    });
  });

  test.each([
    ["an OAuth access token", "Bearer my-access-token"],
    ["an API key (a JWS)", "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"],
    ["a scheme in another case (RFC 9110: schemes are case-insensitive)", "bearer my-access-token"],
  ])("%s is accepted", async (_, authorization) => {
    const response = await send(create, { body: task, headers: { Authorization: authorization } });
    expect(response.status).toBe(200);
  });

  test("credentials are checked before the scenario: a malformed one with Prefer: code=500 is still a 401", async () => {
    const response = await send(create, { body: task, headers: { Authorization: "Basic abc", Prefer: "code=500" } });
    expect(response.status).toBe(401);
  });
});

describe("CORS, for a page on another origin", () => {
  const origin = "http://app.example.test:5173";

  test.each(["GET", "POST", "PUT", "DELETE"])(
    "the preflight of a %s with Authorization and Content-Type succeeds",
    async (method) => {
      const response = await fetch(`${mockUrl}/v2.0/calendar/${calendarIdExample}`, {
        method: "OPTIONS",
        headers: {
          Origin: origin,
          "Access-Control-Request-Method": method,
          "Access-Control-Request-Headers": "authorization, content-type",
        },
      });
      expect(response.status).toBeGreaterThanOrEqual(200);
      expect(response.status).toBeLessThan(300);
      expect([origin, "*"]).toContain(response.headers.get("access-control-allow-origin"));
      expect(response.headers.get("access-control-allow-methods")?.toUpperCase()).toContain(method);
      const allowed = (response.headers.get("access-control-allow-headers") ?? "").toLowerCase().split(/\s*,\s*/);
      expect(allowed).toEqual(expect.arrayContaining(["authorization", "content-type"]));
    },
  );

  test("the answer allows the origin and exposes the rate-limit headers", async () => {
    const response = await send(create, { body: createExamples.task, headers: { Origin: origin } });
    expect(response.status).toBe(200);
    expect([origin, "*"]).toContain(response.headers.get("access-control-allow-origin"));
    // `*` exposes every header to requests without credentials (fetch's default); else the names must be listed.
    const exposed = (response.headers.get("access-control-expose-headers") ?? "").toLowerCase().split(/\s*,\s*/);
    for (const name of rateLimitHeaders) expect(exposed.includes("*") || exposed.includes(name), name).toBe(true);
    expectRateLimitHeaders(response);
  });

  test("a 401 carries the CORS headers too, so the page can read it", async () => {
    const response = await send(list, { ...validCall(list), headers: { Origin: origin, Authorization: "Bearer" } });
    expect(response.status).toBe(401);
    expect([origin, "*"]).toContain(response.headers.get("access-control-allow-origin"));
  });
});
