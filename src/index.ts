// lofty-calendar: the public face of the SDK (re-exports only).
export { createLoftyClient, type LoftyClient, type LoftyClientOptions } from "./client.js";
export type {
  AvailableMeetings,
  AvailableMeetingsInput,
  CalendarCreateInput,
  CalendarEvent,
  CalendarItem,
  CalendarListInput,
  CalendarMessage,
  CalendarPage,
  CalendarResource,
  CalendarUpdateInput,
  CreateOptions,
  Int64Input,
} from "./calendar.js";
export type { CallOptions } from "./send.js";
export type { CreateOnceOptions, CreateOnceResult, OnceEvent } from "./create-once.js";
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
