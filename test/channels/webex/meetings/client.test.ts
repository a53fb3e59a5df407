import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WebexMeetingsClient } from "../../../../src/channels/webex/meetings/client.js";
import {
  compareWebexReadBack,
  toWebexOptions,
} from "../../../../src/channels/webex/meetings/settings-map.js";
import type { HttpFake } from "../../../fakes/http-fake.js";
import { WEBEX_ADMIN_TOKEN, webexFake } from "../../../fakes/webex.js";
import { preset, verdictFor } from "../../../_util.js";

const HOST = "hanako.yamada@city.example.lg.jp";
let fake: HttpFake;
let webex: WebexMeetingsClient;
let base = "";

beforeEach(async () => {
  fake = webexFake();
  base = await fake.start();
  webex = new WebexMeetingsClient(`${base}/v1`, () => Promise.resolve(WEBEX_ADMIN_TOKEN));
});
afterEach(() => fake.stop());

describe("Webex Meetings client against a fake speaking the documented protocol", () => {
  it("creates a tier I meeting with lobby and automatic lock, and the read-back matches", async () => {
    const verdict = verdictFor(preset("musashino"), { tier: "I", service: "webex" });
    const options = toWebexOptions(verdict.settings);
    const created = await webex.createMeeting(
      {
        title: "第3回 情報公開・個人情報保護審査会",
        agenda: "機密性区分: I",
        start: "2026-12-01T10:00:00+09:00",
        end: "2026-12-01T11:00:00+09:00",
        timezone: "Asia/Tokyo",
        hostEmail: HOST,
        invitees: [{ email: "ken.sato@city.example.lg.jp", displayName: "佐藤 健" }],
        integrationTag: "kg-m1",
      },
      options,
    );
    expect(fake.calls[0]?.json).toMatchObject({
      unlockedMeetingJoinSecurity: "allowJoinWithLobby",
      enableAutomaticLock: true,
      automaticLockMinutes: 0,
      enabledJoinBeforeHost: false,
      enabledAutoRecordMeeting: false,
      hostEmail: HOST,
      integrationTags: ["kg-m1"],
      invitees: [{ email: "ken.sato@city.example.lg.jp", coHost: false, panelist: false }],
    });
    const back = await webex.getMeeting(created.id, HOST);
    expect(compareWebexReadBack(options, back)).toEqual([]);
    expect(fake.calls[1]?.path).toBe(
      `/v1/meetings/${created.id}?hostEmail=${encodeURIComponent(HOST)}`,
    );
  });

  it("lists recordings, deletes one, and the re-check shows it gone", async () => {
    const before = await webex.listRecordings("a3f1_I_2118", HOST);
    expect(before).toHaveLength(1);
    await webex.deleteRecording(before[0]?.id ?? "", HOST);
    expect(await webex.listRecordings("a3f1_I_2118", HOST)).toEqual([]);
  });

  it("a wrong token is PLATFORM_REJECTED", async () => {
    const wrong = new WebexMeetingsClient(`${base}/v1`, () => Promise.resolve("wrong"));
    await expect(wrong.listRecordings("m", HOST)).rejects.toMatchObject({
      code: "PLATFORM_REJECTED",
      status: 401,
    });
  });
});
