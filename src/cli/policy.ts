import { stringify } from "yaml";
import { BadArgumentError } from "../errors.js";
import { evaluate } from "../policy/evaluate.js";
import { loadPolicy } from "../policy/load.js";
import { meetingPlanSchema } from "../policy/plan.js";
import { parse, oneOf, positiveInt, required } from "./args.js";
import { EXIT_OK, type CliCommand, type CliIo } from "./io.js";
import { renderVerdict } from "./render-verdict.js";

const usage = `usage:
  kaigi-guard policy check --policy <preset-or-file> --tier I|II|III|unknown --service <name>
                           [--participants N] [--external] [--external-host] [--personal-info]
                           [--recording] [--transcription] [--device] [--json] [--lang ja|en]
  kaigi-guard policy validate <file>
  kaigi-guard policy show <preset-or-file> [--json]
presets: standard, kawasaki, musashino`;

const defaultPolicy = (io: CliIo) => io.env.KAIGI_POLICY ?? "standard";

function check(args: string[], io: CliIo): number {
  const { values } = parse(args, {
    policy: { type: "string" },
    tier: { type: "string" },
    service: { type: "string" },
    participants: { type: "string" },
    external: { type: "boolean" },
    "external-host": { type: "boolean" },
    "personal-info": { type: "boolean" },
    recording: { type: "boolean" },
    transcription: { type: "boolean" },
    device: { type: "boolean" },
    json: { type: "boolean" },
    lang: { type: "string" },
  });
  const lang =
    values.lang === undefined ? "ja" : oneOf("--lang", values.lang, ["ja", "en"] as const);
  const plan = meetingPlanSchema.parse({
    tier: oneOf("--tier", values.tier, ["I", "II", "III", "unknown"] as const),
    service: required("--service", values.service),
    participants: positiveInt("--participants", values.participants),
    external: values.external ?? false,
    externalHost: values["external-host"] ?? false,
    personalInfo: values["personal-info"] ?? false,
    recording: values.recording ?? false,
    transcription: values.transcription ?? false,
    departmentDevice: values.device ?? false,
  });
  const { policy } = loadPolicy(values.policy ?? defaultPolicy(io), io.cwd);
  const verdict = evaluate(plan, policy);
  io.stdout(values.json ? JSON.stringify(verdict, null, 2) + "\n" : renderVerdict(verdict, lang));
  return EXIT_OK;
}

function validate(args: string[], io: CliIo): number {
  const { positionals } = parse(args, {}, 1);
  const file = required("<file>", positionals[0]);
  const { layers } = loadPolicy(file, io.cwd);
  io.stdout(`OK ${file} (layers: ${layers.join(" → ")})\n`);
  return EXIT_OK;
}

function show(args: string[], io: CliIo): number {
  const { positionals, values } = parse(args, { json: { type: "boolean" } }, 1);
  const { policy, layers } = loadPolicy(positionals[0] ?? defaultPolicy(io), io.cwd);
  io.stdout(
    values.json
      ? JSON.stringify({ layers, policy }, null, 2) + "\n"
      : `# effective policy, layers: ${layers.join(" → ")}\n${stringify(policy)}`,
  );
  return EXIT_OK;
}

const subcommands: Record<string, (args: string[], io: CliIo) => number> = {
  check,
  validate,
  show,
};

export const runPolicy: CliCommand = ([sub, ...rest], io) => {
  const command =
    sub !== undefined && Object.hasOwn(subcommands, sub) ? subcommands[sub] : undefined;
  if (!command)
    throw new BadArgumentError(sub ?? "<subcommand>", `unknown policy subcommand\n${usage}`);
  return Promise.resolve(command(rest, io));
};
