// The mock in the package (issue 14), proven on the packed tarball as a team installs it: a fresh project with the
// tarball and Prism runs `npx lofty-calendar-mock` and `startMock()` from "lofty-calendar/mock", static and stateful,
// and creates and lists events through the SDK against each; a second project without Prism gets the install
// command at once. publint and attw stay clean with the new entries.
//
// The tarball is packed from a staging copy (dist/ compiled there, the rest copied as package.json's `files` lists),
// so this file never rewrites the repository's dist/ while test/package/consumer.test.ts packs it.
import { stripVTControlCharacters } from "node:util";
import { execFile, execFileSync, spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { freePort, prismInstall } from "../../mocks/prism.mjs";
import { namedExamples, spec } from "../support/spec.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const versionOf = (name: string) =>
  JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8")).version as string;
const prismVersion = versionOf("@stoplight/prism-cli");
const execFileAsync = promisify(execFile);
let dir: string;
let tarball: string;
let withPrism: string;
let withoutPrism: string;
const setupStarted = performance.now();

/** Runs a command to its end; resolves with stdout, rejects with a message that carries its output. */
async function run(command: string, args: string[], cwd: string, timeout = 120_000): Promise<string> {
  try {
    const { stdout } = await execFileAsync(command, args, {
      cwd,
      timeout,
      encoding: "utf8",
      env: { ...process.env, NODE_NO_WARNINGS: "1" },
    });
    return stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(" ")} failed:\n${stdout ?? ""}${stderr ?? ""}`, { cause: error });
  }
}

/** Like `run`, for a command expected to fail: resolves with its exit code, stderr and how long it took. */
async function runFailing(command: string, args: string[], cwd: string) {
  const started = performance.now();
  try {
    await execFileAsync(command, args, { cwd, timeout: 30_000, encoding: "utf8" });
    return { code: 0, stderr: "", ms: performance.now() - started };
  } catch (error) {
    const { code, stderr } = error as { code?: number; stderr?: string };
    return { code: code ?? -1, stderr: stderr ?? "", ms: performance.now() - started };
  }
}

/** Packs the package as `npm pack` would, from a staging copy with dist/ compiled into it. */
async function packFromStage(into: string) {
  const stage = join(into, "stage");
  mkdirSync(stage);
  await run(
    process.execPath,
    [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json", "--outDir", join(stage, "dist")],
    root,
  );
  for (const entry of ["package.json", ...(manifest.files as string[])]) {
    if (!entry.startsWith("dist")) cpSync(join(root, entry), join(stage, entry), { recursive: true });
  }
  await run("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", into], stage);
  return join(
    into,
    readdirSync(into).find((name) => name.endsWith(".tgz"))!,
  );
}

/** A fresh consumer project with `packages` installed (from npm's cache, filled by the repo's own `npm ci`). */
async function consumerWith(name: string, packages: string[]) {
  const project = join(dir, name);
  mkdirSync(project);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name, private: true, type: "module" }));
  await run(
    "npm",
    ["install", "--prefer-offline", "--no-audit", "--no-fund", "--no-package-lock", ...packages],
    project,
    180_000,
  );
  return project;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "lofty-consumer-mock-"));
  tarball = await packFromStage(dir);
  [withPrism, withoutPrism] = await Promise.all([
    // vitest too, for the README's global setup and test (the version the repository uses, from npm's cache).
    consumerWith("with-prism", [tarball, `@stoplight/prism-cli@${prismVersion}`, `vitest@${versionOf("vitest")}`]),
    consumerWith("without-prism", [tarball]),
  ]);
  // The consumer's own code: the SDK against whatever mock runs at argv[2] (a create, then the lead's list).
  writeFileSync(
    join(withPrism, "client.mjs"),
    `import { createLoftyClient } from "lofty-calendar";
const lofty = createLoftyClient({ accessToken: "ci-token", baseUrl: process.argv[2] });
const start = Date.now() + 86_400_000;
const event = await lofty.calendar.create({ type: "TASK", content: "From CI", leadId: "563172647619608", timeZoneCode: "UTC", start, end: start + 3_600_000, taskWay: "Call" });
const page = await lofty.calendar.list({ leadId: "563172647619608", start: start - 3_600_000, timeZoneCode: "UTC" });
console.log(JSON.stringify({ event, total: page.total, ids: page.items.map((item) => item.id) }));
`,
  );
  // startMock() in both modes, the SDK against each, stop(), then the processes this one still has as children.
  writeFileSync(
    join(withPrism, "start-mock.mjs"),
    `import { readdirSync, readFileSync } from "node:fs";
import { createLoftyClient } from "lofty-calendar";
import { startMock } from "lofty-calendar/mock";
const children = () => readdirSync("/proc").filter((pid) => /^\\d+$/.test(pid)).filter((pid) => {
  try { const stat = readFileSync(\`/proc/\${pid}/stat\`, "utf8"); return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === process.pid; } catch { return false; }
});
const results = {};
for (const stateful of [false, true]) {
  const mock = await startMock({ stateful });
  const lofty = createLoftyClient({ accessToken: "ci-token", baseUrl: mock.url });
  const start = Date.now() + 86_400_000;
  const event = await lofty.calendar.create({ type: "TASK", content: "Showing", leadId: 7001, timeZoneCode: "Europe/Paris", start, end: start + 3_600_000, taskWay: "Email" });
  const page = await lofty.calendar.list({ leadId: 7001, start: start - 3_600_000, timeZoneCode: "Europe/Paris" });
  const running = children().length;
  await mock.stop();
  results[stateful ? "stateful" : "static"] = { url: mock.url, event, ids: page.items.map((item) => item.id), running, after: children().length };
}
console.log(JSON.stringify(results));
`,
  );
  writeFileSync(
    join(withPrism, "app.ts"),
    `import { startMock, type RunningMock, type StartMockOptions } from "lofty-calendar/mock";
const options: StartMockOptions = { port: 4010, stateful: true, stateFile: "events.json", rateLimit: 1000 };
export const mock: Promise<RunningMock> = startMock(options);
export async function url(): Promise<string> {
  const running = await startMock();
  await running.stop();
  return running.url;
}
// @ts-expect-error the port is a number
export const wrong = startMock({ port: "4010" });
`,
  );
  writeFileSync(
    join(withoutPrism, "start-mock.mjs"),
    `import { startMock } from "lofty-calendar/mock";
const started = performance.now();
try { await startMock({ stateful: process.argv[2] === "stateful" }); console.log("started"); }
catch (error) { console.log(JSON.stringify({ message: error.message, ms: performance.now() - started })); }
`,
  );
}, 300_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Spawns `npx lofty-calendar-mock …` in the consumer on a free port; resolves with its ready line and a stopper. */
async function npxMock(args: string[]) {
  const port = await freePort();
  const child = spawn("npx", ["--no-install", "lofty-calendar-mock", "--port", String(port), ...args], {
    cwd: withPrism,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group: npx, the mock's process and Prism, ended together if a test fails
  });
  let output = "";
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("\n")) resolve(output.split("\n")[0]!);
    });
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => reject(new Error(`npx lofty-calendar-mock exited with ${code}:\n${output}`)));
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    url: `http://127.0.0.1:${port}`,
    line,
    prismPid: Number(/pid (\d+)/.exec(line)?.[1]),
    /** Ctrl+C as a terminal sends it: SIGINT to the whole group. */
    stop: async () => {
      process.kill(-child.pid!, "SIGINT");
      await exited;
    },
    kill: () => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    },
  };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("the mock in the package", () => {
  test("the tarball ships the mock (mocks/, the bundled spec, the bin, ./mock with its types) and no test", () => {
    const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).trim().split("\n");
    for (const file of [
      "mocks/index.mjs",
      "mocks/index.d.mts",
      "mocks/start.mjs",
      "mocks/prism.mjs",
      "mocks/prism-preload.cjs",
      "mocks/auth-front.mjs",
      "mocks/stateful/index.mjs",
      "mocks/stateful/store.mjs",
      "generated/openapi.json",
    ]) {
      expect(files).toContain(`package/${file}`);
    }
    expect(
      files.filter((file) => /test|\.ts$/.test(file) && !file.endsWith(".d.ts") && !file.endsWith(".d.mts")),
    ).toEqual([]);
    expect(manifest.bin).toEqual({ "lofty-calendar-mock": "mocks/start.mjs" });
    expect(manifest.exports["./mock"]).toEqual({ types: "./mocks/index.d.mts", default: "./mocks/index.mjs" });
    // Prism only for those who run the mock; the SDK's own dependency stays openapi-fetch alone.
    expect(Object.keys(manifest.dependencies)).toEqual(["openapi-fetch"]);
    expect(manifest.peerDependenciesMeta["@stoplight/prism-cli"]).toEqual({ optional: true });
    expect(prismVersion).toMatch(/^5\.14\./);
    console.info(
      `[package] tarball ${statSync(tarball).size} B, ${files.filter((file) => !file.endsWith("/")).length} files; ` +
        `setup (pack, two installs) ${Math.round(performance.now() - setupStarted)} ms`,
    );
  });

  test("publint and are-the-types-wrong find no problem with the new entries", async () => {
    const publint = await run(
      process.execPath,
      [join(root, "node_modules/publint/src/cli.js"), "run", tarball, "--strict"],
      root,
    );
    expect(publint).toContain("All good!");
    const attw = await run(
      process.execPath,
      [
        join(root, "node_modules/@arethetypeswrong/cli/dist/index.js"),
        tarball,
        "--profile",
        "esm-only",
        "--format",
        "ascii",
        "--no-color",
      ],
      root,
    );
    expect(attw.split('"lofty-calendar/mock"')[1]).toMatch(/^\s+node16 \(from ESM\): 🟢 \(ESM\)\s+bundler: 🟢/);
  });

  test("the consumer's code using lofty-calendar/mock type-checks (nodenext and bundler)", async () => {
    const tsc = join(root, "node_modules/typescript/bin/tsc");
    const common = [
      "--noEmit",
      "--strict",
      "--skipLibCheck",
      "false",
      "--target",
      "es2022",
      "--lib",
      "es2022",
      "app.ts",
    ];
    const resolutions = [
      ["nodenext", "nodenext"],
      ["esnext", "bundler"],
    ] as const;
    // tsc's exit code is the verdict (run() rejects with its output otherwise): an unused @ts-expect-error fails too.
    await Promise.all(
      resolutions.map(([module, resolution]) =>
        run(process.execPath, [tsc, "--module", module, "--moduleResolution", resolution, ...common], withPrism),
      ),
    );
  });

  test("npx lofty-calendar-mock: the static mock; the SDK creates and lists; Ctrl+C ends it and its Prism", async () => {
    const mock = await npxMock([]);
    try {
      expect(mock.line).toMatch(
        /^Lofty mock \(Prism, pid \d+, ready in \d+ ms\) listening on http:\/\/127\.0\.0\.1:\d+/,
      );
      const { event, ids } = JSON.parse(await run(process.execPath, ["client.mjs", mock.url], withPrism));
      // Examples, not state: the create is the spec's example answer, the list the spec's example page.
      const listExample = namedExamples(spec.paths["/v2.0/calendar"].get.responses["200"].content["application/json"]);
      expect(event).toMatchObject({ type: "TASK", id: expect.stringMatching(/^\d+-task$/) });
      expect(ids).toEqual(listExample.events.data.items.map((item: { id: string }) => item.id));
      await mock.stop();
      expect(alive(mock.prismPid)).toBe(false);
    } finally {
      mock.kill();
    }
  }, 60_000);

  test("npx lofty-calendar-mock --stateful: the list shows the event just created", async () => {
    const mock = await npxMock(["--stateful"]);
    try {
      expect(mock.line).toMatch(/^Lofty stateful mock \(Prism proxy \+ in-memory store, pid \d+/);
      const { event, total, ids } = JSON.parse(await run(process.execPath, ["client.mjs", mock.url], withPrism));
      expect(event).toMatchObject({ type: "TASK", id: expect.stringMatching(/^\d+-task$/) });
      expect({ total, ids }).toEqual({ total: 1, ids: [event.id] });
      await mock.stop();
      expect(alive(mock.prismPid)).toBe(false);
    } finally {
      mock.kill();
    }
  }, 60_000);

  test("startMock(), static and stateful: the SDK creates and lists; stop() ends every process it started", async () => {
    const results = JSON.parse(await run(process.execPath, ["start-mock.mjs"], withPrism, 60_000));
    for (const mode of ["static", "stateful"]) {
      expect(results[mode].url, mode).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(results[mode].event, mode).toMatchObject({ type: "TASK", id: expect.stringMatching(/^\d+-task$/) });
      // One child while running (Prism), none after stop(); and the script exited, so nothing kept it alive.
      expect([results[mode].running, results[mode].after], mode).toEqual([1, 0]);
    }
    expect(results.stateful.ids).toEqual([results.stateful.event.id]);
    expect(results.static.ids).not.toContain(results.stateful.event.id);
  }, 60_000);

  test("the README's global setup, config and test, as they are, pass with vitest in the consumer", async () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const section = /^## Using the mock in your own CI\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? "";
    const files = [...section.matchAll(/^```ts\n\/\/ (\S+)\n([\s\S]*?)^```$/gm)];
    expect(files.map(([, path]) => path).sort()).toEqual([
      "test/calendar.test.ts",
      "test/lofty-mock.ts",
      "vitest.config.ts",
    ]);
    mkdirSync(join(withPrism, "test"), { recursive: true });
    for (const [, path, source] of files) writeFileSync(join(withPrism, path!), source!);
    const colored = await run("npx", ["--no-install", "vitest", "run", "--reporter=verbose"], withPrism, 90_000);
    const output = stripVTControlCharacters(colored);
    expect(output).toMatch(/✓ test\/calendar\.test\.ts > a task we create shows in the lead's list/);
    expect(output).toMatch(/Tests\s+1 passed \(1\)/);
  }, 120_000);

  test("without Prism, the bin and startMock() fail at once, naming the install command", async () => {
    const bin = await runFailing("npx", ["--no-install", "lofty-calendar-mock", "--stateful"], withoutPrism);
    expect(bin.code).toBe(2);
    expect(bin.stderr).toContain(prismInstall);
    expect(bin.ms).toBeLessThan(10_000);
    for (const mode of ["static", "stateful"]) {
      const { message, ms } = JSON.parse(await run(process.execPath, ["start-mock.mjs", mode], withoutPrism));
      expect(message).toBe(`The mock needs Prism, which is not installed: ${prismInstall}`);
      expect(ms).toBeLessThan(1_000);
    }
    expect(readdirSync(join(withoutPrism, "node_modules"))).not.toContain("@stoplight");
  }, 60_000);
});
