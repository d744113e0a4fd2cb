// `npm start`, `npm run mock:dynamic`, `npm run mock:proxy -- <upstream-url>`: serves the spec on 127.0.0.1:$PORT
// (default 4010) until Ctrl+C, then stops everything it started (the auth front in this process, Prism by its pid).
//   (no flag)        static mock: the spec's examples, `Prefer` picks a scenario
//   --dynamic        generated answers, repeatable: seed from $SEED (default "lofty-calendar")
//   --proxy <url>    Prism's validation proxy: forwards to <url> and checks both directions against the spec
// PRISM_LOG_LEVEL (default "warn": a few lines per rejected request, saying why) sets Prism's log level.
import { defaultSeed, startPrism } from "./prism.mjs";

const argv = process.argv.slice(2);
const usage = "usage: node mocks/start.mjs [--dynamic | --proxy <upstream-url>]   (env: PORT, SEED, PRISM_LOG_LEVEL)";
const port = Number(process.env.PORT ?? 4010);
if (!Number.isInteger(port) || port < 0 || port > 65_535)
  fail(`PORT must be a port number, not ${JSON.stringify(process.env.PORT)}`);

const dynamic = argv.includes("--dynamic");
const proxyAt = argv.findIndex((arg) => arg === "--proxy" || arg.startsWith("--proxy="));
let upstream;
if (proxyAt >= 0) {
  const value = argv[proxyAt].includes("=") ? argv[proxyAt].slice("--proxy=".length) : argv[proxyAt + 1];
  if (!value || !URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    fail(`--proxy needs the upstream's http(s) URL, e.g. npm run mock:proxy -- https://api.lofty.com\n${usage}`);
  }
  upstream = value;
}
const known = new Set(["--dynamic", "--proxy", upstream].filter(Boolean));
const unknown = argv.filter((arg, i) => !known.has(arg) && !(i === proxyAt && arg.startsWith("--proxy=")));
if (unknown.length > 0) fail(`unknown argument ${unknown.join(" ")}\n${usage}`);
if (dynamic && upstream) fail(`--dynamic and --proxy exclude each other\n${usage}`);

const seed = process.env.SEED || defaultSeed;
const verbose = process.env.PRISM_LOG_LEVEL || "warn";
let prism;
try {
  prism = upstream
    ? await startPrism({ port, command: "proxy", upstream, verbose })
    : await startPrism({ port, dynamic, seed: dynamic ? seed : undefined, verbose });
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}

// Prism's start-up chatter stays out of the terminal; its warnings (rejected requests, violations) from now on go in.
prism.child.stdout?.pipe(process.stdout);
prism.child.stderr?.pipe(process.stderr);

const ready = `pid ${prism.pid}, ready in ${Math.round(prism.startupMs)} ms`;
console.log(
  upstream
    ? `Prism validation proxy (${ready}) listening on ${prism.url}, forwarding to ${upstream}: violations of the spec ` +
        `come back in an sl-violations header, a response that breaks it as a 500 (README: Mock server).`
    : `Lofty mock (Prism${dynamic ? `, dynamic, seed ${JSON.stringify(seed)}` : ""}, ${ready}) listening on ` +
        `${prism.url}/v2.0/calendar. Pick a scenario with a Prefer header: "example=task", "example=appointment" ` +
        `or "code=400|401|403|404|429|500" (README: Mock server).`,
);

let stopping = false;
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  await prism.stop();
  process.exit(code);
}
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => void shutdown(0));
// Prism gone on its own (or killed with the terminal's Ctrl+C along with us): stop the front too and leave.
prism.child.on("exit", (code, signal) => void shutdown(signal === "SIGINT" || signal === "SIGTERM" ? 0 : (code ?? 1)));

function fail(message) {
  console.error(`mock: ${message}`);
  process.exit(2);
}
