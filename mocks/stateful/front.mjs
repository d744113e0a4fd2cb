// The stateful mock's door, in the launcher's process before Prism: what a client sees is what Lofty answers.
//
// - Rate limit: every request is counted (rate-limit.mjs) and every answer carries X-RateLimit-*; past the limit
//   the front answers Lofty's 429 itself, before any validation, as Lofty's gateway does.
// - Credentials: a malformed `Authorization` is removed on the way (the rule of auth-front.mjs), so Prism refuses
//   the request as it refuses one without credentials.
// - Lofty's bodies for Prism's own refusals. In proxy mode Prism answers a request that breaks the spec itself, with
//   `application/problem+json`: 422 for a bad parameter or body (415 inside for a wrong Content-Type), 401 for
//   missing credentials, and 400 `{"error":{"code":"invalid_json"}}` for a body that is not JSON. Lofty answers
//   those with 400 `{code: 20012}` (20001 without `Content-Type: application/json`) and 401 `{code, message}`, so the front swaps the
//   body for the spec's own example of that answer. Prism's violations stay visible: in the `sl-violations` header
//   (the header Prism itself uses for them) and in one log line per refused request.
// - Everything else is streamed through as Prism sent it: the store's answers (already checked by Prism), Prism's
//   500 for a store answer that breaks the spec (a bug of the mock, logged), its 404 for a path the spec lacks.
import { Agent, createServer, request as httpRequest } from "node:http";
import { pipeline } from "node:stream";
import { listen } from "../listen.mjs";
import { endToEnd, forwardedHeaders, wellFormedAuthorization } from "../auth-front.mjs";

/** The CORS headers Prism puts on its answers (the request's Origin, else `*`), for the front's own 429. */
function corsHeaders(origin) {
  return [
    ["Access-Control-Allow-Origin", origin ?? "*"],
    ["Access-Control-Allow-Headers", "*"],
    ["Access-Control-Allow-Credentials", "true"],
    ["Access-Control-Expose-Headers", "*"],
  ].flat();
}

const rateLimitHeaders = new Set(["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"]);

/** Whether an answer may be one of Prism's own refusals, and must be read before it is passed on. */
function mayBePrismRefusal(status, contentType = "") {
  return (
    contentType.startsWith("application/problem+json") || (status === 400 && contentType.startsWith("application/json"))
  );
}

/**
 * Whether a request lacks the `Content-Type: application/json` Lofty requires of every call but the two GETs (its
 * documents declare the header on create, update, delete, finish and unfinish, bodiless or not).
 */
export function lacksJsonContentType(req) {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return false;
  return !/^application\/json\s*(;|$)/i.test(req.headers["content-type"] ?? "");
}

/**
 * Lofty's answer for one of Prism's own refusals of `req`, or undefined to pass Prism's answer on as it is.
 * @returns {{ status: number, body: object, violations?: object[], reason: string } | undefined}
 */
function loftyAnswerFor(req, status, body, errors) {
  if (status === 422 && Array.isArray(body?.validation)) {
    const violations = body.validation;
    const reason = violations.map((violation) => violation.message).join("; ");
    // Prism reads a body sent without `Content-Type: application/json` as text (or refuses its type, 415 inside the
    // 422): Lofty answers that request with its own code, 20001.
    if (lacksJsonContentType(req)) return { status: 400, body: errors.missingContentType, violations, reason };
    return { status: 400, body: errors.invalidParameter, violations, reason };
  }
  if (status === 401 && typeof body?.type === "string") {
    return { status: 401, body: errors.unauthorized, reason: "missing or malformed Authorization" };
  }
  if (status === 400 && body?.error?.code === "invalid_json") {
    return { status: 400, body: errors.invalidParameter, reason: "the body is not JSON" };
  }
  return undefined;
}

function readAll(stream) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    stream.on("data", (chunk) => chunks.push(chunk));
    stream.on("end", () => resolve(Buffer.concat(chunks)));
    stream.on("error", reject);
  });
}

function parseJson(bytes) {
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch {
    return undefined;
  }
}

