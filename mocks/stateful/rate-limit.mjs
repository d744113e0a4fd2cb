// Lofty's rate limit as the stateful mock keeps it: a fixed window of 60 s that opens with the first request after the
// previous one closed, `limit` requests in it (RATE_LIMIT, default 100 as Lofty's development mode), one counter for
// the whole mock (Lofty counts per app; the mock serves one). Pure: the clock is given.

/** Lofty's window (its documentation: 60 s). */
export const WINDOW_MS = 60_000;

/** Lofty's limit in development mode, the mock's default. */
export const DEFAULT_RATE_LIMIT = 100;

/**
 * @param {{ limit?: number, windowMs?: number, now?: () => number }} [options]
 */
export function createRateLimiter({ limit = DEFAULT_RATE_LIMIT, windowMs = WINDOW_MS, now = Date.now } = {}) {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`the rate limit must be an integer >= 1, not ${limit}`);
  let windowEnd = 0;
  let used = 0;

  function currentWindow() {
    const time = now();
    if (time >= windowEnd) {
      windowEnd = time + windowMs;
      used = 0;
    }
  }

  /** The X-RateLimit-* headers as they stand (Reset in UTC epoch seconds, rounded up to the window's end). */
  function headers() {
    return {
      "X-RateLimit-Limit": String(limit),
      "X-RateLimit-Remaining": String(Math.max(0, limit - used)),
      "X-RateLimit-Reset": String(Math.ceil(windowEnd / 1000)),
    };
  }

  return {
    /** Counts one request: `{ allowed, headers }`, `allowed` false once the window's requests are used up. */
    take() {
      currentWindow();
      const allowed = used < limit;
      if (allowed) used += 1;
      return { allowed, headers: headers() };
    },
    /** The headers without counting a request (for CORS preflights, which browsers send on their own). */
    peek() {
      currentWindow();
      return headers();
    },
  };
}
