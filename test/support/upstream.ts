// A fake upstream for Prism's validation proxy (`npm run mock:proxy`): a Node http server on 127.0.0.1 that records
// what it receives and answers whatever the test sets in `answer`.
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** What the fake upstream answers: status, headers and a body sent byte for byte as given. */
export interface UpstreamAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** One request the fake upstream received. */
export interface UpstreamRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** The body exactly as it arrived. */
  body: string;
}

export interface FakeUpstream {
  url: string;
  /** Every request received so far, oldest first. */
  requests: UpstreamRequest[];
  /** The answer to the next requests; change it between tests. */
  answer: UpstreamAnswer;
  close(): Promise<void>;
}

/** Starts the fake upstream on a free port of 127.0.0.1. */
export async function startFakeUpstream(answer: UpstreamAnswer = { status: 200 }): Promise<FakeUpstream> {
  const upstream: Omit<FakeUpstream, "url" | "close"> = { requests: [], answer };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      upstream.requests.push({
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      const { status, headers = {}, body = "" } = upstream.answer;
      res.writeHead(status, { "Content-Length": String(Buffer.byteLength(body)), ...headers }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(upstream, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}
