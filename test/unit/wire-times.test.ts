// normalizeWireTimes: the times of the list, available meetings and update operations, under their own wire names.
// Expected instants are the ones time.test.ts takes from temporal-polyfill (2026-03-01T14:00 in Los Angeles).
import fc from "fast-check";
import { describe, expect, expectTypeOf, it } from "vitest";
import { LoftyValidationError, type ValidationIssue } from "../../src/errors.js";
import {
  type EventTimesInput,
  normalizeEventTimes,
  normalizeWireTimes,
  type WireTimeNames,
  type WireTimesOptions,
} from "../../src/time.js";

const LA = "America/Los_Angeles";
const LIST = { start: ["startTime", "startTimeMs"], end: ["endTime", "endTimeMs"] } as const;
const UPDATE = { start: ["startAt", "startAtMs"], end: ["endAt", "endAtMs"] } as const;
// As the list and available meetings read times: an end alone is a bound, and Lofty makes timeZoneCode optional.
const QUERY: WireTimesOptions = { endNeedsStart: false, timeZoneRequired: false };
const START_MS = 1772402400000; // 2026-03-01T14:00:00-08:00
const END_MS = 1772406000000; // 2026-03-01T15:00:00-08:00

/** The issues normalizeWireTimes throws; fails the test unless it throws exactly a LoftyValidationError. */
function issues(input: unknown, names: WireTimeNames = LIST, options: WireTimesOptions = QUERY): ValidationIssue[] {
  try {
    normalizeWireTimes(input, names, options);
  } catch (e) {
    expect(e).toBeInstanceOf(LoftyValidationError);
    return (e as LoftyValidationError).issues;
  }
  throw new Error("expected a LoftyValidationError for " + JSON.stringify(input));
}

/** The single issue thrown, at `path`. */
function issue(input: unknown, path: string, names?: WireTimeNames, options?: WireTimesOptions): string {
  const all = issues(input, names, options);
  expect(all.map((i) => i.path)).toEqual([path]);
  return all[0]!.message;
}

describe("normalizeWireTimes: the list's and available meetings' names", () => {
  it("writes both wire forms of each end under the operation's names, in the order the wire sends them", () => {
    const out = normalizeWireTimes({ timeZoneCode: LA, start: "2026-03-01T14:00", end: END_MS }, LIST, QUERY);
    expect(JSON.stringify(out)).toBe(
      JSON.stringify({
        startTime: "2026-03-01T14:00:00-08:00",
        startTimeMs: START_MS,
        endTime: "2026-03-01T15:00:00-08:00",
        endTimeMs: END_MS,
      }),
    );
    // The names reach the result's type.
    expectTypeOf(out).toEqualTypeOf<
      { startTime?: string; endTime?: string } & { startTimeMs?: number; endTimeMs?: number }
    >();
    expect(normalizeWireTimes({ timeZoneCode: LA }, LIST, QUERY)).toEqual({});
  });

  it("takes the wire fields under those names, one or both for the same instant, and re-formats them", () => {
    expect(normalizeWireTimes({ timeZoneCode: LA, startTimeMs: START_MS }, LIST, QUERY)).toEqual({
      startTime: "2026-03-01T14:00:00-08:00",
      startTimeMs: START_MS,
    });
    expect(
      normalizeWireTimes(
        {
          timeZoneCode: LA,
          startTime: "2026-03-01T22:00:00.000Z",
          startTimeMs: START_MS,
          endTime: "2026-03-01T15:00:00-08:00",
        },
        LIST,
        QUERY,
      ),
    ).toEqual({
      startTime: "2026-03-01T14:00:00-08:00",
      startTimeMs: START_MS,
      endTime: "2026-03-01T15:00:00-08:00",
      endTimeMs: END_MS,
    });
  });

  it("does not read create's wire names there: startAt is not a field of the list", () => {
    expect(normalizeWireTimes({ timeZoneCode: LA, startAt: "2026-03-01T14:00:00-08:00" }, LIST, QUERY)).toEqual({});
  });
});

