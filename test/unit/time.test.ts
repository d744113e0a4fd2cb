// Every rule of normalizeEventTimes by example. Expected instants were taken from temporal-polyfill.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LoftyValidationError, type ValidationIssue } from "../../src/errors.js";
import {
  type Disambiguation,
  type EventTimesInput,
  type NormalizeOptions,
  normalizeEventTimes,
} from "../../src/time.js";

const LA = "America/Los_Angeles";

/** The issues normalizeEventTimes throws for this input; fails the test if it does not throw exactly that error. */
function issues(input: unknown, options?: unknown): ValidationIssue[] {
  try {
    normalizeEventTimes(input as EventTimesInput, options as NormalizeOptions);
  } catch (e) {
    expect(e).toBeInstanceOf(LoftyValidationError);
    return (e as LoftyValidationError).issues;
  }
  throw new Error(`expected a LoftyValidationError for ${JSON.stringify(input)}`);
}

/** The single issue thrown, at `path`. */
function issue(input: unknown, path: string, options?: unknown): string {
  const all = issues(input, options);
  expect(all.map((i) => i.path)).toEqual([path]);
  return all[0]!.message;
}

const start = (value: unknown, timeZoneCode: unknown = LA, disambiguation?: Disambiguation) =>
  normalizeEventTimes({ timeZoneCode, start: value } as EventTimesInput, { disambiguation });

