import { parseArgs, type ParseArgsConfig } from "node:util";
import { BadArgumentError } from "../errors.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * node:util parseArgs in strict mode, with its errors turned into BadArgumentError naming the
 * argument, so the CLI can answer "bad argument --tier: ..." instead of a stack trace.
 */
export function parse<O extends Options>(args: string[], options: O, positionals = 0) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: positionals > 0, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const argument = /'(-{1,2}[^' ]+)/.exec(message)?.[1] ?? "arguments";
    throw new BadArgumentError(argument, message);
  }
  if (parsed.positionals.length > positionals) {
    throw new BadArgumentError(
      parsed.positionals[positionals] ?? "arguments",
      `unexpected argument '${parsed.positionals[positionals] ?? ""}'`,
    );
  }
  return parsed;
}

/** One of `allowed`, compared without case; names the argument when it is not. */
export function oneOf<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
): T {
  if (value === undefined)
    throw new BadArgumentError(name, `${name} is required (one of ${allowed.join(", ")})`);
  const found = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
  if (!found)
    throw new BadArgumentError(name, `${name}: '${value}' is not one of ${allowed.join(", ")}`);
  return found;
}

export function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new BadArgumentError(name, `${name}: '${value}' is not a whole number of at least 1`);
  }
  return n;
}

export function required(name: string, value: string | undefined): string {
  if (value === undefined || value.trim() === "")
    throw new BadArgumentError(name, `${name} is required`);
  return value;
}
