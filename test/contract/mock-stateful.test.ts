// The stateful mock (`npm run mock:stateful`, mocks/stateful/) over real HTTP: the real Prism proxy in front of the
// real store. What it keeps across calls, Lofty's rules it applies, Lofty's bodies for Prism's refusals, the rate
// limit and MOCK_STATE. Every answer is also checked here against the spec's own schemas (Prism already did).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { freePort } from "../../mocks/prism.mjs";
import { startStatefulMock } from "../../mocks/stateful/index.mjs";
import { formatInZone } from "../../mocks/stateful/time.mjs";
import { parseCurl } from "../support/readme.js";
import { deref, spec, validatorFor } from "../support/spec.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const auth = { Authorization: "Bearer stateful-test-token" };
const json = { ...auth, "Content-Type": "application/json" };
type Mock = Awaited<ReturnType<typeof startStatefulMock>>;

/** A whole second some days ahead, so every time the tests send is later than now. */
const base = Math.ceil((Date.now() + 3 * DAY) / 1000) * 1000;
const iso = (ms: number) => new Date(ms).toISOString();

const schemas = {
  error: validatorFor("#/components/schemas/ErrorResponse"),
  create: validatorFor("#/components/schemas/CalendarCreateResponse"),
  list: validatorFor("#/components/schemas/CalendarListResponse"),
  message: validatorFor("#/components/schemas/MessageResponse"),
  meetings: validatorFor("#/components/schemas/AvailableMeetingsResponse"),
};
const itemProperties = Object.keys(deref<{ properties: object }>(spec.components.schemas.CalendarItem).properties);

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

function client(mock: Mock) {
  async function call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = json,
  ): Promise<Answer> {
    const response = await fetch(`${mock.url}${path}`, {
      method,
      headers,
      body: body === undefined || typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: any = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: kept as text
    }
    return { status: response.status, headers: response.headers, body: parsed };
  }
  const task = (fields: Record<string, unknown> = {}) => ({
    type: "TASK",
    content: "Call back about the offer",
    leadId: 1001,
    timeZoneCode: "America/Los_Angeles",
    startAt: iso(base),
    endAt: iso(base + HOUR),
    taskWay: "Call",
    ...fields,
  });
  const appointment = (fields: Record<string, unknown> = {}) => ({
    type: "APPOINTMENT",
    content: "Show the house",
    leadId: 1001,
    timeZoneCode: "Europe/Berlin",
    startAtMs: base + 2 * HOUR,
    endAtMs: base + 3 * HOUR,
    address: "12 Maple Street",
    ...fields,
  });
  return {
    call,
    task,
    appointment,
    create: async (event: Record<string, unknown>) => {
      const answer = await call("POST", "/v2.0/calendar", event);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(schemas.create(answer.body)).toBe(true);
      return answer.body.data.id as string;
    },
    list: async (query: Record<string, string | number | boolean>) => {
      const search = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
      const answer = await call("GET", `/v2.0/calendar?${search}`, undefined, auth);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(schemas.list(answer.body), JSON.stringify(schemas.list.errors)).toBe(true);
      return answer.body.data as { total: number; page: number; pageSize: number; items: any[] };
    },
  };
}

/** Expects Lofty's invalid-parameter refusal: 400 `{code: 20012, message}`, a body the spec's ErrorResponse allows. */
function expectInvalidParameter(answer: Answer) {
  expect(answer.status, JSON.stringify(answer.body)).toBe(400);
  expect(answer.body).toEqual({ code: 20012, message: "Invalid parameter" });
  expect(schemas.error(answer.body)).toBe(true);
}

