// Event times for the wire: Lofty wants an ISO string in the zone's offset and/or epoch ms, callers have Dates, numbers
// and wall-clock strings. Only Intl and integer arithmetic, so it stays small in browser bundles.
import { describe, LoftyValidationError, type ValidationIssue } from "./errors.js";

/** How a wall-clock time in a DST gap or overlap becomes an instant, as Temporal's `disambiguation` option. */
export type Disambiguation = "compatible" | "earlier" | "later" | "reject";
/** A Date, epoch milliseconds, or an ISO 8601 string (with Z or an offset: an instant; without: wall clock in the zone). */
export type TimeInput = Date | number | string;

/** An event's times: per end, either the convenience field (`start`) or the wire fields (`startAt`/`startAtMs`). */
export interface EventTimesInput {
  /** IANA zone of the event: wall-clock inputs are read in it and `startAt`/`endAt` are written in its offset. */
  timeZoneCode: string;
  start?: TimeInput;
  end?: TimeInput;
  startAt?: string;
  startAtMs?: number;
  endAt?: string;
  endAtMs?: number;
}

/** The wire fields: both forms for every end that was given, denoting the same instant. */
export interface EventTimes {
  startAt?: string;
  startAtMs?: number;
  endAt?: string;
  endAtMs?: number;
}

/** Options of {@link normalizeEventTimes}. */
export interface NormalizeOptions {
  /** @default "compatible" */
  disambiguation?: Disambiguation;
}

// A zone: its Intl formatter's format (bound to it) and, as the Map itself, the offset of each UTC day (see off).
type Zone = Map<number, number> & { f: (t: number) => string };

// All times and offsets below are in milliseconds.
const DAY = 864e5;
// Supported instants: 0001-01-05 to 9999-12-25 UTC. The wire has 4-digit years; the margin keeps every Intl query (at
// most 2 days around a time) within years 1-9999.
const MIN = -62135251200e3;
const MAX = 253401696000e3;
const WALL = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,3})?)?(Z|[+-]\d\d:\d\d)?$/;
const DIS = ["compatible", "earlier", "later", "reject"];
// Compares as undefined does, shorter than void 0 when minified.
let NONE: undefined;
const zones = new Map<unknown, Zone>();

// ISO 8601 in UTC of epoch ms t.
const utc = (t: number) => new Date(t).toISOString();

// Milliseconds of the first ±H:MM[:SS] in s (Intl's "7/1/2026, GMT-07:00", or an input's "-08:00"); 0 if none
// ("Z", or "GMT" alone, as some engines write a zero offset).
const parseOff = (s: string, m: any = /([+-])(\d+):(\d+):?(\d*)/.exec(s)) =>
  m ? +(m[1] + 1) * (m[2] * 36e5 + m[3] * 6e4 + m[4] * 1e3) : 0;

// The zone's UTC offset at epoch ms t. Each UTC day is looked up in Intl once and cached per zone: the offset when both its
// midnights agree, else NaN (a change that day: ask Intl for t). Assumes offsets never change and back within a day
// (tzdb has no such day; Temporal's polyfill assumes 19), so repeated conversions cost Map lookups, not Intl calls.
const off = (z: Zone, t: number, k = Math.floor(t / DAY) * DAY, v = z.get(k)) =>
  // (Memory stays bounded in long-lived pages.)
  (
    v ?? (z.size > 5e3 && z.clear(), z.set(k, (v = (v = parseOff(z.f(k))) == parseOff(z.f(k + DAY)) ? v : NaN))),
    v == v ? v! : parseOff(z.f(t))
  );

// ±HH:MM of an offset (±HH:MM:SS if it has seconds, for messages); a zone has few, so they are cached.
const offStrs = new Map<number, string>();
const offStr = (o: number, s = offStrs.get(o)) =>
  s ?? (offStrs.set(o, (s = "+-"[+(o < 0)] + utc(Math.abs(o)).slice(11, o % 6e4 ? 19 : 16))), s);

