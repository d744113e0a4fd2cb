// The rest of the calendar family through an injected fetch: what each method sends, what it refuses unsent, how it
// decodes the answer, and which failures it retries.
import { describe, expect, test } from "vitest";
import {
  createLoftyClient,
  LoftyPermissionDeniedError,
  LoftyServerError,
  LoftyTimeoutError,
  LoftyValidationError,
  type CalendarListInput,
  type LoftyClientOptions,
} from "../../src/index.js";
import { fakeFetch, json, networkError, type Answer } from "../support/fake-fetch.js";
import { deref, namedExamples, spec } from "../support/spec.js";

const listOperation = spec.paths["/v2.0/calendar"].get;
const listExample = Object.values(namedExamples(deref(listOperation.responses["200"]).content["application/json"]))[0];
const message = (text: string) => json(200, { message: text });
const page = (items: unknown[], total: number, pageNumber = 0) =>
  json(200, { data: { total, page: pageNumber, pageSize: items.length, items } });
const item = (n: number) => ({ id: `${n}-task`, type: "TASK", taskId: n, content: `task ${n}` });

function setup(answers: Answer[], options: Partial<LoftyClientOptions> = {}) {
  const fake = fakeFetch(...answers);
  const lofty = createLoftyClient({ accessToken: "test-token", fetch: fake.fetch, throttle: false, ...options });
  return { lofty, ...fake };
}

async function issuesOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LoftyValidationError);
  return (error as LoftyValidationError).issues;
}

describe("calendar.list", () => {
  test("sends Lofty's query: both forms of each time, every digit of the lead id, arrays repeated", async () => {
    const { lofty, requests } = setup([json(200, listExample)]);
    await lofty.calendar.list({
      leadId: 9007199254740993n,
      start: "2027-03-01T00:00",
      end: new Date("2027-03-08T08:00:00Z"),
      timeZoneCode: "America/Los_Angeles",
      includeFinished: true,
      page: 2,
      pageSize: 50,
      sort: "startTime",
      desc: false,
      sourceType: [1, 4],
    });
    const url = new URL(requests[0]!.url);
    expect(url.pathname).toBe("/v2.0/calendar");
    expect(requests[0]!.method).toBe("GET");
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      leadId: "9007199254740993",
      startTime: "2027-03-01T00:00:00-08:00",
      startTimeMs: "1803888000000",
      endTime: "2027-03-08T00:00:00-08:00",
      endTimeMs: "1804492800000",
      timeZoneCode: "America/Los_Angeles",
      includeFinished: "true",
      page: "2",
      pageSize: "50",
      desc: "false",
    });
    expect(url.searchParams.getAll("sourceType")).toEqual(["1", "4"]);
    expect(requests[0]!.headers.get("content-type")).toBeNull();
  });

  test("decodes the page with ids as decimal strings (every digit), times and counts as numbers", async () => {
    const text = `{"data":{"total":1,"page":0,"pageSize":1,"items":[{"id":"9007199254740993-task","type":"TASK","taskId":9007199254740993,"leadId":9223372036854775807,"content":"say \\"taskId\\":1","startAtMs":1803996000000}]}}`;
    const { lofty } = setup([new Response(text, { headers: { "Content-Type": "application/json" } })]);
    const result = await lofty.calendar.list({ start: 1803888000000 });
    expect(result.total).toBe(1);
    expect(result.items[0]).toEqual({
      id: "9007199254740993-task",
      type: "TASK",
      taskId: "9007199254740993",
      leadId: "9223372036854775807",
      content: 'say "taskId":1',
      startAtMs: 1803996000000,
    });
  });

  test("refuses unsent: no bound at all, a page size over the spec's maximum, a filter Lofty does not have", async () => {
    const { lofty, requests } = setup([json(200, listExample)]);
    expect(await issuesOf(lofty.calendar.list({}))).toEqual([
      { path: "start", message: expect.stringMatching(/is required: give start or end/) },
    ]);
    const maximum: number = deref(listOperation.parameters.find((p: any) => deref(p).name === "pageSize")).schema
      .maximum;
    const tooBig = await issuesOf(lofty.calendar.list({ start: 1803888000000, pageSize: maximum + 1 }));
    expect(tooBig).toEqual([{ path: "pageSize", message: `must be at most ${maximum}, got ${maximum + 1}` }]);
    const filter = await issuesOf(lofty.calendar.list({ start: 1803888000000, type: "TASK" } as CalendarListInput));
    expect(filter.map((issue) => issue.path)).toEqual(["type"]);
    const wall = await issuesOf(lofty.calendar.list({ start: "2027-03-01T00:00" }));
    expect(wall).toEqual([{ path: "start", message: expect.stringMatching(/offset|timeZoneCode/) }]);
    expect(requests).toHaveLength(0);
  });

  test("a read is retried after a 5xx and after a timeout, within maxRetries", async () => {
    const hang: Answer = (_request, init) =>
      new Promise((_resolve, reject) => init.signal!.addEventListener("abort", () => reject(init.signal!.reason)));
    const { lofty, requests } = setup([json(503, { message: "busy" }), hang, json(200, listExample)], {
      timeoutMs: 30,
    });
    await expect(lofty.calendar.list({ start: 1803888000000 })).resolves.toMatchObject({ total: expect.any(Number) });
    expect(requests).toHaveLength(3);
    const failing = setup([hang], { timeoutMs: 20, maxRetries: 1 });
    const error = await failing.lofty.calendar.list({ start: 1803888000000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoftyTimeoutError);
    expect(error).toMatchObject({ mayHaveBeenCreated: false });
    expect(failing.requests).toHaveLength(2);
  });
});

