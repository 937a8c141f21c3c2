// The tutorial's browser client (the WeChat QR-login page of the system Herald replaces), as
// literally as Node allows, for tests of Herald's seed format and legacy broadcast-to-all mode.
//
//   node relay/tutorial-client.mjs <host> <port> <channel> [--subscribe] [--transports ...]
//
//   --subscribe   first emit('subscribe', {channel}) the way a fixed page would (no ack, like Echo);
//                 the tutorial's page never subscribes and relies on the server sending every
//                 event to every socket
//
// The page script below is the tutorial's; only the browser (window.location, localStorage) is
// stood in for by printing. Instrumentation, kept apart from the page script: every event the
// socket receives is printed as {"type":"any",...} (socket.onAny runs before the page's listener).
//
// Output (one JSON object per line):
//   {"type":"open","transport":...}, {"type":"upgrade","transport":...}  (Engine.IO transport)
//   {"type":"connect","id":"<socket id>","transport":...}
//   {"type":"any","event":"<channel>:wechat.login","args":[...]}
//   {"type":"login","data":{...}}              the page's listener ran
//   {"type":"token","token":...}               localStorage.setItem('token', ...)
//   {"type":"redirect","to":"/home"}           window.location.href = ...
//   {"type":"closed"}                          socket.close() done; the script then exits 0
import { io } from "socket.io-client";
import { exitSoon, fatal, lifetime, parseArgs, print, readCommands, trackTransport, transportsOption } from "./lib.mjs";

const { positional, options } = parseArgs(process.argv.slice(2), { flags: ["subscribe"] });
const [hostArg, portArg, channelArg] = positional;
if (!hostArg || !portArg || !channelArg) fatal("usage: tutorial-client.mjs <host> <port> <channel> [--subscribe]");
lifetime(Number(options.lifetime ?? 120000));

// ---------------------------------------------------------------- the browser, stood in for
const window = {
  location: {
    hostname: hostArg,
    set href(to) {
      print({ type: "redirect", to });
      exitSoon(0);
    },
  },
};
const localStorage = {
  setItem(key, value) {
    print({ type: key, [key]: value });
  },
};
const channel = channelArg; // rendered into the page by the server: an unguessable per-login channel
const transportOptions = transportsOption(options.transports);

// ---------------------------------------------------------------- the tutorial's page script
var socket = io('http://' + window.location.hostname + ':' + portArg, transportOptions);

instrument(socket);
if (options.subscribe === true) {
  socket.emit('subscribe', { channel: channel });
}

socket.on(channel + ':wechat.login', function (data) {
  print({ type: "login", data: data });
  socket.close();
  print({ type: "closed" });
  localStorage.setItem('token', data.token);
  window.location.href = '/home';
});

// ---------------------------------------------------------------- instrumentation
function instrument(socket) {
  trackTransport(socket);
  socket.on("connect", () => print({ type: "connect", id: socket.id, transport: socket.io.engine.transport.name }));
  socket.on("connect_error", (err) => print({ type: "connect_error", message: err.message }));
  socket.on("disconnect", (reason) => print({ type: "disconnect", reason }));
  socket.onAny((event, ...args) => print({ type: "any", event, args }));
}

readCommands(
  () => {},
  () => {
    socket.close();
    exitSoon(0);
  },
);