describe("normalizeEventTimes: accepted inputs", () => {
  it("reads a wall-clock string in timeZoneCode and writes both wire fields for each end given", () => {
    expect(normalizeEventTimes({ timeZoneCode: LA, start: "2026-03-01T14:00", end: "2026-03-01T15:00:00" })).toEqual({
      startAt: "2026-03-01T14:00:00-08:00",
      startAtMs: 1772402400000,
      endAt: "2026-03-01T15:00:00-08:00",
      endAtMs: 1772406000000,
    });
    expect(normalizeEventTimes({ timeZoneCode: LA, start: "2026-07-01T14:00" })).toEqual({
      startAt: "2026-07-01T14:00:00-07:00",
      startAtMs: 1782939600000,
    });
    expect(normalizeEventTimes({ timeZoneCode: LA })).toEqual({});
  });

  it("accepts a Date, epoch milliseconds, an ISO string with Z or with the right offset: all the same instant", () => {
    const want = { startAt: "2026-03-01T14:00:00-08:00", startAtMs: 1772402400000 };
    expect(start(new Date(1772402400000))).toEqual(want);
    expect(start(1772402400000)).toEqual(want);
    expect(start("2026-03-01T22:00:00Z")).toEqual(want);
    expect(start("2026-03-01T22:00Z")).toEqual(want);
    expect(start("2026-03-01T14:00:00-08:00")).toEqual(want);
    expect(start("2026-03-02T07:00:00+09:00", "Asia/Tokyo")).toEqual({
      startAt: "2026-03-02T07:00:00+09:00",
      startAtMs: 1772402400000,
    });
  });

  it("writes milliseconds only when they are not zero, always as .SSS", () => {
    expect(start("2026-03-01T14:00:05").startAt).toBe("2026-03-01T14:00:05-08:00");
    expect(start("2026-03-01T14:00:05.5").startAt).toBe("2026-03-01T14:00:05.500-08:00");
    expect(start("2026-03-01T14:00:05.05").startAt).toBe("2026-03-01T14:00:05.050-08:00");
    expect(start("2026-03-01T14:00:05.123")).toEqual({
      startAt: "2026-03-01T14:00:05.123-08:00",
      startAtMs: 1772402405123,
    });
    expect(start("2026-03-01T14:00:05.000").startAt).toBe("2026-03-01T14:00:05-08:00");
    expect(start(1772402400001).startAt).toBe("2026-03-01T14:00:00.001-08:00");
  });

  it("writes a zero offset as +00:00, never Z, and converts Z to the zone's offset", () => {
    expect(start("2026-03-01T14:00:00Z", "UTC").startAt).toBe("2026-03-01T14:00:00+00:00");
    expect(start("2026-01-15T09:30", "Europe/London").startAt).toBe("2026-01-15T09:30:00+00:00");
    expect(start("2026-07-15T09:30:00Z", "Europe/London").startAt).toBe("2026-07-15T10:30:00+01:00");
    expect(start("2026-07-15T09:30:00Z", "Asia/Kolkata").startAt).toBe("2026-07-15T15:00:00+05:30");
    expect(start("2026-07-15T09:30:00Z", "America/St_Johns").startAt).toBe("2026-07-15T07:00:00-02:30");
  });

  it("writes an instant whose offset has seconds (Africa/Monrovia before 1972) in +00:00, and reads that back", () => {
    // Monrovia was at -00:44:30 then: not writable as ±HH:MM.
    const out = start(new Date("1960-01-01T12:00:00Z"), "Africa/Monrovia");
    expect(out).toEqual({ startAt: "1960-01-01T12:00:00+00:00", startAtMs: -315576000000 });
    expect(normalizeEventTimes({ timeZoneCode: "Africa/Monrovia", startAt: out.startAt })).toEqual(out);
    // No ±HH:MM equals it, so Temporal's rounded form is refused like any other wrong offset.
    expect(issue({ timeZoneCode: "Africa/Monrovia", start: "1960-01-01T11:15:30-00:45" }, "start")).toMatch(
      /"1960-01-01T11:15:30-00:45" has the wrong offset: Africa\/Monrovia is at -00:44:30 then: fix it/,
    );
    // A wall clock there is an exact instant all the same.
    expect(start("1960-01-01T12:00", "Africa/Monrovia").startAtMs).toBe(-315573330000);
    expect(issue({ timeZoneCode: "Africa/Monrovia", start: "1960-01-01T12:00:00+01:00" }, "start")).toMatch(
      /-00:44.*fix it/,
    );
  });

  it("takes the wire fields directly, fills in the missing one and re-formats canonically", () => {
    expect(normalizeEventTimes({ timeZoneCode: LA, startAt: "2026-03-01T14:00:00-08:00" })).toEqual({
      startAt: "2026-03-01T14:00:00-08:00",
      startAtMs: 1772402400000,
    });
    expect(normalizeEventTimes({ timeZoneCode: LA, endAtMs: 1772406000000, startAtMs: 1772402400000 })).toEqual({
      startAt: "2026-03-01T14:00:00-08:00",
      startAtMs: 1772402400000,
      endAt: "2026-03-01T15:00:00-08:00",
      endAtMs: 1772406000000,
    });
    expect(
      normalizeEventTimes({ timeZoneCode: LA, startAt: "2026-03-01T22:00:00.000Z", startAtMs: 1772402400000 }),
    ).toEqual({
      startAt: "2026-03-01T14:00:00-08:00",
      startAtMs: 1772402400000,
    });
    // The mock's own example pairs are consistent.
    expect(
      normalizeEventTimes({
        timeZoneCode: LA,
        startAt: "2026-03-05T10:30:00-08:00",
        startAtMs: 1772735400000,
        endAt: "2026-03-05T11:30:00-08:00",
        endAtMs: 1772739000000,
      }),
    ).toEqual({
      startAt: "2026-03-05T10:30:00-08:00",
      startAtMs: 1772735400000,
      endAt: "2026-03-05T11:30:00-08:00",
      endAtMs: 1772739000000,
    });
  });

  it("accepts an end equal to the start, leap days and time zone aliases", () => {
    expect(normalizeEventTimes({ timeZoneCode: LA, start: "2026-03-01T14:00", end: 1772402400000 }).endAt).toBe(
      "2026-03-01T14:00:00-08:00",
    );
    expect(start("2024-02-29T12:00").startAt).toBe("2024-02-29T12:00:00-08:00");
    expect(start("2000-02-29T12:00").startAt).toBe("2000-02-29T12:00:00-08:00");
    expect(start("2026-03-01T14:00", "US/Pacific").startAtMs).toBe(1772402400000);
  });
});

