// 64-bit ids: Lofty's ids can exceed 2^53 - 1, past which a JavaScript number silently rounds to a neighbour's id.
import { describe } from "./errors.js";

/** A caller's int64 (safe-integer number, bigint or decimal string) as a bigint, or a message saying what to fix. */
export function toInt64(value: unknown): bigint | string {
  if (Number.isInteger(value) && !Number.isSafeInteger(value))
    return `${value} is unsafe (over 2^53): pass a string or bigint`;
  const id =
    typeof value == "bigint" || Number.isSafeInteger(value) || (typeof value == "string" && /^-?\d{1,19}$/.test(value))
      ? BigInt(value as bigint)
      : NaN;
  // NaN compares false: not an integer at all.
  return id >= -(2n ** 63n) && id < 2n ** 63n
    ? (id as bigint)
    : `must be a 64-bit integer (number, bigint or string), got ${describe(value)}`;
}
