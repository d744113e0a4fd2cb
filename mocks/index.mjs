// `import { startMock } from "lofty-calendar/mock"`: the package's mock for a consumer's own tests (a vitest
// globalSetup, say), the same mock as `npm start` and `npm run mock:stateful` in this repository and as the
// `lofty-calendar-mock` bin. Prism (@stoplight/prism-cli) is an optional peer dependency: without it, startMock
// rejects at once with the install command.
import { prismEntry, startPrism } from "./prism.mjs";

/**
 * Starts the mock on 127.0.0.1 and resolves once it accepts requests.
 * @param {import("./index.d.mts").StartMockOptions} [options]
 * @returns {Promise<import("./index.d.mts").RunningMock>}
 */
export async function startMock(options = {}) {
  checkOptions(options);
  prismEntry(); // throws, naming the install command, when Prism is not installed
  if (options.stateful) {
    const { startStatefulMock } = await import("./stateful/index.mjs");
    const mock = await startStatefulMock({
      port: options.port,
      stateFile: options.stateFile,
      rateLimit: options.rateLimit,
      log: options.log,
    });
    return { url: mock.url, stop: mock.stop };
  }
  const mock = await startPrism({ port: options.port });
  return { url: mock.url, stop: mock.stop };
}

/** Throws a TypeError naming the option and the fix, before anything is started. */
function checkOptions({ port, stateful, stateFile, rateLimit, log }) {
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65_535)) {
    throw new TypeError(`startMock: port must be an integer from 0 to 65535 (0 or none: a free port), not ${port}`);
  }
  if (rateLimit !== undefined && !(Number.isInteger(rateLimit) && rateLimit >= 1)) {
    throw new TypeError(`startMock: rateLimit must be a whole number of requests a minute (>= 1), not ${rateLimit}`);
  }
  if (stateFile !== undefined && (typeof stateFile !== "string" || stateFile === "")) {
    throw new TypeError("startMock: stateFile must be the path of a file to keep the events in");
  }
  const statefulOnly = { stateFile, rateLimit, log };
  const given = Object.keys(statefulOnly).filter((name) => statefulOnly[name] !== undefined);
  if (!stateful && given.length > 0) {
    throw new TypeError(
      `startMock: ${given.join(", ")}: options of the stateful mock only; pass stateful: true as well`,
    );
  }
}
