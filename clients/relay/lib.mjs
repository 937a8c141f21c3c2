// Shared plumbing of the relay client scripts (echo-client, socketio-client, tutorial-client).
//
// Output protocol: every stdout line is one JSON object with a "type" field. The Java tests
// (dev.herald.socketio.testing.NodeScript, in herald-socketio's test-jar) read these lines and wait on them.
// Input protocol: every stdin line is one JSON command {"op": ...}; closing stdin ends the script.

/** Writes one JSON line to stdout. */
export function print(obj) {
  process.stdout.write(JSON.stringify(obj) + "\n");
}

/**
 * Parses `--name value` / `--flag` arguments after the positional ones.
 * Repeated options collect into arrays when listed in `multi`.
 *
 * @param {string[]} argv      arguments
 * @param {object}   spec      {flags: [...names without value], multi: [...names that repeat]}
 */
export function parseArgs(argv, { flags = [], multi = [] } = {}) {
  const positional = [];
  const options = {};
  for (const m of multi) options[m] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    let name = arg.slice(2);
    let value;
    const eq = name.indexOf("=");
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    } else if (flags.includes(name)) {
      value = true;
    } else {
      if (i + 1 >= argv.length) fatal(`option --${name} needs a value`);
      value = argv[++i];
    }
    if (multi.includes(name)) options[name].push(value);
    else options[name] = value;
  }
  return { positional, options };
}

/** `websocket` | `polling` | `default` (polling, then upgrade) → socket.io-client `transports` option. */
export function transportsOption(name) {
  switch (name ?? "default") {
    case "websocket":
      return { transports: ["websocket"] };
    case "polling":
      return { transports: ["polling"] };
    case "default":
      return {};
    default:
      fatal(`--transports must be websocket, polling or default, was '${name}'`);
  }
}

/** Prints the problem and exits 2 (usage errors). */
export function fatal(message) {
  print({ type: "fatal", error: message });
  exitSoon(2);
}

/** Exits once stdout has drained. */
export function exitSoon(code) {
  process.stdout.write("", () => process.exit(code));
  setTimeout(() => process.exit(code), 500).unref();
}

/**
 * Reads JSON commands from stdin, one per line, and calls `handler(command)`; on end of stdin
 * (the test closed it, or the parent died) calls `onEnd`. A command that throws is reported as
 * {"type":"command-error"}.
 */
export function readCommands(handler, onEnd) {
  let buffer = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => {
    buffer += chunk;
    let nl;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      if (!line) continue;
      let command;
      try {
        command = JSON.parse(line);
      } catch (e) {
        print({ type: "command-error", line, error: e.message });
        continue;
      }
      try {
        handler(command);
      } catch (e) {
        print({ type: "command-error", command, error: e.message });
      }
    }
  });
  process.stdin.on("end", onEnd);
}

/** A safety net: the script never outlives `ms` (a test that forgot to close it). */
export function lifetime(ms) {
  setTimeout(() => {
    print({ type: "lifetime-exceeded", ms });
    exitSoon(3);
  }, ms).unref();
}

/**
 * Reports the engine's transport when it opens ({"type":"open","transport":...}, before the
 * Socket.IO "connect") and at every upgrade ({"type":"upgrade",...}), for the sockets of one
 * manager (reconnection creates a new engine).
 */
export function trackTransport(socket, extra = {}) {
  const manager = socket.io;
  const attach = () => {
    const engine = manager.engine;
    if (!engine || engine.__heraldTracked) return;
    engine.__heraldTracked = true;
    engine.on("upgrade", (transport) => print({ type: "upgrade", ...extra, transport: transport.name }));
  };
  attach();
  manager.on("open", () => {
    attach();
    print({ type: "open", ...extra, transport: manager.engine.transport.name });
  });
}
