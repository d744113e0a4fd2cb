// Hostile input: calendar.create and normalizeEventTimes fed wrong types, huge and unicode strings, __proto__ and
// constructor keys, NaN, Infinity, -0, invalid Dates, enormous bigints, deep nesting, symbols, functions and Proxies.
// Every call ends in success or LoftyValidationError, nothing is sent for invalid input, nothing is polluted.
// (A unit fuzz: the requests go to an injected recording fetch, not to a server.)
import fc from "fast-check";
import { afterAll, describe, expect, test } from "vitest";
import { minimalTask } from "../support/inputs.js";
import {
  createLoftyClient,
  LoftyValidationError,
  normalizeEventTimes,
  type CalendarCreateInput,
  type CreateOptions,
} from "../../src/index.js";
import { validInput } from "../support/arbitraries.js";
import { created, fakeFetch } from "../support/fake-fetch.js";
import { validatorFor } from "../support/spec.js";
import { guardSuite, pendingSdkTimers, thrown, TOKEN } from "./harness.js";

guardSuite();

const CREATE_RUNS = 8_000;
const NORMALIZE_RUNS = 8_000;
const THROWING_RUNS = 1_000;
const counts = {
  create: 0,
  createOk: 0,
  createInvalid: 0,
  normalize: 0,
  normalizeOk: 0,
  normalizeInvalid: 0,
  throwing: 0,
  throwingCallersError: 0,
  throwingSent: 0,
};
afterAll(() => {
  console.info(
    `[reliability] fuzz runs: ${JSON.stringify({ ...counts, total: counts.create + counts.normalize + counts.throwing })}`,
  );
});

// ---- hostile values (none of them throws when read: those are in "values that throw when read" below) ----

const protoJson = [
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"__proto__":null}',
  '{"__proto__":{"__proto__":{"polluted":"yes"}},"prototype":{"polluted":"yes"}}',
  '{"__proto__":[],"length":1e9}',
];
const weirdStrings = [
  "",
  " ",
  "\u0000",
  "\uD800",
  "\u202E\u0301",
  "__proto__",
  "constructor",
  "prototype",
  "TASK",
  "task",
  "APPOINTMENT",
  "UTC",
  "utc",
  "America/Los_Angeles",
  "+05:00",
  "Etc/GMT+14",
  "Europe/Nowhere",
  "2026-03-01T14:00",
  "2026-02-30T14:00",
  "2026-03-08T02:30",
  "2026-11-01T01:30",
  "2026-03-01T24:00",
  "9999-12-31T23:59:59.999+14:00",
  "0000-01-01T00:00Z",
  "2026-03-01",
  "2026-03-01T14:00:00.1234567Z",
  "２０２６-03-01T14:00",
  "1e999",
  "563172647619608",
  "99999999999999999999",
  "-9223372036854775808",
  "9223372036854775808",
  "0x10",
  "Call",
  "Agent",
];

