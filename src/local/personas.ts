import { z } from "zod";

/** The playground's one tenant and its people (fixed ids, so a restart keeps their meetings). */
export const PLAYGROUND_TENANT = "00000000-0000-4000-8000-00000000c17e";
export const PERSONAS = {
  organizer: {
    aad: "00000000-0000-4000-8000-0000000000a1",
    name: "山田 花子（主催者）",
    email: "hanako.yamada@playground.example.lg.jp",
  },
  approver: {
    aad: "00000000-0000-4000-8000-0000000000a2",
    name: "情報管理責任者",
    email: "security@playground.example.lg.jp",
  },
  participant: {
    aad: "00000000-0000-4000-8000-0000000000a3",
    name: "佐藤 健（参加者）",
    email: "ken.sato@playground.example.lg.jp",
  },
  participant2: {
    aad: "00000000-0000-4000-8000-0000000000a5",
    name: "鈴木 美咲（参加者）",
    email: "misaki.suzuki@playground.example.lg.jp",
  },
  guest: {
    aad: "00000000-0000-4000-8000-0000000000a4",
    name: "田中 一郎（招待なし）",
    email: "ichiro.tanaka@other.example.jp",
  },
} as const;
export type Persona = keyof typeof PERSONAS;
export const personaSchema = z.enum(Object.keys(PERSONAS) as [Persona, ...Persona[]]);

/** A persona as Teams knows them: their Teams user id (MRI), name, AAD object id, mail. */
export const teamsPerson = (persona: Persona) => ({
  id: `29:playground-${persona}`,
  name: PERSONAS[persona].name,
  aadObjectId: PERSONAS[persona].aad,
  email: PERSONAS[persona].email,
});
