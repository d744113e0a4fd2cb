// The fetch under openapi-fetch: throttle, timeout, caller abort, and only the retries that cannot duplicate an event.
import {
  LoftyAbortError,
  LoftyApiError,
  LoftyConnectionError,
  LoftyError,
  LoftyTimeoutError,
  parseJson,
  rateLimit,
} from "./errors.js";
import { ABORTED, type Throttle } from "./throttle.js";

/**
 * One exchange with Lofty: the final answer, its body already read (within the timeout) as `text`. `json`, when given,
 * is sent as the body (as application/json) instead of the request's own.
 */
export type Exchange = (request: Request, json?: string) => Promise<{ response: Response; text: string }>;

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

/**
 * Returns an exchange that authorises each attempt, reads each answer within `timeoutMs` and retries only what Lofty
 * certainly did not process: 429 (after X-RateLimit-Reset or Retry-After), a connection that was never made, and one
 * 401 when the token comes from a function (asked again). A 5xx, a timeout or a connection lost after sending is never retried.
 * `json` spares reading the request's body back when the caller has it as a string. The token is set here, not in
 * an openapi-fetch middleware, on a copy of the request's headers, so a middleware of the caller's (a logger, say)
 * never sees it.
 */
export function createTransport({
  baseUrl,
  fetch,
  timeoutMs,
  maxRetries,
  maxRetryDelayMs,
  auth,
  refreshable,
  throttle,
}: TransportOptions): Exchange {
  return async (request, json) => {
    const { url, method, signal } = request;
    // A per-call baseUrl or a middleware may point the request elsewhere, past createLoftyClient's checks.
    if (!url.startsWith(baseUrl + "/"))
      throw new LoftyError("The request is not under baseUrl, where alone the token may go; nothing was sent.");
    // Read once: every attempt re-sends the same bytes. (A middleware may have read it already.)
    const body =
      json ??
      (request.body &&
        (await request.text().catch(() => {
          throw new LoftyError("The request's body could not be read (did a middleware read it?); nothing was sent.");
        })));
    // A copy: the token set below must not reach the Request that the caller's middleware sees (onResponse, onError).
    const headers = new Headers(request.headers);
    // The caller's own Content-Type wins, as openapi-fetch lets it when the body goes through it.
    if (json && !headers.has("content-type")) headers.set("Content-Type", "application/json");
    let refresh = refreshable;
    // What the caller's abort does now: abort the attempt in flight, or end the wait before a retry.
    let stop: ((timedOut?: unknown) => void) | undefined;
    const onAbort = () => stop?.();
    signal.addEventListener("abort", onAbort);
    try {
      for (let attempt = 0; ; attempt++) {
        headers.set("Authorization", await auth());
        await throttle?.acquire(signal);
        if (signal.aborted) throw (throttle?.release(), new LoftyAbortError(ABORTED));
        const controller = new AbortController();
        let timedOut: unknown;
        let timer = setTimeout(() => stop!((timedOut = 1)), timeoutMs);
        let response: Response | undefined;
        let text!: string;
        stop = () => controller.abort();
        try {
          // A redirect is an answer, not a hop: followed, it would carry the token out of baseUrl.
          response = await fetch(url, { method, headers, body, signal: controller.signal, redirect: "manual" });
          text = await response.text();
        } catch (cause: any) {
          const code = (cause?.cause?.errors?.[0] ?? cause?.cause)?.code;
          const aborted = signal.aborted;
          // Failed before a connection existed (and not by our own abort): the request certainly never reached Lofty,
          // so a retry with backoff is safe.
          const notSent =
            !timedOut && !aborted && !response && /^E(CONNREFUSED|NOTFOUND|AI_AGAIN|(NET|HOST)UNREACH)$/.test(code);
          if (!notSent || attempt >= maxRetries) {
            throw new (timedOut ? LoftyTimeoutError : aborted ? LoftyAbortError : LoftyConnectionError)(
              (timedOut ? `Timeout (${timeoutMs} ms)` : aborted ? "Aborted" : "Connection failed") +
                (code ? ` (${code})` : "") +
                (response ? " while reading the answer" : "") +
                (notSent ? "; nothing was sent." : "; the event may or may not have been created."),
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
        if (status == 401 && refresh) {
          refresh = false;
          attempt--; // the one retry with a fresh token is not one of maxRetries
        } else {
          const delay = retryDelay(response?.headers, attempt);
          if (response && (status != 429 || attempt >= maxRetries || delay > maxRetryDelayMs)) {
            // A server or gateway that echoes the Authorization header must not put the secret into an error. Raw, it is
            // replaced; escaped in any way (\/, \u003d, JSON within JSON…), found by unescaping a copy until nothing
            // changes, none of the answer is kept. (Real secrets are long; redacting a toy one of a few characters would
            // mangle the JSON.)
            const secret = headers.get("authorization")!.split(" ")[1]!;
            if (secret[7]) {
              text = text.replaceAll(secret, "[redacted]");
              for (
                let copy = text, next;
                (next = copy.replace(/\\(?:u([\da-f]{4})|(.))/gi, (_, hex, char) =>
                  hex ? String.fromCharCode(parseInt(hex, 16)) : char,
                )) != copy;
                copy = next
              ) {
                if (next.includes(secret)) text = "[redacted]";
              }
            }
            // HTTP allows 100-999, a Response only 200-599 (a browser's redirect is 0): whatever else comes is not an
            // answer of Lofty's API.
            if (!(status! > 199 && status! < 600)) throw LoftyApiError.from(status!, parseJson(text), response.headers);
            return { response, text };
          }
          // A 429 within maxRetryDelayMs, or a connection never made: wait. An abort ends the wait, and the next
          // attempt throws LoftyAbortError(ABORTED) before sending anything.
          if (!signal.aborted)
            await new Promise((resolve) => (timer = setTimeout((stop = resolve as () => void), delay)));
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
  const after: any = headers?.get("retry-after") ?? "-";
  const reset = rateLimit(headers, "reset")!;
  // When to retry: Retry-After, else X-RateLimit-Reset, else NaN for backoff.
  const when = isFinite(after) ? after * 1e3 + now : Date.parse(after) || (reset > 0 ? reset * 1e3 : NaN);
  // NaN: 0.5 s, 1 s, 2 s … with jitter, so many clients do not retry in step.
  return when == when ? Math.max(when - now, 0) : (375 + 250 * Math.random()) * 2 ** attempt;
}
