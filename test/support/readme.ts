// Reads the README's fenced code blocks, so tests run the README's examples verbatim.
import { readFileSync } from "node:fs";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

/** The bodies of the README's fenced blocks in a language, in order. */
export function readmeBlocks(language: string): string[] {
  return [...readme.matchAll(/^```(\S*)\n([\s\S]*?)^```$/gm)].filter((m) => m[1] === language).map((m) => m[2]!);
}

/** A README `curl` line turned into fetch arguments: method, URL, headers and body exactly as written. */
export function parseCurl(block: string): {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
} {
  const line = block.replace(/\\\n\s*/g, " ");
  const url = /(https?:\/\/\S+)/.exec(line)?.[1];
  if (!url) throw new Error(`no URL in curl block:\n${block}`);
  const headers = Object.fromEntries(
    [...line.matchAll(/-H '([^:']+):\s*([^']*)'/g)].map((m) => [m[1]!, m[2]!] as const),
  );
  const body = /-d '([^']*)'/.exec(line)?.[1];
  const method = /-X (\w+)/.exec(line)?.[1] ?? (body ? "POST" : "GET");
  return { method, url, headers, ...(body === undefined ? {} : { body }) };
}
