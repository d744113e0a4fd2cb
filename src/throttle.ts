// Client-side rate limiting: queue requests to stay inside Lofty's window instead of bursting into 429s.
import { LoftyAbortError, rateLimit } from "./errors.js";

/** Waits for a slot before each request and learns the window from each response's X-RateLimit-* headers. */
export interface Throttle {
  /** Returns at once when a request may start now, else a promise of it; rejects with LoftyAbortError if `signal` fires first. */
  acquire(signal?: AbortSignal | null): Promise<void> | undefined;
  /** Hands the slot back and reads the rate-limit headers of the answer (none when the request failed). */
  release(headers?: Headers): void;
}

/** Throttle options: a budget of your own on top of the server's headers. */
export interface ThrottleOptions {
  /** At most this many requests start in any 60-second span (e.g. 100 for Lofty's development mode). */
  requestsPerMinute?: number;
}

/** The message of an abort before anything was sent (here and in the transport). */
export const ABORTED = "Aborted; nothing was sent.";

const MINUTE_MS = 60_000;

/** A throttle that lets one request probe the limits, then follows X-RateLimit-Remaining and -Reset. */
export function createThrottle({ requestsPerMinute }: ThrottleOptions = {}): Throttle {
  let tokens = 1; // one probe until a response tells the window
  let limit: number | undefined; // undefined: no rate-limit headers seen yet (or the server sends none)
  let resetAt = NaN; // NaN: no reset to wait for
  let windowEnd = NaN; // the current window's X-RateLimit-Reset as sent (ms), which tells windows apart
  let inFlight = 0;
  const starts: number[] = []; // with requestsPerMinute, the start times of the last ones (that many of them)
  const queue: ((abort?: boolean) => void)[] = []; // called with nothing to start a waiting request
  let timer: ReturnType<typeof setTimeout> | undefined;

  // Milliseconds until the next request may start (<= 0: now; Infinity: when an answer says), refreshing the budget first.
  function wait(now: number): number {
    // The server's window is over (resetAt is a number only once headers set `limit`): a full budget until the next
    // response says otherwise.
    if (now >= resetAt && limit !== undefined) {
      tokens = limit - inFlight;
      resetAt = NaN;
      windowEnd = NaN;
    }
    // No reset to wait for and nothing in flight (the first request, or answers without X-RateLimit-* since the last
    // reset, e.g. a gateway's 502s or refused connections): no answer can refill the window, so one probes it.
    if (tokens <= 0 && Number.isNaN(resetAt) && inFlight === 0) tokens = 1;
    return Math.max(budgetWait(now), windowWait(now));
  }

  // The window must reset before the next start, unless tokens are left.
  function windowWait(now: number): number {
    if (tokens > 0) return 0;
    // No reset known: a response in flight will say more (release() pumps).
    if (Number.isNaN(resetAt)) return Infinity;
    return resetAt - now;
  }

  // The budget's oldest start (when that many) must leave the minute.
  function budgetWait(now: number): number {
    const oldest = starts[0];
    if (requestsPerMinute === undefined || oldest === undefined || starts.length < requestsPerMinute) return 0;
    return oldest + MINUTE_MS - now;
  }

  function start(now: number): void {
    tokens--;
    inFlight++;
    if (requestsPerMinute !== undefined && starts.push(now) > requestsPerMinute) starts.shift();
  }

  // Starts waiting requests while nothing says to wait. Starting one only resolves a promise (its code runs later), so
  // one `now` serves the whole pass.
  function pump(): void {
    clearTimeout(timer);
    const now = Date.now();
    let ms = 0;
    while (queue.length > 0) {
      ms = wait(now);
      if (ms > 0) break;
      start(now);
      queue[0]?.();
    }
    if (ms > 0 && Number.isFinite(ms)) timer = setTimeout(pump, ms);
  }

  // Reads an answer's window: a later window (or none known) gives its budget; the same window whichever says less.
  // Requests still in flight may not be counted in X-RateLimit-Remaining yet: assume they are not.
  function learn(headers: Headers | undefined): void {
    const headerLimit = rateLimit(headers, "limit");
    const remaining = rateLimit(headers, "remaining");
    const reset = rateLimit(headers, "reset");
    if (headerLimit !== undefined && remaining !== undefined && reset !== undefined) {
      const left = remaining - inFlight;
      // Lofty's window is a minute: a reset further away is waited for as a minute from now, so that no call waits
      // for longer than one window. Windows are told apart by the reset as sent: an answer of the same window (or a
      // late one of an earlier window) can only lower the budget. A reset minutes away (a skewed clock, a fixed
      // example header) tells no window apart: each such answer is read on its own.
      const now = Date.now();
      const sentReset = reset * 1000;
      const nextResetAt = Math.min(sentReset, now + MINUTE_MS);
      limit = headerLimit;
      if (sentReset <= windowEnd) {
        tokens = Math.min(tokens, left);
        resetAt = Math.min(resetAt, nextResetAt);
        return;
      }
      tokens = left;
      resetAt = nextResetAt;
      windowEnd = sentReset > now + 2 * MINUTE_MS ? NaN : sentReset;
      return;
    }
    // The server sends no rate-limit headers: only the configured budget applies.
    if (headers && limit === undefined) tokens = Infinity;
  }

  return {
    acquire(signal) {
      // A free slot and no one waiting: start at once, without a promise (the common case, on every call).
      const now = Date.now();
      if (queue.length === 0 && !signal?.aborted && wait(now) <= 0) {
        start(now);
        return undefined;
      }
      return new Promise<void>((resolve, reject) => {
        // Leaves the queue: started by pump(), or aborted (with the abort event, or already).
        const settle = (abort?: boolean) => {
          queue.splice(queue.indexOf(settle), 1);
          signal?.removeEventListener("abort", onAbort);
          if (abort) {
            reject(new LoftyAbortError(ABORTED));
            pump();
          } else resolve();
        };
        const onAbort = () => {
          settle(true);
        };
        signal?.addEventListener("abort", onAbort);
        queue.push(settle);
        if (signal?.aborted) settle(true);
        else pump();
      });
    },
    release(headers) {
      inFlight--;
      learn(headers);
      pump();
    },
  };
}
