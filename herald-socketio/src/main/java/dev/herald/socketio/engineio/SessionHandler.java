package dev.herald.socketio.engineio;

/**
 * What the layer above Engine.IO (Socket.IO, or a plain echo in the conformance server) does with a
 * session. Every callback runs on the session's event loop, one at a time, so an implementation needs
 * no locking for state it only touches from these callbacks.
 */
public interface SessionHandler {

    /** A text {@code message} packet arrived; {@code data} is its payload without the type digit. */
    void onMessage(EngineIoSession session, String data);

    /** A binary {@code message} packet arrived. The array is the handler's to keep. */
    void onBinary(EngineIoSession session, byte[] data);

    /** The session closed; it sends nothing more. Called exactly once. */
    void onClose(EngineIoSession session, String reason);
}
