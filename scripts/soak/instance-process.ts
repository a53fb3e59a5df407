import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import { say } from "./say.js";

/** One kaigi-guard instance of the run: scripts/soak/instance.ts in a child process. */
export interface Instance {
  name: string;
  port: number;
  child?: ChildProcess;
  up: boolean;
}

/** A loopback port nothing listens on now, for an instance to listen on. */
export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => {
        resolve(port);
      });
    });
  });

/**
 * Starts the instance with the run's settings (`env`, the SOAK_* variables instance.ts reads) and
 * resolves once it says it is ready; its errors are passed on as progress lines.
 */
export function startInstance(instance: Instance, env: Record<string, string>): Promise<void> {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/soak/instance.ts"], {
    env: {
      ...process.env,
      ...env,
      SOAK_PORT: String(instance.port),
      SOAK_WORKER: `soak-${instance.name}-${String(Date.now())}`,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  instance.child = child;
  child.stderr.on("data", (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n"))
      if (line.includes('"level":"error"')) say(`${instance.name} ${line.slice(0, 300)}`);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`instance ${instance.name} did not start in 60 s`));
    }, 60_000);
    child.stdout.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) {
        clearTimeout(timer);
        instance.up = true;
        resolve();
      }
    });
    child.once("exit", (code) => {
      instance.up = false;
      if (code !== 0 && code !== null) say(`instance ${instance.name} exited with ${String(code)}`);
    });
  });
}

/** Stops the instance gracefully (SIGTERM) and resolves once it has exited. */
export const stopInstance = (i: Instance) =>
  new Promise<void>((resolve) => {
    if (!i.child || i.child.exitCode !== null) {
      resolve();
      return;
    }
    i.child.once("exit", () => {
      resolve();
    });
    i.child.kill("SIGTERM");
  });
