// Starts and stops Prism, Stoplight's OpenAPI mock server, serving the spec (used by `npm start`, `npm run mock:dynamic`,
// `npm run mock:proxy`, `npm run mock:stateful` and by the tests, so they all run the mock the same way).
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { connect, createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startAuthFront } from "./auth-front.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * The document Prism serves: the spec bundled into one file by `npm run generate`, the same document the tests
 * validate against, the stateful store reads and the package ships. Prism reads it in about half the time it takes
 * to resolve the split source (spec/openapi.yaml and its 60-odd files), which counts towards start-up.
 */
export const specFile = fileURLToPath(new URL("../generated/openapi.json", import.meta.url));

/** The hand-written source the bundle is made from (in the repository; not in the installed package). */
const sourceDir = fileURLToPath(new URL("../spec", import.meta.url));

/** Loaded into Prism's process before Prism: defers libraries Prism loads but our spec never uses (see the file). */
const preload = fileURLToPath(new URL("./prism-preload.cjs", import.meta.url));

/** The install command the error names when Prism is missing. */
export const prismInstall = "npm install --save-dev @stoplight/prism-cli@5.14.2";

/**
 * Prism's CLI entry, found as Node finds a package (next to this one, or hoisted above it), so it is spawned with
 * `node` (never `npx`) and the child's pid is the server's. Throws, naming the install command, without Prism.
 */
export function prismEntry() {
  try {
    const manifest = createRequire(import.meta.url).resolve("@stoplight/prism-cli/package.json");
    return join(dirname(manifest), "dist/index.js");
  } catch (error) {
    throw new Error(`The mock needs Prism, which is not installed: ${prismInstall}`, { cause: error });
  }
}

/** Newest modification time of the files under `dir`, in ms (0 for a missing dir). */
function newestChange(dir) {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true, recursive: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/**
 * A warning when spec/ was edited after the bundle was written (the mock would serve the old spec), else undefined.
 * Two seconds of slack, so that a checkout writing both within moments raises no false alarm.
 */
export function staleSpecWarning() {
  const source = newestChange(sourceDir);
  if (source === 0 || source <= statSync(specFile).mtimeMs + 2_000) return undefined;
  return "spec/ has changed since `npm run generate` wrote generated/openapi.json, which the mock serves: run `npm run generate`.";
}

/** The seed of dynamic mode when none is given (`SEED` overrides it in `npm run mock:dynamic`). */
export const defaultSeed = "lofty-calendar";

/**
 * Prism's arguments for dynamic mode: generated bodies and headers (`-d`), repeatable (`--seed`: Prism reseeds its
 * generator with it for every answer, so the same request gets the same answer in every run; `Prefer: seed=…` picks
 * another per request), and no invented properties: `--json-schema-faker-fillProperties=false` stops
 * json-schema-faker from adding random keys to objects that do not say `additionalProperties: false` (the Error body).
 * @param {string|number} [seed]
 */
export function dynamicArgs(seed = defaultSeed) {
  return ["-d", "--seed", String(seed), "--json-schema-faker-fillProperties=false"];
}

/**
 * Whether something accepts TCP connections on 127.0.0.1:`port`. Prism listens only once it has read the spec and
 * set up every route, so this is its readiness; a refused connection costs next to nothing, where an HTTP probe every
 * 10 ms would take CPU from Prism's own start-up on a small machine.
 */
function accepts(port) {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.setTimeout(1_000);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Spawns `prism <command> …` on 127.0.0.1 and resolves once it accepts connections.
 *
 * In `mock` mode Prism listens on a free internal port behind the auth front (mocks/auth-front.mjs), which runs in
 * this process on `port` and rejects malformed `Authorization` headers as Lofty does; Prism is still the only child
 * process, and `stop()` closes the front and ends Prism by its pid. In `proxy` mode Prism listens on `port` itself:
 * the upstream (Lofty) judges the credentials.
 *
 * @param {object} [opts]
 * @param {number} [opts.port] port to listen on (default: a free one)
 * @param {"mock"|"proxy"} [opts.command="mock"]
 * @param {string} [opts.document] the OpenAPI document Prism serves (default `specFile`)
 * @param {boolean} [opts.dynamic=false] generated answers (`mock` only): adds `dynamicArgs(opts.seed)`
 * @param {string|number} [opts.seed] the seed of dynamic mode (default `defaultSeed`)
 * @param {string} [opts.upstream] the upstream URL, for `proxy` (which always gets `--errors`)
 * @param {boolean} [opts.authFront] put the auth front before Prism (default: true for `mock`, false for `proxy`)
 * @param {string[]} [opts.args=[]] extra CLI arguments
 * @param {string} [opts.verbose="warn"] Prism's log level (`warn`: one block per rejected request, nothing else)
 * @param {"inherit"|"pipe"|"ignore"} [opts.stdio="pipe"] where Prism's output goes (piped output is kept, last 64 KiB)
 * @param {number} [opts.timeoutMs=30000] how long to wait for Prism to listen
 */
export async function startPrism(opts = {}) {
  const command = opts.command ?? "mock";
  if (command === "proxy" && !opts.upstream) throw new Error("startPrism: `proxy` needs an `upstream` URL");
  const authFront = opts.authFront ?? command === "mock";
  const port = opts.port ?? (await freePort());
  const prismPort = authFront ? await freePort() : port;
  const args = ["--require", preload, prismEntry(), command, opts.document ?? specFile];
  if (command === "proxy") args.push(String(opts.upstream), "--errors");
  args.push("-h", "127.0.0.1", "-p", String(prismPort), "-v", opts.verbose ?? "warn");
  if (opts.dynamic) args.push(...dynamicArgs(opts.seed));
  args.push(...(opts.args ?? []));

  const startedAt = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: root,
    stdio: ["ignore", opts.stdio ?? "pipe", opts.stdio ?? "pipe"],
  });
  let output = "";
  const keep = (chunk) => (output = (output + chunk).slice(-65_536));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const prismUrl = `http://127.0.0.1:${prismPort}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  /** @type {Awaited<ReturnType<typeof startAuthFront>> | undefined} */
  let front;

  const stopPrism = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  };
  /** Closes the front (if any) and ends Prism; safe to call twice. */
  const stop = async () => {
    await Promise.all([front?.close(), stopPrism()]);
  };

  let startupMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`Prism exited with code ${child.exitCode} before answering:\n${output}`);
    if (await accepts(prismPort)) {
      startupMs = performance.now() - startedAt;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  if (startupMs === undefined) {
    await stop();
    throw new Error(`Prism did not answer on ${prismUrl} within ${opts.timeoutMs ?? 30_000} ms:\n${output}`);
  }
  if (authFront) {
    try {
      front = await startAuthFront({ target: prismUrl, port });
    } catch (error) {
      await stop();
      throw new Error(
        `The mock could not listen on 127.0.0.1:${port}: ${error instanceof Error ? error.message : error}`,
        { cause: error },
      );
    }
  }
  const url = front?.url ?? prismUrl;
  return {
    /** Where clients talk to the mock (the front in `mock` mode, Prism itself in `proxy` mode). */
    url,
    port,
    /** Prism's own address (behind the front in `mock` mode). */
    prismUrl,
    /** Prism's pid: the only process startPrism starts. */
    pid: child.pid,
    child,
    stop,
    /** Milliseconds from spawning Prism to its accepting connections. */
    startupMs,
    /** Prism's output so far (the last 64 KiB), when `stdio` is "pipe". */
    output: () => output,
  };
}
