// `npm run mock:stateful` and the tests' handle on it: Prism in proxy mode with `--errors` (the only child process)
// in front of an in-memory calendar, with Lofty's door before Prism. In this process: the front (front.mjs), the
// store (store.mjs) and its HTTP server (server.mjs).
//
//   client ──► front :port ──► Prism proxy --errors ──► store server ──► store
//              rate limit,      checks the request        routes by the    the calendar
//              Lofty's bodies   and the store's answer    spec's paths
import { startPrism } from "../prism.mjs";
import { startStatefulFront } from "./front.mjs";
import { loadState, saveState } from "./persistence.mjs";
import { createRateLimiter, DEFAULT_RATE_LIMIT } from "./rate-limit.mjs";
import { storeRules } from "./rules.mjs";
import { startStoreServer } from "./server.mjs";
import { bundledSpecFile, loadSpec } from "./spec.mjs";
import { createStore } from "./store.mjs";

/**
 * Starts the stateful mock on 127.0.0.1 and resolves once it answers.
 * @param {object} [options]
 * @param {number} [options.port] where clients talk to it (default: a free port)
 * @param {string} [options.stateFile] MOCK_STATE: load the events from this file at start, save them after each change
 * @param {number} [options.rateLimit] requests a minute (default 100, Lofty's development limit)
 * @param {string} [options.verbose] Prism's log level (default "fatal": the front logs each refused request itself)
 * @param {(line: string) => void} [options.log] where refused requests are explained (default: stderr)
 */
export async function startStatefulMock(options = {}) {
  const log = options.log ?? ((line) => console.error(line));
  const doc = loadSpec(bundledSpecFile);
  const rules = storeRules(doc);
  const store = createStore({ rules, state: options.stateFile ? loadState(options.stateFile) : undefined });
  const save = (snapshot) => {
    try {
      saveState(/** @type {string} */ (options.stateFile), snapshot);
    } catch (error) {
      log(error instanceof Error ? error.message : String(error));
    }
  };
  const storeServer = await startStoreServer({
    doc,
    rules,
    store,
    log,
    onChange: options.stateFile ? save : undefined,
  });

  let prism;
  try {
    prism = await startPrism({
      command: "proxy",
      upstream: storeServer.url,
      document: bundledSpecFile,
      authFront: false,
      verbose: options.verbose ?? "fatal",
    });
  } catch (error) {
    await storeServer.close();
    throw error;
  }

  let front;
  try {
    front = await startStatefulFront({
      target: prism.url,
      limiter: createRateLimiter({ limit: options.rateLimit ?? DEFAULT_RATE_LIMIT }),
      errors: rules.errors,
      log,
      port: options.port ?? 0,
    });
  } catch (error) {
    await Promise.all([prism.stop(), storeServer.close()]);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`The mock could not listen on 127.0.0.1:${options.port}: ${reason}`, { cause: error });
  }

  /** Closes the front and the store's server and ends Prism by its pid; safe to call twice. */
  const stop = async () => {
    await Promise.all([front.close(), prism.stop(), storeServer.close()]);
  };
  return {
    /** Where clients talk to the mock. */
    url: front.url,
    port: front.port,
    /** Prism's address (behind the front) and the store's (behind Prism), for the curious. */
    prismUrl: prism.url,
    storeUrl: storeServer.url,
    /** Prism's pid: the only process the stateful mock starts. */
    pid: prism.pid,
    child: prism.child,
    /** Milliseconds from spawning Prism to its accepting connections. */
    startupMs: prism.startupMs,
    output: prism.output,
    stop,
  };
}
