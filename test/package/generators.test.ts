// The bundled spec (generated/openapi.json, shipped as `lofty-calendar/openapi.json`) through the five generators
// teams use besides ours: each output compiles under `tsc --strict`, its Zod schemas load, accept every example of
// the spec and refuse a TASK with `type: "BOGUS"`. What else each keeps of the spec's rules is measured with probes
// read from the spec, and must be what the README's table says.
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { validatorFor } from "../support/spec.js";
import { generators } from "./generators/generators.js";
import { checkGenerators, readmeRecipes, root, type Report } from "./generators/harness.js";
import { rules, SpecProbes, type Probe, type Rule, type Target } from "./generators/probes.js";

const specFile = join(root, "generated/openapi.json");
const spec = JSON.parse(readFileSync(specFile, "utf8"));
const specProbes = new SpecProbes(spec);
const readme = readFileSync(join(root, "README.md"), "utf8");
let dir: string | undefined;
let reports: Report[] = [];
let unattributed: string[] = [];

beforeAll(async () => {
  const startedAt = performance.now();
  const result = await checkGenerators(specFile, generators, readmeRecipes(readme));
  dir = result.dir;
  reports = result.reports;
  unattributed = result.unattributed;
  const each = reports.map((r) => `${r.run.generator.id} ${(r.run.ms / 1000).toFixed(1)} s`).join(", ");
  const total = ((performance.now() - startedAt) / 1000).toFixed(1);
  console.info(`generators: ${total} s in all (${each}; tsc ${(result.tscMs / 1000).toFixed(1)} s)`);
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("tsc reports nothing outside the generators' own output", () => {
  expect(unattributed).toEqual([]);
});

const reportOf = (id: string) => reports.find((report) => report.run.generator.id === id)!;

describe.each(generators.map((generator) => [generator.id, generator] as const))("%s", (id) => {
  test("its output compiles under tsc --strict", () => {
    expect(reportOf(id).diagnostics).toEqual([]);
  });

  test("its types take every request example of the spec", () => {
    expect(reportOf(id).typeRejects).toEqual([]);
  });

  test("its Zod schemas load", () => {
    expect(reportOf(id).loadError).toBeUndefined();
  });

  test("its Zod schemas accept every request, response and parameter example of the spec", () => {
    const report = reportOf(id);
    expect(report.zodRejects).toEqual([]);
    // Schema-level examples are checked where the generator exports component schemas (orval names by operation).
    expect(report.unchecked.filter((example) => example.target.kind !== "component")).toEqual([]);
  });

  test('its Zod schemas refuse a TASK (or an APPOINTMENT) with `type: "BOGUS"`', () => {
    const bogus = reportOf(id).zod.filter((result) => result.probe.rule === "discriminator");
    expect(bogus.length).toBeGreaterThan(0);
    expect(bogus.filter((result) => !result.kept).map((result) => result.probe.label)).toEqual([]);
  });
});

describe("the probes", () => {
  /** The JSON pointer of the schema a probe's value goes to (refs of bodies and parameters followed). */
  function pointerOf(target: Target): string {
    if (target.kind === "component") return `#/components/schemas/${target.component}`;
    const { method, path, operation } = specProbes
      .operations()
      .find((o) => o.operation.operationId === target.operationId)!;
    const at = `#/paths/${path.replaceAll("~", "~0").replaceAll("/", "~1")}/${method}`;
    const via = (node: { $ref?: string }, here: string) => node.$ref ?? here;
    if (target.kind === "body") {
      return `${via(operation.requestBody, `${at}/requestBody`)}/content/application~1json/schema`;
    }
    if (target.kind === "response") {
      return `${via(operation.responses[target.status], `${at}/responses/${target.status}`)}/content/application~1json/schema`;
    }
    const index = (operation.parameters as object[]).findIndex((p) => {
      const parameter = specProbes.deref(p);
      return parameter.name === target.name && parameter.in === target.location;
    });
    return `${via(operation.parameters[index], `${at}/parameters/${index}`)}/schema`;
  }

  test("each is a value the spec itself refuses (Ajv), and every kind of rule is probed", () => {
    const probes = specProbes.probes();
    const accepted = probes.filter((probe) => validatorFor(pointerOf(probe.target))(probe.value));
    expect(accepted.map((probe) => probe.label)).toEqual([]);
    expect(new Set(probes.map((probe) => probe.rule))).toEqual(new Set(Object.keys(rules)));
  });

  test("and the examples are values the spec accepts", () => {
    const refused = specProbes.examples().filter((example) => !validatorFor(pointerOf(example.target))(example.value));
    expect(refused.map((example) => example.label)).toEqual([]);
  });
});

/** A table cell: whether the types and the Zod schemas refuse all, some or none of a rule's probes. */
function cell(report: Report, rule: Rule): string {
  const share = (results: { probe: Probe; kept: boolean }[]) => {
    const mine = results.filter((result) => result.probe.rule === rule);
    const kept = mine.filter((result) => result.kept).length;
    if (mine.length === 0) return "–";
    if (kept === mine.length) return "yes";
    return kept === 0 ? "no" : `${kept} of ${mine.length}`;
  };
  return `${share(report.types)} / ${share(report.zod)}`;
}

test("the README's table of what each generator keeps is what they keep", () => {
  const section = readme.split("\n## Generating your own client\n")[1]?.split("\n## ")[0] ?? "";
  const rows = section
    .split("\n")
    .filter((line) => line.startsWith("|") && !/^\|\s*-/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((text) => text.trim()),
    );
  const measured = [
    ["rule (types / Zod)", ...generators.map((g) => `\`${g.package}\``)],
    ...(Object.entries(rules) as [Rule, string][]).map(([rule, text]) => [
      text,
      ...generators.map((g) => cell(reportOf(g.id), rule)),
    ]),
  ];
  // On a mismatch the message is the measured table, ready to paste into the README (then run Prettier on it).
  const markdown = measured.map((row, index) => {
    const line = `| ${row.join(" | ")} |`;
    return index === 0 ? `${line}\n|${row.map(() => " --- |").join("")}` : line;
  });
  expect(rows, markdown.join("\n")).toEqual(measured);
});
