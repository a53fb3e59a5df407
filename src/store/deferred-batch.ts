/*
 * The writes waiting on a PostgreSQL connection (deferred-writes.ts): which of them may go to the
 * database in one statement, and that statement.
 */

/** A deferred write's marker: its table and, optionally, the rows it touches (see `deferrable`). */
const MARKER = /^\/\*kaigi:defer ([a-z_]+)(?: (key|like)=(\d+(?:,\d+)*))?\*\/ /;

/**
 * How a deferred write names the rows it touches, by the 0-based positions of its parameters:
 * - `key`: the row whose key is those parameters' values (an insert, an upsert, an update by key);
 * - `like`: the rows whose key starts with the values of all but the last, and whose last key
 *   column matches the last as a LIKE pattern with `\` as escape (a delete by prefix).
 * A write that names nothing may touch any row of its table.
 */
export type Rows = { key: readonly number[] } | { like: readonly number[] };

/** A statement's SQL marked as a write that may wait (its result is never read). */
export function deferrable(table: string, sql: string, rows?: Rows): string {
  const named = !rows
    ? ""
    : "key" in rows
      ? ` key=${rows.key.join()}`
      : ` like=${rows.like.join()}`;
  return `/*kaigi:defer ${table}${named}*/ ${sql}`;
}

export interface Waiting {
  table: string;
  sql: string;
  values: unknown[];
  /** The values of the rows' key (see Rows); undefined: any row of the table. */
  key: unknown[] | undefined;
  /** The key's last value is a LIKE pattern. */
  like: boolean;
  /** Which transaction of the group wrote it (deferred-writes.ts counts them). */
  turn: number;
}

/** `text` as a deferred write, or undefined when it is not marked as one. */
export function asWaiting(text: string, values: unknown[], turn: number): Waiting | undefined {
  const marker = MARKER.exec(text);
  if (!marker?.[1]) return undefined;
  const positions = marker[3]?.split(",").map(Number);
  return {
    table: marker[1],
    sql: text.slice(marker[0].length),
    values,
    key: positions?.map((p) => values[p]),
    like: marker[2] === "like",
    turn,
  };
}

/**
 * Whether `b` may not go in one statement with `a`, written before it: the parts of one
 * statement all see the database as it was before the statement, so two that touch one row
 * would not see each other (an upsert after an upsert, an insert after a delete of its row).
 * Writes to distinct rows of one table commute; two deletes do too.
 */
export function conflicts(a: Waiting, b: Waiting): boolean {
  if (a.table !== b.table) return false;
  if (!a.key || !b.key || a.key.length !== b.key.length) return true;
  if (a.like && b.like) return false;
  const last = a.key.length - 1;
  for (let i = 0; i < last; i++) if (a.key[i] !== b.key[i]) return false;
  const [x, y] = [a.key[last], b.key[last]];
  if (!a.like && !b.like) return x === y;
  const [pattern, key] = a.like ? [x, y] : [y, x];
  return typeof pattern !== "string" || typeof key !== "string" || likeMatches(pattern, key);
}

/** SQL LIKE with `\` as escape, as PostgreSQL reads it (case-sensitive, whole string). */
function likeMatches(pattern: string, text: string): boolean {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === "\\" && i + 1 < pattern.length) source += escape(pattern.charAt(++i));
    else if (c === "%") source += "[^]*";
    else if (c === "_") source += "[^]";
    else source += escape(c);
  }
  return new RegExp(`^${source}$`, "u").test(text);
}
const escape = (c: string) => c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * An insert of one row whose values are parameters only, and what follows them (ON CONFLICT …):
 * several of one text become one insert of several rows.
 */
const ONE_ROW = /^(insert into [^$]*? values )(\(\$\d+(?:, \$\d+)*\))([^]*)$/;
const PARAMETER = /\$(\d+)/g;

/**
 * The waiting writes as one statement: inserts of the same text as one multi-row insert (when
 * what follows their row has the same values in all), the rest each as a data-modifying CTE
 * (`with w0 as (…), w1 as (…) select 1`), parameters renumbered. Their order inside the
 * statement does not matter: `conflicts` kept any two that touch one row apart.
 */
export function combined(batch: readonly Waiting[]): [string, unknown[]] {
  const [only] = batch;
  if (batch.length === 1 && only) return [only.sql, only.values];
  const bySql = new Map<string, Waiting[]>();
  for (const w of batch) {
    const same = bySql.get(w.sql);
    if (same) same.push(w);
    else bySql.set(w.sql, [w]);
  }
  const values: unknown[] = [];
  const parts: string[] = [];
  const renumber = (sql: string, of: readonly unknown[], seen = new Map<string, string>()) =>
    // The deferred statements are the store's own precompiled ones: every `$n` in them is a
    // parameter (they hold no string literal with a dollar sign).
    sql.replace(PARAMETER, (_, n: string) => {
      let to = seen.get(n);
      if (!to) {
        values.push(of[Number(n) - 1]);
        to = `$${String(values.length)}`;
        seen.set(n, to);
      }
      return to;
    });
  for (const [sql, writes] of bySql) {
    const rows = writes.length > 1 ? ONE_ROW.exec(sql) : null;
    const [first] = writes;
    if (rows?.[1] && rows[2] && rows[3] !== undefined && first && sameTail(rows[3], writes)) {
      // The tail's parameters are the first's (equal in all); each row gets its own.
      const tail = renumber(rows[3], first.values);
      const tuples = writes.map((w) => renumber(rows[2] ?? "", w.values));
      parts.push(`${rows[1]}${tuples.join(", ")}${tail}`);
    } else for (const w of writes) parts.push(renumber(w.sql, w.values));
  }
  const [one] = parts;
  if (parts.length === 1 && one) return [one, values];
  return [`with ${parts.map((p, i) => `w${String(i)} as (${p})`).join(", ")} select 1`, values];
}

/** Whether the parameters after the row (ON CONFLICT … SET … + $n) have one value in all. */
function sameTail(tail: string, writes: readonly Waiting[]): boolean {
  const [first, ...rest] = writes;
  if (!first) return false;
  for (const [, n] of tail.matchAll(PARAMETER)) {
    const i = Number(n) - 1;
    if (rest.some((w) => w.values[i] !== first.values[i])) return false;
  }
  return true;
}
