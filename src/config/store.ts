import { z } from "zod";
import type { StoreConfig } from "../store/db.js";
import { ConfigInvalidError } from "./app.js";

const storeEnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(
      /^postgres(ql)?:\/\//,
      "expected a postgres:// URL (leave unset for the embedded SQLite)",
    )
    .optional(),
  KAIGI_SQLITE_PATH: z.string().min(1).default("./data/kaigi-guard.sqlite"),
});

/** DATABASE_URL unset → the embedded SQLite file; postgres://… → PostgreSQL. */
export function storeConfigFromEnv(env: NodeJS.ProcessEnv): StoreConfig {
  const parsed = storeEnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigInvalidError(
      String(issue?.path[0] ?? "DATABASE_URL"),
      issue?.message ?? "invalid",
    );
  }
  const { DATABASE_URL, KAIGI_SQLITE_PATH } = parsed.data;
  return Object.freeze(
    DATABASE_URL
      ? { kind: "postgres" as const, url: DATABASE_URL }
      : { kind: "sqlite" as const, path: KAIGI_SQLITE_PATH },
  );
}

/** The Ed25519 key that signs log checkpoints (base64 PKCS#8 DER). */
export function checkpointKeyFromEnv(env: NodeJS.ProcessEnv): string {
  const key = env.KAIGI_CHECKPOINT_KEY;
  if (!key) {
    throw new ConfigInvalidError(
      "KAIGI_CHECKPOINT_KEY",
      "not set; create one with: openssl genpkey -algorithm ed25519 -outform DER | base64 -w0",
    );
  }
  return key;
}
