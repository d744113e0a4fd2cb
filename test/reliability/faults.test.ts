// Fault injection: the real SDK with the real global fetch against a local server that fails in every way the network
// and Lofty can. Each call ends in success or a typed LoftyError whose `mayHaveBeenCreated` matches what the server
// really did, the server never creates one call's event twice, and no call leaves a timer or an unhandled rejection.
import { createServer } from "node:http";
import { inspect } from "node:util";
import { minimalTask } from "../support/inputs.js";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import {
  createLoftyClient,
  LoftyAbortError,
  LoftyApiError,
  LoftyAuthenticationError,
  LoftyConnectionError,
  LoftyError,
  LoftyRateLimitError,
  LoftyResponseError,
  LoftyServerError,
  LoftyTimeoutError,
  type CreateOptions,
  type LoftyClientOptions,
} from "../../src/index.js";
import {
  answer,
  closeAfterRead,
  closedPort,
  envelope,
  hangAfterRead,
  hangBeforeRead,
  ok,
  resetAfterRead,
  resetBeforeRead,
  stallBody,
  startFaultServer,
  truncated,
  type Behaviour,
  type FaultServer,
} from "./fault-server.js";
import { API_KEY, exposedElsewhere, guardSuite, settle, thrown, TOKEN } from "./harness.js";

guardSuite();

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.clear();
  // Lofty reports its window on every answer: a generous one here, so only the scripted faults matter.
  server.limit({ limit: 1_000, windowMs: 60_000 });
});
afterEach(() => {
  expect(server.duplicates(), "events created twice").toEqual([]);
});

type Credentials = { accessToken: LoftyClientOptions["accessToken"] } | { apiKey: string };
let calls = 0;

/**
 * One `calendar.create` with a unique `content` through a fresh client, checked against the server: at most one event
 * created for it, and an error that says nothing was created (`mayHaveBeenCreated: false`) only if none was.
 */
async function create(
  options: Partial<LoftyClientOptions> = {},
  createOptions: CreateOptions = {},
  credentials: Credentials = { accessToken: TOKEN },
  allowance = 0,
) {
  const content = `reliability call ${++calls}`;
  const lofty = createLoftyClient({ ...credentials, baseUrl: server.url, ...options });
  const startedAt = Date.now();
  const outcome = await settle(
    () =>
      lofty.calendar.create(
        {
          type: "TASK",
          content,
          leadId: "563172647619608",
          timeZoneCode: "America/Los_Angeles",
          start: "2026-03-01T14:00",
          end: "2026-03-01T15:00",
          taskWay: "Call",
          assignedRole: "Agent",
        },
        createOptions,
      ),
    allowance,
  );
  const created = server.created.filter((c) => c === content).length;
  expect(created, "events created for one call").toBeLessThanOrEqual(1);
  if (outcome.error && !outcome.error.mayHaveBeenCreated)
    expect(created, "created although the error says not").toBe(0);
  if (outcome.error && created) expect(outcome.error.mayHaveBeenCreated, "created, but the error says not").toBe(true);
  if (outcome.value) expect(created, "resolved without the server creating it").toBe(1);
  for (const request of server.requests) {
    expect(request.headers.authorization).toBe("apiKey" in credentials ? `token ${API_KEY}` : `Bearer ${TOKEN}`);
  }
  exposedElsewhere.push(inspect(lofty, { depth: 10, showHidden: true }));
  return { ...outcome, created, requests: server.requests, elapsed: Date.now() - startedAt };
}

/** A 429 as Lofty sends it: no code, the window exhausted until the next epoch second (as a function: at answer time). */
const tooMany =
  (extra: Record<string, string> = {}, withWindow = true): Behaviour =>
  async (x) => {
    if ((await x.read()) === undefined) return;
    const window: Record<string, string> = withWindow
      ? {
          "X-RateLimit-Limit": "20",
          "X-RateLimit-Remaining": "0",
          "X-RateLimit-Reset": String(Math.floor(Date.now() / 1000) + 1),
        }
      : {};
    if (!withWindow)
      for (const name of ["X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"]) x.res.removeHeader(name);
    x.send(429, JSON.stringify({ message: "Too Many Requests" }), {
      "Content-Type": "application/json",
      ...window,
      ...extra,
    });
  };
