import { hash as sha256 } from "node:crypto";
import { sql } from "kysely";
import type { Database, Db } from "../db.js";
import { storeError } from "../errors.js";
import { GENESIS_HASH } from "./chain.js";

/** seq, meeting_id, actor, action, payload, sensitive_hash, at, prev_hash, hash */
export type EntryRow = [
  number,
  string | null,
  string,
  string,
  string,
  string | null,
  string,
  string,
  string,
];
/** seq, salt, data, and the sensitive_hash of the entry with that seq (null if none) */
export type SensitiveRow = [number, string, string, string | null];

/** One tenant's chain as of one moment. */
export interface ChainSnapshot {
  tenantId: string;
  head: { seq: number; hash: string } | undefined;
  /**
   * The database's own pass over the whole chain (SQL, with SHA-256 in SQL on PostgreSQL and a
   * JavaScript function on SQLite): the first entry numbered 1 or more that may be bad — a gap,
   * a link to the wrong hash, a hash that does not recompute, a number past `headSeq` — and the
   * entry before it, or `undefined` when the chain is clean. A hint: the exact walk confirms it.
   */
  firstSuspect(headSeq: number): Promise<{ seq: number; before: Link } | undefined>;
  /** The last entry (highest sequence number), if any. */
  last(): Promise<Link | undefined>;
  /** The highest sequence number below 1 (an entry that cannot belong to the chain), if any. */
  stray(): Promise<number | undefined>;
  entries(afterSeq: number, limit: number): Promise<EntryRow[]>;
  /** Kept personal data with seq > afterSeq, in sequence order, with its entry's hash of it. */
  sensitive(afterSeq: number, limit: number): Promise<SensitiveRow[]>;
}

export interface Link {
  seq: number;
  hash: string;
}

const ENTRY_COLUMNS = [
  "seq",
  "meeting_id",
  "actor",
  "action",
  "payload",
  "sensitive_hash",
  "at",
  "prev_hash",
  "hash",
] as const;

/**
 * Runs `fn` over a consistent snapshot of a tenant's chain, so appends that commit meanwhile
 * neither show up half-way nor look like tampering. SQLite: a read transaction on a read-only
 * connection of its own (WAL readers never block the writer). PostgreSQL: a REPEATABLE READ,
 * READ ONLY transaction.
 */
export async function withChainSnapshot<T>(
  db: Database,
  tenantId: string,
  fn: (snapshot: ChainSnapshot) => Promise<T>,
): Promise<T> {
  const own = db.sqliteReader();
  if (!own) {
    return db.kysely
      .transaction()
      .setIsolationLevel("repeatable read")
      .setAccessMode("read only")
      .execute(async (trx) => fn(await postgresSnapshot(trx, tenantId)));
  }
  const { reader, shared } = own;
  try {
    if (!shared) reader.exec("begin");
    return await fn(sqliteSnapshot(reader, tenantId));
  } catch (error) {
    throw storeError(error);
  } finally {
    if (!shared) {
      if (reader.inTransaction) reader.exec("commit");
      reader.close();
    }
  }
}

type Reader = NonNullable<ReturnType<Database["sqliteReader"]>>["reader"];

/** The preimage of an entry's hash, built in SQL exactly as docs/log-format.md defines it. */
const SQLITE_PREIMAGE = `json_array(prev_hash, tenant_id, seq, at, meeting_id, actor, action, sensitive_hash) || char(10) || payload`;

