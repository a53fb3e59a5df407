import { deepFreeze } from "../frozen.js";
import { t, type Locale } from "../text.js";
import type { Policy } from "../policy/schema.js";
import { serviceIds } from "../policy/schema.js";
import type { Verdict, VerdictItem } from "../policy/verdict.js";
import { heading, pick, ruleLine, text, type CardElement, type NeutralCard } from "./card.js";
import { strings as s } from "./strings.js";

/** The organizer's cards while scheduling (R-SCHED 1, R-TIER 1, R-SVC, R-SET). */
export function helpCard(lang: Locale): NeutralCard {
  return {
    id: "help",
    version: 1,
    body: [
      heading(s.helpTitle[lang]),
      ...[s.helpSchedule, s.helpIncident, s.helpHelp].map((x) => text(`・${x[lang]}`)),
    ],
    actions: [{ verb: "schedule.open", title: s.scheduleTitle[lang] }],
  };
}

export function scheduleCard(policy: Policy, lang: Locale, requestId: string): NeutralCard {
  const toggle = (id: string, label: { ja: string; en: string }): CardElement => ({
    type: "Input.Toggle",
    id,
    title: label[lang],
    valueOn: "true",
    valueOff: "false",
    value: "false",
  });
  return {
    id: "schedule",
    version: 1,
    body: [
      heading(s.scheduleTitle[lang]),
      { type: "Input.Text", id: "title", label: s.title[lang], isRequired: true, maxLength: 200 },
      { type: "Input.Date", id: "date", label: s.date[lang], isRequired: true },
      { type: "Input.Time", id: "time", label: s.time[lang], isRequired: true },
      {
        type: "Input.Number",
        id: "duration",
        label: s.duration[lang],
        min: 5,
        max: 1440,
        value: 60,
      },
      {
        type: "Input.ChoiceSet",
        id: "service",
        label: s.service[lang],
        value: policy.hostedServices?.allowed[0] ?? "teams",
        choices: serviceIds.map((id) => ({
          title: pick(policy.services[id].label, lang),
          value: id,
        })),
      },
      { type: "Input.Text", id: "invitees", label: s.invitees[lang], isMultiline: true },
      ...departmentChoice(policy, lang),
      toggle("external", s.external),
      toggle("personalInfo", s.personalInfo),
      toggle("recording", s.recording),
      toggle("departmentDevice", s.device),
      toggle("committee", {
        ja: "審議会・委員会等（出席を会議録用に記録）〔MWG 6〕",
        en: "Committee (attendance recorded for the minutes) [MWG 6]",
      }),
      { type: "Input.Text", id: "fallbackContact", label: `${s.fallback[lang]}〔MWG 8(4)〕` },
    ],
    actions: [
      { verb: "schedule.submit", title: s.next[lang], data: { requestId }, style: "positive" },
    ],
  };
}

/** R-TIER 2: approvals go to the approvers of the organizer's department, when the policy has them. */
function departmentChoice(policy: Policy, lang: Locale): CardElement[] {
  const departments = Object.entries(policy.directory?.departments ?? {});
  if (departments.length === 0) return [];
  return [
    {
      type: "Input.ChoiceSet",
      id: "department",
      label: `${t("所属", "Department")[lang]}〔KSS 第3章2〕`,
      isRequired: true,
      choices: departments.map(([id, d]) => ({ title: pick(d.name, lang), value: id })),
    },
  ];
}

/** KSS 第3章2(1): the definitions and examples are shown with the choice. */
export function tierCard(policy: Policy, lang: Locale, requestId: string): NeutralCard {
  const tiers = (["I", "II", "III"] as const).map((k) => ({ key: k, rule: policy.tiers[k] }));
  return {
    id: "tier",
    version: 1,
    body: [
      heading(s.tierTitle[lang]),
      ...tiers.flatMap(({ rule }) => [
        text(pick(rule.label, lang), { weight: "Bolder", spacing: "Medium" }),
        ruleLine({ cite: rule.definitionCite, text: rule.definition }, lang),
        text(`${s.examples[lang]}: ${rule.examples.map((e) => pick(e, lang)).join(" / ")}`, {
          isSubtle: true,
          spacing: "None",
        }),
      ]),
      {
        type: "Input.ChoiceSet",
        id: "tier",
        style: "expanded",
        isRequired: true,
        choices: [
          ...tiers.map(({ key, rule }) => ({ title: pick(rule.label, lang), value: key })),
          {
            title: `${s.tierUnknown[lang]}〔${policy.approvals.tierDecision.cite}〕`,
            value: "unknown",
          },
        ],
      },
    ],
    actions: [
      { verb: "tier.submit", title: s.submitTier[lang], data: { requestId }, style: "positive" },
    ],
  };
}

/**
 * The body of a verdict card, built once per verdict and language: a frozen verdict (as
 * evaluateRemembered and the store give them) is shared by every meeting with the same plan under
 * the same policy, and so is the text of its card (the card and its JSON: 15.3 → 11.9 µs,
 * measured in isolation).
 */
const verdictBodies = new WeakMap<Verdict, Partial<Record<Locale, readonly CardElement[]>>>();
function verdictBody(verdict: Verdict, lang: Locale): readonly CardElement[] {
  if (!Object.isFrozen(verdict)) return buildVerdictBody(verdict, lang);
  let byLang = verdictBodies.get(verdict);
  if (!byLang) {
    byLang = {};
    verdictBodies.set(verdict, byLang);
  }
  return (byLang[lang] ??= deepFreeze(buildVerdictBody(verdict, lang)));
}

function buildVerdictBody(verdict: Verdict, lang: Locale): CardElement[] {
  const section = (title: { ja: string; en: string }, items: readonly VerdictItem[]) =>
    items.length === 0
      ? []
      : [
          text(title[lang], { weight: "Bolder", spacing: "Medium" }),
          ...items.map((i) => ruleLine(i, lang)),
        ];
  const settings = Object.values(verdict.settings) as VerdictItem[];
  return [
    heading((verdict.allowed ? s.verdictAllowed : s.verdictRefused)[lang]),
    ...section(s.refusals, verdict.refusals),
    ...section(s.warnings, verdict.warnings),
    ...section(s.approvals, verdict.approvals),
    ...(verdict.allowed ? section(s.settings, settings) : []),
    ...(verdict.allowed
      ? section(
          s.cleanup,
          verdict.cleanup.map((c) => ({ ...c, code: c.id })),
        )
      : []),
  ];
}

/** What will be enforced and why; refusals say what to do instead (R-SVC 2, R-SET). */
export function verdictCard(verdict: Verdict, lang: Locale, requestId: string): NeutralCard {
  const next = verdict.approvals.length > 0 ? s.requestApproval : s.create;
  return {
    id: "verdict",
    version: 1,
    body: verdictBody(verdict, lang),
    actions: [
      ...(verdict.allowed
        ? [
            {
              verb: "meeting.confirm",
              title: next[lang],
              data: { requestId },
              style: "positive" as const,
            },
          ]
        : []),
      { verb: "schedule.open", title: s.change[lang], data: { requestId } },
      { verb: "meeting.cancel", title: s.cancel[lang], data: { requestId }, style: "destructive" },
    ],
  };
}
