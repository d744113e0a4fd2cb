// `npm run bench`: figures, not assertions. Each row is a ratio measured side by side in one run, with its inputs.
// Runs against dist/ (built by `npm run bench`), local servers on 127.0.0.1 only, bounded in time and count.
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { cpus, totalmem } from "node:os";
import createClient from "openapi-fetch";
import { Bench } from "tinybench";
import { Temporal } from "temporal-polyfill";
import { createLoftyClient, normalizeEventTimes } from "../dist/src/index.js";
import { freePort } from "../mocks/prism.mjs";

const rows = [];
const ms = (value) => `${value.toFixed(value < 0.1 ? 4 : 3)} ms`;
const mean = (bench, name) => bench.tasks.find((task) => task.name === name).result.latency.mean;

// 1. calendar.create vs a bare openapi-fetch POST vs raw fetch: the same body, the same keep-alive loopback server.
{
  const reply = Buffer.from(
    JSON.stringify({ data: { id: "12345-task", type: "TASK", message: "Task created successfully" } }),
  );
  const server = createServer((request, response) => {
    request
      .resume()
      .on("end", () =>
        response.writeHead(200, { "Content-Type": "application/json", "Content-Length": reply.length }).end(reply),
      );
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const baseUrl = `http://127.0.0.1:${server.address().port}`;
  const input = {
    type: "TASK",
    content: "Follow up",
    leadId: 563172647619608,
    timeZoneCode: "America/Los_Angeles",
    start: "2026-03-01T14:00",
    end: "2026-03-01T15:00",
    taskWay: "Call",
  };
  const wire = {
    type: "TASK",
    content: "Follow up",
    leadId: 563172647619608,
    timeZoneCode: "America/Los_Angeles",
    startAt: "2026-03-01T14:00:00-08:00",
    startAtMs: 1772402400000,
    endAt: "2026-03-01T15:00:00-08:00",
    endAtMs: 1772406000000,
    taskWay: "Call",
  };
  const lofty = createLoftyClient({ accessToken: "bench-token", baseUrl });
  const bare = createClient({ baseUrl });
  const headers = { Authorization: "Bearer bench-token", "Content-Type": "application/json" };
  const tasks = {
    "raw fetch": async () =>
      (await fetch(`${baseUrl}/v2.0/calendar`, { method: "POST", headers, body: JSON.stringify(wire) })).json(),
    "openapi-fetch POST": () => bare.POST("/v2.0/calendar", { body: wire, headers }),
    "calendar.create": () => lofty.calendar.create(input),
  };
  // Loopback timings drift with GC, timers and connection reuse: 24 short rounds in rotating order, each task's median
  // latency per round, and the median of the rounds' ratios.
  const rounds = [];
  for (let round = 0; round < 24; round++) {
    const bench = new Bench({ time: 200, warmupTime: 50 });
    const names = Object.keys(tasks);
    for (const name of [...names.slice(round % 3), ...names.slice(0, round % 3)]) bench.add(name, tasks[name]);
    await bench.run();
    rounds.push(names.map((name) => bench.tasks.find((task) => task.name === name).result.latency));
  }
  server.close();
  const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const [raw, plain, create] = [0, 1, 2].map((i) => median(rounds.map((r) => r[i].p50)));
  const ratio = median(rounds.map((r) => r[2].p50 / r[1].p50));
  // Means include GC pauses and timer noise: shown beside, so the choice of statistic hides nothing.
  const meanRatio = median(rounds.map((r) => r[2].mean / r[1].mean));
  rows.push([
    "calendar.create / openapi-fetch POST",
    ratio.toFixed(3),
    "<= 1.10",
    `median of 24 rounds' median latencies: ${ms(create)} vs ${ms(plain)} (raw fetch ${ms(raw)}) per call, loopback keep-alive; by means ${meanRatio.toFixed(3)}`,
  ]);
}

// 2. normalizeEventTimes for a wall-clock input vs temporal-polyfill doing the same conversion.
{
  const zones = ["America/Los_Angeles", "Europe/Berlin", "Asia/Kolkata", "Australia/Lord_Howe", "America/Sao_Paulo"];
  const walls = Array.from(
    { length: 64 },
    (_, i) =>
      `20${26 + (i % 10)}-${String((i % 12) + 1).padStart(2, "0")}-${String((i % 27) + 1).padStart(2, "0")}T${String(i % 24).padStart(2, "0")}:30`,
  );
  let i = 0;
  const bench = new Bench({ time: 2_000, warmupTime: 300 });
  bench
    .add("normalizeEventTimes", () => {
      i++;
      return normalizeEventTimes({ timeZoneCode: zones[i % 5], start: walls[i % 64] });
    })
    .add("temporal-polyfill", () => {
      i++;
      const zoned = Temporal.PlainDateTime.from(walls[i % 64]).toZonedDateTime(zones[i % 5]);
      return { startAt: zoned.toString({ timeZoneName: "never" }), startAtMs: zoned.epochMilliseconds };
    });
  await bench.run();
  const [ours, temporal] = ["normalizeEventTimes", "temporal-polyfill"].map((name) => mean(bench, name));
  rows.push([
    "temporal-polyfill / normalizeEventTimes",
    (temporal / ours).toFixed(2),
    ">= 2",
    `${ms(ours)} vs ${ms(temporal)} per wall-clock conversion (5 zones, 64 times)`,
  ]);
}

// 3. Both mocks as users start them: `npm start` and `npm run mock:stateful` spawned as npm scripts, timed from the
// spawn to the first 200 of a create (median of 3 starts each), then their throughput against a bare Node server
// answering the same bytes. Each mock runs in its own process group, ended by its pid when measured.
{
  const body = () => {
    // A start an hour ahead: the stateful mock, like Lofty, refuses times that are not later than now.
    const start = Date.now() + 3_600_000;
    return JSON.stringify({
      type: "TASK",
      content: "x",
      leadId: 1,
      timeZoneCode: "UTC",
      startAtMs: start,
      endAtMs: start + 3_600_000,
      taskWay: "Call",
    });
  };
  const post = (url) =>
    fetch(`${url}/v2.0/calendar`, {
      method: "POST",
      headers: { Authorization: "Bearer x", "Content-Type": "application/json" },
      body: body(),
    });

  /** Spawns `npm run <script>` on a free port; resolves once a create answers 200, with the milliseconds it took. */
  async function spawnMock(script) {
    const port = await freePort();
    const started = performance.now();
    // RATE_LIMIT: the throughput run sends 2,000 requests in well under a minute.
    const child = spawn("npm", ["run", "--silent", script], {
      env: { ...process.env, PORT: String(port), RATE_LIMIT: "1000000" },
      stdio: "ignore",
      detached: true,
    });
    const url = `http://127.0.0.1:${port}`;
    for (;;) {
      const status = await post(url).then(
        async (response) => {
          await response.arrayBuffer();
          return response.status;
        },
        () => 0,
      );
      if (status === 200) break;
      if (performance.now() - started > 30_000) throw new Error(`npm run ${script}: no 200 within 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const stop = async () => {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      process.kill(-child.pid, "SIGTERM");
      await exited;
    };
    return { url, startupMs: performance.now() - started, stop };
  }

  const throughput = async (url, requests = 2_000, concurrency = 16) => {
    let sent = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (sent < requests) {
          sent++;
          const response = await post(url);
          if (response.status !== 200) throw new Error(`status ${response.status}`);
          await response.arrayBuffer();
        }
      }),
    );
    return requests / ((performance.now() - started) / 1000);
  };

  const mocks = [
    { name: "npm start", script: "start" },
    { name: "npm run mock:stateful", script: "mock:stateful" },
  ];
  let reply;
  for (const mock of mocks) {
    const startups = [];
    for (let run = 0; run < 3; run++) {
      const running = await spawnMock(mock.script);
      startups.push(running.startupMs);
      if (run < 2) await running.stop();
      else mock.running = running;
    }
    mock.startups = startups.sort((a, b) => a - b);
    reply ??= Buffer.from(await (await post(mock.running.url)).arrayBuffer());
    mock.rate = await throughput(mock.running.url);
    await mock.running.stop();
  }
  const bare = createServer((request, response) =>
    request
      .resume()
      .on("end", () =>
        response.writeHead(200, { "Content-Type": "application/json", "Content-Length": reply.length }).end(reply),
      ),
  );
  await new Promise((resolve) => bare.listen(0, "127.0.0.1", resolve));
  const bareRate = await throughput(`http://127.0.0.1:${bare.address().port}`);
  bare.close();
  for (const mock of mocks) {
    rows.push([
      `${mock.name}: spawn to first 200`,
      `${(mock.startups[1] / 1000).toFixed(2)} s`,
      "<= 1.5 s",
      `median of 3 (${mock.startups.map((t) => (t / 1000).toFixed(2)).join(", ")} s), as a user starts it`,
    ]);
    rows.push([
      `${mock.name}: throughput / bare Node server`,
      (mock.rate / bareRate).toFixed(3),
      "figure",
      `${mock.rate.toFixed(0)} vs ${bareRate.toFixed(0)} req/s (2,000 creates, 16 in flight)`,
    ]);
  }
}

const machine = `${cpus().length} cores (${cpus()[0]?.model.trim()}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
console.log(`lofty-calendar bench on ${machine}\n`);
const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length), ["what", "ratio", "goal"][c].length));
console.log(
  `| ${"what".padEnd(widths[0])} | ${"ratio".padEnd(widths[1])} | ${"goal".padEnd(widths[2])} | measured from |`,
);
console.log(`| ${"-".repeat(widths[0])} | ${"-".repeat(widths[1])} | ${"-".repeat(widths[2])} | --- |`);
for (const row of rows)
  console.log(
    `| ${row[0].padEnd(widths[0])} | ${row[1].padEnd(widths[1])} | ${row[2].padEnd(widths[2])} | ${row[3]} |`,
  );
