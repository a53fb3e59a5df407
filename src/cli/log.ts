import { readFileSync } from "node:fs";
import { systemClock } from "../clock.js";
import { BadArgumentError } from "../errors.js";
import { checkpointKeyFromEnv, storeConfigFromEnv } from "../config/store.js";
import { ConfigInvalidError } from "../config/app.js";
import { Database } from "../store/db.js";
import {
  checkCheckpoint,
  loadSigningKey,
  makeCheckpoint,
  type Checkpoint,
} from "../store/log/checkpoint.js";
import { exportLog } from "../store/log/export.js";
import { chainTenants, verifyChain } from "../store/log/verify.js";
import { oneOf, parse, required } from "./args.js";
import { EXIT_FAILED, EXIT_OK, type CliCommand, type CliIo } from "./io.js";

const usage = `usage:
  kaigi-guard log verify [--tenant T] [--checkpoint FILE]
  kaigi-guard log export --tenant T --format csv|json [--from ISO] [--to ISO]
  kaigi-guard log checkpoint [--tenant T]`;

async function withStore<T>(io: CliIo, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await Database.open(storeConfigFromEnv(io.env));
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

async function verify(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { tenant: { type: "string" }, checkpoint: { type: "string" } });
  const checkpoints = values.checkpoint ? readCheckpoints(values.checkpoint) : [];
  return withStore(io, async (db) => {
    const tenants = values.tenant ? [values.tenant] : await chainTenants(db.kysely);
    let broken = 0;
    for (const tenantId of tenants) {
      const report = await verifyChain(db.kysely, tenantId);
      if (report.ok) {
        io.stdout(`ok ${tenantId}: ${report.entries} entries, head ${report.headSeq}\n`);
      } else {
        broken++;
        io.stdout(
          `BROKEN ${tenantId}: first bad sequence ${report.firstBad?.seq ?? "?"} (${report.firstBad?.reason ?? "?"})\n`,
        );
      }
    }
    for (const checkpoint of checkpoints.filter(
      (c) => !values.tenant || c.tenantId === values.tenant,
    )) {
      const check = await checkCheckpoint(db.kysely, checkpoint);
      if (check.ok)
        io.stdout(
          `ok checkpoint ${checkpoint.tenantId} #${checkpoint.seq}: the log still holds it\n`,
        );
      else {
        broken++;
        io.stdout(`BROKEN checkpoint ${checkpoint.tenantId} #${checkpoint.seq}: ${check.reason}\n`);
      }
    }
    if (tenants.length === 0) io.stdout("no log entries yet\n");
    return broken === 0 ? EXIT_OK : EXIT_FAILED;
  });
}

function readCheckpoints(file: string): Checkpoint[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    throw new BadArgumentError("--checkpoint", `--checkpoint: ${file} cannot be read as JSON`);
  }
  return (Array.isArray(parsed) ? parsed : [parsed]) as Checkpoint[];
}

async function exportCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {
    tenant: { type: "string" },
    format: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
  });
  const tenantId = required("--tenant", values.tenant);
  const format = oneOf("--format", values.format, ["csv", "json"] as const);
  const range = {
    from: isoOrUndefined("--from", values.from),
    to: isoOrUndefined("--to", values.to),
  };
  return withStore(io, async (db) => {
    await exportLog(db.kysely, tenantId, format, range, io.stdout);
    return EXIT_OK;
  });
}

function isoOrUndefined(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new BadArgumentError(name, `${name}: '${value}' is not an ISO 8601 date or time`);
  return date.toISOString();
}

async function checkpoint(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { tenant: { type: "string" } });
  let key;
  try {
    key = loadSigningKey(checkpointKeyFromEnv(io.env));
  } catch (error) {
    if (error instanceof ConfigInvalidError) throw error;
    throw new ConfigInvalidError("KAIGI_CHECKPOINT_KEY", "not a base64 PKCS#8 Ed25519 private key");
  }
  return withStore(io, async (db) => {
    const tenants = values.tenant ? [values.tenant] : await chainTenants(db.kysely);
    const made = [];
    for (const tenantId of tenants) {
      const cp = await makeCheckpoint(db.kysely, key, systemClock, tenantId);
      if (cp) made.push(cp);
    }
    io.stdout(JSON.stringify(made, null, 2) + "\n");
    return EXIT_OK;
  });
}

const subcommands: Record<string, CliCommand> = { verify, export: exportCommand, checkpoint };

export const runLog: CliCommand = ([sub, ...rest], io) => {
  const command = sub === undefined ? undefined : subcommands[sub];
  if (!command)
    throw new BadArgumentError(sub ?? "<subcommand>", `unknown log subcommand\n${usage}`);
  return command(rest, io);
};
