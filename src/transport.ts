// The wire under the send path: auth, throttle, timeout, the caller's abort, and only the retries that are safe for
// the operation at hand.
import {
  LoftyAbortError,
  LoftyApiError,
  LoftyConnectionError,
  LoftyError,
  LoftyTimeoutError,
  parseJson,
  rateLimit,
} from "./errors.js";
import { redactHeaders, redactSecret } from "./redact.js";
import { ABORTED, type Throttle } from "./throttle.js";

/** What repeating a request can do, which decides what it may be retried after and what its failures say. */
export interface RetryPolicy {
  /**
   * Repeating it cannot make a second event (a read, an update, a delete, finish): then a 5xx, a timeout and a
   * connection lost after sending are retried too. Otherwise only what Lofty certainly did not process is retried.
   */
  idempotent: boolean;
  /** It creates an event: its failures say whether the event may exist (`mayHaveBeenCreated`). */
  creates: boolean;
}

/** One exchange with Lofty: the final answer, its body already read (within the timeout) as `text`. */
export interface Exchanged {
  response: Response;
  text: string;
}

/** Sends a request (with `json` as its body when given, instead of reading the request's own) under a policy. */
export type Exchange = (request: Request, policy: RetryPolicy, json?: string) => Promise<Exchanged>;

/** What the transport needs from createLoftyClient's options. */
export interface TransportOptions {
  /** The checked baseUrl, without a trailing slash: the token goes nowhere else. */
  baseUrl: string;
  fetch: typeof fetch;
  timeoutMs: number;
  maxRetries: number;
  maxRetryDelayMs: number;
  /** The Authorization header, asked for every attempt (once more after a 401 when `refreshable`). */
  auth: () => Promise<string>;
  refreshable: boolean;
  throttle: Throttle | undefined;
}

/** How one attempt ended: an answer read whole, or a failure and whether the request certainly never left. */
type Attempt = Exchanged | { failure: LoftyError; notSent: boolean; aborted: boolean };

/** Timers take at most 2^31 - 1 ms (about 24.8 days); a longer delay would fire at once. */
export const LONGEST_TIMER_MS = 2 ** 31 - 1;

// Failed before a connection existed: the request certainly never reached Lofty.
const NOT_CONNECTED = /^E(CONNREFUSED|NOTFOUND|AI_AGAIN|(NET|HOST)UNREACH)$/;

/**
 * Returns the exchange of a client: it authorises each attempt, reads each answer within `timeoutMs`, and retries
 * within `maxRetries` what the policy allows: always a 429 (after Retry-After or X-RateLimit-Reset), a connection
 * that was never made, and one 401 when the token comes from a function (asked again); for an idempotent policy also
 * a 5xx, a timeout and a lost connection. The token is set on a copy of the request's headers, so the caller's
 * openapi-fetch middleware never sees it.
 */
