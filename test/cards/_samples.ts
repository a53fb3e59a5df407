import { approvalRequestCard } from "../../src/cards/approver.js";
import type { NeutralCard } from "../../src/cards/card.js";
import { scheduleFields, tierFields } from "../../src/cards/fields.js";
import { incidentCard, incidentNoticeCard, incidentReceiptCard } from "../../src/cards/incident.js";
import { badDataCard, badInputCard } from "../../src/cards/input-problems.js";
import {
  attendanceCard,
  consentCard,
  meetingNotice,
  rollCallCard,
  tierNoticeCard,
} from "../../src/cards/meeting.js";
import { noticeCard, refusalCard } from "../../src/cards/notices.js";
import { escalationCard, organizerNotice } from "../../src/cards/organizer-notices.js";
import { helpCard, scheduleCard, tierCard, verdictCard } from "../../src/cards/organizer.js";
import { confirmDeleteCard, stillListedCard } from "../../src/cards/recording-answers.js";
import type { Meeting } from "../../src/meetings/types.js";
import { approvalKinds } from "../../src/policy/verdict.js";
import { t, type Locale } from "../../src/text.js";
import { preset, verdictFor } from "../_util.js";

/**
 * Every card the bot shows, built with sample data that reaches each of its variants: the golden
 * test (templates.test.ts) renders each for Teams and Webex in both languages.
 */
const policy = preset("kawasaki");
const plan = {
  service: "teams",
  participants: 8,
  external: true,
  externalHost: false,
  personalInfo: true,
  recording: true,
  transcription: true,
  departmentDevice: true,
};
const verdict = verdictFor(policy, { ...plan, tier: "II" });
const meeting: Meeting = {
  id: "m-golden",
  tenantId: "t1",
  organizerId: "aad:organizer",
  state: "in-progress",
  title: "第3回 子ども・子育て会議",
  committee: true,
  fallbackContact: "03-0000-0000（こども未来局）",
  invitees: ["sato@city.example.jp", "guest@partner.example.com"],
  plan,
  tier: "II",
  verdict,
  approvals: verdict.approvals.map((a) => ({ kind: a.kind, status: "pending" as const })),
  cleanup: verdict.cleanup.map((c, i) => ({ id: c.id, done: i === 0 })),
  remindersSent: 1,
  participants: [
    {
      id: "aad:sato",
      name: "佐藤 花子",
      email: "sato@city.example.jp",
      invited: true,
      joinedAt: "2026-12-01T01:00:00.000Z",
    },
    {
      id: "aad:stranger",
      name: "Unknown Caller",
      invited: false,
      joinedAt: "2026-12-01T01:02:00.000Z",
    },
  ],
  consent: {
    requestedAt: "2026-12-01T01:00:00.000Z",
    answers: [
      { personId: "aad:sato", answer: "agree", cardVersion: 1, at: "2026-12-01T01:01:00.000Z" },
    ],
  },
  startsAt: "2026-12-01T01:00:00.000Z",
  endsAt: "2026-12-01T02:00:00.000Z",
};
const webexMeeting: Meeting = {
  ...meeting,
  plan: { ...plan, service: "webex" },
};
const refused = verdictFor(policy, { tier: "I", service: "zoom" });

const need = (card: NeutralCard | undefined): NeutralCard => {
  if (!card) throw new Error("no card for this sample");
  return card;
};

type Sample = (lang: Locale) => NeutralCard;

