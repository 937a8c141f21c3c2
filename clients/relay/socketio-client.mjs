// Plain socket.io-client 4.8 sockets speaking laravel-echo's relay protocol to Herald, for tests.
//
//   node relay/socketio-client.mjs <baseUrl> [--transports websocket|polling|default]
//        [--socket <channels>]... [--seed] [--no-subscribe] [--lifetime <ms>]
//
//   --socket <channels>  opens one socket (forceNew: its own connection) and subscribes it, with an
//                        ack, to each of the comma-separated channels ("" for none). Repeat for more
//                        sockets; socket indexes follow the order (0, 1, ...). Default: one socket, no
//                        channels.
//   --seed               the server speaks the tutorial's format: events are "<channel>:<event>" with
//                        the data alone (instead of laravel-echo's (event, channel, data))
//   --no-subscribe       never subscribe (the tutorial's legacy broadcast-to-all mode); --socket
//                        channels are then ignored
//
// Output (one JSON object per line):
//   {"type":"connect","socket":i,"id":"<socket id>","transport":"websocket"|"polling"}
//   {"type":"ack","socket":i,"op":"subscribe"|"unsubscribe","channel":...,"tag":...,"ack":{channel,ok,error?}}
//   {"type":"ready","socket":i,"id":...,"channels":[...]}   initial subscriptions all acknowledged
//   {"type":"all-ready","ids":[...]}                         every socket is ready
//   {"type":"event","socket":i,"id":...,"event":name,"channel":c,"data":d,"args":[...]}
//        every event the server emits to the socket (socket.onAny), foreign ones included; echo
//        format: channel = args[0], data = args[1]; seed format: channel = the part of the event
//        name before the last ':' (the tutorial's naming), data = args[0]
//   {"type":"disconnect","socket":i,"reason":...}, {"type":"connect_error","socket":i,"message":...}
//   {"type":"open","socket":i,"transport":...}, {"type":"upgrade","socket":i,"transport":"websocket"}
//
// Commands on stdin (one JSON object per line; "tag" is echoed back in the ack line):
//   {"op":"subscribe","socket":i,"channel":"x"}      emits subscribe {channel, auth:{}} with an ack
//   {"op":"subscribe","socket":i,"payload":<any>}    emits subscribe with this exact argument
//   {"op":"unsubscribe","socket":i,"channel":"x"}    emits unsubscribe {channel, auth:{}} with an ack
//   {"op":"disconnect","socket":i}                   closes that socket (prints a disconnect line)
//   {"op":"exit"}                                    closes everything and exits 0
// End of stdin closes everything and exits 0.
import { io } from "socket.io-client";
import { exitSoon, lifetime, parseArgs, print, readCommands, trackTransport, transportsOption, fatal } from "./lib.mjs";

const { positional, options } = parseArgs(process.argv.slice(2), {
  flags: ["seed", "no-subscribe"],
  multi: ["socket"],
});
const [baseUrlArg] = positional;
if (!baseUrlArg) fatal("usage: socketio-client.mjs <baseUrl> [--transports ...] [--socket a,b]... [--seed] [--no-subscribe]");
const baseUrl = String(baseUrlArg).replace(/\/+$/, "");
const seed = options.seed === true;
const subscribe = options["no-subscribe"] !== true;
const transports = transportsOption(options.transports);
const specs = options.socket.length ? options.socket : [""];
lifetime(Number(options.lifetime ?? 120000));

const ACK_TIMEOUT = 10000;
const sockets = [];
const ids = [];
let readyCount = 0;

specs.forEach((spec, index) => {
  const channels = subscribe ? spec.split(",").map((c) => c.trim()).filter((c) => c.length > 0) : [];
  const socket = io(baseUrl, { forceNew: true, reconnection: false, ...transports });
  sockets.push(socket);
  trackTransport(socket, { socket: index });
  let initial = true;

  socket.on("connect", () => {
    ids[index] = socket.id;
    print({ type: "connect", socket: index, id: socket.id, transport: socket.io.engine.transport.name });
    if (!initial) return;
    initial = false;
    Promise.all(channels.map((channel) => emitWithAck(index, "subscribe", { channel, auth: {} }, channel, null)))
      .then(() => {
        print({ type: "ready", socket: index, id: socket.id, channels });
        if (++readyCount === specs.length) print({ type: "all-ready", ids });
      });
  });
  socket.on("connect_error", (err) => print({ type: "connect_error", socket: index, message: err.message }));
  socket.on("disconnect", (reason) => print({ type: "disconnect", socket: index, reason }));
  socket.onAny((event, ...args) => {
    const line = { type: "event", socket: index, id: socket.id, event, args };
    if (seed) {
      const colon = event.lastIndexOf(":");
      line.channel = colon >= 0 ? event.slice(0, colon) : null;
      line.data = args[0];
    } else {
      line.channel = args[0];
      line.data = args[1];
    }
    print(line);
  });
});

/** Emits `op` with an ack and prints the ack line; resolves when acknowledged (or timed out). */
function emitWithAck(index, op, payload, channel, tag) {
  const socket = sockets[index];
  return new Promise((resolve) => {
    socket.timeout(ACK_TIMEOUT).emit(op, payload, (err, ack) => {
      if (err) print({ type: "ack-timeout", socket: index, op, channel, tag, error: err.message });
      else print({ type: "ack", socket: index, op, channel, tag, ack });
      resolve();
    });
  });
}

function socketOf(command) {
  const index = Number(command.socket ?? 0);
  if (!sockets[index]) throw new Error(`no socket ${index}`);
  return index;
}

function closeAll() {
  for (const socket of sockets) socket.disconnect();
}

readCommands(
  (command) => {
    switch (command.op) {
      case "subscribe":
      case "unsubscribe": {
        const index = socketOf(command);
        const payload = "payload" in command ? command.payload : { channel: command.channel, auth: {} };
        emitWithAck(index, command.op, payload, command.channel ?? null, command.tag ?? null);
        break;
      }
      case "disconnect":
        sockets[socketOf(command)].disconnect();
        break;
      case "exit":
        closeAll();
        exitSoon(0);
        break;
      default:
        throw new Error(`unknown op ${command.op}`);
    }
  },
  () => {
    closeAll();
    exitSoon(0);
  },
);
