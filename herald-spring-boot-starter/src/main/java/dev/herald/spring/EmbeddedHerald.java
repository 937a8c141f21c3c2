package dev.herald.spring;

import dev.herald.core.Node;
import dev.herald.server.HeraldServer;
import java.util.Objects;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * The Herald server embedded in the application ({@code herald.server.embedded=true}): started when the context has
 * been refreshed, before the web server accepts requests, and closed on shutdown, after the web server has drained.
 * It runs on the in-memory broker: the {@code memory} broadcast driver hands publications to its {@link #node()}.
 *
 * <p>With {@code herald.server.port=0} the server binds a free port; {@link #port()} is the bound one.
 */
public class EmbeddedHerald implements SmartLifecycle, DisposableBean {

    /** Starts before, and stops after, Spring Boot's web server (whose phase is {@code DEFAULT_PHASE - 1024}). */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final HeraldServer server;
    private boolean running;
    private boolean closed;

    public EmbeddedHerald(HeraldServer server) {
        this.server = Objects.requireNonNull(server, "server");
    }

    @Override
    public synchronized void start() {
        if (running) return;
        if (closed) throw new IllegalStateException("the embedded Herald server was stopped and cannot be restarted");
        server.start();
        running = true;
    }

    @Override
    public synchronized void stop() {
        if (!running) return;
        running = false;
        closed = true;
        server.close();
    }

    @Override
    public synchronized boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** Closes the server if it was never stopped (a failed refresh). */
    @Override
    public void destroy() {
        stop();
    }

    /**
     * The port the server listens on (the bound one with {@code herald.server.port=0}).
     *
     * @throws IllegalStateException when the server is not running
     */
    public synchronized int port() {
        if (!running) throw new IllegalStateException("the embedded Herald server is not running");
        return server.port();
    }

    /** The server's node: publish to it, or subscribe a {@code dev.herald.core.Subscriber} (tests). */
    public Node node() {
        return server.node();
    }

    /** The key of the server's HTTP API ({@code herald.server.api-key}, or the generated one). */
    public String apiKey() {
        return server.config().apiKey();
    }

    /** The app id of the HTTP API paths ({@code /apps/<appId>/...}). */
    public String appId() {
        return server.config().appId();
    }

    /** The server itself. */
    public HeraldServer server() {
        return server;
    }
}
