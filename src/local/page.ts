import { PERSONAS, type Persona } from "./personas.js";

/**
 * The playground page: a chat with the bot as one of the personas (their chat with the bot, or a
 * meeting's chat), cards rendered with the Adaptive Cards renderer (its dist build), and the
 * meeting clock beside it. Kept as strings so `dist/` needs no copy step; the scripts are
 * page-chat.ts and page-meeting.ts.
 */

const ROLES: Record<Persona, string> = {
  organizer: "主催者 / organizer",
  approver: "承認者 / approver",
  participant: "参加者 / participant",
  participant2: "参加者 / participant",
  guest: "招待されていない人 / not invited",
};

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${String(c.charCodeAt(0))};`);

const personaOptions = (Object.keys(PERSONAS) as Persona[])
  .map(
    (p) =>
      `<option value="${p}">${escape(PERSONAS[p].name.replace(/（.*）$/, ""))}（${ROLES[p]}）</option>`,
  )
  .join("\n      ");

const joinerOptions = (["participant", "participant2", "guest"] as const)
  .map((p) => `<option value="${p}">${escape(PERSONAS[p].name)}</option>`)
  .join("");

const addressBook = (["participant", "participant2", "guest"] as const)
  .map((p) => `${escape(PERSONAS[p].name)}: <code>${PERSONAS[p].email}</code>`)
  .join("<br>");

export const PAGE_HTML = `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>会議ガード プレイグラウンド / kaigi-guard playground</title>
<style>
  body { font-family: system-ui, "Hiragino Sans", "Noto Sans JP", sans-serif; margin: 0; background: #f3f2f1; color: #242424; }
  header { background: #464775; color: #fff; padding: 12px 20px; display: flex; gap: 16px; align-items: center; flex-wrap: wrap; }
  header h1 { font-size: 18px; margin: 0 12px 0 0; }
  header label { font-size: 14px; }
  .layout { display: flex; gap: 16px; max-width: 1180px; margin: 0 auto; padding: 16px; align-items: flex-start; }
  main { flex: 1; min-width: 0; }
  aside { width: 340px; flex: none; background: #fff; border-radius: 8px; padding: 12px 14px; box-shadow: 0 1px 2px rgba(0,0,0,.15); position: sticky; top: 12px; font-size: 14px; }
  aside h2 { font-size: 16px; margin: 0 0 8px; }
  aside h3 { font-size: 14px; margin: 12px 0 6px; }
  aside select { max-width: 100%; }
  aside .row { display: flex; gap: 6px; flex-wrap: wrap; margin: 6px 0; }
  aside button { padding: 5px 9px; font-size: 13px; }
  aside dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 8px; margin: 8px 0; }
  aside dt { color: #605e5c; }
  aside dd { margin: 0; }
  #clock-status { font-size: 13px; }
  #clock-event { font-size: 13px; color: #0f6cbd; min-height: 1.2em; }
  .rec { color: #c50f1f; font-weight: bold; }
  @media (max-width: 900px) { .layout { flex-direction: column; } aside { width: auto; position: static; } }
  .note { font-size: 13px; color: #605e5c; margin: 0 0 12px; }
  #where-label { font-weight: bold; margin: 0 0 8px; }
  #log { display: flex; flex-direction: column; gap: 12px; min-height: 300px; }
  .msg { max-width: 92%; }
  .mine { align-self: flex-end; background: #e8ebfa; border-radius: 8px; padding: 8px 12px; }
  .bot { align-self: flex-start; background: #fff; border-radius: 8px; padding: 4px; box-shadow: 0 1px 2px rgba(0,0,0,.15); }
  .system { align-self: center; font-size: 13px; color: #605e5c; }
  form#say { display: flex; gap: 8px; margin-top: 16px; }
  form#say input { flex: 1; padding: 8px; font-size: 15px; }
  form#say button { padding: 8px 16px; }
  .error { color: #a4262c; }
</style>
</head>
<body>
<header>
  <h1>会議ガード プレイグラウンド</h1>
  <label>話す人 / Persona
    <select id="persona" aria-label="persona">
      ${personaOptions}
    </select>
  </label>
  <label>チャット / Chat
    <select id="where" aria-label="chat">
      <option value="">ボットとのチャット / chat with the bot</option>
    </select>
  </label>
  <label>表示 / Render as
    <select id="channel" aria-label="channel">
      <option value="teams">Teams（Action.Execute 1.4）</option>
      <option value="webex">Webex（Action.Submit 1.3、模擬 Webex 経由 / through the simulated Webex）</option>
    </select>
  </label>
  <label>言語 / Language
    <select id="lang" aria-label="language">
      <option value="ja">日本語</option>
      <option value="en">English</option>
    </select>
  </label>
  <form method="post" action="/playground/admin" target="_blank">
    <button type="submit">管理コンソール（会議の記録）/ Admin console</button>
  </form>
</header>
<div class="layout">
<main>
  <p class="note">ローカルで試すためのページです。Teams・Microsoft Graph の代わりにこのマシン上の模擬サーバーが応答し、ボット本体は本番と同じ処理（署名付きトークンの検証、記録、会議の作成と設定の読み返し）を行います。「予約」「ヘルプ」「インシデント」と送ってください。承認はすべて「情報管理責任者」に届きます。会議を作成したら、右の「会議の進行」で開始・参加・録画・終了・時間の経過を試せます。<br>
  A local page: a stand-in for Teams and Microsoft Graph answers on this machine; the bot itself runs exactly as in production. Send "schedule", "help" or "incident". Every approval goes to the approver persona. Once a meeting exists, try start, joins, recording, end and time passing with "Meeting clock" on the right.</p>
  <p id="where-label">ボットとのチャット / chat with the bot</p>
  <div id="log" aria-live="polite"></div>
  <form id="say">
    <input id="text" aria-label="message" placeholder="予約 / schedule" autocomplete="off">
    <button type="submit">送信 / Send</button>
  </form>
</main>
<aside aria-label="会議の進行 / meeting clock">
  <h2>会議の進行 / Meeting clock</h2>
  <label>会議 / Meeting
    <select id="clock-meeting" aria-label="meeting"><option value="">（まだ会議がありません / no meeting yet）</option></select>
  </label>
  <dl id="clock-status"></dl>
  <div class="row">
    <button type="button" data-clock="start">会議を開始 / Start</button>
    <button type="button" data-clock="end">会議を終了 / End</button>
  </div>
  <h3>参加者 / Participants</h3>
  <div class="row">
    <select id="clock-joiner" aria-label="who joins">${joinerOptions}</select>
  </div>
  <div class="row">
    <button type="button" data-clock="join">参加させる / Join</button>
    <button type="button" data-clock="leave">退出させる / Leave</button>
  </div>
  <h3>録画 / Recording</h3>
  <div class="row">
    <button type="button" data-clock="record-start">録画を開始 / Start recording</button>
    <button type="button" data-clock="record-stop">録画を停止 / Stop recording</button>
    <button type="button" data-clock="delete-recordings" id="clock-delete">Teams で録画を削除 / Delete in Teams</button>
  </div>
  <h3>時間 / Time</h3>
  <div class="row">
    <button type="button" data-clock="advance">次の予定まで時間を進める / Advance to the next due</button>
  </div>
  <p id="clock-event" role="status"></p>
  <details id="mock-activity">
    <summary>Agents Playground から送る / send from Agents Playground</summary>
    <p class="note">Agents Playground の「Mock an Activity」→ custom activity のひな形に、次の <code>type</code>・<code>name</code>・<code>channelData</code>・<code>value</code> を貼り付けて送ります（会議の開始 / 終了）。<br>Paste these fields into Agents Playground's "Mock an Activity" custom-activity template (meeting start / end).</p>
    <pre id="mock-json" style="white-space: pre-wrap; font-size: 11px; max-height: 220px; overflow: auto;"></pre>
  </details>
  <h3>予定表から / From the calendar</h3>
  <p class="note">ボットを通さずに Teams の予定表で会議を作ると、ボットが見つけて区分を尋ねます（主催者が一度ボットに話しかけた後）。<br>A meeting scheduled in the Teams calendar, not through the bot, is caught and its tier asked (once the organizer has written to the bot).</p>
  <div class="row">
    <input id="calendar-title" aria-label="calendar title" value="予定表で作った打合せ" size="18">
    <input id="calendar-start" aria-label="calendar start" type="datetime-local" value="2026-12-24T10:00">
  </div>
  <div class="row">
    <button type="button" id="calendar-add">予定表に会議を作成 / Schedule in the calendar</button>
  </div>
  <p class="note">招待するときのメールアドレス / addresses to invite:<br>${addressBook}</p>
</aside>
</div>
<script src="/playground/adaptivecards.js"></script>
<script src="/playground/page.js"></script>
<script src="/playground/meeting.js"></script>
</body>
</html>
`;