describe("calendar.listAll", () => {
  test("refuses unsent what the spec's int32 cannot hold: a page or a sourceType code past 2^31 - 1", async () => {
    const { lofty, requests } = setup([json(200, listExample)]);
    const page = await issuesOf(lofty.calendar.list({ start: 1803888000000, page: 2 ** 31 }));
    expect(page).toEqual([{ path: "page", message: `must be at most ${2 ** 31 - 1}, got ${2 ** 31}` }]);
    const code = await issuesOf(lofty.calendar.list({ start: 1803888000000, sourceType: [1, 2 ** 31] }));
    expect(code).toEqual([{ path: "sourceType", message: expect.stringMatching(/item that must be at most/) }]);
    expect(requests).toHaveLength(0);
  });

  test("from a later page: the pages before it count towards total, so no request past the last page", async () => {
    const { lofty, requests } = setup([page([item(3), item(4)], 4, 1), page([item(99)], 4, 2)]);
    const ids: string[] = [];
    for await (const event of lofty.calendar.listAll({ start: 1803888000000, page: 1, pageSize: 2 }))
      ids.push(event.id);
    expect(ids).toEqual(["3-task", "4-task"]);
    expect(requests).toHaveLength(1);
  });

  test("pages through total with the largest page size the spec allows, then stops", async () => {
    const { lofty, requests } = setup([page([item(1), item(2)], 3), page([item(3)], 3, 1), page([item(99)], 3, 2)]);
    const ids: string[] = [];
    for await (const event of lofty.calendar.listAll({ leadId: 1, start: 1803888000000 })) ids.push(event.id);
    expect(ids).toEqual(["1-task", "2-task", "3-task"]);
    const maximum = deref(listOperation.parameters.find((p: any) => deref(p).name === "pageSize")).schema.maximum;
    expect(requests.map((r) => new URL(r.url).searchParams.get("pageSize"))).toEqual([
      String(maximum),
      String(maximum),
    ]);
    expect(requests.map((r) => new URL(r.url).searchParams.get("page"))).toEqual(["0", "1"]);
  });

  test("an empty page ends it even if total says more; a given page size is kept", async () => {
    const { lofty, requests } = setup([page([item(1)], 10), page([], 10, 1)]);
    const events: unknown[] = [];
    for await (const event of lofty.calendar.listAll({ start: 1803888000000, pageSize: 1 })) events.push(event);
    expect(events).toHaveLength(1);
    expect(requests.map((r) => new URL(r.url).searchParams.get("pageSize"))).toEqual(["1", "1"]);
  });

  test("honours the signal between pages: nothing more is sent once it fires", async () => {
    const controller = new AbortController();
    const { lofty, requests } = setup([page([item(1)], 5), page([item(2)], 5, 1)]);
    const seen: unknown[] = [];
    const run = async () => {
      for await (const event of lofty.calendar.listAll({ start: 1803888000000, pageSize: 1 }, controller)) {
        seen.push(event);
        controller.abort();
      }
    };
    await expect(run()).rejects.toMatchObject({ name: "LoftyAbortError" });
    expect(seen).toHaveLength(1);
    expect(requests).toHaveLength(1);
  });
});

