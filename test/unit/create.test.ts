// calendar.create: what goes on the wire, and what never does (invalid input is refused before any request).
import { describe, expect, test } from "vitest";
import {
  createLoftyClient,
  LoftyResponseError,
  LoftyValidationError,
  type CalendarCreateInput,
} from "../../src/index.js";
import { created, fakeFetch, json } from "../support/fake-fetch.js";
import { createOperation, namedExamples, validatorFor } from "../support/spec.js";

const examples = namedExamples(createOperation.requestBody.content["application/json"]);
const validateWire = validatorFor("#/components/schemas/CalendarEventCreateRequest");
const task = {
  type: "TASK",
  content: "Follow up",
  leadId: 563172647619608,
  timeZoneCode: "America/Los_Angeles",
  start: "2026-03-01T14:00",
  end: "2026-03-01T15:00",
  taskWay: "Call",
  assignedRole: "Agent",
} as const satisfies CalendarCreateInput;

function setup() {
  const fake = fakeFetch(created());
  const lofty = createLoftyClient({ accessToken: "test-token", fetch: fake.fetch, throttle: false });
  return { lofty, ...fake };
}

/** Expects a LoftyValidationError and returns its issues. */
async function issuesOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LoftyValidationError);
  return (error as LoftyValidationError).issues;
}

describe("calendar.create sends", () => {
  test("the issue's example: POST /v2.0/calendar with JSON, both time forms, and resolves to data", async () => {
    const { lofty, requests } = setup();
    const event = await lofty.calendar.create(task);
    expect(event).toEqual({ id: "12345-task", type: "TASK", message: "Created" });
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request!.method).toBe("POST");
    expect(request!.url).toBe("https://api.lofty.com/v2.0/calendar");
    expect(request!.headers.get("content-type")).toBe("application/json");
    expect(request!.headers.get("authorization")).toBe("Bearer test-token");
    const body = JSON.parse(request!.body!);
    expect(body).toEqual({
      type: "TASK",
      content: "Follow up",
      leadId: 563172647619608,
      timeZoneCode: "America/Los_Angeles",
      startAt: "2026-03-01T14:00:00-08:00",
      startAtMs: 1772402400000,
      endAt: "2026-03-01T15:00:00-08:00",
      endAtMs: 1772406000000,
      taskWay: "Call",
      assignedRole: "Agent",
    });
    expect(validateWire(body)).toBe(true);
  });

  test("a bigint leadId as a bare JSON number with every digit exact", async () => {
    const { lofty, requests } = setup();
    await lofty.calendar.create({ ...task, leadId: 9007199254740993n });
    expect(requests[0]!.body).toContain('"leadId":9007199254740993');
    expect(requests[0]!.body).not.toContain('"9007199254740993"');
  });

  test("a decimal-string leadId as a bare JSON number too, up to 2^63 - 1", async () => {
    const { lofty, requests } = setup();
    await lofty.calendar.create({ ...task, leadId: "9223372036854775807" });
    expect(requests[0]!.body).toContain('"leadId":9223372036854775807');
  });

  test("the spec's own request examples: every field passes through, each time in both forms", async () => {
    for (const [name, example] of Object.entries(examples)) {
      const { lofty, requests } = setup();
      await lofty.calendar.create(example as CalendarCreateInput);
      const body = JSON.parse(requests[0]!.body!);
      expect(body, name).toMatchObject(example);
      for (const end of ["start", "end"]) {
        expect(Date.parse(body[`${end}At`]), `${name}: ${end}`).toBe(body[`${end}AtMs`]);
      }
      expect(validateWire(body), name).toBe(true);
    }
  });

  test("an APPOINTMENT with an address, times as Date and epoch ms", async () => {
    const { lofty, requests } = setup();
    await lofty.calendar.create({
      type: "APPOINTMENT",
      content: "Showing",
      leadId: "563172647619608",
      timeZoneCode: "Europe/Berlin",
      start: new Date("2026-07-01T08:00:00Z"),
      end: 1782896400000,
      address: "Unter den Linden 1",
    });
    const body = JSON.parse(requests[0]!.body!);
    expect(body).toMatchObject({
      startAt: "2026-07-01T10:00:00+02:00",
      startAtMs: 1782892800000,
      endAt: "2026-07-01T11:00:00+02:00",
    });
    expect(validateWire(body)).toBe(true);
  });
});

