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
    timeoutMs: positive(options.timeoutMs, 30_000, "timeoutMs"),
    maxRetries: positive(options.maxRetries, 2, "maxRetries"),
    maxRetryDelayMs: positive(options.maxRetryDelayMs, 60_000, "maxRetryDelayMs"),
    auth,
    throttle: options.throttle === false ? undefined : createThrottle(options.throttle),
  });
  const client = createClient<paths>({ baseUrl, fetch: transport });
  client.use(authMiddleware(auth));
  return { calendar: calendarResource(client), client };
}

function checkBaseUrl(baseUrl: string, allowInsecureHttp: boolean): string {
  const url = URL.canParse(baseUrl) ? new URL(baseUrl) : undefined;
  const loopback = /^(localhost|127(\.\d+){3}|\[::1\])$/.test(url?.hostname ?? "");
  if (!url || !/^https?:$/.test(url.protocol)) {
    throw new LoftyError(`baseUrl must be an absolute https URL such as "https://api.lofty.com", got ${JSON.stringify(baseUrl)}.`);
  }
  if (url.protocol === "http:" && !loopback && !allowInsecureHttp) {
    throw new LoftyError(
      `baseUrl ${url.origin} is plain http to a non-loopback host: the token would cross the network in clear. ` +
        "Use https, or pass allowInsecureHttp: true for a trusted network (e.g. a mock in a container).",
    );
  }
  return url.href.replace(/\/$/, "");
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value !== undefined && !(value >= 0 && value < Infinity)) throw new LoftyError(`${name} must be a number >= 0, got ${value}.`);
  return value ?? fallback;
}
