// The packed tarball, installed into a fresh project as a user would: types under both resolutions, ESM import,
// require(), a browser bundle, and a real call against the mock.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const tsc = join(root, "node_modules/typescript/bin/tsc");
const mockUrl = inject("mockUrl");
let dir: string;
let tarball: string;
let consumer: string;

/** Runs a command and returns its stdout; a failure's message carries its output, so tsc errors are readable. */
function run(command: string, args: string[], cwd: string): string {
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NODE_NO_WARNINGS: "1" },
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(" ")} failed:\n${stdout ?? ""}${stderr ?? ""}`, { cause: error });
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "lofty-consumer-"));
  run("npm", ["pack", "--silent", "--pack-destination", dir], root); // prepack builds dist/
  tarball = join(
    dir,
    readdirSync(dir).find((name) => name.endsWith(".tgz"))!,
  );
  consumer = join(dir, "app");
  mkdirSync(consumer);
  writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  // openapi-fetch comes from npm's cache, filled by the repo's own `npm ci`.
  run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--no-package-lock", tarball], consumer);
  for (const [name, options] of [
    ["bundler", { module: "esnext", moduleResolution: "bundler" }],
    ["nodenext", { module: "nodenext", moduleResolution: "nodenext" }],
    ["node16", { module: "node16", moduleResolution: "node16" }],
  ] as const) {
    const compilerOptions = {
      ...options,
      target: "es2022",
      lib: ["es2022", "dom"],
      types: [],
      strict: true,
      noEmit: true,
      skipLibCheck: false,
    };
    writeFileSync(join(consumer, `tsconfig.${name}.json`), JSON.stringify({ compilerOptions, files: ["app.ts"] }));
  }
  writeFileSync(
    join(consumer, "app.ts"),
    `import { createLoftyClient, LoftyApiError, LoftyError, LoftyValidationError, normalizeEventTimes, type CalendarCreateInput } from "lofty-calendar";
import type { components, paths } from "lofty-calendar/schema";

type Body = components["schemas"]["CalendarEventCreateRequest"];
const task = { type: "TASK", content: "Follow up", leadId: 563172647619608, timeZoneCode: "America/Los_Angeles", startAtMs: 1803996000000, endAtMs: 1803999600000, taskWay: "Call" } as const satisfies Body;
// @ts-expect-error address is APPOINTMENT-only
const wrong: Body = { ...task, address: "123 Maple Street" };
const path: keyof paths = "/v2.0/calendar";
const { startAtMs: _start, endAtMs: _end, ...fields } = task;
const input: CalendarCreateInput = { ...fields, leadId: 9007199254740993n, start: "2027-03-01T14:00", end: "2027-03-01T15:00" };
// @ts-expect-error "Fax" is not a taskWay
const fax: CalendarCreateInput = { ...input, taskWay: "Fax" };

export async function create(baseUrl: string) {
  const lofty = createLoftyClient({ accessToken: "t", baseUrl });
  try {
    const event = await lofty.calendar.create(input);
    return event.id satisfies string;
  } catch (error) {
    if (error instanceof LoftyValidationError) return error.issues.map((issue) => issue.path).join();
    if (error instanceof LoftyApiError) return error.status;
    if (error instanceof LoftyError) return error.mayHaveBeenCreated;
    throw error;
  }
}
export const times = normalizeEventTimes({ timeZoneCode: "UTC", start: 1803996000000 });
export { wrong, path, fax };
`,
  );
  writeFileSync(
    join(consumer, "run.mjs"),
    `import { createLoftyClient, normalizeEventTimes } from "lofty-calendar";
const lofty = createLoftyClient({ accessToken: "t", baseUrl: process.argv[2] });
const event = await lofty.calendar.create({ type: "APPOINTMENT", content: "Showing", leadId: "563172647619608", timeZoneCode: "Europe/Paris", start: "2027-07-01T10:00", end: "2027-07-01T11:00", address: "1 Rue de Rivoli" }, { headers: { Prefer: "example=appointment" } });
console.log(JSON.stringify({ event, times: normalizeEventTimes({ timeZoneCode: "Europe/Paris", start: "2027-07-01T10:00" }) }));
`,
  );
  writeFileSync(
    join(consumer, "run.cjs"),
    `const { createLoftyClient, LoftyError } = require("lofty-calendar");
