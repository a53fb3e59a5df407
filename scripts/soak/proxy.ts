import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Instance } from "./instance-process.js";

/**
 * The load balancer in front of the instances, on loopback, and the client the workload sends
 * through it. `answered` is what it saw: every answer with its time and status.
 */
export async function roundRobinProxy(instances: readonly Instance[]) {
  const answered: { at: number; status: number; kind: string }[] = [];
  let next = 0;
  const proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      // Round robin; a refused connection (nothing sent yet) is retried on the other instance,
      // as a load balancer does. A connection that breaks mid-request is a 502.
      const attempt = (tries: number) => {
        const target = instances[next++ % instances.length] as Instance;
        const up = http.request(
          {
            host: "127.0.0.1",
            port: target.port,
            method: req.method,
            path: req.url,
            headers: req.headers,
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        up.on("error", (error: NodeJS.ErrnoException) => {
          if (error.code === "ECONNREFUSED" && tries < instances.length) attempt(tries + 1);
          else if (!res.headersSent) {
            res.writeHead(502, { "content-type": "application/json" });
            res.end('{"error":{"code":"UPSTREAM_DOWN"}}');
          }
        });
        up.end(body);
      };
      attempt(1);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const proxyUrl = `http://127.0.0.1:${String((proxy.address() as AddressInfo).port)}`;

  async function send(kind: string, path: string, body: string, headers: Record<string, string>) {
    try {
      const res = await fetch(`${proxyUrl}${path}`, { method: "POST", headers, body });
      const text = await res.text();
      answered.push({ at: Date.now(), status: res.status, kind });
      return {
        status: res.status,
        json: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      };
    } catch {
      answered.push({ at: Date.now(), status: 599, kind });
      return { status: 599, json: {} };
    }
  }

  return {
    answered,
    send,
    close: () => {
      proxy.close();
    },
  };
}

export type Send = Awaited<ReturnType<typeof roundRobinProxy>>["send"];
