// The smallest inputs calendar.create accepts, for tests about everything but the input itself.
import type { CalendarCreateInput } from "../../src/index.js";

/** A TASK with only what the spec requires: content, lead, zone, a start, an end and taskWay. */
export const minimalTask = {
  type: "TASK",
  content: "x",
  leadId: 1,
  timeZoneCode: "UTC",
  start: "2027-03-01T14:00",
  end: "2027-03-01T15:00",
  taskWay: "Call",
} as const satisfies CalendarCreateInput;
