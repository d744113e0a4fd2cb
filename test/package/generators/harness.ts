// Runs the five third-party generators on a bundled spec as the README tells users to, type-checks what they wrote and
// loads their Zod schemas. generators.test.ts drives it on generated/openapi.json; the README gives each generator's
// commands and config, ./generators.ts where its output lands and how it names what it generated.
import { execFile } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import type { Generator } from "./generators.js";
import { SpecProbes, type Example, type Probe } from "./probes.js";

export const root = fileURLToPath(new URL("../../..", import.meta.url));

/** A finished generator run: its output folder and how long the generator took. */
export interface Run {
  generator: Generator;
  out: string;
  ms: number;
}

/** One generator's recipe in the README: the files to write (a `ts` block opening with `// <file>`) and its commands. */
export interface Recipe {
  files: Record<string, string>;
  commands: string[][];
}

/**
 * The recipes of the README's "Generating your own client" section, by package: each `### \`<package>\`` heading,
 * its config files and the `npx` lines of its `sh` blocks (the `npm install` lines are the reader's, not run here).
 */
export function readmeRecipes(readme: string): Map<string, Recipe> {
  const section = readme.split("\n## Generating your own client\n")[1]?.split("\n## ")[0];
  if (!section) throw new Error('README.md has no "Generating your own client" section');
  const recipes = new Map<string, Recipe>();
  for (const part of section.split(/^### /m).slice(1)) {
    const name = /^`([^`]+)`/.exec(part)?.[1];
    if (!name) continue;
    const recipe: Recipe = { files: {}, commands: [] };
    for (const [, language, body] of part.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)) {
      const file = /^\/\/ (\S+)\n/.exec(body!)?.[1];
      if (language === "ts" && file) recipe.files[file] = body!;
      if (language !== "sh") continue;
      for (const line of body!.split("\n").filter((l) => l.startsWith("npx "))) {
        recipe.commands.push(line.split(/\s+/).slice(1));
      }
    }
    recipes.set(name, recipe);
  }
  return recipes;
}

/** The path of a package's bin script (run with this Node, never through npx). */
export function binOf(pkg: string, name: string): string {
  const manifestPath = join(packageDir(pkg), "package.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  const bin = typeof manifest.bin === "string" ? manifest.bin : manifest.bin[name];
  if (typeof bin !== "string") throw new Error(`${pkg} has no bin ${name}`);
  return join(dirname(manifestPath), bin);
}

/** Runs a command without blocking the event loop, so several generators run at once. */
export function exec(command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd, env: { ...process.env, NODE_NO_WARNINGS: "1" }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${command} ${args.join(" ")} failed:\n${stdout}${stderr}`, { cause: error }));
        else resolve(stdout);
      },
    );
  });
}

/** The folder of an installed package, found as Node finds it (exports maps may hide package.json). */
function dependencyDir(from: string, name: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
  }
  throw new Error(`${name} is not installed where ${from} can import it`);
}

/** The folder of one of the repo's dependencies. */
function packageDir(name: string): string {
  return dependencyDir(root, name);
}

/**
 * A scratch project laid out as a user's: `node_modules/lofty-calendar/generated/openapi.json` (where the package has
 * it, exported as `lofty-calendar/openapi.json`) is the spec under test, the
 * other packages are the repo's (linked), and its package.json names our zod (orval picks its Zod syntax from it).
 */
export function scratchProject(specFile: string): string {
  const dir = mkdtempSync(join(tmpdir(), "lofty-generators-"));
  const modules = join(dir, "node_modules");
  // Where our package.json exports the spec from, so the recipes' file paths are the ones users have.
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { exports: Record<string, string> };
  const specPath = manifest.exports["./openapi.json"]!;
  mkdirSync(dirname(join(modules, "lofty-calendar", specPath)), { recursive: true });
  for (const name of readdirSync(join(root, "node_modules")).filter((n) => !n.startsWith("."))) {
    if (name !== "lofty-calendar") symlinkSync(join(root, "node_modules", name), join(modules, name), "dir");
  }
  const ours = { name: "lofty-calendar", type: "module", exports: { "./openapi.json": specPath } };
  writeFileSync(join(modules, "lofty-calendar/package.json"), JSON.stringify(ours));
  copyFileSync(specFile, join(modules, "lofty-calendar", specPath));
  const zod = JSON.parse(readFileSync(join(packageDir("zod"), "package.json"), "utf8")).version;
  const project = { name: "app", private: true, type: "module", devDependencies: { zod } };
  writeFileSync(join(dir, "package.json"), JSON.stringify(project));
  return dir;
}

