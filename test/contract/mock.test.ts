// The Prism mock serves the spec like Lofty answers: the README's request, named examples, errors, headers, auth, CORS.
import { describe, expect, inject, test } from "vitest";
import { parseCurl, readmeBlocks } from "../support/readme.js";
import { createOperation, namedExamples, validatorFor } from "../support/spec.js";

const mockUrl = inject("mockUrl");
const requestExamples = namedExamples(createOperation.requestBody.content["application/json"]);
const rateLimitHeaders = ["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"];

function post(body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${mockUrl}/v2.0/calendar`, {
    method: "POST",
    headers: { Authorization: "Bearer test-token", "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

/** Asserts the three rate-limit headers are there, as non-negative integers, and returns them. */
function expectRateLimitHeaders(response: Response, label = "") {
  const values = rateLimitHeaders.map((name) => response.headers.get(name));
  for (const [i, value] of values.entries()) {
    expect(value, `${label} ${rateLimitHeaders[i]}`).toMatch(/^\d+$/);
  }
  return values.map(Number);
}

/** Asserts a Lofty error answer: the status, `{code?, message}` valid against the Error schema, the rate-limit headers. */
async function expectLoftyError(response: Response, status: number, label = "") {
  expect(response.status, label).toBe(status);
  expect(response.headers.get("content-type"), label).toMatch(/^application\/json/);
  const json = await response.json();
  expect(validatorFor("#/components/schemas/Error")(json), `${label} ${JSON.stringify(json)}`).toBe(true);
  expect(
    Object.keys(json).every((key) => key === "code" || key === "message"),
    label,
  ).toBe(true);
  expectRateLimitHeaders(response, label);
  return json as { code?: string | number; message: string };
}

describe("the mock", () => {
  test("answers the README's curl example with 200, the envelope and the rate-limit headers", async () => {
    const curl = readmeBlocks("sh").find((block) => block.includes("curl"));
    expect(curl).toBeDefined();
    const { method, url, headers, body } = parseCurl(curl!);
    const response = await fetch(url.replace("http://127.0.0.1:4010", mockUrl), { method, headers, body });
    expect(response.status).toBe(200);
    const json = await response.json();
    expect(validatorFor("#/components/schemas/CalendarCreateResponse")(json)).toBe(true);
    expect(json.data.type).toBe("TASK");
    for (const name of rateLimitHeaders) {
      expect(Number(response.headers.get(name)), name).toBeGreaterThanOrEqual(0);
    }
  });

  test("accepts every request example of the spec", async () => {
    for (const [name, example] of Object.entries(requestExamples)) {
      const response = await post(example);
      expect(response.status, name).toBe(200);
      // Static Prism answers the first (task) example whatever was sent; `Prefer` picks another.
      expect(validatorFor("#/components/schemas/CalendarCreateResponse")(await response.json()), name).toBe(true);
    }
  });

  test("Prefer: example=appointment selects the appointment reply", async () => {
    const response = await post(requestExamples.appointment, { Prefer: "example=appointment" });
    expect(response.status).toBe(200);
    expect((await response.json()).data).toMatchObject({
      type: "APPOINTMENT",
      id: expect.stringMatching(/-appointment$/),
    });
  });

  test("an API key with the `token` prefix is accepted too", async () => {
    const response = await post(requestExamples.task, { Authorization: "token test-api-key" });
    expect(response.status).toBe(200);
  });

  test("no Authorization header is a 401 with Lofty's body", async () => {
    const response = await fetch(`${mockUrl}/v2.0/calendar`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(requestExamples.task),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ code: "BAD_CREDENTIALS", message: "Bad credentials" });
  });

  test("an address on a TASK is a 400 with {code, message}", async () => {
    const response = await post({ ...requestExamples.task, address: "123 Maple Street" });
    expect(response.status).toBe(400);
    const json = await response.json();
    expect(validatorFor("#/components/schemas/Error")(json)).toBe(true);
  });
});

describe("Authorization, checked as Lofty does (the auth front before Prism, mocks/auth-front.mjs)", () => {
  test.each([
    ["another scheme", "Basic dXNlcjpwYXNz"],
    ["Bearer without a token", "Bearer"],
    ["token without a key", "token"],
    ["a bare token without a scheme", "my-access-token"],
    ["a credential with a space in it", "Bearer two words"],
    ["an unknown scheme", "Digest username=x"],
  ])("%s (%j) is a 401 with Lofty's body and the rate-limit headers", async (_, authorization) => {
    const response = await post(requestExamples.task, { Authorization: authorization });
    expect(await expectLoftyError(response, 401, authorization)).toEqual({
      code: "BAD_CREDENTIALS",
      message: "Bad credentials",
    });
  });

  test.each([
    ["an OAuth access token", "Bearer my-access-token"],
    ["an API key (a JWS)", "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"],
    ["a scheme in another case (RFC 9110: schemes are case-insensitive)", "bearer my-access-token"],
  ])("%s is accepted", async (_, authorization) => {
    const response = await post(requestExamples.task, { Authorization: authorization });
    expect(response.status).toBe(200);
  });

  test("credentials are checked before the scenario: a malformed one with Prefer: code=500 is still a 401", async () => {
    const response = await post(requestExamples.task, { Authorization: "Basic abc", Prefer: "code=500" });
    expect(response.status).toBe(401);
  });
});

describe("an invalid body is a 400 with {code, message}", () => {
  const { task, appointment } = requestExamples;
  const { content: _content, ...taskWithoutContent } = task;
  test.each([
    ["an unknown (misspelt) field", { ...task, way: "Call" }],
    ["a TASK-only field on an APPOINTMENT", { ...appointment, taskWay: "Call" }],
    ["an APPOINTMENT-only field on a TASK", { ...task, address: "123 Maple Street" }],
    ["a bad enum value", { ...task, taskWay: "Fax" }],
    ["a bad type", { ...task, type: "MEETING" }],
    ["a missing required field", taskWithoutContent],
    ["startAt without an offset", { ...task, startAt: "2026-03-01T14:00:00" }],
    ["leadId as a string", { ...task, leadId: "563172647619608" }],
  ])("%s", async (label, body) => {
    const json = await expectLoftyError(await post(body), 400, label);
    expect(json.code, label).toBe("INVALID_PARAMETER");
  });

  test("a named 400 example can be chosen with Prefer (code and example together)", async () => {
    const { content: _c, ...body } = task;
    const response = await post(body, { Prefer: "code=400, example=missingParameter" });
    expect(await expectLoftyError(response, 400)).toEqual({ code: "MISSING_PARAMETER", message: "Missing parameter" });
  });

  test("known limitation: a leadId above 2^53 - 1 is refused, although Lofty's ids are int64", async () => {
    // Prism's OpenAPI reader (@stoplight/http-spec) turns `format: int64` into `maximum: Number.MAX_SAFE_INTEGER`.
    // Real lead ids (e.g. 563172647619608) are far below it. README: Mock server.
    const response = await fetch(`${mockUrl}/v2.0/calendar`, {
      method: "POST",
      headers: { Authorization: "Bearer test-token", "Content-Type": "application/json" },
      body: JSON.stringify(task).replace(String(task.leadId), "9007199254740993"),
    });
    expect(response.status).toBe(400);
  });
});

describe("scenarios with Prefer", () => {
  test.each([
    ["example=task", "TASK", /^\d+-task$/],
    ["example=appointment", "APPOINTMENT", /^\d+-appointment$/],
  ])("%s answers 200 with that example", async (prefer, type, id) => {
    const response = await post(requestExamples.task, { Prefer: prefer });
    expect(response.status).toBe(200);
    const json = await response.json();
    expect(validatorFor("#/components/schemas/CalendarCreateResponse")(json)).toBe(true);
    expect(json.data).toMatchObject({ type, id: expect.stringMatching(id) });
    expectRateLimitHeaders(response, prefer);
  });

  test.each([
    [400, { code: "INVALID_PARAMETER", message: "Invalid parameter" }],
    [401, { code: "BAD_CREDENTIALS", message: "Bad credentials" }],
    [403, { code: "VENDOR_HAS_NO_PERMISSION", message: "Vendor has no permission" }],
    [404, { code: "LEAD_NOT_EXIST", message: "Lead does not exist" }],
    [429, { message: "Too Many Requests" }],
    [500, { message: "BaseApplicationException:errorCode=20005,errorMsg=System error" }],
  ])("code=%i answers that status with Lofty's body and the rate-limit headers", async (status, body) => {
    const response = await post(requestExamples.task, { Prefer: `code=${status}` });
    expect(await expectLoftyError(response, status, `code=${status}`)).toEqual(body);
  });

  test("the README's Prefer curl examples answer what they ask for", async () => {
    const examples = readmeBlocks("sh").filter((block) => block.includes("curl") && block.includes("Prefer: code="));
    expect(examples.length).toBeGreaterThan(0);
    for (const block of examples) {
      const { method, url, headers, body } = parseCurl(block);
      const response = await fetch(url.replace("http://127.0.0.1:4010", mockUrl), { method, headers, body });
      const code = Number(/code=(\d{3})/.exec(headers.Prefer ?? "")?.[1]);
      await expectLoftyError(response, code, block);
      if (code === 429) expect(response.headers.get("x-ratelimit-remaining")).toBe("0");
    }
  });

  test("a 429 says the window is used up: X-RateLimit-Remaining is 0", async () => {
    const response = await post(requestExamples.task, { Prefer: "code=429" });
    expect(response.status).toBe(429);
    const [limit, remaining, reset] = expectRateLimitHeaders(response);
    expect(remaining).toBe(0);
    expect(limit).toBeGreaterThan(0);
    expect(reset).toBeGreaterThan(1_700_000_000); // UTC epoch seconds
  });
});

describe("CORS, for a page on another origin", () => {
  const origin = "http://app.example.test:5173";

  test("the preflight of a POST with Authorization and Content-Type succeeds", async () => {
    const response = await fetch(`${mockUrl}/v2.0/calendar`, {
      method: "OPTIONS",
      headers: {
        Origin: origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
      },
    });
    expect(response.status).toBeGreaterThanOrEqual(200);
    expect(response.status).toBeLessThan(300);
    expect([origin, "*"]).toContain(response.headers.get("access-control-allow-origin"));
    expect(response.headers.get("access-control-allow-methods")?.toUpperCase()).toContain("POST");
    const allowed = (response.headers.get("access-control-allow-headers") ?? "").toLowerCase().split(/\s*,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(["authorization", "content-type"]));
  });

  test("the answer allows the origin and exposes the rate-limit headers", async () => {
    const response = await post(requestExamples.task, { Origin: origin });
    expect(response.status).toBe(200);
    expect([origin, "*"]).toContain(response.headers.get("access-control-allow-origin"));
    // `*` exposes every header to requests without credentials (fetch's default); else the names must be listed.
    const exposed = (response.headers.get("access-control-expose-headers") ?? "").toLowerCase().split(/\s*,\s*/);
    for (const name of rateLimitHeaders) expect(exposed.includes("*") || exposed.includes(name), name).toBe(true);
    expectRateLimitHeaders(response);
  });

  test("a 401 carries the CORS headers too, so the page can read it", async () => {
    const response = await post(requestExamples.task, { Origin: origin, Authorization: "Bearer" });
    expect(response.status).toBe(401);
    expect([origin, "*"]).toContain(response.headers.get("access-control-allow-origin"));
  });
});
