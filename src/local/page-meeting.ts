/**
 * The playground page's meeting clock: the meetings the bot created (from /playground/meetings),
 * their state, who is in them, the simulated time and the next thing due; each button posts one
 * action to /playground/meeting, which makes the simulated Teams send what Teams sends.
 */
export const PAGE_MEETING_JS = `"use strict";
(function () {
  var meetingSelect = document.getElementById("clock-meeting");
  var whereSelect = document.getElementById("where");
  var joiner = document.getElementById("clock-joiner");
  var status = document.getElementById("clock-status");
  var eventLine = document.getElementById("clock-event");
  var names = {};
  Array.prototype.forEach.call(document.getElementById("persona").options, function (o) {
    names[o.value] = o.textContent.replace(/（.*$/, "");
  });
  var STATES = {
    "draft": "下書き / draft", "tier-declared": "区分決定 / tier declared",
    "awaiting-approval": "承認待ち / awaiting approval", "scheduled": "予定済み / scheduled",
    "in-progress": "開催中 / in progress", "ended": "終了 / ended",
    "cleanup-pending": "会議後の確認待ち / after-meeting checks open", "closed": "完了 / closed",
    "refused": "開催不可 / refused", "escalated": "管理者に連絡済み / escalated to the admin",
    "cancelled": "取消 / cancelled"
  };
  function due(next) {
    if (!next) return "なし / nothing";
    var what = {
      "consent-deadline": "同意の締切 / consent deadline",
      "open-cleanup": "会議後の確認カード / after-meeting card",
      "reminder-due": "お知らせ " + (next.key.split("reminder:")[1] || "") + "回目 / reminder",
      "approval-reminder-due": "承認の催促 / approval reminder",
      "escalate": "管理者への連絡 / escalation"
    }[next.kind] || next.kind;
    return what + "（" + jst(next.runAt) + "）";
  }
  function jst(iso) {
    return new Date(iso).toLocaleString("ja-JP", { timeZone: "Asia/Tokyo", year: "numeric", month: "long", day: "numeric", weekday: "short", hour: "2-digit", minute: "2-digit" });
  }
  function ahead(ms) {
    if (ms < 60000) return "";
    var m = Math.round(ms / 60000), d = Math.floor(m / 1440), h = Math.floor((m % 1440) / 60);
    return "（実時間より " + (d ? d + "日" : "") + (h ? h + "時間" : "") + (m % 60) + "分先 / ahead of real time）";
  }
  var last = null;
  var listed = "";
  function row(term, value, cls) {
    var dt = document.createElement("dt"); dt.textContent = term;
    var dd = document.createElement("dd"); dd.textContent = value;
    if (cls) dd.className = cls;
    status.appendChild(dt); status.appendChild(dd);
  }
  function draw(json) {
    last = json;
    var chosen = meetingSelect.value, chat = whereSelect.value;
    var ids = json.meetings.map(function (m) { return m.key; }).join(" ");
    if (json.meetings.length > 0 && ids !== listed) {
      listed = ids;
      meetingSelect.innerHTML = "";
      whereSelect.innerHTML = "";
      var bot = document.createElement("option");
      bot.value = ""; bot.textContent = "ボットとのチャット / chat with the bot";
      whereSelect.appendChild(bot);
      json.meetings.forEach(function (m) {
        var o = document.createElement("option");
        o.value = m.key;
        o.textContent = (m.platform === "webex" ? "[Webex] " : "[Teams] ") + m.title + "（" + jst(m.startsAt) + "）";
        meetingSelect.appendChild(o);
        // Teams meetings have a chat the bot is in; Webex meetings do not (cards come 1:1).
        if (m.platform !== "teams") return;
        var c = document.createElement("option");
        c.value = m.key; c.textContent = "会議チャット / meeting chat: " + m.title;
        whereSelect.appendChild(c);
      });
      // A meeting just created is the one the clock drives.
      meetingSelect.selectedIndex = json.meetings.length - 1;
      if (chosen && json.meetings.length === 1) meetingSelect.value = chosen;
      whereSelect.value = chat;
    }
    status.innerHTML = "";
    row("模擬時刻 / time", jst(json.now) + ahead(json.ahead));
    var m = json.meetings.filter(function (x) { return x.key === meetingSelect.value; })[0];
    if (!m) return;
    row("状態 / state", STATES[m.state] || m.state || "—");
    row("参加中 / in meeting", m.present.map(function (p) { return names[p] || p; }).join("、") || "—");
    var where = m.platform === "webex" ? "Webex" : "Teams";
    document.getElementById("clock-delete").textContent = where + " で録画を削除 / Delete in " + where;
    row("録画 / recording", m.recording ? "● 録画中 / recording" : (m.recordings > 0 ? where + " に " + m.recordings + " 件 / " + m.recordings + " in " + where : "なし / none"), m.recording ? "rec" : "");
    row("次の予定 / next due", due(m.next));
    var mock = document.getElementById("mock-activity");
    mock.hidden = m.platform !== "teams";
    if (m.platform === "teams" && mock.getAttribute("data-for") !== m.key) {
      mock.setAttribute("data-for", m.key);
      fetch("/playground/mock-activity?meeting=" + encodeURIComponent(m.key))
        .then(function (r) { return r.json(); })
        .then(function (json) { document.getElementById("mock-json").textContent = JSON.stringify(json, null, 2); });
    }
  }
  function refresh() {
    return fetch("/playground/meetings").then(function (r) { return r.ok ? r.json() : null; })
      .then(function (json) { if (json) draw(json); });
  }
  var SAID = {
    "start": "会議が始まりました / the meeting started",
    "end": "会議が終了しました / the meeting ended",
    "join": "さんが参加しました / joined",
    "leave": "さんが退出しました / left",
    "record-start": "録画を開始しました / recording started",
    "record-stop": "録画を停止しました。録画は Teams に保存されます / recording stopped and saved in Teams",
    "delete-recordings": "Teams の録画を削除しました / recordings deleted in Teams"
  };
  Array.prototype.forEach.call(document.querySelectorAll("[data-clock]"), function (button) {
    button.addEventListener("click", function () {
      var action = button.getAttribute("data-clock");
      var thread = meetingSelect.value;
      if (!thread) { eventLine.textContent = "先に会議を作成してください / create a meeting first"; return; }
      button.disabled = true;
      fetch("/playground/meeting", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ meeting: thread, action: action, persona: joiner.value })
      }).then(function (r) { return r.json().then(function (json) { return { ok: r.ok, json: json }; }); })
        .then(function (r) {
          if (!r.ok) { eventLine.textContent = (r.json.error && r.json.error.message) || r.json.error.code; return; }
          var said = SAID[action];
          if (action === "join" || action === "leave") said = names[joiner.value] + " " + said;
          if (action === "advance") {
            said = "時間を進めました / time moved on: " + jst(r.json.now);
          } else {
            var m = (last.meetings || []).filter(function (x) { return x.key === thread; })[0];
            window.kaigiPlayground.system(m && m.platform === "webex" ? "webex" : thread, said);
          }
          eventLine.textContent = said;
          draw(r.json);
          return window.kaigiPlayground.poll();
        })
        .finally(function () { button.disabled = false; });
    });
  });
  meetingSelect.addEventListener("change", function () { if (last) draw(last); });
  document.getElementById("calendar-add").addEventListener("click", function () {
    fetch("/playground/calendar", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        title: document.getElementById("calendar-title").value,
        startsAt: document.getElementById("calendar-start").value
      })
    }).then(function (r) { return r.json().then(function (json) { return { ok: r.ok, json: json }; }); })
      .then(function (r) {
        if (!r.ok) { eventLine.textContent = (r.json.error && r.json.error.message) || r.json.error.code; return; }
        eventLine.textContent = r.json.notified > 0
          ? "予定表に作成しました。ボットが見つけると主催者に区分を尋ねます / scheduled; the bot will ask the organizer for its tier"
          : "予定表に作成しましたが、予定表はまだ見守られていません。主催者として一度ボットに話しかけてください / scheduled, but the calendar is not watched yet: write to the bot as the organizer first";
      });
  });
  setInterval(refresh, 1500);
  refresh();
})();
`;