const weirdNumber = fc.oneof(
  fc.constantFrom(
    NaN,
    Infinity,
    -Infinity,
    -0,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    2 ** 53,
    2 ** 53 + 2,
    1e11 - 1,
    8.64e15,
    8.64e15 + 1,
    -8.64e15,
  ),
  fc.double(),
  fc.integer(),
  fc.integer({ min: Date.UTC(1974, 0, 1), max: Date.UTC(2037, 0, 1) }),
);
const enormousBigInt = fc.oneof(
  fc.bigInt({ min: -(2n ** 4096n), max: 2n ** 4096n }),
  fc.constantFrom(2n ** 63n, -(2n ** 63n) - 1n, 10n ** 1000n),
);
const hugeString = fc.oneof(
  fc.nat({ max: 300_000 }).map((n) => "x".repeat(n)),
  fc.nat({ max: 50_000 }).map((n) => "𝒳\u0301\uD800".repeat(n)),
  fc.nat({ max: 100_000 }).map((n) => `2026-03-01T14:00${"0".repeat(n)}`),
);
const weirdString = fc.oneof(
  fc.constantFrom(...weirdStrings),
  fc.string({ unit: "binary", maxLength: 60 }),
  fc.string({ unit: "grapheme", maxLength: 60 }),
  hugeString,
);
const weirdDate = fc.oneof(
  fc.constant(new Date(NaN)),
  fc.date({ noInvalidDate: false }),
  fc.integer({ min: -8.64e15, max: 8.64e15 }).map((ms) => new Date(ms)),
);
const symbol = fc.oneof(
  fc.string({ maxLength: 5 }).map((s) => Symbol(s)),
  fc.constantFrom(Symbol.iterator, Symbol.toPrimitive, Symbol.for("x")),
);
const func = fc.constantFrom<unknown>(
  () => 1,
  function named() {},
  // eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a class is one of the values fuzzed
  class K {},
  async () => {},
  function* generator() {},
  Symbol,
  Date,
  Object,
  // eslint-disable-next-line @typescript-eslint/unbound-method -- an unbound method is one of the values fuzzed
  Object.prototype.toString,
);
const deep = fc.tuple(fc.integer({ min: 1, max: 20_000 }), fc.boolean()).map(([depth, arrays]) => {
  let value: unknown = arrays ? [] : {};
  for (let i = 0; i < depth; i++) value = arrays ? [value] : { a: value };
  return value;
});
const cyclic = fc.constant(null).map(() => {
  const value: Record<string, unknown> = { type: "TASK" };
  value.self = value;
  return value;
});
const protoKeyed = fc.constantFrom(...protoJson).map((json) => JSON.parse(json) as unknown);
const anything = fc.anything({
  maxDepth: 3,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
});
// A Proxy with no traps behaves as its target, so it must be judged like it. (A Proxy of a Date is left to the
// "BUG" tests below: it makes normalizeEventTimes throw a TypeError.)
const proxied = anything
  .filter((v) => typeof v === "object" && v !== null && !(v instanceof Date))
  .map((v) => new Proxy(v as object, {}));

/** Any hostile value that does not throw when read. */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  anything,
  weirdNumber,
  enormousBigInt,
  weirdString,
  weirdDate,
  symbol,
  func,
  deep,
  cyclic,
  protoKeyed,
  proxied,
  fc.constantFrom(
    undefined,
    null,
    true,
    false,
    [],
    {},
    Object.create(null),
    new Boolean(false),
    new String("TASK"),
    new Number(1),
  ),
);

const fields = [
  "type",
  "content",
  "leadId",
  "timeZoneCode",
  "taskWay",
  "assignedRole",
  "address",
  "start",
  "end",
  "startAt",
  "startAtMs",
  "endAt",
  "endAtMs",
];
const strangeKeys = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "then",
  "data",
  "id",
  "",
  "💥",
];

/** An own, enumerable data property, also for "__proto__" (as JSON.parse makes it). */
function define(target: Record<string, unknown>, key: string, value: unknown) {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A valid input with some fields replaced or added, in one of several object forms. */
const editedInput = fc
  .tuple(
    validInput(),
    fc.array(fc.tuple(fc.constantFrom(...fields, ...strangeKeys), hostile), { minLength: 1, maxLength: 4 }),
    fc.constantFrom("plain", "null-prototype", "proxy", "json-proto"),
  )
  .map(([base, edits, form]) => {
    const value: Record<string, unknown> = form === "null-prototype" ? Object.create(null) : {};
    if (form === "json-proto") Object.assign(value, JSON.parse('{"__proto__":{"polluted":"yes"}}'));
    for (const [key, field] of Object.entries(base)) value[key] = field;
    for (const [key, field] of edits) define(value, key, field);
    return form === "proxy" ? new Proxy(value, {}) : value;
  });

/** A valid input as JSON.parse would give it, with an own "__proto__" key. */
const jsonProtoInput = validInput().map((base) => {
  const json = JSON.stringify(base, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v));
  return JSON.parse(`{"__proto__":{"polluted":"yes"},${json.slice(1)}`) as unknown;
});

