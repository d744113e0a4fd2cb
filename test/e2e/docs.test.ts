// `npm run docs` for real, into a temp folder; the HTML opened from file:// in Chromium with every non-local request
// blocked: the operation and its request fields must render from the inlined bundle alone.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import type { Page } from "playwright-core";
import { afterAll, describe, expect, test } from "vitest";
import { operations, parametersOf } from "../support/spec.js";
import {
  beforeAllOrFailEach,
  isLocalUrl,
  launchChromium,
  skipBrowserTests,
  warnIfBrowserMissing,
  type LaunchedBrowser,
} from "../support/browser.js";

const suite = "e2e: the Redoc docs in Chromium, offline";
warnIfBrowserMissing(suite);

const root = fileURLToPath(new URL("../..", import.meta.url));
const redoclyCli = join(root, "node_modules/@redocly/cli/bin/cli.js");

/**
 * Non-local requests the page may attempt (they are blocked all the same): Redoc 3 always shows a "API docs by
 * Redocly" badge whose logo comes from Redocly's CDN, and hides it when it fails to load. Anything else — a script,
 * a stylesheet, a font, the spec — fails the test.
 */
const toleratedExternal = [/^https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(-full)?\.svg$/];

/** The package.json `docs` script, with its output redirected to `output`: the exact command `npm run docs` runs. */
async function docsCommand(output: string): Promise<string[]> {
  const { scripts } = JSON.parse(await readFile(join(root, "package.json"), "utf8"));
  const words = String(scripts.docs).split(/\s+/);
  const at = words.indexOf("--output");
  if (words[0] !== "redocly" || at < 0 || !words.includes("--inlineBundle")) {
    throw new Error(
      `package.json's docs script is not "redocly build-docs --inlineBundle --output …": ${scripts.docs}`,
    );
  }
  words[at + 1] = output;
  return [redoclyCli, ...words.slice(1)];
}

describe.skipIf(skipBrowserTests)(suite, () => {
  const startedAt = performance.now();
  let browser: LaunchedBrowser | undefined;
  let outDir: string | undefined;
  let html: string;
  let page: Page;
  /** Every request the page attempted to a non-local URL (all aborted). */
  const external: string[] = [];
  const pageErrors: string[] = [];

  beforeAllOrFailEach(async () => {
    outDir = await mkdtemp(join(tmpdir(), "lofty-e2e-docs-"));
    const output = join(outDir, "index.html");
    const build = async () => {
      await promisify(execFile)(process.execPath, await docsCommand(output), {
        cwd: root,
        // No phoning home from the build either (telemetry, update check).
        env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
        timeout: 60_000,
      });
      return readFile(output, "utf8");
    };
    // Assigned as soon as it is up, so afterAll closes it even if the build fails.
    const [built, launched] = await Promise.all([build(), launchChromium().then((b) => (browser = b))]);
    html = built;
    page = launched.page;
    await launched.context.route("**/*", (route) => {
      const url = route.request().url();
      if (isLocalUrl(url)) return route.continue();
      external.push(url);
      return route.abort("blockedbyclient");
    });
    await launched.context.routeWebSocket(/.*/, (ws) => {
      external.push(ws.url());
      return ws.close();
    });
    page.on("pageerror", (error) => pageErrors.push(String(error)));
    await page.goto(pathToFileURL(output).href);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (outDir) await rm(outDir, { recursive: true, force: true });
    if (external.length) console.info(`e2e: the docs page tried (and was refused) ${external.join(", ")}`);
    console.info(
      `e2e: the docs in Chromium took ${Math.round(performance.now() - startedAt)} ms (build-docs, launch, 3 tests)`,
    );
  });

  test("the HTML inlines everything: no script, stylesheet or font from elsewhere", () => {
    expect(html.length).toBeGreaterThan(100_000);
    expect(html).not.toMatch(/<script[^>]*\ssrc=/i);
    expect(html).not.toMatch(/<link[^>]*\shref=["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import\s+url\(["']?(https?:)?\/\//i);
  });

  const visible = (text: string) => page.getByText(text, { exact: true }).filter({ visible: true }).first();

  test("shows all seven operations, each with its path and parameters, with the network blocked", async () => {
    await visible("Lofty Calendar API").waitFor({ timeout: 15_000 });
    await page.getByRole("link", { name: "Calendar", exact: true }).first().click();
    expect(operations).toHaveLength(7);
    for (const op of operations) {
      // A sidebar link's name is the summary then the method ("Finish a calendar event POST").
      const link = new RegExp(`^${op.operation.summary as string}\\s`);
      await page.getByRole("link", { name: link }).first().click();
      // Redoc's anchor for an operation is its tag and its operationId, in lower case.
      const anchor = `calendar/${op.id.toLowerCase()}`;
      expect(decodeURIComponent(page.url()), op.id).toMatch(new RegExp(`#/${anchor}$`));
      const section = page.locator(`[id="${anchor}"]`);
      await section.getByText(op.operation.summary, { exact: true }).first().waitFor({ timeout: 10_000 });
      await section.getByText(op.path, { exact: true }).first().waitFor({ timeout: 5_000 });
      for (const parameter of parametersOf(op)) {
        const id = `${anchor}/t=request&in=${parameter.in as string}&path=${(parameter.name as string).toLowerCase()}`;
        await expect(page.locator(`[id="${id}"]`).count(), `${op.id} ${parameter.name as string}`).resolves.toBe(1);
      }
    }
    expect(pageErrors).toEqual([]);
  });

  test("renders createCalendar and its request fields with the network blocked", async () => {
    await visible("Lofty Calendar API").waitFor({ timeout: 15_000 });
    await page.getByRole("link", { name: "Calendar", exact: true }).first().click();
    await page.getByRole("link", { name: "Create a calendar event" }).first().click();
    expect(decodeURIComponent(page.url())).toMatch(/#\/calendar\/createcalendar$/i);
    await visible("Create a calendar event").waitFor({ timeout: 10_000 });
    await visible("/v2.0/calendar").waitFor();

    // The request body section (Redoc gives it the id "<tag>/<operation>/request/body"), TASK variant first…
    const body = page.locator('[id$="/request/body"]').first();
    await body.getByText("application/json", { exact: true }).first().waitFor({ timeout: 5_000 });
    const field = (name: string) => body.getByText(name, { exact: true }).filter({ visible: true }).first();
    const taskFields = [
      "type",
      "content",
      "leadId",
      "timeZoneCode",
      "startAt",
      "startAtMs",
      "endAt",
      "endAtMs",
      "taskWay",
      "assignedRole",
    ];
    for (const name of taskFields) await field(name).waitFor({ timeout: 5_000 }); // a timeout names the missing field
    await expect(field("address").count()).resolves.toBe(0);
    // …then the APPOINTMENT variant, which has address and no taskWay.
    await body.getByRole("tab", { name: "APPOINTMENT", exact: true }).click();
    await field("address").waitFor({ timeout: 5_000 });
    await field("taskWay").waitFor({ state: "detached", timeout: 5_000 });

    expect(pageErrors).toEqual([]);
    const unexpected = external.filter((url) => !toleratedExternal.some((allowed) => allowed.test(url)));
    expect(unexpected, "the docs page tried to load something from outside this machine").toEqual([]);
  });
});
