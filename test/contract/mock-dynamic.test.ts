// `npm run mock:dynamic`: generated answers that are repeatable (seed) and valid against the spec, with nothing the
// spec does not declare. Two dynamic mocks run here: one through startPrism, one through the npm script's command.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { defaultSeed, dynamicArgs, freePort, startPrism } from "../../mocks/prism.mjs";
import { createOperation, deref, namedExamples, validatorFor } from "../support/spec.js";

const seed = "contract-seed";
const task = namedExamples(createOperation.requestBody.content["application/json"]).task;
const codes = [200, 400, 401, 403, 404, 429, 500] as const;

let viaStartPrism: Awaited<ReturnType<typeof startPrism>>;
let cli: { child: ChildProcess; line: string; url: string; prismPid: number; exited: Promise<unknown> };

/** Runs `node mocks/start.mjs --dynamic` (what `npm run mock:dynamic` runs) and waits for its one line. */
async function startCli(env: Record<string, string>) {
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL("../../mocks/start.mjs", import.meta.url)), "--dynamic"],
    {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const exited = once(child, "exit");
  let output = "";
  child.stderr!.on("data", (chunk) => (output += chunk));
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (chunk) => {
      output += chunk;
      const found = output.split("\n").find((l) => l.includes("listening on"));
      if (found) resolve(found);
    });
    child.once("exit", (code) => reject(new Error(`start.mjs exited with ${code}:\n${output}`)));
  });
  const url = /listening on (http:\/\/\S+?)\/v2\.0\/calendar/.exec(line)?.[1] ?? "";
  const prismPid = Number(/pid (\d+)/.exec(line)?.[1]);
  return { child, line, url, prismPid, exited };
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function call(baseUrl: string, prefer: string, authorization = "Bearer test-token") {
  return fetch(`${baseUrl}/v2.0/calendar`, {
    method: "POST",
    headers: {
      Authorization: authorization,
      "Content-Type": "application/json",
      ...(prefer ? { Prefer: prefer } : {}),
    },
    body: JSON.stringify(task),
  });
}

const preferFor = (code: number) => (code === 200 ? "" : `code=${code}`);

/** Paths of properties in `value` that `schema` (followed through refs, oneOf/anyOf/allOf) does not declare. */
function undeclared(value: unknown, schema: any, path = "$"): string[] {
  const node = deref<any>(schema);
  if (!node || typeof value !== "object" || value === null || Array.isArray(value)) return [];
  const branches = [...(node.oneOf ?? []), ...(node.anyOf ?? []), ...(node.allOf ?? [])];
  if (branches.length > 0) {
    const results = branches.map((branch: unknown) => undeclared(value, branch, path));
    return results.find((r) => r.length === 0) ?? results[0]!;
  }
  const properties: Record<string, unknown> = node.properties ?? {};
  return Object.entries(value).flatMap(([key, child]) =>
    key in properties ? undeclared(child, properties[key], `${path}.${key}`) : [`${path}.${key}`],
  );
}

beforeAll(async () => {
  const port = await freePort();
  [viaStartPrism, cli] = await Promise.all([
    startPrism({ dynamic: true, seed }),
    startCli({ PORT: String(port), SEED: seed }),
  ]);
});

afterAll(async () => {
  await viaStartPrism?.stop();
  if (cli && cli.child.exitCode === null && cli.child.signalCode === null) {
    cli.child.kill("SIGTERM");
    await cli.exited;
  }
  if (cli && isAlive(cli.prismPid)) process.kill(cli.prismPid, "SIGKILL");
});

