// Event times for the wire: Lofty wants an ISO string with the zone's offset and/or epoch ms; callers have Dates,
// numbers and wall-clock strings. Only Intl and integer arithmetic, so it stays tiny in browser bundles.
import { LoftyValidationError, type ValidationIssue } from "./errors.js";

/** How a wall-clock time in a DST gap or overlap becomes an instant (as Temporal's `disambiguation`). */
export type Disambiguation = "compatible" | "earlier" | "later" | "reject";
/** A Date, epoch milliseconds, or an ISO 8601 string (with an offset: an instant; without: wall clock in the zone). */
export type TimeInput = Date | number | string;

/** Times of an event: per end, either the convenience field (`start`) or the wire fields (`startAt`/`startAtMs`). */
export interface EventTimesInput {
  /** IANA zone the event is shown in; wall-clock inputs are read in it and outputs are written in its offset. */
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
// Supported instants, in seconds: 0001-01-05 to 9999-12-24 UTC. The wire has 4-digit years, and the margin keeps every
// Intl query (up to 2 days around a time) in years >= 1, which en-US writes without an era.
const MIN = -62135251200;
const MAX = 253401696000;
const WALL = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,3}))?)?(Z|([+-])(\d\d):(\d\d))?$/;
const zones = new Map<string, Zone>();

function zoneOf(id: unknown): Zone | undefined {
  if (typeof id != "string" || !/^[A-Za-z]/.test(id)) return; // offsets like "+05:00" are not IANA zones
  let z = zones.get(id);
  if (!z) {
    try {
      // hourCycle h23 rather than hour12:false, which writes midnight as "24" in some engines (still guarded below)
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
      return;
    }
  }
  return z;
}

// Seconds since 1970 of a UTC date-time; +400 years (exactly 146097 days) because Date.UTC maps years 0-99 to 19xx.
const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) =>
  Date.UTC(y + 400, mo - 1, d, h, mi, s) / 1e3 - 146097 * DAY;

// The zone's UTC offset in seconds at epoch second t, straight from Intl.
function raw(z: Zone, t: number): number {
  const [mo, d, y, h, mi, s] = z.f.format(t * 1e3).match(/\d+/g)!.map(Number) as [number, number, number, number, number, number];
  return utc(y, mo, d, h % 24, mi, s) - t;
}

// Offset at UTC midnight of day k, cached per zone.
function at(z: Zone, k: number): number {
  let v = z.c.get(k);
  if (v === undefined) {
    if (z.c.size > 5000) z.c.clear(); // bounded memory in long-lived pages
    z.c.set(k, (v = raw(z, k * DAY)));
  }
  return v;
}

// Offset at epoch second t. Offsets are sampled at UTC midnights: equal samples mean no change that day, else the
// change is found by bisection once (cached at key k + 0.5). Assumes at most one change a day (tzdb has none closer;
// Temporal's polyfill assumes 19 days), so repeated conversions cost a few Map lookups instead of Intl calls.
function off(z: Zone, t: number): number {
  const k = Math.floor(t / DAY);
  const a = at(z, k);
  const b = at(z, k + 1);
  if (a == b) return a;
  let x = z.c.get(k + 0.5);
  if (x === undefined) {
    let lo = k * DAY;
    x = lo + DAY;
    while (x - lo > 1) {
      const mid = Math.floor((lo + x) / 2);
      if (raw(z, mid) == b) x = mid;
      else lo = mid;
    }
    z.c.set(k + 0.5, x);
  }
  return t < x ? a : b;
}

const two = (n: number) => (n < 10 ? "0" : "") + Math.floor(n);
const offStr = (o: number) => (o < 0 ? "-" : "+") + two(Math.abs(o) / 3600) + ":" + two((Math.abs(o) / 60) % 60);

// Canonical wire form of the instant ms: the zone's offset, never Z, .SSS only when not zero. Getters of one reused
// Date, as toISOString is 3x slower.
const D = new Date(0);
function iso(z: Zone, ms: number): string {
  let o = off(z, Math.floor(ms / 1e3));
  // An offset with seconds (LMT, before 1972) cannot be written as ±HH:MM: write the same instant in +00:00 instead.
  if (o % 60) o = 0;
  D.setTime(ms + o * 1e3);
  const f = D.getUTCMilliseconds();
  return `${D.getUTCFullYear() + 1e4}-${two(D.getUTCMonth() + 1)}-${two(D.getUTCDate())}T${two(D.getUTCHours())}:${two(D.getUTCMinutes())}:${two(D.getUTCSeconds())}${f ? "." + (f + 1e3 + "").slice(1) : ""}`.slice(1) + offStr(o);
}

// Epoch seconds whose wall clock in z is l: 1 normally, 0 in a gap, 2 in an overlap. Same steps as temporal-polyfill.
function possible(z: Zone, l: number): number[] {
  const a = off(z, l - DAY);
  const b = off(z, l + DAY);
  if (a == b) return [l - a];
  const n = off(z, l - a);
  return n == off(z, l - b) ? [l - n] : a > b ? [l - a, l - b] : [];
}