describe("calendar.update, delete, finish, unfinish", () => {
  test("update sends only the fields given, times in both forms, to the event's path; resolves to the message", async () => {
    const { lofty, requests } = setup([message("Calendar updated successfully")]);
    const result = await lofty.calendar.update("12345-appointment", {
      content: "Moved",
      end: "2027-03-05T12:00:00-08:00",
      leadId: "9007199254740993",
    });
    expect(result).toEqual({ message: "Calendar updated successfully" });
    expect(requests[0]!.method).toBe("PUT");
    expect(new URL(requests[0]!.url).pathname).toBe("/v2.0/calendar/12345-appointment");
    expect(requests[0]!.body).toBe(
      '{"content":"Moved","endAt":"2027-03-05T20:00:00+00:00","endAtMs":1804276800000,"leadId":9007199254740993}',
    );
  });

  test("update refuses unsent: nothing to change, a field it cannot change, a malformed id", async () => {
    const { lofty, requests } = setup([message("ok")]);
    expect((await issuesOf(lofty.calendar.update("12345-task", {}))).map((i) => i.path)).toEqual(["(input)"]);
    const type = await issuesOf(lofty.calendar.update("12345-task", { type: "TASK" } as never));
    expect(type.map((i) => i.path)).toContain("type");
    for (const id of ["abc", "12-meeting", ""]) {
      const issues = await issuesOf(lofty.calendar.update(id, { content: "x" }));
      expect(issues).toEqual([{ path: "calendarId", message: expect.stringMatching(/like "12345-task"/) }]);
    }
    // A field given but refused has its own issue, and no "give at least one field" beside it.
    expect(await issuesOf(lofty.calendar.update("12345-task", { leadId: "abc" }))).toEqual([
      { path: "leadId", message: expect.any(String) },
    ]);
    expect((await issuesOf(lofty.calendar.update("12345-task", { start: "nope" }))).map((i) => i.path)).toEqual([
      "start",
    ]);
    const number = await issuesOf(lofty.calendar.update(12345 as never, { content: "x" }));
    expect(number).toEqual([{ path: "calendarId", message: expect.stringMatching(/must be a string/) }]);
    expect(requests).toHaveLength(0);
  });

  for (const [method, verb, suffix] of [
    ["delete", "DELETE", ""],
    ["finish", "POST", "/finish"],
    ["unfinish", "POST", "/unfinish"],
  ] as const) {
    test(`${method} sends ${verb} …/{calendarId}${suffix} without a body but with Content-Type, as Lofty wants`, async () => {
      const { lofty, requests } = setup([message("done")]);
      await expect(lofty.calendar[method]("9007199254740993-task")).resolves.toEqual({ message: "done" });
      expect(requests[0]!.method).toBe(verb);
      expect(new URL(requests[0]!.url).pathname).toBe(`/v2.0/calendar/9007199254740993-task${suffix}`);
      expect(requests[0]!.body).toBeUndefined();
      expect(requests[0]!.headers.get("content-type")).toBe("application/json");
      const bad = await issuesOf(lofty.calendar[method]("9007199254740993"));
      expect(bad.map((i) => i.path)).toEqual(["calendarId"]);
    });
  }

  test("the id create returned works as it is", async () => {
    const { lofty, requests } = setup([
      json(200, { data: { id: "67890-appointment", type: "APPOINTMENT", message: "Created" } }),
      message("finished"),
    ]);
    const event = await lofty.calendar.create({
      type: "APPOINTMENT",
      content: "Showing",
      leadId: 1,
      timeZoneCode: "UTC",
      start: 1803996000000,
      end: 1803999600000,
    });
    await lofty.calendar.finish(event.id);
    expect(new URL(requests[1]!.url).pathname).toBe("/v2.0/calendar/67890-appointment/finish");
  });

  test("setting a state is retried after a lost connection; a 5xx after the retries says nothing was created", async () => {
    const { lofty, requests } = setup([networkError("ECONNRESET"), message("deleted")]);
    await expect(lofty.calendar.delete("1-task")).resolves.toEqual({ message: "deleted" });
    expect(requests).toHaveLength(2);
    const failing = setup([json(500, { message: "down" })], { maxRetries: 1 });
    const error = await failing.lofty.calendar.finish("1-task").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoftyServerError);
    expect(error).toMatchObject({ status: 500, mayHaveBeenCreated: false });
    expect(failing.requests).toHaveLength(2);
  });

  test("a 400 with Lofty's permission code is a LoftyPermissionDeniedError that keeps its status", async () => {
    for (const code of [20017, "PERMISSION_DENIED"]) {
      const { lofty } = setup([json(400, { code, message: "Permission denied" })]);
      const error = await lofty.calendar.unfinish("1-task").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LoftyPermissionDeniedError);
      expect(error).toMatchObject({ status: 400, code });
    }
  });
});

