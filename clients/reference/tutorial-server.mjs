// The tutorial's push server (the system Herald replaces, see ../shared/reference/seed-system.md), as the
// reference of the benchmarks: socket.io 4.8 + ioredis, PSUBSCRIBE *, and every message emitted to EVERY
// connected socket as `<channel>:<event>` with its data. Kept as close to the tutorial's server.js as an ES
// module allows; only the port and the Redis address are parameters, and two lines of instrumentation for the
// bench are added (marked "bench:"), neither of which runs per message or per connection.
//
//   node clients/reference/tutorial-server.mjs [port] [redis-url]     (defaults: 6001, redis://127.0.0.1:6379)
//
// Prints {"event":"listening","port":N} once the port is bound and PSUBSCRIBE * is active.
import { createServer } from "node:http";
import { Server } from "socket.io";
import Redis from "ioredis";

const port = Number(process.argv[2] ?? 6001);
const redisUrl = process.argv[3] ?? "redis://127.0.0.1:6379";

function handler(req, res) {
  res.writeHead(200);
  res.end("");
}

const app = createServer(handler);
const io = new Server(app);
const redis = new Redis(redisUrl);

io.on("connection", function (socket) {
  socket.on("message", function (message) {
    console.log(message);
  });
});

redis.on("pmessage", function (subscribed, channel, message) {
  message = JSON.parse(message);
  io.emit(channel + ":" + message.event, message.data);
});

let ready = 0;
function up() {
  if (++ready === 2) console.log(JSON.stringify({ event: "listening", port: app.address().port }));
}
redis.psubscribe("*", function (err) {
  if (err) {
    console.error("psubscribe failed: " + err);
    process.exit(1);
  }
  up();
});
app.listen(port, "127.0.0.1", up);

// bench: on SIGUSR2, print the process's memory (after a full GC when node runs with --expose-gc).
process.on("SIGUSR2", () => {
  if (typeof globalThis.gc === "function") globalThis.gc();
  const m = process.memoryUsage();
  console.log(JSON.stringify({ event: "memory", rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers }));
});
// bench: SIGTERM closes the server the way Ctrl-C would.
process.on("SIGTERM", () => process.exit(0));
