// The SDK against the stateful mock (mocks/stateful: the real Prism proxy in front of the in-memory store): an event's
// whole life through calendar.create, listAll, update, finish, unfinish and delete, and Lofty's refusals as typed
// errors. Every request passes Prism's check of the spec, and so does every answer the store gives.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startStatefulMock } from "../../mocks/stateful/index.mjs";
import { createLoftyClient, LoftyBadRequestError, type CalendarItem, type LoftyClient } from "../../src/index.js";

const HOUR = 3_600_000;
// Whole seconds some days ahead: the mock refuses times not later than now.
const base = Math.ceil((Date.now() + 5 * 24 * HOUR) / 1000) * 1000;
const leadId = 9_007_199_254_740_000n; // below 2^53: Prism reads int64 as at most 2^53 - 1

let mock: Awaited<ReturnType<typeof startStatefulMock>>;
let lofty: LoftyClient;

beforeAll(async () => {
  mock = await startStatefulMock({ rateLimit: 10_000, log: () => {} });
  lofty = createLoftyClient({ accessToken: "sdk-stateful-token", baseUrl: mock.url, maxRetries: 0 });
}, 30_000);
afterAll(() => mock.stop());

async function itemsOfLead(includeFinished = false): Promise<CalendarItem[]> {
  const items: CalendarItem[] = [];
  for await (const item of lofty.calendar.listAll({ leadId, start: base - HOUR, includeFinished })) items.push(item);
  return items;
}

describe("the SDK against the stateful mock", () => {
  test("create, then listAll finds it; update changes it; finish hides it; unfinish shows it; delete removes it", async () => {
    const event = await lofty.calendar.create({
      type: "TASK",
      content: "Call about the offer",
      leadId,
      timeZoneCode: "America/Los_Angeles",
      start: base,
      end: base + HOUR,
      taskWay: "Call",
    });
    expect(event).toMatchObject({ type: "TASK", id: expect.stringMatching(/^\d+-task$/) });

    const [listed] = await itemsOfLead();
    expect(listed).toMatchObject({
      id: event.id,
      type: "TASK",
      content: "Call about the offer",
      leadId: String(leadId), // every digit, as a string
      taskId: event.id.split("-")[0],
      startAtMs: base,
      endAtMs: base + HOUR,
      finished: false,
    });

    await expect(
      lofty.calendar.update(event.id, { content: "Call about the new offer", end: base + 2 * HOUR }),
    ).resolves.toMatchObject({ message: expect.any(String) });
    const [updated] = await itemsOfLead();
    expect(updated).toMatchObject({ content: "Call about the new offer", startAtMs: base, endAtMs: base + 2 * HOUR });

    await lofty.calendar.finish(event.id);
    expect(await itemsOfLead()).toEqual([]);
    expect((await itemsOfLead(true)).map((item) => [item.id, item.finished])).toEqual([[event.id, true]]);
    await lofty.calendar.unfinish(event.id);
    expect((await itemsOfLead()).map((item) => item.id)).toEqual([event.id]);

    await lofty.calendar.delete(event.id);
    expect(await itemsOfLead(true)).toEqual([]);
    const gone = await lofty.calendar.finish(event.id).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(LoftyBadRequestError);
    expect(gone).toMatchObject({ status: 400, code: 20012, mayHaveBeenCreated: false });
  });

  test("listAll pages through more items than one page holds", async () => {
    const lead = 4242;
    for (let i = 0; i < 5; i++) {
      await lofty.calendar.create({
        type: "APPOINTMENT",
        content: `showing ${i}`,
        leadId: lead,
        timeZoneCode: "UTC",
        start: base + i * HOUR,
        end: base + i * HOUR + HOUR / 2,
      });
    }
    const contents: string[] = [];
    for await (const item of lofty.calendar.listAll({ leadId: lead, start: base - HOUR, pageSize: 2 })) {
      contents.push(item.content ?? "");
    }
    expect(contents.sort()).toEqual(["showing 0", "showing 1", "showing 2", "showing 3", "showing 4"]);
  });

  test("available meetings skip a stored event", async () => {
    const day = new Date(base + 2 * 24 * HOUR).toISOString().slice(0, 10);
    await lofty.calendar.create({
      type: "APPOINTMENT",
      content: "busy",
      leadId: 77,
      timeZoneCode: "UTC",
      start: `${day}T10:00`,
      end: `${day}T11:00`,
    });
    const free = await lofty.calendar.availableMeetings({
      start: `${day}T09:00`,
      end: `${day}T12:00`,
      timeZoneCode: "UTC",
    });
    expect(free.slots.length).toBeGreaterThan(0);
    const busyFrom = Date.parse(`${day}T10:00:00Z`);
    for (const slot of free.slots) {
      const clear = slot.endTimeMs! <= busyFrom || slot.startTimeMs! >= busyFrom + HOUR;
      expect(clear, JSON.stringify(slot)).toBe(true);
    }
  });

  test("Lofty's refusals: a past start, a malformed id (refused by the SDK itself, nothing sent)", async () => {
    const past = await lofty.calendar
      .create({
        type: "APPOINTMENT",
        content: "too late",
        leadId: 1,
        timeZoneCode: "UTC",
        start: Date.now() - HOUR,
        end: Date.now(),
      })
      .catch((e: unknown) => e);
    expect(past).toMatchObject({ name: "LoftyBadRequestError", status: 400, code: 20012, mayHaveBeenCreated: false });
    const malformed = await lofty.calendar.delete("12-meeting").catch((e: unknown) => e);
    expect(malformed).toMatchObject({ name: "LoftyValidationError", issues: [{ path: "calendarId" }] });
  });
});