function sqliteSnapshot(reader: Reader, tenantId: string): ChainSnapshot {
  const one = <R>(query: string, ...params: unknown[]) =>
    Promise.resolve(reader.prepare(query).get(...params) as R | undefined);
  return {
    tenantId,
    head: reader.prepare("select seq, hash from log_heads where tenant_id = ?").get(tenantId) as
      Link | undefined,
    firstSuspect: (headSeq) => {
      // The function sees the rows in sequence order (the primary key drives the scan) and keeps
      // the link; should the order ever differ, it reports a suspect and the exact walk decides.
      let before: Link = { seq: 0, hash: GENESIS_HASH };
      reader.function(
        "kaigi_chain_step",
        { deterministic: false, directOnly: true },
        (seq: number, prevHash: string, hash: string, preimage: unknown) => {
          const ok =
            seq === before.seq + 1 &&
            seq <= headSeq &&
            prevHash === before.hash &&
            typeof preimage === "string" &&
            sha256("sha256", preimage, "hex") === hash;
          if (ok) before = { seq, hash };
          return ok ? 1 : 0;
        },
      );
      const bad = reader
        .prepare(
          `select seq from log_entries where tenant_id = ? and seq > 0
           and kaigi_chain_step(seq, prev_hash, hash, ${SQLITE_PREIMAGE}) = 0 order by seq limit 1`,
        )
        .get(tenantId) as { seq: number } | undefined;
      return Promise.resolve(bad && { seq: bad.seq, before });
    },
    last: () =>
      one<Link>(
        "select seq, hash from log_entries where tenant_id = ? order by seq desc limit 1",
        tenantId,
      ),
    stray: async () =>
      (
        await one<{ seq: number | null }>(
          "select max(seq) as seq from log_entries where tenant_id = ? and seq < 1",
          tenantId,
        )
      )?.seq ?? undefined,
    entries: (after, limit) =>
      Promise.resolve(
        reader
          .prepare(
            `select ${ENTRY_COLUMNS.join(", ")} from log_entries
             where tenant_id = ? and seq > ? order by seq limit ?`,
          )
          .raw(true)
          .all(tenantId, after, limit) as EntryRow[],
      ),
    sensitive: (after, limit) =>
      Promise.resolve(
        reader
          .prepare(
            `select s.seq, s.salt, s.data, e.sensitive_hash from log_sensitive s
             left join log_entries e on e.tenant_id = s.tenant_id and e.seq = s.seq
             where s.tenant_id = ? and s.seq > ? order by s.seq limit ?`,
          )
          .raw(true)
          .all(tenantId, after, limit) as SensitiveRow[],
      ),
  };
}

/** The same preimage on PostgreSQL: to_json escapes text exactly as JSON.stringify does. */
const PG_PREIMAGE = sql`'[' || to_json(prev_hash)::text || ',' || to_json(tenant_id)::text
  || ',' || seq::text || ',' || to_json("at")::text || ',' || coalesce(to_json(meeting_id)::text, 'null')
  || ',' || to_json(actor)::text || ',' || to_json(action)::text
  || ',' || coalesce(to_json(sensitive_hash)::text, 'null') || ']' || chr(10) || payload`;

async function postgresSnapshot(trx: Db, tenantId: string): Promise<ChainSnapshot> {
  const entries = () => trx.selectFrom("log_entries").where("tenant_id", "=", tenantId);
  return {
    tenantId,
    head: await trx
      .selectFrom("log_heads")
      .select(["seq", "hash"])
      .where("tenant_id", "=", tenantId)
      .executeTakeFirst(),
    firstSuspect: async (headSeq) => {
      const { rows } = await sql<{ seq: number; before_seq: number; before_hash: string }>`
        select seq, prev_seq as before_seq, expected_prev as before_hash from (
          select seq, prev_hash, hash,
            lag(seq, 1, 0::bigint) over w as prev_seq,
            lag(hash, 1, ${GENESIS_HASH}) over w as expected_prev,
            encode(sha256(convert_to(${PG_PREIMAGE}, 'UTF8')), 'hex') as computed
          from log_entries where tenant_id = ${tenantId} and seq > 0
          window w as (order by seq)
        ) chain
        where seq <> prev_seq + 1 or prev_hash <> expected_prev or computed <> hash
          or seq > ${headSeq}
        order by seq limit 1`.execute(trx);
      const bad = rows[0];
      return bad && { seq: bad.seq, before: { seq: bad.before_seq, hash: bad.before_hash } };
    },
    last: () =>
      entries().select(["seq", "hash"]).orderBy("seq", "desc").limit(1).executeTakeFirst(),
    stray: async () =>
      (
        await entries()
          .select((eb) => eb.fn.max("seq").as("seq"))
          .where("seq", "<", 1)
          .executeTakeFirst()
      )?.seq ?? undefined,
    entries: async (after, limit) =>
      (
        await entries()
          .select(ENTRY_COLUMNS)
          .where("seq", ">", after)
          .orderBy("seq")
          .limit(limit)
          .execute()
      ).map((r) => ENTRY_COLUMNS.map((c) => r[c]) as EntryRow),
    sensitive: async (after, limit) =>
      (
        await trx
          .selectFrom("log_sensitive as s")
          .leftJoin("log_entries as e", (j) =>
            j.onRef("e.tenant_id", "=", "s.tenant_id").onRef("e.seq", "=", "s.seq"),
          )
          .select(["s.seq", "s.salt", "s.data", "e.sensitive_hash"])
          .where("s.tenant_id", "=", tenantId)
          .where("s.seq", ">", after)
          .orderBy("s.seq")
          .limit(limit)
          .execute()
      ).map((r): SensitiveRow => [r.seq, r.salt, r.data, r.sensitive_hash]),
  };
}