/** The X-RateLimit-Reset the server answered, in ms. */
const resetMs = (request: { answered?: Record<string, unknown> } | undefined) =>
  Number(request?.answered?.["x-ratelimit-reset"]) * 1000;

const html = (status: number, title: string) =>
  answer(
    status,
    `<html><head><title>${status} ${title}</title></head><body><center><h1>${status} ${title}</h1></center><hr><center>nginx</center></body></html>`,
    {
      "Content-Type": "text/html",
    },
  );

describe("the connection", () => {
  test("refused (nothing listening): retried with backoff, then LoftyConnectionError saying nothing was sent", async () => {
    const port = await closedPort();
    const lofty = createLoftyClient({ accessToken: TOKEN, baseUrl: `http://127.0.0.1:${port}`, maxRetries: 1 });
    const started = Date.now();
    const { error } = await settle(() => lofty.calendar.create({ ...minimalTask, content: "refused" }));
    expect(error).toBeInstanceOf(LoftyConnectionError);
    expect(error).not.toBeInstanceOf(LoftyTimeoutError);
    expect(error!.mayHaveBeenCreated).toBe(false);
    expect(error!.message).toMatch(/ECONNREFUSED.*nothing was sent/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(375); // one backoff (500 ms ± 25 %) before the retry
  });

  test("refused, then a server appears on that port during the backoff: created exactly once", async () => {
    const port = await closedPort();
    const late = createServer((req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(200, { "Content-Type": "application/json" }).end(envelope()));
    });
    let hits = 0;
    late.on("request", () => hits++);
    try {
      const lofty = createLoftyClient({ accessToken: TOKEN, baseUrl: `http://127.0.0.1:${port}` });
      const call = settle(() => lofty.calendar.create({ ...minimalTask, content: "late" }), 1);
      // The first attempt is refused at once; the first retry comes after >= 375 ms.
      await new Promise<void>((resolve) => setTimeout(resolve, 100));
      await new Promise<void>((resolve) => late.listen(port, "127.0.0.1", resolve));
      const { value, error } = await call;
      expect(error).toBeUndefined();
      expect(value).toMatchObject({ id: "12345-task", type: "TASK" });
      expect(hits).toBe(1);
    } finally {
      late.closeAllConnections();
      await new Promise((resolve) => late.close(resolve));
    }
  });

  test("reset before the request is read: LoftyConnectionError, may have been created (the client cannot tell), not retried", async () => {
    server.use(resetBeforeRead, ok);
    const { error, created, requests } = await create();
    expect(error).toBeInstanceOf(LoftyConnectionError);
    expect(error!.mayHaveBeenCreated).toBe(true);
    expect(error!.message).toMatch(/ECONNRESET|failed/);
    expect(created).toBe(0);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.body).toBeUndefined();
  });

  test("reset after the body was read (event created): LoftyConnectionError, may have been created, not retried", async () => {
    for (const credentials of [{ accessToken: TOKEN }, { apiKey: API_KEY }]) {
      server.clear();
      server.use(resetAfterRead, ok);
      const { error, created, requests } = await create({}, {}, credentials);
      expect(error).toBeInstanceOf(LoftyConnectionError);
      expect(error!.mayHaveBeenCreated).toBe(true);
      expect(error!.message).toMatch(/may or may not have been created/);
      expect(created).toBe(1);
      expect(requests).toHaveLength(1);
    }
  });

  test("closed (FIN, no answer) after the body was read: LoftyConnectionError, may have been created, not retried", async () => {
    server.use(closeAfterRead, ok);
    const { error, created, requests } = await create();
    expect(error).toBeInstanceOf(LoftyConnectionError);
    expect(error!.mayHaveBeenCreated).toBe(true);
    expect(created).toBe(1);
    expect(requests).toHaveLength(1);
  });
});

