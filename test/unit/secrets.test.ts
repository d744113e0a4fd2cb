// The access token and API key never appear in an error's message, stack, JSON or inspect output, nor in any log.
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { minimalTask } from "../support/inputs.js";
import { createLoftyClient, type LoftyClientOptions } from "../../src/index.js";
import { fakeFetch, json, networkError, type Answer } from "../support/fake-fetch.js";

const TOKEN = "sk-live-TOKEN-0123456789abcdef";
const KEY = "jws.API-KEY.0123456789abcdef";
const task = minimalTask;
const logged: string[] = [];

beforeEach(() => {
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" ")));
  }
});
afterEach(() => vi.restoreAllMocks());

/** Everything an error exposes, down its cause chain. */
function exposed(error: unknown): string {
  let text = "";
  for (let e = error as { cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    text += `${String(e)}\n${(e as Error).stack ?? ""}\n${JSON.stringify(e)}\n${inspect(e, { depth: 10, showHidden: true })}\n`;
  }
  return text;
}

const scenarios: [string, Answer[], Partial<LoftyClientOptions>?][] = [
  ["400", [json(400, { code: "INVALID_PARAMETER", message: "Invalid parameter" })]],
  ["401", [json(401, { code: "BAD_CREDENTIALS", message: "Bad credentials" })]],
  ["403 echoing the header", [json(403, { code: 200100, message: `token ${"x".repeat(3)} has no permission` })]],
  ["429 storm", [json(429, { message: "Too Many Requests" }, { "Retry-After": "0" })], { maxRetries: 1 }],
  ["500", [json(500, { message: "BaseApplicationException:errorCode=20005" })]],
  ["refused", [networkError("ECONNREFUSED")], { maxRetries: 1 }],
  ["reset", [networkError("ECONNRESET")]],
  ["not JSON", [new Response("<html>", { status: 200 })]],
  [
    "timeout",
    [
      (_r, init) =>
        new Promise((_, reject) => init.signal!.addEventListener("abort", () => reject(init.signal!.reason))),
    ],
    { timeoutMs: 20 },
  ],
];

describe("secrets", () => {
  for (const [name, answers, options] of scenarios) {
    for (const credentials of [{ accessToken: TOKEN }, { apiKey: KEY }, { accessToken: () => TOKEN }]) {
      test(`${name} with ${Object.keys(credentials)[0]}${typeof credentials.accessToken === "function" ? "()" : ""}`, async () => {
        const { fetch, requests } = fakeFetch(...answers);
        const lofty = createLoftyClient({ ...credentials, fetch, throttle: false, ...options });
        const error = await lofty.calendar.create(task).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(Error);
        const secret = "apiKey" in credentials ? KEY : TOKEN;
        expect(requests[0]!.headers.get("authorization")).toContain(secret); // it was really sent
        expect(exposed(error)).not.toContain(secret);
        expect(inspect(lofty, { depth: 10, showHidden: true })).not.toContain(secret);
        expect(logged.join("\n")).not.toContain(secret);
      });
    }
  }
});

describe("an answer that echoes the credential", () => {
  for (const [what, echo] of [
    ["as sent", (secret: string) => secret],
    ["JSON-escaped", (secret: string) => secret.replaceAll("/", "\\/")],
    [
      "escaped as \\u (Gson's HTML-safe mode)",
      (secret: string) => secret.replaceAll("/", "\\u002f").replaceAll("=", "\\u003d"),
    ],
    ["in JSON within a JSON string", (secret: string) => secret.replaceAll("/", "\\\\\\/")],
  ] as const) {
    test(`is redacted from the error (${what})`, async () => {
      const secret = "sk/live/0123456789==";
      const { fetch } = fakeFetch(
        (request) =>
          new Response(
            `{"code":"BAD_CREDENTIALS","message":"bad ${echo(request.headers.get("authorization")!.split(" ")[1]!)}"}`,
            { status: 401 },
          ),
      );
      const error = await createLoftyClient({ accessToken: secret, fetch, throttle: false })
        .calendar.create(task)
        .catch((e: unknown) => e);
      expect(exposed(error)).not.toContain("0123456789");
      expect((error as Error).message).toContain("[redacted]");
    });
  }
});

describe("an answer that echoes the credential in a header", () => {
  test("is redacted from the error's requestId, and from the answer a middleware or a raw call sees", async () => {
    const echo = (request: { headers: Headers }) =>
      json(
        400,
        { code: 20012, message: "Invalid parameter" },
        { "X-Request-Id": request.headers.get("authorization")! },
      );
    const { fetch } = fakeFetch(echo);
    const lofty = createLoftyClient({ accessToken: TOKEN, fetch, throttle: false });
    const error = await lofty.calendar.create(task).catch((e: unknown) => e);
    expect((error as { requestId?: string }).requestId).toBe("Bearer [redacted]");
    expect(exposed(error)).not.toContain(TOKEN);
    const raw = await lofty.client.GET("/v2.0/calendar", { params: { query: { startTimeMs: 1803888000000 } } });
    expect(raw.response.headers.get("x-request-id")).toBe("Bearer [redacted]");
    expect(raw.response.status).toBe(400);
  });
});