const lofty = createLoftyClient({ apiKey: "k" });
console.log(typeof lofty.calendar.create, typeof LoftyError);
`,
  );
  writeFileSync(join(consumer, "browser.js"), `export { createLoftyClient } from "lofty-calendar";\n`);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the packed tarball", () => {
  test("holds only what users need: dist, the bundled spec, the mock, README, LICENSE, package.json", () => {
    const files = run("tar", ["-tzf", tarball], dir).trim().split("\n");
    const wanted =
      /^package\/(dist\/(src|generated)\/[\w.-]+\.(js|d\.ts)|mocks\/[\w/.-]+\.(mjs|cjs|d\.mts)|generated\/openapi\.json|README\.md|LICENSE|package\.json)$/;
    expect(
      files.filter((file) => !wanted.test(file)),
      files.join("\n"),
    ).toEqual([]);
    expect(files).toContain("package/mocks/index.mjs");
    expect(files).toContain("package/dist/src/index.d.ts");
    expect(files).toContain("package/dist/src/schema.d.ts");
    expect(files).toContain("package/generated/openapi.json");
  });

  test("lets a consumer read lofty-calendar/openapi.json: the bundled spec the tests validate against", () => {
    writeFileSync(
      join(consumer, "spec.mjs"),
      `import spec from "lofty-calendar/openapi.json" with { type: "json" };
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
console.log(JSON.stringify({ spec, same: JSON.stringify(require("lofty-calendar/openapi.json")) === JSON.stringify(spec) }));
`,
    );
    const output = JSON.parse(run(process.execPath, ["spec.mjs"], consumer));
    expect(output.spec).toEqual(JSON.parse(readFileSync(join(root, "generated/openapi.json"), "utf8")));
    expect(output.same).toBe(true);
  });

  test("publint finds no problem, even as a warning", () => {
    expect(
      run(process.execPath, [join(root, "node_modules/publint/src/cli.js"), "run", tarball, "--strict"], root),
    ).toContain("All good!");
  });

  // ESM only: Node >= 20.19 (our engines) loads ESM from require(), so a CJS build would only add bytes and hazards.
  test("are-the-types-wrong finds no problem for an ESM-only package", () => {
    const attw = join(root, "node_modules/@arethetypeswrong/cli/dist/index.js");
    // run() throws (with attw's table) when attw exits non-zero, i.e. when the profile finds a problem.
    const output = run(
      process.execPath,
      [attw, tarball, "--profile", "esm-only", "--format", "ascii", "--no-color"],
      root,
    );
    expect(output).toContain("(ignoring resolutions: 'node10', 'node16-cjs')");
    for (const entry of ['"lofty-calendar"', '"lofty-calendar/schema"']) {
      expect(output.split(entry)[1]).toMatch(/^\s+node16 \(from ESM\): 🟢 \(ESM\)\s+bundler: 🟢/);
    }
    expect(output.split('"lofty-calendar/openapi.json"')[1]).toMatch(
      /^\s+node16 \(from ESM\): 🟢 \(JSON\)\s+bundler: 🟢 \(JSON\)/,
    );
  });

  for (const resolution of ["bundler", "nodenext", "node16"]) {
    test(`type-checks a consumer program under moduleResolution ${resolution}`, () => {
      expect(run(process.execPath, [tsc, "-p", `tsconfig.${resolution}.json`], consumer)).toBe("");
    });
  }

  test("imports with Node ESM and creates an event against the mock", () => {
    const output = JSON.parse(run(process.execPath, ["run.mjs", mockUrl], consumer));
    expect(output.event).toMatchObject({ type: "APPOINTMENT", id: expect.stringMatching(/-appointment$/) });
    expect(output.times).toEqual({ startAt: "2027-07-01T10:00:00+02:00", startAtMs: 1814428800000 });
  });

  test("loads with require() (Node >= 20.19 loads ESM from require)", () => {
    expect(run(process.execPath, ["run.cjs"], consumer).trim()).toBe("function function");
  });

  test("bundles for the browser with esbuild, with no Node built-in", async () => {
    const result = await build({
      entryPoints: [join(consumer, "browser.js")],
      bundle: true,
      write: false,
      platform: "browser",
      format: "esm",
      minify: true,
      absWorkingDir: consumer,
      logLevel: "silent",
    });
    const code = result.outputFiles[0]!.text;
    expect(code).toContain("createLoftyClient");
    expect(code).not.toMatch(/from"node:|require\("node:/);
  });
});
