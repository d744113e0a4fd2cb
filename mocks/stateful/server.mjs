// The store's HTTP side, on plain node:http: Prism (proxy mode, `--errors`) is its only client, so every request it
// gets already fits the spec, and every answer it gives is checked against the spec on its way back. Routes come
// from the spec's paths; each operation maps to one store call. A spec operation without a handler fails start-up.
import { createServer } from "node:http";
import { listen } from "../listen.mjs";
import { deref, operationsOf } from "./spec.mjs";
import { lacksJsonContentType } from "./front.mjs";
import { Refusal } from "./store.mjs";

/** The store call of each operation, and whether it changes the state (then it is saved). */
function handlersFor(store) {
  return {
    queryCalendars: { change: false, run: ({ query }) => ({ data: store.list(query) }) },
    createCalendar: { change: true, run: ({ body }) => ({ data: store.create(body) }) },
    updateCalendar: { change: true, run: ({ params, body }) => store.update(params.calendarId, body) },
    deleteCalendar: { change: true, run: ({ params }) => store.remove(params.calendarId) },
    finishCalendar: { change: true, run: ({ params }) => store.setFinished(params.calendarId, true) },
    unfinishCalendar: { change: true, run: ({ params }) => store.setFinished(params.calendarId, false) },
    getAvailableMeetings: { change: false, run: ({ query }) => ({ data: store.availableMeetings(query) }) },
  };
}

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** One route per spec operation: a matcher for its path template, its handler, and its array query parameters. */
function routesOf(doc, handlers) {
  const routes = operationsOf(doc).map(({ operationId, method, path, operation }) => {
    const handler = handlers[operationId];
    if (!handler) throw new Error(`store: the spec's operation ${operationId} has no handler in mocks/stateful`);
    const names = [];
    const source = path
      .split(/(\{[^}]+\})/)
      .map((part) => {
        if (!part.startsWith("{")) return escapeRegExp(part);
        names.push(part.slice(1, -1));
        return "([^/]+)";
      })
      .join("");
    const pathItem = deref(doc, doc.paths[path]);
    const parameters = [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])].map((p) => deref(doc, p));
    const arrays = new Set(
      parameters.filter((p) => p.in === "query" && deref(doc, p.schema ?? {}).type === "array").map((p) => p.name),
    );
    // The spec's groups of query parameters of which one at least is required (OpenAPI cannot say it otherwise).
    const requiredOneOf = operation["x-required-one-of"] ?? [];
    return {
      operationId,
      method,
      handler,
      pattern: new RegExp(`^${source}$`),
      names,
      arrays,
      requiredOneOf,
      literal: names.length,
    };
  });
  // Literal paths before templated ones, so `/calendar/meetings/available` never reads as a calendarId.
  return routes.sort((a, b) => a.literal - b.literal);
}

/** The route and path parameters of a request, or undefined. */
function match(routes, method, pathname) {
  for (const route of routes) {
    if (route.method !== method) continue;
    const found = route.pattern.exec(pathname);
    if (found) {
      const params = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(found[i + 1])]));
      return { route, params };
    }
  }
  return undefined;
}

/** The query as an object: one string per parameter, an array for the spec's array parameters. */
function queryOf(searchParams, arrays) {
  const query = {};
  for (const name of new Set(searchParams.keys())) {
    query[name] = arrays.has(name) ? searchParams.getAll(name) : searchParams.get(name);
  }
  return query;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function sendJson(res, status, body, headers = {}) {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": bytes.length, ...headers }).end(bytes);
}

/**
 * Starts the store's server on `host:port` (default: a free port on 127.0.0.1).
 * @param {object} options
 * @param {object} options.doc the bundled spec (routes)
 * @param {object} options.rules what rules.mjs read from it (error bodies)
 * @param {ReturnType<import("./store.mjs").createStore>} options.store
 * @param {(snapshot: object) => void} [options.onChange] called with the store's snapshot after each change
 * @param {(line: string) => void} [options.log] where refusals are explained (default: stderr)
 */
export async function startStoreServer({
  doc,
  rules,
  store,
  onChange = () => {},
  log = console.error,
  host = "127.0.0.1",
  port = 0,
}) {
  const routes = routesOf(doc, handlersFor(store));

  async function handle(req, res) {
    const url = new URL(req.url ?? "/", "http://store");
    const found = match(routes, req.method ?? "GET", url.pathname);
    if (!found) return sendJson(res, 404, { message: `No route ${req.method} ${url.pathname}` });
    const { route, params } = found;
    // Lofty requires `Content-Type: application/json` on all but the GETs, bodiless ones too (observed: a DELETE
    // without it is a 400 with code 20001). Prism checks it only where there is a body, so the store does the rest.
    if (lacksJsonContentType(req)) {
      req.resume();
      log(`mock: 400 ${route.operationId}: no Content-Type: application/json`);
      const reason = "no Content-Type: application/json";
      return sendJson(res, 400, rules.errors.missingContentType, { "X-Mock-Reason": reason });
    }
    const text = await readBody(req);
    const request = {
      params,
      query: queryOf(url.searchParams, route.arrays),
      body: text ? JSON.parse(text) : undefined,
    };
    try {
      for (const group of route.requiredOneOf) {
        if (!group.some((name) => request.query[name] !== undefined))
          throw new Refusal(`give one of ${group.join(", ")}`);
      }
      const answer = route.handler.run(request);
      if (route.handler.change) onChange(store.snapshot());
      return sendJson(res, 200, answer);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      log(`mock: 400 ${route.operationId}: ${error.message}`);
      // Lofty's body names no field; the header does, for the developer (printable ASCII only, as headers must be).
      const reason = error.message.replace(/[^\x20-\x7e]/g, "?");
      return sendJson(res, 400, rules.errors.invalidParameter, { "X-Mock-Reason": reason });
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      log(`mock: 500 ${req.method} ${req.url}: ${error instanceof Error ? error.stack : error}`);
      if (res.headersSent) return void res.destroy();
      sendJson(res, 500, rules.errors.internalError);
    });
  });
  return listen(server, { host, port });
}
