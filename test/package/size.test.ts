// The browser bundle of createLoftyClient may not grow: `npm run size` prints the figures against the 11,264 B budget.
import { expect, test } from "vitest";
import {
  BUDGET_BYTES,
  measure,
  measureBreakdown,
  measureRulesByOperation,
  RATCHET_BYTES,
} from "../../scripts/size.mjs";

test("the createLoftyClient browser bundle stays below the size ratchet (and the budget once met)", async () => {
  const { gzipped, inputs } = await measure();
  console.info(`size: ${gzipped} B gzipped (budget ${BUDGET_BYTES}, ratchet ${RATCHET_BYTES})`);
  expect(inputs.map((input) => input.file)).toContain("node_modules/openapi-fetch/dist/index.mjs");
  expect(gzipped).toBeLessThanOrEqual(Math.max(BUDGET_BYTES, RATCHET_BYTES));
});

test("the breakdown still builds: every stub names what its module exports, every operation's rules are counted", async () => {
  const breakdown = await measureBreakdown();
  for (const [file, bytes] of Object.entries(breakdown)) expect(bytes, file).toBeGreaterThan(0);
  const byOperation = await measureRulesByOperation();
  expect(Object.keys(byOperation)).toHaveLength(7);
});
