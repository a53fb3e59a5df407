/**
 * Typed errors with stable codes. One boundary (CLI, HTTP, card) maps a code to an exit status,
 * an HTTP status or a card; nothing branches on `message`. Every code is documented in
 * docs/errors.md (a test checks that).
 */
export const errorCodes = [
  "BAD_ARGUMENT",
  "POLICY_INVALID",
  "POLICY_NOT_FOUND",
  "ILLEGAL_TRANSITION",
  "NOT_ORGANIZER",
  "SELF_APPROVAL_FORBIDDEN",
  "NOT_APPROVER",
  "NOT_ADDRESSEE",
  "APPROVAL_NOT_PENDING",
  "CLEANUP_ITEM_UNKNOWN",
  "MEETING_NOT_FOUND",
  "STORE_UNAVAILABLE",
  "STORE_WRITE_FAILED",
  "LOG_CHAIN_BROKEN",
  "TENANT_REQUIRED",
  "CONFIG_INVALID",
  "PLATFORM_UNAVAILABLE",
  "PLATFORM_REJECTED",
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export class KaigiError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = Object.freeze({ ...details });
  }
}

/** A command-line or API argument that cannot be used; `argument` names it. */
export class BadArgumentError extends KaigiError {
  constructor(argument: string, message: string) {
    super("BAD_ARGUMENT", message, { argument });
  }
}