const createInput = fc.oneof(
  { weight: 1, arbitrary: hostile },
  { weight: 2, arbitrary: validInput() },
  { weight: 6, arbitrary: editedInput },
  { weight: 1, arbitrary: jsonProtoInput },
);
const disambiguation = fc.oneof(fc.constantFrom("compatible", "earlier", "later", "reject"), hostile);
const createOptions = fc.oneof(
  fc.constant(undefined),
  fc.record({ disambiguation }, { requiredKeys: [] }),
  hostile.filter((v) => v === undefined || (typeof v === "object" && v !== null && !Array.isArray(v))),
);

// ---- checks ----

const objectPrototypeKeys = Reflect.ownKeys(Object.prototype).length;
function expectNoPollution() {
  expect(Reflect.ownKeys(Object.prototype)).toHaveLength(objectPrototypeKeys);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
}

function expectValidationError(error: unknown) {
  if (!(error instanceof LoftyValidationError))
    throw new Error(`not a LoftyValidationError: ${String(error)}`, { cause: error });
  expect(error.mayHaveBeenCreated).toBe(false);
  expect(error.issues.length).toBeGreaterThan(0);
  for (const issue of error.issues) {
    expect(typeof issue.path).toBe("string");
    expect(typeof issue.message).toBe("string");
  }
}

const validRequest = validatorFor("#/components/schemas/CalendarEventCreateRequest");
const WIRE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?[+-]\d\d:\d\d$/;

