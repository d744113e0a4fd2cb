// The throttle against a server that enforces its window: bulk creation with Promise.all fills the window without
// bursting into 429s, each event is created once; and `throttle: { requestsPerMinute }` holds requests back by itself.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import {
  createLoftyClient,
  LoftyAbortError,
  LoftyConnectionError,
  LoftyServerError,
  type CalendarCreateInput,
  type LoftyError,
} from "../../src/index.js";
import { answer, ok, startFaultServer, type FaultServer } from "./fault-server.js";
import { activeTimeouts, guardSuite, pendingSdkTimers, settle, thrown, TOKEN } from "./harness.js";

guardSuite();

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.clear();
  server.use(ok);
});
afterEach(() => {
  expect(server.duplicates(), "events created twice").toEqual([]);
});

const task = (content: string): CalendarCreateInput => ({
  type: "TASK",
  content,
  leadId: 563172647619608n,
  timeZoneCode: "America/Los_Angeles",
  start: "2027-03-01T14:00",
  end: "2027-03-01T15:00",
  taskWay: "Call",
});

describe("bulk creation against a server enforcing 20 requests per 1-second window", () => {
  const LIMIT = 20;
  const EVENTS = 200;

  test(`${EVENTS} concurrent creates all succeed, each created once, with few 429s, at >= 90 % of the allowed rate`, async () => {
    server.limit({ limit: LIMIT, windowMs: 1_000 }, 5); // windows aligned to epoch seconds, 5 ms of work per request
    const lofty = createLoftyClient({ accessToken: TOKEN, baseUrl: server.url });
    const contents = Array.from({ length: EVENTS }, (_, i) => `bulk event ${i}`);
    const timersBefore = activeTimeouts();
    const started = performance.now();
    const results = await Promise.all(
      contents.map((content) =>
        lofty.calendar.create(task(content)).catch((error: unknown) => {
          thrown.push(error);
          throw error;
        }),
      ),
    );
    const elapsedMs = performance.now() - started;
    await new Promise((resolve) => setImmediate(resolve));
    expect(activeTimeouts(), "a timer was left running").toBeLessThanOrEqual(timersBefore);
    expect(pendingSdkTimers(), "an SDK timer was left running").toEqual([]);

    expect(results).toHaveLength(EVENTS);
    expect([...server.created].sort()).toEqual([...contents].sort());
    const achieved = EVENTS / (elapsedMs / 1000);
    // Requests the server counted per epoch-second window (the first window is partial, so the average can exceed 20/s).
    const perWindow = new Map<number, number>();
    for (const request of server.requests)
      perWindow.set(Math.floor(request.at / 1000), (perWindow.get(Math.floor(request.at / 1000)) ?? 0) + 1);
    const figures = {
      events: EVENTS,
      elapsedMs: Math.round(elapsedMs),
      achievedPerSecond: Number(achieved.toFixed(1)),
      allowedPerSecond: LIMIT,
      requests: server.requests.length,
      seen429: server.rejected429,
      maxConcurrencyAtServer: server.maxConcurrency,
      windows: perWindow.size,
      maxPerWindow: Math.max(...perWindow.values()),
    };
    console.info(`[reliability] bulk create: ${JSON.stringify(figures)}`);
    expect(server.rejected429, "429s seen by the server").toBeLessThanOrEqual(2);
    expect(server.requests.length).toBe(EVENTS + server.rejected429);
    expect(server.maxConcurrency).toBeLessThanOrEqual(LIMIT);
    expect(achieved).toBeGreaterThanOrEqual(0.9 * LIMIT);
  });
});

