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
