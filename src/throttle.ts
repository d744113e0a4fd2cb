// Client-side rate limiting: queue requests to stay inside Lofty's window instead of bursting into 429s.
import { LoftyAbortError, rateLimit } from "./errors.js";

/** Waits for a slot before each request and learns the window from each response's X-RateLimit-* headers. */
export interface Throttle {
  /** Returns at once when a request may start now, else a promise of it; rejects with LoftyAbortError if `signal` fires first. */
  acquire(signal?: AbortSignal | null): Promise<void> | void;
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

/** A throttle that lets one request probe the limits, then follows X-RateLimit-Remaining and -Reset. */
export function createThrottle({ requestsPerMinute: perMinute }: ThrottleOptions = {}): Throttle {
  let tokens = 1; // one probe until a response tells the window
  let limit: number | undefined; // undefined: no rate-limit headers seen yet (or the server sends none)
  let resetAt = NaN; // NaN: no reset to wait for
  let inFlight = 0;
  const starts: number[] = []; // with requestsPerMinute, the start times of the last ones (ceil(perMinute) of them)
  const queue: ((abort?: unknown) => void)[] = []; // called with nothing to start a waiting request
  let timer: ReturnType<typeof setTimeout> | undefined;

  // Milliseconds until the next request may start (<= 0: now), refreshing the budget first.
  function wait(now: number): number {
    // The server's window is over (resetAt is a number only once headers set `limit`): a full budget until the next
    // response says otherwise.
    if (now >= resetAt) {
      tokens = limit! - inFlight;
      resetAt = NaN;
    }
    // No reset to wait for and nothing in flight (the first request, or answers without X-RateLimit-* since the last
    // reset, e.g. a gateway's 502s or refused connections): no answer can refill the window, so one probes it.
    if (tokens <= 0 && resetAt != resetAt && !inFlight) tokens = 1;
    // The budget's oldest start (when that many) must leave the minute, or the window must reset; with no reset known
    // (NaN), a response in flight will say more (release() pumps).
    return Math.max(
      perMinute && starts.length >= perMinute ? starts[0]! + 60_000 - now : 0,
      tokens > 0 ? 0 : resetAt - now,
    );
  }

  function start(now: number): void {
    tokens--;
    inFlight++;
    if (perMinute && starts.push(now) > perMinute) starts.shift();
  }

  // Starts waiting requests while nothing says to wait. Starting one only resolves a promise (its code runs later), so
  // one `now` serves the whole pass.
  function pump(): void {
    clearTimeout(timer);
    const now = Date.now();
    let ms: number | undefined;
    while (queue.length && (ms = wait(now)) <= 0) {
      start(now);
      queue[0]!();
    }
    if (ms! > 0) timer = setTimeout(pump, ms);
  }

  return {
    acquire(signal) {
      // A free slot and no one waiting: start at once, without a promise (the common case, on every call).
      const now = Date.now();
      if (!queue.length && !signal?.aborted && wait(now) <= 0) return start(now);
      return new Promise<void>((resolve, reject) => {
        // Leaves the queue: started by pump(), or aborted (with the abort event, or already).
        const settle = (abort?: unknown) => {
          queue.splice(queue.indexOf(settle), 1);
          signal?.removeEventListener("abort", settle);
          if (abort) {
            reject(new LoftyAbortError(ABORTED));
            pump();
          } else resolve();
        };
        signal?.addEventListener("abort", settle);
        queue.push(settle);
        if (signal?.aborted) settle(1);
        else pump();
      });
    },
    release(headers) {
      inFlight--;
      let [headerLimit, left, reset] = ["limit", "remaining", "reset"].map((name) => rateLimit(headers, name)) as [
        number,
        number,
        number,
      ];
      // Requests still in flight may not be counted in X-RateLimit-Remaining yet: assume they are not.
      if ([headerLimit, (left -= inFlight), (reset *= 1000)].every(isFinite)) {
        limit = headerLimit;
        // A later window (or none known): its budget; the same window: whichever says less.
        tokens = reset <= resetAt ? Math.min(tokens, left) : left;
        resetAt = reset;
      } else if (headers) {
        // The server sends no rate-limit headers: only the configured budget applies.
        limit ?? (tokens = Infinity);
      }
      pump();
    },
  };
}
