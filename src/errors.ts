// Everything the SDK throws is a LoftyError, so one `instanceof` check catches it all.

/** One problem with the caller's input: which field, and how to fix it. */
export interface ValidationIssue {
  /** The field, as a dotted path (e.g. "leadId", "start"). */
  path: string;
  /** What is wrong and how to fix it. */
  message: string;
}

/** Options of every LoftyError. */
export interface LoftyErrorOptions {
  /** What went wrong underneath (a network error, a middleware's error…). */
  cause?: unknown;
  /** @default false */
  mayHaveBeenCreated?: boolean;
}

/** Base class of every error the SDK throws. */
export class LoftyError extends Error {
  override name = "LoftyError";
  /**
   * Whether Lofty may have created the event despite the error: true only when a create's request reached it and
   * was neither answered nor refused with a 4xx. Always false for the other operations, which create nothing.
   */
  readonly mayHaveBeenCreated: boolean;

  constructor(message: string, options: LoftyErrorOptions = {}) {
    // Error takes only `cause` from the options, and only when it is there.
    super(message, "cause" in options ? { cause: options.cause } : undefined);
    this.mayHaveBeenCreated = options.mayHaveBeenCreated ?? false;
  }
}

/** The input was refused before anything was sent; `issues` lists every problem found. */
export class LoftyValidationError extends LoftyError {
  override name = "LoftyValidationError";
  readonly issues: ValidationIssue[];

  /** @param [cause] what was thrown while reading the input, if anything */
  constructor(issues: ValidationIssue[], cause?: unknown) {
    const list = issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ");
    super(`Invalid input, nothing was sent: ${list}`, cause === undefined ? {} : { cause });
    this.issues = issues;
  }
}

/** Lofty answered with a status other than 2xx; `status`, `code` and the rate-limit fields say what and when to retry. */
export class LoftyApiError extends LoftyError {
  override name = "LoftyApiError";
  /** The HTTP status. */
  readonly status: number;
  /** Lofty's error code: a documented name (e.g. "INVALID_PARAMETER") or a number (e.g. 20012); absent on 429. */
  readonly code: string | number | undefined;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  readonly body: unknown;
  /** X-RateLimit-Limit: requests allowed in the current window. */
  readonly limit: number | undefined;
  /** X-RateLimit-Remaining: requests left in the current window. */
  readonly remaining: number | undefined;
  /** X-RateLimit-Reset: when the window ends. */
  readonly resetAt: Date | undefined;
  /** The server's request id (x-request-id or request-id), when it sends one: quote it to Lofty support. */
  readonly requestId: string | undefined;

  /**
   * @param [options.mayHaveBeenCreated] by default, true unless the status is a 4xx: only a 4xx says Lofty refused
   * the event; a 5xx may come after it was written, and anything else is not Lofty's.
   */
  constructor(status: number, body: unknown, headers: Headers, options: LoftyErrorOptions = {}) {
    const { code, detail } = codeAndDetail(body);
    const codePart = code === undefined ? "" : ` ${code}`;
    const detailPart = detail ? `: ${detail}` : "";
    super(`Lofty answered ${status}${codePart}${detailPart}`, {
      ...options,
      mayHaveBeenCreated: options.mayHaveBeenCreated ?? !isClientError(status),
    });
    const reset = rateLimit(headers, "reset");
    this.status = status;
    this.code = code;
    this.body = body;
    this.limit = rateLimit(headers, "limit");
    this.remaining = rateLimit(headers, "remaining");
    this.resetAt = reset === undefined ? undefined : new Date(reset * 1000);
    this.requestId = headers.get("x-request-id") ?? headers.get("request-id") ?? undefined;
  }

  /**
   * The error class for a status: 400, 401, 403, 404, 429 and 5xx have their own; a 400 with Lofty's permission code
   * (20017 PERMISSION_DENIED, as Lofty's operations answer it) is a LoftyPermissionDeniedError, as a 403 is.
   */
  static from(status: number, body: unknown, headers: Headers, options?: LoftyErrorOptions): LoftyApiError {
    const denied = isClientError(status) && isPermissionDenied(body);
    const ErrorClass = denied ? LoftyPermissionDeniedError : apiErrorClass(status);
    return new ErrorClass(status, body, headers, options);
  }
}

