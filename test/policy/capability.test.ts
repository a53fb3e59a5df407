import { describe, expect, it } from "vitest";
import { preset, verdictFor } from "../_util.js";

/**
 * KWS 3 "Web 会議サービスの対応状況", transcribed row by row from the document.
 * e2e: ○ → "yes", × → "no", △※3 → "one-to-one". The last four columns are 情報共有機能の利用
 * (may the function be used): ○/可 → true, 不可 → false.
 */
type Row = {
  service: "webex" | "zoom-gov" | "zoom" | "teams" | "google-meet";
  tierIUsable: boolean;
  ismap: boolean;
  e2e: "yes" | "no" | "one-to-one";
  japanRegion: boolean;
  invitation: boolean;
  waitingRoom: boolean;
  forcedRemoval: boolean;
  screenShare: boolean;
  chat: boolean;
  recording: boolean;
  fileTransfer: boolean;
};

// prettier-ignore
const columns = [
  // service,      tierI, ismap, e2e,          japan, invite, lobby, remove, share, chat,  rec,   files
  ["webex",        true,  true,  "yes",        true,  true,   true,  true,   true,  true,  true,  false],
  ["zoom-gov",     true,  true,  "yes",        true,  true,   true,  true,   true,  true,  true,  false],
  ["zoom",         false, false, "yes",        false, true,   true,  true,   true,  true,  false, false],
  ["teams",        true,  true,  "one-to-one", true,  true,   true,  true,   true,  true,  true,  false],
  ["google-meet",  false, true,  "no",         false, true,   true,  true,   false, false, false, false],
] as const;

const table: Row[] = columns.map(
  ([
    service,
    tierIUsable,
    ismap,
    e2e,
    japanRegion,
    invitation,
    waitingRoom,
    forcedRemoval,
    screenShare,
    chat,
    recording,
    fileTransfer,
  ]) => ({
    service,
    tierIUsable,
    ismap,
    e2e,
    japanRegion,
    invitation,
    waitingRoom,
    forcedRemoval,
    screenShare,
    chat,
    recording,
    fileTransfer,
  }),
);

describe.each(["standard", "kawasaki", "musashino"] as const)(
  "KWS 3 capability table in the %s preset",
  (name) => {
    it.each(table)("$service row matches the document", ({ service, ...row }) => {
      const { label, notes, cite, ...cap } = preset(name).services[service];
      expect(cap).toEqual(row);
      expect(cite).toBe("KWS 3");
      expect(label.ja.length).toBeGreaterThan(0);
      expect(notes.every((n) => n.cite.startsWith("KWS 3"))).toBe(true);
    });
  },
);

describe("the capability table decides the meeting's settings (KWS 4(3)ウ,オ)", () => {
  it.each(table)(
    "$service at tier III: chat, screen share and file transfer as the table says",
    ({ service, screenShare: share, chat, fileTransfer: files }) => {
      const verdict = verdictFor(preset("kawasaki"), { tier: "III", service });
      expect(verdict.settings.chat.value).toBe(chat);
      expect(verdict.settings.screenShare.value).toBe(share);
      expect(verdict.settings.fileTransfer.value).toBe(files);
      expect(verdict.settings.fileTransfer.cite).toBe("KWS 4(3)オ");
      expect(verdict.settings.autoRecord.value).toBe(false);
    },
  );

  it.each(table)(
    "$service: planned recording is refused exactly where the table says 不可",
    ({ service, recording: rec }) => {
      const verdict = verdictFor(preset("kawasaki"), { tier: "III", service, recording: true });
      const refused = verdict.refusals.find((r) => r.code === "recording-not-allowed");
      expect(refused === undefined).toBe(rec);
      if (refused) expect(refused.cite).toBe("KWS 4(3)ウ");
    },
  );
});
