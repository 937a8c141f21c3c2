#!/usr/bin/env bash
# Runs the server expected by the official protocol test suites, in the foreground, on port 3000.
#
#   scripts/conformance-server.sh engineio   # then: engine.io-protocol/test-suite: npm ci && npm test
#   scripts/conformance-server.sh socketio   # then: socket.io-protocol/test-suite: npm ci && npm test
#
# Builds herald.jar first if needed (through the ./herald launcher). Stop with Ctrl-C.
set -euo pipefail

usage() {
  echo "usage: $(basename "$0") engineio|socketio" >&2
  echo "  Runs 'herald conformance <mode>' on port 3000 for the engine.io-protocol or socket.io-protocol test suite." >&2
  exit "${1:-2}"
}

[ $# -eq 1 ] || usage
case "$1" in
  engineio|socketio) ;;
  -h|--help) usage 0 ;;
  *) echo "error: unknown mode '$1'" >&2; usage ;;
esac

ROOT="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$ROOT/herald" conformance "$1"
