// lofty-calendar: the public face of the SDK (re-exports only).
export { createLoftyClient, type LoftyClient, type LoftyClientOptions } from "./client.js";
export type { CalendarCreateInput, CalendarEvent, CalendarResource, CreateOptions } from "./calendar.js";
export type { AccessTokenProvider, Credentials } from "./auth.js";
export type { ThrottleOptions } from "./throttle.js";
export {
  normalizeEventTimes,
  type Disambiguation,
  type EventTimes,
  type EventTimesInput,
  type NormalizeOptions,
  type TimeInput,
} from "./time.js";
export {
  LoftyAbortError,
  LoftyApiError,
  LoftyAuthenticationError,
  LoftyBadRequestError,
  LoftyConnectionError,
  LoftyError,
  LoftyNotFoundError,
  LoftyPermissionDeniedError,
  LoftyRateLimitError,
  LoftyResponseError,
  LoftyServerError,
  LoftyTimeoutError,
  LoftyValidationError,
  type ValidationIssue,
} from "./errors.js";
