// `npm run size`: the browser bundle of `import { createLoftyClient } from "lofty-calendar"`, minified and gzipped,
// against the budget (6,144 bytes; goal 5,000). Prints the figures and each module's share; exits 1 over budget.
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { build, transform } from "esbuild";
import ts from "typescript";

export const BUDGET_BYTES = 6_144;
export const GOAL_BYTES = 5_000;
/**
 * Until the bundle is back within BUDGET_BYTES, `npm test` holds it below this ratchet so it cannot grow; lower it
 * with every byte won, and delete it once the budget holds (then `npm test` checks BUDGET_BYTES itself).
 */
export const RATCHET_BYTES = 8_750;
const root = fileURLToPath(new URL("..", import.meta.url));

/** Bundles the SDK entry (or another `entry`) as a browser app would (esbuild, ESM, minified, tree-shaken) and measures it. */
export async function measure(entry = 'export { createLoftyClient } from "./src/index.ts";') {
  const result = await build({
    stdin: { contents: entry, resolveDir: root, loader: "ts" },
    bundle: true,
    write: false,
    minify: true,
    format: "esm",
    platform: "browser",
    treeShaking: true,
    metafile: true,
    logLevel: "silent",
  });
  const code = result.outputFiles[0].contents;
  const inputs = Object.entries(Object.values(result.metafile.outputs)[0].inputs)
    .map(([file, { bytesInOutput }]) => ({ file, bytes: bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes);
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length, inputs };
}

/**
 * The same bundle with every string literal of src/ and generated/ emptied (messages, field and header names; not
 * openapi-fetch's): what the code alone costs, so the budget can be weighed against what the SDK must do. Templates
 * count as strings. Not a working bundle.
 */
export async function measureWithoutOurStrings() {
  const result = await build({
    stdin: { contents: 'export { createLoftyClient } from "./src/index.ts";', resolveDir: root, loader: "ts" },
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    logLevel: "silent",
  });
  const text = result.outputFiles[0].text;
  // Unminified, esbuild heads each module's code with a `// path` comment: ours start at the first src/ or generated/.
  const ours = text.search(/^\/\/ (src|generated)\//m);
  const literals = [];
  const visit = (node) => {
    if (node.pos >= ours && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node))) {
      if (!ts.isImportDeclaration(node.parent) && !ts.isExportDeclaration(node.parent)) return literals.push([node.getStart(), node.end]);
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile("bundle.js", text, ts.ScriptTarget.Latest, true));
  const emptied = literals.reduceRight((code, [start, end]) => code.slice(0, start) + '""' + code.slice(end), text);
  const { code } = await transform(emptied, { minify: true, format: "esm" });
  return gzipSync(code, { level: 9 }).length;
}

/**
 * What each feature costs: the gzipped bundle with one module replaced by a do-nothing stub, subtracted from the real
 * one. (The errors module is not stubbed: every other module throws its classes.)
 */
const STUBS = {
  "src/time.ts": "export const normalizeEventTimes = () => ({});",
  "src/validate.ts": "export const isPlainObject = () => true; export const checkRequest = (rule, body) => body; export const matchesShape = () => true;",
  "generated/rules.ts": "export const operationRules = { createCalendarEvent: {} };",
  "src/ids.ts": "export const toInt64 = (value) => value;",
  "src/throttle.ts": 'export const ABORTED = ""; export const createThrottle = () => undefined;',
  "src/auth.ts": 'export const createAuth = () => async () => "";',
};
export async function measureBreakdown() {
  const bundle = async (stubbed) => {
    const stub = { name: "stub", setup: (b) => b.onLoad({ filter: /\.ts$/ }, (args) => (args.path.endsWith(stubbed) ? { contents: STUBS[stubbed], loader: "js" } : undefined)) };
    const result = await build({
      stdin: { contents: 'export { createLoftyClient } from "./src/index.ts";', resolveDir: root, loader: "ts" },
      bundle: true,
      write: false,
      minify: true,
      format: "esm",
      platform: "browser",
      plugins: stubbed ? [stub] : [],
      logLevel: "silent",
    });
    return gzipSync(result.outputFiles[0].contents, { level: 9 }).length;
  };
  const whole = await bundle();
  return Object.fromEntries(await Promise.all(Object.keys(STUBS).map(async (file) => [file, whole - (await bundle(file))])));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes("--breakdown")) {
    for (const [file, bytes] of Object.entries(await measureBreakdown())) console.log(`${String(bytes).padStart(7)} B gzipped  ${file} (bundle minus a stub of it)`);
  }
  const { minified, gzipped, inputs } = await measure();
  for (const { file, bytes } of inputs) console.log(`${String(bytes).padStart(7)} B  ${file}`);
  const verdict = gzipped <= BUDGET_BYTES ? "within budget" : "OVER BUDGET";
  console.log(
    `size: createLoftyClient browser bundle ${minified} B minified, ${gzipped} B gzipped ` +
      `(budget ${BUDGET_BYTES}, goal ${GOAL_BYTES}): ${verdict}`,
  );
  const { gzipped: openapiFetch } = await measure('export { default } from "openapi-fetch";');
  console.log(`size: openapi-fetch alone ${openapiFetch} B gzipped; the SDK bundle without any string literal of src/ or generated/ ${await measureWithoutOurStrings()} B (code alone)`);
  process.exit(gzipped <= BUDGET_BYTES ? 0 : 1);
}
