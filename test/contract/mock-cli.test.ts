// The mock's command line (`npm start`, the `lofty-calendar-mock` bin: mocks/start.mjs) and `startMock`'s options:
// what a user gets wrong is refused at once, with the fix, before anything is started.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { startMock } from "../../mocks/index.mjs";

const startScript = fileURLToPath(new URL("../../mocks/start.mjs", import.meta.url));

/** Runs mocks/start.mjs with `args`; resolves to its exit code and output (it must exit within 10 s). */
function run(args: string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [startScript, ...args], { timeout: 10_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

describe("mocks/start.mjs", () => {
  test("--help prints the usage and exits 0", async () => {
    for (const flag of ["--help", "-h"]) {
      const { code, stdout } = await run([flag]);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^usage: lofty-calendar-mock \[--dynamic \| --proxy <upstream-url> \| --stateful\]/);
    }
  });

  test("refuses, with exit code 2 and the fix: --port without a number, a port past 65535, two modes", async () => {
    const cases: [string[], RegExp][] = [
      [["--port"], /--port needs a number, e\.g\. --port 4011/],
      [["--port", "70000"], /the port must be a number from 0 to 65535, not "70000"/],
      [["--stateful", "--dynamic"], /exclude each other/],
      [["--bogus"], /unknown argument --bogus/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await run(args);
      expect(code, args.join(" ")).toBe(2);
      expect(stderr).toMatch(message);
    }
  });
});

describe("startMock", () => {
  test("refuses a bad port, rate limit or state file, and stateful-only options without stateful: true", async () => {
    const cases: [Parameters<typeof startMock>[0], RegExp][] = [
      [{ port: "abc" as never }, /port must be an integer from 0 to 65535 .*, not abc/],
      [{ port: 70_000 }, /port must be an integer from 0 to 65535/],
      [{ stateful: true, rateLimit: 0 }, /rateLimit must be a whole number of requests a minute \(>= 1\), not 0/],
      [{ stateful: true, stateFile: "" }, /stateFile must be the path of a file/],
      [{ stateFile: "events.json", rateLimit: 5 }, /stateFile, rateLimit: options of the stateful mock only/],
    ];
    for (const [options, message] of cases) {
      await expect(startMock(options)).rejects.toThrow(message);
      await expect(startMock(options)).rejects.toBeInstanceOf(TypeError);
    }
  });
});