/** Raw header pairs with the rate-limit headers replaced by `stamp`. */
function withRateLimit(rawHeaders, stamp) {
  const out = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (!rateLimitHeaders.has(rawHeaders[i].toLowerCase())) out.push(rawHeaders[i], rawHeaders[i + 1]);
  }
  for (const [name, value] of Object.entries(stamp)) out.push(name, value);
  return out;
}

/**
 * Starts the front on `host:port`, forwarding to Prism at `target`.
 * @param {object} options
 * @param {string} options.target Prism's URL
 * @param {ReturnType<import("./rate-limit.mjs").createRateLimiter>} options.limiter
 * @param {object} options.errors Lofty's bodies (rules.mjs: invalidParameter, missingContentType, unauthorized, tooManyRequests)
 * @param {(line: string) => void} [options.log]
 * @returns {Promise<{ url: string, port: number, close: () => Promise<void> }>}
 */
export async function startStatefulFront({
  target,
  limiter,
  errors,
  log = console.error,
  host = "127.0.0.1",
  port = 0,
}) {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true });

  /** Sends a JSON answer the front wrote itself or rewrote, with `headers` (raw pairs) and the rate-limit stamp. */
  function sendJson(res, status, body, rawHeaders, stamp) {
    const bytes = Buffer.from(JSON.stringify(body));
    const kept = [];
    for (let i = 0; i < rawHeaders.length; i += 2) {
      const name = rawHeaders[i].toLowerCase();
      if (name !== "content-type" && name !== "content-length" && name !== "www-authenticate") {
        kept.push(rawHeaders[i], rawHeaders[i + 1]);
      }
    }
    kept.push("Content-Type", "application/json", "Content-Length", String(bytes.length));
    res.writeHead(status, withRateLimit(kept, stamp)).end(bytes);
  }

  async function passOn(req, res, answer, stamp) {
    const status = answer.statusCode ?? 502;
    const headers = endToEnd(answer.rawHeaders);
    if (!mayBePrismRefusal(status, answer.headers["content-type"])) {
      res.writeHead(status, answer.statusMessage, withRateLimit(headers, stamp));
      return void pipeline(answer, res, () => {});
    }
    const bytes = await readAll(answer);
    const lofty = loftyAnswerFor(req, status, parseJson(bytes), errors);
    if (!lofty) {
      if (status === 500) log(`mock: the store's answer to ${req.method} ${req.url} breaks the spec: ${bytes}`);
      res.writeHead(status, answer.statusMessage, withRateLimit(headers, stamp));
      return void res.end(bytes);
    }
    log(`mock: ${lofty.status} ${req.method} ${req.url}: ${lofty.reason}`);
    if (lofty.violations) headers.push("sl-violations", JSON.stringify(lofty.violations).replace(/[^\x20-\x7e]/g, "?"));
    sendJson(res, lofty.status, lofty.body, headers, stamp);
  }

  const server = createServer((req, res) => {
    // Browsers send CORS preflights on their own: they are answered by Prism and not counted.
    const preflight = req.method === "OPTIONS";
    const taken = preflight ? { allowed: true, headers: limiter.peek() } : limiter.take();
    if (!taken.allowed) {
      req.resume();
      log(`mock: 429 ${req.method} ${req.url}: the rate limit (${taken.headers["X-RateLimit-Limit"]}/min) is used up`);
      return sendJson(res, 429, errors.tooManyRequests, corsHeaders(req.headers.origin), taken.headers);
    }
    const authorization = req.headers.authorization;
    const malformed = authorization !== undefined && !wellFormedAuthorization.test(authorization);
    const headers = forwardedHeaders(req, malformed ? new Set(["authorization"]) : undefined);

    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
      (answer) => {
        passOn(req, res, answer, taken.headers).catch(() => res.destroy());
      },
    );
    forward.on("error", () => {
      if (res.headersSent) return void res.destroy();
      res
        .writeHead(502, { "Content-Type": "text/plain; charset=utf-8" })
        .end("The mock's Prism process is not answering.\n");
    });
    req.pipe(forward);
    req.on("error", () => forward.destroy());
    res.on("close", () => {
      if (!res.writableFinished) forward.destroy();
    });
  });

  return listen(server, { host, port, agent });
}
