// Requests to a mock (static, dynamic or proxy) for any operation of the spec, built from the spec's own examples.
import { deref, parametersOf, requestExamples, spec, type SpecOperation } from "./spec.js";

/** What to send to an operation: the path's calendarId, query parameters, a JSON body, extra headers. */
export interface Call {
  calendarId?: string;
  query?: Record<string, string | number | boolean | Array<string | number>>;
  body?: unknown;
  /** A body sent exactly as written (for numbers JSON.stringify cannot write). */
  rawBody?: string;
  headers?: Record<string, string>;
}

/** The CalendarId schema's example, a well-formed composite id. */
export const calendarIdExample: string = spec.components.schemas.CalendarId.example;

/** A query parameter's schema (refs followed), from the spec. */
export function parameterSchema(op: SpecOperation, name: string): any {
  const found = parametersOf(op).find((p) => p.name === name);
  if (!found) throw new Error(`${op.id} has no parameter ${name}`);
  return deref(found.schema);
}

/** A spec-valid call of the operation, from the spec's examples: a range for the reads, the first body example. */
export function validCall(op: SpecOperation): Call {
  if (op.id === "queryCalendars") return { query: { startTime: parameterSchema(op, "startTime").example } };
  if (op.id === "getAvailableMeetings") {
    return {
      query: { startTime: parameterSchema(op, "startTime").example, endTime: parameterSchema(op, "endTime").example },
    };
  }
  const body = Object.values(requestExamples(op))[0];
  return body === undefined ? {} : { body };
}

/** The URL of a call to an operation on the mock at `baseUrl`. */
export function callUrl(baseUrl: string, op: SpecOperation, call: Call = {}): URL {
  const path = op.path.replace("{calendarId}", encodeURIComponent(call.calendarId ?? calendarIdExample));
  const url = new URL(path, baseUrl);
  for (const [name, value] of Object.entries(call.query ?? {})) {
    for (const one of [value].flat()) url.searchParams.append(name, String(one));
  }
  return url;
}

/**
 * Sends a call as Lofty's clients do: `Authorization` (a Bearer token unless the call's headers give another) and
 * `Content-Type: application/json`, which Lofty requires on the writes, with or without a body.
 */
export function send(baseUrl: string, op: SpecOperation, call: Call = {}): Promise<Response> {
  const body = call.rawBody ?? (call.body === undefined ? undefined : JSON.stringify(call.body));
  return fetch(callUrl(baseUrl, op, call), {
    method: op.method.toUpperCase(),
    headers: { Authorization: "Bearer test-token", "Content-Type": "application/json", ...call.headers },
    ...(body === undefined ? {} : { body }),
  });
}
