import { z } from "zod";
import { KaigiError } from "../errors.js";
import { readEnvironment } from "./env.js";

const appEnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: z.string().min(1).default("127.0.0.1"),
  KAIGI_POLICY: z.string().min(1).default("standard"),
});

export type AppConfig = Readonly<{ port: number; host: string; policy: string }>;

export class ConfigInvalidError extends KaigiError {
  constructor(variable: string, message: string) {
    super("CONFIG_INVALID", `${variable}: ${message}`, { variable });
  }
}

/**
 * Parses the environment with a schema, empty values counting as unset (readEnvironment); the
 * first problem names its variable.
 */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.output<S> {
  const parsed = schema.safeParse(readEnvironment(env));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ConfigInvalidError(
    String(issue?.path[0] ?? "environment"),
    issue?.message ?? "invalid",
  );
}

/** Reads the environment once, validates it, and freezes the result (STYLE 5). */
export function appConfigFromEnv(env: NodeJS.ProcessEnv): AppConfig {
  const { PORT, HOST, KAIGI_POLICY } = parseEnv(appEnvSchema, env);
  return Object.freeze({ port: PORT, host: HOST, policy: KAIGI_POLICY });
}
