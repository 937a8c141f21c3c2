// Reference implementation of the compatibility test server program, using the
// real `socket.io` 4.8 package. The Java test (JsClientCompatibilityTest) programs
// Herald's SocketIoServer exactly the same way, so every scenario of client.mjs can
// be validated here first.
//
//   node clients/compat/reference-server.mjs <port>
//
// Prints {"event":"listening","port":N} once bound. SIGTERM/SIGINT close it
// the way io.close() does (engine sessions closed, no Socket.IO DISCONNECT packet),
// so connected clients see "transport close" and reconnect on their own.
import { createServer } from "node:http";
import { Server } from "socket.io";

const port = Number(process.argv[2] ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`usage: node reference-server.mjs <port>   (got ${process.argv[2]})`);
  process.exit(2);
}

const httpServer = createServer();
const io = new Server(httpServer, {
  path: "/socket.io/",
  pingInterval: 300,
  pingTimeout: 200,
  cors: { origin: "*" },
});

const main = io.of("/");
main.on("connection", (socket) => {
  socket.emit("auth", socket.handshake.auth);
  socket.on("message", (...args) => {
    socket.emit("message-back", ...args);
  });
  socket.on("message-with-ack", (...args) => {
    const ack = typeof args[args.length - 1] === "function" ? args.pop() : null;
    if (ack) ack(...args);
  });
  socket.on("ask-me", (n) => {
    socket.emit("server-asks", n, (v) => {
      socket.emit("server-got", v);
    });
  });
  socket.on("join", (room) => {
    socket.join(room);
  });
  socket.on("broadcast-room", ({ room, payload }) => {
    main.to(room).emit("room-event", payload);
  });
});

io.of("/custom").on("connection", (socket) => {
  socket.emit("auth", socket.handshake.auth);
  socket.on("message", (...args) => {
    socket.emit("message-back", ...args);
  });
});

io.of("/forbidden").use((socket, next) => {
  next(new Error("Not authorized"));
});

httpServer.listen(port, () => {
  console.log(JSON.stringify({ event: "listening", port: httpServer.address().port }));
});

let closing = false;
function shutdown(signal) {
  if (closing) return;
  closing = true;
  console.log(JSON.stringify({ event: "closing", signal }));
  io.close(() => process.exit(0));
  // Keep-alive HTTP connections may hold httpServer.close(); do not wait forever.
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
