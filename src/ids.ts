// 64-bit ids: Lofty's ids can exceed 2^53 - 1, past which a JavaScript number silently rounds to a neighbour's id.

const LIMIT = 2n ** 63n;

/** A caller's int64 (safe-integer number, bigint or decimal string) as a bigint, or a message saying what to fix. */
export function toInt64(value: unknown): bigint | string {
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
    return `${value} is past 2^53 - 1, so its digits may be wrong already: pass the id as a string or bigint`;
  }
  const id =
    typeof value === "bigint" || Number.isSafeInteger(value) || (typeof value === "string" && /^-?\d{1,19}$/.test(value))
      ? BigInt(value as bigint)
      : undefined;
  if (id === undefined) return `must be an integer (a number, bigint or decimal string), got ${describe(value)}`;
  return id < -LIMIT || id >= LIMIT ? `${describe(id)} is outside the 64-bit range` : id;
}

/** A short, safe rendering of a bad value for an error message (never a secret: only caller input reaches here). */
export function describe(value: unknown): string {
  const type = typeof value;
  return type === "string"
    ? JSON.stringify((value as string).slice(0, 40))
    : type === "bigint"
      ? `${String(value).slice(0, 40)}n`
      : type === "function" || (type === "object" && value)
        ? `a ${Array.isArray(value) ? "list" : type}`
        : Object.is(value, -0)
          ? "-0"
          : String(value);
}
