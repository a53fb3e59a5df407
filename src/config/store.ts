import type { KeyObject } from "node:crypto";
import { z } from "zod";
import type { StoreConfig } from "../store/db.js";
import { loadSigningKey } from "../store/log/checkpoint.js";
import { parseEnv } from "./app.js";

const storeEnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(
      /^postgres(ql)?:\/\/\S+$/,
      "expected a postgres:// URL (leave unset for the embedded SQLite)",
    )
    .optional(),
  KAIGI_SQLITE_PATH: z.string().default("./data/kaigi-guard.sqlite"),
});

const checkpointEnvSchema = z.object({
  KAIGI_CHECKPOINT_KEY: z
    .string({
      error:
        "not set; create one with: openssl genpkey -algorithm ed25519 -outform DER | base64 -w0",
    })
    .transform((value, ctx) => {
      try {
        const key = loadSigningKey(value);
        if (key.asymmetricKeyType === "ed25519") return key;
      } catch {
        // reported below: the value is not a usable key, whatever the parser's complaint
      }
      ctx.addIssue({ code: "custom", message: "not a base64 PKCS#8 DER Ed25519 private key" });
      return z.NEVER;
    }),
});

/** DATABASE_URL unset → the embedded SQLite file; postgres://… → PostgreSQL. Frozen. */
export function storeConfigFromEnv(env: NodeJS.ProcessEnv): StoreConfig {
  const { DATABASE_URL, KAIGI_SQLITE_PATH } = parseEnv(storeEnvSchema, env);
  return Object.freeze(
    DATABASE_URL
      ? { kind: "postgres" as const, url: DATABASE_URL }
      : { kind: "sqlite" as const, path: KAIGI_SQLITE_PATH },
  );
}

/** The Ed25519 key that signs log checkpoints: KAIGI_CHECKPOINT_KEY, base64 PKCS#8 DER. */
export function checkpointKeyFromEnv(env: NodeJS.ProcessEnv): KeyObject {
  return parseEnv(checkpointEnvSchema, env).KAIGI_CHECKPOINT_KEY;
}
