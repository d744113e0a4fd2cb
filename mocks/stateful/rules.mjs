// The facts the store needs, read from the spec once at start-up (see spec.mjs), plus the few choices the mock makes
// where Lofty documents nothing (each says so). If the spec changes shape in a way the store cannot follow (a list
// item gains a field the store does not fill, an answer loses its example), start-up fails with the reason.
import { deref, parameterDefault, responseExamples, schemaNamed } from "./spec.mjs";

/** Lofty's numeric error code for an invalid parameter (the issue and the spec's 400 examples: 20012). */
export const INVALID_PARAMETER = 20012;
/** Lofty's numeric error code for a request without `Content-Type: application/json` (observed: 20001). */
export const MISSING_CONTENT_TYPE = 20001;

/** Mock's choice, Lofty documents no default page size: 20 entries a page. */
export const MOCK_PAGE_SIZE = 20;
/** Mock's choice, Lofty's default is "the caller's configured zone", which the mock does not have: UTC. */
export const MOCK_TIME_ZONE = "UTC";
/** Mock's slot rule (Lofty does not say how slots are computed): 30-minute slots from 09:00 to 17:00, every day. */
export const SLOTS = { minutes: 30, firstHour: 9, lastHour: 17 };
/** Lofty's rule for available meetings (its document): a range of at most 90 days. */
export const MAX_MEETING_RANGE_DAYS = 90;

/** The example of a 200 answer whose `pick(example)` is truthy, or the reason there is none. */
function exampleOf(doc, operationId, pick) {
  const example = responseExamples(doc, operationId, "200").find(pick);
  if (example === undefined) throw new Error(`spec: ${operationId}'s 200 answer has no example the mock can use`);
  return example;
}

/** The message of an operation that answers `{ message }`, from its 200 example. */
function messageOf(doc, operationId) {
  return exampleOf(doc, operationId, (example) => typeof example?.message === "string").message;
}

/** The 4xx example of `operationId` whose `code` is `code` (or, with `code` undefined, the first one). */
function errorExample(doc, operationId, status, code) {
  const examples = responseExamples(doc, operationId, status);
  const example = code === undefined ? examples[0] : examples.find((candidate) => candidate?.code === code);
  if (example === undefined) {
    throw new Error(
      `spec: ${operationId}'s ${status} answer has no example${code === undefined ? "" : ` with code ${code}`}`,
    );
  }
  return example;
}

/**
 * Everything the store and its HTTP server read from the spec.
 * @param {object} doc the bundled spec
 */
export function storeRules(doc) {
  const eventTypes = deref(doc, schemaNamed(doc, "EventType")).enum;
  const item = schemaNamed(doc, "CalendarItem");
  const createExamples = responseExamples(doc, "createCalendar", "200");
  const createMessages = {};
  for (const type of eventTypes) {
    const example = createExamples.find((candidate) => candidate?.data?.type === type);
    if (!example) throw new Error(`spec: createCalendar's 200 answer has no example for a ${type}`);
    createMessages[type] = example.data.message;
  }
  const sourceType = deref(doc, item.properties.sourceType ?? {}).example;

  return {
    eventTypes,
    /** The fields of a list item, in the spec's order. */
    itemFields: Object.keys(item.properties),
    /** Mock's choice: the `sourceType` of an event created through the API is the spec's example code. */
    createdSourceType: sourceType,
    createMessages,
    messages: {
      updateCalendar: messageOf(doc, "updateCalendar"),
      deleteCalendar: messageOf(doc, "deleteCalendar"),
      finishCalendar: messageOf(doc, "finishCalendar"),
      unfinishCalendar: messageOf(doc, "unfinishCalendar"),
    },
    list: {
      page: parameterDefault(doc, "queryCalendars", "page", 0),
      pageSize: parameterDefault(doc, "queryCalendars", "pageSize", MOCK_PAGE_SIZE),
      sort: parameterDefault(doc, "queryCalendars", "sort", undefined),
      desc: parameterDefault(doc, "queryCalendars", "desc", undefined),
      includeFinished: parameterDefault(doc, "queryCalendars", "includeFinished", undefined),
    },
    meetings: {
      limit: parameterDefault(doc, "getAvailableMeetings", "limit", undefined),
      timeZoneCode: MOCK_TIME_ZONE,
    },
    /** Lofty's bodies for the refusals the mock answers itself (400 20012, 400 20001, 401, 429). */
    errors: {
      invalidParameter: errorExample(doc, "createCalendar", "400", INVALID_PARAMETER),
      missingContentType: errorExample(doc, "createCalendar", "400", MISSING_CONTENT_TYPE),
      unauthorized: errorExample(doc, "createCalendar", "401"),
      tooManyRequests: errorExample(doc, "createCalendar", "429"),
      internalError: errorExample(doc, "createCalendar", "500"),
    },
  };
}
