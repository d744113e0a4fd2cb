// The SDK in a real browser: a page on one localhost port, bundled SDK, events created on the Prism mock on another
// port (cross-origin, with a CORS preflight for the Authorization header), results read from the page's DOM.
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { CDPSession, Page, Request } from "playwright-core";
import { afterAll, describe, expect, inject, test } from "vitest";
import {
  beforeAllOrFailEach,
  launchChromium,
  skipBrowserTests,
  warnIfBrowserMissing,
  type LaunchedBrowser,
} from "../support/browser.js";

const suite = "e2e: the SDK in Chromium";
warnIfBrowserMissing(suite);

const mockUrl = inject("mockUrl");
const mockOrigin = new URL(mockUrl).origin;
const entry = fileURLToPath(new URL("../../src/index.ts", import.meta.url));
const html = readFileSync(new URL("page/index.html", import.meta.url), "utf8");

/** Bundles src/index.ts for browsers, in memory: what a frontend's bundler would make of the package. */
async function bundleSdk(): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error("esbuild produced no output");
  return output.text;
}

/** Serves the page and the bundle on 127.0.0.1, on a free port (a different origin from the mock). */
async function servePage(sdk: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    if (request.method === "GET" && path === "/") {
      response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(html);
    } else if (request.method === "GET" && path === "/lofty-calendar.js") {
      response.writeHead(200, { "Content-Type": "text/javascript; charset=utf-8" }).end(sdk);
    } else {
      response.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

interface Preflight {
  url: string;
  method: string;
  requestHeaders: string;
  status?: number;
}

describe.skipIf(skipBrowserTests)(suite, () => {
  const startedAt = performance.now();
  let browser: LaunchedBrowser | undefined;
  let server: Server | undefined;
  let page: Page;
  let pageOrigin: string;
  let cdp: CDPSession;
  /** Every request the page sent to the mock (Playwright's view; CORS preflights are not among them). */
  const mockRequests: Request[] = [];
  /** CORS preflights to the mock, as Chromium's network stack reports them over CDP. */
  const preflights = new Map<string, Preflight>();
  const pageErrors: string[] = [];

  beforeAllOrFailEach(async () => {
    // Assigned as soon as it is up, so afterAll closes it even if the bundle fails.
    const [sdk, launched] = await Promise.all([bundleSdk(), launchChromium().then((b) => (browser = b))]);
    page = launched.page;
    const served = await servePage(sdk);
    server = served.server;
    pageOrigin = served.origin;
    expect(pageOrigin).not.toBe(mockOrigin);

    page.on("request", (request) => {
      if (request.url().startsWith(mockOrigin)) mockRequests.push(request);
    });
    page.on("pageerror", (error) => pageErrors.push(String(error)));
    cdp = await launched.context.newCDPSession(page);
    cdp.on("Network.requestWillBeSent", (event) => {
      // Playwright does not report preflights as requests; Chromium's network stack does, initiated by "preflight".
      if (event.initiator.type === "preflight" && event.request.url.startsWith(mockOrigin)) {
        preflights.set(event.requestId, {
          url: event.request.url,
          method: event.request.method,
          requestHeaders: event.request.headers["Access-Control-Request-Headers"] ?? "",
        });
      }
    });
    cdp.on("Network.responseReceived", (event) => {
      const preflight = preflights.get(event.requestId);
      if (preflight) preflight.status = event.response.status;
    });
    await cdp.send("Network.enable");

    await page.goto(`${pageOrigin}/?mock=${encodeURIComponent(mockUrl)}`);
    await page.locator('#status[data-state="ready"]').waitFor({ timeout: 10_000 });
  }, 30_000);

  afterAll(async () => {
    await cdp.detach().catch(() => {});
    await browser?.close();
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    console.info(
      `e2e: the SDK in Chromium took ${Math.round(performance.now() - startedAt)} ms (launch, bundle, 3 tests)`,
    );
  });

  /** Clicks a button of the page and returns what the page shows: `{ field: visible text }`. */
  async function click(button: string): Promise<Record<string, string>> {
    await page.click(button);
    await page.locator('#status[data-state="done"]').waitFor({ timeout: 15_000 });
    const fields: Record<string, string> = {};
    for (const dd of await page.locator("#result dd").all()) {
      fields[(await dd.getAttribute("data-field")) ?? "?"] = await dd.innerText();
    }
    expect(pageErrors).toEqual([]);
    return fields;
  }

  test("creates a task on the mock cross-origin and shows its id and type", async () => {
    const before = mockRequests.length;
    const shown = await click("#create");
    expect(shown).toMatchObject({
      outcome: "created",
      id: "12345-task",
      type: "TASK",
      message: "Task created successfully",
    });
    await expect(page.locator("#result").innerText()).resolves.toContain("12345-task");

    // The browser itself sent the POST, from the page's origin to the mock's, with the token.
    const posts = mockRequests.slice(before).filter((request) => request.method() === "POST");
    expect(posts).toHaveLength(1);
    const post = posts[0]!;
    expect(post.url()).toBe(`${mockOrigin}/v2.0/calendar`);
    const headers = await post.allHeaders();
    expect(headers.authorization).toBe("Bearer e2e-browser-token");
    expect(headers.origin).toBe(pageOrigin);
    expect(JSON.parse(post.postData() ?? "null")).toMatchObject({
      leadId: 563172647619608,
      startAt: "2027-03-01T14:00:00-08:00",
      startAtMs: 1803938400000,
    });
    expect(post.postData()).toContain('"leadId":563172647619608,');
    const response = await post.response();
    expect(response?.status()).toBe(200);
    expect((await response!.allHeaders())["access-control-allow-origin"]).toBe(pageOrigin);

    // …after a CORS preflight that asked for Authorization and was allowed.
    const preflight = [...preflights.values()].find((p) => p.url === `${mockOrigin}/v2.0/calendar`);
    expect(preflight, "Chromium sent no CORS preflight to the mock").toBeDefined();
    expect(preflight!.method).toBe("OPTIONS");
    expect(preflight!.requestHeaders.split(",")).toContain("authorization");
    expect(preflight!.status).toBeGreaterThanOrEqual(200);
    expect(preflight!.status).toBeLessThan(300);
  });

  test("refuses an invalid task with LoftyValidationError listing each field, and sends nothing", async () => {
    const before = mockRequests.length;
    const shown = await click("#invalid");
    expect(shown).toMatchObject({ outcome: "LoftyError", name: "LoftyValidationError", mayHaveBeenCreated: "false" });
    expect(shown.issues!.split(", ").sort()).toEqual(["address", "leadId", "taskWay", "timeZoneCode"]);
    expect(mockRequests.slice(before).map((request) => `${request.method()} ${request.url()}`)).toEqual([]);
  });

  test("shows Lofty's 400 PERMISSION_DENIED (20017) as LoftyPermissionDeniedError (Prefer through the fetch option)", async () => {
    const before = mockRequests.length;
    const shown = await click("#denied");
    expect(shown).toMatchObject({
      outcome: "LoftyError",
      name: "LoftyPermissionDeniedError",
      status: "400",
      code: "20017",
      mayHaveBeenCreated: "false",
    });
    expect(shown.message).not.toContain("e2e-browser-token");
    const posts = mockRequests.slice(before).filter((request) => request.method() === "POST");
    expect(posts).toHaveLength(1);
    const headers = await posts[0]!.allHeaders();
    expect(headers).toMatchObject({
      authorization: "Bearer e2e-browser-token",
      prefer: "code=400, example=permissionDenied",
      origin: pageOrigin,
    });
    const preflight = [...preflights.values()].find((p) => p.requestHeaders.split(",").includes("prefer"));
    expect(preflight?.status, "no allowed preflight for the Prefer header").toBeLessThan(300);
  });
});
