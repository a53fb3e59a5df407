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
  "57P02",
  "57P03",
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
  "3D000",
  "28000",
  "28P01",
  "SQLITE_CANTOPEN",
  "SQLITE_NOTADB",
  "SQLITE_CORRUPT",
]);
const writeCodes = new Set([
  "SQLITE_FULL",
  "SQLITE_READONLY",
  "SQLITE_IOERR",
  "53100",
  "25006",
  "23505",
  "23503",
  "SQLITE_CONSTRAINT_PRIMARYKEY",
  "SQLITE_CONSTRAINT_UNIQUE",
]);

/**
 * node-postgres reports a lost or unobtainable connection without a code; these are its
 * messages (the one place a message is read, because the driver offers nothing else).
 */
const pgConnectionLost =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/** Maps a driver error to a typed store error; anything else is passed through unchanged. */
export function storeError(error: unknown): unknown {
  if (error instanceof KaigiError || error === null || error === undefined) return error;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== "string") {
    return error instanceof Error && pgConnectionLost.test(error.message)
      ? new StoreUnavailableError("connection lost")
      : error;
  }
  // PostgreSQL class 08 (connection exception) and 57P0x (server shutting down, restarting).
  if (unavailableCodes.has(code) || /^(08[0-9A-Z]{3}|57P0[1-3])$/.test(code))
    return new StoreUnavailableError(code);
  // PostgreSQL classes 22 (data the column cannot hold), 23 (integrity), 25006 (read-only
  // transaction or standby) and 53 (insufficient resources: disk full, out of memory).
  const refused =
    writeCodes.has(code) ||
    /^SQLITE_(IOERR|CONSTRAINT|FULL|READONLY)/.test(code) ||
    /^(22|23|53)[0-9A-Z]{3}$/.test(code);
  if (refused) return new StoreWriteFailedError(code);
  return error;
}
