import { describe, expect, it } from "vitest";
import { approvalRequestCard } from "../../src/cards/approver.js";
import type { NeutralCard } from "../../src/cards/card.js";
import {
  approvalFields,
  cleanupFields,
  incidentFields,
  scheduleFields,
  tierFields,
} from "../../src/cards/fields.js";
import { incidentCard } from "../../src/cards/incident.js";
import { problemText, type InputProblem } from "../../src/cards/input-problems.js";
import { organizerNotice } from "../../src/cards/organizer-notices.js";
import { scheduleCard, tierCard } from "../../src/cards/organizer.js";
import { prefilled } from "../../src/cards/prefill.js";
import { problemsOf } from "../../src/channels/input-problems.js";
import { scheduleInputSchema } from "../../src/channels/inputs.js";
import { draft } from "../meetings/_meeting.js";
import { preset, verdictFor } from "../_util.js";

const withDepartments = {
  ...preset("kawasaki"),
  directory: { departments: { kikaku: { name: { ja: "企画課", en: "Planning" } } } },
} as unknown as ReturnType<typeof preset>;
const verdict = verdictFor(preset("kawasaki"), {
  tier: "I",
  service: "teams",
  departmentDevice: true,
});
const ended = {
  ...draft({ verdict }),
  state: "cleanup-pending" as const,
  cleanup: verdict.cleanup.map((c) => ({ id: c.id, done: false })),
};
const cardsWithInputs: [string, NeutralCard | undefined, Readonly<Record<string, unknown>>][] = [
  ["schedule", scheduleCard(withDepartments, "ja", "r"), scheduleFields],
  ["tier", tierCard(preset("kawasaki"), "ja", "r"), tierFields],
  ["approval (tier decision)", approvalRequestCard(draft(), "tier-decision", "ja"), approvalFields],
  ["incident", incidentCard("ja", "r"), incidentFields],
  [
    "cleanup with a department device",
    organizerNotice("cleanup", ended, "ja", { devices: [{ id: "tab-01", label: "タブレット" }] }),
    cleanupFields,
  ],
];

describe("bad input is named as the person reads the card", () => {
  it.each(cardsWithInputs)(
    "every input of the %s card has a label for its problems",
    (_, card, fields) => {
      const ids = (card?.body ?? [])
        .filter((e) => e.type.startsWith("Input."))
        .map((e) => String(e.id));
      expect(ids.length).toBeGreaterThan(0);
      for (const id of ids) expect(Object.keys(fields)).toContain(id);
    },
  );

  it.each([
    [
      "required",
      { field: "title", kind: "required", typed: [] },
      "会議名を入力してください。",
      "Title is required.",
    ],
    [
      "required choice",
      { field: "service", kind: "required", typed: [] },
      "会議サービスを選んでください。",
      "Meeting service: please choose one.",
    ],
    [
      "too long",
      { field: "title", kind: "too-long", typed: [], max: 200, count: 250 },
      "会議名は 200 文字以内で入力してください（250 文字）。",
      "Title can be at most 200 characters (250 entered).",
    ],
    [
      "too many",
      { field: "invitees", kind: "too-many", typed: [], max: 300, count: 301 },
      "参加者は 300 件までです（301 件）。",
      "Invitees: at most 300 (301 entered).",
    ],
    [
      "invalid, several values",
      { field: "invitees", kind: "invalid", typed: ["定例", "山田"] },
      "参加者のメールアドレスが正しくありません：定例、山田",
      "An invitee's mail address is not valid: 定例, 山田",
    ],
    [
      "invalid, generic",
      { field: "fallbackContact", kind: "invalid", typed: ["1"] },
      "接続障害時の連絡手段が正しくありません：1",
      "Contact for connection failure is not valid: 1",
    ],
    [
      "the card's own data",
      { field: "requestId", kind: "card-data", typed: [] },
      "このカードのデータが正しくありません。新しいカードからやり直してください。",
      "This card's data is not valid. Please start again from a new card.",
    ],
  ] as [string, InputProblem, string, string][])("%s: ja and en", (_, problem, ja, en) => {
    expect(problemText(problem, scheduleFields)).toEqual({ ja, en });
  });

  it("each bad invitee address is quoted (not the whole box), clipped, and zod's wording never appears", () => {
    const typed = {
      title: "会議",
      date: "2027-01-05",
      time: "10:00",
      service: "teams",
      invitees: `a@b.jp, 定例, ${"x".repeat(60)}`,
    };
    const parsed = scheduleInputSchema.safeParse(typed, { reportInput: true });
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    const problems = problemsOf(parsed.error, typed, scheduleFields);
    expect(problems).toEqual([
      { field: "invitees", kind: "invalid", typed: ["定例", `${"x".repeat(40)}…`] },
    ]);
    expect(JSON.stringify(problems.map((p) => problemText(p, scheduleFields)))).not.toMatch(
      /Invalid|email/,
    );
  });

  it("the card shown again holds what was typed; a number or choice it cannot hold is left empty", () => {
    const card = prefilled(scheduleCard(preset("kawasaki"), "ja", "r"), {
      title: "定例",
      duration: "abc",
      service: "skype",
      recording: "true",
      external: "maybe",
      invitees: { not: "text" },
      fallbackContact: "y".repeat(5000),
    });
    const value = (id: string) => card.body.find((e) => e.id === id)?.value;
    expect(value("title")).toBe("定例");
    expect(value("duration")).toBeUndefined();
    expect(value("service")).toBeUndefined();
    expect(value("recording")).toBe("true");
    expect(value("external")).toBe("false");
    expect(value("invitees")).toBeUndefined();
    expect(String(value("fallbackContact"))).toHaveLength(4000);
  });
});