/** Writes a generator's config files and runs its commands in the scratch project. */
export async function runGenerator(generator: Generator, recipe: Recipe, dir: string): Promise<Run> {
  const out = join(dir, generator.out);
  mkdirSync(out, { recursive: true });
  for (const [name, owner] of Object.entries(generator.ownDependencies ?? {})) {
    // Output written for another zod (openapi-zod-client's, Zod 3) meets that zod: the one the generator depends on.
    const link = join(out, "node_modules", name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(dependencyDir(packageDir(owner), name), link, "dir");
  }
  for (const [name, text] of Object.entries(recipe.files)) writeFileSync(join(dir, name), text);
  if (recipe.commands.length === 0) throw new Error(`the README gives no npx command for ${generator.package}`);
  const startedAt = performance.now();
  for (const [bin, ...args] of recipe.commands) {
    if (bin !== generator.bin) throw new Error(`README: \`npx ${bin}\` under ${generator.package}`);
    await exec(process.execPath, [binOf(generator.package, bin), ...args], dir);
  }
  return { generator, out, ms: performance.now() - startedAt };
}

/** One `tsc --strict` over every generator's output and probes; returns the diagnostics, one per line. */
export async function typeCheck(dir: string, files: string[]): Promise<string[]> {
  const compilerOptions = {
    strict: true,
    target: "es2022",
    lib: ["es2022", "dom", "dom.iterable"],
    module: "esnext",
    moduleResolution: "bundler",
    noEmit: true,
    types: [],
    skipLibCheck: true,
    pretty: false,
  };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files }));
  const tsc = join(root, "node_modules/typescript/bin/tsc");
  try {
    await exec(process.execPath, [tsc, "-p", "tsconfig.json"], dir);
    return [];
  } catch (error) {
    const output = (error as Error).message;
    return output.split("\n").filter((line) => /error TS\d+/.test(line));
  }
}

/** Bundles a generated Zod module (its relative imports inlined, packages left to Node) and imports it. */
export async function loadModule(entry: string): Promise<Record<string, unknown>> {
  const outfile = entry.replace(/\.ts$/, ".bundle.mjs");
  await build({
    entryPoints: [entry],
    bundle: true,
    packages: "external",
    format: "esm",
    platform: "node",
    target: "node20",
    outfile,
    logLevel: "silent",
  });
  return (await import(pathToFileURL(outfile).href)) as Record<string, unknown>;
}

/** One probe's outcome: kept when the generated code refused the value the spec refuses. */
export interface ProbeResult {
  probe: Probe;
  kept: boolean;
}

/** What one generator did with the spec. */
export interface Report {
  run: Run;
  /** tsc's diagnostics of its output (the probes file's expected errors excluded). */
  diagnostics: string[];
  /** The spec's request examples its types refuse (tsc diagnostics on them). */
  typeRejects: string[];
  /** Each request-body probe, refused by its types or not. */
  types: ProbeResult[];
  /** Why its Zod module did not load, if it did not. */
  loadError?: string;
  /** Examples with no Zod schema to check them against, and those its Zod schema refused (with the issues). */
  unchecked: Example[];
  zodRejects: string[];
  /** Each probe, refused by its Zod schemas or not (probes without a schema left out). */
  zod: ProbeResult[];
}

type TypeLine = { line: number; label: string; probe?: Probe };

/**
 * A TypeScript file that assigns each request example to its body's generated type (must compile) and each body
 * probe under `@ts-expect-error` (an unused directive means the types accept what the spec refuses).
 */
function writeTypeProbes(generator: Generator, out: string, examples: Example[], probes: Probe[]): TypeLine[] {
  const bodies = [...examples, ...probes].filter((e) => e.target.kind === "body" && e.target.component);
  const imports = new Set(bodies.flatMap((e) => generator.typeOf(e.target.component!).imports.split("\n")));
  const lines = [...imports];
  const marks: TypeLine[] = [];
  bodies.forEach((entry, index) => {
    const { type } = generator.typeOf(entry.target.component!);
    const probe = "rule" in entry ? (entry as Probe) : undefined;
    // tsc reports an unused directive on the directive's own line, any other error on the statement's.
    if (probe) lines.push("// @ts-expect-error the spec refuses this value");
    marks.push({ line: lines.length + (probe ? 0 : 1), label: entry.label, ...(probe ? { probe } : {}) });
    lines.push(`export const value${index}: ${type} = ${JSON.stringify(entry.value)};`);
  });
  writeFileSync(join(out, "probes.ts"), lines.join("\n") + "\n");
  return marks;
}

