import { systemClock } from "../clock.js";
import { appConfigFromEnv } from "../config/app.js";
import { BadArgumentError } from "../errors.js";
import { loadPolicy } from "../policy/load.js";
import { TenantPolicies } from "../policy/tenants.js";
import { currentPolicyLayers } from "../store/repos/policy-layers.js";
import { applyRetention } from "../store/retention.js";
import { parse, positiveInt, required } from "./args.js";
import { EXIT_OK, type CliCommand } from "./io.js";
import { withStore } from "./store.js";

const usage = `usage:
  kaigi-guard retention run --tenant T [--days N]
    erases the tenant's personal data older than N days (default: the tenant's policy,
    retention.personalDataDays); the log keeps verifying. The server also does this every 6 hours.`;

/** Retention by hand (R-LOG 4, KSS 第8章3(2)エ), e.g. before an export or after changing the period. */
const run: CliCommand = (args, io) => {
  const { values } = parse(args, { tenant: { type: "string" }, days: { type: "string" } });
  const tenantId = required("--tenant", values.tenant);
  const given = positiveInt("--days", values.days);
  return withStore(io, async (db) => {
    let days = given;
    if (days === undefined) {
      const policies = new TenantPolicies(loadPolicy(appConfigFromEnv(io.env).policy));
      for (const l of await currentPolicyLayers(db.kysely))
        if (l.tenantId === tenantId) policies.use(l.tenantId, l.version, l.source);
      days = policies.policyFor(tenantId).retention?.personalDataDays;
    }
    if (days === undefined)
      throw new BadArgumentError("--days", "--days: the tenant's policy sets no retention period");
    const result = await applyRetention(db, systemClock, tenantId, days);
    io.stdout(
      `tenant ${tenantId}: personal data before ${result.cutoff} erased — ${String(result.logPersonalData)} log entries, ${String(result.participantNames)} participant names\n`,
    );
    return EXIT_OK;
  });
};

export const runRetention: CliCommand = ([sub, ...rest], io) => {
  if (sub !== "run")
    throw new BadArgumentError(sub ?? "<subcommand>", `unknown retention subcommand\n${usage}`);
  return run(rest, io);
};
