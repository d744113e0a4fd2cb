#!/usr/bin/env node
// `npm start`, `npm run mock:dynamic`, `npm run mock:proxy -- <upstream-url>`, `npm run mock:stateful`, and the
// package's bin `npx lofty-calendar-mock [--stateful] [--port <n>]`: serves the
// spec on 127.0.0.1:$PORT (default 4010) until Ctrl+C, then stops everything it started (the fronts and the store
// in this process, Prism by its pid).
//   (no flag)        static mock: the spec's examples, `Prefer` picks a scenario
//   --dynamic        generated answers, repeatable: seed from $SEED (default "lofty-calendar")
//   --proxy <url>    Prism's validation proxy: forwards to <url> and checks both directions against the spec
//   --stateful       a working calendar: Prism's validation proxy in front of an in-memory store (mocks/stateful/)
//   --port <n>       the port (else $PORT, else 4010)
// PRISM_LOG_LEVEL (default "warn": a few lines per rejected request, saying why) sets Prism's log level.
// MOCK_STATE=<file> keeps the stateful mock's events in that file; RATE_LIMIT (default 100) is its limit a minute.
import { readFileSync } from "node:fs";
import { defaultSeed, prismEntry, specFile, staleSpecWarning, startPrism } from "./prism.mjs";

const usage =
  "usage: lofty-calendar-mock [--dynamic | --proxy <upstream-url> | --stateful] [--port <n>]\n" +
  "  env: PORT, SEED (--dynamic), PRISM_LOG_LEVEL, MOCK_STATE and RATE_LIMIT (--stateful)";

/** The value of `--name <value>` or `--name=<value>`, and the arguments it took; undefined when absent. */
function valueOption(argv, name) {
  const at = argv.findIndex((arg) => arg === name || arg.startsWith(`${name}=`));
  if (at < 0) return undefined;
  if (argv[at].includes("=")) return { value: argv[at].slice(name.length + 1), taken: [at] };
  return { value: argv[at + 1], taken: [at, at + 1] };
}

/** The command line and environment, checked: `{ mode, port, upstream, seed, verbose, stateFile, rateLimit }`. */
function parseArguments(argv, env) {
  const taken = new Set();
  const flag = (name) => {
    const at = argv.indexOf(name);
    if (at >= 0) taken.add(at);
    return at >= 0;
  };
  const dynamic = flag("--dynamic");
  const stateful = flag("--stateful");
  const proxy = valueOption(argv, "--proxy");
  const portOption = valueOption(argv, "--port");
  for (const option of [proxy, portOption]) for (const at of option?.taken ?? []) taken.add(at);

  if (portOption && portOption.value === undefined) fail(`--port needs a number, e.g. --port 4011\n${usage}`);
  const unknown = argv.filter((_, i) => !taken.has(i));
  if (unknown.length > 0) fail(`unknown argument ${unknown.join(" ")}\n${usage}`);
  if ([dynamic, stateful, proxy !== undefined].filter(Boolean).length > 1) {
    fail(`--dynamic, --proxy and --stateful exclude each other\n${usage}`);
  }
  if (proxy && !(proxy.value && URL.canParse(proxy.value) && /^https?:$/.test(new URL(proxy.value).protocol))) {
    fail(`--proxy needs the upstream's http(s) URL, e.g. npm run mock:proxy -- https://api.lofty.com\n${usage}`);
  }
  const portText = portOption?.value ?? env.PORT ?? "4010";
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65_535)
    fail(`the port must be a number from 0 to 65535, not ${JSON.stringify(portText)}`);
  const rateLimitText = env.RATE_LIMIT ?? "100";
  const rateLimit = Number(rateLimitText);
  if (!/^\d+$/.test(rateLimitText) || rateLimit < 1) {
    fail(`RATE_LIMIT must be a whole number of requests a minute (>= 1), not ${JSON.stringify(rateLimitText)}`);
  }

  let mode = "static";
  if (dynamic) mode = "dynamic";
  if (stateful) mode = "stateful";
  if (proxy) mode = "proxy";
  return {
    mode,
    port,
    upstream: proxy?.value,
    seed: env.SEED || defaultSeed,
    verbose: env.PRISM_LOG_LEVEL || undefined,
    stateFile: env.MOCK_STATE || undefined,
    rateLimit,
  };
}

/** Starts what `options.mode` asks for; resolves with the running mock. */
async function startMock(options) {
  if (options.mode === "stateful") {
    const { startStatefulMock } = await import("./stateful/index.mjs");
    return startStatefulMock(options);
  }
  const verbose = options.verbose ?? "warn";
  if (options.mode === "proxy")
    return startPrism({ port: options.port, command: "proxy", upstream: options.upstream, verbose });
  const dynamic = options.mode === "dynamic";
  return startPrism({ port: options.port, dynamic, seed: dynamic ? options.seed : undefined, verbose });
}

/** The one line printed once the mock answers. */
function readyLine(options, mock) {
  const ready = `pid ${mock.pid}, ready in ${Math.round(mock.startupMs)} ms`;
  if (options.mode === "proxy") {
    return (
      `Prism validation proxy (${ready}) listening on ${mock.url}, forwarding to ${options.upstream}: violations of ` +
      `the spec come back in an sl-violations header, a response that breaks it as a 500 (README: Mock server).`
    );
  }
  if (options.mode === "stateful") {
    const state = options.stateFile ? `events kept in ${options.stateFile}` : "events kept in memory";
    return (
      `Lofty stateful mock (Prism proxy + in-memory store, ${ready}) listening on ${mock.url}/v2.0/calendar: ` +
      `${state}, rate limit ${options.rateLimit}/min (README: A working calendar for frontend developers).`
    );
  }
  const dynamic = options.mode === "dynamic" ? `, dynamic, seed ${JSON.stringify(options.seed)}` : "";
  return (
    `Lofty mock (Prism${dynamic}, ${ready}) listening on ${mock.url}/v2.0/calendar. Pick a scenario with a Prefer ` +
    `header: "example=task", "example=appointment" or "code=${errorStatuses().join("|")}" (README: Mock server).`
  );
}

/** The error statuses a create may answer, as the spec lists them (the scenarios `Prefer: code=…` can pick). */
function errorStatuses() {
  const spec = JSON.parse(readFileSync(specFile, "utf8"));
  const create = Object.values(spec.paths["/v2.0/calendar"] ?? {}).find((op) => op?.operationId === "createCalendar");
  return Object.keys(create?.responses ?? {}).filter((status) => status !== "200");
}

function fail(message) {
  console.error(`mock: ${message}`);
  process.exit(2);
}

const argv = process.argv.slice(2);
if (argv.includes("--help") || argv.includes("-h")) {
  console.log(usage);
  process.exit(0);
}
const options = parseArguments(argv, process.env);
try {
  prismEntry(); // without Prism, say so before anything starts
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
const stale = staleSpecWarning();
if (stale) console.warn(`mock: ${stale}`);
let mock;
try {
  mock = await startMock(options);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}

// Prism's start-up chatter stays out of the terminal; its warnings (rejected requests, violations) from now on go in.
mock.child.stdout?.pipe(process.stdout);
mock.child.stderr?.pipe(process.stderr);
console.log(readyLine(options, mock));

let stopping = false;
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  await mock.stop();
  process.exit(code);
}
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => void shutdown(0));
// Prism gone on its own (or killed with the terminal's Ctrl+C along with us): stop the rest too and leave.
mock.child.on("exit", (code, signal) => void shutdown(signal === "SIGINT" || signal === "SIGTERM" ? 0 : (code ?? 1)));
