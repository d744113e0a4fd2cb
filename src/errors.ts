// Everything the SDK throws is a LoftyError, so one `instanceof` check catches it all.

/** One problem with the caller's input: which field, and how to fix it. */
export interface ValidationIssue {
  /** The field, as a dotted path (e.g. "leadId", "start"). */
  path: string;
  /** What is wrong and how to fix it. */
  message: string;
}

/** Base class of every error the SDK throws. */
export class LoftyError extends Error {
  override name = "LoftyError";
  /** Whether Lofty may have created the event despite the error (true only when a request reached it unanswered or failed server-side). */
  declare readonly mayHaveBeenCreated: boolean;

  constructor(message: string, options: { cause?: unknown; mayHaveBeenCreated?: boolean } = {}) {
    // Error takes only `cause` from the options, and only when it is there.
    super(message, options);
    this.mayHaveBeenCreated = !!options.mayHaveBeenCreated;
  }
}

/** The input was refused before anything was sent; `issues` lists every problem found. */
export class LoftyValidationError extends LoftyError {
  override name = "LoftyValidationError";
  declare readonly issues: ValidationIssue[];

  /** @param [cause] what was thrown while reading the input, if anything */
  constructor(issues: ValidationIssue[], cause?: unknown) {
    super(
      "Invalid input, nothing was sent: " + issues.map((i) => i.path + ": " + i.message).join("; "),
      cause === undefined ? undefined : { cause },
    );
    this.issues = issues;
  }
}

/** Lofty answered with a status other than 2xx; `status`, `code` and the rate-limit fields say what and when to retry. */
export class LoftyApiError extends LoftyError {
  override name = "LoftyApiError";
  /** The HTTP status. */
  declare readonly status: number;
  /** Lofty's error code: a documented name (e.g. "INVALID_PARAMETER") or a number (e.g. 20012); absent on 429. */
  declare readonly code: string | number | undefined;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  declare readonly body: unknown;
  /** X-RateLimit-Limit: requests allowed in the current window. */
  declare readonly limit: number | undefined;
  /** X-RateLimit-Remaining: requests left in the current window. */
  declare readonly remaining: number | undefined;
  /** X-RateLimit-Reset: when the window ends. */
  declare readonly resetAt: Date | undefined;
  /** The server's request id (x-request-id or request-id), when it sends one: quote it to Lofty support. */
  declare readonly requestId: string | undefined;

  constructor(status: number, body: unknown, headers: Headers) {
    let { code, message } = Object(body);
    if (!/^[sn]/.test(typeof code)) code = undefined; // a string or a number
    const reset = rateLimit(headers, "reset");
    // Only a 4xx says Lofty refused the event; a 5xx may come after it was written, and anything else is not Lofty's.
    const detail = typeof message == "string" ? message : typeof body == "string" ? body.slice(0, 200) : "";
    super(`Lofty answered ${status}${code === undefined ? "" : " " + code}${detail && ": " + detail}`, {
      mayHaveBeenCreated: !(status > 399 && status < 500),
    });
    Object.assign(this, {
      status,
      code,
      body,
      limit: rateLimit(headers, "limit"),
      remaining: rateLimit(headers, "remaining"),
      resetAt: reset === undefined ? reset : new Date(reset * 1e3),
      requestId: headers.get("x-request-id") ?? headers.get("request-id") ?? undefined,
    });
  }

  /** The error class for a status: 400, 401, 403, 404, 429 and 5xx have their own. */
  static from(status: number, body: unknown, headers: Headers): LoftyApiError {
    const Class =
      status > 499
        ? LoftyServerError
        : ({
            400: LoftyBadRequestError,
            401: LoftyAuthenticationError,
            403: LoftyPermissionDeniedError,
            404: LoftyNotFoundError,
            429: LoftyRateLimitError,
          }[status] ?? LoftyApiError);
    return new Class(status, body, headers);
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
/** 5xx: Lofty failed; the event may or may not have been created, so it is never retried. */
export class LoftyServerError extends LoftyApiError {
  override name = "LoftyServerError";
}

/** The request failed on the network (refused, reset, DNS, CORS); `mayHaveBeenCreated` says whether it could have reached Lofty. */
export class LoftyConnectionError extends LoftyError {
  override name = "LoftyConnectionError";
}

/** No complete answer came within `timeoutMs`; the event may or may not have been created. */
export class LoftyTimeoutError extends LoftyConnectionError {
  override name = "LoftyTimeoutError";
}

/** The caller's AbortSignal fired; if it fired while the request was in flight, the event may have been created. */
export class LoftyAbortError extends LoftyError {
  override name = "LoftyAbortError";
}

/** A 2xx answer whose body is not the documented JSON; the event was probably created. */
export class LoftyResponseError extends LoftyError {
  override name = "LoftyResponseError";
}

/** X-RateLimit-`name` as a number; undefined when absent or not a number. (Also read by the throttle and retries.) */
export function rateLimit(headers: Headers | undefined, name: string): number | undefined {
  const value = headers?.get("x-ratelimit-" + name)?.trim();
  return value && isFinite(+value) ? +value : undefined;
}

/** The JSON of a text, or the text itself when it is not JSON (or not a string: what openapi-fetch parsed already). */
export function parseJson(text: unknown): unknown {
  try {
    return typeof text == "string" ? JSON.parse(text) : text;
  } catch {
    return text;
  }
}

/** A short rendering of a bad value for a message; never throws (symbols, huge strings and bigints, proxies). */
export function describe(value: unknown): string {
  const type = typeof value;
  return type == "string"
    ? JSON.stringify((value as string).slice(0, 40))
    : type == "function"
      ? "a function"
      : type == "object" && value
        ? "an object"
        : Object.is(value, -0)
          ? "-0"
          : String(value).slice(0, 40) + (type == "bigint" ? "n" : "");
}
