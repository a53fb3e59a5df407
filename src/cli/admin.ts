import { BadArgumentError } from "../errors.js";
import { systemClock } from "../clock.js";
import { PLATFORM_IDENTITY, createAdmin } from "../admin/accounts.js";
import { parse, required } from "./args.js";
import { EXIT_OK, type CliCommand } from "./io.js";
import { withStore } from "./store.js";

const usage = `usage:
  kaigi-guard admin create --tenant T --email E [--identity aad:<object id>|webex:<e-mail>]
    prints a one-time password; --identity: the approver identity the directory names for this
    admin, so that they can answer approvals in the console too`;

/** Creates a tenant admin (or resets their password) and prints the password once. */
const create: CliCommand = (args, io) => {
  const { values } = parse(args, {
    tenant: { type: "string" },
    email: { type: "string" },
    identity: { type: "string" },
  });
  const tenantId = required("--tenant", values.tenant);
  const email = required("--email", values.email);
  if (!/^[^@\s]+@[^@\s]+$/.test(email))
    throw new BadArgumentError("--email", "--email: not an e-mail address");
  const identity = values.identity ?? null;
  if (identity !== null && !PLATFORM_IDENTITY.test(identity))
    throw new BadArgumentError("--identity", "--identity: aad:<object id> or webex:<e-mail>");
  return withStore(io, async (db) => {
    const password = await createAdmin(db.kysely, tenantId, email, systemClock.now(), identity);
    io.stdout(
      `admin ${email.toLowerCase()} for tenant ${tenantId}\npassword (shown once): ${password}\nsign in at /admin/login\n`,
    );
    return EXIT_OK;
  });
};

export const runAdmin: CliCommand = ([sub, ...rest], io) => {
  if (sub !== "create")
    throw new BadArgumentError(sub ?? "<subcommand>", `unknown admin subcommand\n${usage}`);
  return create(rest, io);
};
