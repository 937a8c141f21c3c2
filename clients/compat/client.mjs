// Compatibility scenario runner using the real npm `socket.io-client` 4.8.
//
//   node clients/compat/client.mjs <scenario> <baseUrl> [jsonOptions]
//
// scenarios: echo | ack | binary | namespace | rooms | reconnect
// options (JSON object, all optional):
//   transports  ["websocket"] | ["polling"] | omitted (default: polling, then upgrade
//               to websocket; the scenario then also asserts the upgrade happened)
//   timeout     overall timeout in ms (default 15000)
//   path        Socket.IO path (default "/socket.io/")
//
// Every stdout line is one JSON object: progress lines {"event":...} and exactly one
// final line {"result":"ok",...} (exit 0) or {"result":"fail","error":...} (exit 1).
// The server program these scenarios expect is clients/compat/reference-server.mjs.
import { io } from "socket.io-client";
import { isDeepStrictEqual, inspect } from "node:util";

const SCENARIOS = { echo, ack, binary, namespace, rooms, reconnect };

const [scenarioName, baseUrlArg, jsonOptions] = process.argv.slice(2);
let options;
try {
  options = jsonOptions ? JSON.parse(jsonOptions) : {};
} catch (e) {
  usage(`invalid jsonOptions: ${e.message}`);
}
if (!scenarioName || !(scenarioName in SCENARIOS)) usage(`unknown scenario: ${scenarioName}`);
if (!baseUrlArg) usage("missing baseUrl");

const baseUrl = baseUrlArg.replace(/\/+$/, "");
const timeoutMs = Number(options.timeout ?? 15000);
const transports = options.transports;
const expectUpgrade = transports === undefined;
const mode = transports ? transports.join("+") : "polling->websocket";
const sockets = [];
let step = "starting";
let finished = false;

// ---------------------------------------------------------------- output / exit

function print(obj) {
  process.stdout.write(JSON.stringify(obj, jsonReplacer) + "\n");
}

function jsonReplacer(_key, value) {
  // Buffer.toJSON runs before the replacer sees it: {type:"Buffer",data:[...]}
  if (value && value.type === "Buffer" && Array.isArray(value.data)) return { $binary: value.data };
  if (value instanceof ArrayBuffer) return { $binary: [...new Uint8Array(value)] };
  if (ArrayBuffer.isView(value)) {
    return { $binary: [...new Uint8Array(value.buffer, value.byteOffset, value.byteLength)] };
  }
  return value;
}

function event(name, extra = {}) {
  if (finished) return; // the result line is the last line
  print({ event: name, ...extra });
}

function finish(code, line) {
  if (finished) return;
  finished = true;
  print(line);
  for (const s of sockets) {
    try {
      s.disconnect();
    } catch {
      // ignore
    }
  }
  // Let stdout drain before exiting.
  process.stdout.write("", () => process.exit(code));
  setTimeout(() => process.exit(code), 500).unref();
}

function ok(extra = {}) {
  finish(0, { result: "ok", scenario: scenarioName, transports: mode, ...extra });
}

function fail(error) {
  const message = error instanceof Error ? error.message : String(error);
  finish(1, { result: "fail", scenario: scenarioName, transports: mode, step, error: message });
}

function usage(message) {
  print({ result: "fail", error: `${message}; usage: client.mjs <${Object.keys(SCENARIOS).join("|")}> <baseUrl> [jsonOptions]` });
  process.exit(1);
}

// ---------------------------------------------------------------- helpers

/** Recursively turns every binary value (Buffer, ArrayBuffer, typed array) into a Buffer. */
function normalize(value) {
  if (value instanceof ArrayBuffer) return Buffer.from(new Uint8Array(value));
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v)]));
  }
  return value;
}

function assertEqual(actual, expected, what) {
  if (!isDeepStrictEqual(normalize(actual), normalize(expected))) {
    throw new Error(
      `${what}: expected ${JSON.stringify(expected, jsonReplacer)} but got ${JSON.stringify(actual, jsonReplacer)}` +
        ` (${inspect(actual, { depth: 5, breakLength: Infinity })})`,
    );
  }
}

function assertBinary(value, what) {
  if (!(value instanceof ArrayBuffer || ArrayBuffer.isView(value))) {
    throw new Error(`${what}: expected binary data but got ${inspect(value, { depth: 5 })}`);
  }
}


