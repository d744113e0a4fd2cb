// calendar.createOnce against a real calendar: the stateful mock (Prism proxy in front of the in-memory store) behind a
// fault proxy that, for the creates it is told to, stores the event and then loses the answer in one of the ways a
// network or a server can, or refuses with a 429 before storing. For each fault, distinct events: every one must exist
// exactly once on the server, every call must say truly whether it created it, and the only error allowed is the
// documented unknown-outcome one, when the look-up is made to fail too. The table of faults × outcomes and the requests
// each fault cost are printed (and asserted).
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startStatefulMock } from "../../mocks/stateful/index.mjs";
import { createLoftyClient, LoftyError, LoftyRateLimitError, type CreateOnceResult } from "../../src/index.js";

const HOUR = 3_600_000;
// Far above a loopback call through Prism on a busy machine, so that only the proxy's "answer after the timeout" times
// out (that fault waits twice as long).
const TIMEOUT_MS = 1_000;
const CALLS_PER_FAULT = 4;
const TOKEN = "create-once-test-token";

/** What the proxy does with a create (POST /v2.0/calendar) or a list (GET /v2.0/calendar). */
type Fault =
  | "pass"
  | "drop after storing"
  | "500 after storing"
  | "answer after the timeout"
  | "reset mid-answer"
  | "429 before storing"
  | "500 before forwarding";

