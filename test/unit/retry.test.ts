// Retry policy: retry only what Lofty certainly did not process, so a retry can never duplicate an event.
import { describe, expect, test } from "vitest";
import { minimalTask } from "../support/inputs.js";
import {
  createLoftyClient,
  LoftyAbortError,
  LoftyConnectionError,
  LoftyRateLimitError,
  LoftyServerError,
  LoftyTimeoutError,
  type LoftyClientOptions,
  type LoftyError,
} from "../../src/index.js";
import { retryDelay } from "../../src/transport.js";
import { created, fakeFetch, json, networkError, type Answer } from "../support/fake-fetch.js";

const task = minimalTask;
const tooMany = (headers: Record<string, string> = { "Retry-After": "0" }) =>
  json(429, { message: "Too Many Requests" }, { "X-RateLimit-Remaining": "0", ...headers });

async function run(answers: Answer[], options: Partial<LoftyClientOptions> = {}, signal?: AbortSignal) {
  const { fetch, requests } = fakeFetch(...answers);
  const lofty = createLoftyClient({ accessToken: "test-token", fetch, throttle: false, ...options });
  const outcome = await lofty.calendar.create(task, signal ? { signal } : {}).then(
    (event) => ({ event, error: undefined }),
    (error: LoftyError) => ({ event: undefined, error }),
  );
  return { ...outcome, requests };
}

describe("retried: certainly not processed", () => {
  test("429 with Retry-After, then success", async () => {
    const { event, requests } = await run([tooMany(), created()]);
    expect(event?.id).toBe("12345-task");
    expect(requests).toHaveLength(2);
    expect(requests[1]!.body).toBe(requests[0]!.body);
  });

  test("429 with X-RateLimit-Reset now, then success", async () => {
    const reset = String(Math.floor(Date.now() / 1000));
    const { event, requests } = await run([tooMany({ "X-RateLimit-Reset": reset }), created()]);
    expect(event).toBeDefined();
    expect(requests).toHaveLength(2);
  });

  test("a 429 storm longer than maxRetries ends in LoftyRateLimitError after maxRetries + 1 requests", async () => {
    const { error, requests } = await run([tooMany()], { maxRetries: 3 });
    expect(error).toBeInstanceOf(LoftyRateLimitError);
    expect(error!.mayHaveBeenCreated).toBe(false);
    expect(requests).toHaveLength(4);
  });

  test("a 429 whose reset is further than maxRetryDelayMs is thrown at once", async () => {
    const { error, requests } = await run([tooMany({ "Retry-After": "120" })], { maxRetryDelayMs: 1_000 });
    expect(error).toBeInstanceOf(LoftyRateLimitError);
    expect(requests).toHaveLength(1);
  });

  test("connection refused, then success", async () => {
    const { event, requests } = await run([networkError("ECONNREFUSED"), created()]);
    expect(event).toBeDefined();
    expect(requests).toHaveLength(2);
  });

  test("connection refused every time: LoftyConnectionError saying nothing was sent", async () => {
    const { error, requests } = await run([networkError("ECONNREFUSED")], { maxRetries: 1 });
    expect(error).toBeInstanceOf(LoftyConnectionError);
    expect(error!.mayHaveBeenCreated).toBe(false);
    expect(error!.message).toMatch(/nothing was sent/);
    expect(requests).toHaveLength(2);
  });

  test("one 401 with a token function: asks it again and retries once", async () => {
    const tokens = ["expired-token", "fresh-token", "never-used"];
    const { fetch, requests } = fakeFetch(
      json(401, { code: "BAD_CREDENTIALS", message: "Bad credentials" }),
      created(),
    );
    const lofty = createLoftyClient({ accessToken: () => tokens.shift()!, fetch, throttle: false });
    await expect(lofty.calendar.create(task)).resolves.toMatchObject({ type: "TASK" });
    expect(requests.map((r) => r.headers.get("authorization"))).toEqual(["Bearer expired-token", "Bearer fresh-token"]);
  });

  test("the one 401 retry belongs to each request, not to the client", async () => {
    let current = "token-1";
    const { fetch, requests } = fakeFetch((request) =>
      request.headers.get("authorization") === `Bearer ${current}`
        ? created()
        : json(401, { code: "BAD_CREDENTIALS", message: "Bad credentials" }),
    );
    const tokens = ["token-0", "token-1", "token-2", "token-3"];
    const lofty = createLoftyClient({ accessToken: () => tokens.shift()!, fetch, throttle: false });
    await expect(lofty.calendar.create(task)).resolves.toMatchObject({ type: "TASK" });
    current = "token-3"; // token-2 expired too, before the second call
    await expect(lofty.calendar.create(task)).resolves.toMatchObject({ type: "TASK" });
    expect(requests.map((r) => r.headers.get("authorization"))).toEqual([
      "Bearer token-0",
      "Bearer token-1",
      "Bearer token-2",
      "Bearer token-3",
    ]);
  });

  test("401 twice with a token function is thrown after one retry; with a string token at once", async () => {
    const unauthorized = json(401, { code: "BAD_CREDENTIALS", message: "Bad credentials" });
    const { fetch, requests } = fakeFetch(unauthorized);
    const lofty = createLoftyClient({ accessToken: async () => "t", fetch, throttle: false });
    await expect(lofty.calendar.create(task)).rejects.toMatchObject({ status: 401 });
    expect(requests).toHaveLength(2);
    const once = await run([unauthorized]);
    expect(once.error).toMatchObject({ status: 401 });
    expect(once.requests).toHaveLength(1);
  });
});

