import { deepFreeze } from "../frozen.js";
import { t, type Locale, type Text } from "../text.js";
import type { Policy } from "../policy/schema.js";
import { serviceIds } from "../policy/schema.js";
import { tiers } from "../policy/tiers.js";
import type { Verdict } from "../policy/verdict.js";
import { pick, type NeutralCard } from "./card.js";
import { strings as s } from "./strings.js";
import { fromTemplate } from "./template.js";

/** The organizer's cards while scheduling (R-SCHED 1, R-TIER 1, R-SVC, R-SET). */
export function helpCard(lang: Locale): NeutralCard {
  return fromTemplate(
    "help",
    {
      title: s.helpTitle[lang],
      commands: [s.helpSchedule, s.helpIncident, s.helpHelp].map((x) => x[lang]),
      schedule: s.scheduleTitle[lang],
    },
    { id: "help", version: 1 },
  );
}

export function scheduleCard(policy: Policy, lang: Locale, requestId: string): NeutralCard {
  const departments = Object.entries(policy.directory?.departments ?? {});
  return fromTemplate(
    "schedule",
    {
      title: s.scheduleTitle[lang],
      labels: {
        title: s.title[lang],
        date: s.date[lang],
        time: s.time[lang],
        duration: s.duration[lang],
        service: s.service[lang],
        invitees: s.invitees[lang],
        // R-TIER 2: approvals go to the approvers of the organizer's department, when the policy has them.
        department: t("所属", "Department")[lang],
        fallbackContact: s.fallback[lang],
      },
      service: policy.hostedServices?.allowed[0] ?? "teams",
      services: serviceIds.map((id) => ({
        title: pick(policy.services[id].label, lang),
        value: id,
      })),
      departments: departments.map(([id, d]) => ({ title: pick(d.name, lang), value: id })),
      departmentCite: "KSS 第3章2",
      toggles: [
        { id: "external", title: s.external[lang] },
        { id: "personalInfo", title: s.personalInfo[lang] },
        { id: "recording", title: s.recording[lang] },
        { id: "departmentDevice", title: s.device[lang] },
        {
          id: "committee",
          title: t(
            "審議会・委員会等（出席を会議録用に記録）〔MWG 6〕",
            "Committee (attendance recorded for the minutes) [MWG 6]",
          )[lang],
        },
      ],
      fallbackCite: "MWG 8(4)",
      next: s.next[lang],
      requestId,
    },
    { id: "schedule", version: 1 },
  );
}

/** KSS 第3章2(1): the definitions and examples are shown with the choice. */
export function tierCard(policy: Policy, lang: Locale, requestId: string): NeutralCard {
  return fromTemplate(
    "tier",
    {
      title: s.tierTitle[lang],
      examples: s.examples[lang],
      tiers: tiers.map((value) => {
        const rule = policy.tiers[value];
        return {
          value,
          label: pick(rule.label, lang),
          definition: pick(rule.definition, lang),
          cite: rule.definitionCite,
          examples: rule.examples.map((e) => pick(e, lang)).join(" / "),
        };
      }),
      unknown: s.tierUnknown[lang],
      unknownCite: policy.approvals.tierDecision.cite,
      submit: s.submitTier[lang],
      requestId,
    },
    { id: "tier", version: 1 },
  );
}

/**
 * The verdict card, bound once per verdict and language: a frozen verdict (as
 * evaluateRemembered and the store give them) is shared by every meeting with the same plan under
 * the same policy, and so is its card's body (the card and its JSON: 15.3 → 11.9 µs, measured in
 * isolation); each card's actions then carry its own request id.
 */
const verdictCards = new WeakMap<Verdict, Partial<Record<Locale, NeutralCard>>>();

/** What will be enforced and why; refusals say what to do instead (R-SVC 2, R-SET). */
export function verdictCard(verdict: Verdict, lang: Locale, requestId: string): NeutralCard {
  if (!Object.isFrozen(verdict)) return bindVerdict(verdict, lang, requestId);
  let byLang = verdictCards.get(verdict);
  if (!byLang) {
    byLang = {};
    verdictCards.set(verdict, byLang);
  }
  const shared = (byLang[lang] ??= deepFreeze(bindVerdict(verdict, lang, "")));
  return {
    ...shared,
    actions: shared.actions.map((a) => ({ ...a, data: { ...a.data, requestId } })),
  };
}

function bindVerdict(verdict: Verdict, lang: Locale, requestId: string): NeutralCard {
  const section = (title: Text, items: readonly { text: Text; cite: string }[]) => ({
    title: title[lang],
    items: items.map((i) => ({ text: i.text[lang], cite: i.cite })),
  });
  const allowed = verdict.allowed;
  return fromTemplate(
    "verdict",
    {
      title: (allowed ? s.verdictAllowed : s.verdictRefused)[lang],
      refusals: section(s.refusals, verdict.refusals),
      warnings: section(s.warnings, verdict.warnings),
      approvals: section(s.approvals, verdict.approvals),
      settings: section(s.settings, allowed ? Object.values(verdict.settings) : []),
      cleanup: section(s.cleanup, allowed ? verdict.cleanup : []),
      allowed,
      confirm: (verdict.approvals.length > 0 ? s.requestApproval : s.create)[lang],
      change: s.change[lang],
      cancel: s.cancel[lang],
      requestId,
    },
    { id: "verdict", version: 1 },
  );
}
