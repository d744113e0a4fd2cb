// normalizeEventTimes against temporal-polyfill, the oracle for zone offsets and DST disambiguation, over every zone
// this runtime knows. Any disagreement is a mismatch; there must be none.
import fc from "fast-check";
import { Temporal } from "temporal-polyfill";
import { afterAll, describe, expect, it } from "vitest";
import { LoftyValidationError } from "../../src/errors.js";
import { type Disambiguation, type TimeInput, normalizeEventTimes } from "../../src/time.js";

const ZONES = Intl.supportedValuesOf("timeZone");
const DISAMBIGUATIONS: Disambiguation[] = ["compatible", "earlier", "later", "reject"];
const FROM = Date.UTC(1970, 0, 1);
const UNTIL = Date.UTC(2038, 0, 1); // exclusive
const SEED = Math.floor(Math.random() * 2 ** 31); // printed below: pass it back here to replay a run
const RUNS = 20_000;

const started = performance.now();
let cases = 0;
let transitions = 0;
const mismatches: string[] = [];

/** Records one comparison; returns whether it agreed (so fast-check can report and shrink a counterexample). */
function record(mismatch: string | undefined): boolean {
  cases++;
  if (mismatch !== undefined) mismatches.push(mismatch);
  return mismatch === undefined;
}

/** What normalizeEventTimes must write for this instant: the zone's offset, or +00:00 when it has seconds. */
function canonical(zdt: Temporal.ZonedDateTime): string {
  const z = zdt.offsetNanoseconds % 60e9 === 0 ? zdt : zdt.withTimeZone("UTC");
  return z.toPlainDateTime().toString({ fractionalSecondDigits: z.millisecond ? 3 : 0 }) + z.offset;
}

type Outcome = { at: string; ms: number } | { error: string };

function ours(zone: string, start: TimeInput, disambiguation: Disambiguation = "compatible"): Outcome {
  try {
    const out = normalizeEventTimes({ timeZoneCode: zone, start }, { disambiguation });
    return { at: out.startAt!, ms: out.startAtMs! };
  } catch (e) {
    if (!(e instanceof LoftyValidationError)) return { error: `threw ${String(e)}` };
    return { error: e.issues.map((i) => `${i.path}: ${i.message}`).join("; ") };
  }
}

function compare(label: string, got: Outcome, expected: Temporal.ZonedDateTime | undefined): string | undefined {
  if (expected === undefined)
    return "error" in got && got.error.startsWith("start: ")
      ? undefined
      : `${label}: Temporal throws, we gave ${JSON.stringify(got)}`;
  const want = { at: canonical(expected), ms: expected.epochMilliseconds };
  return "at" in got && got.at === want.at && got.ms === want.ms
    ? undefined
    : `${label}: want ${JSON.stringify(want)}, got ${JSON.stringify(got)}`;
}

/** The instant ms in zone, given as `form`, against Temporal's view of that instant. */
function checkInstant(zone: string, ms: number, form: "date" | "number" | "Z" | "offset"): string | undefined {
  const zdt = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone);
  // A number below 1e11 would be read as seconds: it goes as a Date instead.
  let input: Date | number | string = new Date(ms);
  if (form === "number" && ms >= 1e11) input = ms;
  else if (form === "Z") input = new Date(ms).toISOString();
  else if (form === "offset") input = canonical(zdt); // with the zone's offset, or +00:00 where it has seconds
  return compare(`${zone} ${form} ${JSON.stringify(input)}`, ours(zone, input), zdt);
}

