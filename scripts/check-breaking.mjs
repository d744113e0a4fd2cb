// Fails when spec/ changed in a way that breaks existing clients, compared with the spec at a git ref (`npm run check:breaking`),
// or compares two spec files: `node scripts/check-breaking.mjs --base old.yaml --head new.yaml`.
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs, promisify } from "node:util";
import {
  apiCompare,
  DIFF_META_KEY,
  getKeyValue,
  getMaxOpenApiVersion,
  isParameterSchema,
  isRequestBodySchema,
  isResponseSchema,
  openapi3Rules,
} from "api-smart-diff";

/** A failure to report as its message alone (bad arguments, a missing ref, a spec that does not bundle). */
class CheckError extends Error {}

const root = fileURLToPath(new URL("..", import.meta.url));
const redocly = join(root, "node_modules/@redocly/cli/bin/cli.js");

/**
 * One spec file (a split root is fine) as a single, fully dereferenced JSON document (Redocly's bundler).
 * Dereferenced on purpose: api-smart-diff picks request or response rules from the path it is at, and a schema it
 * reaches through a `$ref` to `components/responses` is classified with request rules (so a removed error field
 * passed as non-breaking). Inlined, every schema sits under `paths/.../requestBody` or `.../responses/...`.
 */
export async function bundle(file) {
  const dir = mkdtempSync(join(tmpdir(), "lofty-breaking-"));
  try {
    const out = join(dir, "openapi.json");
    await promisify(execFile)(process.execPath, [redocly, "bundle", resolve(file), "--dereferenced", "-o", out], {
      cwd: root,
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
    }).catch((error) => {
      throw new CheckError(`could not bundle ${file}:\n${error.stderr || error.message}`);
    });
    return JSON.parse(readFileSync(out, "utf8"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Keys that never change what a client sends or receives; api-smart-diff leaves some of them "unclassified".
const annotationKeys = new Set(["description", "summary", "title", "example", "examples", "$comment", "externalDocs"]);
// Schema keywords whose children are names chosen by the spec author, not keywords (a property may be called `type`).
const nameMaps = new Set(["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"]);
const isKeyword = (path, i) => i >= 0 && !nameMaps.has(path[i - 1]);

/** "request" or "response" for a change inside a request/parameter or response schema, else undefined. */
function direction(path) {
  if (isResponseSchema(path) || (path[3] === "responses" && path[5] === "headers" && path[7] === "schema"))
    return "response";
  if (isRequestBodySchema(path) || isParameterSchema(path)) return "request";
}

/** Whether a `type` value (one name or a list) allows `type`; `number` also allows `integer`. */
function typeCovers(types, type) {
  const set = new Set([types].flat());
  return set.has(type) || (type === "integer" && set.has("number"));
}

/**
 * Our verdict on one api-smart-diff finding, where its rules get the client's side wrong: `{ type, why? }`.
 * api-smart-diff writes request rules and mirrors them for responses, which is right for narrowing or widening
 * (a new request enum value is fine, a new response enum value is not) but wrong for a swap, which breaks both ways.
 */
function reclassify(diff, merged) {
  const { path, action } = diff;
  const key = path.at(-1);
  const parent = path.at(-2);
  const side = direction(path);
  const last = path.length - 1;

  const isItemOf = (keyword) => parent === keyword && typeof key === "number" && isKeyword(path, last - 1);

  if (side && action === "replace" && ((key === "type" && isKeyword(path, last)) || isItemOf("type"))) {
    // A request type may widen (clients' values stay valid), a response type may narrow (clients' parsers still cope).
    const [from, to] = side === "request" ? [diff.before, diff.after] : [diff.after, diff.before];
    const ok = [from].flat().every((type) => typeCovers(to, type));
    return { type: ok ? "non-breaking" : "breaking", why: ok ? undefined : `${side} type changed` };
  }
  if (
    side &&
    action === "replace" &&
    ((["format", "const", "pattern"].includes(key) && isKeyword(path, last)) || isItemOf("enum"))
  ) {
    return { type: "breaking", why: `${side} value swapped` };
  }
  if (side && isItemOf("enum") && (action === "add" || action === "remove")) {
    // api-smart-diff models a missing `enum` as `[]`, so introducing an enum looks like adding values and dropping it
    // like removing them: the opposite of what happens. Tell those apart by every value of the enum being added/removed.
    const schema = getKeyValue(merged, ...path.slice(0, -2));
    const changes = Object.values(schema?.[DIFF_META_KEY]?.enum?.array ?? {});
    if (changes.length === schema?.enum?.length && changes.every((change) => change.action === action)) {
      const narrows = action === "add";
      const breaks = side === "request" ? narrows : !narrows;
      return { type: breaks ? "breaking" : "non-breaking", why: `${side} enum ${narrows ? "introduced" : "dropped"}` };
    }
  }
  if (side === "request" && action === "remove" && parent === "properties" && isKeyword(path, last - 1)) {
    // With additionalProperties: false (every request object here: Lofty rejects unknown fields), a client that
    // still sends the removed field gets a 400.
    const schema = getKeyValue(merged, ...path.slice(0, -2));
    if (schema?.additionalProperties === false || schema?.unevaluatedProperties === false) {
      return { type: "breaking", why: "request field removed from a schema that rejects unknown fields" };
    }
  }
  if (path[0] === "components" && path[1] === "securitySchemes" && path.length === 3 && action === "add") {
    // A new scheme breaks no one until `security` requires it, and that change is reported on its own.
    return { type: "non-breaking" };
  }
  if (diff.type === "unclassified" && path.some((segment, i) => isKeyword(path, i) && isAnnotationKey(segment))) {
    return { type: "annotation" };
  }
  return { type: diff.type };
}

const isAnnotationKey = (key) => typeof key === "string" && (annotationKeys.has(key) || key.startsWith("x-"));

/**
 * The client-facing changes from one bundled OpenAPI document to another.
 * Fails (lands in `breaking`) on api-smart-diff's `breaking` and on `unclassified`: it has no rule for the change
 * (a discriminator, `unevaluatedProperties`, a security requirement's scheme, webhooks...), so a person must look;
 * unclassified changes to descriptions, examples and `x-` extensions are let through as annotations.
 * `deprecated` is reported but passes: the field still works. `non-breaking` and `annotation` only count.
 */
export function compareSpecs(before, after) {
  const { diffs, merged } = apiCompare(before, after, {
    // Passed explicitly: apiCompare works out the version but builds its default rules without it.
    rules: openapi3Rules({ version: getMaxOpenApiVersion(before, after) }),
  });
  // components/ is also compared on its own, with request rules and no description, but clients only meet it through
  // paths/ (where each use is reported); security schemes are the exception, being referred to by name.
  const changes = diffs
    .filter((diff) => diff.path[0] !== "components" || diff.path[1] === "securitySchemes")
    .map((diff) => ({ ...diff, ...reclassify(diff, merged) }));
  return {
    compared: changes.length,
    breaking: changes.filter((change) => change.type === "breaking" || change.type === "unclassified"),
    deprecated: changes.filter((change) => change.type === "deprecated"),
  };
}

/** Bundles two spec files and compares them (see compareSpecs). */
export async function findBreakingChanges(baseFile, headFile) {
  const [before, after] = await Promise.all([bundle(baseFile), bundle(headFile)]);
  return compareSpecs(before, after);
}

/** One line for a change: its JSON pointer, api-smart-diff's description and the values. */
export function formatChange(change) {
  const pointer = "#/" + change.path.map((key) => String(key).replaceAll("~", "~0").replaceAll("/", "~1")).join("/");
  const show = (value) => (value === undefined ? "(none)" : JSON.stringify(value));
  // Whole schemas or operations would swamp the line; the pointer already says which one.
  const values = [change.before, change.after].every((value) => show(value).length <= 60)
    ? ` ${show(change.before)} -> ${show(change.after)}`
    : "";
  const text = change.description || `[${change.action}]`;
  return `${pointer}: ${text}${values}${change.why ? ` (${change.why})` : ""}${change.type === "unclassified" ? " (unclassified: review it)" : ""}`;
}

function git(args, options = {}) {
  return execFileSync("git", args, {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 256 * 1024 * 1024,
    ...options,
  });
}
function tryGit(args) {
  try {
    return git(args, { encoding: "utf8" }).trim();
  } catch {
    return undefined;
  }
}

/** The ref to compare with: $LOFTY_BREAKING_BASE, else the latest `v*` tag, else HEAD~1; undefined when none exists. */
export function baseRef() {
  if (process.env.LOFTY_BREAKING_BASE) return { ref: process.env.LOFTY_BREAKING_BASE, source: "LOFTY_BREAKING_BASE" };
  const tag = tryGit(["describe", "--tags", "--abbrev=0", "--match", "v*"]);
  if (tag) return { ref: tag, source: "latest v* tag" };
  if (tryGit(["rev-parse", "--verify", "--quiet", "HEAD~1^{commit}"]))
    return { ref: "HEAD~1", source: "previous commit" };
}

const plural = (count, noun) => `${count} ${noun}${count === 1 ? "" : "s"}`;

function report({ compared, breaking, deprecated }, against) {
  for (const change of breaking) console.log(`BREAKING ${formatChange(change)}`);
  for (const change of deprecated) console.log(`deprecated ${formatChange(change)}`);
  if (breaking.length > 0) {
    console.log(
      `check:breaking: FAILED, ${plural(breaking.length, "breaking change")} (${plural(compared, "change")} compared against ${against})`,
    );
    return 1;
  }
  console.log(`check:breaking: no breaking changes (${plural(compared, "change")} compared against ${against})`);
  return 0;
}

async function main(argv) {
  const { values } = parseArgs({ args: argv, options: { base: { type: "string" }, head: { type: "string" } } });
  if (values.base || values.head) {
    if (!values.base || !values.head) throw new CheckError("give both --base <spec file> and --head <spec file>");
    return report(await findBreakingChanges(values.base, values.head), relative(process.cwd(), resolve(values.base)));
  }

  const base = baseRef();
  if (!base) {
    const shallow = tryGit(["rev-parse", "--is-shallow-repository"]) === "true";
    console.log(
      "check:breaking: nothing to compare: no LOFTY_BREAKING_BASE, no v* tag and no previous commit " +
        (shallow
          ? "(a shallow clone: fetch with `git fetch --unshallow --tags`)."
          : "(the first commit, or not a git repository)."),
    );
    return 0;
  }
  const commit = tryGit(["rev-parse", "--verify", "--quiet", `${base.ref}^{commit}`]);
  if (!commit) throw new CheckError(`${base.source} names ${base.ref}, which is not a commit here`);
  const against = `${base.ref} (${base.source}, ${commit.slice(0, 7)})`;

  const dir = mkdtempSync(join(tmpdir(), "lofty-breaking-base-"));
  try {
    // The ref's spec/ tree as it was committed (git archive | tar -x); the head is spec/ as it is on disk now.
    // A ref from before spec/ existed has no contract to break.
    const baseSpec = join(dir, "spec/openapi.yaml");
    if (tryGit(["cat-file", "-e", `${commit}:spec/openapi.yaml`]) === undefined) {
      console.log(`check:breaking: nothing to compare: ${against} has no spec/openapi.yaml.`);
      return 0;
    }
    execFileSync("tar", ["-x", "-C", dir], { input: git(["archive", "--format=tar", commit, "spec"]) });
    return report(await findBreakingChanges(baseSpec, join(root, "spec/openapi.yaml")), against);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error) => {
      console.error(`check:breaking: ${error instanceof CheckError ? error.message : (error.stack ?? error)}`);
      process.exitCode = 2;
    },
  );
}
