// The one send path of every operation: openapi-fetch builds the request (URL from `paths`, query, headers, signal,
// the caller's middleware), the transport sends it, and the answer is decoded or mapped to a typed LoftyError.
import type { Client } from "openapi-fetch";
import type { paths } from "../generated/schema.js";
import { isClientError, LoftyApiError, LoftyError, LoftyResponseError, LoftyValidationError } from "./errors.js";
import { parseAnswer } from "./json.js";
import type { Exchange, Exchanged, RetryPolicy } from "./transport.js";
import { matchesShape, type Shape } from "./validate.js";

/** An operation as the send path needs it: where it goes, what repeating it can do, what it answers. */
export interface Operation {
  method: "get" | "post" | "put" | "delete";
  /** The spec's path template, e.g. "/v2.0/calendar/{calendarId}". */
  path: keyof paths;
  policy: RetryPolicy;
  /** The 200 body's shape (generated/rules.ts): an answer without it is not the documented one. */
  response: Shape;
  /** The 200 body's int64 ids, read as decimal strings with every digit. */
  ids: readonly string[];
}

/** What a resource hands the send path, checked and encoded already. */
export interface SendInput {
  /** Values of the path template's parameters. */
  path?: Record<string, string>;
  /** Query parameters; undefined ones are left out. */
  query?: Record<string, unknown>;
  /** The body as the exact JSON to send. */
  body?: string;
}

/** Per-call options every operation takes. */
export interface CallOptions {
  /** Aborts the call; if it fires while a create is in flight, the error says the event may have been created. */
  signal?: AbortSignal;
  /** Extra request headers, e.g. `{ Prefer: "example=appointment" }` to pick a mock scenario. */
  headers?: Record<string, string>;
}

/** Sends one operation and resolves to its decoded 2xx body; throws a LoftyError otherwise. */
export type Send = (operation: Operation, input: SendInput, options?: CallOptions | null) => Promise<unknown>;

/** What openapi-fetch resolves to. */
interface Result {
  response: Response;
  data?: unknown;
  error?: unknown;
}

/** What went over the wire during one call, whatever a middleware made of it. */
interface Wire {
  /** The transport's final answer. */
  answer?: Exchanged;
  /** The readable copy of it that openapi-fetch (and any middleware) got. */
  copy?: Response;
  /** The transport's error. */
  failure?: LoftyError;
}

// openapi-fetch copies request options it does not know onto its Request (openapi-fetch 0.17, coreFetch). The JSON
// rides along under this name, so that the transport sends the string it was given rather than reading the Request's
// body stream back; a middleware that replaces the Request replaces this too, and then its body is read.
const JSON_BODY = "loftyJsonBody";

/** The send path of a client: openapi-fetch for the request, `exchange` for the wire. */
export function createSend(client: Client<paths>, exchange: Exchange): Send {
  // openapi-fetch types a path by the methods it has; an Operation pairs them from the same generated rule.
  const request = client.request as (method: string, path: string, init: never) => Promise<Result>;
  return async (operation, input, options) => {
    const wire: Wire = {};
    let result: Result;
    try {
      const init = requestInit(exchange, operation, input, options, wire);
      result = await request(operation.method, operation.path, init);
    } catch (error) {
      throw failureOf(error, wire, operation.policy);
    }
    return decode(result, wire, operation);
  };
}

/** openapi-fetch's options for one call: its fetch is the transport, recording what happens on the wire. */
function requestInit(
  exchange: Exchange,
  operation: Operation,
  input: SendInput,
  options: CallOptions | null | undefined,
  wire: Wire,
) {
  const fetch = async (request: Request) => {
    const json = request.bodyUsed ? undefined : (request as Request & { [JSON_BODY]?: string })[JSON_BODY];
    try {
      wire.answer = await exchange(request, operation.policy, json);
    } catch (error) {
      wire.failure = error as LoftyError;
      throw error;
    }
    wire.copy = readableCopy(wire.answer);
    return wire.copy;
  };
  const init = {
    params: { path: input.path, query: input.query },
    body: input.body,
    // The body is JSON already (exact int64 digits): sent as it is.
    bodySerializer: (body: unknown) => body,
    // "stream" leaves a 2xx body unread: the send path decodes the text the transport read.
    parseAs: "stream",
    headers: options?.headers,
    signal: options?.signal,
    fetch,
    [JSON_BODY]: input.body,
  };
  return init as never;
}

/** A fresh, readable Response of an answer the transport read; no body (204, 304…) stays no body. */
export function readableCopy({ response, text }: Exchanged): Response {
  const body = response.body === null ? null : text;
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** The 2xx body, or the typed error of any other answer (the transport's, or one a middleware gave instead). */
async function decode(result: Result, wire: Wire, operation: Operation): Promise<unknown> {
  const { response } = result;
  const body = parseAnswer(await answerText(result, wire), operation.ids);
  const { policy } = operation;
  if (!response.ok) {
    const mayHaveBeenCreated = mayHaveCreated(wire, policy, !isClientError(response.status));
    throw LoftyApiError.from(response.status, body, response.headers, { mayHaveBeenCreated });
  }
  if (!matchesShape(operation.response, body)) {
    const consequence = policy.creates ? "; the event was probably created." : ".";
    const message = `Lofty answered ${response.status} without the documented body${consequence}`;
    throw new LoftyResponseError(message, { mayHaveBeenCreated: mayHaveCreated(wire, policy, true) });
  }
  return body;
}

/** The answer's text: the transport's when the answer is its own, else the one a middleware gave (read now). */
async function answerText(result: Result, wire: Wire): Promise<unknown> {
  if (wire.answer && result.response === wire.copy) return wire.answer.text;
  // openapi-fetch has read (and parsed) a non-2xx body itself.
  if (!result.response.ok) return result.error;
  return result.response.text();
}

/**
 * Whether a create's failure may have left the event behind, by what went over the wire: a request left, and either
 * what the caller sees says so (`claims`) or Lofty did not refuse it with a 4xx. An answer a middleware gave in
 * Lofty's place, with nothing sent, never means the event exists.
 */
function mayHaveCreated(wire: Wire, policy: RetryPolicy, claims: boolean): boolean {
  if (!policy.creates) return false;
  if (wire.failure) return claims || wire.failure.mayHaveBeenCreated;
  if (wire.answer) return claims || !isClientError(wire.answer.response.status);
  return false;
}

/**
 * The transport throws only LoftyErrors. Anything else came from openapi-fetch refusing the options (a header or
 * signal the fetch API refuses) or from a middleware: before anything was sent, the input was unusable; after, the
 * exchange failed on our side.
 */
function failureOf(error: unknown, wire: Wire, policy: RetryPolicy): LoftyError {
  if (error instanceof LoftyError) return error;
  if (wire.answer || wire.failure) {
    const mayHaveBeenCreated = mayHaveCreated(wire, policy, false);
    const message = "A middleware failed while handling the exchange with Lofty.";
    return new LoftyResponseError(message, { cause: error, mayHaveBeenCreated });
  }
  const issue = {
    path: "(options)",
    message: "could not be used (or a middleware threw): pass string headers and an AbortSignal",
  };
  return new LoftyValidationError([issue], error);
}
