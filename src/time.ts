// Event times for the wire. Lofty wants each time as an ISO 8601 string in the event zone's offset and/or as epoch
// milliseconds; callers have Dates, numbers and wall-clock strings. Only Intl and integer arithmetic are used, so the
// module stays small in browser bundles; DST gaps and overlaps are resolved as Temporal resolves them.
import { describe, LoftyValidationError, type ValidationIssue } from "./errors.js";

/** How a wall-clock time in a DST gap or overlap becomes an instant, as Temporal's `disambiguation` option. */
export type Disambiguation = "compatible" | "earlier" | "later" | "reject";
/**
 * A Date, epoch milliseconds, or an ISO 8601 string (with Z or an offset: an instant; without: wall clock in the zone).
 */
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

/** One operation's wire names for each end: the ISO 8601 string field, then the epoch milliseconds field. */
export interface WireTimeNames {
  start: readonly [iso: string, ms: string];
  end: readonly [iso: string, ms: string];
}

/** The wire fields of {@link normalizeWireTimes} under the operation's names: both forms for every end given. */
export type WireTimes<Names extends WireTimeNames> = {
  [Field in Names["start"][0] | Names["end"][0]]?: string;
} & {
  [Field in Names["start"][1] | Names["end"][1]]?: number;
};

/** The rules of {@link normalizeWireTimes} that differ between operations. */
export interface WireTimesOptions {
  /** @default "compatible" */
  disambiguation?: Disambiguation;
  /** Whether an end needs a start (create: yes; a list query or a partial update may give only an end). */
  endNeedsStart: boolean;
  /** Whether `timeZoneCode` must be given (create: yes; Lofty makes it optional on the other operations). */
  timeZoneRequired: boolean;
}

// All times and offsets below are in milliseconds.
const SECOND = 1000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
// Supported instants: 0001-01-05 to 9999-12-25 UTC. The wire has 4-digit years; the margin keeps every Intl query (at
// most 2 days around a time) within years 1-9999.
const EARLIEST = -62135251200e3;
const LATEST = 253401696000e3;
// A number below this (March 1973 in ms) is far more likely seconds given by mistake than a time in 1970-1973.
const SMALLEST_EPOCH_MS = 1e11;
// The strict subset of ISO 8601 the wire uses: to the minute, optional seconds and milliseconds, optional Z or ±HH:MM
// (RFC 3339's offsets: hours 00-23, minutes 00-59).
const ISO_DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,3})?)?(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)?$/;
// The first ±H:MM[:SS] of a text: Intl's "7/1/2026, GMT-07:00", or an input's "-08:00".
const OFFSET = /([+-])(\d+):(\d+):?(\d*)/;
const DISAMBIGUATIONS: readonly Disambiguation[] = ["compatible", "earlier", "later", "reject"];
// A day cache past this size is dropped, so memory stays bounded in long-lived pages.
const MAX_CACHED_DAYS = 5000;
const INVALID_DATE = "is an invalid Date: pass a valid one";
const CREATE_NAMES = { start: ["startAt", "startAtMs"], end: ["endAt", "endAtMs"] } as const;

/** An IANA zone as Intl knows it, with the offsets of the UTC days asked about so far. */
interface Zone {
  /** The name as the caller wrote it, for messages. */
  name: string;
  /** Renders an instant in the zone, ending in its offset ("7/1/2026, GMT-07:00"). */
  formatter: Intl.DateTimeFormat;
  /** Each UTC day asked about (by its first millisecond): its offset, or NaN if the offset changes that day. */
  dayOffsets: Map<number, number>;
}

/** The names of one end's fields: the caller's convenience field and the operation's two wire fields. */
interface EndFields {
  convenience: "start" | "end";
  iso: string;
  ms: string;
}

/** Which field of an end an input came in: the convenience field takes any form, a wire field only its own. */
type FieldKind = "convenience" | "iso" | "ms";

/** What one call knows while it reads the inputs, and the issues found so far. */
interface Reading {
  /** The event's zone; undefined when timeZoneCode is unknown, or absent where the operation allows that. */
  zone: Zone | undefined;
  /** Whether timeZoneCode is absent where the operation allows that: instants are then written in +00:00. */
  zoneAbsent: boolean;
  /** The caller's choice; an unknown one (reported already) reads as "compatible", so other problems are found. */
  disambiguation: Disambiguation;
  issues: ValidationIssue[];
}

/** Why one input cannot be used: its message becomes the issue of the input's field. */
class TimeInputError extends Error {}

const zonesByName = new Map<string, Zone>();

