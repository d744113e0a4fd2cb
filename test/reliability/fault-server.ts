// A local HTTP server that misbehaves on purpose, for the reliability tests: it records every request it receives and
// every event it "creates" (a request whose body it read completely and for which it would have created the event), so a
// test can check the SDK's outcome against what really happened on the server.
//
// Only Node's `http` on 127.0.0.1, port 0. It starts no timer of its own except `latencyMs` (ended before the answer),
// so a test can count the timers the SDK leaves behind. `close()` ends every connection, hanging ones included.
import { EventEmitter, once } from "node:events";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the server saw it. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The body, once read completely (undefined: not read, or the client went away first). */
  body?: string;
  /** Date.now() when its headers arrived. */
  at: number;
  /** The status answered (undefined: no answer, e.g. reset or hang). */
  status?: number;
  /** The headers answered with `send` (lower-case names). */
  answered?: Record<string, unknown>;
}

/** What a behaviour gets for one request. */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  record: ReceivedRequest;
  /** Reads the whole body; resolves undefined if the client went away first. */
  read(): Promise<string | undefined>;
  /** Counts the event of this request as created (the body must have been read completely). */
  create(): void;
  /** Answers with a status, headers and a body. */
  send(status: number, body: string, headers?: Record<string, string>): void;
}

/** How the server handles one request. */
export type Behaviour = (exchange: Exchange) => void | Promise<void>;

/** A rate limit enforced by the server, in windows aligned to epoch multiples of `windowMs` (a multiple of 1 s). */
export interface RateLimit {
  limit: number;
  windowMs: number;
}

export interface FaultServer {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Every request received since the last `clear()`, in arrival order. */
  requests: ReceivedRequest[];
  /** The `content` of every event created since the last `clear()`, in creation order. */
  created: string[];
  /** 429s answered by the rate limit since the last `clear()`. */
  rejected429: number;
  /** The most requests in progress at once since the last `clear()`. */
  maxConcurrency: number;
  /** Contents created more than once since the server started (never cleared). */
  duplicates(): string[];
  /** Sets the behaviours of the next requests, in order; the last one repeats. */
  use(...behaviours: Behaviour[]): void;
  /** Enforces a rate limit on every request, reporting X-RateLimit-* truthfully (undefined: no limit, no headers). */
  limit(rateLimit: RateLimit | undefined, latencyMs?: number): void;
  /** Forgets the requests, creations and counters (not `duplicates`). */
  clear(): void;
  /** Resolves at the next "request" (headers received), "created" or "answered" (answer flushed by `send`) event. */
  next(event: "request" | "created" | "answered"): Promise<ReceivedRequest>;
  close(): Promise<void>;
}

/** The documented success envelope. */
export const envelope = (id = "12345-task") =>
  JSON.stringify({ data: { id, type: "TASK", message: "Task created successfully" } });

/** Reads, creates, answers 200 with the documented envelope. */
export const ok: Behaviour = async (x) => {
  if ((await x.read()) === undefined) return;
  x.create();
  x.send(200, envelope(`evt-${x.record.at}`), { "Content-Type": "application/json" });
};

/** Reads (creating the event when `create`), then answers `status` with `body`. */
export const answer =
  (status: number, body: string, headers: Record<string, string> = {}, create = false): Behaviour =>
  async (x) => {
    if ((await x.read()) === undefined) return;
    if (create) x.create();
    x.send(status, body, headers);
  };

/** Resets the connection (RST) as soon as the request's headers arrive, before its body is read. */
export const resetBeforeRead: Behaviour = (x) => void x.req.socket.resetAndDestroy();

/** Reads the body, creates the event, then resets the connection (RST) without answering. */
export const resetAfterRead: Behaviour = async (x) => {
  if ((await x.read()) === undefined) return;
  x.create();
  x.req.socket.resetAndDestroy();
};

/** Reads the body, creates the event, then closes the connection (FIN) without answering. */
export const closeAfterRead: Behaviour = async (x) => {
  if ((await x.read()) === undefined) return;
  x.create();
  x.req.socket.end();
};

/** Never reads the body and never answers (the connection stays open until the client or `close()` ends it). */
export const hangBeforeRead: Behaviour = () => {};

/** Reads the body, creates the event, then never answers. */
export const hangAfterRead: Behaviour = async (x) => {
  if ((await x.read()) === undefined) return;
  x.create();
};

/** Creates the event, sends the headers and the first bytes of a 200 body, then stalls. */
export const stallBody: Behaviour = async (x) => {
  if ((await x.read()) === undefined) return;
  x.create();
  const body = envelope();
  x.record.status = 200;
  x.res.writeHead(200, { "Content-Type": "application/json", "Content-Length": String(body.length) });
  x.res.write(body.slice(0, 10));
};