describe("npm run mock:dynamic", () => {
  test("prints one line: where it listens (PORT), the seed (SEED) and how to pick a scenario", () => {
    expect(cli.line).toMatch(
      /^Lofty mock \(Prism, dynamic, seed "contract-seed", pid \d+, ready in \d+ ms\) listening on http:\/\/127\.0\.0\.1:\d+\/v2\.0\/calendar\./,
    );
    expect(cli.line).toContain(
      'Prefer header: "example=task", "example=appointment" or "code=400|401|403|404|429|500"',
    );
    expect(isAlive(cli.prismPid)).toBe(true);
  });

  test("runs Prism with -d, the seed (a fixed default) and no invented properties", () => {
    expect(dynamicArgs()).toEqual(["-d", "--seed", defaultSeed, "--json-schema-faker-fillProperties=false"]);
    expect(dynamicArgs(7)).toContain("7");
  });

  test("two runs with the same seed give the same answers, and another seed other ones", async () => {
    for (const code of codes) {
      const [a, b] = await Promise.all([call(viaStartPrism.url, preferFor(code)), call(cli.url, preferFor(code))]);
      expect([a.status, b.status], `code ${code}`).toEqual([code, code]);
      expect(await a.text(), `code ${code}`).toBe(await b.text());
      for (const name of ["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"]) {
        expect(a.headers.get(name), `code ${code} ${name}`).toBe(b.headers.get(name));
      }
    }
    const [same, other] = await Promise.all([
      call(viaStartPrism.url, "").then((r) => r.text()),
      call(viaStartPrism.url, "seed=another-seed").then((r) => r.text()),
    ]);
    expect(other).not.toBe(same);
  });

  test("50 generated answers (200 and every error code) validate against the spec and declare every property", async () => {
    const validateOk = validatorFor("#/components/schemas/CalendarCreateResponse");
    const validateError = validatorFor("#/components/schemas/Error");
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const code = codes[i % codes.length]!;
      // A per-request seed explores the generator; the server's seed alone gives one answer per status.
      const prefer = [preferFor(code), `seed=${i}`].filter(Boolean).join(", ");
      const response = await call(viaStartPrism.url, prefer);
      const label = `#${i} ${prefer}`;
      expect(response.status, label).toBe(code);
      expect(response.headers.get("sl-violations"), label).toBeNull(); // Prism validates its own answer too
      const body = await response.json();
      seen.add(JSON.stringify(body));
      const validate = code === 200 ? validateOk : validateError;
      expect(validate(body), `${label} ${JSON.stringify(body)} ${JSON.stringify(validate.errors)}`).toBe(true);
      const schema =
        code === 200
          ? createOperation.responses["200"].content["application/json"].schema
          : { $ref: "#/components/schemas/Error" };
      expect(undeclared(body, schema), `${label} ${JSON.stringify(body)}`).toEqual([]);
      for (const name of ["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"]) {
        expect(response.headers.get(name), `${label} ${name}`).toMatch(/^\d+$/);
      }
      if (code === 429) expect(response.headers.get("x-ratelimit-remaining"), label).toBe("0");
    }
    expect(seen.size).toBeGreaterThan(40); // really generated, not one example repeated
  });

  test("credentials are still checked: a malformed Authorization is a 401 with Lofty's example body", async () => {
    const response = await call(viaStartPrism.url, "", "Basic abc");
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ code: "BAD_CREDENTIALS", message: "Bad credentials" });
  });

  test("an invalid body is still a 400 with Lofty's example body", async () => {
    const response = await fetch(`${viaStartPrism.url}/v2.0/calendar`, {
      method: "POST",
      headers: { Authorization: "Bearer test-token", "Content-Type": "application/json" },
      body: JSON.stringify({ ...task, taskWay: "Fax" }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ code: "INVALID_PARAMETER", message: "Invalid parameter" });
  });

  test("why the auth front exists: Prism alone lets a malformed Authorization through", async () => {
    const direct = await call(viaStartPrism.prismUrl, "", "Basic abc");
    expect(direct.status).toBe(200);
  });

  test("Prism's start-up time (spawn to first answer) is measured", () => {
    console.log(
      `Prism start-up: ${Math.round(viaStartPrism.startupMs)} ms (startPrism), CLI line: ${cli.line.match(/ready in \d+ ms/)?.[0]}`,
    );
    expect(viaStartPrism.startupMs).toBeGreaterThan(0);
    expect(viaStartPrism.startupMs).toBeLessThan(15_000);
  });

  test("stopping it (SIGTERM, as Ctrl+C) stops its Prism too", async () => {
    cli.child.kill("SIGTERM");
    const [code] = (await cli.exited) as [number | null];
    expect(code).toBe(0);
    expect(isAlive(cli.prismPid)).toBe(false);
    await expect(fetch(`${cli.url}/v2.0/calendar`, { method: "OPTIONS" })).rejects.toThrow();
  });
});
