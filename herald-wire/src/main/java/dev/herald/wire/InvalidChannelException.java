package dev.herald.wire;

/** A channel name that Herald does not accept; the message says why and is safe to show to a client. */
public final class InvalidChannelException extends IllegalArgumentException {
    public InvalidChannelException(String message) {
        super(message);
    }
}