describe("normalizeEventTimes: DST gaps and overlaps follow `disambiguation` as Temporal does", () => {
  // [zone, wall clock, compatible, earlier, later, gap or overlap]
  const cases: [string, string, string, string, string, "gap" | "overlap"][] = [
    [
      LA,
      "2026-03-08T02:30",
      "2026-03-08T03:30:00-07:00",
      "2026-03-08T01:30:00-08:00",
      "2026-03-08T03:30:00-07:00",
      "gap",
    ],
    [
      LA,
      "2026-11-01T01:30",
      "2026-11-01T01:30:00-07:00",
      "2026-11-01T01:30:00-07:00",
      "2026-11-01T01:30:00-08:00",
      "overlap",
    ],
    // Southern hemisphere: clocks go forward in October, back in April.
    [
      "Australia/Sydney",
      "2026-10-04T02:30",
      "2026-10-04T03:30:00+11:00",
      "2026-10-04T01:30:00+10:00",
      "2026-10-04T03:30:00+11:00",
      "gap",
    ],
    [
      "Australia/Sydney",
      "2026-04-05T02:30",
      "2026-04-05T02:30:00+11:00",
      "2026-04-05T02:30:00+11:00",
      "2026-04-05T02:30:00+10:00",
      "overlap",
    ],
    // Lord Howe shifts by 30 minutes.
    [
      "Australia/Lord_Howe",
      "2026-10-04T02:15",
      "2026-10-04T02:45:00+11:00",
      "2026-10-04T01:45:00+10:30",
      "2026-10-04T02:45:00+11:00",
      "gap",
    ],
    [
      "Australia/Lord_Howe",
      "2026-04-05T01:45",
      "2026-04-05T01:45:00+11:00",
      "2026-04-05T01:45:00+11:00",
      "2026-04-05T01:45:00+10:30",
      "overlap",
    ],
    // Santiago changes at midnight, so the gap crosses the date.
    [
      "America/Santiago",
      "2026-09-06T00:30",
      "2026-09-06T01:30:00-03:00",
      "2026-09-05T23:30:00-04:00",
      "2026-09-06T01:30:00-03:00",
      "gap",
    ],
  ];

  it.each(cases)("%s %s", (zone, wall, compatible, earlier, later, kind) => {
    expect(start(wall, zone).startAt).toBe(compatible); // the default
    expect(start(wall, zone, "compatible").startAt).toBe(compatible);
    expect(start(wall, zone, "earlier").startAt).toBe(earlier);
    expect(start(wall, zone, "later").startAt).toBe(later);
    // Each result is a consistent pair.
    const out = start(wall, zone, "later");
    expect(new Date(out.startAtMs!).getTime()).toBe(Date.parse(out.startAt!));
    const message = issue({ timeZoneCode: zone, start: wall }, "start", { disambiguation: "reject" });
    expect(message).toContain(`"${wall}"`);
    expect(message).toContain(kind);
    expect(message).toMatch(
      kind === "gap" ? /pick another time, or use disambiguation compatible/ : /add the offset you mean/,
    );
  });

  it("takes the offset to pick one of the two times of an overlap, even with reject", () => {
    const reject = { disambiguation: "reject" as const };
    expect(normalizeEventTimes({ timeZoneCode: LA, start: "2026-11-01T01:30:00-07:00" }, reject).startAtMs).toBe(
      1793521800000,
    );
    expect(normalizeEventTimes({ timeZoneCode: LA, start: "2026-11-01T01:30:00-08:00" }, reject).startAtMs).toBe(
      1793525400000,
    );
    expect(normalizeEventTimes({ timeZoneCode: LA, startAt: "2026-11-01T01:30:00-08:00" }).startAt).toBe(
      "2026-11-01T01:30:00-08:00",
    );
  });

  it("names the field of a rejected end and lists every rejected time", () => {
    const all = issues(
      { timeZoneCode: LA, start: "2026-03-08T02:30", end: "2026-11-01T01:30" },
      { disambiguation: "reject" },
    );
    expect(all.map((i) => i.path)).toEqual(["start", "end"]);
    expect(all[0]!.message).toMatch(/gap in America\/Los_Angeles: pick another time/);
    expect(all[1]!.message).toMatch(/overlap in America\/Los_Angeles: add the offset/);
  });
});