describe("429", () => {
  test("with X-RateLimit-Reset, then success: waits for the reset (epoch seconds), then created once", async () => {
    server.use(tooMany(), ok);
    const { value, created, requests } = await create();
    expect(value).toMatchObject({ type: "TASK" });
    expect(created).toBe(1);
    expect(requests.map((r) => r.status)).toEqual([429, 200]);
    expect(requests[1]!.at).toBeGreaterThanOrEqual(resetMs(requests[0]));
    expect(requests[1]!.body).toBe(requests[0]!.body);
  });

  test("with Retry-After (and no X-RateLimit-*), then success: waits Retry-After seconds, then created once", async () => {
    server.use(tooMany({ "Retry-After": "1" }, false), ok);
    const { value, created, requests } = await create();
    expect(value).toMatchObject({ type: "TASK" });
    expect(created).toBe(1);
    expect(requests.map((r) => r.status)).toEqual([429, 200]);
    expect(requests[1]!.at - requests[0]!.at).toBeGreaterThanOrEqual(990);
  });

  test("a storm longer than the retry budget: LoftyRateLimitError after maxRetries + 1 requests, nothing created", async () => {
    server.use(tooMany({ "Retry-After": "0" }));
    const { error, created, requests } = await create({ maxRetries: 2 });
    expect(error).toBeInstanceOf(LoftyRateLimitError);
    expect(error!.mayHaveBeenCreated).toBe(false);
    expect((error as LoftyRateLimitError).remaining).toBe(0);
    expect((error as LoftyRateLimitError).resetAt).toBeInstanceOf(Date);
    expect(created).toBe(0);
    expect(requests).toHaveLength(3);
    // Retry-After: 0, but the throttle still waited for each X-RateLimit-Reset.
    for (let i = 1; i < requests.length; i++) {
      expect(requests[i]!.at).toBeGreaterThanOrEqual(resetMs(requests[i - 1]));
    }
  });

  test("a reset further away than maxRetryDelayMs is thrown at once, and leaves no timer", async () => {
    server.use(tooMany({ "Retry-After": "120", "X-RateLimit-Reset": String(Math.floor(Date.now() / 1000) + 120) }));
    const { error, created, requests, elapsed } = await create({ maxRetryDelayMs: 1_000 });
    expect(error).toBeInstanceOf(LoftyRateLimitError);
    expect(error!.mayHaveBeenCreated).toBe(false);
    expect(created).toBe(0);
    expect(requests).toHaveLength(1);
    expect(elapsed).toBeLessThan(1_000);
  });
});

describe("error answers", () => {
  test("a redirect is an answer, never followed: the token does not go to the other path", async () => {
    server.use(answer(307, "", { Location: "/elsewhere/v2.0/calendar" }), ok);
    const { error, requests } = await create();
    expect(error).toBeInstanceOf(LoftyApiError);
    expect((error as LoftyApiError).status).toBe(307);
    expect(error!.mayHaveBeenCreated).toBe(true); // not a 4xx: the SDK cannot tell what the server did
    expect(requests.map((r) => r.path)).toEqual(["/v2.0/calendar"]);
  });

  test("500 with Lofty's BaseApplicationException body: LoftyServerError, may have been created, not retried", async () => {
    const body = JSON.stringify({ message: "BaseApplicationException:errorCode=20005,errorMsg=System error" });
    for (const credentials of [{ accessToken: TOKEN }, { apiKey: API_KEY }, { accessToken: () => TOKEN }]) {
      server.clear();
      server.use(answer(500, body, { "Content-Type": "application/json" }, true), ok);
      const { error, created, requests } = await create({}, {}, credentials);
      expect(error).toBeInstanceOf(LoftyServerError);
      const api = error as LoftyServerError;
      expect(api.status).toBe(500);
      expect(api.code).toBeUndefined();
      expect(api.message).toContain("BaseApplicationException:errorCode=20005");
      expect(api.limit).toBe(1_000);
      expect(api.mayHaveBeenCreated).toBe(true);
      expect(created).toBe(1);
      expect(requests).toHaveLength(1);
    }
  });

  test.each([
    [502, "Bad Gateway", true],
    [503, "Service Temporarily Unavailable", false],
  ])(
    "%i with an HTML body: LoftyServerError with the text, may have been created, not retried",
    async (status, title, creates) => {
      const createThenFail = async (x: Parameters<ReturnType<typeof html>>[0]) => {
        await x.read();
        x.create();
        await html(status, title)(x);
      };
      server.use(creates ? createThenFail : html(status, title), ok);
      const { error, created, requests } = await create();
      expect(error).toBeInstanceOf(LoftyServerError);
      const api = error as LoftyServerError;
      expect(api.status).toBe(status);
      expect(api.body).toMatch(/^<html>/);
      expect(api.message).toContain(title);
      expect(api.message.length).toBeLessThan(300);
      expect(api.mayHaveBeenCreated).toBe(true);
      expect(created).toBe(creates ? 1 : 0);
      expect(requests).toHaveLength(1);
    },
  );

  test("401 with a token function: asked again once, then created once; with a string token thrown at once", async () => {
    const unauthorized = answer(401, JSON.stringify({ code: "BAD_CREDENTIALS", message: "Bad credentials" }), {
      "Content-Type": "application/json",
    });
    server.use(unauthorized, ok);
    let asked = 0;
    const refreshed = await create(
      {},
      {},
      {
        accessToken: () => {
          asked++;
          return TOKEN;
        },
      },
    );
    expect(refreshed.value).toMatchObject({ type: "TASK" });
    expect(asked).toBe(2);
    expect(refreshed.requests).toHaveLength(2);

    server.clear();
    server.use(unauthorized, ok);
    const { error, created, requests } = await create();
    expect(error).toBeInstanceOf(LoftyAuthenticationError);
    expect(error!.mayHaveBeenCreated).toBe(false);
    expect(created).toBe(0);
    expect(requests).toHaveLength(1);
  });
});

