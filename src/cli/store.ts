import { storeConfigFromEnv } from "../config/store.js";
import { Database } from "../store/db.js";
import type { CliIo } from "./io.js";

/** Opens the configured store for one command and always closes it. */
export async function withStore<T>(io: CliIo, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await Database.open(storeConfigFromEnv(io.env));
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}