export function createTransport(options: TransportOptions): Exchange {
  const { baseUrl, fetch, timeoutMs, maxRetries, maxRetryDelayMs, auth, refreshable, throttle } = options;

  return async (request, policy, json) => {
    const { url, method, signal } = request;
    // A per-call baseUrl or a middleware may point the request elsewhere, past createLoftyClient's checks.
    if (!url.startsWith(`${baseUrl}/`)) {
      throw new LoftyError("The request is not under baseUrl, where alone the token may go; nothing was sent.");
    }
    // A copy: the token set below must not reach the Request that the caller's middleware sees (onResponse, onError).
    const headers = new Headers(request.headers);
    // Read once: every attempt sends the same bytes.
    let body = json;
    if (json === undefined && request.body) body = await readBody(request);
    // Lofty wants Content-Type on every write, even one without a body (a DELETE without it is a 400). The caller's
    // own wins, as openapi-fetch lets it when the body goes through it.
    if (method !== "GET" && !headers.has("content-type")) headers.set("Content-Type", "application/json");
    const init = { method, headers, body, redirect: "manual" as const };
    let refreshToken = refreshable;
    for (let retries = 0; ; retries++) {
      headers.set("Authorization", await authorize(signal));
      const attempt = await attemptOnce(url, init, signal, policy);
      if ("response" in attempt && attempt.response.status === 401 && refreshToken) {
        // The one retry with a fresh token is not one of maxRetries.
        refreshToken = false;
        retries--;
        continue;
      }
      const wait = retries < maxRetries ? retryWait(attempt, policy, retries) : undefined;
      if (wait === undefined) return settle(attempt, headers, policy);
      // An abort ends the wait, and the next attempt throws LoftyAbortError(ABORTED) before sending anything.
      await delay(wait, signal);
    }
  };

  /** The Authorization header; a token function still pending is given up on as soon as the caller aborts. */
  function authorize(signal: AbortSignal): Promise<string> {
    return refreshable ? untilAborted(auth(), signal) : auth();
  }

  /** One attempt: a slot from the throttle, then the fetch and the whole answer within timeoutMs. */
  async function attemptOnce(url: string, init: RequestInit, signal: AbortSignal, policy: RetryPolicy) {
    await throttle?.acquire(signal);
    if (signal.aborted) {
      throttle?.release();
      throw new LoftyAbortError(ABORTED);
    }
    const controller = new AbortController();
    const abortAttempt = () => {
      controller.abort();
    };
    signal.addEventListener("abort", abortAttempt);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    let response: Response | undefined;
    try {
      // A redirect is an answer, not a hop (init says "manual"): followed, it would carry the token out of baseUrl.
      response = await fetch(url, { ...init, signal: controller.signal });
      const text = await response.text();
      return { response, text };
    } catch (cause) {
      return failedAttempt(cause, { timedOut, aborted: signal.aborted, answered: response !== undefined }, policy);
    } finally {
      clearTimeout(timer);
      signal.removeEventListener("abort", abortAttempt);
      throttle?.release(windowHeaders(response));
    }
  }

  /** The typed error of an attempt that got no whole answer, and whether the request certainly never left. */
  function failedAttempt(cause: unknown, state: AttemptState, policy: RetryPolicy): Attempt {
    const code = networkCode(cause);
    // Our own abort (timeout or the caller's) is never "not sent": the request may be on its way.
    const notSent = !state.timedOut && !state.aborted && !state.answered && NOT_CONNECTED.test(code ?? "");
    let what = "Connection failed";
    if (state.timedOut) what = `Timeout (${timeoutMs} ms)`;
    else if (state.aborted) what = "Aborted";
    const codePart = code ? ` (${code})` : "";
    const reading = state.answered ? " while reading the answer" : "";
    let outcome = "; Lofty may or may not have received it.";
    if (notSent) outcome = "; nothing was sent.";
    else if (policy.creates) outcome = "; the event may or may not have been created.";
    const message = what + codePart + reading + outcome;
    const errorOptions = { cause, mayHaveBeenCreated: policy.creates && !notSent };
    let failure: LoftyError;
    if (state.timedOut) failure = new LoftyTimeoutError(message, errorOptions);
    else if (state.aborted) failure = new LoftyAbortError(message, errorOptions);
    else failure = new LoftyConnectionError(message, errorOptions);
    return { failure, notSent, aborted: state.aborted && !state.timedOut };
  }

  /** Milliseconds to wait before retrying, or undefined when the attempt is final. */
  function retryWait(attempt: Attempt, { idempotent }: RetryPolicy, retries: number): number | undefined {
    if ("failure" in attempt) {
      if (attempt.aborted) return undefined;
      return attempt.notSent || idempotent ? backoff(retries) : undefined;
    }
    const { status, headers } = attempt.response;
    let wait: number | undefined;
    if (status === 429) wait = retryDelay(headers, retries);
    // A failure says nothing of the rate-limit window: Retry-After if the server sends one, else backoff.
    else if (status >= 500 && idempotent) wait = retryDelay(headers, retries, Date.now(), false);
    if (wait === undefined || wait > maxRetryDelayMs) return undefined;
    return wait;
  }
}

