package dev.herald.server;

/** Placeholder: replaced by the real conformance server once herald-socketio's API lands. */
public final class ConformanceServer {
    private ConformanceServer() {}

    /** Runs in the foreground on port 3000 until the JVM is stopped. mode: engineio | socketio. */
    public static void run(String mode) throws Exception {
        throw new UnsupportedOperationException("not yet");
    }
}
