import { incidentKindLabels, labelOf } from "./labels.js";
import { num, str, type ActionKind, type SayEntry } from "./sentence-kit.js";

/** Outside a meeting's lifecycle: refusals, incidents, retention and admins' actions (R-INC, R-LOG). */
export const otherSentences = {
  "action.rejected": (c) => ({
    ja: `${c.by.ja}の操作（${str(c.payload.input)}）は受け付けられませんでした（${str(c.payload.code)}）`,
    en: `${c.by.en}'s action (${str(c.payload.input)}) was refused (${str(c.payload.code)})`,
  }),
  "incident.reported": (c) => {
    const [ja, en] = labelOf(incidentKindLabels, c.payload.kind);
    return {
      ja: `${c.by.ja}がインシデント（${ja}）を報告しました。受付番号 ${str(c.payload.receipt)}、連絡先${String(num(c.payload.contacts))}件に通知`,
      en: `${c.by.en} reported an incident (${en}), receipt ${str(c.payload.receipt)}; ${String(num(c.payload.contacts))} contacts told`,
      cite: str(c.payload.cite) || "MWG 8(2)",
    };
  },
  "retention.applied": (c) => ({
    ja: `保存期間（${String(num(c.payload.days))}日）を過ぎた個人データを消去しました`,
    en: `Erased personal data older than the retention period (${String(num(c.payload.days))} days)`,
    cite: "KSS 第8章3(2)エ",
  }),
  "admin.verified": (c) => ({
    ja: `${c.by.ja}がログを検証しました：${c.payload.ok === true ? "改ざんなし" : "連鎖の不一致あり"}（${String(num(c.payload.entries))}件）`,
    en: `${c.by.en} verified the log: ${c.payload.ok === true ? "intact" : "chain broken"} (${String(num(c.payload.entries))} entries)`,
    cite: "KSS 第8章3(2)イ",
  }),
  "admin.exported": (c) => ({
    ja: `${c.by.ja}が「${str(c.payload.what)}」を書き出しました`,
    en: `${c.by.en} exported ${str(c.payload.what)}`,
  }),
  "admin.requeued": (c) => ({
    ja: `${c.by.ja}が未配信の #${String(num(c.payload.outboxId))} を再送しました`,
    en: `${c.by.en} requeued undelivered item #${String(num(c.payload.outboxId))}`,
  }),
  "admin.policy_changed": (c) => ({
    ja: `${c.by.ja}がこのテナントのポリシーを変更しました（第${String(num(c.payload.version))}版）`,
    en: `${c.by.en} changed this tenant's policy (version ${String(num(c.payload.version))})`,
  }),
} satisfies Partial<Record<ActionKind, SayEntry>>;
