// Exact 64-bit ids in answers: JSON.parse rounds 9007199254740993 to 9007199254740992, so the id fields of an
// answer are read as decimal strings, every digit kept, before the text is parsed.
import { parseJson } from "./errors.js";

// A JSON string (escapes and all), and, when it is a key followed by an integer, the colon and the digits. Matching
// from string to string, the scan never starts inside one.
const STRING_THEN_INTEGER = /"(?:[^"\\]|\\.)*"(?:(\s*:\s*)(-?\d+)(?![\d.eE]))?/g;

/** The JSON of an answer, with the integer values of the fields named in `ids` as strings; text that is not JSON as is. */
export function parseAnswer(text: unknown, ids: readonly string[]): unknown {
  // Not a string: what openapi-fetch parsed already (a non-2xx body a middleware gave).
  if (typeof text !== "string" || ids.length === 0) return parseJson(text);
  return parseJson(quoteIds(text, ids));
}

/** The text with every integer that is the value of an id field written as a JSON string. */
function quoteIds(text: string, ids: readonly string[]): string {
  return text.replace(STRING_THEN_INTEGER, (match, colon: string | undefined, digits: string | undefined) => {
    if (colon === undefined || digits === undefined) return match;
    const key = match.slice(0, match.length - colon.length - digits.length);
    return ids.includes(key.slice(1, -1)) ? `${key}${colon}"${digits}"` : match;
  });
}
