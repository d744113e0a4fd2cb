// The stateful mock's calendar: the seven operations as pure data operations on an in-memory list of events (no I/O;
// the clock is given). It sees only what Prism let through (every request already fits the spec), so it checks only
// Lofty's rules that a schema cannot say: that an id names an event, that times are later than now, that a range is
// a range (the server checks the spec's `x-required-one-of` groups before the store is asked). A refusal is thrown as a `Refusal`, which the HTTP server answers with Lofty's 400 (code 20012).
import { SLOTS, MAX_MEETING_RANGE_DAYS } from "./rules.mjs";
import { formatInZone, instantOfWallClock, isKnownZone, nextDay, wallClock } from "./time.mjs";

/** The first numeric id the store hands out (ids look like Lofty's, and are never reused). */
export const FIRST_ID = 100_001;

const DAY_MS = 86_400_000;

/** Lofty's invalid-parameter refusal (400, code 20012); `reason` says why, for the mock's log, not for the answer. */
export class Refusal extends Error {
  constructor(reason) {
    super(reason);
    this.name = "Refusal";
  }
}

/** The instant of `startAt`/`endAt` (an ISO string, preferred) or else `startAtMs`/`endAtMs`, or undefined. */
function instantOf(fields, stringName, msName) {
  if (typeof fields[stringName] === "string") return Date.parse(fields[stringName]);
  if (typeof fields[msName] === "number") return fields[msName];
  return undefined;
}

/** The wire's four time fields, which the store keeps as `startAtMs`/`endAtMs` only. */
const timeFields = new Set(["startAt", "endAt", "startAtMs", "endAtMs"]);

/** A body's fields other than its times (the store keeps each instant once, and renders it for each answer). */
function withoutTimes(body) {
  return Object.fromEntries(Object.entries(body).filter(([name]) => !timeFields.has(name)));
}

/** Lofty applies only non-empty fields of an update: absent, null and "" leave a field as it was. */
function isGiven(value) {
  return value !== undefined && value !== null && value !== "";
}

/** A query value read as an integer (Prism has checked the format), or undefined when absent. */
function integerParam(value) {
  if (value === undefined || value === "") return undefined;
  return Number(value);
}

/** A query value read as a boolean (`true`/`false`, as Prism accepts them), or `fallback` when absent. */
function booleanParam(value, fallback) {
  if (value === undefined || value === "") return fallback;
  return value === "true";
}

/** A range's bound: the ISO string when given (Lofty prefers it), else the epoch milliseconds, else undefined. */
function boundOf(query, stringName, msName) {
  if (query[stringName] !== undefined) return Date.parse(query[stringName]);
  return integerParam(query[msName]);
}

/**
 * The calendar. `state` is what persistence.mjs loads (`{ nextId, events }`), `rules` what rules.mjs reads from the
 * spec, `now()` the clock in epoch milliseconds.
 */
