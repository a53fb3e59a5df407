import type { Migration, MigrationProvider } from "kysely";
import * as m001 from "./001_initial.js";
import * as m002 from "./002_approvals_cleanup.js";
import * as m003 from "./003_conversations.js";
import * as m004 from "./004_graph_subscriptions.js";
import * as m005 from "./005_meeting_links.js";
import * as m006 from "./006_sent_cards.js";
import * as m007 from "./007_admin.js";
import * as m008 from "./008_tenant_policy.js";
import * as m009 from "./009_verdict_texts.js";
import * as m010 from "./010_verdicts.js";

/** Every migration, in order. Imported statically so a bundle or a dist/ build finds them. */
export const migrations: Readonly<Record<string, Migration>> = {
  "001_initial": m001,
  "002_approvals_cleanup": m002,
  "003_conversations": m003,
  "004_graph_subscriptions": m004,
  "005_meeting_links": m005,
  "006_sent_cards": m006,
  "007_admin": m007,
  "008_tenant_policy": m008,
  "009_verdict_texts": m009,
  "010_verdicts": m010,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve({ ...migrations }),
};
