import { BadArgumentError } from "../errors.js";
import { storeConfigFromEnv } from "../config/store.js";
import { Database } from "../store/db.js";
import { parse, required } from "./args.js";
import { EXIT_OK, type CliCommand } from "./io.js";

/** `kaigi-guard backup <file>`: an online, consistent copy of the SQLite database. */
export const runBackup: CliCommand = async (args, io) => {
  const { positionals } = parse(args, {}, 1);
  const file = required("<file>", positionals[0]);
  const config = storeConfigFromEnv(io.env);
  if (config.kind === "postgres") {
    throw new BadArgumentError(
      "DATABASE_URL",
      "backup <file> is for the embedded SQLite; for PostgreSQL use pg_dump (docs/backup.md)",
    );
  }
  const db = await Database.open(config);
  try {
    await db.backup(file);
  } finally {
    await db.close();
  }
  io.stdout(`backed up ${config.path} to ${file}\n`);
  return EXIT_OK;
};