describe("fuzz", () => {
  test(`calendar.create: ${CREATE_RUNS} hostile inputs end in success or LoftyValidationError; nothing sent for invalid input`, async () => {
    const { fetch, requests } = fakeFetch(created());
    const lofty = createLoftyClient({ accessToken: TOKEN, fetch, throttle: false });
    await fc.assert(
      fc.asyncProperty(createInput, createOptions, async (input, options) => {
        counts.create++;
        const sentBefore = requests.length;
        let error: unknown;
        try {
          const event = await lofty.calendar.create(input as CalendarCreateInput, options as CreateOptions);
          expect(event).toMatchObject({ type: "TASK" });
        } catch (e) {
          error = e;
        }
        expectNoPollution();
        expect(pendingSdkTimers()).toEqual([]);
        if (error !== undefined) {
          thrown.push(error);
          expectValidationError(error);
          expect(requests.length, "sent although invalid").toBe(sentBefore);
          counts.createInvalid++;
        } else {
          expect(requests.length).toBe(sentBefore + 1);
          const body = requests.at(-1)!.body!;
          const json = JSON.parse(body) as Record<string, unknown>;
          expect(Object.hasOwn(json, "__proto__")).toBe(false);
          expect(validRequest(json), `${body.slice(0, 300)} ${JSON.stringify(validRequest.errors)}`).toBe(true);
          counts.createOk++;
        }
      }),
      {
        numRuns: CREATE_RUNS,
        plugins: [fc.timeout(5_000), fc.interruptAfterTimeLimit(40_000, { failOnInterrupt: true })],
      },
    );
    expect(counts.createOk).toBeGreaterThan(CREATE_RUNS / 10);
    expect(counts.createInvalid).toBeGreaterThan(CREATE_RUNS / 2);
  }, 60_000);

  const zone = fc.constantFrom(...Intl.supportedValuesOf("timeZone"), "UTC");
  const time = fc.oneof(
    fc
      .integer({ min: Date.UTC(1974, 0, 1), max: Date.UTC(2037, 0, 1) })
      .chain((ms) =>
        fc.constantFrom<unknown>(ms, new Date(ms), new Date(ms).toISOString(), new Date(ms).toISOString().slice(0, 16)),
      ),
    hostile,
  );
  // Valid times in every accepted form (wall clocks get 25 h of slack so the end stays after the start in any zone).
  const MIN_MS = Date.UTC(1974, 0, 1);
  const form = fc.constantFrom<(ms: number) => unknown>(
    (ms) => ms,
    (ms) => new Date(ms),
    (ms) => new Date(ms).toISOString(),
    (ms) => new Date(ms).toISOString().slice(0, 16),
    (ms) => new Date(ms).toISOString().slice(0, 19),
  );
  const validTimes = fc
    .tuple(zone, fc.integer({ min: MIN_MS, max: Date.UTC(2037, 0, 1) }), fc.nat(3 * 86_400_000), form, form, fc.nat(3))
    .map(([timeZoneCode, start, duration, startForm, endForm, shape]): Record<string, unknown> => {
      const end = start + duration + 25 * 3_600_000;
      if (shape === 0) return { timeZoneCode, start: startForm(start) };
      if (shape === 1) return { timeZoneCode, start: startForm(start), end: endForm(end) };
      if (shape === 2) return { timeZoneCode, startAt: new Date(start).toISOString(), startAtMs: start, endAtMs: end };
      return { timeZoneCode, startAtMs: start, endAt: new Date(end).toISOString() };
    });
  const editedTimes = fc
    .tuple(
      validTimes,
      fc.array(
        fc.tuple(
          fc.constantFrom("timeZoneCode", "start", "end", "startAt", "startAtMs", "endAt", "endAtMs", ...strangeKeys),
          hostile,
        ),
        { maxLength: 2 },
      ),
    )
    .map(([times, edits]) => {
      for (const [key, value] of edits) define(times, key, value);
      return times;
    });
  const timesInput = fc.oneof(
    { weight: 1, arbitrary: hostile },
    { weight: 3, arbitrary: editedTimes },
    {
      weight: 2,
      arbitrary: fc.record(
        {
          timeZoneCode: fc.oneof(zone, hostile),
          start: time,
          end: time,
          startAt: time,
          startAtMs: time,
          endAt: time,
          endAtMs: time,
        },
        { requiredKeys: ["timeZoneCode"] },
      ),
    },
  );
  const normalizeOptions = fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: fc.record({ disambiguation }, { requiredKeys: [] }) },
    { weight: 1, arbitrary: hostile },
  );

  test(`normalizeEventTimes: ${NORMALIZE_RUNS} hostile inputs end in wire times for one instant or LoftyValidationError`, () => {
    fc.assert(
      fc.property(timesInput, normalizeOptions, (input, options) => {
        counts.normalize++;
        let times: ReturnType<typeof normalizeEventTimes> | undefined;
        try {
          times = normalizeEventTimes(
            input as Parameters<typeof normalizeEventTimes>[0],
            options as Parameters<typeof normalizeEventTimes>[1],
          );
        } catch (error) {
          thrown.push(error);
          expectValidationError(error);
          counts.normalizeInvalid++;
        }
        expectNoPollution();
        if (times) {
          counts.normalizeOk++;
          expect(Object.keys(times).every((key) => ["startAt", "startAtMs", "endAt", "endAtMs"].includes(key))).toBe(
            true,
          );
          for (const end of ["start", "end"] as const) {
            const at = times[`${end}At`];
            const ms = times[`${end}AtMs`];
            expect(at === undefined).toBe(ms === undefined);
            if (at === undefined) continue;
            expect(at).toMatch(WIRE_TIME);
            expect(Number.isSafeInteger(ms)).toBe(true);
            expect(Date.parse(at)).toBe(ms);
          }
          if (times.endAtMs !== undefined) expect(times.endAtMs).toBeGreaterThanOrEqual(times.startAtMs!);
        }
      }),
      { numRuns: NORMALIZE_RUNS },
    );
    expect(counts.normalizeOk).toBeGreaterThan(NORMALIZE_RUNS / 20);
  }, 60_000);

  test("the fuzz ran at least 10,000 calls in total", () => {
    expect(counts.create + counts.normalize).toBeGreaterThanOrEqual(10_000);
  });
});

// ---- values that throw when read: getters, Proxy traps; and objects that only look like Dates ----

/** What the hostile getters and traps throw: the caller's own error. */
class CallersError extends Error {
  override name = "CallersError";
}
const boom = () => {
  throw new CallersError("thrown by the caller's own getter or trap");
};
const throwingTraps = ["get", "ownKeys", "getOwnPropertyDescriptor", "getPrototypeOf", "has"] as const;

