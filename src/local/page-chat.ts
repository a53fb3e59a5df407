/**
 * The playground page's chat: what the persona writes and answers goes to /playground/send (as
 * the activity Teams would send), what the bot sent to that chat is polled from
 * /playground/replies. A card addressed to the persona (`refresh.userIds`, the consent card in a
 * meeting chat) is asked for again as Teams clients do — an automatic `adaptiveCard/action` —
 * so each person sees their own view.
 */
export const PAGE_CHAT_JS = `"use strict";
(function () {
  var log = document.getElementById("log");
  var personaSelect = document.getElementById("persona");
  var whereSelect = document.getElementById("where");
  var whereLabel = document.getElementById("where-label");
  var channelSelect = document.getElementById("channel");
  var langSelect = document.getElementById("lang");

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
  function persona() { return personaSelect.value; }
  function where() { return whereSelect.value; }
  // One conversation per persona and chat: its place in the replies, and what was shown.
  var seen = {};
  var history = {};
  function key() { return persona() + "|" + (webex() ? "webex" : where()); }

  function show(node, kind) {
    var wrap = document.createElement("div");
    wrap.className = "msg " + kind;
    wrap.appendChild(node);
    (history[key()] = history[key()] || []).push(wrap);
    log.appendChild(wrap);
    wrap.scrollIntoView({ block: "end" });
    return wrap;
  }

  function text(value, kind) {
    var p = document.createElement("div");
    p.textContent = value;
    return show(p, kind);
  }

  function render(cardJson, slot, messageId) {
    var card = new AdaptiveCards.AdaptiveCard();
    card.hostConfig = new AdaptiveCards.HostConfig({ fontFamily: "inherit" });
    card.onExecuteAction = function (action) {
      var data = Object.assign({}, action.data || {});
      var verb = action.verb || data.verb;
      delete data.verb;
      send({ action: { verb: verb, data: data }, messageId: messageId }, slot);
    };
    if (webex() && cardJson.version !== "1.3") cardJson = asWebex(cardJson);
    card.parse(cardJson);
    var node = card.render();
    node.setAttribute("data-version", cardJson.version || "");
    return node;
  }

  function showCard(cardJson, messageId) {
    var holder = document.createElement("div");
    holder.appendChild(render(cardJson, holder, messageId));
    show(holder, "bot");
    var refresh = cardJson.refresh;
    var me = "29:playground-" + persona();
    if (!webex() && refresh && refresh.action && (refresh.userIds || []).indexOf(me) >= 0) {
      send({ action: { verb: refresh.action.verb, data: refresh.action.data || {} }, trigger: "automatic" }, holder);
    }
  }

  function send(body, slot) {
    body.persona = persona();
    body.lang = langSelect.value;
    // Webex: through the simulated Webex (signed webhooks); its answers come as new messages.
    if (webex()) body.channel = "webex";
    else if (where()) body.meeting = where();
    return fetch("/playground/send", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body)
    }).then(function (res) { return res.json().then(function (json) { return { ok: res.ok, json: json }; }); })
      .then(function (r) {
        if (!r.ok) { text("エラー / error: " + JSON.stringify(r.json), "bot").classList.add("error"); return; }
        // An Action.Execute answer is a card that replaces the one answered (Universal Actions).
        if (slot && r.json && r.json.value && r.json.value.type === "AdaptiveCard") {
          if (webex() && body.trigger !== "automatic") {
            showCard(r.json.value);
          } else {
            slot.innerHTML = "";
            slot.appendChild(render(r.json.value, slot));
          }
        }
        return poll();
      });
  }

  var polling = false;
  function poll() {
    if (polling) return Promise.resolve();
    polling = true;
    var k = key();
    var url = "/playground/replies?persona=" + persona() + "&after=" + (seen[k] || 0) +
      (webex() ? "&channel=webex" : where() ? "&meeting=" + encodeURIComponent(where()) : "");
    return fetch(url)
      .then(function (res) { return res.json(); })
      .then(function (json) {
        if (k !== key()) return;
        (json.replies || []).forEach(function (reply) {
          seen[k] = Math.max(seen[k] || 0, reply.seq);
          var activity = reply.activity;
          (activity.attachments || []).forEach(function (a) { if (a.content) showCard(a.content, activity.id); });
          if (activity.text) text(activity.text, "bot");
        });
      })
      .finally(function () { polling = false; });
  }

  function redraw() {
    log.innerHTML = "";
    (history[key()] || []).forEach(function (node) { log.appendChild(node); });
    whereLabel.textContent = webex()
      ? "Webex: ボットとの 1:1 スペース / 1:1 space with the bot"
      : whereSelect.options[whereSelect.selectedIndex].textContent;
    poll();
  }

  document.getElementById("say").addEventListener("submit", function (event) {
    event.preventDefault();
    var input = document.getElementById("text");
    var value = input.value.trim();
    if (!value) return;
    input.value = "";
    text(value, "mine");
    send({ text: value });
  });
  personaSelect.addEventListener("change", redraw);
  whereSelect.addEventListener("change", redraw);
  channelSelect.addEventListener("change", redraw);

  // For the meeting clock: a line in the meeting chat, as Teams shows "recording started".
  window.kaigiPlayground = {
    system: function (thread, value) {
      Array.prototype.forEach.call(personaSelect.options, function (option) {
        var k = option.value + "|" + thread;
        var p = document.createElement("div");
        p.className = "msg system";
        p.textContent = value;
        (history[k] = history[k] || []).push(p);
        if (k === key()) { log.appendChild(p); p.scrollIntoView({ block: "end" }); }
      });
    },
    poll: poll
  };

  setInterval(poll, 1500);
  poll();
})();
`;