describe("never retried: the event may exist", () => {
  test("a 500 is thrown after one request, saying it may have been created", async () => {
    const { error, requests } = await run([
      json(500, { message: "BaseApplicationException:errorCode=20005,errorMsg=System error" }),
      created(),
    ]);
    expect(error).toBeInstanceOf(LoftyServerError);
    expect(error!.mayHaveBeenCreated).toBe(true);
    expect(requests).toHaveLength(1);
  });

  test("a connection reset during the request", async () => {
    const { error, requests } = await run([networkError("ECONNRESET"), created()]);
    expect(error).toBeInstanceOf(LoftyConnectionError);
    expect(error!.mayHaveBeenCreated).toBe(true);
    expect(requests).toHaveLength(1);
  });

  test("a timeout (no answer within timeoutMs) is a LoftyTimeoutError after one request", async () => {
    const hang: Answer = (_request, init) =>
      new Promise((_resolve, reject) => init.signal!.addEventListener("abort", () => reject(init.signal!.reason)));
    const { error, requests } = await run([hang, created()], { timeoutMs: 50 });
    expect(error).toBeInstanceOf(LoftyTimeoutError);
    expect(error!.mayHaveBeenCreated).toBe(true);
    expect(error!.message).toContain("50 ms");
    expect(requests).toHaveLength(1);
  });
});

describe("the caller's AbortSignal", () => {
  test("fired before: nothing is sent", async () => {
    const { error, requests } = await run([created()], {}, AbortSignal.abort());
    expect(error).toBeInstanceOf(LoftyAbortError);
    expect(error!.mayHaveBeenCreated).toBe(false);
    expect(requests).toHaveLength(0);
  });

  test("fired during: LoftyAbortError that says the event may exist", async () => {
    const controller = new AbortController();
    const hang: Answer = (_request, init) => {
      setTimeout(() => controller.abort(), 10);
      return new Promise((_resolve, reject) =>
        init.signal!.addEventListener("abort", () => reject(init.signal!.reason)),
      );
    };
    const { error, requests } = await run([hang], {}, controller.signal);
    expect(error).toBeInstanceOf(LoftyAbortError);
    expect(error!.mayHaveBeenCreated).toBe(true);
    expect(requests).toHaveLength(1);
  });

  test("fired while waiting to retry a 429: stops without another request", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const { error, requests } = await run([tooMany({ "Retry-After": "5" }), created()], {}, controller.signal);
    expect(error).toBeInstanceOf(LoftyAbortError);
    expect(error!.mayHaveBeenCreated).toBe(false);
    expect(requests).toHaveLength(1);
  });
});

describe("the caller's AbortSignal while a token function is pending", () => {
  test("rejects at once with LoftyAbortError, nothing sent, whatever the function does later", async () => {
    const { fetch, requests } = fakeFetch(created());
    const never = () => new Promise<string>(() => undefined);
    const lofty = createLoftyClient({ accessToken: never, fetch, throttle: false });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const started = Date.now();
    const error = await lofty.calendar.create(task, { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoftyAbortError);
    expect((error as LoftyError).mayHaveBeenCreated).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(requests).toHaveLength(0);
  });
});

describe("raw calls through lofty.client", () => {
  test("a GET reads: retried after a 5xx and a timeout, whose error never says an event may have been created", async () => {
    const hang: Answer = (_request, init) =>
      new Promise((_, reject) => init.signal!.addEventListener("abort", () => reject(init.signal!.reason)));
    const query = { params: { query: { startTimeMs: 1803888000000 } } };
    const fiveHundred = fakeFetch(json(500, { message: "down" }));
    const options = { accessToken: "test-token", throttle: false, maxRetries: 1, timeoutMs: 20 } as const;
    const answered = await createLoftyClient({ ...options, fetch: fiveHundred.fetch }).client.GET(
      "/v2.0/calendar",
      query,
    );
    expect(answered.response.status).toBe(500);
    expect(fiveHundred.requests).toHaveLength(2);
    const hanging = fakeFetch(hang);
    const lofty = createLoftyClient({ ...options, fetch: hanging.fetch });
    const failure = await lofty.client.GET("/v2.0/calendar", query).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(LoftyTimeoutError);
    expect((failure as LoftyError).mayHaveBeenCreated).toBe(false);
    expect(hanging.requests).toHaveLength(2);
  });

  test("a POST may be a create: not retried after a 5xx, and said to may have created the event", async () => {
    const { fetch, requests } = fakeFetch(json(500, { message: "down" }));
    const lofty = createLoftyClient({ accessToken: "test-token", fetch, throttle: false, maxRetries: 1 });
    const failure = await lofty.client.POST("/v2.0/calendar/{calendarId}/finish", {
      params: { path: { calendarId: "1-task" } },
    });
    expect(failure.response.status).toBe(500);
    expect(requests).toHaveLength(1);
  });
});

describe("retryDelay", () => {
  const now = 1_772_402_400_000;
  test("prefers Retry-After (seconds or HTTP date), then X-RateLimit-Reset, then backoff", () => {
    expect(retryDelay(new Headers({ "Retry-After": "3" }), 0, now)).toBe(3_000);
    expect(retryDelay(new Headers({ "Retry-After": new Date(now + 5_000).toUTCString() }), 0, now)).toBe(5_000);
    expect(retryDelay(new Headers({ "X-RateLimit-Reset": String(now / 1000 + 7) }), 0, now)).toBe(7_000);
    expect(retryDelay(new Headers({ "X-RateLimit-Reset": String(now / 1000 - 7) }), 0, now)).toBe(0);
    const backoff = retryDelay(new Headers(), 2, now);
    expect(backoff).toBeGreaterThanOrEqual(1_500);
    expect(backoff).toBeLessThanOrEqual(2_500);
  });
});
