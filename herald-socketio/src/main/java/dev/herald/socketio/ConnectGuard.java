package dev.herald.socketio;

/**
 * Decides whether a client may join a namespace, before its socket exists (like a socket.io middleware).
 * Runs on the connection's event loop; keep it quick.
 */
@FunctionalInterface
public interface ConnectGuard {

    /** @throws ConnectionRefusedException to refuse: the client gets CONNECT_ERROR with the message */
    void check(Handshake handshake) throws ConnectionRefusedException;
}
