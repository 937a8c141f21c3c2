package dev.herald.server.conformance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP side of the suites: plain requests on the Engine.IO path of one server, over HTTP/1.1 (the JDK
 * client would otherwise try an h2c upgrade). Every request has a deadline so a hanging long-poll fails
 * the test instead of blocking it.
 */
final class Polling {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    record Response(int status, String body) {}

    private final HttpClient http;
    private final String base;

    /** {@code path} as configured on the server, e.g. {@code /engine.io/}. */
    Polling(HttpClient http, int port, String path) {
        this.http = http;
        this.base = "http://localhost:" + port + path;
    }

    static HttpClient newHttpClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** The WebSocket address of the same path, {@code query} appended. */
    URI wsUri(String query) {
        return URI.create(base.replaceFirst("^http", "ws") + "?" + query);
    }

    Response get(String query) {
        return await(getAsync(query));
    }

    Response post(String query, String body) {
        return await(postAsync(query, body));
    }

    Response send(String method, String query, String body) {
        return await(sendAsync(method, query, body));
    }

    CompletableFuture<Response> getAsync(String query) {
        return sendAsync("GET", query, null);
    }

    CompletableFuture<Response> postAsync(String query, String body) {
        return sendAsync("POST", query, body);
    }

    CompletableFuture<Response> sendAsync(String method, String query, String body) {
        HttpRequest.BodyPublisher publisher = body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "?" + query))
                .timeout(REQUEST_TIMEOUT)
                .method(method, publisher)
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .thenApply(r -> new Response(r.statusCode(), r.body()));
    }

    /** The status of a GET, or -1 when the request failed at the connection level. */
    int getStatus(String query) {
        return sendStatus("GET", query, null);
    }

    /** The status of a request, or -1 when it failed at the connection level. */
    int sendStatus(String method, String query, String body) {
        try {
            return send(method, query, body).status();
        } catch (IllegalStateException e) {
            return -1;
        }
    }

    // ------------------------------------------------------------------ Engine.IO long-polling

    static String sessionQuery(String sid) {
        return "EIO=4&transport=polling&sid=" + sid;
    }

    /** Opens a long-polling session (the suites' {@code initLongPollingSession}) and returns its sid. */
    String openSession() {
        Response response = get("EIO=4&transport=polling");
        assertThat(response.status()).as("handshake status").isEqualTo(200);
        assertThat(response.body()).as("handshake body").startsWith("0");
        Object sid = Json.parseObject(response.body().substring(1)).get("sid");
        assertThat(sid).as("sid").isInstanceOf(String.class);
        return (String) sid;
    }

    /** A GET on the session: waits for the server's next payload. */
    Response poll(String sid) {
        return get(sessionQuery(sid));
    }

    /** A POST on the session carrying {@code payload}. */
    Response push(String sid, String payload) {
        return post(sessionQuery(sid), payload);
    }

    /** Asserts an open packet ({@code 0} then JSON) carries exactly what the suites' server announces. */
    static void assertOpenPacket(String packet, Object upgrades) {
        assertThat(packet).startsWith("0");
        Map<String, Object> open = Json.parseObject(packet.substring(1));
        assertThat(open).containsOnlyKeys("sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload");
        assertThat(open.get("sid")).isInstanceOf(String.class);
        assertThat(open.get("upgrades")).isEqualTo(upgrades);
        assertThat(open.get("pingInterval")).isEqualTo(300L);
        assertThat(open.get("pingTimeout")).isEqualTo(200L);
        assertThat(open.get("maxPayload")).isEqualTo(1_000_000L);
    }

    static Response await(CompletableFuture<Response> future) {
        try {
            return future.get(REQUEST_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new IllegalStateException("request failed: " + cause, cause instanceof IOException ? cause : e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no response within " + REQUEST_TIMEOUT, e);
        }
    }
}
