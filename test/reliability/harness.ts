// Shared checks of the reliability suite: the secrets, the errors thrown (all scanned for the secrets at the end of
// each file), unhandled rejections and the timers a call leaves running.
import { createHook } from "node:async_hooks";
import { inspect } from "node:util";
import { afterAll, beforeAll, expect, vi, type MockInstance } from "vitest";
import { LoftyError } from "../../src/index.js";

/** The secrets of the suite: they must be sent, and must never show in an error, a log line or an inspect output. */
export const TOKEN = "sk-live-RELIABILITY-TOKEN-7f3a9c21d4e8b605";
export const API_KEY = "jws.RELIABILITY-API-KEY.5b2e8d1c4a7f9036";

/** Every error the SDK threw in this file (scanned for the secrets in afterAll). */
export const thrown: unknown[] = [];
/** Anything else that must not contain a secret (e.g. inspect output of a client). */
export const exposedElsewhere: string[] = [];

/** Ref'd timers (setTimeout/setInterval) alive now; unref'd ones (undici's, the http server's) are not listed. */
export const activeTimeouts = () =>
  process.getActiveResourcesInfo().filter((resource) => resource === "Timeout").length;

// The count above also moves with vitest's own short-lived timers (one exists when a test starts and fires soon
// after), which could hide a leaked timer. So timers are also tracked exactly: every Timeout created from the SDK's
// sources (seen in the stack at creation) until it fires or is cleared.
const sdkTimers = new Map<number, NodeJS.Timeout>();
const SDK_SOURCE = /[\\/]src[\\/][a-z]+\.ts/;
const timerHook = createHook({
  init(id, type, _trigger, resource) {
    if (type === "Timeout" && SDK_SOURCE.test(new Error().stack ?? "")) sdkTimers.set(id, resource as NodeJS.Timeout);
  },
  destroy(id) {
    sdkTimers.delete(id);
  },
});

/** The ids of the ref'd timers the SDK created that have neither fired nor been cleared. */
export const pendingSdkTimers = () =>
  // `_destroyed` is set synchronously when a timer fires or is cleared; the destroy hook only runs a macrotask later.
  [...sdkTimers]
    .filter(([, timer]) => timer.hasRef() && !(timer as unknown as { _destroyed: boolean })._destroyed)
    .map(([id]) => id);

const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

export type Outcome<T> = { value: T; error?: undefined } | { value?: undefined; error: LoftyError };

/**
 * Runs one SDK call and returns its value or its error, checking that it left no timer running: the count of ref'd
 * timers after it settles is not higher than before it started (`allowance`: timers the test itself started meanwhile).
 */
export async function settle<T>(call: () => Promise<T>, allowance = 0): Promise<Outcome<T>> {
  const before = activeTimeouts();
  const sdkBefore = new Set(pendingSdkTimers());
  const outcome = await call().then(
    (value): Outcome<T> => ({ value }),
    (error: unknown): Outcome<T> => {
      thrown.push(error);
      return { error: error as LoftyError };
    },
  );
  await macrotask();
  expect(activeTimeouts(), "a timer was left running").toBeLessThanOrEqual(before + allowance);
  expect(
    pendingSdkTimers().filter((id) => !sdkBefore.has(id)),
    "an SDK timer was left running",
  ).toEqual([]);
  if (outcome.error) expect(outcome.error, String(outcome.error)).toBeInstanceOf(LoftyError);
  return outcome;
}

/** Everything an error exposes, down its cause chain: String, stack, JSON and inspect (hidden properties too). */
export function exposed(error: unknown): string {
  let text = "";
  for (let e = error as { cause?: unknown } | undefined, depth = 0; e && depth < 6; e = e.cause as typeof e, depth++) {
    let json: string;
    try {
      json = JSON.stringify(e, (_key, value: unknown) => (typeof value === "bigint" ? String(value) : value));
    } catch (cause) {
      json = `(not JSON: ${String(cause)})`;
    }
    text += `${String(e)}\n${(e as Error).stack ?? ""}\n${json}\n${inspect(e, { depth: 10, showHidden: true })}\n`;
  }
  return text;
}

const consoleMethods = ["log", "info", "warn", "error", "debug", "trace"] as const;

/**
 * Registers the suite-wide checks of one test file: a process 'unhandledRejection' listener that must see nothing,
 * console spies (calling through, so the figures still print) whose every line is scanned, and the scan of every
 * error in `thrown` for the token and the API key.
 */
export function guardSuite(): void {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);
  const spies: MockInstance[] = [];
  beforeAll(() => {
    timerHook.enable();
    process.on("unhandledRejection", onUnhandled);
    for (const method of consoleMethods) spies.push(vi.spyOn(console, method));
  });
  afterAll(() => {
    timerHook.disable();
    process.off("unhandledRejection", onUnhandled);
    const logged = spies.flatMap((spy) =>
      spy.mock.calls.map((args) => args.map((a) => inspect(a, { depth: 10 })).join(" ")),
    );
    for (const spy of spies) spy.mockRestore();
    expect(unhandled.map(String), "unhandled rejections").toEqual([]);
    const redact = (text: string) => text.replaceAll(TOKEN, "<TOKEN>").replaceAll(API_KEY, "<API_KEY>").slice(0, 300);
    for (const [i, error] of thrown.entries()) {
      const text = exposed(error);
      expect(text.includes(TOKEN) || text.includes(API_KEY), `error #${i} exposes a secret: ${redact(text)}`).toBe(
        false,
      );
    }
    for (const text of [...logged, ...exposedElsewhere]) {
      expect(text.includes(TOKEN) || text.includes(API_KEY), `exposes a secret: ${redact(text)}`).toBe(false);
    }
  });
}