describe("normalizeEventTimes: refused inputs name the field and say how to fix them", () => {
  it("refuses a convenience field together with its wire fields, naming both", () => {
    for (const wire of [{ startAt: "2026-03-01T14:00:00-08:00" }, { startAtMs: 1772402400000 }]) {
      const message = issue({ timeZoneCode: LA, start: "2026-03-01T14:00", ...wire }, "start");
      expect(message).toMatch(/start or startAt\/startAtMs, not both: drop one/);
    }
    expect(issue({ timeZoneCode: LA, start: "2026-03-01T14:00", end: 1772406000000, endAt: "x" }, "end")).toMatch(
      /end or endAt\/endAtMs, not both/,
    );
  });

  it("refuses the vendor's inconsistent example (startAtMs a year off startAt), naming both fields", () => {
    const message = issue(
      { timeZoneCode: LA, startAt: "2026-03-01T14:00:00-08:00", startAtMs: 1740866400000 },
      "startAtMs",
    );
    expect(message).toContain('startAt "2026-03-01T14:00:00-08:00"');
    expect(message).toContain("startAtMs 1740866400000 (2025-03-01T14:00:00-08:00)");
    expect(message).toMatch(/differ: send one/);
    expect(
      issue(
        { timeZoneCode: LA, start: 1772402400000, endAt: "2026-03-01T15:00:00-08:00", endAtMs: 1772406000001 },
        "endAtMs",
      ),
    ).toMatch(/endAt .* endAtMs 1772406000001/);
  });

  it("refuses a wall-clock string in a wire field: add the offset, or pass it as start", () => {
    expect(issue({ timeZoneCode: LA, startAt: "2026-03-01T14:00" }, "startAt")).toMatch(
      /"2026-03-01T14:00" has no offset: add it, or pass it as start/,
    );
    expect(issue({ timeZoneCode: LA, start: 1772402400000, endAt: "2026-03-01T15:00:00" }, "endAt")).toMatch(
      /pass it as end/,
    );
  });

  it("refuses an offset the zone does not have at that instant, saying which one it has", () => {
    const message = issue({ timeZoneCode: LA, start: "2026-07-01T14:00:00-08:00" }, "start");
    expect(message).toMatch(
      /"2026-07-01T14:00:00-08:00" has the wrong offset: America\/Los_Angeles is at -07:00 then: fix it, or pass it as start/,
    );
    expect(issue({ timeZoneCode: LA, startAt: "2026-03-01T14:00:00+00:00" }, "startAt")).toMatch(
      /"2026-03-01T14:00:00\+00:00" has the wrong offset: .* is at -08:00 then/,
    );
    expect(issue({ timeZoneCode: "Asia/Kolkata", start: "2026-03-01T14:00:00+05:00" }, "start")).toMatch(
      /\+05:30 then/,
    );
  });

  it("refuses Dates and epoch milliseconds that are not usable", () => {
    expect(issue({ timeZoneCode: LA, start: new Date("nope") }, "start")).toMatch(/invalid Date: pass a valid one/);
    expect(issue({ timeZoneCode: LA, start: 1772402400 }, "start")).toMatch(
      /1772402400 looks like seconds.*multiply by 1000/,
    );
    expect(issue({ timeZoneCode: LA, start: 1772402400000, endAtMs: 1772406000 }, "endAtMs")).toMatch(
      /multiply by 1000/,
    );
    for (const bad of [1772402400000.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])
      expect(issue({ timeZoneCode: LA, startAtMs: bad }, "startAtMs")).toMatch(
        /is not whole epoch ms: pass an integer/,
      );
    expect(issue({ timeZoneCode: LA, start: -0 }, "start")).toMatch(/looks like seconds/);
    expect(issue({ timeZoneCode: LA, start: 8.64e15 }, "start")).toMatch(/outside years 0001-9999/);
    expect(issue({ timeZoneCode: LA, start: new Date(8.64e15) }, "start")).toMatch(/outside years 0001-9999/);
  });

  it("refuses strings that are not strict ISO 8601 date-times", () => {
    for (const bad of [
      "",
      "tomorrow",
      "2026-03-01 14:00",
      "2026-03-01t14:00",
      "2026-03-01T14",
      "2026-3-1T14:00",
      "26-03-01T14:00",
      "+002026-03-01T14:00",
      "2026-03-01T14:00:00.1234",
      "2026-03-01T14:00:00-0800",
      "2026-03-01T14:00:00-08",
      "2026-03-01T14:00:00 -08:00",
      "2026-03-01T14:00:00z",
      " 2026-03-01T14:00",
    ])
      expect(issue({ timeZoneCode: LA, start: bad }, "start")).toMatch(
        /is not ISO 8601: write it like 2026-03-01T14:00:00-08:00/,
      );
  });

  it("refuses a date without a time: add one", () => {
    expect(issue({ timeZoneCode: LA, start: "2026-03-01" }, "start")).toBe(
      '"2026-03-01" has no time: add one, like 2026-03-01T09:00',
    );
  });

  it("refuses impossible dates and times", () => {
    for (const bad of [
      "2026-02-30T10:00",
      "2025-02-29T10:00",
      "1900-02-29T10:00",
      "2026-04-31T10:00",
      "2026-13-01T10:00",
      "2026-00-01T10:00",
      "2026-01-00T10:00",
      "2026-01-32T10:00",
      "2026-03-01T24:00",
      "2026-03-01T10:60",
      "2026-03-01T10:00:60",
      "2026-03-01T24:00:00Z",
    ])
      expect(issue({ timeZoneCode: LA, start: bad }, "start")).toMatch(/is not a real date and time: check/);
    expect(issue({ timeZoneCode: LA, start: "0000-06-01T10:00" }, "start")).toMatch(/outside years 0001-9999/);
  });

  it("refuses values of the wrong type, whatever they are, without throwing anything else", () => {
    expect(issue({ timeZoneCode: LA, start: true }, "start")).toMatch(
      /has the wrong type: pass a Date, epoch ms or ISO 8601 string/,
    );
    expect(issue({ timeZoneCode: LA, start: 10n }, "start")).toMatch(/^10n has the wrong type/);
    expect(issue({ timeZoneCode: LA, start: Symbol("s") }, "start")).toMatch(/^Symbol\(s\) has the wrong type/);
    expect(issue({ timeZoneCode: LA, start: null }, "start")).toMatch(/^null has the wrong type/);
    expect(issue({ timeZoneCode: LA, start: Object.create(null) }, "start")).toMatch(/^an object has the wrong type/);
    expect(issue({ timeZoneCode: LA, start: [1] }, "start")).toMatch(/^an object/);
    expect(issue({ timeZoneCode: LA, startAt: 1772402400000 }, "startAt")).toMatch(
      /pass an ISO 8601 string with an offset, or pass it as start/,
    );
    expect(issue({ timeZoneCode: LA, startAt: new Date() }, "startAt")).toMatch(/or pass it as start/);
    expect(issue({ timeZoneCode: LA, startAtMs: "1772402400000" }, "startAtMs")).toMatch(/pass epoch ms/);
    // A huge string is quoted briefly.
    const message = issue({ timeZoneCode: LA, start: "9".repeat(1_000_000) }, "start");
    expect(message.length).toBeLessThan(150);
  });

  it("refuses an unknown or missing time zone with one issue at timeZoneCode", () => {
    for (const bad of ["Mars/Olympus_Mons", "", "+05:00", "-08:00", undefined, null, 42, {}, "x".repeat(10_000)])
      expect(issue({ timeZoneCode: bad, start: 1772402400000 }, "timeZoneCode")).toMatch(
        /is not an IANA time zone: use one like America\/Los_Angeles/,
      );
    // The inputs are still checked.
    expect(issues({ timeZoneCode: "Nowhere", start: "2026-02-30T10:00", end: 5 }).map((i) => i.path)).toEqual([
      "timeZoneCode",
      "start",
      "end",
    ]);
  });

  it("refuses an end before the start (equal is fine) and an end without a start", () => {
    expect(issue({ timeZoneCode: LA, start: "2026-03-01T14:00", end: "2026-03-01T13:59:59.999" }, "end")).toBe(
      "2026-03-01T13:59:59.999-08:00 is before the start 2026-03-01T14:00:00-08:00: swap them or fix the date",
    );
    expect(issue({ timeZoneCode: LA, startAtMs: 1772402400000, endAt: "2026-02-01T14:00:00-08:00" }, "end")).toMatch(
      /before the start/,
    );
    for (const end of [{ end: "2026-03-01T14:00" }, { endAt: "2026-03-01T14:00:00-08:00" }, { endAtMs: 1772402400000 }])
      expect(issue({ timeZoneCode: LA, ...end }, "end")).toBe("is given without a start: add start");
  });

  it("refuses an unknown disambiguation", () => {
    expect(issue({ timeZoneCode: LA, start: "2026-03-01T14:00" }, "disambiguation", { disambiguation: "latest" })).toBe(
      '"latest" is unknown: use compatible, earlier, later, reject',
    );
  });

  it("collects every problem into one LoftyValidationError whose message lists them", () => {
    let error: unknown;
    try {
      normalizeEventTimes(
        { timeZoneCode: LA, start: "2026-02-30T10:00", startAt: "x", end: "2026-03-01" },
        { disambiguation: "nope" as Disambiguation },
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LoftyValidationError);
    const e = error as LoftyValidationError;
    expect(e.issues.map((i) => i.path)).toEqual(["disambiguation", "start", "end"]);
    expect(e.message).toMatch(/^Invalid input, nothing was sent: disambiguation: .*; start: .*; end: /);
    // Every message says what is wrong, then after a colon how to fix it.
    for (const i of e.issues) expect(i.message).toMatch(/\S.*: \S/);
  });

  it("survives no input at all", () => {
    expect(issue(undefined, "timeZoneCode")).toMatch(/^undefined is not an IANA time zone/);
    expect(issue(null, "timeZoneCode", null)).toMatch(/IANA/);
    expect(issue("America/Los_Angeles", "timeZoneCode", 5)).toMatch(/IANA/);
  });

  it("throws nothing but LoftyValidationError, whatever it is given (fuzz)", () => {
    const anything = fc.oneof(
      fc.anything({ withBigInt: true, withDate: true, withNullPrototype: true, withSparseArray: true }),
      fc.double(),
      fc.integer({ min: -1e16, max: 1e16 }),
      fc.string(),
      fc.date({ noInvalidDate: false }),
      fc.constantFrom(LA, "2026-03-01T14:00", "2026-03-01T14:00:00-08:00", 1772402400000, new Date(1772402400000)),
    );
    const field = fc.option(anything, { nil: undefined });
    fc.assert(
      fc.property(
        fc.record({
          timeZoneCode: field,
          start: field,
          end: field,
          startAt: field,
          startAtMs: field,
          endAt: field,
          endAtMs: field,
        }),
        fc.option(fc.record({ disambiguation: field }), { nil: undefined }),
        (input, options) => {
          try {
            const out = normalizeEventTimes(input as EventTimesInput, options as NormalizeOptions);
            // Whatever passes is a consistent pair per end.
            for (const k of ["start", "end"] as const) {
              const at = out[`${k}At`];
              if (at !== undefined) expect(Date.parse(at)).toBe(out[`${k}AtMs`]);
            }
          } catch (e) {
            expect(e).toBeInstanceOf(LoftyValidationError);
            for (const i of (e as LoftyValidationError).issues) {
              expect(typeof i.path).toBe("string");
              expect(i.message.length).toBeLessThan(300);
            }
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
