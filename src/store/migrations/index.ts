import type { Migration, MigrationProvider } from "kysely";
import * as m001 from "./001_initial.js";

/** Migrations are imported statically so a bundle or a dist/ build finds them. */
export const migrationProvider: MigrationProvider = {
  getMigrations: (): Promise<Record<string, Migration>> => Promise.resolve({ "001_initial": m001 }),
};
