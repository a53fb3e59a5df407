import { BadArgumentError, KaigiError } from "../errors.js";
import { logbookCsv } from "../csv.js";
import { deviceLogbook, listDevices, retireDevice, upsertDevice } from "../store/repos/devices.js";
import { oneOf, parse, required } from "./args.js";
import { EXIT_OK, type CliCommand, type CliIo } from "./io.js";
import { withStore } from "./store.js";

const usage = `usage:
  kaigi-guard devices add --tenant T --id ID --label LABEL --department DEPT
  kaigi-guard devices list --tenant T
  kaigi-guard devices retire --tenant T --id ID
  kaigi-guard devices export --tenant T --format csv|json [--device ID]`;

const DEVICE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

class DeviceNotFoundError extends KaigiError {
  constructor(id: string) {
    super("BAD_ARGUMENT", `--id: no device '${id}' in this tenant`, { argument: "--id" });
  }
}

/** Department devices (R-DEV: tablets, mobile Wi-Fi routers), registered by an admin per tenant. */
const add: CliCommand = (args, io) => {
  const { values } = parse(args, {
    tenant: { type: "string" },
    id: { type: "string" },
    label: { type: "string" },
    department: { type: "string" },
  });
  const tenantId = required("--tenant", values.tenant);
  const id = required("--id", values.id);
  if (!DEVICE_ID.test(id))
    throw new BadArgumentError("--id", "--id: letters, digits, '.', '_' and '-', up to 64");
  const label = required("--label", values.label);
  const department = required("--department", values.department);
  return withStore(io, async (db) => {
    await upsertDevice(db.kysely, tenantId, { id, label, department });
    io.stdout(`ok device ${id} (${label}, ${department})\n`);
    return EXIT_OK;
  });
};

const list: CliCommand = (args, io) => {
  const { values } = parse(args, { tenant: { type: "string" } });
  const tenantId = required("--tenant", values.tenant);
  return withStore(io, async (db) => {
    for (const d of await listDevices(db.kysely, tenantId))
      io.stdout(`${d.id}\t${d.label}\t${d.department}${d.retired ? "\t(retired)" : ""}\n`);
    return EXIT_OK;
  });
};

const retire: CliCommand = (args, io) => {
  const { values } = parse(args, { tenant: { type: "string" }, id: { type: "string" } });
  const tenantId = required("--tenant", values.tenant);
  const id = required("--id", values.id);
  return withStore(io, async (db) => {
    if (!(await retireDevice(db.kysely, tenantId, id))) throw new DeviceNotFoundError(id);
    io.stdout(`ok device ${id} retired (its logbook is kept)\n`);
    return EXIT_OK;
  });
};

/**
 * The 使用管理簿 / 運用管理簿 (KWS 要綱第5条(3), MWG 7(1)): device, department, user, date and
 * time of use, in time order; CSV for people (Japan time) or JSON for programs (UTC).
 */
const exportCommand: CliCommand = (args, io: CliIo) => {
  const { values } = parse(args, {
    tenant: { type: "string" },
    format: { type: "string" },
    device: { type: "string" },
  });
  const tenantId = required("--tenant", values.tenant);
  const format = oneOf("--format", values.format, ["csv", "json"] as const);
  return withStore(io, async (db) => {
    const uses = await deviceLogbook(db.kysely, tenantId, {
      ...(values.device ? { deviceId: values.device } : {}),
    });
    if (format === "json") {
      io.stdout(JSON.stringify(uses, null, 2) + "\n");
      return EXIT_OK;
    }
    io.stdout(logbookCsv(uses));
    return EXIT_OK;
  });
};

const subcommands: Record<string, CliCommand> = { add, list, retire, export: exportCommand };

export const runDevices: CliCommand = ([sub, ...rest], io) => {
  const command =
    sub !== undefined && Object.hasOwn(subcommands, sub) ? subcommands[sub] : undefined;
  if (!command)
    throw new BadArgumentError(sub ?? "<subcommand>", `unknown devices subcommand\n${usage}`);
  return command(rest, io);
};
