import { describe, expect, it } from "vitest";
import { helpCard, scheduleCard, tierCard, verdictCard } from "../../src/cards/organizer.js";
import { renderForExecute, renderForExecuteJson, renderForSubmit } from "../../src/cards/render.js";
import { JsonText } from "../../src/http/json-text.js";
import type { NeutralCard } from "../../src/cards/card.js";
import { deepFreeze } from "../../src/frozen.js";
import { preset, verdictFor } from "../_util.js";

const texts = (card: NeutralCard) =>
  card.body.filter((e) => e.type === "TextBlock").map((e) => String(e.text));

describe("organizer cards", () => {
  it("the tier card shows every tier's KSS 第3章2(1) definition with its clause, and 分からない", () => {
    const card = tierCard(preset("kawasaki"), "ja", "req-1");
    const lines = texts(card);
    for (const tier of ["I", "II", "III"] as const) {
      const rule = preset("kawasaki").tiers[tier];
      expect(lines).toContain(`${rule.definition.ja}\u3000〔KSS 第3章2(1)〕`);
    }
    const choice = card.body.find((e) => e.type === "Input.ChoiceSet") as unknown as {
      choices: { value: string }[];
    };
    expect(choice.choices.map((c) => c.value)).toEqual(["I", "II", "III", "unknown"]);
  });

  it("the tier card is in English when asked", () => {
    expect(texts(tierCard(preset("kawasaki"), "en", "r"))[0]).toMatch(
      /^Choose the confidentiality tier/,
    );
  });

  it("every rule on the verdict card carries its clause", () => {
    const verdict = verdictFor(preset("kawasaki"), {
      tier: "I",
      service: "teams",
      participants: 5,
      external: true,
    });
    const card = verdictCard(verdict, "ja", "req-1");
    const ruleLines = texts(card).filter((l) => l.length > 30);
    expect(ruleLines.length).toBeGreaterThan(8);
    for (const line of ruleLines) expect(line).toMatch(/〔[A-Z]{3} .+〕$/);
    expect(card.actions.map((a) => a.verb)).toEqual([
      "meeting.confirm",
      "schedule.open",
      "meeting.cancel",
    ]);
  });

  it("a refused verdict offers no way to create the meeting, and explains why", () => {
    const verdict = verdictFor(preset("kawasaki"), { tier: "I", service: "zoom" });
    const card = verdictCard(verdict, "ja", "req-1");
    expect(card.actions.map((a) => a.verb)).not.toContain("meeting.confirm");
    expect(texts(card).join("\n")).toContain("〔KWS 2(2) 表1〕");
  });

  it("a shared (frozen) verdict's card body is built once per language; each card keeps its own meeting id", () => {
    const verdict = deepFreeze(
      verdictFor(preset("kawasaki"), { tier: "II", service: "teams", participants: 5 }),
    );
    const a = verdictCard(verdict, "ja", "req-a");
    const b = verdictCard(verdict, "ja", "req-b");
    expect(b.body).toBe(a.body);
    expect(Object.isFrozen(a.body[1])).toBe(true);
    expect(a.actions.map((x) => x.data?.requestId)).toEqual(["req-a", "req-a", "req-a"]);
    expect(b.actions.map((x) => x.data?.requestId)).toEqual(["req-b", "req-b", "req-b"]);
    const en = verdictCard(verdict, "en", "req-a");
    expect(en.body).not.toBe(a.body);
    expect(texts(en)[0]).toMatch(/^This meeting can go ahead/);
    // The same text as a card built from a copy that is not shared (built anew each time).
    const copy = structuredClone(verdict);
    expect(verdictCard(copy, "ja", "req-a")).toEqual(a);
    expect(verdictCard(copy, "ja", "req-a").body).not.toBe(verdictCard(copy, "ja", "req-a").body);
  });

  it("Musashino's schedule card proposes Webex first (MWG 5(2)1) and asks for the fallback contact (MWG 8(4))", () => {
    const card = scheduleCard(preset("musashino"), "ja", "req-1");
    expect(card.body.find((e) => e.id === "service")).toMatchObject({ value: "webex" });
    expect(String(card.body.find((e) => e.id === "fallbackContact")?.label)).toContain("MWG 8(4)");
  });
});

describe("one card source, two renderings", () => {
  const card = helpCard("ja");

  it("Webex: Adaptive Cards 1.3 with Action.Submit carrying the verb", () => {
    expect(renderForSubmit(card)).toMatchObject({
      version: "1.3",
      actions: [
        { type: "Action.Submit", data: { verb: "schedule.open", card: "help", cardVersion: 1 } },
      ],
    });
  });

  it("Teams: Action.Execute with refresh for the listed users", () => {
    expect(renderForExecute(card, ["8e2f4a6c"])).toMatchObject({
      version: "1.4",
      actions: [{ type: "Action.Execute", verb: "schedule.open" }],
      refresh: { userIds: ["8e2f4a6c"] },
    });
  });

  it("Teams as JSON text: the same text as serializing the rendered card, a kept body or not", () => {
    const verdict = deepFreeze(
      verdictFor(preset("kawasaki"), { tier: "II", service: "teams", participants: 5 }),
    );
    const cards = [
      verdictCard(verdict, "ja", "req-a"),
      verdictCard(verdict, "ja", 'req-"b"$&'),
      verdictCard(verdict, "en", "req-a"),
      verdictCard(verdictFor(preset("kawasaki"), { tier: "I", service: "zoom" }), "ja", "req-c"),
      card,
    ];
    expect(Object.isFrozen(cards[0]?.body)).toBe(true);
    expect(Object.isFrozen(cards[3]?.body)).toBe(false);
    for (const c of cards)
      for (const refresh of [[], ["8e2f4a6c"]]) {
        const text = renderForExecuteJson(c, refresh);
        expect(text).toBe(JSON.stringify(renderForExecute(c, refresh)));
        expect(renderForExecuteJson(c, refresh)).toBe(text);
      }
  });

  it("JSON text put inside a value is serialized as that value, not as a string", () => {
    const text = new JsonText('{"a":[1,"x"]}');
    expect(JSON.stringify({ body: text })).toBe('{"body":{"a":[1,"x"]}}');
  });
});
