package dev.herald.core;

/** A broker could not do what was asked (not running, not connected, rejected by the server). */
public class BrokerException extends RuntimeException {
    public BrokerException(String message) {
        super(message);
    }

    public BrokerException(String message, Throwable cause) {
        super(message, cause);
    }
}