/**
 * Turns any accepted time input into the wire's ISO string and epoch ms for the same instant, or throws
 * LoftyValidationError.
 */
export function normalizeEventTimes(input: EventTimesInput, options?: NormalizeOptions): EventTimes {
  return normalizeWireTimes(input, CREATE_NAMES, {
    disambiguation: options?.disambiguation,
    endNeedsStart: true,
    timeZoneRequired: true,
  });
}

/**
 * The times of any operation under its own wire names, for the SDK's operations (internal): for each end, the caller's
 * convenience field (`start`, `end`: a Date, epoch ms or ISO 8601 string) or the operation's wire fields named in
 * `names` (both may be given if they denote the same instant). Returns both wire forms of every end given, or throws
 * LoftyValidationError whose issue paths are the caller's field names. A caller that gathers the issues of a whole
 * input passes `issues`: this input's are pushed there instead of thrown, and the wire fields returned are only meant
 * to be sent when no issue was found.
 *
 * Where `timeZoneRequired` is false and `timeZoneCode` is absent, instants (Dates, epoch ms, ISO strings with Z or an
 * offset) are written with offset +00:00, and a wall clock without an offset is refused (give an offset, or give
 * timeZoneCode). A timeZoneCode that is given but unknown is always refused.
 *
 * @example
 * normalizeWireTimes(query, { start: ["startTime", "startTimeMs"], end: ["endTime", "endTimeMs"] }, {
 *   disambiguation,
 *   endNeedsStart: false,
 *   timeZoneRequired: false,
 * }); // { startTime, startTimeMs, endTime, endTimeMs } for the ends given
 */
export function normalizeWireTimes<const Names extends WireTimeNames>(
  input: unknown,
  names: Names,
  options: WireTimesOptions,
  issues?: ValidationIssue[],
): WireTimes<Names> {
  if (issues === undefined) {
    const found: ValidationIssue[] = [];
    const wire = normalizeWireTimes(input, names, options, found);
    if (found.length > 0) throw new LoftyValidationError(found);
    return wire;
  }
  // JavaScript callers may pass anything: a missing input reads as one without fields.
  const fields: Partial<Record<string, unknown>> = input ?? {};
  const reading = startReading(fields.timeZoneCode, options, issues);
  const start: EndFields = { convenience: "start", iso: names.start[0], ms: names.start[1] };
  const end: EndFields = { convenience: "end", iso: names.end[0], ms: names.end[1] };
  const wire: Record<string, string | number> = {};
  const startMs = normalizeEnd(reading, fields, start, wire);
  const endMs = normalizeEnd(reading, fields, end, wire);
  if (options.endNeedsStart && endMs !== undefined && startMs === undefined)
    addIssue(reading, "end", "is given without a start: add start");
  // NaN (an unusable end) compares false: that end has its own issue already.
  if (startMs !== undefined && endMs !== undefined && endMs < startMs) {
    const endText = wire[end.iso] ?? endMs;
    const startText = wire[start.iso] ?? startMs;
    addIssue(reading, "end", `${endText} is before the start ${startText}: swap them or fix the date`);
  }
  return wire as WireTimes<Names>;
}

/** The zone and disambiguation of one call; a zone or disambiguation that cannot be used is an issue at once. */
function startReading(timeZoneCode: unknown, options: WireTimesOptions, issues: ValidationIssue[]): Reading {
  const zoneAbsent = timeZoneCode === undefined && !options.timeZoneRequired;
  const zone = zoneAbsent ? undefined : lookUpZone(timeZoneCode);
  const chosen = options.disambiguation ?? "compatible";
  const known = DISAMBIGUATIONS.includes(chosen);
  const reading: Reading = { zone, zoneAbsent, disambiguation: known ? chosen : "compatible", issues };
  if (zone === undefined && !zoneAbsent)
    addIssue(
      reading,
      "timeZoneCode",
      describe(timeZoneCode) + " is not an IANA time zone: use one like America/Los_Angeles",
    );
  if (!known) addIssue(reading, "disambiguation", describe(chosen) + " is unknown: use " + DISAMBIGUATIONS.join(", "));
  return reading;
}

function addIssue(reading: Reading, path: string, message: string): void {
  reading.issues.push({ path, message });
}

/** The problem of `value`, quoted briefly (a huge string or an odd object must not flood the message). */
function refuse(value: unknown, problem: string): TimeInputError {
  return new TimeInputError(describe(value) + " " + problem);
}

