// Event times for the wire: Lofty wants an ISO string in the zone's offset and/or epoch ms, callers have Dates, numbers
// and wall-clock strings. Only Intl and integer arithmetic, so it stays small in browser bundles.
import { LoftyValidationError, type ValidationIssue } from "./errors.js";

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

type Zone = { f: Intl.DateTimeFormat; c: Map<number, number> };

const DAY = 86400;
// Supported instants, in epoch seconds: 0001-01-05 to 9999-12-25 UTC. The wire has 4-digit years, and the margin keeps
// every Intl query (at most 2 days around a time) in years >= 1, which en-US writes without an era.
const MIN = -62135251200;
const MAX = 253401696000;
const WALL = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,3}))?)?(Z|([+-])(\d\d):(\d\d))?$/;
const DIS = ["compatible", "earlier", "later", "reject"];
const OUT = "is outside years 0001-9999: fix the date";
const zones = new Map<string, Zone>();

function zoneOf(id: unknown): Zone | undefined {
  let z = zones.get(id as string);
  // Offsets like "+05:00" are not IANA zones, though newer engines accept them.
  if (!z && typeof id == "string" && /^[A-Za-z]/.test(id))
    try {
      // hourCycle h23 rather than hour12:false, which writes midnight as "24" in some engines (still guarded in raw).
      const f = new Intl.DateTimeFormat("en-US", {
        timeZone: id,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
      zones.set(id, (z = { f, c: new Map() }));
    } catch {
      // an unknown zone: reported by the caller
    }
  return z;
}

// Epoch seconds of a UTC date-time; +400 years (exactly 146097 days) because Date.UTC maps years 0-99 to 19xx.
const utc = (y: number, mo: number, d: number, h: number, mi: number, s: number) =>
  Date.UTC(y + 400, mo - 1, d, h, mi, s) / 1e3 - 146097 * DAY;

// The zone's UTC offset in seconds at epoch second t, from Intl ("7/1/2026, 14:00:00").
function raw(z: Zone, t: number): number {
  const [mo, d, y, h, mi, s] = z.f.format(t * 1e3).match(/\d+/g)!.map(Number) as [number, number, number, number, number, number];
  return utc(y, mo, d, h % 24, mi, s) - t;
}

// Offset at epoch second t. Each UTC day is looked up in Intl once and cached per zone: the offset when both its
// midnights agree, else NaN (a change that day: ask Intl for t). Assumes offsets never change and back within a day
// (tzdb has no such day; Temporal's polyfill assumes 19), so repeated conversions cost Map lookups, not Intl calls.
function off(z: Zone, t: number): number {
  const k = Math.floor(t / DAY);
  let v = z.c.get(k);
  if (v === undefined) {
    if (z.c.size > 5000) z.c.clear(); // bounded memory in long-lived pages
    v = raw(z, k * DAY);
    z.c.set(k, (v = v == raw(z, k * DAY + DAY) ? v : Number.NaN));
  }
  return v == v ? v : raw(z, t);
}

// ±HH:MM of an offset in seconds (±HH:MM:SS if it has seconds, for messages).
const offStr = (o: number) =>
  (o < 0 ? "-" : "+") +
  new Date(Math.abs(o) * 1e3).toISOString().slice(11, o % 60 ? 19 : 16);

// Canonical wire form of the instant ms: the zone's offset, never Z, .SSS only when not zero.
function iso(z: Zone, ms: number): string {
  let o = off(z, Math.floor(ms / 1e3));
  // An offset with seconds (LMT, before 1972) cannot be written as ±HH:MM: write the same instant in +00:00 instead.
  if (o % 60) o = 0;
  return new Date(ms + o * 1e3).toISOString().slice(0, ms % 1e3 ? 23 : 19) + offStr(o);
}

// Epoch seconds whose wall clock in z is l: one normally, none in a gap, two in an overlap. Temporal-polyfill's steps.
function possible(z: Zone, l: number): number[] {
  const a = off(z, l - DAY);
  const b = off(z, l + DAY);
  if (a == b) return [l - a];
  const n = off(z, l - a);
  return n == off(z, l - b) ? [l - n] : a > b ? [l - a, l - b] : [];
}

// The instant (seconds) of wall clock l per Temporal's disambiguation; for "reject": true in an overlap, false in a gap.
function resolve(z: Zone, l: number, dis: string): number | boolean | undefined {
  let p = possible(z, l);
  if (p.length == 1) return p[0];
  if (dis == "reject") return p.length > 0;
  if (p.length) return p[dis == "later" ? 1 : 0];
  const g = off(z, l + DAY) - off(z, l - DAY);
  p = possible(z, dis == "earlier" ? l - g : l + g); // a gap shifts the time by its length, as Temporal does
  return p[dis == "earlier" ? 0 : p.length - 1];
}

// A short rendering of any value for messages that never throws (symbols, huge strings, null-prototype objects).
const q = (v: unknown) =>
  (typeof v == "string" ? JSON.stringify(v.slice(0, 40)) : typeof v == "object" && v ? "an object" : String(v)).slice(0, 42);

/** Turns any accepted time input into the wire's ISO string and epoch ms for the same instant, or throws LoftyValidationError. */
export function normalizeEventTimes(input: EventTimesInput, options?: NormalizeOptions): EventTimes {
  const o = input ?? ({} as Partial<EventTimesInput>);
  const tz = o.timeZoneCode;
  const z = zoneOf(tz);
  let dis: string = (options ?? {}).disambiguation ?? "compatible";
  const issues: ValidationIssue[] = [];
  // Records an issue; NaN marks an end that was given but is unusable.
  const add = (path: string, message: string) => {
    issues.push({ path, message });
    return Number.NaN;
  };
  if (!z) add("timeZoneCode", `${q(tz)} is not an IANA time zone: use one like America/Los_Angeles`);
  if (!DIS.includes(dis)) {
    add("disambiguation", `${q(dis)} is unknown: use ${DIS.join(", ")}`);
    dis = "compatible";
  }

  // Instant (ms) of input v of end k at path p, undefined if v is; kind 0: start/end (anything), 1: startAt (string
  // with an offset), 2: startAtMs (number).
  const time = (k: string, p: string, v: unknown, kind: number): number | undefined => {
    const bad = (message: string) => add(p, q(v) + " " + message);
    let t: number | boolean | undefined;
    if (v === undefined) return;
    if (v instanceof Date && !kind) {
      // A Proxy of a Date, or an object that only inherits from Date.prototype, throws in getTime: an invalid Date.
      try {
        v = t = v.getTime(); // messages then quote the epoch ms
      } catch {
        t = NaN;
      }
      if (t != t) return add(p, "is an invalid Date: pass a valid one");
    } else if (typeof v == "number" && kind != 1) {
      if (!Number.isInteger(v)) return bad("is not whole epoch milliseconds: pass an integer");
      if (v < 1e11) return bad("looks like seconds: multiply by 1000");
      t = v;
    } else if (typeof v != "string" || kind == 2) {
      return bad(
        "has the wrong type: pass " +
          (kind == 2 ? "epoch milliseconds" : kind ? "an ISO 8601 string with an offset, or pass it as " + k : "a Date, epoch milliseconds or ISO 8601 string"),
      );
    } else {
      const m = WALL.exec(v);
      if (!m)
        return bad(
          WALL.test(v + "T00:00") ? `has no time: add one, like ${v}T09:00` : "is not an ISO 8601 date-time: write it like 2026-03-01T14:00:00-08:00",
        );
      const [, y, mo, d, h, mi, s] = m.map(Number) as number[]; // s is NaN when absent
      // Days in month: February has 28 + leap year, the others 30 or 31 by parity, which flips at August.
      if (mo! < 1 || mo! > 12 || d! < 1 || d! > (mo == 2 ? 28 + +!(y! % (y! % 100 ? 4 : 16)) : 30 + ((mo! + (mo! >> 3)) & 1)) || h! > 23 || mi! > 59 || s! > 59)
        return bad("is not a real date and time: check the day, hour (0-23) and minute (0-59)");
      const l = utc(y!, mo!, d!, h!, mi!, s || 0);
      const u = m[8];
      if (l < MIN || l > MAX) return bad(OUT);
      if (kind && !u) return bad(`has no offset: add it, or pass it as ${k}`);
      if (!z) return Number.NaN; // timeZoneCode is reported already
      // The offset in seconds ("-" + 1 is -1).
      const g = u == "Z" ? 0 : +(m[9]! + 1) * (+m[10]! * 3600 + +m[11]! * 60);
      t = u ? l - g : resolve(z, l, dis);
      if (typeof t != "number")
        return bad(
          `is in ${t ? "an overlap" : "a gap"} in ${tz} (${offStr(off(z, l - DAY))} to ${offStr(off(z, l + DAY))}): ` +
            (t ? "add the offset you mean, or use disambiguation earlier or later" : "pick another time, or use disambiguation compatible"),
        );
      const real = off(z, t);
      // Z is UTC. An offset with seconds (LMT, before 1972) has no ±HH:MM: +00:00 stands for it, as iso() writes.
      if (u && u != "Z" && g != real && !(real % 60 && !g))
        return bad(`has the wrong offset: ${tz} is at ${offStr(real)} then, not ${u}: fix it, or drop it and pass the time as ${k}`);
      return t * 1e3 + +((m[7] ?? "") + "00").slice(0, 3);
    }
    return t < MIN * 1e3 || t > MAX * 1e3 ? bad(OUT) : t;
  };

  // Instant (ms) of end k from its convenience field v or wire fields at/ms: undefined if not given, NaN if unusable.
  const end = (k: string, v: unknown, at: unknown, ms: unknown) => {
    if (v !== undefined)
      return at !== undefined || ms !== undefined ? add(k, `give ${k} or ${k}At/${k}AtMs, not both: drop one`) : time(k, k, v, 0);
    const a = time(k, k + "At", at, 1);
    const b = time(k, k + "AtMs", ms, 2);
    // Nonzero only when both are usable and differ (NaN is falsy).
    if (a! - b!) add(k + "AtMs", `${k}At ${q(at)} and ${k}AtMs ${b} (${iso(z!, b!)}) differ: send one, or make them the same instant`);
    return a ?? b;
  };

  const s = end("start", o.start, o.startAt, o.startAtMs);
  const e = end("end", o.end, o.endAt, o.endAtMs);
  const show = (ms: number) => (z ? iso(z, ms) : ms);
  if (e !== undefined && s === undefined) add("end", "is given without a start: add start");
  if (e! < s!) add("end", `${show(e!)} is before the start ${show(s!)}: swap them or fix the date`);
  if (issues[0]) throw new LoftyValidationError(issues);
  const out: EventTimes = {};
  if (s !== undefined) (out.startAt = iso(z!, s)), (out.startAtMs = s);
  if (e !== undefined) (out.endAt = iso(z!, e)), (out.endAtMs = e);
  return out;
}
