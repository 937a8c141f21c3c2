package dev.herald.socketio.parser;

/** Socket.IO v5 packet types; the wire form starts with the type digit. */
public enum PacketType {
    CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR, BINARY_EVENT, BINARY_ACK;

    public char code() { return (char) ('0' + ordinal()); }

    public boolean isBinary() { return this == BINARY_EVENT || this == BINARY_ACK; }

    /** @return the type of a wire digit, or {@code null} */
    public static PacketType of(char c) {
        return c >= '0' && c <= '6' ? values()[c - '0'] : null;
    }
}