/** The IANA zone named `name`, or undefined if this engine does not know it. */
function lookUpZone(name: unknown): Zone | undefined {
  if (typeof name !== "string") return undefined;
  const known = zonesByName.get(name);
  if (known) return known;
  // Offsets like "+05:00" are not IANA zones, though newer engines accept them; IANA names start with a letter.
  if (!(name > "@")) return undefined;
  let formatter: Intl.DateTimeFormat;
  try {
    formatter = new Intl.DateTimeFormat("en", { timeZone: name, timeZoneName: "longOffset" });
  } catch {
    return undefined; // Intl does not know it (unknown names are not cached: any string may come)
  }
  const zone: Zone = { name, formatter, dayOffsets: new Map() };
  zonesByName.set(name, zone);
  return zone;
}

/**
 * The instant of one end from whichever of its fields were given, written to `wire` in both forms when it is usable:
 * undefined when the end is not given, NaN when it cannot be used (its issue is recorded).
 */
function normalizeEnd(
  reading: Reading,
  fields: Partial<Record<string, unknown>>,
  end: EndFields,
  wire: Record<string, string | number>,
): number | undefined {
  const convenience = fields[end.convenience];
  const iso = fields[end.iso];
  const ms = fields[end.ms];
  let epochMs: number | undefined;
  if (convenience === undefined) {
    epochMs = readWireFields(reading, iso, ms, end);
  } else if (iso !== undefined || ms !== undefined) {
    addIssue(reading, end.convenience, `give ${end.convenience} or ${end.iso}/${end.ms}, not both: drop one`);
    epochMs = NaN;
  } else {
    epochMs = parseTimeInput(reading, convenience, "convenience", end);
  }
  // Nothing is written for an unknown zone; the result is thrown away anyway if any issue was found.
  const writable = reading.zone !== undefined || reading.zoneAbsent;
  if (isUsable(epochMs) && writable) {
    wire[end.iso] = formatWireTime(reading.zone, epochMs);
    wire[end.ms] = epochMs;
  }
  return epochMs;
}

/** Whether an end or input was given and can be used (see parseTimeInput). */
function isUsable(epochMs: number | undefined): epochMs is number {
  return epochMs !== undefined && !Number.isNaN(epochMs);
}

/** The instant of an end given by its wire fields (one or both, which must then agree). */
function readWireFields(reading: Reading, iso: unknown, ms: unknown, end: EndFields): number | undefined {
  const fromIso = parseTimeInput(reading, iso, "iso", end);
  const fromMs = parseTimeInput(reading, ms, "ms", end);
  // Lofty's own example once had them a year apart: which one was meant cannot be known. (NaN: reported already.)
  if (isUsable(fromIso) && isUsable(fromMs) && fromIso !== fromMs) {
    const msText = `${fromMs} (${formatWireTime(reading.zone, fromMs)})`;
    addIssue(reading, end.ms, `${end.iso} ${describe(iso)} and ${end.ms} ${msText} differ: send one`);
  }
  return fromIso ?? fromMs;
}

/**
 * The instant (epoch ms) of one input of an end, given in its field of kind `kind`: undefined when absent, NaN when it
 * cannot be used (its issue is recorded, or for a string in an unknown zone, timeZoneCode's issue is).
 */
function parseTimeInput(reading: Reading, value: unknown, kind: FieldKind, end: EndFields): number | undefined {
  if (value === undefined) return undefined;
  try {
    if (value instanceof Date && kind === "convenience") return readDate(value);
    if (typeof value === "number" && kind !== "iso") return readEpochMs(value);
    if (typeof value === "string" && kind !== "ms") return readIsoText(reading, value, kind, end);
    throw refuse(value, "has the wrong type: pass " + acceptedForms(kind, end));
  } catch (error) {
    // Anything else was thrown by a Date-like object as it was read (a Proxy of a Date, an object that only inherits
    // from Date.prototype): it is no usable Date.
    const message = error instanceof TimeInputError ? error.message : INVALID_DATE;
    addIssue(reading, end[kind], message);
    return NaN;
  }
}

function acceptedForms(kind: FieldKind, end: EndFields): string {
  if (kind === "iso") return "an ISO 8601 string with an offset, or pass it as " + end.convenience;
  if (kind === "ms") return "epoch ms";
  return "a Date, epoch ms or ISO 8601 string";
}

function readDate(date: Date): number {
  const epochMs = date.getTime();
  if (Number.isNaN(epochMs)) throw new TimeInputError(INVALID_DATE);
  // Quoted as epoch ms: a Date has no short rendering of its own.
  checkSupportedYears(epochMs, epochMs);
  return epochMs;
}

