import { KaigiError } from "../errors.js";

export class TenantRequiredError extends KaigiError {
  constructor(operation: string) {
    super("TENANT_REQUIRED", `${operation} needs a tenant id`, { operation });
  }
}

export class StoreUnavailableError extends KaigiError {
  constructor(reason: string) {
    super("STORE_UNAVAILABLE", `the database cannot be reached (${reason}); nothing was recorded`);
  }
}

export class StoreWriteFailedError extends KaigiError {
  constructor(reason: string) {
    super("STORE_WRITE_FAILED", `the database refused the write (${reason}); nothing was recorded`);
  }
}

export function requireTenant(tenantId: string, operation: string): void {
  if (typeof tenantId !== "string" || tenantId.trim() === "")
    throw new TenantRequiredError(operation);
}

const unavailableCodes = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "ETIMEDOUT",
  "ECONNRESET",
  "57P01",
  "57P03",
  "08006",
  "08001",
  "SQLITE_CANTOPEN",
]);
const writeCodes = new Set([
  "SQLITE_FULL",
  "SQLITE_READONLY",
  "SQLITE_IOERR",
  "53100",
  "23505",
  "23503",
  "SQLITE_CONSTRAINT_PRIMARYKEY",
  "SQLITE_CONSTRAINT_UNIQUE",
]);

/** Maps a driver error to a typed store error; anything else is passed through unchanged. */
export function storeError(error: unknown): unknown {
  if (error instanceof KaigiError) return error;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== "string") return error;
  if (unavailableCodes.has(code)) return new StoreUnavailableError(code);
  // PostgreSQL classes 23 (integrity) and 53 (insufficient resources: disk full, out of memory).
  const refused =
    writeCodes.has(code) ||
    /^SQLITE_(IOERR|CONSTRAINT|FULL)/.test(code) ||
    /^(23|53)[0-9A-Z]{3}$/.test(code);
  if (refused) return new StoreWriteFailedError(code);
  return error;
}