describe("the stateful mock", () => {
  let mock: Mock;
  let api: ReturnType<typeof client>;
  const logged: string[] = [];
  beforeAll(async () => {
    mock = await startStatefulMock({ rateLimit: 10_000, log: (line) => logged.push(line) });
    api = client(mock);
  });
  afterAll(() => mock.stop());

  describe("create", () => {
    test("answers Lofty's envelope with a fresh composite id per event, never reused after a delete", async () => {
      const first = await api.create(api.task({ leadId: 2001 }));
      const second = await api.create(api.appointment({ leadId: 2001 }));
      expect(first).toMatch(/^\d+-task$/);
      expect(second).toMatch(/^\d+-appointment$/);
      // One numeric id space for tasks and appointments.
      expect(Number.parseInt(second)).toBeGreaterThan(Number.parseInt(first));
      expect((await api.call("DELETE", `/v2.0/calendar/${second}`)).status).toBe(200);
      const third = await api.create(api.appointment({ leadId: 2001 }));
      expect(Number.parseInt(third)).toBeGreaterThan(Number.parseInt(second));
      const created = await api.call("POST", "/v2.0/calendar", api.task({ leadId: 2001 }));
      expect(created.body.data).toMatchObject({ type: "TASK", message: "Task created successfully" });
    });

    test("a start or an end not later than now is 400 20012, and nothing is stored", async () => {
      expectInvalidParameter(
        await api.call("POST", "/v2.0/calendar", api.task({ leadId: 2002, startAt: iso(Date.now() - HOUR) })),
      );
      expectInvalidParameter(
        await api.call(
          "POST",
          "/v2.0/calendar",
          api.appointment({ leadId: 2002, startAtMs: Date.now() - 1, endAtMs: Date.now() - 1 }),
        ),
      );
      expect((await api.list({ leadId: 2002, startTimeMs: 0, includeFinished: true })).total).toBe(0);
      expect(logged.some((line) => /not later than now/.test(line))).toBe(true);
    });

    test("a TASK without taskWay is 400 20012 (Prism's refusal, in Lofty's body; the violation in sl-violations)", async () => {
      const withoutTaskWay: Record<string, unknown> = api.task();
      delete withoutTaskWay.taskWay;
      const answer = await api.call("POST", "/v2.0/calendar", withoutTaskWay);
      expectInvalidParameter(answer);
      expect(answer.headers.get("content-type")).toBe("application/json");
      expect(answer.headers.get("sl-violations")).toContain("taskWay");
      expect(logged.some((line) => line.includes("required property 'taskWay'"))).toBe(true);
    });

    test("an end before its start is 400 20012 (Lofty says nothing: the mock refuses it)", async () => {
      expectInvalidParameter(await api.call("POST", "/v2.0/calendar", api.task({ endAt: iso(base - HOUR) })));
    });
  });

  describe("list", () => {
    const lead = 3001;
    let ids: string[];
    beforeAll(async () => {
      ids = [];
      // Three events on one lead, one hour apart, created out of order; one on another lead.
      for (const hours of [2, 0, 4]) {
        ids.push(
          await api.create(
            api.task({ leadId: lead, startAt: iso(base + hours * HOUR), endAt: iso(base + (hours + 1) * HOUR) }),
          ),
        );
      }
      await api.create(api.task({ leadId: lead + 1 }));
    });

    test("filters by leadId and carries every field the spec's CalendarItem documents", async () => {
      const page = await api.list({ leadId: lead, startTimeMs: base - DAY });
      expect(page.total).toBe(3);
      for (const item of page.items) {
        expect(Object.keys(item)).toEqual(itemProperties);
        expect(item.leadId).toBe(lead);
      }
      const item = page.items.find((candidate) => candidate.id === ids[1])!;
      expect(item).toMatchObject({
        type: "TASK",
        taskId: Number.parseInt(ids[1]!),
        content: "Call back about the offer",
        finished: false,
        timeZoneCode: "America/Los_Angeles",
        startAtMs: base,
        endAtMs: base + HOUR,
        // The start in the event's zone, with its offset, as the spec's examples show it.
        startAt: formatInZone(base, "America/Los_Angeles"),
        // The mock's title rule: the type and the content.
        title: "Task: Call back about the offer",
      });
      expect(item.startAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-0[78]:00$/);
    });

    test("sorts newest first by default; desc=false, sort=endTime and another field; an unknown sort is 400", async () => {
      const newestFirst = await api.list({ leadId: lead, startTimeMs: base - DAY });
      expect(newestFirst.items.map((item) => item.id)).toEqual([ids[2], ids[0], ids[1]]);
      const oldestFirst = await api.list({ leadId: lead, startTimeMs: base - DAY, desc: false });
      expect(oldestFirst.items.map((item) => item.id)).toEqual([ids[1], ids[0], ids[2]]);
      const byEnd = await api.list({ leadId: lead, startTimeMs: base - DAY, sort: "endTime", desc: false });
      expect(byEnd.items.map((item) => item.id)).toEqual([ids[1], ids[0], ids[2]]);
      const byTaskId = await api.list({ leadId: lead, startTimeMs: base - DAY, sort: "taskId", desc: false });
      expect(byTaskId.items.map((item) => item.id)).toEqual(ids);
      expectInvalidParameter(await api.call("GET", `/v2.0/calendar?startTimeMs=0&sort=colour`, undefined, auth));
    });

    test("pages with page and pageSize; total counts every page", async () => {
      const first = await api.list({ leadId: lead, startTimeMs: base - DAY, pageSize: 2 });
      const second = await api.list({ leadId: lead, startTimeMs: base - DAY, pageSize: 2, page: 1 });
      const beyond = await api.list({ leadId: lead, startTimeMs: base - DAY, pageSize: 2, page: 5 });
      expect([first.total, second.total, beyond.total]).toEqual([3, 3, 3]);
      expect(first).toMatchObject({ page: 0, pageSize: 2 });
      expect([...first.items, ...second.items].map((item) => item.id)).toEqual([ids[2], ids[0], ids[1]]);
      expect(beyond.items).toEqual([]);
      // Lofty documents no default page size: the mock's is 20.
      expect((await api.list({ leadId: lead, startTimeMs: base - DAY })).pageSize).toBe(20);
    });

    test("the time window keeps the events that overlap it, by either form of either bound", async () => {
      const window = async (query: Record<string, string | number>) =>
        (await api.list({ leadId: lead, ...query })).items.map((item) => item.id).sort();
      // [base, base+1h), [base+2h, base+3h), [base+4h, base+5h)
      expect(await window({ startTimeMs: base + HOUR / 2, endTimeMs: base + 2 * HOUR })).toEqual([ids[1]]);
      expect(await window({ startTime: iso(base + HOUR), endTime: iso(base + 4 * HOUR + 1) })).toEqual(
        [ids[0], ids[2]].sort(),
      );
      expect(await window({ endTimeMs: base + 1 })).toEqual([ids[1]]);
      expect(await window({ startTimeMs: base + 4 * HOUR + 1 })).toEqual([ids[2]]);
      // The ISO string wins over the ms form when both are given.
      expect(await window({ startTime: iso(base + 4 * HOUR), startTimeMs: 0 })).toEqual([ids[2]]);
    });

    test("without any bound, or with an end before the start, is 400 20012", async () => {
      expectInvalidParameter(await api.call("GET", `/v2.0/calendar?leadId=${lead}`, undefined, auth));
      expectInvalidParameter(
        await api.call("GET", `/v2.0/calendar?startTimeMs=${base}&endTimeMs=${base - 1}`, undefined, auth),
      );
    });

    test("a malformed query parameter is Prism's refusal in Lofty's body", async () => {
      expectInvalidParameter(await api.call("GET", `/v2.0/calendar?startTimeMs=0&pageSize=501`, undefined, auth));
      expectInvalidParameter(await api.call("GET", `/v2.0/calendar?startTime=yesterday`, undefined, auth));
    });

    test("sourceType filters by the codes given (events created through the API carry the spec's example code)", async () => {
      const { items } = await api.list({ leadId: lead, startTimeMs: base - DAY });
      const code = items[0].sourceType as number;
      expect(items.every((item) => item.sourceType === code)).toBe(true);
      expect((await api.list({ leadId: lead, startTimeMs: base - DAY, sourceType: code })).total).toBe(3);
      expect((await api.list({ leadId: lead, startTimeMs: base - DAY, sourceType: code + 1 })).total).toBe(0);
    });
  });

  describe("update, finish, unfinish, delete", () => {
    test("update applies only the fields given (an empty string changes nothing) and keeps the others", async () => {
      const id = await api.create(api.appointment({ leadId: 4001 }));
      const updated = await api.call("PUT", `/v2.0/calendar/${id}`, { content: "Show the garden too" });
      expect(updated.status).toBe(200);
      expect(updated.body).toEqual({ message: "Calendar updated successfully" });
      expect(schemas.message(updated.body)).toBe(true);
      expect((await api.call("PUT", `/v2.0/calendar/${id}`, { content: "", timeZoneCode: "Asia/Tokyo" })).status).toBe(
        200,
      );
      const [item] = (await api.list({ leadId: 4001, startTimeMs: base - DAY })).items;
      expect(item).toMatchObject({
        content: "Show the garden too",
        timeZoneCode: "Asia/Tokyo",
        startAtMs: base + 2 * HOUR,
        startAt: formatInZone(base + 2 * HOUR, "Asia/Tokyo"),
      });
    });

    test("a new start must be later than now; an unknown or malformed calendarId is 400 20012", async () => {
      const id = await api.create(api.task({ leadId: 4002 }));
      expectInvalidParameter(await api.call("PUT", `/v2.0/calendar/${id}`, { startAtMs: Date.now() - HOUR }));
      expectInvalidParameter(await api.call("PUT", `/v2.0/calendar/999999999-task`, { content: "x" }));
      // The numeric part of a task, with the other type: no such event.
      expectInvalidParameter(
        await api.call("PUT", `/v2.0/calendar/${id.replace("task", "appointment")}`, { content: "x" }),
      );
      expectInvalidParameter(await api.call("PUT", `/v2.0/calendar/not-an-id`, { content: "x" }));
      expectInvalidParameter(await api.call("POST", `/v2.0/calendar/12345678901234567890-task/finish`));
      const [item] = (await api.list({ leadId: 4002, startTimeMs: base - DAY })).items;
      expect(item.startAtMs).toBe(base);
    });

    test("finish and unfinish flip `finished`; the default list hides finished events", async () => {
      const id = await api.create(api.task({ leadId: 4003 }));
      const finished = await api.call("POST", `/v2.0/calendar/${id}/finish`);
      expect(finished.status).toBe(200);
      expect(schemas.message(finished.body)).toBe(true);
      expect((await api.list({ leadId: 4003, startTimeMs: base - DAY })).total).toBe(0);
      const all = await api.list({ leadId: 4003, startTimeMs: base - DAY, includeFinished: true });
      expect(all.items).toMatchObject([{ id, finished: true }]);
      expect((await api.call("POST", `/v2.0/calendar/${id}/unfinish`)).status).toBe(200);
      expect((await api.list({ leadId: 4003, startTimeMs: base - DAY })).items).toMatchObject([
        { id, finished: false },
      ]);
    });

    test("delete removes the event; a second delete is 400 20012", async () => {
      const id = await api.create(api.task({ leadId: 4004 }));
      const deleted = await api.call("DELETE", `/v2.0/calendar/${id}`);
      expect(deleted.status).toBe(200);
      expect(schemas.message(deleted.body)).toBe(true);
      expect((await api.list({ leadId: 4004, startTimeMs: base - DAY, includeFinished: true })).total).toBe(0);
      expectInvalidParameter(await api.call("DELETE", `/v2.0/calendar/${id}`));
    });
  });

  describe("available meetings", () => {
    const zone = "America/New_York";
    /** Midnight of the day after `base`, in `zone` (a day of 24 hours: no DST change falls in the tests' window). */
    const day = (() => {
      const text = formatInZone(base + DAY, zone);
      return Date.parse(`${text.slice(0, 10)}T00:00:00${text.slice(19)}`);
    })();
    const meetings = async (query: Record<string, string | number>) => {
      const search = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
      return api.call("GET", `/v2.0/calendar/meetings/available?${search}`, undefined, auth);
    };

    test("30-minute slots from 09:00 to 17:00 in timeZoneCode, earliest first, at most `limit`; total counts all", async () => {
      const answer = await meetings({ startTimeMs: day, endTimeMs: day + DAY, timeZoneCode: zone, limit: 100 });
      expect(answer.status).toBe(200);
      expect(schemas.meetings(answer.body)).toBe(true);
      const { total, slots } = answer.body.data;
      expect(total).toBe(16);
      expect(slots[0]).toEqual({
        startTime: formatInZone(day + 9 * HOUR, zone),
        endTime: formatInZone(day + 9.5 * HOUR, zone),
        startTimeMs: day + 9 * HOUR,
        endTimeMs: day + 9.5 * HOUR,
      });
      expect(slots.at(-1).endTimeMs).toBe(day + 17 * HOUR);
      const limited = await meetings({ startTimeMs: day, endTimeMs: day + DAY, timeZoneCode: zone });
      // The spec's default limit.
      expect(limited.body.data.slots).toHaveLength(10);
      expect(limited.body.data.total).toBe(16);
    });

    test("slots that overlap a stored event are not free; only slots wholly inside the range count", async () => {
      await api.create(
        api.task({ leadId: 5001, startAt: iso(day + 10 * HOUR + 15 * 60_000), endAt: iso(day + 11 * HOUR) }),
      );
      const answer = await meetings({
        startTimeMs: day + 9 * HOUR + 1,
        endTimeMs: day + 12 * HOUR,
        timeZoneCode: zone,
      });
      const starts = answer.body.data.slots.map((slot: { startTimeMs: number }) => (slot.startTimeMs - day) / HOUR);
      // 09:00 starts before the range; 10:00 and 10:30 overlap the task (10:15-11:00).
      expect(starts).toEqual([9.5, 11, 11.5]);
    });

    test("a start not later than now, an end not after the start, a range over 90 days, a missing bound: 400 20012", async () => {
      expectInvalidParameter(await meetings({ startTimeMs: Date.now() - HOUR, endTimeMs: day }));
      expectInvalidParameter(await meetings({ startTimeMs: day, endTimeMs: day }));
      expectInvalidParameter(await meetings({ startTimeMs: day, endTimeMs: day + 91 * DAY }));
      expectInvalidParameter(await meetings({ startTimeMs: day }));
      expect((await meetings({ startTimeMs: day, endTimeMs: day + 90 * DAY })).status).toBe(200);
    });
  });

  describe("Lofty's answers for Prism's refusals", () => {
    test("a body that is not JSON: 400 20012 (not Prism's invalid_json)", async () => {
      expectInvalidParameter(await api.call("POST", "/v2.0/calendar", '{"type":"TASK",'));
    });

    test("no Content-Type application/json: 400 20001 (Lofty's code for it), bodiless calls too", async () => {
      const id = await api.create(api.task({ leadId: 7001 }));
      const calls: [string, string, string | undefined][] = [
        ["POST", "/v2.0/calendar", JSON.stringify(api.task())],
        ["PUT", `/v2.0/calendar/${id}`, JSON.stringify({ content: "x" })],
        ["DELETE", `/v2.0/calendar/${id}`, undefined],
        ["POST", `/v2.0/calendar/${id}/finish`, undefined],
      ];
      for (const [method, path, body] of calls) {
        for (const headers of [{ ...auth, "Content-Type": "text/plain" }, auth]) {
          const answer = await api.call(method, path, body, headers);
          expect(answer.status, `${method} ${path}`).toBe(400);
          expect(answer.body).toEqual({ code: 20001, message: "Content-Type must be application/json" });
          expect(schemas.error(answer.body)).toBe(true);
        }
      }
      // Nothing happened to the event.
      expect((await api.list({ leadId: 7001, startTimeMs: base - DAY })).items).toMatchObject([
        { id, finished: false },
      ]);
    });

    test("missing or malformed credentials: 401 with Lofty's body, never Prism's problem+json", async () => {
      const refused: Record<string, string>[] = [
        { "Content-Type": "application/json" },
        { "Content-Type": "application/json", Authorization: "Basic dXNlcjpwYXNz" },
        { "Content-Type": "application/json", Authorization: "Bearer" },
      ];
      for (const headers of refused) {
        const answer = await api.call("POST", "/v2.0/calendar", api.task(), headers);
        expect(answer.status).toBe(401);
        expect(answer.headers.get("content-type")).toBe("application/json");
        expect(answer.body).toEqual({ code: "BAD_CREDENTIALS", message: "Bad credentials" });
      }
      const apiKey = await api.call("POST", "/v2.0/calendar", api.task(), { ...json, Authorization: "token my-key" });
      expect(apiKey.status).toBe(200);
    });

    test("CORS: a preflight succeeds and the answers expose the rate-limit headers", async () => {
      const preflight = await fetch(`${mock.url}/v2.0/calendar`, {
        method: "OPTIONS",
        headers: { Origin: "http://localhost:5173", "Access-Control-Request-Method": "POST" },
      });
      expect(preflight.status).toBeLessThan(300);
      const answer = await api.call("GET", `/v2.0/calendar?startTimeMs=0`, undefined, {
        ...auth,
        Origin: "http://localhost:5173",
      });
      expect(answer.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
      expect(answer.headers.get("access-control-expose-headers")).toBe("*");
    });
  });
});

describe("the rate limit (RATE_LIMIT)", () => {
  test("X-RateLimit-* on every answer; past the limit 429 {message: Too Many Requests} until the window ends", async () => {
    const mock = await startStatefulMock({ rateLimit: 3, log: () => {} });
    try {
      const api = client(mock);
      const answers = [
        await api.call("GET", "/v2.0/calendar?startTimeMs=0", undefined, auth), // 200
        await api.call("POST", "/v2.0/calendar", "{", json), // 400, Prism's refusal
        await api.call("POST", "/v2.0/calendar", api.task(), {}), // 401
        await api.call("GET", "/v2.0/calendar?startTimeMs=0", undefined, { ...auth, Origin: "http://localhost:5173" }), // 429
      ];
      expect(answers.map((answer) => answer.status)).toEqual([200, 400, 401, 429]);
      expect(answers.map((answer) => answer.headers.get("x-ratelimit-remaining"))).toEqual(["2", "1", "0", "0"]);
      for (const answer of answers) {
        expect(answer.headers.get("x-ratelimit-limit")).toBe("3");
        const reset = Number(answer.headers.get("x-ratelimit-reset"));
        expect(reset * 1000).toBeGreaterThan(Date.now());
        expect(reset * 1000).toBeLessThanOrEqual(Date.now() + 61_000);
      }
      expect(answers[3]!.body).toEqual({ message: "Too Many Requests" });
      expect(schemas.error(answers[3]!.body)).toBe(true);
      // The front's own 429 carries the CORS headers Prism would have put on it, so a page can read it.
      expect(answers[3]!.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
      expect(answers[3]!.headers.get("access-control-expose-headers")).toBe("*");
      // A preflight is not counted and is still answered.
      const preflight = await fetch(`${mock.url}/v2.0/calendar`, {
        method: "OPTIONS",
        headers: { Origin: "http://localhost:5173", "Access-Control-Request-Method": "GET" },
      });
      expect(preflight.status).toBeLessThan(300);
      expect(preflight.headers.get("x-ratelimit-remaining")).toBe("0");
    } finally {
      await mock.stop();
    }
  });
});

describe("MOCK_STATE", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "lofty-mock-state-"));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test("the events survive a restart, ids carry on, and the file is replaced whole (no temporary file left)", async () => {
    const stateFile = join(dir, "state.json");
    const first = await startStatefulMock({ stateFile, log: () => {} });
    let kept: string;
    let gone: string;
    try {
      const api = client(first);
      kept = await api.create(api.task({ leadId: 6001 }));
      gone = await api.create(api.task({ leadId: 6001 }));
      expect((await api.call("POST", `/v2.0/calendar/${kept}/finish`)).status).toBe(200);
      expect((await api.call("DELETE", `/v2.0/calendar/${gone}`)).status).toBe(200);
    } finally {
      await first.stop();
    }
    expect(readdirSync(dir)).toEqual(["state.json"]);
    expect(JSON.parse(readFileSync(stateFile, "utf8"))).toMatchObject({ events: [{ id: kept, finished: true }] });

    const second = await startStatefulMock({ stateFile, log: () => {} });
    try {
      const api = client(second);
      const { items } = await api.list({ leadId: 6001, startTimeMs: base - DAY, includeFinished: true });
      expect(items).toMatchObject([{ id: kept, finished: true }]);
      const next = await api.create(api.task({ leadId: 6001 }));
      expect(Number.parseInt(next)).toBeGreaterThan(Number.parseInt(gone));
    } finally {
      await second.stop();
    }
  });

  test("a file that is not the mock's state stops the start with its name, and is left as it is", async () => {
    const stateFile = join(dir, "notes.json");
    writeFileSync(stateFile, '{"todo": ["buy milk"]}');
    await expect(startStatefulMock({ stateFile, log: () => {} })).rejects.toThrow(
      new RegExp(
        `MOCK_STATE: ${stateFile.replaceAll(/[.*+?^${}()|[\]\\/]/g, "\\$&")} is not a state file of this mock`,
      ),
    );
    expect(readFileSync(stateFile, "utf8")).toBe('{"todo": ["buy milk"]}');
    writeFileSync(stateFile, "{not json");
    await expect(startStatefulMock({ stateFile, log: () => {} })).rejects.toThrow(/is not JSON/);
  });
});