/**
 * A valid input where one field is a getter that throws, or the whole input a Proxy with one throwing trap. Made by
 * a function inside the property, since fast-check itself inspects the values it generates (e.g. `in` on them).
 */
const throwingInput = fc.oneof(
  fc.tuple(validInput(), fc.constantFrom(...fields, ...strangeKeys)).map(([base, key]) => ({
    what: `getter ${key}`,
    make: () =>
      Object.defineProperty({ ...base }, key, {
        get: boom,
        enumerable: true,
        configurable: true,
      }),
  })),
  fc.tuple(validInput(), fc.constantFrom(...throwingTraps)).map(([base, trap]) => ({
    what: `Proxy with a throwing ${trap} trap`,
    make: () => new Proxy({ ...base }, { [trap]: boom }),
  })),
);

describe("values that throw when read", () => {
  test(`${THROWING_RUNS} inputs with throwing getters or Proxy traps: nothing polluted; the caller's own error or LoftyValidationError with nothing sent, or success`, async () => {
    const { fetch, requests } = fakeFetch(created());
    const lofty = createLoftyClient({ accessToken: TOKEN, fetch, throttle: false });
    await fc.assert(
      fc.asyncProperty(throwingInput, async ({ make }) => {
        counts.throwing++;
        const sentBefore = requests.length;
        const error = await lofty.calendar.create(make()).then(
          () => undefined,
          (e: unknown) => e,
        );
        expectNoPollution();
        // A trap the SDK never triggers (e.g. `has`) leaves a valid input: then it is sent, once.
        expect(requests.length - sentBefore, "requests sent").toBe(error === undefined ? 1 : 0);
        if (error === undefined) counts.throwingSent++;
        else if (error instanceof CallersError) counts.throwingCallersError++;
        else {
          thrown.push(error);
          expectValidationError(error);
        }
      }),
      { numRuns: THROWING_RUNS, plugins: [fc.timeout(5_000)] },
    );
  });

  // The README says "Everything thrown is a LoftyError": input that throws when read is refused, never rethrown.
  const task = minimalTask;
  const createWith = async (input: unknown, options?: unknown) => {
    const { fetch, requests } = fakeFetch(created());
    const lofty = createLoftyClient({ accessToken: TOKEN, fetch, throttle: false });
    const error = await lofty.calendar.create(input as CalendarCreateInput, options as CreateOptions).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(requests).toHaveLength(0);
    return error;
  };

  test("a getter that throws is a LoftyValidationError, nothing sent", async () => {
    const input = Object.defineProperty({ ...task }, "content", { get: boom, enumerable: true });
    expect(await createWith(input)).toBeInstanceOf(LoftyValidationError);
  });

  test("a Proxy whose trap throws is a LoftyValidationError, nothing sent", async () => {
    expect(await createWith(new Proxy({ ...task }, { ownKeys: boom }))).toBeInstanceOf(LoftyValidationError);
  });

  test("a Proxy of a Date as start is a LoftyValidationError", () => {
    expect(() => normalizeEventTimes({ timeZoneCode: "UTC", start: new Proxy(new Date(), {}) })).toThrow(
      LoftyValidationError,
    );
  });

  test("an object inheriting from Date.prototype as start is a LoftyValidationError", async () => {
    expect(await createWith({ ...task, start: Object.create(Date.prototype) })).toBeInstanceOf(LoftyValidationError);
  });

  test("an enormous bigint leadId is quoted briefly, not in full", async () => {
    const error = (await createWith({ ...task, leadId: 10n ** 100_000n })) as LoftyValidationError;
    expect(error).toBeInstanceOf(LoftyValidationError);
    expect(error.message.length).toBeLessThan(1_000);
  });

  test("a bad `signal` or header in the options is a LoftyValidationError, nothing sent", async () => {
    expect(await createWith(task, { signal: {} })).toBeInstanceOf(LoftyValidationError);
    expect(await createWith(task, { headers: { "X-Bad": "a\r\nb" } })).toBeInstanceOf(LoftyValidationError);
  });
});
