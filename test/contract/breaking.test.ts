// `npm run check:breaking` (scripts/check-breaking.mjs), run for real: each fixture pair gets the right verdict and the
// output names the changed location; in git mode it picks its base ref and says when there is nothing to compare.
import { execFile, execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, test } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const script = join(root, "scripts/check-breaking.mjs");
const fixtures = join(root, "test/fixtures/breaking");

/** The environment without anything that would steer the script's git calls or base ref from outside. */
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !name.startsWith("GIT_") && name !== "LOFTY_BREAKING_BASE"),
);

/** Runs the script (`scriptFile` in `cwd`) and returns its exit code and output. */
function run(args: string[], { cwd = root, scriptFile = script, env = {} } = {}) {
  return new Promise<{ code: number; output: string }>((resolve) => {
    execFile(
      process.execPath,
      [scriptFile, ...args],
      { cwd, env: { ...cleanEnv, ...env } },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? -1) : 0, output: stdout + stderr });
      },
    );
  });
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const operation = "#/paths/~1v2.0~1calendar/post";
const task = `${operation}/requestBody/content/application~1json/schema/oneOf/0`;
const appointment = `${operation}/requestBody/content/application~1json/schema/oneOf/1`;
const result = `${operation}/responses/200/content/application~1json/schema/properties/data`;

// [fixture, the location the output must name]: each is base.yaml with one change.
const breaking: Array<[string, string]> = [
  ["request-enum-value-removed", `${task}/properties/taskWay/enum/3`],
  ["request-field-required", `${task}/properties/priority`],
  ["request-field-removed", `${appointment}/properties/address`],
  ["request-field-type-changed", `${task}/properties/leadId/type`],
  ["response-field-removed", `${result}/properties/message`],
  ["response-field-type-changed", `${result}/properties/id/type`],
  ["response-enum-value-added", `${result}/properties/type/enum/2`],
  ["response-status-removed", `${operation}/responses/400`],
  ["operation-removed", operation],
];
const nonBreaking = [
  "request-field-optional-added",
  "request-enum-value-added",
  "request-field-type-widened",
  "description-example-changed",
  "response-status-added",
];

describe.concurrent("check:breaking --base base.yaml --head <fixture>", () => {
  test.each(breaking)("%s is breaking, at %s", async (fixture, location) => {
    const { code, output } = await run([
      "--base",
      join(fixtures, "base.yaml"),
      "--head",
      join(fixtures, `${fixture}.yaml`),
    ]);
    expect(code, output).toBe(1);
    expect(output).toMatch(new RegExp(`^BREAKING ${escapeRegExp(location)}[/:]`, "m"));
    expect(output).toMatch(
      /^check:breaking: FAILED, \d+ breaking changes? \(\d+ changes? compared against .*base\.yaml\)$/m,
    );
  });

  test.each(nonBreaking)("%s is not breaking", async (fixture) => {
    const { code, output } = await run([
      "--base",
      join(fixtures, "base.yaml"),
      "--head",
      join(fixtures, `${fixture}.yaml`),
    ]);
    expect(code, output).toBe(0);
    expect(output).not.toContain("BREAKING");
    // At least one change seen: a fixture identical to base.yaml would pass without testing anything.
    expect(output).toMatch(
      /^check:breaking: no breaking changes \([1-9]\d* changes? compared against .*base\.yaml\)$/m,
    );
  });

  test("the real spec/openapi.yaml compared with itself has no breaking change", async () => {
    const spec = join(root, "spec/openapi.yaml");
    const { code, output } = await run(["--base", spec, "--head", spec]);
    expect(code, output).toBe(0);
    expect(output).toMatch(/^check:breaking: no breaking changes \(0 changes compared against /m);
  });

  test("--base without --head is a usage error", async () => {
    const { code, output } = await run(["--base", join(fixtures, "base.yaml")]);
    expect(code).toBe(2);
    expect(output).toContain("give both --base");
  });
});

describe("check:breaking against a git ref", () => {
  // A throwaway repo holding a copy of the script (its node_modules linked to ours) with base.yaml as its spec/.
  const repo = mkdtempSync(join(tmpdir(), "lofty-breaking-test-"));
  afterAll(() => rmSync(repo, { recursive: true, force: true }));
  const git = (...args: string[]) =>
    execFileSync(
      "git",
      ["-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", ...args],
      {
        cwd: repo,
        env: cleanEnv,
        stdio: "pipe",
      },
    );
  const runInRepo = (env: NodeJS.ProcessEnv = {}) =>
    run([], { cwd: repo, scriptFile: join(repo, "scripts/check-breaking.mjs"), env });
  const useSpec = (fixture: string) => copyFileSync(join(fixtures, `${fixture}.yaml`), join(repo, "spec/openapi.yaml"));

  test("with one commit and no tag there is nothing to compare: exit 0", async () => {
    mkdirSync(join(repo, "scripts"));
    mkdirSync(join(repo, "spec"));
    copyFileSync(script, join(repo, "scripts/check-breaking.mjs"));
    symlinkSync(join(root, "node_modules"), join(repo, "node_modules"), "dir");
    useSpec("base");
    git("init", "-q");
    git("add", "scripts", "spec");
    git("commit", "-q", "-m", "spec");
    const { code, output } = await runInRepo();
    expect(code, output).toBe(0);
    expect(output).toMatch(
      /^check:breaking: nothing to compare: no LOFTY_BREAKING_BASE, no v\* tag and no previous commit/m,
    );
  });

  test("compares the working tree's spec/ with the latest v* tag", async () => {
    git("tag", "v1.0.0");
    useSpec("request-enum-value-removed");
    const { code, output } = await runInRepo();
    expect(code, output).toBe(1);
    expect(output).toContain(`BREAKING ${task}/properties/taskWay/enum/3`);
    expect(output).toMatch(/compared against v1\.0\.0 \(latest v\* tag, [0-9a-f]{7}\)\)$/m);
  });

  test("LOFTY_BREAKING_BASE overrides the tag, and must name a commit", async () => {
    git("commit", "-q", "-am", "drop Other");
    useSpec("request-enum-value-added");
    const head = await runInRepo({ LOFTY_BREAKING_BASE: "HEAD" });
    expect(head.code, head.output).toBe(0);
    expect(head.output).toMatch(
      /^check:breaking: no breaking changes \(\d+ changes? compared against HEAD \(LOFTY_BREAKING_BASE, /m,
    );
    const missing = await runInRepo({ LOFTY_BREAKING_BASE: "no-such-ref" });
    expect(missing.code).toBe(2);
    expect(missing.output).toContain("LOFTY_BREAKING_BASE names no-such-ref, which is not a commit here");
  });
});