/** 400: the request was invalid (INVALID_PARAMETER, MISSING_PARAMETER, …). */
export class LoftyBadRequestError extends LoftyApiError {
  override name = "LoftyBadRequestError";
}
/** 401: the access token or API key is missing, malformed, expired or unknown (BAD_CREDENTIALS). */
export class LoftyAuthenticationError extends LoftyApiError {
  override name = "LoftyAuthenticationError";
}
/** 403: the credentials may not do this (VENDOR_HAS_NO_PERMISSION, PERMISSION_DENIED, 200100, …). */
export class LoftyPermissionDeniedError extends LoftyApiError {
  override name = "LoftyPermissionDeniedError";
}
/** 404: the lead does not exist (LEAD_NOT_EXIST). */
export class LoftyNotFoundError extends LoftyApiError {
  override name = "LoftyNotFoundError";
}
/** 429: the app's rate limit is used up; `resetAt` says when the window ends. */
export class LoftyRateLimitError extends LoftyApiError {
  override name = "LoftyRateLimitError";
}
/** 5xx: Lofty failed; the event may or may not have been created, so a create is never retried. */
export class LoftyServerError extends LoftyApiError {
  override name = "LoftyServerError";
}

/** The request failed on the network (refused, reset, DNS, CORS); `mayHaveBeenCreated` says whether it could have reached Lofty. */
export class LoftyConnectionError extends LoftyError {
  override name = "LoftyConnectionError";
}

/** No complete answer came within `timeoutMs`; a create may or may not have created the event. */
export class LoftyTimeoutError extends LoftyConnectionError {
  override name = "LoftyTimeoutError";
}

/** The caller's AbortSignal fired; if it fired while a create was in flight, the event may have been created. */
export class LoftyAbortError extends LoftyError {
  override name = "LoftyAbortError";
}

/** A 2xx answer whose body is not the documented JSON; a create probably created the event. */
export class LoftyResponseError extends LoftyError {
  override name = "LoftyResponseError";
}

const apiErrorClasses: Record<number, typeof LoftyApiError> = {
  400: LoftyBadRequestError,
  401: LoftyAuthenticationError,
  403: LoftyPermissionDeniedError,
  404: LoftyNotFoundError,
  429: LoftyRateLimitError,
};

function apiErrorClass(status: number): typeof LoftyApiError {
  if (status >= 500) return LoftyServerError;
  return apiErrorClasses[status] ?? LoftyApiError;
}

const PERMISSION_DENIED_CODES: readonly unknown[] = [20017, "20017", "PERMISSION_DENIED"];

function isPermissionDenied(body: unknown): boolean {
  return PERMISSION_DENIED_CODES.includes(codeAndDetail(body).code);
}

/** Whether a status says Lofty refused the request (and so did nothing). */
export function isClientError(status: number): boolean {
  return status >= 400 && status < 500;
}

/** Lofty's `code` (a string or a number) and `message`, or the start of a body that is not JSON. */
function codeAndDetail(body: unknown): { code: string | number | undefined; detail: string } {
  const { code, message } = Object(body) as { code?: unknown; message?: unknown };
  const known = typeof code === "string" || typeof code === "number" ? code : undefined;
  let detail = "";
  if (typeof message === "string") detail = message;
  else if (typeof body === "string") detail = body.slice(0, 200);
  return { code: known, detail };
}

/** X-RateLimit-`name` as a number; undefined when absent or not a number. (Also read by the throttle and retries.) */
export function rateLimit(headers: Headers | undefined, name: string): number | undefined {
  const value = headers?.get(`x-ratelimit-${name}`)?.trim();
  if (!value) return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

/** The JSON of a text, or the text itself when it is not JSON (or not a string: what openapi-fetch parsed already). */
export function parseJson(text: unknown): unknown {
  if (typeof text !== "string") return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A short rendering of a bad value for a message; never throws (symbols, huge strings and bigints, proxies). */
export function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.slice(0, 40));
  if (typeof value === "function") return "a function";
  if (typeof value === "object" && value !== null) return "an object";
  if (Object.is(value, -0)) return "-0";
  const suffix = typeof value === "bigint" ? "n" : "";
  return String(value).slice(0, 40) + suffix;
}
