// 64-bit ids: Lofty's ids can exceed 2^53 - 1, past which a JavaScript number silently rounds to a neighbour's id.

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A caller's int64 (safe-integer number, bigint or decimal string) as a bigint, or a message saying what to fix. */
export function toInt64(value: unknown): bigint | string {
  let id: bigint;
  if (typeof value === "bigint") id = value;
  else if (typeof value === "number") {
    if (!Number.isInteger(value)) return `must be an integer, got ${value}`;
    if (!Number.isSafeInteger(value)) {
      return `${value} is beyond 2^53 - 1, so its digits may already be wrong: pass the id as a string or bigint`;
    }
    id = BigInt(value);
  } else if (typeof value === "string") {
    if (!/^-?\d{1,19}$/.test(value)) return `must be a decimal integer string, got ${describe(value)}`;
    id = BigInt(value);
  } else return `must be an integer (a number, bigint or decimal string), got ${describe(value)}`;
  return id < INT64_MIN || id > INT64_MAX ? `${id} is outside the 64-bit integer range` : id;
}

/** A short, safe rendering of a bad value for an error message. */
export function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === "bigint") return `${value}n`;
  if (value === null || typeof value === "number" || typeof value === "boolean" || value === undefined) {
    return Object.is(value, -0) ? "-0" : String(value);
  }
  return Array.isArray(value) ? "an array" : `a ${typeof value}`;
}
