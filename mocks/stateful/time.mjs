// Instants and wall clocks in an IANA zone, with the platform's Intl only (no dependency), for the stateful store:
// it answers times in the event's zone (`2027-03-01T14:00:00-08:00`, as the spec's examples) and lays out meeting
// slots on the wall clock of `timeZoneCode`. Pure functions of their arguments.

const formatters = new Map();

/** An Intl formatter giving the wall clock and UTC offset of an instant in `zone` (cached: building one is slow). */
function formatterFor(zone) {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      timeZoneName: "longOffset",
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** Whether `zone` is an IANA zone this platform knows. */
export function isKnownZone(zone) {
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The wall clock of instant `ms` in `zone`: `{ year, month, day, hour, minute, second, offset }`, `offset` as
 * `+hh:mm`/`-hh:mm` (`+00:00` for UTC itself).
 */
export function wallClock(ms, zone) {
  const parts = {};
  for (const { type, value } of formatterFor(zone).formatToParts(ms)) parts[type] = value;
  // longOffset reads "GMT-08:00", "GMT+05:45", or plain "GMT" for a zero offset.
  const offset = parts.timeZoneName === "GMT" ? "+00:00" : parts.timeZoneName.slice("GMT".length);
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    offset,
  };
}

/** Milliseconds east of UTC that `zone` is at instant `ms`. */
function offsetMs(ms, zone) {
  const { offset } = wallClock(ms, zone);
  const sign = offset.startsWith("-") ? -1 : 1;
  return sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6))) * 60_000;
}

const pad = (value, width = 2) => String(value).padStart(width, "0");

/** Instant `ms` as ISO 8601 with the offset `zone` has then, to the second: `2027-03-01T14:00:00-08:00`. */
export function formatInZone(ms, zone) {
  const { year, month, day, hour, minute, second, offset } = wallClock(ms, zone);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${offset}`;
}

/**
 * The instant at which the wall clock of `zone` reads the given date and time. Two passes find the offset in force
 * then; a wall clock that a DST change repeats gives its first instant, one it skips an instant beside the gap. The
 * store only asks for working hours, which DST changes do not touch.
 */
export function instantOfWallClock({ year, month, day, hour = 0, minute = 0 }, zone) {
  const asIfUtc = Date.UTC(year, month - 1, day, hour, minute);
  const first = asIfUtc - offsetMs(asIfUtc, zone);
  const second = asIfUtc - offsetMs(first, zone);
  return Math.min(first, second);
}

/** The calendar day after `{ year, month, day }` (Gregorian, as the wall clock counts). */
export function nextDay({ year, month, day }) {
  const next = new Date(Date.UTC(year, month - 1, day + 1));
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
}
