import { BadArgumentError, KaigiError } from "../errors.js";
import { PolicyInvalidError } from "../policy/problems.js";
import { EXIT_FAILED, EXIT_USAGE, type CliCommand, type CliIo } from "./io.js";
import { runAdmin } from "./admin.js";
import { runExport, runImport } from "./archive.js";
import { runAttendance } from "./attendance.js";
import { runBackup } from "./backup.js";
import { runDevices } from "./devices.js";
import { runLog } from "./log.js";
import { runPolicy } from "./policy.js";
import { runRetention } from "./retention.js";

const usage = `kaigi-guard — 会議ガード
usage: kaigi-guard <command> ...
  policy check|validate|show   evaluate a meeting plan, validate or show a policy
  log verify|export|checkpoint check the meeting log's hash chains, export it, sign a checkpoint
  backup <file>                online copy of the embedded SQLite database
  devices add|list|retire|export   department devices and their logbook (使用管理簿)
  attendance export            who attended a committee meeting, for the minutes (会議録)
  admin create                 a tenant admin account for the console at /admin
  export --tenant T --out FILE everything a tenant owns, one JSON archive (docs/archive.md)
  import FILE                  load an archive into this deployment (a tenant it does not have)
  retention run --tenant T     erase personal data past the tenant's retention period
run 'kaigi-guard <command>' without arguments for its usage.`;

const commands: Record<string, CliCommand> = {
  policy: runPolicy,
  log: runLog,
  backup: runBackup,
  devices: runDevices,
  attendance: runAttendance,
  admin: runAdmin,
  export: runExport,
  import: runImport,
  retention: runRetention,
};

/** Runs one CLI invocation; returns the exit code. Never prints a stack trace. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  const command = name !== undefined && Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (name === undefined || name === "--help" || name === "help") {
    io.stdout(usage + "\n");
    return name === undefined ? EXIT_USAGE : 0;
  }
  if (!command) {
    io.stderr(`error BAD_ARGUMENT: unknown command '${name}'\n${usage}\n`);
    return EXIT_USAGE;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    return report(error, io);
  }
}

function report(error: unknown, io: CliIo): number {
  if (error instanceof PolicyInvalidError) {
    io.stderr(`error ${error.code}: the policy is not valid; nothing was loaded\n`);
    for (const p of error.problems) io.stderr(`  ${p.file}: ${p.path || "(file)"}: ${p.message}\n`);
    return EXIT_FAILED;
  }
  if (error instanceof BadArgumentError) {
    io.stderr(`error ${error.code}: ${error.message}\n`);
    return EXIT_USAGE;
  }
  if (error instanceof KaigiError) {
    io.stderr(`error ${error.code}: ${error.message}\n`);
    return EXIT_FAILED;
  }
  io.stderr("error INTERNAL: unexpected failure (set KAIGI_DEBUG=1 to see details)\n");
  if (io.env.KAIGI_DEBUG)
    io.stderr(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return EXIT_FAILED;
}
