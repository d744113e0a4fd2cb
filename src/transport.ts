// The fetch under openapi-fetch: throttle, timeout, caller abort, and only the retries that cannot duplicate an event.
// Kept small for the browser bundle (scripts/size.mjs): one loop, one abort listener, shared message fragments.
import type { Auth } from "./auth.js";
import { LoftyAbortError, LoftyConnectionError, LoftyTimeoutError } from "./errors.js";
import { ABORTED, NOTHING_SENT, type Throttle } from "./throttle.js";

/** What the transport needs from createLoftyClient's options. */
export interface TransportOptions {
  fetch: typeof fetch;
  timeoutMs: number;
  maxRetries: number;
  maxRetryDelayMs: number;
  auth: Auth;
  throttle: Throttle | undefined;
}

/**
 * Returns a fetch that buffers each answer within `timeoutMs` and retries only what Lofty certainly did not process:
 * 429 (after X-RateLimit-Reset or Retry-After), a connection that was never made, and one 401 when the token
 * comes from a function (asked again). A 5xx, a timeout or a connection lost after sending is never retried.
 */
export function createTransport({ fetch, timeoutMs, maxRetries, maxRetryDelayMs, auth, throttle }: TransportOptions): (request: Request) => Promise<Response> {
  return async (request) => {
    // Read once: every attempt re-sends the same bytes.
    const body = request.body && (await request.text());
    const headers = new Headers(request.headers);
    const signal = request.signal;
    let refresh: unknown = auth.refreshable;
    // What the caller's abort does now: abort the attempt in flight, or end the wait before a retry.
    let stop: ((timedOut?: unknown) => void) | undefined;
    const onAbort = () => stop?.();
    signal.addEventListener("abort", onAbort);
    try {
      for (let attempt = 0; ; attempt++) {
        await throttle?.acquire(signal);
        if (signal.aborted) throw (throttle?.release(), new LoftyAbortError(ABORTED));
        const controller = new AbortController();
        stop = () => controller.abort();
        let timedOut: unknown;
        let timer = setTimeout(() => stop!((timedOut = 1)), timeoutMs);
        let response: Response | undefined;
        let text!: string;
        try {
          response = await fetch(request.url, { method: request.method, headers, body, signal: controller.signal });
          text = await response.text();
        } catch (cause) {
          const reason = (cause as { cause?: { code?: string; errors?: { code?: string }[] } })?.cause;
          const code = (reason?.errors?.[0] ?? reason)?.code;
          const aborted = signal.aborted;
          // Failed before a connection existed (and not by our own abort): the request certainly never reached Lofty,
          // so a retry with backoff is safe.
          const notSent = !timedOut && !aborted && !response && /^E(CONNREFUSED|NOTFOUND|AI_AGAIN|(NET|HOST)UNREACH)$/.test(code!);
          if (!notSent || attempt >= maxRetries) {
            throw new (timedOut ? LoftyTimeoutError : aborted ? LoftyAbortError : LoftyConnectionError)(
              `${timedOut ? `Timeout (${timeoutMs} ms)` : aborted ? "Aborted" : "Connection failed"}${code ? ` (${code})` : ""}${
                response ? " while reading the answer" : ""
              }${notSent ? NOTHING_SENT : "; the event may or may not have been created."}`,
              { cause, mayHaveBeenCreated: !notSent },
            );
          }
        } finally {
          clearTimeout(timer);
          // A 429 without rate-limit headers (a gateway's) says nothing of the window: treat it as a failed probe, not as
          // "this server has no limits", so queued calls do not all go out at once.
          const h = response?.headers;
          throttle?.release(response?.status == 429 && !h!.has("x-ratelimit-reset") ? undefined : h);
        }
        const status = response?.status;
        const delay = retryDelay(response?.headers, attempt);
        if (status == 401 && refresh) {
          refresh = 0;
          attempt--; // the one retry after a fresh token is not one of maxRetries
          headers.set("Authorization", await auth.header());
        } else {
          if (response && (status != 429 || attempt >= maxRetries || delay > maxRetryDelayMs)) {
            // A server or gateway that echoes the Authorization header must not put the secret into an error, raw or
            // JSON-escaped. (Real secrets are long; redacting a toy one of a few characters would mangle the JSON.)
            const secret = headers.get("authorization")?.split(" ")[1];
            if (secret?.[7]) for (const form of [secret, JSON.stringify(secret).slice(1, -1), secret.replaceAll("/", "\\/")]) text = text.replaceAll(form, "[redacted]");
            // No body (204, 304, HEAD…) stays no body.
            return new Response(response.body && text, response);
          }
          // A 429 within maxRetryDelayMs, or a connection never made: wait. An abort ends the wait, and the next
          // attempt throws LoftyAbortError(ABORTED) before sending anything.
          if (!signal.aborted) await new Promise((resolve) => (timer = setTimeout((stop = resolve), delay)));
          clearTimeout(timer);
        }
      }
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  };
}

/** How long to wait before retrying a 429: Retry-After, else X-RateLimit-Reset, else exponential backoff. */
export function retryDelay(headers: Headers | undefined, attempt: number, now = Date.now()): number {
  // "-" when absent: neither a number nor a date.
  const after = headers?.get("retry-after") ?? "-";
  const at = isFinite(after as unknown as number) ? (after as unknown as number) * 1000 + now : Date.parse(after);
  const reset = +headers?.get("x-ratelimit-reset")!; // absent: 0
  // When to retry: Retry-After, else X-RateLimit-Reset, else NaN for backoff.
  const when = isFinite(at) ? at : reset > 0 && reset < Infinity ? reset * 1000 : NaN;
  return when > now
    ? when - now
    : when <= now
      ? 0
      : // NaN: 0.5 s, 1 s, 2 s … with jitter, so many clients do not retry in step.
        (375 + 250 * Math.random()) * 2 ** attempt;
}
