// Herald console: subscribes with the same protocol as laravel-echo (subscribe {channel}, events as
// (event, channel, data)) and publishes through the HTTP API.
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  if (params.get("key")) $("api-key").value = params.get("key");

  let appId = "herald";
  fetch("/health").then((r) => r.json()).then((h) => { if (h.appId) appId = h.appId; }).catch(() => {});

  const subscriptions = new Set();
  const socket = io({ transports: ["polling", "websocket"] });

  function setStatus(text, state) {
    $("status").textContent = text;
    $("dot").className = "dot " + (state || "");
  }

  socket.on("connect", () => {
    setStatus("connected (" + socket.io.engine.transport.name + ")", "up");
    $("socket-id").textContent = socket.id;
    socket.io.engine.once("upgrade", (t) => setStatus("connected (" + t.name + ")", "up"));
    // Subscriptions do not survive a reconnect on the server: make them again.
    for (const channel of subscriptions) subscribe(channel, true);
  });
  socket.on("disconnect", (reason) => { setStatus("disconnected: " + reason, "down"); $("socket-id").textContent = "–"; });
  socket.on("connect_error", (err) => setStatus("cannot connect: " + err.message, "down"));

  socket.on("subscription_error", (channel, status, message) => {
    subscriptions.delete(channel);
    renderChips({ [channel]: (message || "refused") + " (" + status + ")" });
  });

  socket.onAny((event, channel, data) => {
    if (event === "subscription_error" || !subscriptions.has(channel)) return;
    addEvent(channel, event, data);
  });

  function subscribe(channel, again) {
    socket.emit("subscribe", { channel: channel }, (result) => {
      if (result && result.ok) {
        subscriptions.add(channel);
        if (!again) renderChips();
      }
    });
  }

  function renderChips(errors) {
    const list = $("subscriptions");
    list.textContent = "";
    for (const channel of subscriptions) {
      const li = document.createElement("li");
      li.textContent = channel;
      const x = document.createElement("button");
      x.textContent = "×";
      x.title = "unsubscribe";
      x.onclick = () => { socket.emit("unsubscribe", { channel: channel }); subscriptions.delete(channel); renderChips(); };
      li.appendChild(x);
      list.appendChild(li);
    }
    for (const [channel, message] of Object.entries(errors || {})) {
      const li = document.createElement("li");
      li.className = "error";
      li.textContent = channel + ": " + message;
      list.appendChild(li);
    }
  }

  function addEvent(channel, event, data) {
    const list = $("events");
    const empty = list.querySelector(".empty");
    if (empty) empty.remove();
    const li = document.createElement("li");
    li.dataset.testid = "event";
    const time = document.createElement("time");
    time.textContent = new Date().toLocaleTimeString();
    const ch = document.createElement("span");
    ch.className = "ch";
    ch.textContent = channel;
    const ev = document.createElement("strong");
    ev.textContent = event;
    const pre = document.createElement("pre");
    pre.textContent = JSON.stringify(data, null, 2);
    li.append(time, ch, ev, pre);
    list.prepend(li);
  }

  $("subscribe-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const channel = $("channel").value.trim();
    if (!channel) return;
    if (!$("pub-channel").value) $("pub-channel").value = channel;
    subscribe(channel, false);
    $("channel").value = "";
  });

  $("publish-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const result = $("publish-result");
    let data;
    try { data = JSON.parse($("pub-data").value || "{}"); } catch (err) {
      result.className = "result bad"; result.textContent = "data is not valid JSON: " + err.message; return;
    }
    const response = await fetch("/apps/" + encodeURIComponent(appId) + "/events", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Authorization": "Bearer " + $("api-key").value },
      body: JSON.stringify({ channel: $("pub-channel").value.trim(), name: $("pub-event").value.trim(), data: data }),
    });
    const body = await response.json().catch(() => ({}));
    result.className = "result " + (response.ok ? "ok" : "bad");
    result.textContent = response.ok ? "published" : (response.status + ": " + (body.error || response.statusText));
  });

  $("clear").addEventListener("click", () => { $("events").innerHTML = '<li class="empty">Events on your channels appear here as they arrive.</li>'; });
})();
