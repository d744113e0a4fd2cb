// createLoftyClient: options, the typed openapi-fetch client (auth, throttle, timeout and retries in its fetch), and the
// resources built on it.
import createClient, { type Client } from "openapi-fetch";
import type { paths } from "../generated/schema.js";
import { createAuth, type Credentials } from "./auth.js";
import { calendarResource, type CalendarResource } from "./calendar.js";
import { LoftyError } from "./errors.js";
import { createThrottle, type ThrottleOptions } from "./throttle.js";
import { createTransport } from "./transport.js";

/** Options of createLoftyClient. Give exactly one of `accessToken` or `apiKey`. */
export interface LoftyClientOptions extends Credentials {
  /** The API's origin. @default "https://api.lofty.com" */
  baseUrl?: string;
  /** The fetch to use (tests inject one; defaults to the global fetch). */
  fetch?: typeof fetch;
  /** Milliseconds one attempt may take, answer body included, before LoftyTimeoutError. @default 30000 */
  timeoutMs?: number;
  /** Retries of what Lofty certainly did not process (429, connection never made). @default 2 */
  maxRetries?: number;
  /** The longest wait before a retry; a 429 whose reset is further away is thrown instead. @default 60000 */
  maxRetryDelayMs?: number;
  /**
   * Queues requests to stay inside the rate limit read from X-RateLimit-* headers (plus an optional budget of
   * your own), instead of bursting into 429s. `false` turns it off. @default {}
   */
  throttle?: ThrottleOptions | false;
  /** Allows a plain-http `baseUrl` to a non-loopback host (a token would cross the network in clear). @default false */
  allowInsecureHttp?: boolean;
}

/** A Lofty API client. */
export interface LoftyClient {
  /** Calendar events: tasks and appointments. */
  calendar: CalendarResource;
  /** The openapi-fetch client, typed by the spec's `paths`, with auth, throttle, timeout and retries attached. */
  client: Client<paths>;
}

/**
 * Creates a Lofty API client.
 * @param options
 * @param [options.accessToken] OAuth access token, or a function returning one (asked again once after a 401)
 * @param [options.apiKey] API key, sent as `Authorization: token <key>`
 * @param [options.baseUrl="https://api.lofty.com"]
 * @param [options.timeoutMs=30000]
 * @param [options.maxRetries=2]
 * @param [options.maxRetryDelayMs=60000]
 * @param [options.throttle={}]
 * @param [options.allowInsecureHttp=false]
 */
export function createLoftyClient(options: LoftyClientOptions): LoftyClient {
  const { baseUrl = "https://api.lofty.com", accessToken, throttle } = options;
  const url = (URL.canParse(baseUrl) ? new URL(baseUrl) : {}) as URL;
  const { protocol, hostname, username, password, search, hash } = url;
  // Never the URL itself in the message: credentials in it must not reach an error.
  if (!/^https?:$/.test(protocol) || username || password || search || hash)
    throw new LoftyError("baseUrl must be an absolute https URL without credentials, query or hash.");
  if (protocol == "http:" && !/^(localhost|127(\.\d+){3}|\[::1\])$/.test(hostname) && !options.allowInsecureHttp) {
    throw new LoftyError(
      "baseUrl is plain http to a non-loopback host (the token would travel in clear): use https, or allowInsecureHttp: true.",
    );
  }
  // Timers take at most 2^31 - 1 ms (about 24.8 days); a larger delay would fire at once.
  const integer = (name: string, value: number | undefined, fallback: number, min: number) => {
    if (value !== undefined && !(Number.isInteger(value) && value >= min && value < 2 ** 31)) {
      throw new LoftyError(`${name} must be an integer from ${min} to 2147483647.`);
    }
    return value ?? fallback;
  };
  const auth = createAuth(options);
  // Origin and path only: a bare "?" or "#" leaves no search or hash to refuse, but must not reach the URLs.
  const base = (url.origin + url.pathname).replace(/\/+$/, "");
  const transport = createTransport({
    baseUrl: base,
    fetch: options.fetch ?? ((...args) => globalThis.fetch(...args)),
    timeoutMs: integer("timeoutMs", options.timeoutMs, 30_000, 1),
    maxRetries: integer("maxRetries", options.maxRetries, 2, 0),
    maxRetryDelayMs: integer("maxRetryDelayMs", options.maxRetryDelayMs, 60_000, 0),
    auth,
    refreshable: typeof accessToken == "function",
    throttle:
      throttle === false
        ? undefined
        : createThrottle({
            requestsPerMinute: integer("throttle.requestsPerMinute", throttle?.requestsPerMinute, 0, 1) || undefined,
          }),
  });
  const client = createClient<paths>({
    baseUrl: base,
    // openapi-fetch reads the answer itself: hand it a fresh copy of the one the transport read. No body (204, 304,
    // HEAD…) stays no body.
    fetch: async (request) => {
      const { response, text } = await transport(request);
      return new Response(response.body && text, response);
    },
  });
  // calendar.create hands openapi-fetch a second, readable copy of a 2xx answer only once the caller has added a
  // middleware that could read it.
  let watched = false;
  const { use } = client;
  client.use = (...middleware) => ((watched = true), use(...middleware));
  return { calendar: calendarResource(client, transport, () => watched), client };
}