interface Upstream {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** A proxy in front of the mock whose next creates and lists follow the faults it is given (then it passes). */
async function startFaultProxy(target: string) {
  const upstreamUrl = new URL(target);
  const script = { create: [] as Fault[], list: [] as Fault[] };
  const counts = { creates: 0, lists: 0 };

  const forward = (req: IncomingMessage, body: Buffer) =>
    new Promise<Upstream>((resolve, reject) => {
      const headers = { ...req.headers, host: upstreamUrl.host };
      const out = httpRequest(
        { host: upstreamUrl.hostname, port: upstreamUrl.port, method: req.method, path: req.url, headers },
        (answer) => {
          const chunks: Buffer[] = [];
          answer.on("data", (chunk: Buffer) => chunks.push(chunk));
          answer.on("end", () => {
            const kept = Object.fromEntries(
              Object.entries(answer.headers).filter(([name]) => !["connection", "transfer-encoding"].includes(name)),
            ) as Record<string, string>;
            resolve({ status: answer.statusCode ?? 502, headers: kept, body: Buffer.concat(chunks) });
          });
        },
      );
      out.on("error", reject);
      out.end(body);
    });

  const relay = (res: ServerResponse, upstream: Upstream) => {
    res.writeHead(upstream.status, { ...upstream.headers, "content-length": String(upstream.body.length) });
    res.end(upstream.body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const path = new URL(req.url ?? "/", "http://proxy").pathname;
    const kind = path === "/v2.0/calendar" && req.method === "POST" ? "create" : "list";
    if (path === "/v2.0/calendar") counts[kind === "create" ? "creates" : "lists"]++;
    const fault = path === "/v2.0/calendar" ? (script[kind].shift() ?? "pass") : "pass";
    const json = { "content-type": "application/json" };
    if (fault === "429 before storing") {
      res.writeHead(429, { ...json, "retry-after": "0" }).end('{"message":"Too Many Requests"}');
      return;
    }
    if (fault === "500 before forwarding") {
      res.writeHead(500, json).end('{"message":"BaseApplicationException:errorCode=20005,errorMsg=System error"}');
      return;
    }
    const upstream = await forward(req, body);
    if (fault === "pass") {
      relay(res, upstream);
      return;
    }
    if (fault === "drop after storing") {
      req.socket.destroy();
      return;
    }
    if (fault === "500 after storing") {
      res.writeHead(500, json).end('{"message":"BaseApplicationException:errorCode=20005,errorMsg=System error"}');
      return;
    }
    if (fault === "answer after the timeout") {
      setTimeout(() => relay(res, upstream), TIMEOUT_MS * 2);
      return;
    }
    // reset mid-answer: the status line and half the body, then RST.
    res.writeHead(upstream.status, { ...upstream.headers, "content-length": String(upstream.body.length) });
    res.write(upstream.body.subarray(0, upstream.body.length >> 1), () => req.socket.resetAndDestroy());
  };

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    script,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let mock: Awaited<ReturnType<typeof startStatefulMock>>;
let proxy: Awaited<ReturnType<typeof startFaultProxy>>;
// Whole seconds some days ahead: the mock refuses times not later than now.
const base = Math.ceil((Date.now() + 4 * 24 * HOUR) / 1000) * 1000;
let serial = 0;

beforeAll(async () => {
  mock = await startStatefulMock({ rateLimit: 100_000, log: () => {} });
  proxy = await startFaultProxy(mock.url);
  // Prism compiles its validators on the first requests: done here, directly, so no measured call pays for it.
  const direct = createLoftyClient({ accessToken: TOKEN, baseUrl: mock.url, throttle: false });
  const warmUp = newEvent();
  await direct.calendar.create(warmUp);
  await storedCount(warmUp);
}, 30_000);
afterAll(async () => {
  await proxy.close();
  await mock.stop();
});

/** A new event's input, distinct from every other one of the run. */
function newEvent() {
  serial++;
  return {
    type: "TASK",
    content: `createOnce proof ${serial}`,
    leadId: 7_000_000 + serial,
    timeZoneCode: "America/Los_Angeles",
    start: base + serial * HOUR,
    end: base + serial * HOUR + HOUR / 2,
    taskWay: "Call",
  } as const;
}

/** How many events with this content the calendar holds, asked of the mock directly (not through the proxy). */
async function storedCount(event: ReturnType<typeof newEvent>): Promise<number> {
  const direct = createLoftyClient({ accessToken: TOKEN, baseUrl: mock.url, throttle: false });
  let count = 0;
  for await (const item of direct.calendar.listAll({
    leadId: event.leadId,
    start: event.start - HOUR,
    includeFinished: true,
  })) {
    if (item.content === event.content) count++;
  }
  return count;
}

/** The creates and lists one call cost through the proxy, as a table row. */
async function measured(fault: string, outcome: string, call: () => Promise<unknown>) {
  const before = { ...proxy.counts };
  await call();
  const creates = proxy.counts.creates - before.creates;
  const lists = proxy.counts.lists - before.lists;
  table.push({ fault, outcome, "creates/call": String(creates), "lists/call": String(lists) });
  return { creates, lists };
}

const client = () =>
  createLoftyClient({ accessToken: TOKEN, baseUrl: proxy.url, throttle: false, timeoutMs: TIMEOUT_MS, maxRetries: 2 });
const once = { lookupDelayMs: 50 };
const table: Record<string, string>[] = [];

describe("calendar.createOnce: every event exactly once, whatever the create's answer", () => {
  const faults: [Fault, boolean][] = [
    ["pass", true],
    ["drop after storing", true],
    ["500 after storing", true],
    ["answer after the timeout", true],
    ["reset mid-answer", true],
    ["429 before storing", true],
  ];
  for (const [fault, created] of faults) {
    test(`${fault}: resolves { created: ${created} } and the event exists once`, async () => {
      const before = { ...proxy.counts };
      for (let call = 0; call < CALLS_PER_FAULT; call++) {
        const event = newEvent();
        proxy.script.create.push(fault);
        const result: CreateOnceResult = await client().calendar.createOnce(event, once);
        expect(result.created, `${fault} call ${call}`).toBe(created);
        expect(result.event).toMatchObject({ type: "TASK", content: event.content, leadId: String(event.leadId) });
        expect(result.event.id).toMatch(/^\d+-task$/);
        expect(await storedCount(event), `${fault} call ${call}`).toBe(1);
      }
      const creates = (proxy.counts.creates - before.creates) / CALLS_PER_FAULT;
      const lists = (proxy.counts.lists - before.lists) / CALLS_PER_FAULT;
      table.push({
        fault,
        outcome: `created: ${created}`,
        "creates/call": String(creates),
        "lists/call": String(lists),
      });
      // One create each (a second one only after a 429, which stored nothing); one look-up before, one after a loss.
      expect(creates).toBe(fault === "429 before storing" ? 2 : 1);
      expect(lists).toBe(fault === "pass" || fault === "429 before storing" ? 1 : 2);
    });
  }

  test("an event the lead already has is found, not created again", async () => {
    const event = newEvent();
    const first = await client().calendar.createOnce(event, once);
    let again: CreateOnceResult | undefined;
    const cost = await measured("(already there)", "created: false", async () => {
      again = await client().calendar.createOnce(event, once);
    });
    expect(first.created).toBe(true);
    expect(again).toEqual({ event: first.event, created: false });
    expect(cost).toEqual({ creates: 0, lists: 1 });
    expect(await storedCount(event)).toBe(1);
  });

  test("a create that certainly did not happen (500 before forwarding, then looked up) is made once more", async () => {
    const event = newEvent();
    proxy.script.create.push("500 before forwarding");
    let result: CreateOnceResult | undefined;
    const cost = await measured("500, nothing stored", "created: true", async () => {
      result = await client().calendar.createOnce(event, once);
    });
    expect(result?.created).toBe(true);
    // The look-up before, two after the 500 (the default `lookups`), then the second create.
    expect(cost).toEqual({ creates: 2, lists: 3 });
    expect(await storedCount(event)).toBe(1);
  });

  test("when the look-up fails too: the documented unknown-outcome LoftyError, never a success it has not seen", async () => {
    const event = newEvent();
    proxy.script.create.push("drop after storing");
    proxy.script.list.push("pass", "500 before forwarding", "500 before forwarding", "500 before forwarding");
    const lofty = createLoftyClient({
      accessToken: TOKEN,
      baseUrl: proxy.url,
      throttle: false,
      timeoutMs: TIMEOUT_MS,
      maxRetries: 0,
    });
    let error: unknown;
    const cost = await measured("drop + look-up fails", "LoftyError (unknown outcome)", async () => {
      error = await lofty.calendar.createOnce(event, once).catch((e: unknown) => e);
    });
    proxy.script.list.length = 0;
    expect(cost).toEqual({ creates: 1, lists: 2 });
    expect(error).toBeInstanceOf(LoftyError);
    expect(error).toMatchObject({ mayHaveBeenCreated: true, message: expect.stringMatching(/unknown/) });
    expect((error as LoftyError).cause).toBeInstanceOf(LoftyError);
    expect(await storedCount(event)).toBe(1); // it was created; the caller was told it may have been
  });

  test("a refusal (4xx) is thrown as it is, nothing created", async () => {
    const event = { ...newEvent(), start: Date.now() - HOUR, end: Date.now() - HOUR / 2 };
    const error = await client()
      .calendar.createOnce(event, once)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, mayHaveBeenCreated: false });
    expect(error).not.toBeInstanceOf(LoftyRateLimitError);
    expect(await storedCount(event)).toBe(0);
  });

  afterAll(() => {
    console.info("[reliability] createOnce, faults × outcomes (requests through the proxy per call):");
    console.table(table);
  });
});
