import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { ConfigInvalidError, parseEnv } from "../config/app.js";
import { colorIcon, outlineIcon } from "./icons.js";
import { zipStored } from "./zip.js";

const packageEnvSchema = z.object({
  MicrosoftAppId: z.uuid(),
  TEAMS_APP_ID: z.uuid(),
  BOT_DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]+(:\d+)?$/i, "a host name such as bot.city.example.lg.jp"),
  OPERATOR_NAME: z.string().min(1).max(60),
});
export type PackageValues = z.infer<typeof packageEnvSchema>;

export function packageValuesFromEnv(env: NodeJS.ProcessEnv): PackageValues {
  return parseEnv(packageEnvSchema, env);
}

/** manifest/manifest.json with its {{placeholders}} filled in. */
export function filledManifest(
  manifestDir: string,
  values: PackageValues,
): Record<string, unknown> {
  const template = readFileSync(join(manifestDir, "manifest.json"), "utf8");
  const filled = template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const value = (values as Record<string, string>)[key];
    if (value === undefined)
      throw new ConfigInvalidError(key, "used by manifest.json but not given");
    return value.replace(/[\\"]/g, (c) => `\\${c}`);
  });
  return JSON.parse(filled) as Record<string, unknown>;
}

/** The zip to upload to Teams: manifest.json, color.png, outline.png at the top level. */
export function teamsAppPackage(manifestDir: string, values: PackageValues): Buffer {
  const manifest = filledManifest(manifestDir, values);
  return zipStored([
    { name: "manifest.json", data: Buffer.from(JSON.stringify(manifest, null, 2)) },
    { name: "color.png", data: colorIcon() },
    { name: "outline.png", data: outlineIcon() },
  ]);
}