describe("calendar.availableMeetings", () => {
  test("sends the range in both forms and the limit; resolves to the data; refuses a limit below the minimum", async () => {
    const slots = { total: 1, slots: [{ startTime: "x", endTime: "y", startTimeMs: 1, endTimeMs: 2 }] };
    const { lofty, requests } = setup([json(200, { data: slots })]);
    const result = await lofty.calendar.availableMeetings({
      start: "2027-03-01T09:00",
      end: "2027-03-02T09:00",
      timeZoneCode: "Europe/Berlin",
      limit: 3,
    });
    expect(result).toEqual(slots);
    const query = Object.fromEntries(new URL(requests[0]!.url).searchParams);
    expect(query).toEqual({
      startTime: "2027-03-01T09:00:00+01:00",
      startTimeMs: "1803888000000",
      endTime: "2027-03-02T09:00:00+01:00",
      endTimeMs: "1803974400000",
      timeZoneCode: "Europe/Berlin",
      limit: "3",
    });
    const low = await issuesOf(lofty.calendar.availableMeetings({ start: 1, end: 2, limit: 0 }));
    expect(low.map((i) => i.path)).toContain("limit");
    const high = await issuesOf(lofty.calendar.availableMeetings({ start: 1, end: 2, limit: 3_000_000_000 }));
    expect(high.map((i) => i.path)).toContain("limit");
    const noEnd = await issuesOf(lofty.calendar.availableMeetings({ start: 1803888000000 }));
    expect(noEnd).toEqual([{ path: "end", message: expect.stringMatching(/is required/) }]);
    expect(requests).toHaveLength(1);
  });
});

describe("calendar.createOnce", () => {
  const task = {
    type: "TASK",
    content: "once",
    leadId: 1,
    timeZoneCode: "UTC",
    start: "2027-03-01T14:00:00Z",
    end: "2027-03-01T15:00:00Z",
    taskWay: "Call",
  } as const;

  test("refuses unsent look-up options that would mean never looking, or a timer that fires at once", async () => {
    const { lofty, requests } = setup([page([], 0)]);
    for (const [lookups, message] of [
      [NaN, "must be an integer, got NaN"],
      [1.5, "must be an integer, got 1.5"],
      [0, "must be at least 1, got 0"],
    ] as const) {
      expect(await issuesOf(lofty.calendar.createOnce(task, { lookups }))).toEqual([{ path: "lookups", message }]);
    }
    for (const [lookupDelayMs, message] of [
      [NaN, "must be an integer, got NaN"],
      [-1, "must be at least 0, got -1"],
      [2 ** 32, `must be at most ${2 ** 31 - 1}, got ${2 ** 32}`],
    ] as const) {
      const issues = await issuesOf(lofty.calendar.createOnce(task, { lookupDelayMs }));
      expect(issues).toEqual([{ path: "lookupDelayMs", message }]);
    }
    expect(requests).toHaveLength(0);
  });

  test("finds an event whose list item has only the ISO times, and creates nothing", async () => {
    const listed = {
      id: "7-task",
      type: "TASK",
      taskId: 7,
      content: "once",
      startAt: "2027-03-01T14:00:00+00:00",
      endAt: "2027-03-01T15:00:00+00:00",
    };
    const { lofty, requests } = setup([page([listed], 1)]);
    const result = await lofty.calendar.createOnce(task);
    expect(result).toMatchObject({ created: false, event: { id: "7-task", type: "TASK" } });
    expect(requests.map((r) => r.method)).toEqual(["GET"]);
  });
});