/** Watches every engine a manager creates (reconnection creates a new one) for `upgrade`. */
function trackUpgrades(manager) {
  if (manager.__heraldTracked) return;
  manager.__heraldTracked = true;
  const attach = (engine) => {
    if (!engine || engine.__heraldTracked) return;
    engine.__heraldTracked = true;
    engine.__heraldUpgraded = false;
    engine.__heraldInitialTransport = engine.transport?.name ?? null;
    engine.on("upgrade", (transport) => {
      engine.__heraldUpgraded = true;
      engine.emit("herald-upgraded", transport.name);
    });
  };
  attach(manager.engine);
  manager.on("open", () => attach(manager.engine));
}

/**
 * Creates a client socket. Listeners given in `on` are registered before the
 * connection can complete, so early server events (like `auth`) are never missed.
 */
function connect(nsp, opts = {}, on = {}) {
  const socketOptions = {
    path: options.path ?? "/socket.io/",
    reconnection: false,
    ...(transports ? { transports } : {}),
    ...opts,
  };
  const socket = io(baseUrl + nsp, socketOptions);
  sockets.push(socket);
  trackUpgrades(socket.io);
  for (const [name, fn] of Object.entries(on)) socket.on(name, fn);
  return socket;
}

/** Resolves with the args of the next `name` event (listener registered now). */
function next(socket, name) {
  return new Promise((resolve) => socket.once(name, (...args) => resolve(args)));
}

/** Resolves once connected, rejects on connect_error. */
function connected(socket, label, { quiet = false } = {}) {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    const onConnect = () => {
      socket.off("connect_error", onError);
      if (!quiet) event("connected", { socket: label, id: socket.id, transport: socket.io.engine.transport.name });
      resolve();
    };
    const onError = (err) => {
      socket.off("connect", onConnect);
      reject(new Error(`${label}: connect_error: ${err.message}`));
    };
    socket.once("connect", onConnect);
    socket.once("connect_error", onError);
  });
}

/** Resolves with the error of the next connect_error; rejects if the socket connects instead. */
function connectError(socket, label) {
  return new Promise((resolve, reject) => {
    const onConnect = () => {
      socket.off("connect_error", onError);
      reject(new Error(`${label}: connected but a connect_error was expected`));
    };
    const onError = (err) => {
      socket.off("connect", onConnect);
      event("connect_error", { socket: label, message: err.message, data: err.data ?? null });
      resolve(err);
    };
    socket.once("connect", onConnect);
    socket.once("connect_error", onError);
  });
}

/**
 * In default mode (no `transports` option) waits for the engine's `upgrade` event and
 * checks that the transport is now websocket; otherwise checks that the transport is
 * the one requested.
 */
async function checkTransport(socket, label) {
  const engine = socket.io.engine;
  if (expectUpgrade) {
    if (!engine.__heraldUpgraded) {
      step = `${label}: waiting for the upgrade to websocket (transport is ${engine.transport.name})`;
      await new Promise((resolve) => engine.once("herald-upgraded", resolve));
    }
    if (engine.transport.name !== "websocket") {
      throw new Error(`${label}: transport after upgrade is ${engine.transport.name}, expected websocket`);
    }
    if (engine.__heraldInitialTransport !== "polling") {
      throw new Error(`${label}: expected the connection to start with polling, it started with ${engine.__heraldInitialTransport}`);
    }
    event("upgraded", { socket: label, from: engine.__heraldInitialTransport, transport: engine.transport.name });
  } else if (engine.transport.name !== transports[0]) {
    throw new Error(`${label}: transport is ${engine.transport.name}, expected ${transports[0]}`);
  }
}

// ---------------------------------------------------------------- scenarios

async function echo() {
  step = "connect / with auth";
  const socket = connect("/", { auth: { token: "abc" } });
  const auth = next(socket, "auth");
  await connected(socket, "main");
  step = "waiting for auth";
  const authArgs = await auth;
  event("auth", { args: authArgs });
  assertEqual(authArgs, [{ token: "abc" }], "auth event");

  step = "message -> message-back";
  const sent = [1, "2", { 3: [true] }];
  const back = next(socket, "message-back");
  socket.emit("message", ...sent);
  const got = await back;
  event("message-back", { args: got });
  assertEqual(got, sent, "message-back args");

  await checkTransport(socket, "main");
  ok();
}

