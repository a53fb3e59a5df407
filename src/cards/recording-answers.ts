import type { Meeting } from "../meetings/types.js";
import { t, type Locale } from "../text.js";
import { text, type NeutralCard } from "./card.js";

/** R-POST 2: the platform still lists recordings or transcripts; the item stays open. */
export function stillListedCard(
  meeting: Meeting,
  itemId: string,
  left: { recordings: number; transcripts: number },
  lang: Locale,
): NeutralCard {
  return {
    id: "cleanup-still-listed",
    version: 1,
    body: [
      text(
        t(
          `Teams にはまだ録画 ${String(left.recordings)} 件・文字起こし ${String(left.transcripts)} 件が残っています。削除してからもう一度「完了」を押してください。別の安全な場所へ移動した場合は「移動した」を押してください。〔KWS 4(4)〕`,
          `Teams still lists ${String(left.recordings)} recording(s) and ${String(left.transcripts)} transcript(s). Delete them and press Done again, or press Moved if you moved them to another safe place. [KWS 4(4)]`,
        )[lang],
        { color: "Attention", weight: "Bolder" },
      ),
      text(meeting.title ?? meeting.id, { isSubtle: true }),
    ],
    actions: [
      {
        verb: "cleanup.confirm",
        title: t("完了（削除した）", "Done (deleted)")[lang],
        data: { requestId: meeting.id, itemId },
      },
      {
        verb: "cleanup.confirm",
        title: t("移動した", "Moved")[lang],
        data: { requestId: meeting.id, itemId, moved: "true" },
      },
    ],
  };
}

/** R-POST 2: deleting a recording cannot be undone, so the organizer confirms it first. */
export function confirmDeleteCard(
  meeting: Meeting,
  recordingId: string,
  lang: Locale,
): NeutralCard {
  return {
    id: "recording-delete",
    version: 1,
    body: [
      text(
        t(
          "この録画を削除します。削除すると元に戻せません。よろしいですか。",
          "This recording will be deleted. This cannot be undone. Continue?",
        )[lang],
        { weight: "Bolder", color: "Attention" },
      ),
      text(`${meeting.title ?? meeting.id} / ${recordingId}`, { isSubtle: true }),
    ],
    actions: [
      {
        verb: "recording.delete.confirm",
        title: t("削除する", "Delete")[lang],
        data: { requestId: meeting.id, recordingId },
        style: "destructive",
      },
    ],
  };
}