// Canonical wire form of the instant ms: the zone's offset, never Z, .SSS only when not zero.
// An offset with seconds (LMT, before 1972) cannot be written as ±HH:MM: the same instant is written in +00:00 instead.
const iso = (z: Zone, ms: number, o = off(z, ms)) => (
  o % 6e4 && (o = 0),
  utc(ms + o).slice(0, ms % 1e3 ? 23 : 19) + offStr(o)
);

// The instant whose wall clock in z is l, per Temporal's disambiguation d (index in DIS; -1 acts as compatible), as the
// polyfill computes it: a and b are the offsets a day before and after; if they differ, l - a and l - b are the
// candidates, and both hold in an overlap (a > b), none in a gap. "reject" (3) gets true in an overlap, false in a gap.
// Temporal resolves a gap by shifting l by its length (b - a), so the wall clock lands right after it (l - a) or, for
// earlier, before it (l - b). (Checked against the original two-step lookup on every transition 1850-2100.)
const resolve = (z: Zone, l: number, d: number, a = off(z, l - DAY), b = off(z, l + DAY), n = off(z, l - a)) =>
  a == b ? l - a : n == off(z, l - b) ? l - n : d > 2 ? a > b : l - (d == (a > b ? 2 : 1) ? b : a);

/** Turns any accepted time input into the wire's ISO string and epoch ms for the same instant, or throws LoftyValidationError. */
export function normalizeEventTimes(input: EventTimesInput, options?: NormalizeOptions): EventTimes {
  const o: any = input ?? {};
  const tz = o.timeZoneCode;
  const dis = options?.disambiguation ?? DIS[0]!;
  const d = DIS.indexOf(dis);
  let z = zones.get(tz);
  const issues: ValidationIssue[] = [];
  const out: any = {};
  // Records an issue; NaN marks an end that was given but is unusable.
  const add = (path: string, message: string) => issues.push({ path, message }) && NaN;
  // Offsets like "+05:00" are not IANA zones, though newer engines accept them; IANA names start with a letter.
  if (!z && typeof tz == "string" && tz > "@")
    try {
      (z = new Map() as Zone).f = new Intl.DateTimeFormat("en", { timeZone: tz, timeZoneName: "longOffset" }).format;
      zones.set(tz, z);
    } catch {
      z = NONE; // an unknown zone: reported below
    }
  if (!z) add("timeZoneCode", describe(tz) + " is not an IANA time zone: use one like America/Los_Angeles");
  // An unknown one (-1) resolves as compatible does in resolve(), so the other problems are still found.
  if (d < 0) add("disambiguation", describe(dis) + " is unknown: use " + DIS.join(", "));

  // Instant (ms) of input v of field k + x, undefined if v is; x "": start/end (anything), "At": startAt (string with
  // an offset), "AtMs": startAtMs (number). A problem is thrown as its message and recorded with the value quoted.
  const time = (k: string, x: string, v: any): number | undefined => {
    let m: RegExpExecArray | null | undefined;
    let l: number;
    if (v !== NONE)
      try {
        if (v instanceof Date && !x) {
          // NaN, or a throw from a Proxy of a Date or an object that only inherits from Date.prototype: an invalid Date.
          // Later messages quote the epoch ms.
          if ((l = v = v.getTime()) != v) throw 0;
        } else if (typeof v == "number" && x != "At") {
          if (!((l = v) % 1 == 0)) throw "is not whole epoch ms: pass an integer"; // NaN and ±Infinity too
          if (v < 1e11) throw "looks like seconds: multiply by 1000";
        } else {
          if (typeof v != "string" || x > "At")
            throw (
              "has the wrong type: pass " +
              (x > "At"
                ? "epoch ms"
                : x
                  ? "an ISO 8601 string with an offset, or pass it as " + k
                  : "a Date, epoch ms or ISO 8601 string")
            );
          if (!(m = WALL.exec(v)))
            throw WALL.test(v + "T00:00")
              ? `has no time: add one, like ${v}T09:00`
              : "is not ISO 8601: write it like 2026-03-01T14:00:00-08:00";
          // The wall clock to the second, read as UTC. Engines either refuse a field out of range (NaN) or roll it over
          // into the next one: either way it does not read back the same.
          const w = v.slice(0, m[1] ? 19 : 16);
          if ((l = Date.parse(w + "Z")) != l || !utc(l).startsWith(w)) throw "is not a real date and time: check it";
        }
        // The instant of a Date or number, the wall clock (whole seconds) of a string.
        if (l < MIN || l > MAX) throw "is outside years 0001-9999: fix the date";
        if (!m) return l;
        const u = m[3]!;
        if (x && !u) throw `has no offset: add it, or pass it as ${k}`;
        if (!z) return NaN; // timeZoneCode is reported already
        l += +m[2]! * 1e3 || 0;
        const g = parseOff(u);
        const t = u ? l - g : resolve(z, l, d);
        if (t === !!t)
          throw (
            `is in a DST ${t ? "overlap" : "gap"} in ${tz}: ` +
            (t
              ? "add the offset you mean, or use disambiguation earlier or later"
              : "pick another time, or use disambiguation compatible")
          );
        const real = off(z, t as number);
        // Z is UTC. An offset with seconds (LMT, before 1972) has no ±HH:MM: +00:00 stands for it, as iso() writes.
        if (u < "Z" && g != (real % 6e4 ? 0 : real))
          throw `has the wrong offset: ${tz} is at ${offStr(real)} then: fix it, or pass it as ${k}`;
        return t as number;
      } catch (message: any) {
        // Messages are strings; anything else was thrown by reading a Date.
        return add(k + x, message?.at ? describe(v) + " " + message : "is an invalid Date: pass a valid one");
      }
  };

  // Instant (ms) of end k from its convenience field v or wire fields at/ms: undefined if not given, NaN if unusable.
  // A usable one is written to out at once (thrown away if anything was wrong).
  const end = (k: string, A = k + "At", M = A + "Ms", v = o[k], at = o[A], ms = o[M], a?: number, b?: number) => {
    const r =
      v !== NONE
        ? at !== NONE || ms !== NONE
          ? add(k, `give ${k} or ${A}/${M}, not both: drop one`)
          : time(k, "", v)
        : ((a = time(k, "At", at)),
          (b = time(k, "AtMs", ms)),
          // Nonzero only when both are usable and differ (NaN is falsy).
          a! - b! && add(M, `${A} ${describe(at)} and ${M} ${b} (${iso(z!, b!)}) differ: send one`),
          a ?? b);
    if (z && r! * 0 == 0) ((out[A] = iso(z, r!)), (out[M] = r));
    return r;
  };

  const s = end("start");
  const e = end("end");
  if (e != NONE && s == NONE) add("end", "is given without a start: add start");
  if (e! < s!) add("end", `${out.endAt ?? e} is before the start ${out.startAt ?? s}: swap them or fix the date`);
  if (issues[0]) throw new LoftyValidationError(issues);
  return out;
}

