// Starts and stops Prism, Stoplight's OpenAPI mock server, serving spec/ (used by `npm start` and by the tests).
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Prism's CLI entry in node_modules: spawned with `node` (never `npx`) so the child's pid is the server's. */
export const prismEntry = fileURLToPath(new URL("../node_modules/@stoplight/prism-cli/dist/index.js", import.meta.url));

/** The spec Prism serves: the hand-written source of truth, not a copy. */
export const specFile = fileURLToPath(new URL("../spec/openapi.yaml", import.meta.url));

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
 * Spawns `prism <command> …` on 127.0.0.1 and resolves once it answers HTTP.
 * @param {object} [opts]
 * @param {number} [opts.port] port to listen on (default: a free one)
 * @param {"mock"|"proxy"} [opts.command="mock"]
 * @param {string[]} [opts.args=[]] extra CLI arguments (e.g. ["-d", "--seed", "1"])
 * @param {string} [opts.upstream] the upstream URL, for `proxy`
 * @param {string} [opts.verbose="warn"] Prism's log level
 * @param {"inherit"|"pipe"|"ignore"} [opts.stdio="pipe"] where Prism's output goes
 * @param {number} [opts.timeoutMs=30000] how long to wait for the first answer
 */
export async function startPrism(opts = {}) {
  const port = opts.port ?? (await freePort());
  const command = opts.command ?? "mock";
  const args = [prismEntry, command, specFile, ...(opts.upstream ? [opts.upstream] : [])];
  args.push("-h", "127.0.0.1", "-p", String(port), "-v", opts.verbose ?? "warn", ...(opts.args ?? []));
  const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", opts.stdio ?? "pipe", opts.stdio ?? "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const url = `http://127.0.0.1:${port}`;
  const startedAt = performance.now();
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  };

  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Prism exited with code ${child.exitCode} before answering:\n${output}`);
    try {
      // A CORS preflight is answered by Prism itself, so probing logs no routing error.
      await fetch(`${url}/v2.0/calendar`, {
        method: "OPTIONS",
        headers: { Origin: "http://127.0.0.1", "Access-Control-Request-Method": "POST" },
        signal: AbortSignal.timeout(1_000),
      });
      return { url, port, pid: child.pid, child, stop, startupMs: performance.now() - startedAt, output: () => output };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  await stop();
  throw new Error(`Prism did not answer on ${url} within ${opts.timeoutMs ?? 30_000} ms:\n${output}`);
}