type Wall = {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
};

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** The wall clock as a string without offset, in the shortest form `precision` allows (0: minutes ... 4: ms). */
function wallText(w: Wall, precision: number): string {
  const minutes = `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
  if (precision === 0) return minutes;
  const seconds = `${minutes}:${pad(w.second)}`;
  return precision === 1 ? seconds : `${seconds}.${pad(w.millisecond, 3).slice(0, precision - 1)}`;
}

/** Wall-clock input against Temporal.ZonedDateTime.from(fields, { disambiguation, overflow: "reject" }). */
function checkWall(zone: string, w: Wall, precision: number, disambiguation: Disambiguation): string | undefined {
  const text = wallText(w, precision);
  const fields = { ...w, second: precision ? w.second : 0, millisecond: +(text.split(".")[1] ?? "0").padEnd(3, "0") };
  let expected: Temporal.ZonedDateTime | undefined;
  try {
    expected = Temporal.ZonedDateTime.from({ timeZone: zone, ...fields }, { disambiguation, overflow: "reject" });
  } catch {
    expected = undefined;
  }
  return compare(`${zone} ${text} ${disambiguation}`, ours(zone, text, disambiguation), expected);
}

function wallOf(localMs: number): Wall {
  const d = new Date(localMs);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
  };
}

/** The instants around one offset transition in every form, and wall clocks before, inside and after its gap or
 * overlap with every disambiguation. */
function checkTransition(zone: string, next: Temporal.ZonedDateTime): void {
  const at = next.epochMilliseconds;
  for (const ms of [at - 1000, at - 1, at, at + 1000])
    for (const form of ["date", "number", "Z", "offset"] as const) record(checkInstant(zone, ms, form));
  const offBefore = Temporal.Instant.fromEpochMilliseconds(at - 1).toZonedDateTimeISO(zone).offsetNanoseconds / 1e6;
  const offAfter = next.offsetNanoseconds / 1e6;
  // Wall clocks in [lo, hi) are skipped (gap) or happen twice (overlap).
  const lo = at + Math.min(offBefore, offAfter);
  const hi = at + Math.max(offBefore, offAfter);
  const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
  for (const local of [lo - 60_000, lo - 1, lo, mid, hi - 1, hi, hi + 60_000]) {
    const w = wallOf(local);
    for (const dis of DISAMBIGUATIONS) record(checkWall(zone, w, w.millisecond ? 4 : 1, dis));
  }
}

describe("normalizeEventTimes agrees with temporal-polyfill", () => {
  afterAll(() => {
    const secs = ((performance.now() - started) / 1000).toFixed(1);
    console.info(
      `time oracle: ${ZONES.length} zones, ${transitions} transitions 2000–2037, ${cases} cases, ` +
        `${mismatches.length} mismatches, fast-check seed ${SEED}, ${secs} s`,
    );
  });

  it("writes random instants 1970–2037 in random zones as Temporal does", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: FROM, max: UNTIL - 1 }),
        fc.constantFrom("date" as const, "number" as const, "Z" as const, "offset" as const),
        (zone, ms, form) => record(checkInstant(zone, ms, form)),
      ),
      { numRuns: RUNS, seed: SEED },
    );
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it("reads random wall-clock strings with every disambiguation as Temporal does", () => {
    const wall = fc.record({
      year: fc.integer({ min: 1970, max: 2037 }),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 31 }), // 29-31 are sometimes impossible: both must refuse them
      hour: fc.integer({ min: 0, max: 23 }),
      minute: fc.integer({ min: 0, max: 59 }),
      second: fc.integer({ min: 0, max: 59 }),
      millisecond: fc.integer({ min: 0, max: 999 }),
    });
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        wall,
        fc.integer({ min: 0, max: 4 }),
        fc.constantFrom(...DISAMBIGUATIONS),
        (zone, w, precision, dis) => record(checkWall(zone, w, precision, dis)),
      ),
      { numRuns: RUNS, seed: SEED },
    );
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it("handles every offset transition 2000–2037 of every zone as Temporal does", { timeout: 120_000 }, () => {
    const before = mismatches.length;
    for (const zone of ZONES) {
      let zdt = Temporal.Instant.fromEpochMilliseconds(Date.UTC(2000, 0, 1)).toZonedDateTimeISO(zone);
      for (let next; (next = zdt.getTimeZoneTransition("next")) && next.epochMilliseconds < UNTIL; zdt = next) {
        transitions++;
        checkTransition(zone, next);
      }
    }
    expect(transitions).toBeGreaterThan(5000); // the enumeration itself worked
    const found = mismatches.slice(before);
    expect(found.length, `first mismatches:\n${found.slice(0, 5).join("\n")}`).toBe(0);
  });

  it("handles zones whose offset still had seconds after 1970 (written in +00:00) as Temporal does", () => {
    const before = mismatches.length;
    const zones = ZONES.filter(
      (zone) => Temporal.Instant.fromEpochMilliseconds(FROM).toZonedDateTimeISO(zone).offsetNanoseconds % 60e9,
    );
    expect(zones).toContain("Africa/Monrovia"); // -00:44:30 until 1972
    for (const zone of zones) {
      const next = Temporal.Instant.fromEpochMilliseconds(FROM).toZonedDateTimeISO(zone).getTimeZoneTransition("next")!;
      checkTransition(zone, next);
      // Every 5 hours 59 minutes until then, as instants in every form and as wall clocks with every disambiguation.
      for (let ms = FROM; ms < next.epochMilliseconds; ms += 359 * 60_000) {
        for (const form of ["date", "number", "Z", "offset"] as const) record(checkInstant(zone, ms, form));
        const w = wallOf(ms);
        for (const dis of DISAMBIGUATIONS) record(checkWall(zone, w, 1, dis));
      }
    }
    const found = mismatches.slice(before);
    expect(found.length, `first mismatches:\n${found.slice(0, 5).join("\n")}`).toBe(0);
  });
});