function readEpochMs(epochMs: number): number {
  // NaN and ±Infinity are not whole either.
  if (!Number.isInteger(epochMs)) throw refuse(epochMs, "is not whole epoch ms: pass an integer");
  if (epochMs < SMALLEST_EPOCH_MS) throw refuse(epochMs, "looks like seconds: multiply by 1000");
  checkSupportedYears(epochMs, epochMs);
  return epochMs;
}

/** Throws unless the instant (or wall clock) is in the supported years; the message quotes `value`. */
function checkSupportedYears(epochMs: number, value: unknown): void {
  if (epochMs < EARLIEST || epochMs > LATEST) throw refuse(value, "is outside years 0001-9999: fix the date");
}

/**
 * The instant of an ISO 8601 string: with Z or an offset it is one already (the offset must be the zone's then);
 * without one it is a wall clock in the zone, read per the disambiguation.
 */
function readIsoText(reading: Reading, text: string, kind: FieldKind, end: EndFields): number {
  const match = ISO_DATE_TIME.exec(text);
  if (!match) {
    if (ISO_DATE_TIME.test(text + "T00:00")) throw refuse(text, `has no time: add one, like ${text}T09:00`);
    throw refuse(text, "is not ISO 8601: write it like 2026-03-01T14:00:00-08:00");
  }
  const [, seconds, fraction, offset] = match;
  // The wall clock to the second, read as if UTC. Engines either refuse a field out of range (NaN) or roll it over
  // into the next one: either way it does not read back the same.
  const wallClockText = text.slice(0, seconds === undefined ? 16 : 19);
  const wholeSecondsMs = Date.parse(wallClockText + "Z");
  if (Number.isNaN(wholeSecondsMs) || !toIsoUtc(wholeSecondsMs).startsWith(wallClockText))
    throw refuse(text, "is not a real date and time: check it");
  checkSupportedYears(wholeSecondsMs, text);
  const wallMs = wholeSecondsMs + (fraction === undefined ? 0 : Number(fraction) * SECOND);
  if (offset === undefined) return readWallClock(reading, text, wallMs, kind, end);
  const { zone } = reading;
  // An unknown zone is reported at timeZoneCode already.
  if (zone === undefined && !reading.zoneAbsent) return NaN;
  const offsetMs = parseOffsetMs(offset);
  const epochMs = wallMs - offsetMs;
  // Without a zone, any offset is the caller's word; Z is UTC, whatever the zone.
  if (zone !== undefined && offset !== "Z") checkOffset(zone, epochMs, offsetMs, text, end);
  return epochMs;
}

/**
 * The instant of a wall clock without offset, or throws: it needs a zone, a wire field needs an offset, and "reject"
 * refuses a DST gap or overlap.
 */
function readWallClock(reading: Reading, text: string, wallMs: number, kind: FieldKind, end: EndFields): number {
  if (reading.zoneAbsent) {
    const fix = kind === "iso" ? "give timeZoneCode and pass it as " + end.convenience : "give timeZoneCode";
    throw refuse(text, `has no offset and there is no timeZoneCode to read it in: add an offset, or ${fix}`);
  }
  if (kind === "iso") throw refuse(text, `has no offset: add it, or pass it as ${end.convenience}`);
  const { zone } = reading;
  if (zone === undefined) return NaN; // timeZoneCode is reported already
  const instant = wallClockToInstant(zone, wallMs, reading.disambiguation);
  if (instant === "gap")
    throw refuse(text, `is in a DST gap in ${zone.name}: pick another time, or use disambiguation compatible`);
  if (instant === "overlap") {
    const fix = "add the offset you mean, or use disambiguation earlier or later";
    throw refuse(text, `is in a DST overlap in ${zone.name}: ${fix}`);
  }
  return instant;
}

/** Throws unless `offsetMs` (from the input) is the zone's offset at the instant, as formatWireTime writes it. */
function checkOffset(zone: Zone, epochMs: number, offsetMs: number, text: string, end: EndFields): void {
  const actual = zoneOffsetMs(zone, epochMs);
  // An offset with seconds (LMT, before 1972) has no ±HH:MM: +00:00 stands for it, as formatWireTime writes.
  const writable = actual % MINUTE === 0 ? actual : 0;
  if (offsetMs !== writable) {
    const fix = `fix it, or pass it as ${end.convenience}`;
    throw refuse(text, `has the wrong offset: ${zone.name} is at ${formatOffset(actual)} then: ${fix}`);
  }
}