export function createStore({ rules, state = {}, now = Date.now }) {
  let nextId = state.nextId ?? FIRST_ID;
  /** @type {Map<string, object>} the events by composite id, in the order they were created */
  const events = new Map((state.events ?? []).map((event) => [event.id, event]));
  // A list item field the store does not know how to fill is a spec change the store must follow: say so at start.
  const unknownFields = rules.itemFields.filter((field) => !Object.hasOwn(itemFields, field));
  if (unknownFields.length > 0) {
    throw new Error(`store: the spec's CalendarItem has fields the store does not fill: ${unknownFields.join(", ")}`);
  }

  /** The stored event `calendarId` names; a refusal when it names none (Lofty: 400 20012). */
  function eventNamed(calendarId) {
    const event = events.get(calendarId);
    if (!event) throw new Refusal(`calendarId ${calendarId} names no event (never created, or deleted)`);
    return event;
  }

  function requireFuture(ms, what) {
    if (!(ms > now())) throw new Refusal(`${what} ${new Date(ms).toISOString()} is not later than now`);
  }

  /** The list item of an event: every field the spec's CalendarItem documents, in its order. */
  function itemOf(event) {
    return Object.fromEntries(rules.itemFields.map((field) => [field, itemFields[field](event)]));
  }

  /** createCalendar: stores the event under a fresh id (`<n>-task`, `<n>-appointment`; never reused). */
  function create(body) {
    const type = String(body.type).toUpperCase();
    const startAtMs = instantOf(body, "startAt", "startAtMs");
    const endAtMs = instantOf(body, "endAt", "endAtMs");
    if (startAtMs === undefined || endAtMs === undefined) throw new Refusal("a start and an end are required");
    requireFuture(startAtMs, "the start");
    requireFuture(endAtMs, "the end");
    if (endAtMs < startAtMs) throw new Refusal("the end is before the start");
    if (!isKnownZone(body.timeZoneCode)) throw new Refusal(`timeZoneCode ${body.timeZoneCode} is not a known zone`);

    const taskId = nextId;
    nextId += 1;
    const event = {
      ...withoutTimes(body),
      id: `${taskId}-${type.toLowerCase()}`,
      taskId,
      type,
      sourceType: rules.createdSourceType,
      startAtMs,
      endAtMs,
      finished: false,
    };
    events.set(event.id, event);
    return { id: event.id, type, message: rules.createMessages[type] };
  }

  /** Whether an event lies in the window [from, to) (either bound may be open): it overlaps the window. */
  function inWindow(event, from, to) {
    const endsAfterStart = from === undefined || event.endAtMs > from || event.startAtMs >= from;
    const startsBeforeEnd = to === undefined || event.startAtMs < to;
    return endsAfterStart && startsBeforeEnd;
  }

  /** The value an event is sorted by, for `sort` (`startTime`, `endTime`, or the name of an item field). */
  function sortKey(sort) {
    if (sort === "startTime") return (event) => event.startAtMs;
    if (sort === "endTime") return (event) => event.endAtMs;
    if (rules.itemFields.includes(sort)) return itemFields[sort];
    throw new Refusal(`sort ${sort} is not startTime, endTime or a field of a list item`);
  }

  /** queryCalendars: filters, sorts (newest first by default) and pages the events. */
  function list(query) {
    const from = boundOf(query, "startTime", "startTimeMs");
    const to = boundOf(query, "endTime", "endTimeMs");
    if (from !== undefined && to !== undefined && to < from) throw new Refusal("the range ends before it starts");
    const leadId = integerParam(query.leadId);
    const includeFinished = booleanParam(query.includeFinished, rules.list.includeFinished);
    const sourceTypes = (query.sourceType ?? []).map(Number);
    const key = sortKey(query.sort ?? rules.list.sort);
    const direction = booleanParam(query.desc, rules.list.desc) ? -1 : 1;
    const page = integerParam(query.page) ?? rules.list.page;
    const pageSize = integerParam(query.pageSize) ?? rules.list.pageSize;

    const matching = [...events.values()].filter(
      (event) =>
        (leadId === undefined || event.leadId === leadId) &&
        (includeFinished || !event.finished) &&
        (sourceTypes.length === 0 || sourceTypes.includes(event.sourceType)) &&
        inWindow(event, from, to),
    );
    const compare = (a, b) => {
      const [ka, kb] = [key(a), key(b)];
      if (ka !== kb) return (ka < kb ? -1 : 1) * direction;
      return (a.taskId - b.taskId) * direction; // equal keys: by creation, in the same direction
    };
    matching.sort(compare);
    const items = matching.slice(page * pageSize, (page + 1) * pageSize).map(itemOf);
    return { total: matching.length, page, pageSize, items };
  }

  /** updateCalendar: applies the given (non-empty) fields only. */
  function update(calendarId, body) {
    const event = eventNamed(calendarId);
    const startAtMs = instantOf(body, "startAt", "startAtMs");
    const endAtMs = instantOf(body, "endAt", "endAtMs");
    if (startAtMs !== undefined) requireFuture(startAtMs, "the new start");
    if (endAtMs !== undefined) requireFuture(endAtMs, "the new end");
    if ((endAtMs ?? event.endAtMs) < (startAtMs ?? event.startAtMs))
      throw new Refusal("the end would be before the start");
    if (isGiven(body.timeZoneCode) && !isKnownZone(body.timeZoneCode)) {
      throw new Refusal(`timeZoneCode ${body.timeZoneCode} is not a known zone`);
    }
    const changes = Object.fromEntries(Object.entries(withoutTimes(body)).filter(([, value]) => isGiven(value)));
    // Mock's choice (Lofty does not say): `address` on a task is ignored, as a task has no address.
    if (event.type !== "APPOINTMENT") delete changes.address;
    const updated = { ...event, ...changes };
    if (startAtMs !== undefined) updated.startAtMs = startAtMs;
    if (endAtMs !== undefined) updated.endAtMs = endAtMs;
    events.set(calendarId, updated);
    return { message: rules.messages.updateCalendar };
  }

  /** deleteCalendar: removes the event (its id is never handed out again). */
  function remove(calendarId) {
    eventNamed(calendarId);
    events.delete(calendarId);
    return { message: rules.messages.deleteCalendar };
  }

  /** finishCalendar / unfinishCalendar: sets `finished` (finishing a finished event changes nothing). */
  function setFinished(calendarId, finished) {
    events.set(calendarId, { ...eventNamed(calendarId), finished });
    return { message: finished ? rules.messages.finishCalendar : rules.messages.unfinishCalendar };
  }

  /** getAvailableMeetings: the free slots of the range (see `SLOTS`), earliest first, at most `limit`. */
  function availableMeetings(query) {
    const from = boundOf(query, "startTime", "startTimeMs");
    const to = boundOf(query, "endTime", "endTimeMs");
    requireFuture(from, "the range's start");
    if (!(to > from)) throw new Refusal("the range's end is not later than its start");
    if (to - from > MAX_MEETING_RANGE_DAYS * DAY_MS)
      throw new Refusal(`the range is longer than ${MAX_MEETING_RANGE_DAYS} days`);
    const zone = query.timeZoneCode ?? rules.meetings.timeZoneCode;
    if (!isKnownZone(zone)) throw new Refusal(`timeZoneCode ${zone} is not a known zone`);
    const limit = integerParam(query.limit) ?? rules.meetings.limit;

    const busy = [...events.values()];
    const free = slotsBetween(from, to, zone).filter(
      (slot) => !busy.some((event) => event.startAtMs < slot.end && slot.start < event.endAtMs),
    );
    const slots = free.slice(0, limit).map((slot) => ({
      startTime: formatInZone(slot.start, zone),
      endTime: formatInZone(slot.end, zone),
      startTimeMs: slot.start,
      endTimeMs: slot.end,
    }));
    return { total: free.length, slots };
  }

  /** What persistence.mjs saves: enough to carry on after a restart, ids included. */
  function snapshot() {
    return { nextId, events: [...events.values()] };
  }

  return { create, list, update, remove, setFinished, availableMeetings, snapshot };
}

