// The README's SDK example, run verbatim against the Prism mock (only the import path and the port are swapped).
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, expect, inject, test, vi } from "vitest";
import { readmeBlocks } from "../support/readme.js";

const mockUrl = inject("mockUrl");
afterEach(() => vi.restoreAllMocks());

/** The README's ts block that contains `marker`, written out with the SDK's source and the mock's URL swapped in. */
function readmeExample(marker: string, name: string): string {
  const example = readmeBlocks("ts").find((block) => block.includes(marker));
  expect(example, marker).toBeDefined();
  const source = example!
    .replace(
      'from "lofty-calendar"',
      `from ${JSON.stringify(fileURLToPath(new URL("../../src/index.ts", import.meta.url)))}`,
    )
    .replace("http://127.0.0.1:4010", mockUrl);
  const dir = fileURLToPath(new URL("../../reports/readme/", import.meta.url));
  mkdirSync(dir, { recursive: true });
  const file = `${dir}${name}-${process.pid}.ts`;
  writeFileSync(file, source);
  return file;
}

test("the README's calendar.create example prints the created task and sends the README's wire body", async () => {
  const file = readmeExample("lofty.calendar.create(", "example");

  const realFetch = globalThis.fetch;
  const sent: string[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    if (typeof init?.body === "string") sent.push(init.body);
    return realFetch(input, init);
  });
  const printed: unknown[] = [];
  vi.spyOn(console, "log").mockImplementation((...args) => void printed.push(...args));
  const errors: unknown[] = [];
  vi.spyOn(console, "error").mockImplementation((...args) => void errors.push(...args));

  await import(/* @vite-ignore */ file);

  expect(errors).toEqual([]);
  expect(printed).toEqual([{ id: "12345-task", type: "TASK", message: "Task created successfully" }]);
  const wire = readmeBlocks("json").find((block) => block.includes('"startAtMs"'));
  expect(sent).toEqual([wire!.trim()]);
});

test("the README's list, update and finish example runs against the mock and prints what it says", async () => {
  const file = readmeExample("lofty.calendar.list(", "family");
  const printed: unknown[][] = [];
  vi.spyOn(console, "log").mockImplementation((...args) => void printed.push(args));

  await import(/* @vite-ignore */ file);

  const [total, ids] = printed[0]!;
  expect(total).toBeTypeOf("number");
  expect(ids).toEqual(expect.arrayContaining([expect.stringMatching(/^\d+-(task|appointment)$/)]));
  expect(printed).toContainEqual([{ message: expect.any(String) }]);
  expect(printed.at(-1)![1]).toEqual(expect.any(Array)); // the free slots
});
