// createLoftyClient: options, the typed openapi-fetch client, the one send path, and the resources built on it.
import createClient, { type Client } from "openapi-fetch";
import type { paths } from "../generated/schema.js";
import { createAuth, type Credentials } from "./auth.js";
import { calendarResource, type CalendarResource } from "./calendar.js";
import { LoftyError } from "./errors.js";
import { createSend, readableCopy } from "./send.js";
import { createThrottle, type Throttle, type ThrottleOptions } from "./throttle.js";
import { createTransport, LONGEST_TIMER_MS, type RetryPolicy } from "./transport.js";

/** Options of createLoftyClient. Give exactly one of `accessToken` or `apiKey`. */
export interface LoftyClientOptions extends Credentials {
  /** The API's origin. @default "https://api.lofty.com" */
  baseUrl?: string;
  /** The fetch to use (tests inject one; defaults to the global fetch). */
  fetch?: typeof fetch;
  /** Milliseconds one attempt may take, answer body included, before LoftyTimeoutError. @default 30000 */
  timeoutMs?: number;
  /** Retries of what is safe to repeat (see the README's retry policy). @default 2 */
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

const DEFAULT_BASE_URL = "https://api.lofty.com";
const LOOPBACK_HOST = /^(localhost|127(\.\d+){3}|\[::1\])$/;
// A raw call through `lofty.client` may be anything, a create included: the policy of a create, except for a GET,
// which reads (HTTP's safe method), so may be repeated and creates nothing.
const RAW_CALL_POLICY: RetryPolicy = { idempotent: false, creates: true };
const RAW_GET_POLICY: RetryPolicy = { idempotent: true, creates: false };

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
  const baseUrl = checkedBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL, options.allowInsecureHttp ?? false);
  const maxRetries = integerOption("maxRetries", options.maxRetries, 2, 0);
  const exchange = createTransport({
    baseUrl,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    timeoutMs: integerOption("timeoutMs", options.timeoutMs, 30_000, 1),
    maxRetries,
    maxRetryDelayMs: integerOption("maxRetryDelayMs", options.maxRetryDelayMs, 60_000, 0),
    auth: createAuth(options),
    refreshable: typeof options.accessToken === "function",
    throttle: throttleOf(options.throttle),
  });
  const client = createClient<paths>({
    baseUrl,
    // A raw call: openapi-fetch reads the answer itself, so it gets a fresh copy of the one the transport read.
    fetch: async (request: Request) => {
      const policy = request.method === "GET" ? RAW_GET_POLICY : RAW_CALL_POLICY;
      return readableCopy(await exchange(request, policy));
    },
  });
  return { calendar: calendarResource(createSend(client, exchange), { maxRetries }), client };
}

/** The baseUrl as origin and path, without trailing slashes; refuses what would leak the token. */
function checkedBaseUrl(baseUrl: string, allowInsecureHttp: boolean): string {
  const url = URL.canParse(baseUrl) ? new URL(baseUrl) : undefined;
  // Never the URL itself in the message: credentials in it must not reach an error.
  if (!url || !/^https?:$/.test(url.protocol) || url.username || url.password || url.search || url.hash) {
    throw new LoftyError("baseUrl must be an absolute https URL without credentials, query or hash.");
  }
  if (url.protocol === "http:" && !LOOPBACK_HOST.test(url.hostname) && !allowInsecureHttp) {
    throw new LoftyError(
      "baseUrl is plain http to a non-loopback host (the token would travel in clear): use https, or allowInsecureHttp: true.",
    );
  }
  // Origin and path only: a bare "?" or "#" leaves no search or hash to refuse, but must not reach the URLs.
  return (url.origin + url.pathname).replace(/\/+$/, "");
}

/** An integer option within [min, 2^31 - 1], or its default when absent. */
function integerOption(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > LONGEST_TIMER_MS) {
    throw new LoftyError(`${name} must be an integer from ${min} to ${LONGEST_TIMER_MS}.`);
  }
  return value;
}

function throttleOf(options: ThrottleOptions | false | undefined): Throttle | undefined {
  if (options === false) return undefined;
  const perMinute = integerOption("throttle.requestsPerMinute", options?.requestsPerMinute, 0, 1);
  return createThrottle({ requestsPerMinute: perMinute || undefined });
}