/** How the store fills each field of a list item from a stored event. */
const itemFields = {
  id: (event) => event.id,
  type: (event) => event.type,
  taskId: (event) => event.taskId,
  sourceType: (event) => event.sourceType,
  content: (event) => event.content,
  // Mock's title rule: Lofty builds it from the lead's name and the type; the mock has no names, so it is the type
  // and the content, e.g. "Task: Call back about the offer".
  title: (event) => `${event.type.charAt(0)}${event.type.slice(1).toLowerCase()}: ${event.content}`,
  finished: (event) => event.finished,
  startAt: (event) => formatInZone(event.startAtMs, event.timeZoneCode),
  endAt: (event) => formatInZone(event.endAtMs, event.timeZoneCode),
  startAtMs: (event) => event.startAtMs,
  endAtMs: (event) => event.endAtMs,
  timeZoneCode: (event) => event.timeZoneCode,
  leadId: (event) => event.leadId,
};

/** Every slot of the slot rule that lies wholly within [from, to], on the wall clock of `zone`, earliest first. */
export function slotsBetween(from, to, zone) {
  const slots = [];
  const lastDay = wallClock(to, zone);
  let day = wallClock(from, zone);
  for (;;) {
    for (let minutes = SLOTS.firstHour * 60; minutes + SLOTS.minutes <= SLOTS.lastHour * 60; minutes += SLOTS.minutes) {
      const start = instantOfWallClock({ ...day, hour: Math.floor(minutes / 60), minute: minutes % 60 }, zone);
      const end = start + SLOTS.minutes * 60_000;
      if (start >= from && end <= to) slots.push({ start, end });
    }
    if (day.year === lastDay.year && day.month === lastDay.month && day.day === lastDay.day) break;
    day = nextDay(day);
  }
  return slots;
}
