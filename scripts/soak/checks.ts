import type { Database } from "../../src/store/db.js";
import { chainTenants, verifyChain } from "../../src/store/log/verify.js";
import { BOT_TOKEN, type botFrameworkFake } from "../../test/fakes/botframework.js";
import type { webexApiFake } from "../../test/fakes/webex-api.js";
import { say } from "./say.js";

/**
 * What the run left, read once both instances have stopped: the log against the meetings that
 * were confirmed, the reminders the platforms received against the log's, the chains, and the
 * 5xx answers against the kill window. The verdicts are drawn from these in report.ts.
 */
export async function findings(
  db: Database,
  run: {
    confirmed: ReadonlyMap<string, string>;
    bf: Awaited<ReturnType<typeof botFrameworkFake>>;
    webex: ReturnType<typeof webexApiFake>;
    answered: readonly { at: number; status: number }[];
    killWindow: { from: number; to: number } | undefined;
  },
) {
  const { confirmed, bf, webex, answered, killWindow } = run;
  const logRows = await db.kysely
    .selectFrom("log_entries")
    .select(["tenant_id", "meeting_id", "action", "payload"])
    .execute();
  const actionsOf = (meetingId: string) =>
    logRows.filter((r) => r.meeting_id === meetingId).map((r) => r.action);
  const missing = [...confirmed.keys()].filter((id) => {
    const a = actionsOf(id);
    return !a.includes("tier.declared") || !a.includes("meeting.scheduled");
  });

  // Reminders the platforms received, by meeting title and number, against the log's.
  const reminderKey = (text: string): string[] => {
    const n = /（(\d+)回目のお知らせ）/.exec(text)?.[1];
    const name = /soak-[tw]\d+/.exec(text)?.[0];
    return n && name ? [`${name}#${n}`] : [];
  };
  const delivered = new Map<string, number>();
  const callsOf = new Map<string, string[]>();
  // Only what the platforms accepted counts as delivered (the connector refuses a wrong token).
  const accepted = bf
    .replies()
    .filter((c) => c.method === "POST" && c.headers.authorization === `Bearer ${BOT_TOKEN}`);
  for (const call of [...accepted, ...webex.posted()])
    for (const key of reminderKey(JSON.stringify(call.json))) {
      delivered.set(key, (delivered.get(key) ?? 0) + 1);
      callsOf.set(key, [...(callsOf.get(key) ?? []), `${call.method} ${call.path}`]);
    }
  // Every meeting the store has (a confirmation can be committed and its answer lost in the kill).
  const titleOf = new Map(
    (await db.kysely.selectFrom("meetings").select(["id", "data"]).execute()).map((m) => [
      m.id,
      (JSON.parse(m.data) as { title?: string }).title ?? m.id,
    ]),
  );
  const loggedTimes = new Map<string, number>();
  for (const r of logRows)
    if (r.action === "reminder.sent" && r.meeting_id && titleOf.has(r.meeting_id)) {
      const key = `${titleOf.get(r.meeting_id) ?? ""}#${String((JSON.parse(r.payload) as { n: number }).n)}`;
      loggedTimes.set(key, (loggedTimes.get(key) ?? 0) + 1);
    }
  const loggedTwice = [...loggedTimes].filter(([, n]) => n > 1).map(([k]) => k);
  if (loggedTwice.length > 0) say(`logged twice: ${loggedTwice.slice(0, 5).join(", ")}`);
  const logged = new Set(
    logRows
      .filter((r) => r.action === "reminder.sent" && r.meeting_id && titleOf.has(r.meeting_id))
      .map(
        (r) =>
          `${titleOf.get(r.meeting_id ?? "") ?? ""}#${String((JSON.parse(r.payload) as { n: number }).n)}`,
      ),
  );
  const duplicates = [...delivered].filter(([, n]) => n > 1).map(([k]) => k);
  for (const key of duplicates.slice(0, 3))
    say(`delivered twice: ${key}: ${(callsOf.get(key) ?? []).join(" | ")}`);
  const unlogged = [...delivered.keys()].filter((k) => !logged.has(k));
  // A reminder logged but not delivered must still be waiting in the outbox (its row was written in
  // the same transaction as its log entry), never lost.
  type Queued = { meetingId?: string; template?: string; data?: { n?: number } };
  const queued = new Set(
    (await db.kysely.selectFrom("outbox").select("payload").where("state", "!=", "done").execute())
      .map((r) => JSON.parse(r.payload) as Queued)
      .filter((p) => p.template === "cleanup-reminder")
      .map((p) => `${titleOf.get(p.meetingId ?? "") ?? ""}#${String(p.data?.n)}`),
  );
  const undelivered = [...logged].filter((k) => !delivered.has(k));
  const lost = undelivered.filter((k) => !queued.has(k));

  const chains = await Promise.all((await chainTenants(db.kysely)).map((t) => verifyChain(db, t)));
  const window = killWindow ?? { from: 0, to: 0 };
  const fivexx = answered.filter((a) => a.status >= 500);
  const outside = fivexx.filter((a) => a.at < window.from || a.at > window.to);
  return {
    missing,
    logged,
    delivered,
    duplicates,
    unlogged,
    undelivered,
    lost,
    chains,
    window,
    fivexx,
    outside,
  };
}

export type Findings = Awaited<ReturnType<typeof findings>>;