export const samples: Record<string, Sample> = {
  help: (lang) => helpCard(lang),
  schedule: (lang) => scheduleCard(policy, lang, "req-1"),
  tier: (lang) => tierCard(policy, lang, "req-1"),
  "verdict-allowed": (lang) => verdictCard(verdict, lang, "req-1"),
  "verdict-refused": (lang) => verdictCard(refused, lang, "req-1"),
  ...Object.fromEntries(
    approvalKinds.map((kind) => [
      `approval-${kind}`,
      (lang: Locale) => approvalRequestCard(meeting, kind, lang),
    ]),
  ),
  "approval-reminder": (lang) => approvalRequestCard(meeting, "external-participants", lang, 2),
  incident: (lang) => incidentCard(lang, "req-1"),
  "incident-receipt": (lang) => incidentReceiptCard(lang, "INC-20261201-0001", 2),
  "incident-notice": (lang) =>
    incidentNoticeCard(lang, {
      kind: "peeping",
      receipt: "INC-20261201-0001",
      meetingRef: "第3回 子ども・子育て会議",
      reporter: "佐藤 花子",
      description: "画面の後ろに第三者が映っていた",
    }),
  "incident-notice-unknown-kind": (lang) =>
    incidentNoticeCard(lang, { kind: "?", receipt: "R", reporter: "x", description: "y" }),
  "bad-input": (lang) =>
    badInputCard(
      scheduleCard(policy, lang, "req-1"),
      [
        { field: "title", kind: "required", typed: [] },
        { field: "time", kind: "invalid", typed: ["25:00"] },
        { field: "invitees", kind: "too-many", typed: [], max: 300 },
      ],
      scheduleFields,
      { title: "", date: "2026-12-01", time: "25:00", participants: "abc" },
      lang,
    ),
  "bad-data": (lang) =>
    badDataCard(
      [
        { field: "tier", kind: "card-data", typed: [] },
        { field: "requestId", kind: "card-data", typed: [] },
      ],
      tierFields,
      lang,
    ),
  "refusal-not-organizer": (lang) => refusalCard("NOT_ORGANIZER", lang),
  "refusal-with-detail": (lang) => refusalCard("SELF_APPROVAL_FORBIDDEN", lang, "approval a-1"),
  "refusal-fallback": (lang) => refusalCard("POLICY_NOT_FOUND", lang),
  notice: (lang) => noticeCard(t("お知らせです。", "A notice."), lang),
  "tier-notice": (lang) => tierNoticeCard(meeting, lang),
  consent: (lang) => consentCard(meeting, lang),
  "consent-agreed-view": (lang) => consentCard(meeting, lang, "aad:sato"),
  "consent-refused-view": (lang) =>
    consentCard(
      {
        ...meeting,
        consent: {
          requestedAt: "2026-12-01T01:00:00.000Z",
          answers: [
            { personId: "aad:x", answer: "refuse", cardVersion: 1, at: "2026-12-01T01:01:00Z" },
          ],
        },
      },
      lang,
      "aad:x",
    ),
  "roll-call": (lang) => rollCallCard(meeting, lang),
  attendance: (lang) => attendanceCard(meeting, lang),
  ...Object.fromEntries(
    (
      [
        ["unknown-participant", { personId: "aad:stranger" }],
        ["consent-refused", { personId: "aad:sato" }],
        ["consent-missing", { personIds: ["aad:sato", "aad:stranger"] }],
        ["recording-without-consent", {}],
        ["consent-complete", {}],
        ["settings-drift", { drift: [{ field: "lobby" }], mismatches: [{ field: "chat" }] }],
        ["settings-drift-restored", { drift: [{ field: "lobby" }, { field: "presenters" }] }],
        ["settings-unverified", {}],
        ["roll-call", {}],
        ["attendance", {}],
      ] as [string, Record<string, unknown>][]
    ).map(([name, data]) => [
      `meeting-notice-${name}`,
      (lang: Locale) => need(meetingNotice(name.replace("-restored", ""), meeting, lang, data)),
    ]),
  ),
  cleanup: (lang) =>
    need(
      organizerNotice("cleanup", meeting, lang, {
        artifacts: { recordings: 1, transcripts: 2 },
        devices: [{ id: "PC-017", label: "会議用ノートPC" }],
      }),
    ),
  "cleanup-webex": (lang) =>
    need(
      organizerNotice("cleanup", webexMeeting, lang, {
        artifacts: { recordings: 1, transcripts: 0 },
        recordings: [{ id: "rec-1", label: "2026-12-01 10:00" }],
      }),
    ),
  "cleanup-reminder-unavailable": (lang) =>
    need(organizerNotice("cleanup-reminder", meeting, lang, { n: 2, artifacts: "unavailable" })),
  "cleanup-reminder-empty": (lang) =>
    need(
      organizerNotice("cleanup-reminder", meeting, lang, {
        n: 3,
        artifacts: { recordings: 0, transcripts: 0 },
      }),
    ),
  "meeting-created": (lang) =>
    need(
      organizerNotice("meeting-created", meeting, lang, {
        joinUrl: "https://teams.microsoft.com/l/meetup-join/abc",
      }),
    ),
  "meeting-created-mismatch": (lang) =>
    need(
      organizerNotice("meeting-created", { ...meeting, fallbackContact: undefined }, lang, {
        action: "apply-settings",
        joinUrl: "https://teams.microsoft.com/l/meetup-join/abc",
        mismatches: [
          { field: "lobbyBypassSettings.scope", wanted: "organizer", actual: "everyone" },
        ],
      }),
    ),
  ...Object.fromEntries(
    [
      "awaiting-approval",
      "approved",
      "approval-refused",
      "refused",
      "meeting-create-failed",
      "cleanup-complete",
    ].map((template) => [
      `notice-${template}`,
      (lang: Locale) => need(organizerNotice(template, meeting, lang, {})),
    ]),
  ),
  ...Object.fromEntries(
    (
      [
        ["unclassified", { reason: "unclassified" }],
        ["approval-overdue", { reason: "approval-overdue" }],
        ["cleanup-overdue", { reason: "cleanup-overdue" }],
        ["started-without-clearance", { template: "started-without-clearance" }],
        ["other", {}],
      ] as [string, Record<string, unknown>][]
    ).map(([name, data]) => [
      `escalation-${name}`,
      (lang: Locale) => escalationCard(meeting, lang, data),
    ]),
  ),
  "still-listed": (lang) =>
    stillListedCard(meeting, "cloud-recording", { recordings: 1, transcripts: 1 }, lang),
  "recording-delete": (lang) => confirmDeleteCard(webexMeeting, "rec-1", lang),
};