describe("calendar.create refuses before sending", () => {
  test("every problem at once, each naming its field", async () => {
    const { lofty, requests } = setup();
    const issues = await issuesOf(
      lofty.calendar.create({
        type: "TASK",
        leadId: 1.5,
        timeZoneCode: "America/Los_Angeles",
        taskWay: "Fax",
        address: "somewhere",
      } as never),
    );
    expect(issues.map((i) => i.path).sort()).toEqual(["address", "content", "end", "leadId", "start", "taskWay"]);
    expect(issues.find((i) => i.path === "start")!.message).toMatch(/is required: give start \(or the wire fields/);
    expect(issues.find((i) => i.path === "taskWay")!.message).toContain("Call, Email, Text, Other");
    expect(issues.find((i) => i.path === "address")!.message).toMatch(/only for APPOINTMENT/);
    expect(requests).toHaveLength(0);
  });

  test("a TASK-only field on an APPOINTMENT, and a misspelt field", async () => {
    const { lofty, requests } = setup();
    const issues = await issuesOf(
      lofty.calendar.create({ ...examples.appointment, taskWay: "Call", assignedRole: "Agent", way: "Call" } as never),
    );
    expect(issues.map((i) => i.path).sort()).toEqual(["assignedRole", "taskWay", "way"]);
    expect(issues.find((i) => i.path === "way")!.message).toMatch(/not a field of APPOINTMENT/);
    expect(requests).toHaveLength(0);
  });

  test("an unknown type, naming the allowed ones from the spec", async () => {
    const { lofty } = setup();
    const issues = await issuesOf(lofty.calendar.create({ ...task, type: "MEETING" } as never));
    expect(issues).toEqual([{ path: "type", message: 'must be one of TASK, APPOINTMENT, got "MEETING"' }]);
  });

  test("a leadId past 2^53 - 1 as a number, a non-decimal string, or out of int64 range", async () => {
    const { lofty, requests } = setup();
    // eslint-disable-next-line no-loss-of-precision -- the point: this number cannot be an exact id
    for (const leadId of [9007199254740993, "12ab", "9223372036854775808", -(2n ** 63n) - 1n, null]) {
      const issues = await issuesOf(lofty.calendar.create({ ...task, leadId } as never));
      expect(
        issues.map((i) => i.path),
        String(leadId),
      ).toEqual(["leadId"]);
    }
    expect(requests).toHaveLength(0);
  });

  test("start together with startAt, and a bad time, with the fix", async () => {
    const { lofty, requests } = setup();
    const issues = await issuesOf(lofty.calendar.create({ ...task, startAt: "2026-03-01T14:00:00-08:00" } as never));
    expect(issues.map((i) => i.path).join()).toMatch(/start/);
    const bad = await issuesOf(lofty.calendar.create({ ...task, start: "2026-02-30T10:00" }));
    expect(bad.map((i) => i.path)).toEqual(["start"]);
    expect(requests).toHaveLength(0);
  });

  test("a missing timeZoneCode once, and something that is not an object", async () => {
    const { lofty, requests } = setup();
    const { timeZoneCode: _zone, ...noZone } = task;
    const issues = await issuesOf(lofty.calendar.create(noZone as never));
    expect(issues.filter((i) => i.path === "timeZoneCode")).toHaveLength(1);
    for (const input of [null, "TASK", [task], new Date()]) {
      expect((await issuesOf(lofty.calendar.create(input as never)))[0]!.path).toBe("(input)");
    }
    expect(requests).toHaveLength(0);
  });
});

describe("calendar.create with middleware of the caller's on lofty.client", () => {
  test("a middleware sees requests and answers but never the token, which is set on a copy after it", async () => {
    const { lofty, requests } = setup();
    const seen: (string | null)[] = [];
    lofty.client.use({
      onRequest: ({ request }) => void seen.push(request.headers.get("authorization")),
      onResponse: ({ request }) => void seen.push(request.headers.get("authorization")),
    });
    await lofty.calendar.create(task);
    await lofty.client.POST("/v2.0/calendar", {
      body: { ...task, start: undefined, end: undefined, leadId: 1 } as never,
    });
    expect(seen).toEqual([null, null, null, null]);
    expect(requests.map((r) => r.headers.get("authorization"))).toEqual(["Bearer test-token", "Bearer test-token"]);
  });

  test("a logging middleware can read the answer's body, and the create still succeeds", async () => {
    const { lofty } = setup();
    const logged: string[] = [];
    lofty.client.use({ onResponse: async ({ response }) => void logged.push(await response.clone().text()) });
    await expect(lofty.calendar.create(task)).resolves.toMatchObject({ id: "12345-task" });
    expect(JSON.parse(logged[0]!)).toMatchObject({ data: { id: "12345-task" } });
  });

  test("a middleware that throws before sending: a LoftyValidationError with the middleware's error as cause, nothing sent", async () => {
    const { lofty, requests } = setup();
    const bug = new Error("middleware bug");
    lofty.client.use({
      onRequest: () => {
        throw bug;
      },
    });
    const error = await lofty.calendar.create(task).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoftyValidationError);
    expect(error).toMatchObject({
      cause: bug,
      issues: [{ path: "(options)", message: expect.stringMatching(/middleware/) }],
    });
    expect(requests).toHaveLength(0);
  });

  test("a middleware sees the body, and the body it sets is the one sent", async () => {
    const { lofty, requests } = setup();
    const seen: unknown[] = [];
    lofty.client.use({
      onRequest: async ({ request }) => {
        const body = await request.clone().json();
        seen.push(body);
        return new Request(request, { body: JSON.stringify({ ...body, content: "Signed" }) });
      },
    });
    await lofty.calendar.create(task);
    expect(seen).toMatchObject([{ type: "TASK", leadId: 563172647619608, startAtMs: 1772402400000 }]);
    expect(JSON.parse(requests[0]!.body!)).toMatchObject({ content: "Signed", startAtMs: 1772402400000 });
  });

  test("the token goes only under baseUrl: a per-call baseUrl or a middleware pointing elsewhere sends nothing", async () => {
    const { lofty, requests } = setup();
    const elsewhere = lofty.client.POST("/v2.0/calendar", { baseUrl: "http://evil.example", body: {} as never });
    await expect(elsewhere).rejects.toThrow(/not under baseUrl.*nothing was sent/);
    lofty.client.use({
      onRequest: ({ request }) => new Request("https://api.lofty.com.evil.example/v2.0/calendar", request),
    });
    await expect(lofty.calendar.create(task)).rejects.toMatchObject({ name: "LoftyError", mayHaveBeenCreated: false });
    expect(requests).toHaveLength(0);
  });

  test("a middleware that reads the request's body itself: a LoftyError, nothing sent", async () => {
    const { lofty, requests } = setup();
    lofty.client.use({
      onRequest: async ({ request }) => {
        await request.text();
      },
    });
    await expect(lofty.calendar.create(task)).rejects.toMatchObject({ name: "LoftyError", mayHaveBeenCreated: false });
    await expect(lofty.client.POST("/v2.0/calendar", { body: {} as never })).rejects.toMatchObject({
      name: "LoftyError",
    });
    expect(requests).toHaveLength(0);
  });

  test("an answer a middleware gives in Lofty's place, with nothing sent, never says the event may exist", async () => {
    const { lofty, requests } = setup();
    lofty.client.use({ onRequest: () => new Response('{"message":"mocked outage"}', { status: 503 }) });
    await expect(lofty.calendar.create(task)).rejects.toMatchObject({ status: 503, mayHaveBeenCreated: false });
    expect(requests).toHaveLength(0);
  });

  test("an answer a middleware substitutes cannot hide that the event may exist", async () => {
    const timedOut = fakeFetch(
      (_, init) =>
        new Promise<Response>((_, reject) => init.signal!.addEventListener("abort", () => reject(init.signal!.reason))),
    );
    const slow = createLoftyClient({
      accessToken: "test-token",
      fetch: timedOut.fetch,
      throttle: false,
      timeoutMs: 20,
    });
    slow.client.use({ onError: () => new Response('{"message":"timeout"}', { status: 408 }) });
    await expect(slow.calendar.create(task)).rejects.toMatchObject({ status: 408, mayHaveBeenCreated: true });
    const { lofty } = setup();
    lofty.client.use({
      onResponse: () => new Response('{"code":"INVALID_PARAMETER","message":"no"}', { status: 422 }),
    });
    await expect(lofty.calendar.create(task)).rejects.toMatchObject({ status: 422, mayHaveBeenCreated: true });
  });

  test("a middleware that fails on the answer: a LoftyResponseError that says the event may exist", async () => {
    const { lofty, requests } = setup();
    const bug = new Error("middleware bug");
    lofty.client.use({
      onResponse: () => {
        throw bug;
      },
    });
    const error = await lofty.calendar.create(task).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoftyResponseError);
    expect(error).toMatchObject({ mayHaveBeenCreated: true, cause: bug });
    expect(requests).toHaveLength(1);
  });

  test("a middleware that turns a failure after sending into a plain Error: the event may exist, never 'nothing sent'", async () => {
    const { fetch } = fakeFetch(
      new TypeError("fetch failed", { cause: Object.assign(new Error("reset"), { code: "ECONNRESET" }) }),
    );
    const lofty = createLoftyClient({ accessToken: "test-token", fetch, throttle: false });
    lofty.client.use({ onError: () => new Error("wrapped") });
    const error = await lofty.calendar.create(task).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoftyResponseError);
    expect(error).toMatchObject({ mayHaveBeenCreated: true });
  });

  test("a middleware that answers in Lofty's place (a mock): its answer is decoded, nothing sent", async () => {
    const { lofty, requests } = setup();
    lofty.client.use({ onRequest: () => created("APPOINTMENT") });
    await expect(lofty.calendar.create(task)).resolves.toEqual({
      id: "12345-appointment",
      type: "APPOINTMENT",
      message: "Created",
    });
    expect(requests).toHaveLength(0);
  });
});