// The instant (seconds) of wall clock l per Temporal's disambiguation; for "reject": true in an overlap, false in a gap.
function resolve(z: Zone, l: number, dis: Disambiguation): number | boolean | undefined {
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

const DIS = ["compatible", "earlier", "later", "reject"];
const OUT = "is outside years 0001-9999: fix the date";

/** Turns any accepted time input into the wire's ISO string and epoch ms for the same instant, or throws LoftyValidationError. */
export function normalizeEventTimes(input: EventTimesInput, options?: NormalizeOptions): EventTimes {
  const issues: ValidationIssue[] = [];
  const add = (path: string, message: string): undefined => {
    issues.push({ path, message });
  };
  const o = (input ?? {}) as unknown as Record<string, unknown>;
  const tz = o.timeZoneCode;
  const z = zoneOf(tz);
  if (!z) add("timeZoneCode", `${q(tz)} is not an IANA time zone: use one like America/Los_Angeles`);
  let dis = (options ?? {}).disambiguation ?? "compatible";
  if (!DIS.includes(dis)) {
    add("disambiguation", `${q(dis)} is unknown: use ${DIS.join(", ")}`);
    dis = "compatible";
  }
  const show = (ms: number) => (z ? iso(z, ms) : ms);

  // Instant (ms) of input v of end k at path p; kind 0: start/end (anything), 1: startAt (string with an offset),
  // 2: startAtMs (number). Records an issue and returns undefined when v is unusable.
  const time = (k: string, p: string, v: unknown, kind: number): number | undefined => {
    const bad = (message: string) => add(p, q(v) + " " + message);
    const ok = (ms: number) => (ms < MIN * 1e3 || ms > MAX * 1e3 ? bad(OUT) : ms);
    if (v === undefined) return;
    if (v instanceof Date && !kind) {
      const t = v.getTime();
      return t == t ? ok(t) : add(p, "is an invalid Date: pass a valid one");
    }
    if (typeof v == "number" && kind != 1)
      return !Number.isInteger(v)
        ? bad("is not whole epoch milliseconds: pass an integer")
        : v < 1e11
          ? bad("looks like seconds, not milliseconds: multiply by 1000")
          : ok(v);
    if (typeof v != "string" || kind == 2)
      return bad(
        "has the wrong type: pass " +
          (kind == 2 ? "epoch milliseconds" : kind ? "an ISO 8601 string with an offset, or pass it as " + k : "a Date, epoch milliseconds or ISO 8601 string"),
      );
    const m = WALL.exec(v);
    if (!m)
      return bad(
        WALL.test(v + "T00:00") ? `has no time: add one, like ${v}T09:00` : "is not an ISO 8601 date-time: write it like 2026-03-01T14:00:00-08:00",
      );
    const y = +m[1]!;
    const mo = +m[2]!;
    const d = +m[3]!;
    const h = +m[4]!;
    const mi = +m[5]!;
    const s = +(m[6] ?? 0);
    // Days in month: February has 28 + leap year, the others 30 or 31 by parity, which flips at August.
    if (mo < 1 || mo > 12 || d < 1 || d > (mo == 2 ? 28 + +!(y % (y % 100 ? 4 : 16)) : 30 + ((mo + (mo >> 3)) & 1)) || h > 23 || mi > 59 || s > 59)
      return bad("is not a real date and time: check the day of the month, hour 0-23 and minute 0-59");
    const l = utc(y, mo, d, h, mi, s);
    if (l < MIN || l > MAX) return bad(OUT);
    // The offset in seconds ("-" + 1 is -1), undefined for a wall clock.
    const g = m[8] && (m[8] == "Z" ? 0 : +(m[9]! + 1) * (+m[10]! * 3600 + +m[11]! * 60));
    if (kind && !m[8]) return bad(`has no offset: add it, or pass it as ${k} to read it in timeZoneCode`);
    if (!z) return; // timeZoneCode is reported already
    let t = m[8] ? l - +g! : resolve(z, l, dis as Disambiguation);
    if (typeof t != "number")
      return bad(
        `is in ${t ? "an overlap" : "a gap"} in ${tz} (${offStr(off(z, l - DAY))} to ${offStr(off(z, l + DAY))}): ` +
          (t ? "add the offset you mean, or use disambiguation earlier or later" : "pick another time, or use disambiguation compatible"),
      );
    const real = off(z, t);
    if (m[8] && m[8] != "Z" && g != real) {
      // An offset with seconds (LMT, before 1972) has no exact ±HH:MM. Accept +00:00, as iso() writes it, and the
      // offset rounded to minutes, as Temporal writes it (the instant is then that wall clock at the real offset).
      if (!(real % 60) || (g && Math.abs(+g - real) >= 60))
        return bad(`has the wrong offset: ${tz} is at ${offStr(real)} then, not ${m[8]}: fix it, or drop it and pass the time as ${k}`);
      if (g) t = l - real;
    }
    return t * 1e3 + +((m[7] ?? "") + "00").slice(0, 3);
  };

  // End k ("start" or "end"): [given, instant ms].
  const end = (k: string): [boolean, number | undefined] => {
    const v = o[k];
    const at = o[k + "At"];
    const ms = o[k + "AtMs"];
    const wire = at !== undefined || ms !== undefined;
    if (v !== undefined) return [true, wire ? add(k, `give ${k} or ${k}At/${k}AtMs, not both: drop one`) : time(k, k, v, 0)];
    const a = time(k, k + "At", at, 1);
    const b = time(k, k + "AtMs", ms, 2);
    if (a !== undefined && b !== undefined && a != b)
      add(k + "AtMs", `${k}At ${q(at)} and ${k}AtMs ${b} (${show(b)}) differ: send one, or make them the same instant`);
    return [wire, a ?? b];
  };

  const [hasStart, s] = end("start");
  const [hasEnd, e] = end("end");
  if (hasEnd && !hasStart) add("end", "is given without a start: add start");
  if (e! < s!) add("end", `${show(e!)} is before the start ${show(s!)}: swap them or fix the date`);
  if (issues[0]) throw new LoftyValidationError(issues);
  const out: EventTimes = {};
  if (s !== undefined) (out.startAt = iso(z!, s)), (out.startAtMs = s);
  if (e !== undefined) (out.endAt = iso(z!, e)), (out.endAtMs = e);
  return out;
}