describe("200 without the documented body", () => {
  test("not JSON: LoftyResponseError, probably created", async () => {
    server.use(answer(200, "<html><body>OK</body></html>", { "Content-Type": "text/html" }, true));
    const { error, created, requests } = await create({}, {}, { apiKey: API_KEY });
    expect(error).toBeInstanceOf(LoftyResponseError);
    expect(error!.mayHaveBeenCreated).toBe(true);
    expect(created).toBe(1);
    expect(requests).toHaveLength(1);
  });

  test.each([
    ["data with a numeric id", { data: { id: 12345, type: "TASK", message: "ok" } }],
    ["no data", { code: 0, message: "success" }],
    ["data null", { data: null }],
    ["an array", [{ data: { id: "1", type: "TASK", message: "ok" } }]],
    ["null", null],
  ])("JSON of the wrong shape (%s): LoftyResponseError, probably created", async (_name, body) => {
    server.use(answer(200, JSON.stringify(body), { "Content-Type": "application/json" }, true));
    const { error, created, requests } = await create();
    expect(error).toBeInstanceOf(LoftyResponseError);
    expect(error!.mayHaveBeenCreated).toBe(true);
    expect(created).toBe(1);
    expect(requests).toHaveLength(1);
  });

  test("truncated (Content-Length larger than what is sent, then the socket ends): LoftyConnectionError, may have been created", async () => {
    server.use(truncated, ok);
    const { error, created, requests } = await create();
    expect(error).toBeInstanceOf(LoftyConnectionError);
    expect(error).not.toBeInstanceOf(LoftyTimeoutError);
    expect(error!.mayHaveBeenCreated).toBe(true);
    expect(error!.message).toMatch(/while reading the answer/);
    expect(created).toBe(1);
    expect(requests).toHaveLength(1);
  });
});

describe("timeouts", () => {
  test("response headers that never come: LoftyTimeoutError after timeoutMs, may have been created, not retried", async () => {
    server.use(hangAfterRead, ok);
    const { error, created, requests, elapsed } = await create({ timeoutMs: 300 });
    expect(error).toBeInstanceOf(LoftyTimeoutError);
    expect(error!.mayHaveBeenCreated).toBe(true);
    expect(error!.message).toContain("300 ms");
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(2_000);
    expect(created).toBe(1);
    expect(requests).toHaveLength(1);
  });

  test("a body that stalls mid-way: LoftyTimeoutError after timeoutMs, may have been created, not retried", async () => {
    server.use(stallBody, ok);
    const { error, created, requests, elapsed } = await create({ timeoutMs: 300 }, {}, { apiKey: API_KEY });
    expect(error).toBeInstanceOf(LoftyTimeoutError);
    expect(error!.mayHaveBeenCreated).toBe(true);
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(2_000);
    expect(created).toBe(1);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.status).toBe(200);
  });
});

