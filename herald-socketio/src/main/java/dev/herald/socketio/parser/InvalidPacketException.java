package dev.herald.socketio.parser;

/** The peer sent something that is not a valid Socket.IO packet; the spec closes the connection. */
public final class InvalidPacketException extends Exception {

    public InvalidPacketException(String message) {
        super(message, null, false, false);
    }
}
