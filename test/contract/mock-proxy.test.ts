// `npm run mock:proxy -- <upstream-url>`: Prism's validation proxy (`prism proxy spec/openapi.yaml <upstream> --errors`)
// checks real traffic against the spec. Here the upstream is a fake Lofty on 127.0.0.1 (test/support/upstream.ts).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { startPrism } from "../../mocks/prism.mjs";
import { calendarIdExample, parameterSchema, send as sendTo, validCall, type Call } from "../support/mock-calls.js";
import { operationById, operations, requestExamples, responseExamples, type SpecOperation } from "../support/spec.js";
import { startFakeUpstream, type FakeUpstream } from "../support/upstream.js";

const task = requestExamples(operationById("createCalendar")).task;
const rateLimit = { "X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "42", "X-RateLimit-Reset": "1803938460" };

let upstream: FakeUpstream;
let proxy: Awaited<ReturnType<typeof startPrism>>;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  proxy = await startPrism({ command: "proxy", upstream: upstream.url });
});
afterAll(async () => {
  // Either may be unset when beforeAll failed half-way.
  await (proxy as typeof proxy | undefined)?.stop();
  await (upstream as FakeUpstream | undefined)?.close();
});
beforeEach(() => {
  upstream.requests.length = 0;
});

function send(
  body: string = JSON.stringify(task),
  headers: Record<string, string> = { Authorization: "token test-api-key" },
) {
  return fetch(`${proxy.url}/v2.0/calendar`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body,
  });
}

/** The `sl-violations` header Prism adds when something breaks the spec, parsed (or [] when absent). */
function violations(response: Response): Array<{ location: string[]; severity: string; message: string }> {
  const header = response.headers.get("sl-violations");
  return header ? JSON.parse(header) : [];
}