async function ack() {
  step = "connect /";
  const socket = connect("/", {}, {
    "server-asks": (n, cb) => {
      event("server-asks", { n, hasAck: typeof cb === "function" });
      if (typeof cb === "function") cb(n * 2);
    },
  });
  await connected(socket, "main");

  step = "emit message-with-ack (callback, all ack args)";
  const sent = [1, "two", { x: [false] }];
  const ackArgs = await new Promise((resolve) => socket.emit("message-with-ack", ...sent, (...args) => resolve(args)));
  event("ack", { args: ackArgs });
  assertEqual(ackArgs, sent, "ack args");

  step = "emitWithAck message-with-ack";
  const first = await socket.emitWithAck("message-with-ack", ...sent);
  event("emitWithAck", { value: first });
  assertEqual(first, 1, "emitWithAck value");

  step = "ask-me 21 -> server-asks (ack n*2) -> server-got";
  const serverGot = next(socket, "server-got");
  socket.emit("ask-me", 21);
  const got = await serverGot;
  event("server-got", { args: got });
  assertEqual(got, [42], "server-got args");

  await checkTransport(socket, "main");
  ok();
}

async function binary() {
  step = "connect /";
  const socket = connect("/");
  await connected(socket, "main");

  step = "message with binary -> message-back";
  const buf = Buffer.from([1, 2, 3]);
  const obj = { nested: new Uint8Array([4, 5, 6]), text: "t" };
  const back = next(socket, "message-back");
  socket.emit("message", buf, obj);
  const got = await back;
  event("message-back", { args: got });
  if (got.length !== 2) throw new Error(`message-back: expected 2 args, got ${got.length}`);
  assertBinary(got[0], "message-back arg 0");
  assertBinary(got[1]?.nested, "message-back arg 1 .nested");
  assertEqual(got, [buf, obj], "message-back args");

  step = "message-with-ack with binary -> ack";
  const ackArgs = await new Promise((resolve) =>
    socket.emit("message-with-ack", Uint8Array.from([7, 8, 9]), "x", { b: Buffer.from([10]) }, (...args) => resolve(args)),
  );
  event("ack", { args: ackArgs });
  if (ackArgs.length !== 3) throw new Error(`ack: expected 3 args, got ${ackArgs.length}`);
  assertBinary(ackArgs[0], "ack arg 0");
  assertBinary(ackArgs[2]?.b, "ack arg 2 .b");
  assertEqual(ackArgs, [Buffer.from([7, 8, 9]), "x", { b: Buffer.from([10]) }], "ack args");

  await checkTransport(socket, "main");
  ok();
}

async function namespace() {
  // All three namespaces are multiplexed over one Engine.IO connection (one Manager).
  step = "connect /custom with auth";
  const custom = connect("/custom", { auth: { token: "ns" } });
  const auth = next(custom, "auth");
  await connected(custom, "custom");
  step = "waiting for auth on /custom";
  const authArgs = await auth;
  event("auth", { nsp: "/custom", args: authArgs });
  assertEqual(authArgs, [{ token: "ns" }], "/custom auth event");

  step = "/custom message -> message-back";
  const back = next(custom, "message-back");
  custom.emit("message", "in-custom", { n: 1 });
  const got = await back;
  event("message-back", { nsp: "/custom", args: got });
  assertEqual(got, ["in-custom", { n: 1 }], "/custom message-back args");

  step = "connect /forbidden";
  const forbidden = connect("/forbidden", { auth: { token: "ns" } });
  const forbiddenErr = await connectError(forbidden, "forbidden");
  assertEqual(forbiddenErr.message, "Not authorized", "/forbidden connect_error message");

  step = "connect /nope";
  const nope = connect("/nope");
  const nopeErr = await connectError(nope, "nope");
  assertEqual(nopeErr.message, "Invalid namespace", "/nope connect_error message");

  if (custom.io !== forbidden.io || custom.io !== nope.io) throw new Error("expected one shared Manager");

  step = "/custom still works after the refused namespaces";
  const back2 = next(custom, "message-back");
  custom.emit("message", "still-here");
  assertEqual(await back2, ["still-here"], "/custom message-back after refusals");
  event("message-back", { nsp: "/custom", args: ["still-here"] });

  await checkTransport(custom, "custom");
  ok();
}

