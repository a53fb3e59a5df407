import { CompiledQuery } from "kysely";
import type { AheadClaim, GroupScope } from "../group-scope.js";
import type { Db } from "../handle.js";
import { GENESIS_HASH } from "../log/chain.js";

/**
 * PostgreSQL: the claims of a tenant's group in one statement (see ClaimAhead in
 * group-commit.ts). Each event id is recorded once (a second delivery of one event in the same
 * group finds it taken when it claims on its own, as before); each meeting row is locked as
 * claimEventAndLoad locks it, and its data kept for the transaction that will load it. The
 * tenant is the group's: its groups run one at a time (postgres.ts), so locking the group's
 * meetings at its start takes no lock another group of that tenant could hold. The same statement
 * locks the tenant's log head, as appendLog would at the group's first entry, and leaves it in
 * the scope: the group's first entry then costs no round trip of its own.
 */
export function claimAheadFor(tenantId: string) {
  return async (conn: Db, claims: readonly AheadClaim[], scope: GroupScope): Promise<void> => {
    const { rows } = await conn.executeQuery<{
      event_id: string;
      claimed: boolean;
      data: string | null;
      head_seq: number;
      head_hash: string;
    }>(
      CompiledQuery.raw(CLAIM_AHEAD, [
        tenantId,
        claims.map((c) => c.eventId),
        claims.map((c) => c.meetingId),
        claims.map((c) => c.at),
        GENESIS_HASH,
      ]),
    );
    const [first] = rows;
    if (first && !scope.logHeads.has(tenantId))
      scope.logHeads.set(tenantId, { seq: first.head_seq, hash: first.head_hash });
    for (const row of rows)
      if (!scope.claimed.has(row.event_id))
        scope.claimed.set(row.event_id, { claimed: row.claimed, data: row.data });
  };
}

const CLAIM_AHEAD = `with input as (
  select event_id, meeting_id, at, i
  from unnest($2::text[], $3::text[], $4::text[]) with ordinality as claims(event_id, meeting_id, at, i)
), claimed as (
  insert into processed_events (tenant_id, event_id, at)
  select distinct on (event_id) $1, event_id, at from input order by event_id, i
  on conflict (tenant_id, event_id) do nothing returning event_id
), head as (
  insert into log_heads (tenant_id, seq, hash) values ($1, 0, $5)
  on conflict (tenant_id) do update set seq = log_heads.seq returning seq, hash
)
select input.event_id, input.event_id in (select event_id from claimed) as claimed,
  (select data from meetings where tenant_id = $1 and id = input.meeting_id for update) as data,
  head.seq as head_seq, head.hash as head_hash
from input cross join head order by i`;