describe("throttle: { requestsPerMinute } with a server that sends no rate-limit headers", () => {
  test("5 per minute: 5 calls finish at once, the 6th waits (still pending after 200 ms), aborting it sends nothing", async () => {
    server.limit(undefined);
    const lofty = createLoftyClient({ accessToken: TOKEN, baseUrl: server.url, throttle: { requestsPerMinute: 5 } });
    const timersBefore = activeTimeouts();
    const controller = new AbortController();
    const started = performance.now();
    // Concurrent calls, so the timers are checked for all of them together (settle checks one call at a time).
    const calls = Array.from({ length: 6 }, (_, i) =>
      lofty.calendar.create(task(`budget ${i}`), i === 5 ? { signal: controller.signal } : {}).then(
        (value) => ({ value, error: undefined }),
        (error: LoftyError) => {
          thrown.push(error);
          return { value: undefined, error };
        },
      ),
    );
    const firstFive = await Promise.all(calls.slice(0, 5));
    const fiveMs = performance.now() - started;
    expect(firstFive.map((o) => o.error)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(fiveMs).toBeLessThan(1_000);

    let sixthSettled = false;
    void calls[5]!.then(() => (sixthSettled = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sixthSettled, "the 6th call waits for the budget").toBe(false);
    expect(server.requests).toHaveLength(5);
    expect(server.created).toEqual(["budget 0", "budget 1", "budget 2", "budget 3", "budget 4"]);
    expect(pendingSdkTimers(), "the throttle waits on one timer").toHaveLength(1);

    controller.abort();
    const sixth = await calls[5]!;
    expect(sixth.error).toBeInstanceOf(LoftyAbortError);
    expect(sixth.error!.mayHaveBeenCreated).toBe(false);
    expect(sixth.error!.message).toMatch(/nothing was sent/);
    await new Promise((resolve) => setImmediate(resolve));
    expect(server.requests, "nothing was sent for the aborted call").toHaveLength(5);
    expect(activeTimeouts(), "a timer was left running").toBeLessThanOrEqual(timersBefore);
    expect(pendingSdkTimers(), "the throttle's timer was cleared").toEqual([]);
    console.info(
      `[reliability] requestsPerMinute 5: 5 calls in ${Math.round(fiveMs)} ms, 6th pending after 200 ms, aborted without a request`,
    );
  });
});

describe("answers without rate-limit headers after the window is known", () => {
  // A gateway's 502s, or an outage (connection refused), carry no X-RateLimit-*: once they have used up a window's
  // budget, nothing tells the throttle the next window, so the calls after them must still be sent (one probe at a
  // time), not queued forever. Limit 2, so the window is used up after a few calls.
  const gateway502 = answer(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", { "Content-Type": "text/html" });

  test("a gateway's 502s without headers: every later call is still sent and answered (LoftyServerError), none hangs", async () => {
    server.limit({ limit: 2, windowMs: 1_000 });
    const lofty = createLoftyClient({ accessToken: TOKEN, baseUrl: server.url });
    expect((await settle(() => lofty.calendar.create(task("window known")))).value).toBeDefined();
    server.limit(undefined);
    server.use(gateway502);
    for (let i = 0; i < 5; i++) {
      const controller = new AbortController();
      const guard = setTimeout(() => controller.abort(), 3_000);
      const { error } = await settle(
        () => lofty.calendar.create(task(`after the window ${i}`), { signal: controller.signal }),
        1,
      );
      clearTimeout(guard);
      expect(error, `call ${i}: ${String(error)}`).toBeInstanceOf(LoftyServerError);
    }
    expect(server.requests).toHaveLength(6);
  });

  test("an outage (connection refused) after the window is known: later calls fail with LoftyConnectionError, none hangs", async () => {
    const doomed = await startFaultServer();
    doomed.limit({ limit: 2, windowMs: 1_000 });
    const lofty = createLoftyClient({ accessToken: TOKEN, baseUrl: doomed.url, maxRetries: 0 });
    expect((await settle(() => lofty.calendar.create(task("before the outage")))).value).toBeDefined();
    await doomed.close();
    // Let the client see the pooled connection's close first: a create written onto a keep-alive connection as the
    // server closes it is "may have been created" (RFC 9112 §9.3.1), which is not what this test is about.
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (let i = 0; i < 5; i++) {
      const controller = new AbortController();
      const guard = setTimeout(() => controller.abort(), 3_000);
      const { error } = await settle(
        () => lofty.calendar.create(task(`outage ${i}`), { signal: controller.signal }),
        1,
      );
      clearTimeout(guard);
      expect(error, `call ${i}: ${String(error)}`).toBeInstanceOf(LoftyConnectionError);
      expect(
        error!.mayHaveBeenCreated,
        `call ${i}: ${String(error)} ${String((error!.cause as Error | undefined)?.cause)}`,
      ).toBe(false);
    }
  });
});
