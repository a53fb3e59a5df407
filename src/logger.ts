import { pino } from "pino";
import { readEnvironment } from "./config/env.js";

/** Operational log lines (not the meeting log): JSON, one per line, nothing personal at info. */
export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

/**
 * pino, one JSON line per event on stderr: `time` (ISO UTC), `level` by name, `event`, fields.
 * `LOG_LEVEL` (default info) sets the threshold. Fields that could carry personal data or
 * credentials are censored even if a caller passes them by mistake (the meeting log, not this
 * log, is where people appear).
 */
export function jsonLogger(
  write: (line: string) => void = (line) => process.stderr.write(line),
  level: string = readEnvironment(process.env).LOG_LEVEL ?? "info",
): Logger {
  const log = pino(
    {
      level,
      base: null,
      messageKey: "event",
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED, censor: "[redacted]" },
    },
    { write },
  );
  const emit =
    (at: "info" | "warn" | "error") =>
    (event: string, fields: Record<string, unknown> = {}) => {
      log[at](fields, event);
    };
  return { info: emit("info"), warn: emit("warn"), error: emit("error") };
}

const REDACTED = [
  "authorization",
  "password",
  "token",
  "email",
  "name",
  "displayName",
  "description",
  "*.authorization",
  "*.password",
  "*.token",
  "*.email",
  "*.name",
  "*.displayName",
];

/** A logger that keeps its lines, for tests that check what was logged. */
export function memoryLogger(): Logger & {
  lines: { level: string; event: string; fields: Record<string, unknown> }[];
} {
  const lines: { level: string; event: string; fields: Record<string, unknown> }[] = [];
  const push =
    (level: string) =>
    (event: string, fields: Record<string, unknown> = {}) => {
      lines.push({ level, event, fields });
    };
  return { lines, info: push("info"), warn: push("warn"), error: push("error") };
}
