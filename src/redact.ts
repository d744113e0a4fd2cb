// A server or gateway that echoes the Authorization header must not put the secret into an error.

const REDACTED = "[redacted]";
// Real secrets are long; redacting a toy one of a few characters would mangle the JSON around it.
const SHORTEST_REDACTED = 8;
const ESCAPE = /\\(?:u([\da-f]{4})|(.))/gi;

/**
 * The answer's text without `secret`: replaced where it stands raw; where it is escaped in any way (`\/`, `\u003d`,
 * JSON within JSON…), found by unescaping a copy until nothing changes, none of the answer is kept.
 */
export function redactSecret(text: string, secret: string): string {
  if (secret.length < SHORTEST_REDACTED) return text;
  const redacted = text.replaceAll(secret, REDACTED);
  return containsEscaped(redacted, secret) ? REDACTED : redacted;
}

/** The headers without `secret` in any value: the same object when none holds it, else a copy with those redacted. */
export function redactHeaders(headers: Headers, secret: string): Headers {
  let redacted: Headers | undefined;
  headers.forEach((value, name) => {
    const clean = redactSecret(value, secret);
    if (clean === value) return;
    redacted ??= new Headers(headers);
    redacted.set(name, clean);
  });
  return redacted ?? headers;
}

// Each pass is linear, and each one that changes something removes at least one backslash: a hostile answer cannot
// make it quadratic in anything but its backslashes.
function containsEscaped(text: string, secret: string): boolean {
  let copy = text;
  let next = unescapeOnce(copy);
  while (next !== copy) {
    if (next.includes(secret)) return true;
    copy = next;
    next = unescapeOnce(copy);
  }
  return false;
}

function unescapeOnce(text: string): string {
  return text.replace(ESCAPE, (_match, hex: string | undefined, char: string | undefined) => {
    if (hex !== undefined) return String.fromCharCode(parseInt(hex, 16));
    return char ?? "";
  });
}