async function rooms() {
  step = "connect A, B, C";
  const counts = { A: 0, B: 0, C: 0 };
  const received = { A: [], B: [], C: [] };
  const make = (label) =>
    connect("/", { forceNew: true }, {
      "room-event": (...args) => {
        if (args[0] === "marker") return;
        counts[label]++;
        received[label].push(args);
        event("room-event", { socket: label, args });
      },
    });
  const a = make("A");
  const b = make("B");
  const c = make("C");
  await Promise.all([connected(a, "A"), connected(b, "B"), connected(c, "C")]);

  step = "A and B join r1; A, B and C join all";
  a.emit("join", "r1");
  b.emit("join", "r1");
  for (const s of [a, b, c]) s.emit("join", "all");
  // Events of one socket are handled in order: an ack after `join` proves the join happened.
  await Promise.all([a.emitWithAck("message-with-ack", "sync-A"), b.emitWithAck("message-with-ack", "sync-B"),
    c.emitWithAck("message-with-ack", "sync-C")]);
  event("joined", { sockets: ["A", "B"], room: "r1" });

  step = "A broadcast-room r1 -> room-event on A and B";
  const gotA = next(a, "room-event");
  const gotB = next(b, "room-event");
  a.emit("broadcast-room", { room: "r1", payload: "hi" });
  const [argsA, argsB] = await Promise.all([gotA, gotB]);
  assertEqual(argsA, ["hi"], "room-event on A");
  assertEqual(argsB, ["hi"], "room-event on B");

  // No waiting on a clock for what must not come: A broadcasts a marker to every socket after "hi"; each
  // connection receives in order, so once all three have the marker, anything "hi" caused has arrived.
  step = "marker to all after the r1 event";
  const markers = [a, b, c].map((s) => next(s, "room-event"));
  a.emit("broadcast-room", { room: "all", payload: "marker" });
  await Promise.all(markers);
  if (counts.A !== 1 || counts.B !== 1 || counts.C !== 0) {
    throw new Error(`room-event counts: expected A=1 B=1 C=0, got ${JSON.stringify(counts)} ${JSON.stringify(received)}`);
  }

  await Promise.all([checkTransport(a, "A"), checkTransport(b, "B"), checkTransport(c, "C")]);
  ok({ counts });
}

async function reconnect() {
  step = "connect /";
  const socket = connect("/", { reconnection: true, reconnectionDelay: 100, reconnectionDelayMax: 500 });
  let disconnects = 0;
  const reconnected = new Promise((resolve, reject) => {
    socket.on("disconnect", (reason, details) => {
      disconnects++;
      event("disconnect", { reason, description: details?.description?.message ?? details?.description ?? null });
      if (reason === "io server disconnect" || reason === "io client disconnect") {
        reject(new Error(`disconnect reason "${reason}" does not reconnect automatically`));
      }
    });
    socket.io.on("reconnect_attempt", (attempt) => event("reconnect_attempt", { attempt }));
    socket.io.on("reconnect_error", (err) => event("reconnect_error", { message: err.message }));
    socket.on("connect", () => {
      if (disconnects > 0) resolve();
    });
  });
  await connected(socket, "main", { quiet: true });
  await checkTransport(socket, "main");
  // The harness stops the server as soon as it sees this line, so it comes only once
  // the connection is fully established (and upgraded, in default mode).
  event("connected", { socket: "main", id: socket.id, transport: socket.io.engine.transport.name });

  step = "waiting for the server to go away and come back";
  await reconnected;
  event("reconnected", { id: socket.id, transport: socket.io.engine.transport.name });
  await checkTransport(socket, "main");

  step = "message after reconnect";
  const back = next(socket, "message-back");
  socket.emit("message", "after");
  const got = await back;
  event("message-back", { args: got });
  assertEqual(got, ["after"], "message-back after reconnect");
  ok({ disconnects });
}

// ---------------------------------------------------------------- main

setTimeout(() => fail(new Error(`timeout after ${timeoutMs} ms`)), timeoutMs).unref();
// Keep the process alive until the timeout even when no socket is open.
const keepAlive = setInterval(() => {}, 1 << 30);

event("start", { scenario: scenarioName, baseUrl, transports: mode, client: "socket.io-client" });
SCENARIOS[scenarioName]()
  .catch((e) => fail(e))
  .finally(() => clearInterval(keepAlive));