/**
 * The instant whose wall clock in `zone` is `wallMs` (that wall clock read as if UTC), per Temporal's disambiguation;
 * with "reject", "gap" or "overlap" when the wall clock is skipped or repeated. As Temporal's polyfill computes it: the
 * offsets a day before and a day after are the only candidates. (Checked against the original two-step lookup on every
 * transition 1850-2100.)
 */
function wallClockToInstant(zone: Zone, wallMs: number, disambiguation: Disambiguation): number | "gap" | "overlap" {
  const offsetBefore = zoneOffsetMs(zone, wallMs - DAY);
  const offsetAfter = zoneOffsetMs(zone, wallMs + DAY);
  if (offsetBefore === offsetAfter) return wallMs - offsetBefore;
  // The offset changes within a day of this wall clock: it is unambiguous if both candidates agree on the offset.
  const offsetIfBefore = zoneOffsetMs(zone, wallMs - offsetBefore);
  if (offsetIfBefore === zoneOffsetMs(zone, wallMs - offsetAfter)) return wallMs - offsetIfBefore;
  // Clocks went back (an overlap: both candidates hold) or forward (a gap: neither does).
  const overlap = offsetBefore > offsetAfter;
  if (disambiguation === "reject") return overlap ? "overlap" : "gap";
  // An overlap takes the earlier instant unless "later". Temporal moves a wall clock in a gap on by the gap's length,
  // so it lands right after the gap, or for "earlier" back by it, right before.
  const useOffsetAfter = overlap ? disambiguation === "later" : disambiguation === "earlier";
  return wallMs - (useOffsetAfter ? offsetAfter : offsetBefore);
}

/**
 * The zone's UTC offset at an instant. Each UTC day is looked up in Intl once and cached per zone: the offset when both
 * its midnights agree, else NaN (a change that day: ask Intl about the instant itself). Assumes offsets never change
 * and change back within a day (tzdb has no such day; Temporal's polyfill assumes 19), so repeated conversions cost
 * Map lookups, not Intl calls.
 */
function zoneOffsetMs(zone: Zone, epochMs: number): number {
  const dayStart = Math.floor(epochMs / DAY) * DAY;
  let dayOffset = zone.dayOffsets.get(dayStart);
  if (dayOffset === undefined) {
    if (zone.dayOffsets.size > MAX_CACHED_DAYS) zone.dayOffsets.clear();
    const atStart = intlOffsetMs(zone, dayStart);
    dayOffset = atStart === intlOffsetMs(zone, dayStart + DAY) ? atStart : NaN;
    zone.dayOffsets.set(dayStart, dayOffset);
  }
  return Number.isNaN(dayOffset) ? intlOffsetMs(zone, epochMs) : dayOffset;
}

function intlOffsetMs(zone: Zone, epochMs: number): number {
  return parseOffsetMs(zone.formatter.format(epochMs));
}

/** The milliseconds of the first ±H:MM[:SS] in a text; 0 if none ("Z", or "GMT" alone: how engines write +00:00). */
function parseOffsetMs(text: string): number {
  const match = OFFSET.exec(text);
  if (!match) return 0;
  const [, sign, hours, minutes, seconds] = match;
  return (sign === "-" ? -1 : 1) * (Number(hours) * HOUR + Number(minutes) * MINUTE + Number(seconds) * SECOND);
}

/**
 * The wire's form of an instant: ISO 8601 in the zone's offset (+00:00 without a zone), never Z, with .SSS only when
 * the milliseconds are not zero.
 */
function formatWireTime(zone: Zone | undefined, epochMs: number): string {
  let offsetMs = zone === undefined ? 0 : zoneOffsetMs(zone, epochMs);
  // An offset with seconds (LMT, before 1972) cannot be written as ±HH:MM: the same instant is written in +00:00.
  if (offsetMs % MINUTE !== 0) offsetMs = 0;
  const wallClock = toIsoUtc(epochMs + offsetMs).slice(0, epochMs % SECOND === 0 ? 19 : 23);
  return wallClock + formatOffset(offsetMs);
}

/** ±HH:MM of an offset (±HH:MM:SS if it has seconds, for messages). */
function formatOffset(offsetMs: number): string {
  // The offset's length as a time of day on 1970-01-01: "HH:MM" or "HH:MM:SS".
  const length = toIsoUtc(Math.abs(offsetMs)).slice(11, offsetMs % MINUTE === 0 ? 16 : 19);
  return (offsetMs < 0 ? "-" : "+") + length;
}

function toIsoUtc(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
