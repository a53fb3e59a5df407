/**
 * The playground page: a chat with the bot as one of three people, cards rendered with the
 * Adaptive Cards renderer (its dist build). Kept as strings so `dist/` needs no copy step.
 */

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
  main { max-width: 760px; margin: 0 auto; padding: 16px; }
  .note { font-size: 13px; color: #605e5c; margin: 0 0 12px; }
  #log { display: flex; flex-direction: column; gap: 12px; min-height: 300px; }
  .msg { max-width: 92%; }
  .mine { align-self: flex-end; background: #e8ebfa; border-radius: 8px; padding: 8px 12px; }
  .bot { align-self: flex-start; background: #fff; border-radius: 8px; padding: 4px; box-shadow: 0 1px 2px rgba(0,0,0,.15); }
  form { display: flex; gap: 8px; margin-top: 16px; }
  form input { flex: 1; padding: 8px; font-size: 15px; }
  form button { padding: 8px 16px; }
  .error { color: #a4262c; }
</style>
</head>
<body>
<header>
  <h1>会議ガード プレイグラウンド</h1>
  <label>話す人 / Persona
    <select id="persona" aria-label="persona">
      <option value="organizer">山田 花子（主催者 / organizer）</option>
      <option value="approver">情報管理責任者（承認者 / approver）</option>
      <option value="participant">佐藤 健（参加者 / participant）</option>
    </select>
  </label>
  <label>表示 / Render as
    <select id="channel" aria-label="channel">
      <option value="teams">Teams（Action.Execute 1.4）</option>
      <option value="webex">Webex（Action.Submit 1.3）</option>
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
<main>
  <p class="note">ローカルで試すためのページです。Teams・Microsoft Graph の代わりにこのマシン上の模擬サーバーが応答し、ボット本体は本番と同じ処理（署名付きトークンの検証、記録、会議の作成と設定の読み返し）を行います。「予約」「ヘルプ」「インシデント」と送ってください。承認はすべて「情報管理責任者」に届きます。<br>
  A local page: a stand-in for Teams and Microsoft Graph answers on this machine; the bot itself runs exactly as in production. Send "schedule", "help" or "incident". Every approval goes to the approver persona.</p>
  <div id="log" aria-live="polite"></div>
  <form id="say">
    <input id="text" aria-label="message" placeholder="予約 / schedule" autocomplete="off">
    <button type="submit">送信 / Send</button>
  </form>
</main>
<script src="/playground/adaptivecards.js"></script>
<script src="/playground/page.js"></script>
</body>
</html>
`;

export const PAGE_JS = `"use strict";
(function () {
  var log = document.getElementById("log");
  var personaSelect = document.getElementById("persona");
  var channelSelect = document.getElementById("channel");

  // Webex shows the same cards as Adaptive Cards 1.3 with Action.Submit (the verb in the data),
  // and an answer arrives as a new message instead of replacing the card.
  function asWebex(card) {
    var copy = JSON.parse(JSON.stringify(card));
    copy.version = "1.3";
    delete copy.refresh;
    copy.actions = (copy.actions || []).map(function (a) {
      var data = Object.assign({}, a.data || {});
      if (a.verb) data.verb = a.verb;
      var out = { type: "Action.Submit", title: a.title, data: data };
      if (a.style) out.style = a.style;
      return out;
    });
    return copy;
  }
  function webex() { return channelSelect.value === "webex"; }
  var langSelect = document.getElementById("lang");
  var seen = { organizer: 0, approver: 0, participant: 0 };
  var history = { organizer: [], approver: [], participant: [] };

  function persona() { return personaSelect.value; }

  function show(node, mine) {
    var wrap = document.createElement("div");
    wrap.className = "msg " + (mine ? "mine" : "bot");
    wrap.appendChild(node);
    history[persona()].push(wrap);
    log.appendChild(wrap);
    wrap.scrollIntoView({ block: "end" });
    return wrap;
  }

  function text(value, mine) {
    var p = document.createElement("div");
    p.textContent = value;
    return show(p, mine);
  }

  function render(cardJson, slot) {
    var card = new AdaptiveCards.AdaptiveCard();
    card.hostConfig = new AdaptiveCards.HostConfig({ fontFamily: "inherit" });
    card.onExecuteAction = function (action) {
      var data = Object.assign({}, action.data || {});
      var verb = action.verb || data.verb;
      delete data.verb;
      send({ action: { verb: verb, data: data } }, slot);
    };
    if (webex()) cardJson = asWebex(cardJson);
    card.parse(cardJson);
    var node = card.render();
    node.setAttribute("data-version", cardJson.version || "");
    return node;
  }

  function showCard(cardJson) {
    var holder = document.createElement("div");
    holder.appendChild(render(cardJson, holder));
    show(holder, false);
  }

  function send(body, slot) {
    body.persona = persona();
    body.lang = langSelect.value;
    return fetch("/playground/send", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body)
    }).then(function (res) { return res.json().then(function (json) { return { ok: res.ok, json: json }; }); })
      .then(function (r) {
        if (!r.ok) { text("エラー / error: " + JSON.stringify(r.json), false).classList.add("error"); return; }
        // An Action.Execute answer is a card that replaces the one answered (Universal Actions).
        if (slot && r.json && r.json.value && r.json.value.type === "AdaptiveCard") {
          if (webex()) {
            showCard(r.json.value);
          } else {
            slot.innerHTML = "";
            slot.appendChild(render(r.json.value, slot));
          }
        }
        return poll();
      });
  }

  function poll() {
    var who = persona();
    return fetch("/playground/replies?persona=" + who + "&after=" + seen[who])
      .then(function (res) { return res.json(); })
      .then(function (json) {
        (json.replies || []).forEach(function (reply) {
          seen[who] = Math.max(seen[who], reply.seq);
          var activity = reply.activity;
          (activity.attachments || []).forEach(function (a) { if (a.content) showCard(a.content); });
          if (activity.text) text(activity.text, false);
        });
      });
  }

  document.getElementById("say").addEventListener("submit", function (event) {
    event.preventDefault();
    var input = document.getElementById("text");
    var value = input.value.trim();
    if (!value) return;
    input.value = "";
    text(value, true);
    send({ text: value });
  });

  personaSelect.addEventListener("change", function () {
    log.innerHTML = "";
    history[persona()].forEach(function (node) { log.appendChild(node); });
    poll();
  });

  setInterval(poll, 1500);
  poll();
})();
`;
