// The fetch under openapi-fetch: throttle, timeout, caller abort, and only the retries that cannot duplicate an event.
import type { Auth } from "./auth.js";
import { LoftyAbortError, LoftyConnectionError, LoftyError, LoftyTimeoutError } from "./errors.js";
import type { Throttle } from "./throttle.js";

/** What the transport needs from createLoftyClient's options. */
export interface TransportOptions {
  fetch: typeof fetch;
  timeoutMs: number;
  maxRetries: number;
  maxRetryDelayMs: number;
  auth: Auth;
  throttle: Throttle | undefined;
}

// Errors raised before a connection exists: the request certainly never reached Lofty, so a retry is safe.
const NOT_SENT = ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH"];

/**
 * Returns a fetch that buffers each answer within `timeoutMs` and retries only what Lofty certainly did not process:
 * 429 (after X-RateLimit-Reset or Retry-After), a connection that was never made, and one 401 when the token
 * comes from a function (asked again). A 5xx, a timeout or a connection lost after sending is never retried.
 */
export function createTransport(options: TransportOptions): (request: Request) => Promise<Response> {
  return async (request) => {
    // Read once: every attempt re-sends the same bytes.
    const body = request.body ? await request.text() : undefined;
    const headers = new Headers(request.headers);
    const signal = request.signal;
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      let answer: { response: Response; text: string };
      try {
        answer = await attemptOnce(request.url, { method: request.method, headers, body }, signal, options);
      } catch (error) {
        if (error instanceof LoftyConnectionError && !error.mayHaveBeenCreated && attempt < options.maxRetries) {
          await sleep(backoff(attempt), signal);
          continue;
        }
        throw error;
      }
      const { response } = answer;
      // A server or gateway that echoes the Authorization header must not put the secret into an error. (Real
      // tokens are long; redacting a toy one of a few characters would mangle the JSON around it.)
      const secret = headers.get("authorization")?.split(" ")[1] ?? "";
      const text = secret.length > 11 ? answer.text.split(secret).join("[redacted]") : answer.text;
      if (response.status === 401 && options.auth.refreshable && !refreshed) {
        refreshed = true;
        headers.set("Authorization", await options.auth.header());
        continue;
      }
      if (response.status === 429 && attempt < options.maxRetries) {
        const wait = retryDelay(response.headers, attempt);
        if (wait <= options.maxRetryDelayMs) {
          await sleep(wait, signal);
          continue;
        }
      }
      const empty = response.status === 204 || response.status === 304;
      return new Response(empty ? null : text, { status: response.status, statusText: response.statusText, headers: response.headers });
    }
  };
}

async function attemptOnce(url: string, init: RequestInit, signal: AbortSignal, options: TransportOptions) {
  await options.throttle?.acquire(signal);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  const onAbort = () => controller.abort();
  signal.addEventListener("abort", onAbort);
  let headers: Headers | undefined;
  try {
    if (signal.aborted) throw new LoftyAbortError("Aborted before the request was sent.");
    const response = await options.fetch(url, { ...init, signal: controller.signal });
    headers = response.headers;
    return { response, text: await response.text() };
  } catch (error) {
    throw classify(error, { timedOut, aborted: signal.aborted, answered: headers !== undefined, url, options });
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", onAbort);
    options.throttle?.release(headers);
  }
}

function classify(
  error: unknown,
  at: { timedOut: boolean; aborted: boolean; answered: boolean; url: string; options: TransportOptions },
): LoftyError {
  if (error instanceof LoftyError) return error;
  const unknownOutcome = "the event may or may not have been created";
  if (at.timedOut) {
    return new LoftyTimeoutError(`No complete answer within ${at.options.timeoutMs} ms (timeoutMs); ${unknownOutcome}.`, {
      cause: error,
      mayHaveBeenCreated: true,
    });
  }
  if (at.aborted) {
    return new LoftyAbortError(`Aborted while the request was in flight; ${unknownOutcome}.`, { cause: error, mayHaveBeenCreated: true });
  }
  const cause = (error as { cause?: { code?: string; errors?: { code?: string }[] } })?.cause;
  const code = cause?.code ?? cause?.errors?.[0]?.code;
  const origin = new URL(at.url).origin;
  if (!at.answered && code && NOT_SENT.includes(code)) {
    return new LoftyConnectionError(`Could not connect to ${origin} (${code}); nothing was sent.`, { cause: error });
  }
  return new LoftyConnectionError(
    `The connection to ${origin} failed${code ? ` (${code})` : ""} ${at.answered ? "while reading the answer" : "during the request"}; ${unknownOutcome}.`,
    { cause: error, mayHaveBeenCreated: true },
  );
}

/** How long to wait before retrying a 429: Retry-After, else X-RateLimit-Reset, else exponential backoff. */
export function retryDelay(headers: Headers, attempt: number, now = Date.now()): number {
  const retryAfter = headers.get("retry-after");
  if (retryAfter !== null) {
    const seconds = Number(retryAfter);
    const at = Number.isFinite(seconds) ? now + seconds * 1000 : Date.parse(retryAfter);
    if (Number.isFinite(at)) return Math.max(0, at - now);
  }
  const reset = Number(headers.get("x-ratelimit-reset") ?? NaN);
  if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now);
  return backoff(attempt);
}

function backoff(attempt: number): number {
  // 0.5 s, 1 s, 2 s … with jitter, so many clients do not retry in step.
  return 500 * 2 ** attempt * (0.75 + Math.random() / 2);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new LoftyAbortError("Aborted while waiting to retry; the event was not created."));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
}