describe("calendar.create edge cases", () => {
  test("a discriminator that only stringifies to a variant is refused", async () => {
    const { lofty, requests } = setup();
    for (const type of [["TASK"], new String("TASK")]) {
      expect((await issuesOf(lofty.calendar.create({ ...task, type } as never))).map((i) => i.path)).toEqual(["type"]);
    }
    expect(requests).toHaveLength(0);
  });

  test("lead id zero, in every form, is an id like any other", async () => {
    const { lofty, requests } = setup();
    for (const leadId of [0, "0", 0n, "-0"]) await lofty.calendar.create({ ...task, leadId });
    expect(requests.map((r) => JSON.parse(r.body!).leadId)).toEqual([0, 0, 0, 0]);
  });

  test("fields inherited from a polluted Object.prototype are neither sent nor count as given", async () => {
    const { lofty, requests } = setup();
    const { content: _content, ...noContent } = task;
    const prototype = Object.prototype as Record<string, unknown>;
    prototype.content = "polluted";
    prototype.assignedRole = "Assistant";
    try {
      expect((await issuesOf(lofty.calendar.create(noContent as never))).map((i) => i.path)).toEqual(["content"]);
      const { assignedRole: _role, ...noRole } = task;
      await lofty.calendar.create(noRole);
    } finally {
      delete prototype.content;
      delete prototype.assignedRole;
    }
    expect(requests).toHaveLength(1);
    expect(JSON.parse(requests[0]!.body!)).not.toHaveProperty("assignedRole");
  });

  test("null options, and headers given as a Headers instance", async () => {
    const { lofty, requests } = setup();
    await lofty.calendar.create(task, null as never);
    await lofty.calendar.create(task, { headers: new Headers({ Prefer: "example=task" }) as never });
    expect(requests.map((r) => r.headers.get("prefer"))).toEqual([null, "example=task"]);
    expect(requests.map((r) => r.headers.get("content-type"))).toEqual(["application/json", "application/json"]);
  });

  test("a status a Response cannot hold (600) is a LoftyApiError, from create and from lofty.client", async () => {
    const odd = {
      status: 600,
      ok: false,
      body: null,
      headers: new Headers(),
      text: async () => "odd",
    } as unknown as Response;
    const lofty = createLoftyClient({ accessToken: "test-token", fetch: async () => odd, throttle: false });
    await expect(lofty.calendar.create(task)).rejects.toMatchObject({
      name: "LoftyServerError",
      status: 600,
      mayHaveBeenCreated: true,
    });
    await expect(lofty.client.POST("/v2.0/calendar", { body: {} as never })).rejects.toMatchObject({
      name: "LoftyServerError",
      status: 600,
    });
  });

  test("a 2xx whose type is not one the spec lists is not the documented answer", async () => {
    const { fetch } = fakeFetch(json(200, { data: { id: "1", type: "MEETING", message: "Created" } }));
    const lofty = createLoftyClient({ accessToken: "test-token", fetch, throttle: false });
    await expect(lofty.calendar.create(task)).rejects.toMatchObject({
      name: "LoftyResponseError",
      mayHaveBeenCreated: true,
    });
  });

  test("a non-2xx answer that may not have a body (304) is a LoftyApiError", async () => {
    const { fetch } = fakeFetch(new Response(null, { status: 304 }));
    const lofty = createLoftyClient({ accessToken: "test-token", fetch, throttle: false });
    await expect(lofty.calendar.create(task)).rejects.toMatchObject({ name: "LoftyApiError", status: 304 });
  });
});

describe("createLoftyClient's baseUrl", () => {
  test("a bare ? or #, or trailing slashes, do not reach the request URL", async () => {
    for (const baseUrl of ["https://api.lofty.com/?", "https://api.lofty.com/#", "https://api.lofty.com/proxy//"]) {
      const { fetch, requests } = fakeFetch(created());
      await createLoftyClient({ accessToken: "test-token", baseUrl, fetch, throttle: false }).calendar.create(task);
      expect(requests[0]!.url).toBe(`https://api.lofty.com${baseUrl.includes("proxy") ? "/proxy" : ""}/v2.0/calendar`);
    }
  });
});
