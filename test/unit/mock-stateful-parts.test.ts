// The stateful mock's pure parts with a clock of their own: what the HTTP tests (test/contract/mock-stateful.test.ts)
// cannot wait for or reach: a rate-limit window ending, slots on a day with a DST change, the store's "later than
// now" rule against a given clock, and a save that fails.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { loadState, saveState } from "../../mocks/stateful/persistence.mjs";
import { createRateLimiter } from "../../mocks/stateful/rate-limit.mjs";
import { storeRules } from "../../mocks/stateful/rules.mjs";
import { loadSpec } from "../../mocks/stateful/spec.mjs";
import { createStore, Refusal, slotsBetween } from "../../mocks/stateful/store.mjs";
import { formatInZone, instantOfWallClock } from "../../mocks/stateful/time.mjs";

const rules = storeRules(loadSpec());

describe("rate limiter", () => {
  test("a window of 60 s opens with the first request; the count starts again once it has ended", () => {
    let now = 1_800_000_000_000;
    const limiter = createRateLimiter({ limit: 2, now: () => now });
    const first = limiter.take();
    expect(first).toEqual({
      allowed: true,
      headers: { "X-RateLimit-Limit": "2", "X-RateLimit-Remaining": "1", "X-RateLimit-Reset": "1800000060" },
    });
    now += 30_000;
    expect(limiter.take().allowed).toBe(true);
    expect(limiter.take()).toMatchObject({ allowed: false, headers: { "X-RateLimit-Remaining": "0" } });
    expect(limiter.peek()["X-RateLimit-Remaining"]).toBe("0");
    now += 30_000; // the window's end
    expect(limiter.take()).toMatchObject({
      allowed: true,
      headers: { "X-RateLimit-Remaining": "1", "X-RateLimit-Reset": "1800000120" },
    });
  });

  test("a limit that is not a whole number >= 1 is refused", () => {
    expect(() => createRateLimiter({ limit: 0 })).toThrow(/integer >= 1/);
    expect(() => createRateLimiter({ limit: 1.5 })).toThrow(/integer >= 1/);
  });
});

describe("slots", () => {
  test("09:00 to 17:00 on the wall clock, also on the day clocks spring forward (America/Los_Angeles)", () => {
    const zone = "America/Los_Angeles";
    const day = instantOfWallClock({ year: 2027, month: 3, day: 14 }, zone);
    const slots = slotsBetween(day, day + 24 * 3_600_000, zone);
    expect(slots).toHaveLength(16);
    expect(formatInZone(slots[0]!.start, zone)).toBe("2027-03-14T09:00:00-07:00");
    expect(formatInZone(slots.at(-1)!.end, zone)).toBe("2027-03-14T17:00:00-07:00");
  });

  test("a zone with a half-hour offset, and a range across midnight", () => {
    const zone = "Asia/Kolkata";
    const from = instantOfWallClock({ year: 2027, month: 6, day: 1, hour: 16 }, zone);
    const to = instantOfWallClock({ year: 2027, month: 6, day: 2, hour: 10 }, zone);
    expect(slotsBetween(from, to, zone).map((slot) => formatInZone(slot.start, zone))).toEqual([
      "2027-06-01T16:00:00+05:30",
      "2027-06-01T16:30:00+05:30",
      "2027-06-02T09:00:00+05:30",
      "2027-06-02T09:30:00+05:30",
    ]);
  });
});

describe("store", () => {
  test("'later than now' is judged by the clock it is given", () => {
    let now = Date.parse("2030-01-01T00:00:00Z");
    const store = createStore({ rules, now: () => now });
    const event = {
      type: "TASK",
      content: "x",
      leadId: 1,
      timeZoneCode: "UTC",
      startAt: "2030-01-02T10:00:00Z",
      endAt: "2030-01-02T11:00:00Z",
      taskWay: "Call",
    };
    expect(store.create(event)).toMatchObject({ id: "100001-task" });
    now = Date.parse("2030-01-02T10:00:00Z");
    expect(() => store.create(event)).toThrow(Refusal);
    expect(() => store.update("100001-task", { startAt: "2030-01-02T09:00:00Z" })).toThrow(/not later than now/);
  });

  test("a state carries on from its next id, and every field of a list item is filled", () => {
    const store = createStore({ rules, state: { nextId: 500, events: [] }, now: () => 0 });
    const { id } = store.create({
      type: "APPOINTMENT",
      content: "Viewing",
      leadId: 7,
      timeZoneCode: "Europe/Paris",
      startAtMs: 1_900_000_000_000,
      endAtMs: 1_900_000_000_000 + 3_600_000,
    });
    expect(id).toBe("500-appointment");
    const [item] = store.list({ startTimeMs: "0" }).items;
    expect(Object.keys(item!)).toEqual(rules.itemFields);
    expect(Object.values(item!).every((value) => value !== undefined)).toBe(true);
    expect(store.snapshot().nextId).toBe(501);
  });
});

describe("persistence", () => {
  const dir = mkdtempSync(join(tmpdir(), "lofty-mock-persistence-"));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test("save then load gives the state back; a missing file is no state", () => {
    const file = join(dir, "state.json");
    expect(loadState(file)).toBeUndefined();
    const events = [{ id: "7-task", taskId: 7 }];
    saveState(file, { nextId: 8, events });
    expect(loadState(file)).toEqual({ nextId: 8, events });
    expect(readdirSync(dir)).toEqual(["state.json"]);
  });

  test("ids are never handed out twice, even when a hand-edited file says a lower next id", () => {
    const file = join(dir, "edited.json");
    saveState(file, { nextId: 3, events: [{ id: "9-task", taskId: 9 }] });
    expect(loadState(file)?.nextId).toBe(10);
  });

  test("a save that cannot be written says so, and leaves no temporary file behind", () => {
    const file = join(dir, "missing-dir", "state.json");
    expect(() => {
      saveState(file, { nextId: 1, events: [] });
    }).toThrow(/MOCK_STATE: cannot save .*missing-dir/);
    expect(readdirSync(dir).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });
});
