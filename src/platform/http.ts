import type { z } from "zod";
import { KaigiError } from "../errors.js";

/** The platform could not be reached, kept failing, or answered something we cannot read. */
export class PlatformUnavailableError extends KaigiError {
  constructor(platform: string, message: string, details: Record<string, unknown> = {}) {
    super("PLATFORM_UNAVAILABLE", `${platform}: ${message}`, { platform, ...details });
  }
}

/** The platform refused the request (4xx other than 429): retrying will not help. */
export class PlatformRejectedError extends KaigiError {
  readonly status: number;
  constructor(platform: string, status: number, details: Record<string, unknown> = {}) {
    super("PLATFORM_REJECTED", `${platform}: request refused with HTTP ${status}`, {
      platform,
      status,
      ...details,
    });
    this.status = status;
  }
}

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  timeoutMs: number;
}

export const defaultRetry: RetryPolicy = {
  attempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  timeoutMs: 15_000,
};

/** Retry-After in seconds (may be fractional) or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export interface JsonRequest<T> {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** The expected answer; undefined for an empty answer (204). */
  schema?: z.ZodType<T>;
}

export type Sleep = (ms: number) => Promise<void>;
const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A JSON client for one platform: retries 429 and 5xx honouring Retry-After, falls back to
 * exponential backoff when the header is missing, bounds each attempt with a timeout, and
 * validates the answer. Errors never carry the platform's response body (it may hold personal data).
 */
export class JsonClient {
  constructor(
    private readonly platform: string,
    private readonly retry: RetryPolicy = defaultRetry,
    private readonly sleep: Sleep = realSleep,
  ) {}

  async request<T>(req: JsonRequest<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const res = await this.send(req);
      if (res.ok) return this.parse(req, res);
      const retryable = res.status === 429 || res.status >= 500;
      if (!retryable)
        throw new PlatformRejectedError(this.platform, res.status, {
          requestId: res.headers.get("request-id") ?? res.headers.get("trackingid"),
        });
      if (attempt >= this.retry.attempts) {
        throw new PlatformUnavailableError(
          this.platform,
          `HTTP ${res.status} after ${attempt} attempts`,
        );
      }
      const backoff = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
      await this.sleep(
        Math.min(this.retry.maxDelayMs, retryAfterMs(res.headers.get("retry-after")) ?? backoff),
      );
    }
  }

  private async send<T>(req: JsonRequest<T>): Promise<Response> {
    try {
      return await fetch(req.url, {
        method: req.method,
        headers: {
          accept: "application/json",
          ...(req.body === undefined ? {} : { "content-type": "application/json" }),
          ...req.headers,
        },
        body: req.body === undefined ? null : JSON.stringify(req.body),
        signal: AbortSignal.timeout(this.retry.timeoutMs),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.name : "error";
      throw new PlatformUnavailableError(this.platform, `${req.method} failed (${reason})`);
    }
  }

  private async parse<T>(req: JsonRequest<T>, res: Response): Promise<T> {
    if (!req.schema) return undefined as T;
    let json: unknown;
    try {
      json = await res.json();
    } catch {
      throw new PlatformUnavailableError(this.platform, `${req.method} answer is not JSON`);
    }
    const parsed = req.schema.safeParse(json);
    if (!parsed.success) {
      throw new PlatformUnavailableError(
        this.platform,
        `${req.method} answer has an unexpected shape`,
        {
          paths: parsed.error.issues.map((i) => i.path.join(".")),
        },
      );
    }
    return parsed.data;
  }
}
