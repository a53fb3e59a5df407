/** What bench-teams.ts and its server process (bench-teams-server.ts) say to each other. */

/** The tenant and organizer of the Teams fixture the measured invoke is built from. */
export const BENCH_TENANT = "5c7d1a3e-8b2f-4e61-9a0d-3f4b6c8e2a17";
export const BENCH_ORGANIZER_OID = "8e2f4a6c-1d3b-4f5a-9c7e-2b4d6f8a0c1e";

export type ToServer =
  | { type: "prepare"; count: number }
  /** Before every measured phase: what earlier work left behind is written back off the clock. */
  | { type: "settle" }
  | { type: "usage" }
  | { type: "verify" }
  /** A CPU profile of the server process: started, or stopped and written to `file`. */
  | { type: "profile"; file?: string }
  | { type: "stop" };

export type FromServer =
  | {
      type: "ready";
      app: string;
      echo: string;
      /** The same stack answering with the verdict card: policy evaluated, nothing stored. */
      evaluation: string;
      serviceUrl: string;
      token: string;
      dialect: "sqlite" | "postgres";
    }
  | { type: "prepared"; ids: string[] }
  | { type: "settled" }
  | {
      type: "usage";
      cpu: NodeJS.CpuUsage;
      /** Time spent in garbage collection since the server started, ms. */
      gcMs: number;
      /** Round trips to PostgreSQL since the server started (0 on SQLite). */
      queries: number;
      elu: { idle: number; active: number; utilization: number };
    }
  | {
      type: "verified";
      states: Record<string, number>;
      actions: Record<string, number>;
      outbox: number;
      warnings: number;
      errors: number;
      first: string[];
    }
  | { type: "profiled" }
  | { type: "failed"; error: string };