async function readBody(request: Request): Promise<string> {
  try {
    return await request.text();
  } catch (cause) {
    throw new LoftyError("The request's body could not be read (did a middleware read it?); nothing was sent.", {
      cause,
    });
  }
}

interface AttemptState {
  timedOut: boolean;
  aborted: boolean;
  /** The status line arrived; the body did not. */
  answered: boolean;
}

/** The headers the throttle may learn the window from. */
function windowHeaders(response: Response | undefined): Headers | undefined {
  // A 429 without rate-limit headers (a gateway's) says nothing of the window: treat it as a failed probe, not as
  // "this server has no limits", so queued calls do not all go out at once.
  if (response?.status === 429 && !response.headers.has("x-ratelimit-reset")) return undefined;
  return response?.headers;
}

/** Node's (undici's) error code of a failed fetch: on its cause, or on the first of an AggregateError's. */
function networkCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown; errors?: { code?: unknown }[] } } | undefined)?.cause;
  const code = cause?.errors?.[0]?.code ?? cause?.code;
  return typeof code === "string" ? code : undefined;
}

/** The final outcome: the failure thrown, or the answer returned with any echoed secret redacted. */
function settle(attempt: Attempt, headers: Headers, { creates }: RetryPolicy): Exchanged {
  if ("failure" in attempt) throw attempt.failure;
  const { response } = attempt;
  const authorization = headers.get("authorization") ?? "";
  const secret = authorization.slice(authorization.indexOf(" ") + 1);
  const text = redactSecret(attempt.text, secret);
  // An echo in a header (a request id made of the Authorization header) must not reach `error.requestId` either.
  const answerHeaders = redactHeaders(response.headers, secret);
  // HTTP allows 100-999, a Response only 200-599 (a browser's redirect is 0): whatever else comes is not an answer
  // of Lofty's API, and cannot be handed on as a Response.
  if (response.status < 200 || response.status > 599) {
    throw LoftyApiError.from(response.status, parseJson(text), answerHeaders, { mayHaveBeenCreated: creates });
  }
  if (answerHeaders === response.headers) return { response, text };
  const body = response.body === null ? null : text;
  const { status, statusText } = response;
  return { response: new Response(body, { status, statusText, headers: answerHeaders }), text };
}

/** Settles as `promise` does, or rejects with LoftyAbortError (nothing sent) as soon as `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new LoftyAbortError(ABORTED));
  return new Promise((resolve, reject) => {
    const abort = () => {
      reject(new LoftyAbortError(ABORTED));
    };
    signal.addEventListener("abort", abort);
    void promise.then(resolve, reject).finally(() => {
      signal.removeEventListener("abort", abort);
    });
  });
}

/** Resolves after `ms`, or as soon as `signal` aborts (the caller reads `signal.aborted` to tell which). */
export function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done);
  });
}

/** Exponential backoff with jitter: 0.5 s, 1 s, 2 s … so many clients do not retry in step. */
function backoff(retries: number): number {
  return (375 + 250 * Math.random()) * 2 ** retries;
}

/**
 * How long to wait before retrying a 429 (or, without `useReset`, a 5xx): Retry-After, else X-RateLimit-Reset, else
 * exponential backoff.
 */
export function retryDelay(headers: Headers | undefined, attempt: number, now = Date.now(), useReset = true): number {
  const retryAt = retryAfterAt(headers, now) ?? (useReset ? resetAt(headers) : undefined);
  if (retryAt === undefined) return backoff(attempt);
  return Math.max(retryAt - now, 0);
}

/** Retry-After as epoch ms: seconds from now, or an HTTP date. */
function retryAfterAt(headers: Headers | undefined, now: number): number | undefined {
  const value = headers?.get("retry-after")?.trim();
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return now + seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : date;
}

/** X-RateLimit-Reset (epoch seconds) as epoch ms, when it is a positive number. */
function resetAt(headers: Headers | undefined): number | undefined {
  const reset = rateLimit(headers, "reset");
  return reset !== undefined && reset > 0 ? reset * 1000 : undefined;
}
