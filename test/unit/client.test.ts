// createLoftyClient: the two auth schemes, the base URL rules, and the typed openapi-fetch client it exposes.
import { inspect } from "node:util";
import { describe, expect, test } from "vitest";
import { minimalTask } from "../support/inputs.js";
import { createLoftyClient, LoftyError } from "../../src/index.js";
import { created, fakeFetch } from "../support/fake-fetch.js";

const task = minimalTask;
/** The same task as the wire has it, for raw calls through lofty.client. */
const wireTask = {
  type: "TASK",
  content: "x",
  leadId: 1,
  timeZoneCode: "UTC",
  startAtMs: 1803996000000,
  endAtMs: 1803999600000,
  taskWay: "Call",
} as const;

describe("auth", () => {
  test("accessToken is sent as Bearer, apiKey as token", async () => {
    for (const [options, header] of [
      [{ accessToken: "oauth-abc" }, "Bearer oauth-abc"],
      [{ apiKey: "key-xyz" }, "token key-xyz"],
      [{ accessToken: async () => "from-fn" }, "Bearer from-fn"],
    ] as const) {
      const { fetch, requests } = fakeFetch(created());
      await createLoftyClient({ ...options, fetch, throttle: false }).calendar.create(task);
      expect(requests[0]!.headers.get("authorization")).toBe(header);
    }
  });

  test("lofty.client is the openapi-fetch client with auth attached", async () => {
    const { fetch, requests } = fakeFetch(created());
    const lofty = createLoftyClient({ apiKey: "key-xyz", fetch, throttle: false });
    const { data } = await lofty.client.POST("/v2.0/calendar", { body: { ...wireTask } });
    expect(data?.data.id).toBe("12345-task");
    expect(requests[0]!.headers.get("authorization")).toBe("token key-xyz");
  });

  test("exactly one credential, printable and without spaces; the value is never echoed", () => {
    expect(() => createLoftyClient({})).toThrow(/exactly one of `accessToken`/);
    expect(() => createLoftyClient({ accessToken: "a", apiKey: "b" })).toThrow(LoftyError);
    const error = (() => {
      try {
        createLoftyClient({ accessToken: "secret-with\nnewline" });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(LoftyError);
    expect(`${error!.message}${error!.stack}${inspect(error)}`).not.toContain("secret-with");
  });

  test("a token function that throws is a LoftyError and nothing is sent", async () => {
    const { fetch, requests } = fakeFetch(created());
    const lofty = createLoftyClient({
      accessToken: () => {
        throw new Error("vault down");
      },
      fetch,
      throttle: false,
    });
    await expect(lofty.calendar.create(task)).rejects.toBeInstanceOf(LoftyError);
    expect(requests).toHaveLength(0);
  });
});

describe("baseUrl", () => {
  test("a baseUrl with a trailing slash gets no double slash (the default is checked in create.test.ts)", async () => {
    const { fetch, requests } = fakeFetch(created());
    await createLoftyClient({
      apiKey: "k",
      fetch,
      throttle: false,
      baseUrl: "https://sandbox.example/",
    }).calendar.create(task);
    expect(requests[0]!.url).toBe("https://sandbox.example/v2.0/calendar");
  });

  test("plain http to a non-loopback host is refused unless allowInsecureHttp", () => {
    expect(() => createLoftyClient({ apiKey: "k", baseUrl: "http://api.lofty.com" })).toThrow(/allowInsecureHttp/);
    expect(() => createLoftyClient({ apiKey: "k", baseUrl: "http://10.0.0.5:4010" })).toThrow(LoftyError);
    expect(() =>
      createLoftyClient({ apiKey: "k", baseUrl: "http://mock:4010", allowInsecureHttp: true }),
    ).not.toThrow();
    for (const loopback of ["http://127.0.0.1:4010", "http://localhost:4010", "http://[::1]:4010"]) {
      expect(() => createLoftyClient({ apiKey: "k", baseUrl: loopback })).not.toThrow();
    }
    expect(() => createLoftyClient({ apiKey: "k", baseUrl: "not a url" })).toThrow(/absolute https URL/);
    expect(() => createLoftyClient({ apiKey: "k", baseUrl: "ftp://x" })).toThrow(/https/);
  });

  test("bad numeric options are refused", () => {
    expect(() => createLoftyClient({ apiKey: "k", timeoutMs: -1 })).toThrow(/timeoutMs/);
    expect(() => createLoftyClient({ apiKey: "k", maxRetries: Number.NaN })).toThrow(/maxRetries/);
  });
});

describe("option checks", () => {
  test("timeouts, retries and budgets out of range are refused, not turned into instant failures or hangs", () => {
    for (const options of [
      { timeoutMs: 0 },
      { timeoutMs: 3e9 },
      { maxRetries: 1.5 },
      { maxRetryDelayMs: 2 ** 31 },
      { throttle: { requestsPerMinute: -1 } },
      { throttle: { requestsPerMinute: Number.NaN } },
    ]) {
      expect(() => createLoftyClient({ apiKey: "k", ...options }), JSON.stringify(options)).toThrow(LoftyError);
    }
    expect(() => createLoftyClient({ apiKey: "k", throttle: { requestsPerMinute: 100 }, maxRetries: 0 })).not.toThrow();
  });

  test("a baseUrl with credentials, a query or a hash is refused, without echoing the credentials", () => {
    for (const baseUrl of [
      "https://user:pa55word@api.lofty.com",
      "https://api.lofty.com?x=1",
      "https://api.lofty.com#top",
    ]) {
      const error = (() => {
        try {
          createLoftyClient({ apiKey: "k", baseUrl });
        } catch (e) {
          return e as Error;
        }
      })();
      expect(error, baseUrl).toBeInstanceOf(LoftyError);
      expect(error!.message).not.toContain("pa55word");
    }
  });
});
