// A tiny HTTP front for the Prism mock: rejects a malformed `Authorization` header the way Lofty does, and otherwise
// pipes every request and answer through untouched.
//
// Why a front and not the spec: the spec declares the two documented schemes, `OAuthAccessToken` (`type: http,
// scheme: bearer`) and `ApiKey` (`type: apiKey, in: header, name: Authorization`). Prism 5.14.2 checks an apiKey in
// a header for presence only (prism-http/dist/validator/validators/security/handlers/apiKey.js: `!!headers[name]`)
// and the two requirements are alternatives, so `Authorization: Basic abc` or a bare `Bearer` pass as an API key.
// OpenAPI has no way to give an apiKey a format (an `Authorization` header parameter "SHALL be ignored", and Prism
// would answer a pattern mismatch with 400/422, not 401), and changing the `ApiKey` scheme would misdescribe Lofty.
// So the format check lives here, in `mocks/`, next to the spec it completes.
//
// The front never writes a 401 of its own: it forwards a malformed request to Prism *without* its Authorization
// header, so Prism answers exactly as for a missing one: the spec's 401 example ({"code":"BAD_CREDENTIALS",
// "message":"Bad credentials"}), its X-RateLimit-* headers and Prism's CORS headers. Everything else (CORS
// preflights, `Prefer`, bodies in both directions, status, headers) is streamed through as it is; only the
// hop-by-hop headers of each connection (RFC 9110 §7.6.1) are left to Node.
import { request as httpRequest, Agent, createServer } from "node:http";
import { pipeline } from "node:stream";
import { listen } from "./listen.mjs";

/**
 * What Lofty accepts in `Authorization`: `Bearer <access_token>` (OAuth 2) or `token <api_key>` (API key), the scheme
 * matched case-insensitively as RFC 9110 §11.1 says, one or more spaces, then one credential of printable ASCII
 * without spaces (the same rule the SDK applies to tokens and keys before sending). Anything else is malformed.
 */
export const wellFormedAuthorization = /^(?:Bearer|token) +[\x21-\x7e]+$/i;

const hopByHop = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/** Raw header pairs ([name, value, name, value, …]) without hop-by-hop headers and without `drop` (lower case). */
export function endToEnd(rawHeaders, drop = new Set()) {
  const connection = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i].toLowerCase() === "connection")
      connection.push(...rawHeaders[i + 1].toLowerCase().split(/\s*,\s*/));
  }
  const out = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    if (hopByHop.has(name) || connection.includes(name) || drop.has(name)) continue;
    out.push(rawHeaders[i], rawHeaders[i + 1]);
  }
  return out;
}

/**
 * The headers a front forwards a request with: its end-to-end ones, without `drop`. A request with neither
 * Content-Length nor Transfer-Encoding has no body (HTTP/1.1), but Node would forward it chunked, and Prism reads an
 * empty chunked body as invalid JSON: such a request goes on with `Content-Length: 0`, as it came.
 */
export function forwardedHeaders(req, drop) {
  const headers = endToEnd(req.rawHeaders, drop);
  if (req.headers["content-length"] === undefined && req.headers["transfer-encoding"] === undefined) {
    headers.push("Content-Length", "0");
  }
  return headers;
}

/**
 * Starts the front on `host:port`, forwarding to Prism at `target` (e.g. "http://127.0.0.1:40123").
 * @returns {Promise<{ url: string, port: number, close: () => Promise<void> }>}
 */
export async function startAuthFront({ target, host = "127.0.0.1", port = 0 }) {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true });

  const server = createServer((req, res) => {
    // Node keeps the first of repeated Authorization headers (as Prism behind it does), so that one is judged.
    const authorization = req.headers.authorization;
    const malformed = authorization !== undefined && !wellFormedAuthorization.test(authorization);
    const headers = forwardedHeaders(req, malformed ? new Set(["authorization"]) : undefined);

    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.rawHeaders));
        pipeline(answer, res, () => {});
      },
    );
    forward.on("error", () => {
      if (res.headersSent) return void res.destroy();
      res
        .writeHead(502, { "Content-Type": "text/plain; charset=utf-8" })
        .end("The mock's Prism process is not answering.\n");
    });
    // Not `pipeline`: a failed forward must not tear down the client's socket before the 502 is written.
    req.pipe(forward);
    req.on("error", () => forward.destroy());
    res.on("close", () => {
      if (!res.writableFinished) forward.destroy(); // the client went away: stop talking to Prism too
    });
  });

  return listen(server, { host, port, agent });
}
