// `npm run mock:dynamic`: generated answers that are repeatable (seed) and valid against the spec, with nothing the
// spec does not declare. Two dynamic mocks run here: one through startPrism, one through the npm script's command.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { defaultSeed, dynamicArgs, freePort, startPrism } from "../../mocks/prism.mjs";
import { send, validCall } from "../support/mock-calls.js";
import {
  deref,
  operationById,
  operations,
  requestExamples,
  responseExamples,
  responseMedia,
  responseValidator,
  type SpecOperation,
} from "../support/spec.js";

const seed = "contract-seed";
const create = operationById("createCalendar");
const task = requestExamples(create).task;
/** Every status the spec gives an operation (the same six for all seven). */
const codes = Object.keys(create.operation.responses).map(Number);

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
  child.stderr.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const found = output.split("\n").find((l) => l.includes("listening on"));
      if (found) resolve(found);
    });
    child.once("exit", (code) => {
      reject(new Error(`start.mjs exited with ${String(code)}:\n${output}`));
    });
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

/** A spec-valid request of an operation (createCalendar unless told) with a Prefer header. */
function call(baseUrl: string, prefer: string, authorization = "Bearer test-token", op: SpecOperation = create) {
  const headers = { Authorization: authorization, ...(prefer ? { Prefer: prefer } : {}) };
  return send(baseUrl, op, { ...validCall(op), headers });
}

const preferFor = (code: number) => (code === 200 ? "" : `code=${code}`);

/** Paths of properties in `value` that `schema` (followed through refs, oneOf/anyOf/allOf) does not declare. */
function undeclared(value: unknown, schema: any, path = "$"): string[] {
  const node = deref(schema);
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
  // Either may be unset when beforeAll failed half-way.
  const started = viaStartPrism as typeof viaStartPrism | undefined;
  const spawned = cli as typeof cli | undefined;
  await started?.stop();
  if (spawned && spawned.child.exitCode === null && spawned.child.signalCode === null) {
    spawned.child.kill("SIGTERM");
    await spawned.exited;
  }
  if (spawned && isAlive(spawned.prismPid)) process.kill(spawned.prismPid, "SIGKILL");
});

describe("npm run mock:dynamic", () => {
  test("prints one line: where it listens (PORT), the seed (SEED) and how to pick a scenario", () => {
    expect(cli.line).toMatch(
      /^Lofty mock \(Prism, dynamic, seed "contract-seed", pid \d+, ready in \d+ ms\) listening on http:\/\/127\.0\.0\.1:\d+\/v2\.0\/calendar\./,
    );
    expect(cli.line).toContain('Prefer header: "example=task", "example=appointment" or "code=');
    // It names every error status the spec gives (whatever else it names).
    for (const code of codes.filter((c) => c !== 200)) expect(cli.line).toContain(String(code));
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

  test.each(operations.map((op, index) => [op.id, op, index] as const))(
    "%s: generated answers (200 and every error status, several seeds) validate and declare every property",
    async (_id, op, index) => {
      const seen = new Set<string>();
      for (const code of codes) {
        for (let i = 0; i < 3; i++) {
          // A per-request seed explores the generator; the server's seed alone gives one answer per status. One seed
          // per request: the same seed gives the same error body whatever the status (they share one schema).
          const prefer = [preferFor(code), `seed=${String(index)}-${String(code)}-${String(i)}`]
            .filter(Boolean)
            .join(", ");
          const response = await call(viaStartPrism.url, prefer, "Bearer test-token", op);
          const label = `${op.id} ${prefer}`;
          expect(response.status, label).toBe(code);
          expect(response.headers.get("sl-violations"), label).toBeNull(); // Prism validates its own answer too
          const body = await response.json();
          seen.add(JSON.stringify(body));
          const validate = responseValidator(op, code);
          expect(validate(body), `${label} ${JSON.stringify(body)} ${JSON.stringify(validate.errors)}`).toBe(true);
          expect(undeclared(body, responseMedia(op, code).schema), `${label} ${JSON.stringify(body)}`).toEqual([]);
          for (const name of ["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"]) {
            expect(response.headers.get(name), `${label} ${name}`).toMatch(/^\d+$/);
          }
          if (code === 429) expect(response.headers.get("x-ratelimit-remaining"), label).toBe("0");
        }
      }
      // Really generated, not one example repeated: most answers differ.
      expect(seen.size, op.id).toBeGreaterThan(codes.length * 2);
    },
  );

  test("generated ids follow the calendarId pattern, whatever the operation", async () => {
    const list = operationById("queryCalendars");
    for (let i = 0; i < 5; i++) {
      const created = await (await call(viaStartPrism.url, `seed=${i}`)).json();
      const page = await (await call(viaStartPrism.url, `seed=${i}`, "Bearer test-token", list)).json();
      const ids = [created.data.id, ...page.data.items.map((item: { id: string }) => item.id)];
      for (const id of ids) expect(id).toMatch(new RegExp(deref({ $ref: "#/components/schemas/CalendarId" }).pattern));
    }
  });

  test("credentials are still checked: a malformed Authorization is a 401 with Lofty's example body", async () => {
    const response = await call(viaStartPrism.url, "", "Basic abc");
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual(Object.values(responseExamples(create, 401))[0]);
  });

  test("an invalid body is still a 400 with Lofty's example body", async () => {
    const response = await fetch(`${viaStartPrism.url}/v2.0/calendar`, {
      method: "POST",
      headers: { Authorization: "Bearer test-token", "Content-Type": "application/json" },
      body: JSON.stringify({ ...task, taskWay: "Fax" }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual(Object.values(responseExamples(create, 400))[0]);
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