// TEMP(main): replaced by wt-time's normalizeWireTimes when it merges.
export interface WireTimeNames {
  start: readonly [iso: string, ms: string];
  end: readonly [iso: string, ms: string];
}
export function normalizeWireTimes(
  input: Record<string, unknown>,
  names: WireTimeNames,
  options: { disambiguation?: Disambiguation | undefined; endNeedsStart: boolean; timeZoneRequired: boolean },
): Record<string, unknown> {
  const renamed: Record<string, unknown> = {
    timeZoneCode: input.timeZoneCode ?? "UTC",
    start: input.start,
    end: input.end,
  };
  const map: Record<string, string> = {};
  for (const end of ["start", "end"] as const) {
    const [iso, ms] = names[end];
    renamed[`${end}At`] = input[iso];
    renamed[`${end}AtMs`] = input[ms];
    map[`${end}At`] = iso;
    map[`${end}AtMs`] = ms;
  }
  try {
    const out = normalizeEventTimes(renamed as unknown as EventTimesInput, { disambiguation: options.disambiguation });
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [map[k] ?? k, v]));
  } catch (error) {
    if (error instanceof LoftyValidationError) {
      throw new LoftyValidationError(error.issues.map((i) => ({ path: map[i.path] ?? i.path, message: i.message })));
    }
    throw error;
  }
}
