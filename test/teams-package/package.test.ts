import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { colorIcon, outlineIcon } from "../../src/teams-package/icons.js";
import {
  filledManifest,
  packageValuesFromEnv,
  teamsAppPackage,
} from "../../src/teams-package/package.js";

const values = packageValuesFromEnv({
  MicrosoftAppId: "f3c5e8a1-2b4d-4c6e-9f10-7a8b9c0d1e2f",
  TEAMS_APP_ID: "0b7c2d4e-6f81-4a93-b5c7-d9e1f3a5b7c9",
  BOT_DOMAIN: "bot.city.example.lg.jp",
  OPERATOR_NAME: "〇〇市 総務部 情報管理課",
});

/** The official Teams manifest schema, shipped in the @microsoft/app-manifest npm package (offline). */
const requireCjs = createRequire(import.meta.url);
const schemaPath = requireCjs.resolve(
  "@microsoft/app-manifest/build/json-schemas/teams/v1.24/MicrosoftTeams.schema.json",
);

function png(buffer: Buffer) {
  const width = buffer.readUInt32BE(16);
  const height = buffer.readUInt32BE(20);
  // signature (8) + IHDR chunk (25), then the one IDAT chunk: length, type, data
  const length = buffer.readUInt32BE(33);
  const raw = inflateSync(buffer.subarray(41, 41 + length));
  const alpha = (x: number, y: number) => raw[y * (width * 4 + 1) + 1 + x * 4 + 3];
  return { width, height, alpha };
}

describe("Teams app package (manifest/)", () => {
  it("the filled manifest validates against the official v1.24 schema", () => {
    // The Teams schemas are JSON Schema draft-04; ajv's CommonJS types do not resolve under
    // NodeNext, so load it with require and name what is used.
    type Validate = ((data: unknown) => boolean) & { errors?: unknown };
    type AjvInstance = { compile: (schema: object) => Validate };
    const Ajv = requireCjs("ajv-draft-04") as new (options: object) => AjvInstance;
    const addFormats = requireCjs("ajv-formats") as (ajv: AjvInstance) => void;
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")) as object);
    const manifest = filledManifest("manifest", values);
    expect(validate(manifest) ? [] : validate.errors).toEqual([]);
  });

  it("asks for the meeting permissions later parts need, and names the operating organization (KSS 第9章2(3)イ)", () => {
    const manifest = filledManifest("manifest", values) as {
      bots: { scopes: string[] }[];
      description: { full: string };
      authorization: { permissions: { resourceSpecific: { name: string }[] } };
    };
    expect(manifest.bots[0]?.scopes).toEqual(["personal", "groupChat", "team"]);
    expect(manifest.description.full).toContain("運用組織: 〇〇市 総務部 情報管理課");
    expect(manifest.authorization.permissions.resourceSpecific.map((p) => p.name)).toEqual(
      expect.arrayContaining([
        "OnlineMeeting.ReadBasic.Chat",
        "OnlineMeetingParticipant.Read.Chat",
        "OnlineMeetingNotification.Send.Chat",
        "OnlineMeetingRecording.Read.Chat",
        "OnlineMeetingTranscript.Read.Chat",
        "ChannelMeetingRecording.Read.Group",
      ]),
    );
  });

  it("icons: color 192×192 opaque, outline 32×32 white on transparent", () => {
    const color = png(colorIcon());
    expect([color.width, color.height]).toEqual([192, 192]);
    expect(color.alpha(0, 0)).toBe(255);
    const outline = png(outlineIcon());
    expect([outline.width, outline.height]).toEqual([32, 32]);
    expect(outline.alpha(0, 0)).toBe(0);
    expect([...Array(32).keys()].some((x) => outline.alpha(x, 16) === 255)).toBe(true);
  });

  it("the zip holds manifest.json and both icons at its top level", () => {
    const zip = teamsAppPackage("manifest", values);
    const names: string[] = [];
    for (
      let at = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
      at >= 0;
      at = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), at + 4)
    ) {
      const length = zip.readUInt16LE(at + 28);
      names.push(zip.subarray(at + 46, at + 46 + length).toString("utf8"));
    }
    expect(names).toEqual(["manifest.json", "color.png", "outline.png"]);
  });

  it("a missing value names its variable", () => {
    expect(() => packageValuesFromEnv({ MicrosoftAppId: "x" })).toThrow(
      expect.objectContaining({
        code: "CONFIG_INVALID",
        message: expect.stringMatching(/^MicrosoftAppId: /),
      }),
    );
  });
});
