package dev.herald.core;

/** A broker message that is not a Laravel broadcast payload; {@link #kind()} is a stable key for counting. */
public final class MalformedMessageException extends Exception {

    private final String kind;

    public MalformedMessageException(String kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public String kind() { return kind; }
}
