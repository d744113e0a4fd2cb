// Launches Debian's Chromium (never a Playwright-downloaded one) for the e2e tests, and says when they must skip.
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { beforeAll, beforeEach } from "vitest";

/** The browser binary: Debian's `chromium` package; `LOFTY_CHROMIUM` overrides it (e.g. a missing path, to see the skip). */
export const chromiumPath = process.env.LOFTY_CHROMIUM || "/usr/bin/chromium";

/** Set by .ci/run: a missing Chromium fails the browser tests instead of skipping them. */
export const browserRequired = process.env.LOFTY_REQUIRE_BROWSER === "1";

/** The command that installs what the browser tests need. */
export const chromiumFix = "apt-get update && apt-get install -y --no-install-recommends chromium";

/** Whether the browser suites skip: no Chromium at `chromiumPath`, and LOFTY_REQUIRE_BROWSER is not 1. */
export const skipBrowserTests = !existsSync(chromiumPath) && !browserRequired;

/**
 * Chromium's switches: no GPU, QUIC, sync, first-run UI or background traffic (component updates, safe-browsing
 * lists …), and no sandbox (the tests run as root in CI, where Chromium refuses to start sandboxed). `--headless` is
 * the brief's too, but Playwright adds it itself for `headless: true` (new headless mode), so it is not repeated here.
 */
export const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/**
 * Prints, loudly, why a browser suite is skipped and how to fix it; call it at the top of every e2e file.
 * Does nothing when Chromium is there or when LOFTY_REQUIRE_BROWSER=1 (then the suite runs and fails instead).
 */
export function warnIfBrowserMissing(suite: string): void {
  if (!skipBrowserTests) return;
  const line = "!".repeat(100);
  console.warn(
    `\n${line}\n!! SKIPPED: ${suite}: no Chromium at ${chromiumPath}.\n` +
      `!! Fix: ${chromiumFix}   (as root; CI does this in .ci/run and fails with LOFTY_REQUIRE_BROWSER=1 when it is missing)\n${line}\n`,
  );
}

/** A running Chromium: its one context (persistent, fresh user-data dir), the first page, and how to close it all. */
export interface LaunchedBrowser {
  context: BrowserContext;
  page: Page;
  /** Closes Chromium and removes its temporary user-data dir; safe to call twice. */
  close(): Promise<void>;
}

/** Launches headless Chromium with `chromiumArgs` and a fresh temporary user-data dir. */
export async function launchChromium(): Promise<LaunchedBrowser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `No Chromium at ${chromiumPath}, and LOFTY_REQUIRE_BROWSER=1 forbids skipping the browser tests. Fix: ${chromiumFix}`,
    );
  }
  const userDataDir = await mkdtemp(join(tmpdir(), "lofty-e2e-chromium-"));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath,
      headless: true,
      args: chromiumArgs,
      timeout: 20_000,
      // The page must not reach the outside world; a service worker could fetch past page.route.
      serviceWorkers: "block",
    });
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true, maxRetries: 3 });
    throw error;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  let closed: Promise<void> | undefined;
  return {
    context,
    page,
    close() {
      closed ??= (async () => {
        try {
          await context.close();
        } finally {
          await rm(userDataDir, { recursive: true, force: true, maxRetries: 3 });
        }
      })();
      return closed;
    },
  };
}

/** Hosts a test page may talk to: this machine only. */
export function isLocalUrl(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  if (protocol === "data:" || protocol === "blob:" || protocol === "about:") return true;
  if (protocol === "file:") return true;
  return /^(127(\.\d{1,3}){3}|localhost|\[::1\])$/.test(hostname);
}

/**
 * `beforeAll(setup)`, except that a failed setup (no Chromium under LOFTY_REQUIRE_BROWSER=1, a crash at launch…)
 * fails every test of the suite with its error: vitest would report them as skipped otherwise, and CI's summary line
 * would read "0 failed, N skipped".
 */
export function beforeAllOrFailEach(setup: () => Promise<void>, timeoutMs: number): void {
  let failure: unknown;
  beforeAll(async () => {
    try {
      await setup();
    } catch (error) {
      failure = error;
    }
  }, timeoutMs);
  beforeEach(() => {
    if (failure !== undefined) throw failure instanceof Error ? failure : new Error(String(failure));
  });
}
