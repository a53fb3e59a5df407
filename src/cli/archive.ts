import { readFileSync, writeFileSync } from "node:fs";
import { systemClock } from "../clock.js";
import { BadArgumentError } from "../errors.js";
import { exportTenant, importTenant } from "../store/archive.js";
import { verifyChain } from "../store/log/verify.js";
import { parse, required } from "./args.js";
import { EXIT_FAILED, EXIT_OK, type CliCommand } from "./io.js";
import { withStore } from "./store.js";

/** `kaigi-guard export --tenant T --out FILE`: everything the tenant owns, one JSON archive. */
export const runExport: CliCommand = (args, io) => {
  const { values } = parse(args, { tenant: { type: "string" }, out: { type: "string" } });
  const tenantId = required("--tenant", values.tenant);
  const out = required("--out", values.out);
  return withStore(io, async (db) => {
    const archive = await exportTenant(db.kysely, tenantId, systemClock);
    writeFileSync(out, JSON.stringify(archive));
    const rows = Object.values(archive.tables).reduce((n, t) => n + t.length, 0);
    io.stdout(`ok tenant ${tenantId}: ${String(rows)} rows → ${out}\n`);
    return EXIT_OK;
  });
};

/**
 * `kaigi-guard import FILE`: loads an archive for a tenant this deployment does not have yet, in
 * one transaction, then verifies the tenant's log chain (exit 1 if it does not verify).
 */
export const runImport: CliCommand = (args, io) => {
  const { positionals } = parse(args, {}, 1);
  const file = positionals[0];
  if (!file) throw new BadArgumentError("FILE", "usage: kaigi-guard import FILE");
  let archive: unknown;
  try {
    archive = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    throw new BadArgumentError("FILE", `${file}: not a readable JSON archive`);
  }
  return withStore(io, async (db) => {
    const counts = await importTenant(db, archive);
    const tenantId = (archive as { tenantId: string }).tenantId;
    const report = await verifyChain(db, tenantId);
    const rows = Object.values(counts).reduce((n, c) => n + c, 0);
    io.stdout(
      `${report.ok ? "ok" : "BROKEN"} tenant ${tenantId}: ${String(rows)} rows loaded, log ${String(report.entries)} entries${report.ok ? " verified" : ` — first bad sequence ${String(report.firstBad?.seq ?? "?")}`}\n`,
    );
    return report.ok ? EXIT_OK : EXIT_FAILED;
  });
};
