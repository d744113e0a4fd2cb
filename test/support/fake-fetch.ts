// An injected fetch for unit tests: records every request and answers from a script (no module mocking).
export interface RecordedRequest {
  url: string;
  method: string;
  headers: Headers;
  body: string | undefined;
}

/** One scripted answer: a Response, an error to throw, or a function of the request. */
export type Answer = Response | Error | ((request: RecordedRequest, init: RequestInit) => Response | Promise<Response>);

/** A JSON Response with Lofty's rate-limit headers (override any header). */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "Content-Type": "application/json",
      "X-RateLimit-Limit": "100",
      "X-RateLimit-Remaining": "99",
      "X-RateLimit-Reset": String(Math.floor(Date.now() / 1000) + 60),
      ...headers,
    },
  });
}

/** The documented success envelope. */
export const created = (type: "TASK" | "APPOINTMENT" = "TASK") =>
  json(200, { data: { id: `12345-${type.toLowerCase()}`, type, message: "Created" } });

/** A network error as Node's fetch (undici) raises it, with `cause.code`. */
export function networkError(code: string): TypeError {
  return new TypeError("fetch failed", { cause: Object.assign(new Error(`connect ${code}`), { code }) });
}

/** A fetch that answers from `answers` in order (the last one repeats) and records each request. */
export function fakeFetch(...answers: Answer[]) {
  const requests: RecordedRequest[] = [];
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const request: RecordedRequest = {
      url: String(input),
      method: init.method ?? "GET",
      headers: new Headers(init.headers),
      body: typeof init.body === "string" ? init.body : undefined,
    };
    requests.push(request);
    const answer = answers[Math.min(requests.length - 1, answers.length - 1)]!;
    if (answer instanceof Error) throw answer;
    if (typeof answer === "function") return answer(request, init);
    return answer.clone();
  };
  return { fetch: fetch, requests };
}