describe("npm run mock:stateful", () => {
  test("prints one line when ready, serves on $PORT with MOCK_STATE, and stops Prism on SIGTERM (Ctrl+C)", async () => {
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), "lofty-mock-cli-"));
    const stateFile = join(dir, "state.json");
    const child = spawn(process.execPath, ["mocks/start.mjs", "--stateful"], {
      cwd: root,
      env: { ...process.env, PORT: String(port), MOCK_STATE: stateFile, RATE_LIMIT: "50" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes("\n")) resolve(out.trim());
        });
        child.once("exit", (code) => {
          reject(new Error(`exited with ${code}`));
        });
      });
      expect(line).toMatch(
        new RegExp(
          `^Lofty stateful mock \\(Prism proxy \\+ in-memory store, pid (\\d+), ready in \\d+ ms\\) listening on http://127\\.0\\.0\\.1:${port}/v2\\.0/calendar: events kept in .*state\\.json, rate limit 50/min`,
        ),
      );
      const prismPid = Number(/pid (\d+)/.exec(line)![1]);
      const answer = await fetch(`http://127.0.0.1:${port}/v2.0/calendar?startTimeMs=0`, { headers: auth });
      expect(answer.status).toBe(200);
      expect(answer.headers.get("x-ratelimit-limit")).toBe("50");
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      expect(() => process.kill(prismPid, 0)).toThrow();
      expect(existsSync(stateFile)).toBe(false); // nothing changed, nothing written
    } finally {
      child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the README's walk-through", () => {
  test("every curl of the section, run in order on a fresh mock, answers exactly what the README shows", async () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const section = /^## A working calendar for frontend developers\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? "";
    // Each `sh` block with a curl, then the plain block that shows its answer.
    const steps = [...section.matchAll(/^```sh\n([\s\S]*?)^```\n\n```\n([\s\S]*?)^```$/gm)];
    expect(steps.length).toBeGreaterThanOrEqual(6);
    const mock = await startStatefulMock({ log: () => {} });
    try {
      for (const [, curl, shown] of steps) {
        const { method, url, headers, body } = parseCurl(curl!);
        const target = url.replace(/'$/, "").replace("http://127.0.0.1:4010", mock.url);
        const answer = await fetch(target, { method, headers, body });
        expect(answer.status, `${method} ${url}`).toBe(200);
        expect(await answer.json(), `${method} ${url}`).toEqual(JSON.parse(shown!));
      }
    } finally {
      await mock.stop();
    }
  });
});