/** Creates the event, announces a Content-Length larger than what it sends, sends part and ends the socket. */
export const truncated: Behaviour = async (x) => {
  if ((await x.read()) === undefined) return;
  x.create();
  const body = envelope();
  x.record.status = 200;
  x.res.writeHead(200, { "Content-Type": "application/json", "Content-Length": String(body.length + 100) });
  x.res.write(body.slice(0, 20), () => x.req.socket.end());
};

/** Starts a fault server on 127.0.0.1 and a free port. */
export async function startFaultServer(): Promise<FaultServer> {
  const events = new EventEmitter();
  let script: Behaviour[] = [ok];
  let served = 0;
  let rateLimit: RateLimit | undefined;
  let latencyMs = 0;
  let window = { start: -1, used: 0 };
  let inProgress = 0;
  const everCreated = new Map<string, number>();

  const state = {
    requests: [] as ReceivedRequest[],
    created: [] as string[],
    rejected429: 0,
    maxConcurrency: 0,
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const record: ReceivedRequest = {
      method: req.method ?? "",
      path: req.url ?? "",
      headers: req.headers,
      at: Date.now(),
    };
    state.requests.push(record);
    inProgress++;
    state.maxConcurrency = Math.max(state.maxConcurrency, inProgress);
    res.once("close", () => inProgress--);
    events.emit("request", record);

    let reading: Promise<string | undefined> | undefined;
    let createdHere = false;
    const exchange: Exchange = {
      req,
      res,
      record,
      read: () =>
        (reading ??= new Promise((resolve) => {
          const chunks: Buffer[] = [];
          req.on("data", (chunk: Buffer) => chunks.push(chunk));
          req.once("end", () => resolve((record.body = Buffer.concat(chunks).toString("utf8"))));
          req.once("close", () => resolve(req.complete ? record.body : undefined));
          req.once("error", () => resolve(undefined));
        })),
      create() {
        if (record.body === undefined || createdHere)
          throw new Error("fault server: create() needs a completely read body, once");
        createdHere = true;
        let content: string;
        try {
          content = String((JSON.parse(record.body) as { content?: unknown }).content);
        } catch {
          content = record.body;
        }
        state.created.push(content);
        everCreated.set(content, (everCreated.get(content) ?? 0) + 1);
        events.emit("created", record);
      },
      send(status, body, headers = {}) {
        record.status = status;
        res.writeHead(status, { "Content-Length": String(Buffer.byteLength(body)), ...headers });
        record.answered = res.getHeaders();
        res.end(body, () => events.emit("answered", record));
      },
    };

    const behaviour = script[Math.min(served++, script.length - 1)]!;
    if (rateLimit) {
      const now = Date.now();
      const start = Math.floor(now / rateLimit.windowMs) * rateLimit.windowMs;
      if (start !== window.start) window = { start, used: 0 };
      const allowed = window.used < rateLimit.limit;
      if (allowed) window.used++;
      res.setHeader("X-RateLimit-Limit", String(rateLimit.limit));
      res.setHeader("X-RateLimit-Remaining", String(rateLimit.limit - window.used));
      res.setHeader("X-RateLimit-Reset", String((start + rateLimit.windowMs) / 1000));
      if (latencyMs) await new Promise((resolve) => setTimeout(resolve, latencyMs));
      if (!allowed) {
        state.rejected429++;
        if ((await exchange.read()) === undefined) return;
        exchange.send(429, JSON.stringify({ message: "Too Many Requests" }), {
          "Content-Type": "application/json",
        });
        return;
      }
    }
    try {
      await behaviour(exchange);
    } catch (error) {
      res.destroy(error as Error);
    }
  };
  const server = createServer((req, res) => void handle(req, res));
  server.keepAliveTimeout = 30_000;

  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;

  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    duplicates: () => [...everCreated].filter(([, n]) => n > 1).map(([content]) => content),
    use(...behaviours: Behaviour[]) {
      script = behaviours;
      served = 0;
    },
    limit(limit: RateLimit | undefined, latency = 0) {
      rateLimit = limit;
      latencyMs = latency;
      window = { start: -1, used: 0 };
    },
    clear() {
      state.requests = [];
      state.created = [];
      state.rejected429 = 0;
      state.maxConcurrency = inProgress;
    },
    next: (event: "request" | "created" | "answered") =>
      once(events, event).then(([record]) => record as ReceivedRequest),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}

/** A port on 127.0.0.1 where nothing listens (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
