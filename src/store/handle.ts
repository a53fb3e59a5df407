import type { Kysely } from "kysely";
import type { Tables } from "./schema.js";

/**
 * What the store's functions take: the database, or the transaction they run in. Here, apart
 * from db.ts, so that what db.ts builds on (the group commit, the precompiled statements) can
 * name it without importing db.ts back.
 */
export type Db = Kysely<Tables>;

/** Registers what is to happen once the transaction has committed (see GroupCommit). */
export type OnCommit = (hook: () => void) => void;
