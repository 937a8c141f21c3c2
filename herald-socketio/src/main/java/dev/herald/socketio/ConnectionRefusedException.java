package dev.herald.socketio;

/** Thrown by a {@link ConnectGuard} to refuse a namespace connection; the client sees {@code message} and {@code data}. */
public class ConnectionRefusedException extends Exception {

    private final transient Object data;

    public ConnectionRefusedException(String message) {
        this(message, null);
    }

    /** @param data extra detail sent to the client as the error's {@code data} (serialized with Jackson) */
    public ConnectionRefusedException(String message, Object data) {
        super(message, null, false, false);
        this.data = data;
    }

    public Object data() { return data; }
}