/** The issues of a failed parse, briefly. */
function issuesOf(result: { success: boolean; error?: unknown }): string {
  const error = result.error as { issues?: unknown[]; message?: string } | undefined;
  return JSON.stringify(error?.issues ?? error?.message ?? "refused").slice(0, 400);
}

/** Checks the examples and probes against one generator's Zod module. */
function checkZod(generator: Generator, module: Record<string, any>, examples: Example[], probes: Probe[]) {
  const unchecked: Example[] = [];
  const zodRejects: string[] = [];
  for (const example of examples) {
    const schema = generator.zod.find(module, example.target);
    if (!schema) {
      unchecked.push(example);
      continue;
    }
    const result = schema.safeParse(example.value);
    if (!result.success) zodRejects.push(`${example.label}: ${issuesOf(result)}`);
  }
  const zod = probes.flatMap((probe) => {
    const schema = generator.zod.find(module, probe.target);
    return schema ? [{ probe, kept: !schema.safeParse(probe.value).success }] : [];
  });
  return { unchecked, zodRejects, zod };
}

/**
 * Runs every generator on the spec at once, type-checks all their output in one tsc, loads each Zod module and
 * checks it against the spec's examples and probes.
 */
export async function checkGenerators(
  specFile: string,
  list: Generator[],
  recipes: Map<string, Recipe>,
): Promise<{ dir: string; reports: Report[]; unattributed: string[]; tscMs: number }> {
  const specProbes = new SpecProbes(JSON.parse(readFileSync(specFile, "utf8")));
  const examples = specProbes.examples();
  const probes = specProbes.probes();
  const dir = scratchProject(specFile);
  const recipeOf = (generator: Generator) => {
    const recipe = recipes.get(generator.package);
    if (!recipe) throw new Error(`the README has no recipe for ${generator.package}`);
    return recipe;
  };
  const runs = await Promise.all(list.map((generator) => runGenerator(generator, recipeOf(generator), dir)));
  const marks = runs.map((run) => writeTypeProbes(run.generator, run.out, examples, probes));
  // The README's TypeScript config files too: a recipe a user copies must compile as well as run.
  const configs = list.flatMap((generator) => Object.keys(recipeOf(generator).files).filter((n) => n.endsWith(".ts")));
  const entries = [
    ...configs.map((name) => join(dir, name)),
    ...runs.flatMap((run) => [join(run.out, "probes.ts"), ...run.generator.sources.map((s) => join(run.out, s))]),
  ];
  const tscStartedAt = performance.now();
  const diagnostics = await typeCheck(dir, entries);
  const tscMs = performance.now() - tscStartedAt;
  const reports = await Promise.all(
    runs.map(async (run, index): Promise<Report> => {
      const mine = diagnostics.filter((line) => line.startsWith(`${run.generator.out}/`));
      const probeFile = `${run.generator.out}/probes.ts(`;
      const atLine = (line: number) => mine.filter((d) => d.startsWith(`${probeFile}${line},`));
      const typeRejects = marks[index]!.filter((m) => !m.probe && atLine(m.line).length > 0).map((m) => m.label);
      const types = marks[index]!.filter((m) => m.probe).map((m) => ({
        probe: m.probe!,
        kept: !atLine(m.line).some((d) => d.includes("TS2578")),
      }));
      const base = { run, diagnostics: mine.filter((d) => !d.startsWith(probeFile)), typeRejects, types };
      try {
        const module = await loadModule(join(run.out, run.generator.zod.entry));
        return { ...base, ...checkZod(run.generator, module, examples, probes) };
      } catch (error) {
        return { ...base, loadError: String(error), unchecked: [], zodRejects: [], zod: [] };
      }
    }),
  );
  const unattributed = diagnostics.filter((line) => !runs.some((run) => line.startsWith(`${run.generator.out}/`)));
  return { dir, reports, unattributed, tscMs };
}
