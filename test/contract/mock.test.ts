// The Prism mock serves the spec like Lofty answers: the README's request, named examples, errors, headers.
import { describe, expect, inject, test } from "vitest";
import { parseCurl, readmeBlocks } from "../support/readme.js";
import { createOperation, namedExamples, validatorFor } from "../support/spec.js";

const mockUrl = inject("mockUrl");
const requestExamples = namedExamples(createOperation.requestBody.content["application/json"]);

function post(body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${mockUrl}/v2.0/calendar`, {
    method: "POST",
    headers: { Authorization: "Bearer test-token", "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

describe("the mock", () => {
  test("answers the README's curl example with 200, the envelope and the rate-limit headers", async () => {
    const curl = readmeBlocks("sh").find((block) => block.includes("curl"));
    expect(curl).toBeDefined();
    const { method, url, headers, body } = parseCurl(curl!);
    const response = await fetch(url.replace("http://127.0.0.1:4010", mockUrl), { method, headers, body });
    expect(response.status).toBe(200);
    const json = await response.json();
    expect(validatorFor("#/components/schemas/CalendarCreateResponse")(json)).toBe(true);
    expect(json.data.type).toBe("TASK");
    for (const name of ["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"]) {
      expect(Number(response.headers.get(name)), name).toBeGreaterThanOrEqual(0);
    }
  });

  test("accepts every request example of the spec", async () => {
    for (const [name, example] of Object.entries(requestExamples)) {
      const response = await post(example);
      expect(response.status, name).toBe(200);
      // Static Prism answers the first (task) example whatever was sent; `Prefer` picks another.
      expect(validatorFor("#/components/schemas/CalendarCreateResponse")(await response.json()), name).toBe(true);
    }
  });

  test("Prefer: example=appointment selects the appointment reply", async () => {
    const response = await post(requestExamples.appointment, { Prefer: "example=appointment" });
    expect(response.status).toBe(200);
    expect((await response.json()).data).toMatchObject({ type: "APPOINTMENT", id: expect.stringMatching(/-appointment$/) });
  });

  test("an API key with the `token` prefix is accepted too", async () => {
    const response = await post(requestExamples.task, { Authorization: "token test-api-key" });
    expect(response.status).toBe(200);
  });

  test("no Authorization header is a 401 with Lofty's body", async () => {
    const response = await fetch(`${mockUrl}/v2.0/calendar`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(requestExamples.task),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ code: "BAD_CREDENTIALS", message: "Bad credentials" });
  });

  test("an address on a TASK is a 400 with {code, message}", async () => {
    const response = await post({ ...requestExamples.task, address: "123 Maple Street" });
    expect(response.status).toBe(400);
    const json = await response.json();
    expect(validatorFor("#/components/schemas/Error")(json)).toBe(true);
  });
});
