import { readFileSync } from "node:fs";
import { z } from "zod";
import { systemClock } from "../clock.js";
import { BadArgumentError } from "../errors.js";
import { checkpointKeyFromEnv } from "../config/store.js";
import {
  checkpointSchema,
  makeCheckpoint,
  makeCheckpoints,
  publicKeyOf,
  verifyCheckpoint,
  type Checkpoint,
} from "../store/log/checkpoint.js";
import { exportLog } from "../store/log/export.js";
import { chainTenants, verifyChain } from "../store/log/verify.js";
import { oneOf, parse, required } from "./args.js";
import { withStore } from "./store.js";
import { EXIT_FAILED, EXIT_OK, type CliCommand, type CliIo } from "./io.js";

const usage = `usage:
  kaigi-guard log verify [--tenant T] [--checkpoint FILE] [--public-key BASE64_SPKI]
  kaigi-guard log export --tenant T --format csv|json [--from ISO] [--to ISO] [--with-personal-data]
  kaigi-guard log checkpoint [--tenant T]`;

/**
 * `log verify`: walks every chain (or one tenant's); exit 0 when all are intact, 1 naming the
 * tenant and the first bad sequence number otherwise. With --checkpoint, also proves each saved
 * checkpoint is still in the log, signed by --public-key or by KAIGI_CHECKPOINT_KEY's key when set.
 */
async function verify(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {
    tenant: { type: "string" },
    checkpoint: { type: "string" },
    "public-key": { type: "string" },
  });
  const checkpoints = values.checkpoint ? readCheckpoints(values.checkpoint) : [];
  const trustedKey =
    values["public-key"] ??
    (io.env.KAIGI_CHECKPOINT_KEY ? publicKeyOf(checkpointKeyFromEnv(io.env)) : undefined);
  return withStore(io, async (db) => {
    const tenants = values.tenant ? [values.tenant] : await chainTenants(db.kysely);
    let broken = 0;
    for (const tenantId of tenants) {
      const report = await verifyChain(db, tenantId);
      if (report.ok) {
        io.stdout(`ok ${tenantId}: ${report.entries} entries, head ${report.headSeq}\n`);
        continue;
      }
      broken++;
      const bad = `first bad sequence ${report.firstBad?.seq ?? "?"} (${report.firstBad?.reason ?? "?"})`;
      io.stdout(`BROKEN ${tenantId}: ${bad}\n`);
      io.stderr(`error LOG_CHAIN_BROKEN: tenant ${tenantId}: ${bad}\n`);
    }
    for (const checkpoint of checkpoints) {
      if (values.tenant && checkpoint.tenantId !== values.tenant) continue;
      const check = await verifyCheckpoint(db.kysely, checkpoint, trustedKey);
      const name = `checkpoint ${checkpoint.tenantId} #${checkpoint.seq}`;
      if (check.ok) io.stdout(`ok ${name}: the log still holds it\n`);
      else {
        broken++;
        io.stdout(`BROKEN ${name}: ${check.reason}\n`);
        io.stderr(`error LOG_CHAIN_BROKEN: ${name}: ${check.reason}\n`);
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
  const checked = z.array(checkpointSchema).safeParse(Array.isArray(parsed) ? parsed : [parsed]);
  if (!checked.success)
    throw new BadArgumentError("--checkpoint", `--checkpoint: ${file} does not hold checkpoints`);
  return checked.data;
}

/** `log export`: one tenant's entries with their hashes, as CSV or JSON, optionally by time. */
async function exportCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {
    tenant: { type: "string" },
    format: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    "with-personal-data": { type: "boolean" },
  });
  const tenantId = required("--tenant", values.tenant);
  const options = {
    format: oneOf("--format", values.format, ["csv", "json"] as const),
    from: isoOrUndefined("--from", values.from),
    to: isoOrUndefined("--to", values.to),
    personal: values["with-personal-data"] === true,
  };
  return withStore(io, async (db) => {
    await exportLog(db.kysely, tenantId, options, io.stdout);
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

/** `log checkpoint`: signs every chain's head (or one tenant's) and prints them as JSON. */
async function checkpoint(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { tenant: { type: "string" } });
  const key = checkpointKeyFromEnv(io.env);
  return withStore(io, async (db) => {
    const made = values.tenant
      ? [await makeCheckpoint(db.kysely, key, systemClock, values.tenant)].filter((c) => !!c)
      : await makeCheckpoints(db.kysely, key, systemClock);
    io.stdout(JSON.stringify(made, null, 2) + "\n");
    return EXIT_OK;
  });
}

const subcommands: Record<string, CliCommand> = { verify, export: exportCommand, checkpoint };

export const runLog: CliCommand = ([sub, ...rest], io) => {
  const command =
    sub !== undefined && Object.hasOwn(subcommands, sub) ? subcommands[sub] : undefined;
  if (!command)
    throw new BadArgumentError(sub ?? "<subcommand>", `unknown log subcommand\n${usage}`);
  return command(rest, io);
};
