import { BadArgumentError } from "../errors.js";
import { systemClock } from "../clock.js";
import { createAdmin } from "../admin/accounts.js";
import { parse, required } from "./args.js";
import { EXIT_OK, type CliCommand } from "./io.js";
import { withStore } from "./store.js";

const usage = `usage:
  kaigi-guard admin create --tenant T --email E   (prints a one-time password)`;

/** Creates a tenant admin (or resets their password) and prints the password once. */
const create: CliCommand = (args, io) => {
  const { values } = parse(args, { tenant: { type: "string" }, email: { type: "string" } });
  const tenantId = required("--tenant", values.tenant);
  const email = required("--email", values.email);
  if (!/^[^@\s]+@[^@\s]+$/.test(email))
    throw new BadArgumentError("--email", "--email: not an e-mail address");
  return withStore(io, async (db) => {
    const password = await createAdmin(db.kysely, tenantId, email, systemClock.now());
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
