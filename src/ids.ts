// 64-bit ids: Lofty's ids can exceed 2^53 - 1, past which a JavaScript number silently rounds to a neighbour's id.
import { describe } from "./errors.js";

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const DECIMAL_INT64 = /^-?\d{1,19}$/;

/** A caller's int64 (safe-integer number, bigint or decimal string) as a bigint, or a message saying what to fix. */
export function toInt64(value: unknown): bigint | string {
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
    return `${String(value)} is unsafe (over 2^53): pass a string or bigint`;
  }
  const id = parseInt64(value);
  if (id !== undefined && id >= INT64_MIN && id <= INT64_MAX) return id;
  return `must be a 64-bit integer (number, bigint or string), got ${describe(value)}`;
}

function parseInt64(value: unknown): bigint | undefined {
  if (typeof value === "bigint") return value;
  if (typeof value === "number" && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === "string" && DECIMAL_INT64.test(value)) return BigInt(value);
  return undefined;
}
