import type { Meeting } from "../meetings/types.js";
import { t, type Locale } from "../text.js";
import type { NeutralCard } from "./card.js";
import { fromTemplate } from "./template.js";

/** R-POST 2: the platform still lists recordings or transcripts; the item stays open. */
export function stillListedCard(
  meeting: Meeting,
  itemId: string,
  left: { recordings: number; transcripts: number },
  lang: Locale,
): NeutralCard {
  return fromTemplate(
    "cleanup-still-listed",
    {
      message: t(
        `Teams にはまだ録画 ${String(left.recordings)} 件・文字起こし ${String(left.transcripts)} 件が残っています。削除してからもう一度「完了」を押してください。別の安全な場所へ移動した場合は「移動した」を押してください。〔KWS 4(4)〕`,
        `Teams still lists ${String(left.recordings)} recording(s) and ${String(left.transcripts)} transcript(s). Delete them and press Done again, or press Moved if you moved them to another safe place. [KWS 4(4)]`,
      )[lang],
      meeting: meeting.title ?? meeting.id,
      done: t("完了（削除した）", "Done (deleted)")[lang],
      moved: t("移動した", "Moved")[lang],
      requestId: meeting.id,
      itemId,
    },
    { id: "cleanup-still-listed", version: 1 },
  );
}

/** R-POST 2: deleting a recording cannot be undone, so the organizer confirms it first. */
export function confirmDeleteCard(
  meeting: Meeting,
  recordingId: string,
  lang: Locale,
): NeutralCard {
  return fromTemplate(
    "recording-delete",
    {
      message: t(
        "この録画を削除します。削除すると元に戻せません。よろしいですか。",
        "This recording will be deleted. This cannot be undone. Continue?",
      )[lang],
      meeting: `${meeting.title ?? meeting.id} / ${recordingId}`,
      delete: t("削除する", "Delete")[lang],
      requestId: meeting.id,
      recordingId,
    },
    { id: "recording-delete", version: 1 },
  );
}
