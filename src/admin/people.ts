import type { Db } from "../store/db.js";
import { h, type Lang, type Text } from "./html.js";

/** Display names by platform identity (aad:…, webex:…), as far as this tenant's store knows them. */
export type Names = ReadonlyMap<string, string>;

/** Identities per query: far below both dialects' parameter limits. */
const CHUNK = 500;

const chunks = <T>(items: readonly T[]) =>
  Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) =>
    items.slice(i * CHUNK, (i + 1) * CHUNK),
  );

/**
 * Where names are known: the participants the platform reported (their display name, until
 * retention erases it), the personal-chat conversation the person last wrote from (Teams keeps
 * the sender's `user.name` in it: organizers and approvers), and admin accounts linked to an
 * identity (their e-mail). Only the tenant's own rows are read.
 */
export async function namesOf(db: Db, tenantId: string, ids: Iterable<string>): Promise<Names> {
  const wanted = [...new Set(ids)].filter((id) => /^(aad|webex):/.test(id));
  const names = new Map<string, string>();
  for (const part of chunks(wanted)) {
    const admins = await db
      .selectFrom("admin_accounts")
      .select(["identity", "email"])
      .where("tenant_id", "=", tenantId)
      .where("identity", "in", part)
      .execute();
    for (const a of admins) if (a.identity) names.set(a.identity, a.email);
    const chats = await db
      .selectFrom("conversations")
      .select(["person_id", "reference"])
      .where("tenant_id", "=", tenantId)
      .where("person_id", "in", part)
      .execute();
    for (const c of chats) {
      const name = (JSON.parse(c.reference) as { user?: { name?: unknown } }).user?.name;
      if (typeof name === "string" && name.trim() !== "") names.set(c.person_id, name.trim());
    }
    const seen = await db
      .selectFrom("participants")
      .select(["person_id", "display_name"])
      .where("tenant_id", "=", tenantId)
      .where("person_id", "in", part)
      .where("display_name", "is not", null)
      .execute();
    for (const p of seen)
      if (p.display_name?.trim() && !names.has(p.person_id))
        names.set(p.person_id, p.display_name.trim());
  }
  return names;
}

const SYSTEM: Record<string, Text> = {
  "system:timer": ["会議ガード（時刻による処理）", "kaigi-guard (timer)"],
  "system:teams": ["Microsoft Teams", "Microsoft Teams"],
  "system:graph": ["Microsoft Teams（Graph）", "Microsoft Teams (Graph)"],
  "system:webex": ["Webex", "Webex"],
  "system:retention": ["会議ガード（保存期間の処理）", "kaigi-guard (retention)"],
};

/** Who an actor or person is, as a reader says it: a name, 「管理者 …」, the system part — or the id. */
export function personText(lang: Lang, id: string, names: Names): string {
  const name = names.get(id);
  if (name) return name;
  const system = SYSTEM[id];
  if (system) return lang === "ja" ? system[0] : system[1];
  if (id.startsWith("admin:")) return `${lang === "ja" ? "管理者" : "admin"} ${id.slice(6)}`;
  if (id.startsWith("system:")) return lang === "ja" ? "会議ガード" : "kaigi-guard";
  return id;
}

/** Whether the text names a person (so Japanese adds さん). */
export const isPerson = (id: string, names: Names) => names.has(id) || /^(aad|webex):/.test(id);

/** A person on a page: the name, the identity on hover (an unknown identity is shown as it is). */
export function personHtml(lang: Lang, id: string, names: Names): string {
  const text = personText(lang, id, names);
  return text === id
    ? `<span class="muted">${h(id)}</span>`
    : `<span title="${h(id)}">${h(text)}</span>`;
}
