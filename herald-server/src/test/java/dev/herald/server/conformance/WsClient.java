package dev.herald.server.conformance;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A WebSocket peer for the suites, on the JDK client: whole incoming messages (text as {@link String},
 * binary as {@code byte[]}) queue up in arrival order, and the connection's end (close frame, broken
 * connection) is recorded. The JDK hands messages over in parts: they are put together until the last part.
 * One message is requested at a time.
 */
final class WsClient implements WebSocket.Listener, AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(5);
    static final String PING = "2";
    static final String PONG = "3";
    static final Duration PROBE_INTERVAL = Duration.ofMillis(200);

    private final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    private volatile WebSocket webSocket;

    private WsClient() {}

    /** Connects and waits for the WebSocket handshake; fails the test if the server refuses it. */
    static WsClient connect(HttpClient http, URI uri) {
        WsClient client = new WsClient();
        try {
            client.webSocket = http.newWebSocketBuilder()
                    .connectTimeout(TIMEOUT)
                    .buildAsync(uri, client)
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return client;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("WebSocket " + uri + " did not open: " + e, e);
        }
    }

    /**
     * Tries a WebSocket handshake the server must refuse and returns the HTTP status of its refusal; fails
     * the test if the connection opens.
     */
    static int refusedStatus(HttpClient http, URI uri) {
        WsClient client = new WsClient();
        try {
            WebSocket opened = http.newWebSocketBuilder()
                    .connectTimeout(TIMEOUT)
                    .buildAsync(uri, client)
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            opened.abort();
            throw new AssertionError("WebSocket " + uri + " opened, expected a refusal");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new AssertionError("WebSocket " + uri + ": no answer within " + TIMEOUT, e);
        } catch (ExecutionException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof WebSocketHandshakeException refused) return refused.getResponse().statusCode();
            }
            throw new AssertionError("WebSocket " + uri + " failed without an HTTP answer: " + e.getCause(), e);
        }
    }

    // ------------------------------------------------------------------ listener

    @Override
    public void onOpen(WebSocket ws) {
        webSocket = ws;
        ws.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            messages.add(text.toString());
            text.setLength(0);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        byte[] part = new byte[data.remaining()];
        data.get(part);
        binary.writeBytes(part);
        if (last) {
            messages.add(binary.toByteArray());
            binary.reset();
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        closed.complete("close frame " + statusCode + " " + reason);
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        closed.complete("connection error " + error);
    }

    // ------------------------------------------------------------------ test API

    /** The next whole message ({@link String} or {@code byte[]}); fails the test if none comes in time. */
    Object next() {
        try {
            Object message = messages.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (message == null) {
                fail("no message within " + TIMEOUT + (closed.isDone() ? " (" + closed.getNow(null) + ")" : ""));
            }
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next whole message, or null if none comes within {@code timeout}. */
    Object poll(Duration timeout) {
        try {
            return messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next message, which must be text. */
    String nextText() {
        Object message = next();
        assertThat(message).as("next message").isInstanceOf(String.class);
        return (String) message;
    }

    /**
     * The next message that is not an Engine.IO ping, as the socket.io suite's {@code waitForPackets} reads
     * them; pings met on the way are answered, as a client would.
     */
    Object nextIgnoringPings() {
        while (true) {
            Object message = next();
            if (!PING.equals(message)) return message;
            send(PONG);
        }
    }

    /** Sends one text message, waiting until it is written. */
    synchronized void send(String message) {
        join(webSocket.sendText(message, true));
    }

    /** Sends one binary message, waiting until it is written. */
    synchronized void send(byte[] message) {
        join(webSocket.sendBinary(ByteBuffer.wrap(message), true));
    }

    /** Whether the end of the connection has been seen. */
    boolean isClosed() {
        return closed.isDone();
    }

    /**
     * Waits for the connection to end, leaving the queued messages alone (Engine.IO pings stay unanswered, as in
     * the suites); fails the test if it is still open after {@code within}.
     */
    String awaitClosed(Duration within) {
        return awaitClosed(within, false, new ArrayList<>());
    }

    String awaitClosed() {
        return awaitClosed(TIMEOUT);
    }

    /**
     * Waits for the connection to end while answering Engine.IO pings, so that a ping timeout cannot be what
     * ends it; returns the other messages that came meanwhile.
     */
    List<Object> awaitClosedAnsweringPings(Duration within) {
        List<Object> others = new ArrayList<>();
        awaitClosed(within, true, others);
        return others;
    }

    /**
     * The JDK client (17) sometimes misses the end of a connection the server closes without a close frame: the
     * socket stays in CLOSE_WAIT and neither {@code onClose} nor {@code onError} is called. So while waiting,
     * the connection is probed now and then with a WebSocket ping frame (a control frame, invisible to
     * Engine.IO): writes to a connection the server has closed fail after the peer's reset, which shows the end
     * as surely as the callbacks would.
     */
    private String awaitClosed(Duration within, boolean answerPings, List<Object> others) {
        long deadline = System.nanoTime() + within.toNanos();
        long nextProbe = System.nanoTime() + PROBE_INTERVAL.toNanos();
        while (!closed.isDone()) {
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                throw new AssertionError("WebSocket still open after " + within + "; messages: " + others + messages);
            }
            if (answerPings) {
                Object message = poll(Duration.ofMillis(20));
                if (PING.equals(message)) {
                    if (!trySend(() -> webSocket.sendText(PONG, true))) break;
                } else if (message != null) {
                    others.add(message);
                }
            } else {
                try {
                    closed.get(20, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // not yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e);
                }
            }
            if (!closed.isDone() && System.nanoTime() - nextProbe >= 0) {
                nextProbe = System.nanoTime() + PROBE_INTERVAL.toNanos();
                if (!trySend(() -> webSocket.sendPing(ByteBuffer.allocate(0)))) break;
            }
        }
        if (answerPings) messages.drainTo(others);
        return closed.getNow(null);
    }

    /** Sends; false when the write failed, which then counts as the end of the connection. */
    private synchronized boolean trySend(Supplier<CompletableFuture<WebSocket>> send) {
        try {
            send.get().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            closed.complete("write failed: " + e.getCause());
            return false;
        } catch (TimeoutException e) {
            throw new AssertionError("send did not complete within " + TIMEOUT, e);
        }
    }

    @Override
    public void close() {
        WebSocket ws = webSocket;
        if (ws != null) ws.abort();
    }

    private static void join(CompletableFuture<WebSocket> sent) {
        try {
            sent.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("send failed: " + e, e);
        }
    }
}
