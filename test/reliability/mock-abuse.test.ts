// The mock (the Prism mock of the vitest global setup, behind whatever front `mocks/` puts before it) under bad
// traffic: malformed JSON, a 1 MB body, wrong content types, 100 concurrent connections and 100 idle ones. It answers
// 4xx (or, for a valid body, 200), never 5xx, never drops a connection, and keeps serving.
import { request } from "node:http";
import { connect, type Socket } from "node:net";
import { describe, expect, inject, test } from "vitest";
import { createLoftyClient } from "../../src/index.js";
import { guardSuite, settle, TOKEN } from "./harness.js";

guardSuite();

const mockUrl = new URL(inject("mockUrl"));
const path = "/v2.0/calendar";
const valid = JSON.stringify({
  type: "TASK",
  content: "Follow up with client about property",
  leadId: 563172647619608,
  timeZoneCode: "America/Los_Angeles",
  startAt: "2026-03-01T14:00:00-08:00",
  endAt: "2026-03-01T15:00:00-08:00",
  taskWay: "Call",
  assignedRole: "Agent",
});

interface Answer {
  status: number;
  contentType: string | undefined;
  body: string;
}

/** One POST on a connection of its own (no keep-alive pool), bounded in time. */
function post(
  body: string | Buffer,
  headers: Record<string, string> = { "Content-Type": "application/json" },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: mockUrl.hostname,
        port: mockUrl.port,
        path,
        method: "POST",
        agent: false,
        headers: { Authorization: "Bearer x", "Content-Length": String(Buffer.byteLength(body)), ...headers },
        timeout: 20_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers["content-type"],
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("no answer within 20 s")));
    req.on("error", reject);
    req.end(body);
  });
}

async function expectStillServing() {
  const answer = await post(valid);
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.body)).toMatchObject({ data: { type: "TASK" } });
}

describe("the mock under bad traffic", () => {
  test("malformed JSON: 400 (Prism's own invalid_json body, not Lofty's Error shape), then still serving", async () => {
    for (const body of ['{"type":"TASK",', "{'type':'TASK'}", "\u0000\u00ff", "[1,2", '{"type":"TASK"}}']) {
      const answer = await post(body);
      expect(answer.status, body).toBe(400);
      expect(answer.contentType).toMatch(/^application\/json/);
      // Prism answers an unparsable body itself: {"error":{"code":"invalid_json",...}} (not in the spec).
      expect(JSON.parse(answer.body)).toMatchObject({ error: { code: "invalid_json" } });
    }
    await expectStillServing();
  });

  test("a 1 MB body: 400 when it is not JSON; 200 when it is a valid event (the spec sets no maximum length)", async () => {
    const junk = await post(Buffer.alloc(1 << 20, "x"));
    expect(junk.status).toBe(400);
    const big = await post(JSON.stringify({ ...JSON.parse(valid), content: "é".repeat(1 << 19) }));
    expect(big.status).toBe(200);
    expect(JSON.parse(big.body)).toMatchObject({ data: { type: "TASK" } });
    await expectStillServing();
  });

  test("a wrong content type (text/plain, XML, form, none): 400 INVALID_PARAMETER, then still serving", async () => {
    for (const contentType of ["text/plain", "application/xml", "application/x-www-form-urlencoded", undefined]) {
      const answer = await post(
        contentType === "application/xml" ? "<task/>" : valid,
        contentType ? { "Content-Type": contentType } : {},
      );
      expect(answer.status, contentType).toBe(400);
      expect(JSON.parse(answer.body), contentType).toEqual({ code: "INVALID_PARAMETER", message: "Invalid parameter" });
    }
    await expectStillServing();
  });

  test("100 concurrent connections (half valid, half malformed): each answered 200 or 400, none dropped, none 5xx", async () => {
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => post(i % 2 ? valid : '{"broken":')));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status, i) => status !== (i % 2 ? 200 : 400))).toEqual([]);
    console.info(
      `[reliability] mock: 100 concurrent connections answered in ${Math.round(performance.now() - started)} ms`,
    );
    await expectStillServing();
  });

  test("100 idle connections held open (one with half its headers sent): a valid request still gets 200", async () => {
    const sockets: Socket[] = [];
    try {
      for (let i = 0; i < 100; i++) {
        const socket = connect(Number(mockUrl.port), mockUrl.hostname);
        socket.on("error", () => {});
        sockets.push(socket);
      }
      await Promise.all(sockets.map((socket) => new Promise((resolve) => socket.once("connect", resolve))));
      sockets[0]!.write(`POST ${path} HTTP/1.1\r\nHost: ${mockUrl.host}\r\nContent-Length: 100\r\n`);
      sockets[1]!.write(
        `POST ${path} HTTP/1.1\r\nHost: ${mockUrl.host}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"ty`,
      );
      await expectStillServing();
    } finally {
      for (const socket of sockets) socket.destroy();
    }
    await expectStillServing();
  });

  test("the SDK still creates an event on the mock afterwards (and its token shows in no error or log)", async () => {
    const lofty = createLoftyClient({ accessToken: TOKEN, baseUrl: mockUrl.origin });
    const { value, error } = await settle(() =>
      lofty.calendar.create({
        type: "TASK",
        content: "after the abuse",
        leadId: "563172647619608",
        timeZoneCode: "America/Los_Angeles",
        start: "2026-03-01T14:00",
        end: "2026-03-01T15:00",
        taskWay: "Call",
      }),
    );
    expect(error).toBeUndefined();
    expect(value).toMatchObject({ type: "TASK" });
  });
});
