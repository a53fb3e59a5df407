import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";

/** One request a fake received, as it came over the wire. */
export interface RecordedCall {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
  json: unknown;
}

export interface FakeReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type FakeRoute = (
  call: RecordedCall,
) => FakeReply | undefined | Promise<FakeReply | undefined>;

/**
 * A tiny HTTP server on 127.0.0.1 that records every call and answers from routes. Fakes of the
 * platforms are built on it, answering with the documented payloads in test/fixtures.
 */
export class HttpFake {
  readonly calls: RecordedCall[] = [];
  private readonly server: Server;
  private readonly routes: FakeRoute[] = [];

  constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => void this.answer(req, res, chunks));
    });
  }

  private async answer(req: IncomingMessage, res: ServerResponse, chunks: Buffer[]) {
    const body = Buffer.concat(chunks).toString("utf8");
    const call: RecordedCall = {
      method: req.method ?? "GET",
      path: req.url ?? "/",
      headers: req.headers,
      body,
      json: tryJson(body),
    };
    this.calls.push(call);
    let reply: FakeReply = { status: 404, body: { error: { code: "NotFound" } } };
    for (const route of this.routes) {
      const answer = await route(call);
      if (answer) {
        reply = answer;
        break;
      }
    }
    res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
    res.end(reply.body === undefined ? "" : JSON.stringify(reply.body));
  }

  /** Routes added later take precedence, so a test can override one answer. */
  on(route: FakeRoute): this {
    this.routes.unshift(route);
    return this;
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

function tryJson(body: string): unknown {
  try {
    return body === "" ? undefined : JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** A documented payload from test/fixtures (copied from the shared fixtures with their sources). */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the payload's shape
export function fixture<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/${path}`, import.meta.url), "utf8")) as T;
}