describe("npm run mock:proxy", () => {
  test('a wrong-shaped answer (200 {"id": 1}) is reported: a 500 problem+json and an sl-violations header', async () => {
    upstream.answer = { status: 200, headers: { "Content-Type": "application/json", ...rateLimit }, body: '{"id": 1}' };
    const response = await send();

    expect(upstream.requests).toHaveLength(1); // it was forwarded: the upstream may have acted on it
    expect(response.status).toBe(500);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const problem = await response.json();
    expect(problem.type).toMatch(/#VIOLATIONS$/);
    const messages = problem.validation.map((v: { message: string }) => v.message).join("\n");
    expect(messages).toContain("must have required property 'data'");
    expect(messages).toContain("must NOT have additional properties; found 'id'");
    expect(violations(response)).toEqual(problem.validation);
    expect(violations(response).every((v) => v.location[0] === "response" && v.severity === "Error")).toBe(true);
  });

  test("a correct answer passes through unchanged: status, body bytes, rate-limit and other headers", async () => {
    const body = '{"data":{"id":"12345-task","type":"TASK","message":"Task created successfully"}}';
    upstream.answer = {
      status: 200,
      headers: { "Content-Type": "application/json", "X-Request-Id": "req-1", ...rateLimit },
      body,
    };
    const response = await send();

    expect(response.status).toBe(200);
    expect(await response.text()).toBe(body);
    expect(response.headers.get("sl-violations")).toBeNull();
    for (const [name, value] of Object.entries({ ...rateLimit, "X-Request-Id": "req-1" })) {
      expect(response.headers.get(name), name).toBe(value);
    }
    // …and the request reached the upstream as it was sent, credentials included.
    expect(upstream.requests).toHaveLength(1);
    expect(upstream.requests[0]).toMatchObject({ method: "POST", url: "/v2.0/calendar", body: JSON.stringify(task) });
    expect(upstream.requests[0]!.headers.authorization).toBe("token test-api-key");
  });

  test("a documented Lofty error passes through unchanged", async () => {
    const body = '{"code":"BAD_CREDENTIALS","message":"Bad credentials"}';
    upstream.answer = { status: 401, headers: { "Content-Type": "application/json", ...rateLimit }, body };
    const response = await send();
    expect(response.status).toBe(401);
    expect(await response.text()).toBe(body);
    expect(response.headers.get("sl-violations")).toBeNull();
  });

  test("an undocumented status passes through with a warning in sl-violations", async () => {
    upstream.answer = { status: 418, headers: { "Content-Type": "application/json" }, body: '{"message":"teapot"}' };
    const response = await send();
    expect(response.status).toBe(418);
    expect(violations(response)).toEqual([expect.objectContaining({ location: ["response"], severity: "Warning" })]);
  });

  test("a request that breaks the spec is answered by Prism (422) and never reaches the upstream", async () => {
    upstream.answer = { status: 200, headers: { "Content-Type": "application/json" }, body: "{}" };
    const response = await send(JSON.stringify({ ...task, taskWay: "Fax" }));
    expect(response.status).toBe(422);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(upstream.requests).toHaveLength(0);
  });

  test("without an upstream URL it says how to call it, and starts nothing", () => {
    const run = spawnSync(
      process.execPath,
      [fileURLToPath(new URL("../../mocks/start.mjs", import.meta.url)), "--proxy"],
      {
        encoding: "utf8",
        timeout: 10_000,
      },
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("npm run mock:proxy -- https://api.lofty.com");
  });
});

/** Sends a call of an operation through the proxy, with an API key. */
const through = (op: SpecOperation, call: Call = validCall(op)) =>
  sendTo(proxy.url, op, { ...call, headers: { Authorization: "token test-api-key", ...call.headers } });

/** Makes the fake upstream answer 200 with this JSON and the rate-limit headers. */
function upstreamAnswers(body: unknown) {
  upstream.answer = {
    status: 200,
    headers: { "Content-Type": "application/json", ...rateLimit },
    body: JSON.stringify(body),
  };
}

// Ranges and bounds from the spec.
const listRange = { startTimeMs: Number(parameterSchema(operationById("queryCalendars"), "startTimeMs").example) };
const meetingsRange = validCall(operationById("getAvailableMeetings")).query;
const pageSizeMaximum = Number(parameterSchema(operationById("queryCalendars"), "pageSize").maximum);
const limitMinimum = Number(parameterSchema(operationById("getAvailableMeetings"), "limit").minimum);

describe("npm run mock:proxy, for every operation", () => {
  test.each(operations.map((op) => [op.id, op] as const))(
    "%s: each of the spec's 200 examples, sent by the upstream, passes through unchanged",
    async (_id, op) => {
      for (const [name, example] of Object.entries(responseExamples(op, 200))) {
        upstreamAnswers(example);
        const response = await through(op);
        expect(response.status, name).toBe(200);
        expect(response.headers.get("sl-violations"), name).toBeNull();
        expect(await response.json(), name).toEqual(example);
      }
      // The request reached the upstream on the operation's method and path.
      const forwarded = upstream.requests.at(-1)!;
      expect(forwarded.method).toBe(op.method.toUpperCase());
      expect(forwarded.url.split("?")[0]).toBe(op.path.replace("{calendarId}", calendarIdExample));
    },
  );

  test.each([
    [
      "queryCalendars",
      "an item with a field Lofty does not declare",
      { data: { total: 1, items: [{ id: "1-task", type: "TASK", color: "red" }] } },
      "must NOT have additional properties",
    ],
    [
      "queryCalendars",
      "an item id that is not a calendarId",
      { data: { total: 1, items: [{ id: "1-meeting", type: "TASK" }] } },
      "must match pattern",
    ],
    ["queryCalendars", "no items", { data: { total: 0 } }, "must have required property 'items'"],
    [
      "updateCalendar",
      "a data envelope instead of a message",
      { data: { message: "ok" } },
      "must have required property 'message'",
    ],
    ["getAvailableMeetings", "slots without total", { data: { slots: [] } }, "must have required property 'total'"],
  ] as const)("%s: %s is reported as a 500 with the violation", async (id, _label, body, message) => {
    upstreamAnswers(body);
    const response = await through(operationById(id));
    expect(upstream.requests).toHaveLength(1);
    expect(response.status).toBe(500);
    const problem = await response.json();
    expect(problem.validation.map((v: { message: string }) => v.message).join("\n")).toContain(message);
  });

  test.each([
    ["deleteCalendar", "a malformed calendarId", { calendarId: "12-meeting" }],
    ["finishCalendar", "a calendarId without its kind", { calendarId: "12345" }],
    ["updateCalendar", "an empty body", { body: {} }],
    ["updateCalendar", "a field that cannot change", { body: { taskWay: "Email" } }],
    ["queryCalendars", "a pageSize above the maximum", { query: { ...listRange, pageSize: pageSizeMaximum + 1 } }],
    ["getAvailableMeetings", "a limit below the minimum", { query: { ...meetingsRange, limit: limitMinimum - 1 } }],
  ] as const)("%s: %s is answered by Prism (422) and never reaches the upstream", async (id, _label, call) => {
    upstreamAnswers({});
    const response = await through(operationById(id), call);
    expect(response.status).toBe(422);
    expect(upstream.requests).toHaveLength(0);
  });

  test("a list with several sourceType values reaches the upstream as repeated parameters", async () => {
    const list = operationById("queryCalendars");
    upstreamAnswers(Object.values(responseExamples(list, 200))[0]);
    const response = await through(list, { query: { startTimeMs: listRange.startTimeMs, sourceType: [1, 2] } });
    expect(response.status).toBe(200);
    expect(upstream.requests[0]!.url).toBe(
      `/v2.0/calendar?startTimeMs=${String(listRange.startTimeMs)}&sourceType=1&sourceType=2`,
    );
  });
});