describe("the caller's AbortSignal", () => {
  test("fired before: LoftyAbortError, nothing sent", async () => {
    server.use(ok);
    const { error, created, requests } = await create({}, { signal: AbortSignal.abort() });
    expect(error).toBeInstanceOf(LoftyAbortError);
    expect(error!.mayHaveBeenCreated).toBe(false);
    expect(created).toBe(0);
    expect(requests).toHaveLength(0);
  });

  test("fired during, after the server created the event: LoftyAbortError, may have been created", async () => {
    server.use(hangAfterRead);
    const controller = new AbortController();
    void server.next("created").then(() => controller.abort());
    const { error, created, requests } = await create({}, { signal: controller.signal });
    expect(error).toBeInstanceOf(LoftyAbortError);
    expect(error!.mayHaveBeenCreated).toBe(true);
    expect(created).toBe(1);
    expect(requests).toHaveLength(1);
  });

  test("fired during, before the server read the body: LoftyAbortError, may have been created (the client cannot tell)", async () => {
    server.use(hangBeforeRead);
    const controller = new AbortController();
    void server.next("request").then(() => controller.abort());
    const { error, created, requests } = await create({}, { signal: controller.signal });
    expect(error).toBeInstanceOf(LoftyAbortError);
    expect(error!.mayHaveBeenCreated).toBe(true);
    expect(created).toBe(0);
    expect(requests).toHaveLength(1);
  });

  test("fired while waiting to retry a 429: LoftyAbortError, nothing created, no second request", async () => {
    server.use(tooMany({ "Retry-After": "30", "X-RateLimit-Reset": String(Math.floor(Date.now() / 1000) + 30) }), ok);
    const controller = new AbortController();
    // The answer was flushed; 100 ms later the client is surely in its 30 s wait.
    void server.next("answered").then(() => setTimeout(() => controller.abort(), 100));
    const { error, created, requests, elapsed } = await create({}, { signal: controller.signal });
    expect(error).toBeInstanceOf(LoftyAbortError);
    expect(error!.mayHaveBeenCreated).toBe(false);
    expect(created).toBe(0);
    expect(requests).toHaveLength(1);
    expect(elapsed).toBeLessThan(5_000);
  });

  test("fired after the answer: the result stands, nothing else happens", async () => {
    server.use(ok);
    const controller = new AbortController();
    const { value, created, requests } = await create({}, { signal: controller.signal });
    controller.abort();
    await new Promise((resolve) => setImmediate(resolve));
    expect(value).toMatchObject({ type: "TASK" });
    expect(created).toBe(1);
    expect(requests).toHaveLength(1);
  });
});

describe("secrets", () => {
  test("a plain-http base URL to a non-loopback host is refused before anything is sent", () => {
    for (const baseUrl of ["http://api.lofty.com", "http://10.0.0.5:4010", "http://127.0.0.1.nip.io"]) {
      let error: unknown;
      try {
        createLoftyClient({ accessToken: TOKEN, baseUrl });
      } catch (e) {
        error = e;
      }
      thrown.push(error);
      expect(error).toBeInstanceOf(LoftyError);
      expect(error).not.toBeInstanceOf(LoftyApiError);
      expect(String(error)).toMatch(/plain http to a non-loopback host/);
    }
  });

  // A server (or a gateway) that echoes the Authorization header must not put the token into the error: the transport
  // redacts the credential from every answer body.
  test("a 401 body that echoes the token is redacted in LoftyApiError.message and .body", async () => {
    server.use(async (x) => {
      if ((await x.read()) === undefined) return;
      x.send(
        401,
        JSON.stringify({ code: "BAD_CREDENTIALS", message: `Bad credentials: ${x.req.headers.authorization}` }),
        {
          "Content-Type": "application/json",
        },
      );
    });
    const lofty = createLoftyClient({ accessToken: TOKEN, baseUrl: server.url });
    const error = await lofty.calendar.create({ ...minimalTask, content: "echo" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoftyAuthenticationError);
    expect(inspect(error, { depth: 10, showHidden: true }).includes(TOKEN), "the token is in the error").toBe(false);
  });

  test("every error of this file was scanned (the scan in afterAll is not vacuous)", () => {
    expect(thrown.length).toBeGreaterThanOrEqual(20);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
