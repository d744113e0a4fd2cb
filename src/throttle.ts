// Client-side rate limiting: queue requests to stay inside Lofty's window instead of bursting into 429s.
import { LoftyAbortError } from "./errors.js";

/** Waits for a slot before each request and learns the window from each response's X-RateLimit-* headers. */
export interface Throttle {
  /** Resolves when a request may start; rejects with LoftyAbortError if `signal` fires first. */
  acquire(signal?: AbortSignal | null): Promise<void>;
  /** Hands the slot back and reads the rate-limit headers of the answer (none when the request failed). */
  release(headers?: Headers): void;
}

/** Throttle options: a budget of your own on top of the server's headers. */
export interface ThrottleOptions {
  /** At most this many requests start in any 60-second span (e.g. 100 for Lofty's development mode). */
  requestsPerMinute?: number;
}

const WINDOW_MS = 60_000;

/** A throttle that lets one request probe the limits, then follows X-RateLimit-Remaining and -Reset. */
export function createThrottle({ requestsPerMinute }: ThrottleOptions = {}): Throttle {
  let tokens = 1; // one probe until a response tells the window
  let limit: number | undefined; // undefined: no headers seen yet, or the server sends none
  let resetAt = Infinity;
  let headersSeen = false;
  let inFlight = 0;
  const starts: number[] = []; // start times inside the last minute, for requestsPerMinute
  const queue: { go(): void; signal?: AbortSignal | null }[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  function pump(): void {
    clearTimeout(timer);
    timer = undefined;
    let now = Date.now();
    while (queue.length) {
      if (limit !== undefined && now >= resetAt) {
        // The server's window is over: a full budget until the next response says otherwise.
        tokens = limit - inFlight;
        resetAt = Infinity;
      }
      // No reset to wait for and nothing in flight (the first request, or answers without X-RateLimit-* since the
      // last reset, e.g. a gateway's 502s or refused connections): no answer can refill the window, so one probes it.
      if (tokens <= 0 && resetAt === Infinity && !inFlight) tokens = 1;
      while (starts.length && starts[0]! <= now - WINDOW_MS) starts.shift();
      const budgetWait = requestsPerMinute && starts.length >= requestsPerMinute ? starts[0]! + WINDOW_MS - now : 0;
      if (budgetWait > 0 || tokens <= 0) {
        // Out of slots: wait for the window's reset, or for a response in flight to say more.
        const wait = Math.max(budgetWait, tokens > 0 || resetAt === Infinity ? 0 : resetAt - now);
        if (wait > 0) timer = setTimeout(pump, wait);
        return;
      }
      tokens--;
      inFlight++;
      if (requestsPerMinute) starts.push(now);
      queue.shift()!.go();
      now = Date.now();
    }
  }

  return {
    acquire(signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(new LoftyAbortError("Aborted before the request was sent."));
        const entry = {
          signal,
          go: () => {
            signal?.removeEventListener("abort", onAbort);
            resolve();
          },
        };
        const onAbort = () => {
          queue.splice(queue.indexOf(entry), 1);
          reject(new LoftyAbortError("Aborted while waiting for a rate-limit slot; nothing was sent."));
          pump();
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        queue.push(entry);
        pump();
      });
    },
    release(headers) {
      inFlight--;
      const headerLimit = Number(headers?.get("x-ratelimit-limit") ?? NaN);
      const remaining = Number(headers?.get("x-ratelimit-remaining") ?? NaN);
      const reset = Number(headers?.get("x-ratelimit-reset") ?? NaN) * 1000;
      if (Number.isFinite(headerLimit) && Number.isFinite(remaining) && Number.isFinite(reset)) {
        headersSeen = true;
        limit = headerLimit;
        // Requests still in flight may not be counted in `remaining` yet: assume they are not.
        const left = remaining - inFlight;
        if (reset > resetAt || resetAt === Infinity) tokens = left;
        else tokens = Math.min(tokens, left);
        resetAt = reset;
      } else if (headers && !headersSeen) {
        // The server sends no rate-limit headers: only the configured budget applies.
        tokens = Infinity;
      }
      pump();
    },
  };
}
