package dev.herald.socketio.engineio;

/**
 * The error answers of the Engine.IO handshake and request verification, with the codes and messages
 * the Node.js reference server sends (clients and load balancers log them verbatim).
 */
public enum EngineIoError {
    UNKNOWN_TRANSPORT(0, "Transport unknown"),
    UNKNOWN_SID(1, "Session ID unknown"),
    BAD_HANDSHAKE_METHOD(2, "Bad handshake method"),
    BAD_REQUEST(3, "Bad request"),
    FORBIDDEN(4, "Forbidden"),
    UNSUPPORTED_PROTOCOL_VERSION(5, "Unsupported protocol version");

    private final int code;
    private final String message;

    EngineIoError(int code, String message) {
        this.code = code;
        this.message = message;
    }

    public int code() { return code; }

    public String message() { return message; }

    /** The JSON body of the HTTP 400/403 answer. */
    public String json() {
        return "{\"code\":" + code + ",\"message\":\"" + message + "\"}";
    }
}
