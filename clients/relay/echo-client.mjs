// The real, unmodified laravel-echo 2.x (socket.io broadcaster) against Herald, for tests.
//
//   node relay/echo-client.mjs <baseUrl> [--transports websocket|polling|default]
//        [--channel orders]... [--listen .order.paid]...
//        [--ready-by api --app-id herald --api-key KEY [--expect 1]]
//        [--ready-by marker [--marker .herald.ready]] [--reconnect] [--lifetime <ms>]
//
// It does what a Laravel page does:
//   const echo = new Echo({ broadcaster: 'socket.io', host: baseUrl, client: io, transports });
//   echo.channel('orders').listen('.order.paid', cb);
// and prints every event a listener is called with. Every --listen name is listened for on every
// --channel (defaults: channel "orders", event ".order.paid"). Without --reconnect socket.io-client's
// reconnection is off; with it, it is on with short delays (100-200 ms), and Echo re-subscribes its
// channels on the manager's "reconnect" (laravel/echo PR #446, in 2.x since 2025-06).
//
// Echo gives no acknowledgement of a subscription (it emits `subscribe` without an ack), so the
// script finds out when its subscriptions are live in one of two ways, and prints "ready":
//   --ready-by api     (default) after Echo connected, poll GET <baseUrl>/apps/<appId>/channels/<name>
//                      with the API key until subscription_count >= --expect on every channel. With
//                      Herald's in-memory broker a counted subscriber is a live one. The test must
//                      know how many subscribers it expects per channel (--expect, default 1).
//   --ready-by marker  also listen for the marker event (default ".herald.ready") on every channel;
//                      "ready" once a marker arrived on each. The test publishes markers until it
//                      sees "ready" (works with any broker: a received marker proves a live path).
//                      Markers are not printed as events.
//
// Output (one JSON object per line):
//   {"type":"open","transport":"polling"|"websocket"}    the Engine.IO connection opened on this transport
//   {"type":"connect","id":"<socket id>","transport":...} Socket.IO connected (an upgrade may precede it)
//   {"type":"upgrade","transport":"websocket"}
//   {"type":"ready","id":...,"channels":[...],"transport":...}
//   {"type":"event","channel":c,"listen":".order.paid","data":d,"raw":"<JSON.stringify(data)>","transport":...}
//   {"type":"disconnect","reason":...}, {"type":"connect_error","message":...}, {"type":"left","channel":c}
//   {"type":"reconnect","attempt":n}    (with --reconnect) the manager reconnected; Echo re-subscribes
//
// Commands on stdin (one JSON object per line):
//   {"op":"leave","channel":"orders"}   echo.leave(channel): Echo emits unsubscribe
//   {"op":"disconnect"}                 echo.disconnect()
//   {"op":"exit"}
// End of stdin disconnects and exits 0.
import Echo from "laravel-echo";
import { io } from "socket.io-client";
import { exitSoon, fatal, lifetime, parseArgs, print, readCommands, trackTransport, transportsOption } from "./lib.mjs";

const { positional, options } = parseArgs(process.argv.slice(2), { flags: ["reconnect"], multi: ["channel", "listen"] });
const [baseUrlArg] = positional;
if (!baseUrlArg) fatal("usage: echo-client.mjs <baseUrl> [--transports ...] [--channel c]... [--listen .e]... [--ready-by api|marker]");
const baseUrl = String(baseUrlArg).replace(/\/+$/, "");
const channels = options.channel.length ? options.channel : ["orders"];
const listens = options.listen.length ? options.listen : [".order.paid"];
const readyBy = options["ready-by"] ?? "api";
const marker = options.marker ?? ".herald.ready";
const appId = options["app-id"] ?? "herald";
const apiKey = options["api-key"];
const expect = Number(options.expect ?? 1);
if (readyBy !== "api" && readyBy !== "marker") fatal(`--ready-by must be api or marker, was '${readyBy}'`);
if (readyBy === "api" && !apiKey) fatal("--ready-by api needs --api-key");
lifetime(Number(options.lifetime ?? 120000));

const echo = new Echo({
  broadcaster: "socket.io",
  host: baseUrl,
  client: io,
  ...(options.reconnect === true
    ? { reconnection: true, reconnectionDelay: 100, reconnectionDelayMax: 200 }
    : { reconnection: false }),
  ...transportsOption(options.transports),
});
const socket = echo.connector.socket;
const transportName = () => socket.io.engine?.transport?.name ?? null;
trackTransport(socket);

let readyPrinted = false;
const markersSeen = new Set();

for (const name of channels) {
  const channel = echo.channel(name);
  for (const listen of listens) {
    channel.listen(listen, (data) => {
      print({ type: "event", channel: name, listen, data, raw: JSON.stringify(data), transport: transportName() });
    });
  }
  if (readyBy === "marker") {
    channel.listen(marker, () => {
      markersSeen.add(name);
      if (markersSeen.size === channels.length) ready();
    });
  }
}

socket.on("connect", () => {
  print({ type: "connect", id: echo.socketId(), transport: transportName() });
  if (readyBy === "api") pollUntilSubscribed().catch((e) => print({ type: "ready-error", error: e.message }));
});
socket.on("connect_error", (err) => print({ type: "connect_error", message: err.message }));
socket.on("disconnect", (reason) => print({ type: "disconnect", reason }));
socket.io.on("reconnect", (attempt) => print({ type: "reconnect", attempt }));

function ready() {
  if (readyPrinted) return;
  readyPrinted = true;
  print({ type: "ready", id: echo.socketId(), channels, transport: transportName() });
}

async function pollUntilSubscribed() {
  const pending = new Set(channels);
  while (pending.size > 0) {
    for (const name of [...pending]) {
      const url = `${baseUrl}/apps/${encodeURIComponent(appId)}/channels/${encodeURIComponent(name)}`;
      const response = await fetch(url, { headers: { Authorization: `Bearer ${apiKey}` } });
      const body = await response.json();
      if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${JSON.stringify(body)}`);
      if (body.subscription_count >= expect) pending.delete(name);
    }
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  ready();
}

readCommands(
  (command) => {
    switch (command.op) {
      case "leave":
        echo.leave(command.channel);
        print({ type: "left", channel: command.channel });
        break;
      case "disconnect":
        echo.disconnect();
        break;
      case "exit":
        echo.disconnect();
        exitSoon(0);
        break;
      default:
        throw new Error(`unknown op ${command.op}`);
    }
  },
  () => {
    echo.disconnect();
    exitSoon(0);
  },
);
