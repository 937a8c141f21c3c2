package dev.herald.socketio.engineio;

/** Told of each new Engine.IO session, on the session's event loop, before any packet of it is handled. */
@FunctionalInterface
public interface EngineIoListener {

    /** @return the handler of the session's packets; never {@code null} */
    SessionHandler onOpen(EngineIoSession session);
}
