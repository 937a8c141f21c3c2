package dev.herald.socketio.engineio;

/** Engine.IO v4 packet types; the wire form of a text packet is {@code <digit><payload>}. */
public enum PacketType {
    OPEN('0'), CLOSE('1'), PING('2'), PONG('3'), MESSAGE('4'), UPGRADE('5'), NOOP('6');

    /** By wire digit; {@code values()} would copy the array for every packet received. */
    private static final PacketType[] BY_DIGIT = values();

    private final char code;

    PacketType(char code) { this.code = code; }

    public char code() { return code; }

    /** @return the type for a wire digit, or {@code null} when the character is not a packet type */
    public static PacketType of(char c) {
        return c >= '0' && c <= '6' ? BY_DIGIT[c - '0'] : null;
    }
}
