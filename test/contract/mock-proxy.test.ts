// `npm run mock:proxy -- <upstream-url>`: Prism's validation proxy (`prism proxy spec/openapi.yaml <upstream> --errors`)
// checks real traffic against the spec. Here the upstream is a fake Lofty on 127.0.0.1 (test/support/upstream.ts).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { startPrism } from "../../mocks/prism.mjs";
import { createOperation, namedExamples } from "../support/spec.js";
import { startFakeUpstream, type FakeUpstream } from "../support/upstream.js";

const task = namedExamples(createOperation.requestBody.content["application/json"]).task;
const rateLimit = { "X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "42", "X-RateLimit-Reset": "1772402460" };

let upstream: FakeUpstream;
let proxy: Awaited<ReturnType<typeof startPrism>>;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  proxy = await startPrism({ command: "proxy", upstream: upstream.url });
});
afterAll(async () => {
  await proxy?.stop();
  await upstream?.close();
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
