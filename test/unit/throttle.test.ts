// The throttle on its own (src/throttle.ts): how it reads answers of one window that arrive out of order. The throttle
// against real servers is test/reliability/rate-limit.test.ts.
import { expect, test } from "vitest";
import { LoftyAbortError } from "../../src/errors.js";
import { createThrottle } from "../../src/throttle.js";

/** Lofty's rate-limit headers for a window of 5 that ends at `resetSeconds` (epoch seconds). */
const window = (remaining: number, resetSeconds: number) =>
  new Headers({
    "X-RateLimit-Limit": "5",
    "X-RateLimit-Remaining": String(remaining),
    "X-RateLimit-Reset": String(resetSeconds),
  });

for (const [name, secondsAhead] of [
  ["a reset within the minute", 30],
  ["a reset past the minute (read as a minute from now)", 61],
] as const) {
  test(`answers of one window out of order, ${name}: a stale answer never refills the budget`, async () => {
    const throttle = createThrottle();
    const reset = Math.ceil(Date.now() / 1000) + secondsAhead;
    expect(throttle.acquire()).toBeUndefined(); // the probe
    throttle.release(window(4, reset));
    for (let call = 0; call < 4; call++) expect(throttle.acquire(), `call ${call}`).toBeUndefined();
    // The answer counted last by the server arrives first; the ones counted before it come after.
    for (const remaining of [0, 3, 2, 1]) throttle.release(window(remaining, reset));
    const controller = new AbortController();
    const next = throttle.acquire(controller.signal);
    expect(next, "the window is used up: the sixth call waits").toBeInstanceOf(Promise);
    controller.abort();
    await expect(next).rejects.toBeInstanceOf(LoftyAbortError);
  });
}

test("an answer of a later window (a later reset) gives that window's budget at once", () => {
  const throttle = createThrottle();
  const reset = Math.ceil(Date.now() / 1000) + 30;
  expect(throttle.acquire()).toBeUndefined();
  throttle.release(window(1, reset));
  expect(throttle.acquire()).toBeUndefined();
  throttle.release(window(4, reset + 60));
  for (let call = 0; call < 4; call++) expect(throttle.acquire(), `call ${call}`).toBeUndefined();
});

test("a reset minutes away (a skewed clock, the static mock's fixed example) tells no window apart: no wait", () => {
  const throttle = createThrottle();
  const fixed = Math.ceil(Date.now() / 1000) + 365 * 86_400;
  for (let call = 0; call < 150; call++) {
    expect(throttle.acquire(), `call ${call}`).toBeUndefined();
    throttle.release(window(4, fixed));
  }
});