describe("normalizeWireTimes: the update's names, a partial update", () => {
  const update: WireTimesOptions = { endNeedsStart: false, timeZoneRequired: false };

  it("moves only the end, or only the start", () => {
    expect(normalizeWireTimes({ timeZoneCode: LA, end: "2026-03-01T15:00" }, UPDATE, update)).toEqual({
      endAt: "2026-03-01T15:00:00-08:00",
      endAtMs: END_MS,
    });
    expect(normalizeWireTimes({ timeZoneCode: LA, startAtMs: START_MS }, UPDATE, update)).toEqual({
      startAt: "2026-03-01T14:00:00-08:00",
      startAtMs: START_MS,
    });
  });

  it("reads a DST wall clock per the disambiguation, and rejects it with reject", () => {
    const later = { ...update, disambiguation: "later" as const };
    expect(normalizeWireTimes({ timeZoneCode: LA, start: "2026-11-01T01:30" }, UPDATE, later).startAt).toBe(
      "2026-11-01T01:30:00-08:00",
    );
    const reject = { ...update, disambiguation: "reject" as const };
    expect(issue({ timeZoneCode: LA, end: "2026-03-08T02:30" }, "end", UPDATE, reject)).toMatch(
      /"2026-03-08T02:30" is in a DST gap in America\/Los_Angeles: pick another time/,
    );
  });
});

describe("normalizeWireTimes: timeZoneCode absent where the operation allows it", () => {
  it("accepts instants in every form and writes them with offset +00:00", () => {
    const want = { startTime: "2026-03-01T22:00:00+00:00", startTimeMs: START_MS };
    for (const start of [new Date(START_MS), START_MS, "2026-03-01T22:00:00Z", "2026-03-01T14:00:00-08:00"])
      expect(normalizeWireTimes({ start }, LIST, QUERY)).toEqual(want);
    // Any offset is the caller's word without a zone to check it against.
    expect(normalizeWireTimes({ startTime: "2026-03-02T07:00+09:00" }, LIST, QUERY)).toEqual(want);
    expect(normalizeWireTimes({ end: START_MS + 5 }, LIST, QUERY)).toEqual({
      endTime: "2026-03-01T22:00:00.005+00:00",
      endTimeMs: START_MS + 5,
    });
  });

  it("refuses a wall clock without offset, naming the fix: an offset, or timeZoneCode", () => {
    expect(issue({ start: "2026-03-01T14:00" }, "start")).toBe(
      '"2026-03-01T14:00" has no offset and there is no timeZoneCode to read it in: add an offset, or give timeZoneCode',
    );
    expect(issue({ start: START_MS, endTime: "2026-03-01T15:00:00" }, "endTime")).toBe(
      '"2026-03-01T15:00:00" has no offset and there is no timeZoneCode to read it in: add an offset, or give ' +
        "timeZoneCode and pass it as end",
    );
    // The other checks still come first.
    expect(issue({ start: "2026-02-30T10:00" }, "start")).toMatch(/is not a real date and time/);
  });

  it("refuses an offset RFC 3339 does not have (hours past 23, minutes past 59): no made-up instant is sent", () => {
    for (const start of ["2027-03-01T00:00:00+99:99", "2027-03-01T00:00:00+24:00", "2027-03-01T00:00-05:60"])
      expect(issue({ start }, "start")).toBe(`"${start}" is not ISO 8601: write it like 2026-03-01T14:00:00-08:00`);
    expect(normalizeWireTimes({ start: "2027-03-01T00:00:00+23:59" }, LIST, QUERY)).toMatchObject({
      startTimeMs: Date.parse("2027-03-01T00:00:00+23:59"),
    });
  });

  it("still refuses a timeZoneCode that is given but unknown, and one that is absent where it is required", () => {
    for (const bad of ["Mars/Olympus_Mons", "", "+05:00", null, 42])
      expect(issue({ timeZoneCode: bad, start: START_MS }, "timeZoneCode")).toMatch(
        /is not an IANA time zone: use one like America\/Los_Angeles/,
      );
    const required: WireTimesOptions = { endNeedsStart: false, timeZoneRequired: true };
    expect(issue({ start: START_MS }, "timeZoneCode", LIST, required)).toBe(
      "undefined is not an IANA time zone: use one like America/Los_Angeles",
    );
  });
});

