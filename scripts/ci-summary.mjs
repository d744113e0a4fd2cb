// Prints one line, `N passed, N failed[, N skipped]`, from vitest's JSON report (reports/vitest.json) for CI.
import { existsSync, readFileSync } from "node:fs";

const file = new URL("../reports/vitest.json", import.meta.url);
if (!existsSync(file)) {
  console.log("0 passed, 1 failed");
  console.error(
    "reports/vitest.json is missing: npm test stopped before vitest ran (see lint, check:generated, typecheck above).",
  );
  process.exit(1);
}
const report = JSON.parse(readFileSync(file, "utf8"));
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`${report.numPassedTests} passed, ${report.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(report.numFailedTests === 0 && report.success !== false ? 0 : 1);
