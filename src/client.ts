// createLoftyClient: options, the typed openapi-fetch client with auth middleware, and the resources built on it.
import createClient, { type Client } from "openapi-fetch";
import type { paths } from "../generated/schema.js";
import { authMiddleware, createAuth, type Credentials } from "./auth.js";
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
  const baseUrl = checkBaseUrl(options.baseUrl ?? "https://api.lofty.com", options.allowInsecureHttp === true);
  const auth = createAuth(options);
  const transport = createTransport({
    fetch: options.fetch ?? ((...args) => globalThis.fetch(...args)),
    timeoutMs: checkNumber(options.timeoutMs, 30_000, "timeoutMs", 1),
    maxRetries: checkNumber(options.maxRetries, 2, "maxRetries", 0, 1),
    maxRetryDelayMs: checkNumber(options.maxRetryDelayMs, 60_000, "maxRetryDelayMs", 0),
    auth,
    throttle:
      options.throttle === false
        ? undefined
        : createThrottle({ requestsPerMinute: checkNumber(options.throttle?.requestsPerMinute, 0, "throttle.requestsPerMinute", 1) || undefined }),
  });
  const client = createClient<paths>({ baseUrl, fetch: transport });
  client.use(authMiddleware(auth));
  return { calendar: calendarResource(client), client };
}

function checkBaseUrl(baseUrl: string, allowInsecureHttp: boolean): string {
  const url = URL.canParse(baseUrl) ? new URL(baseUrl) : undefined;
  const loopback = /^(localhost|127(\.\d+){3}|\[::1\])$/.test(url?.hostname ?? "");
  if (!url || !/^https?:$/.test(url.protocol) || url.username || url.password || url.search || url.hash) {
    // The origin, never the whole URL: credentials in it must not reach the message.
    throw new LoftyError(
      `baseUrl must be an absolute https URL without credentials, query or hash, such as "https://api.lofty.com", got ${
        url ? url.origin : JSON.stringify(baseUrl.slice(0, 60))
      }.`,
    );
  }
  if (url.protocol === "http:" && !loopback && !allowInsecureHttp) {
    throw new LoftyError(
      `baseUrl ${url.origin} is plain http to a non-loopback host: the token would cross the network in clear. ` +
        "Use https, or pass allowInsecureHttp: true for a trusted network (e.g. a mock in a container).",
    );
  }
  return url.href.replace(/\/$/, "");
}

// Timers take at most 2^31 - 1 ms (about 24.8 days); a larger delay would fire at once.
function checkNumber(value: number | undefined, fallback: number, name: string, min: number, step = 0): number {
  if (value !== undefined && !(value >= min && value < 2 ** 31 && (!step || Number.isInteger(value)))) {
    throw new LoftyError(`${name} must be ${step ? "an integer" : "a number"} from ${min} to 2147483647, got ${value}.`);
  }
  return value ?? fallback;
}
