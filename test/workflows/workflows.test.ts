// The Arazzo workflows of test/workflows/ run by Redocly's workflow runner (`redocly respect`, the pinned CLI), first
// against the stateful mock, where they must pass, then against `npm start`'s static Prism, where they must fail:
// Prism answers from examples and keeps nothing, so the list does not show the task just created.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { startStatefulMock } from "../../mocks/stateful/index.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const workflows = fileURLToPath(new URL("./calendar.arazzo.yaml", import.meta.url));
const redocly = join(root, "node_modules/@redocly/cli/bin/cli.js");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Check {
  name: string;
  passed: boolean;
  condition?: string;
}
interface Step {
  stepId: string;
  status: string;
  checks: Check[];
}
interface Workflow {
  workflowId: string;
  status: string;
  executedSteps: Step[];
}

/** The workflows' inputs: times in the future (Lofty refuses others), one lead, and a start in the past. */
function inputs(now = Date.now()) {
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
  const start = Math.ceil((now + 2 * DAY) / 1000) * 1000;
  return {
    leadId: 563172647619608,
    startAt: iso(start),
    endAt: iso(start + HOUR),
    startAtMs: start,
    endAtMs: start + HOUR,
    laterStartAtMs: start + DAY,
    laterEndAtMs: start + DAY + HOUR,
    windowStart: iso(start - DAY),
    windowEnd: iso(start + 3 * DAY),
    pastStartAt: iso(now - DAY),
  };
}

/** Runs every workflow against `serverUrl`; resolves with respect's exit code and its JSON report's workflows. */
async function respect(serverUrl: string) {
  const dir = mkdtempSync(join(tmpdir(), "lofty-respect-"));
  const report = join(dir, "report.json");
  const input = Object.entries(inputs())
    .map(([name, value]) => `${name}=${String(value)}`)
    .join(",");
  const args = [redocly, "respect", workflows, "--server", `lofty=${serverUrl}`, "--input", input, "-J", report];
  try {
    // Asynchronous on purpose: the stateful mock's front and store run in this process and must keep answering.
    const exitCode = await promisify(execFile)(process.execPath, args, {
      cwd: root,
      env: { ...process.env, NO_COLOR: "1" },
      timeout: 90_000,
    }).then(
      () => 0,
      (error: unknown) => (error as { code?: number }).code ?? -1,
    );
    const files = JSON.parse(readFileSync(report, "utf8")).files as Record<string, { executedWorkflows: Workflow[] }>;
    const executed = Object.values(files).flatMap((file) => file.executedWorkflows);
    return { exitCode, workflows: new Map(executed.map((workflow) => [workflow.workflowId, workflow])) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The failed checks of every step, as `stepId: condition or check name`. */
function failures(workflow: Workflow | undefined) {
  return (workflow?.executedSteps ?? []).flatMap((step) =>
    step.checks.filter((check) => !check.passed).map((check) => `${step.stepId}: ${check.condition ?? check.name}`),
  );
}

describe("the calendar workflows (redocly respect)", () => {
  let stateful: Awaited<ReturnType<typeof startStatefulMock>>;
  beforeAll(async () => {
    stateful = await startStatefulMock({ log: () => {} });
  });
  afterAll(() => stateful.stop());

  test("pass against the stateful mock: every step of every workflow, answers checked against the spec", async () => {
    const { exitCode, workflows: ran } = await respect(stateful.url);
    expect([...ran.keys()]).toEqual(["taskLife", "appointmentLife", "errorPaths"]);
    for (const workflow of ran.values()) {
      expect(failures(workflow), workflow.workflowId).toEqual([]);
      expect(workflow.status, workflow.workflowId).toBe("success");
    }
    expect(ran.get("taskLife")?.executedSteps.map((step) => step.stepId)).toContain("goneAfterDelete");
    expect(exitCode).toBe(0);
  }, 120_000);

  test("fail against the static mock (npm start): the created task is not in the list", async () => {
    const { exitCode, workflows: ran } = await respect(inject("mockUrl"));
    expect(exitCode).not.toBe(0);
    const taskLife = ran.get("taskLife");
    expect(taskLife?.status).not.toBe("success");
    const [create, find] = taskLife?.executedSteps ?? [];
    // Prism accepts the create (its example answer) ...
    expect(create).toMatchObject({ stepId: "createTask", status: "success" });
    // ... but its list is the spec's example page, not the lead's calendar.
    expect(find?.stepId).toBe("findTask");
    expect(failures(taskLife)[0]).toMatch(/^findTask: \$response\.body#\/data\/(total|items\/0\/id)/);
  }, 120_000);
});