describe("normalizeWireTimes: the rules between the ends", () => {
  it("lets an end come alone unless the operation needs a start", () => {
    expect(normalizeWireTimes({ timeZoneCode: LA, endTimeMs: END_MS }, LIST, QUERY)).toEqual({
      endTime: "2026-03-01T15:00:00-08:00",
      endTimeMs: END_MS,
    });
    const needsStart: WireTimesOptions = { endNeedsStart: true, timeZoneRequired: false };
    expect(issue({ timeZoneCode: LA, endTimeMs: END_MS }, "end", LIST, needsStart)).toBe(
      "is given without a start: add start",
    );
  });

  it("refuses an end before its start when both are given, quoting both in the wire form", () => {
    expect(issue({ timeZoneCode: LA, start: "2026-03-01T14:00", endTimeMs: START_MS - 1 }, "end")).toBe(
      "2026-03-01T13:59:59.999-08:00 is before the start 2026-03-01T14:00:00-08:00: swap them or fix the date",
    );
    expect(issue({ start: END_MS, end: START_MS }, "end")).toBe(
      "2026-03-01T22:00:00+00:00 is before the start 2026-03-01T23:00:00+00:00: swap them or fix the date",
    );
    expect(normalizeWireTimes({ start: START_MS, end: START_MS }, LIST, QUERY).endTimeMs).toBe(START_MS);
  });

  it("refuses both wire forms of an end when they differ, naming both of the operation's fields", () => {
    const message = issue(
      { timeZoneCode: LA, startTime: "2026-03-01T14:00:00-08:00", startTimeMs: END_MS },
      "startTimeMs",
    );
    expect(message).toBe(
      `startTime "2026-03-01T14:00:00-08:00" and startTimeMs ${END_MS} (2026-03-01T15:00:00-08:00) differ: send one`,
    );
    // Without a zone, the epoch ms is shown in +00:00.
    expect(issue({ endTime: "2026-03-01T14:00:00-08:00", endTimeMs: END_MS }, "endTimeMs")).toMatch(
      /and endTimeMs 1772406000000 \(2026-03-01T23:00:00\+00:00\) differ: send one/,
    );
  });
});

describe("normalizeWireTimes: messages name the caller's fields", () => {
  it("names the convenience field and the operation's wire fields", () => {
    expect(issue({ timeZoneCode: LA, start: START_MS, startTime: "2026-03-01T14:00:00-08:00" }, "start")).toBe(
      "give start or startTime/startTimeMs, not both: drop one",
    );
    expect(issue({ timeZoneCode: LA, end: END_MS, endAtMs: END_MS }, "end", UPDATE)).toBe(
      "give end or endAt/endAtMs, not both: drop one",
    );
    expect(issue({ timeZoneCode: LA, startTime: START_MS }, "startTime")).toBe(
      `${START_MS} has the wrong type: pass an ISO 8601 string with an offset, or pass it as start`,
    );
    expect(issue({ timeZoneCode: LA, endTimeMs: "1772406000000" }, "endTimeMs")).toBe(
      '"1772406000000" has the wrong type: pass epoch ms',
    );
    expect(issue({ timeZoneCode: LA, endTime: "2026-03-01T15:00" }, "endTime")).toBe(
      '"2026-03-01T15:00" has no offset: add it, or pass it as end',
    );
    expect(issue({ timeZoneCode: LA, startTime: "2026-07-01T14:00:00-08:00" }, "startTime")).toBe(
      '"2026-07-01T14:00:00-08:00" has the wrong offset: America/Los_Angeles is at -07:00 then: fix it, or pass it as start',
    );
    expect(issue({ timeZoneCode: LA, startTimeMs: 1772402400 }, "startTimeMs")).toMatch(/looks like seconds/);
  });

  it("collects every problem into one error whose message lists the fields", () => {
    const all = issues({ timeZoneCode: "Nowhere", startTime: "x", endTimeMs: 1.5 }, LIST, {
      ...QUERY,
      disambiguation: "latest" as WireTimesOptions["disambiguation"],
    });
    expect(all.map((i) => i.path)).toEqual(["timeZoneCode", "disambiguation", "startTime", "endTimeMs"]);
  });
});

describe("normalizeEventTimes is normalizeWireTimes with create's names and rules", () => {
  it("gives the same result or the same issues, whatever it is given (fuzz)", () => {
    const value = fc.oneof(
      fc.constant(undefined),
      fc.constantFrom(LA, "2026-03-01T14:00", "2026-03-01T14:00:00-08:00", "2026-11-01T01:30", START_MS, END_MS),
      fc.constantFrom(new Date(START_MS), 1772402400, "2026-02-30T10:00", "nope", null),
      fc.integer({ min: 1.7e12, max: 1.8e12 }),
      fc.anything(),
    );
    const create = { disambiguation: undefined, endNeedsStart: true, timeZoneRequired: true };
    const outcome = (run: () => unknown) => {
      try {
        return run();
      } catch (e) {
        return (e as LoftyValidationError).issues;
      }
    };
    fc.assert(
      fc.property(
        fc.record({
          timeZoneCode: fc.oneof(fc.constantFrom(LA, "Asia/Kolkata", "Nowhere"), value),
          start: value,
          end: value,
          startAt: value,
          startAtMs: value,
          endAt: value,
          endAtMs: value,
        }),
        (input) => {
          const viaCreate = outcome(() => normalizeEventTimes(input as EventTimesInput));
          expect(outcome(() => normalizeWireTimes(input, UPDATE, create))).toEqual(viaCreate);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
