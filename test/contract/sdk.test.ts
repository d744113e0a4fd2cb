// The SDK against the spec and the mock: every request it can emit is valid, every invalid one is refused unsent.
import fc from "fast-check";
import { describe, expect, inject, test } from "vitest";
import { createBody } from "../../src/calendar.js";
import {
  createLoftyClient,
  LoftyApiError,
  LoftyAuthenticationError,
  LoftyBadRequestError,
  LoftyPermissionDeniedError,
  LoftyRateLimitError,
  LoftyServerError,
  LoftyValidationError,
} from "../../src/index.js";
import { specMutations, validInput } from "../support/arbitraries.js";
import { fakeFetch } from "../support/fake-fetch.js";
import { createOperation, deref, namedExamples, validatorFor } from "../support/spec.js";

const mockUrl = inject("mockUrl");
const validateWire = validatorFor("#/components/schemas/CalendarEventCreateRequest");
const requestExamples = namedExamples(createOperation.requestBody.content["application/json"]);
const lofty = createLoftyClient({ accessToken: "contract-token", baseUrl: mockUrl, maxRetries: 0 });
const MOCK_RUNS = 300;
const IN_PROCESS_RUNS = 5_000;

describe("the SDK against the mock", () => {
  for (const [scenario, type] of [
    ["task", "TASK"],
    ["appointment", "APPOINTMENT"],
  ] as const) {
    test(`creates a ${type} (Prefer: example=${scenario})`, async () => {
      const event = await lofty.calendar.create(requestExamples[scenario], {
        headers: { Prefer: `example=${scenario}` },
      });
      const expected = namedExamples(deref(createOperation.responses["200"]).content["application/json"])[scenario];
      expect(event).toEqual(expected.data);
      expect(event.type).toBe(type);
    });
  }

  const errorClasses = {
    400: LoftyBadRequestError,
    401: LoftyAuthenticationError,
    403: LoftyPermissionDeniedError,
    429: LoftyRateLimitError,
    500: LoftyServerError,
  } as const;
  for (const [status, Class] of Object.entries(errorClasses)) {
    test(`Prefer: code=${status} is a ${Class.name} with status, code and rate-limit fields`, async () => {
      // A client of its own: the 429's X-RateLimit-Remaining 0 would hold the shared client's throttle until the reset.
      const scenario = createLoftyClient({ accessToken: "contract-token", baseUrl: mockUrl, maxRetries: 0 });
      const prefer = { headers: { Prefer: `code=${status}` } };
      const error = await scenario.calendar.create(requestExamples.task, prefer).then(
        () => Promise.reject(new Error("expected an error")),
        (e: unknown) => e as LoftyApiError,
      );
      expect(error).toBeInstanceOf(Class);
      const media = deref(createOperation.responses[status]).content["application/json"];
      const example = Object.values(namedExamples(media))[0];
      expect(error).toMatchObject({ status: Number(status), code: example.code, body: example });
      expect(error.limit).toBeTypeOf("number");
      expect(error.remaining).toBeTypeOf("number");
      expect(error.resetAt).toBeInstanceOf(Date);
      expect(error.mayHaveBeenCreated).toBe(Number(status) >= 500);
    });
  }

  // Prism turns `format: int64` into `maximum: 2^53 - 1` (@stoplight/http-spec), so the mock refuses larger ids
  // that Lofty accepts; the in-process property below covers the full int64 range.
  test(`accepts every request the SDK emits for ${MOCK_RUNS} generated valid inputs`, async () => {
    await fc.assert(
      fc.asyncProperty(validInput(BigInt(Number.MAX_SAFE_INTEGER)), async (input) => {
        const event = await lofty.calendar.create(input);
        expect(event.id).toMatch(/^\d+-(task|appointment)$/);
      }),
      { numRuns: MOCK_RUNS },
    );
  });
});

describe("the SDK against the spec validator (in process)", () => {
  test(`every wire body of ${IN_PROCESS_RUNS} generated valid inputs validates against the bundled spec`, () => {
    fc.assert(
      fc.property(validInput(), (input) => {
        const wire = JSON.parse(createBody(input));
        expect(validateWire(wire), JSON.stringify(validateWire.errors)).toBe(true);
        if (wire.startAt) expect(Date.parse(wire.startAt)).toBe(wire.startAtMs);
        if (wire.endAt) expect(Date.parse(wire.endAt)).toBe(wire.endAtMs);
        expect(createBody(input)).toMatch(new RegExp(`"leadId":${String(input.leadId)}[,}]`));
      }),
      { numRuns: IN_PROCESS_RUNS },
    );
  });

  test("every spec-invalid body is refused by both the validator and the SDK, with no request sent", async () => {
    const { fetch, requests } = fakeFetch(new Response("{}"));
    const client = createLoftyClient({ apiKey: "k", fetch, throttle: false });
    const names = Object.keys(specMutations);
    await fc.assert(
      fc.asyncProperty(validInput(), fc.constantFrom(...names), async (input, name) => {
        const wire = JSON.parse(createBody(input));
        wire.leadId = String(input.leadId); // JSON.parse may round a big id; the SDK takes the exact string
        const bad = specMutations[name]!({ ...wire });
        // The validator sees the id as a JSON number, as Lofty would.
        expect(validateWire("leadId" in bad ? { ...bad, leadId: Number(bad.leadId) } : bad), name).toBe(false);
        const error = await client.calendar.create(bad as never).catch((e: unknown) => e);
        expect(error, name).toBeInstanceOf(LoftyValidationError);
      }),
      { numRuns: 1_000 },
    );
    expect(requests).toHaveLength(0);
  });
});
