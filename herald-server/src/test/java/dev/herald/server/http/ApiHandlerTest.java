package dev.herald.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.core.DeliverySink;
import dev.herald.core.Subscriber;
import dev.herald.server.HeraldServer;
import dev.herald.server.ServerConfig;
import dev.herald.wire.ChannelName;
import dev.herald.wire.Publication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The HTTP API beside Socket.IO ({@link ApiHandler}) on a real server: publishing, the channel queries, health,
 * authentication and the errors. Subscribers are in-process recorders on the node, so what a publish delivers is
 * observed exactly (the memory broker delivers before the HTTP response is written).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiHandlerTest {

    static final String KEY = "http-test-key-4567";
    static final ObjectMapper JSON = new ObjectMapper();

    HeraldServer server;
    HttpClient http;
    final List<Recorder> recorders = new ArrayList<>();

    /** An in-process subscriber recording what it is handed (identity equality, as the hub expects). */
    static final class Recorder implements Subscriber, DeliverySink {
        private final String id;
        private final List<Publication> received = new CopyOnWriteArrayList<>();

        Recorder(String id) { this.id = id; }

        List<Publication> received() { return received; }

        @Override public String id() { return id; }

        @Override public DeliverySink sink() { return this; }

        @Override public void deliver(Publication publication, List<Subscriber> targets) {
            for (Subscriber t : targets) ((Recorder) t).received.add(publication);
        }
    }

    @BeforeAll
    void start() {
        server = new HeraldServer(ServerConfig.defaults(KEY).withPort(0)).start();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    void stop() {
        if (server != null) server.close();
    }

    @AfterEach
    void unsubscribeRecorders() {
        for (Recorder r : recorders) server.node().disconnect(r);
        recorders.clear();
        assertThat(server.node().channelCounts()).isEmpty();
    }

    Recorder subscribe(String id, String... channels) {
        Recorder r = new Recorder(id);
        recorders.add(r);
        for (String c : channels) server.node().subscribe(ChannelName.of(c), r).toCompletableFuture().join();
        return r;
    }

    // ------------------------------------------------------------------ HTTP plumbing

    record Response(int status, String body, String contentType) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }

    Response send(String method, String path, String body, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) b.header("Authorization", authorization);
        if (body != null) b.header("Content-Type", "application/json");
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Response post(String path, String body) { return send("POST", path, body, "Bearer " + KEY); }

    Response get(String path) { return send("GET", path, null, "Bearer " + KEY); }

    static void assertError(Response r, int status, String containing) {
        assertThat(r.status()).as("status of %s", r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.json().path("error").asText()).as("error of %s", r.body()).contains(containing);
    }

    // ------------------------------------------------------------------ publishing

    @Test
    void publishDeliversTheDataVerbatim() {
        Recorder r = subscribe("s1", "orders");
        String data = "{\"order\":{\"id\":42,\"total\":\"19.99\",\"items\":[1,2.5,null,true]},\"name\":\"支付成功 🎉\"}";
        Response response = post("/apps/herald/events", "{\"channel\":\"orders\",\"name\":\"order.paid\",\"data\":" + data + "}");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json()).isEqualTo(JSON.valueToTree(java.util.Map.of("message", "ok")));
        assertThat(r.received()).containsExactly(new Publication(ChannelName.of("orders"), "order.paid", data, null));
    }

    @Test
    void publishToSeveralChannelsAndPusherStyleStringData() {
        Recorder a = subscribe("a", "a");
        Recorder b = subscribe("b", "b");
        Response response = post("/apps/herald/events",
                "{\"channels\":[\"a\",\"b\",\"a\"],\"name\":\"e\",\"data\":\"{\\\"x\\\": [1, 2]}\"}");
        assertThat(response.status()).isEqualTo(200);
        assertThat(a.received()).extracting(Publication::data).containsExactly("{\"x\":[1,2]}");
        assertThat(b.received()).extracting(Publication::data).containsExactly("{\"x\":[1,2]}");

        post("/apps/herald/events", "{\"channel\":\"a\",\"name\":\"e\",\"data\":\"just text\"}");
        post("/apps/herald/events", "{\"channel\":\"a\",\"name\":\"e\"}");
        assertThat(a.received()).extracting(Publication::data).containsExactly("{\"x\":[1,2]}", "\"just text\"", "{}");
    }

    @Test
    void socketIdLeavesOutThatSubscriber() {
        Recorder one = subscribe("sock-1", "orders");
        Recorder two = subscribe("sock-2", "orders");
        Response response = post("/apps/herald/events", "{\"channel\":\"orders\",\"name\":\"e\",\"data\":{},\"socket_id\":\"sock-1\"}");
        assertThat(response.status()).isEqualTo(200);
        assertThat(one.received()).isEmpty();
        assertThat(two.received()).extracting(Publication::socket).containsExactly("sock-1");
    }

    @Test
    void authentication() {
        String body = "{\"channel\":\"orders\",\"name\":\"e\",\"data\":{}}";
        assertError(send("POST", "/apps/herald/events", body, null), 401, "API key");
        assertError(send("POST", "/apps/herald/events", body, "Bearer wrong-key-000"), 401, "API key");
        assertError(send("POST", "/apps/herald/events", body, "Bearer " + KEY + "x"), 401, "API key");
        assertError(send("POST", "/apps/herald/events", body, "Basic " + KEY), 401, "API key");
        assertError(send("POST", "/apps/herald/events?auth_key=wrong-key-000", body, null), 401, "API key");
        assertError(send("GET", "/apps/herald/channels", null, null), 401, "API key");
        assertError(send("GET", "/apps/herald/channels/orders", null, null), 401, "API key");

        assertThat(send("POST", "/apps/herald/events?auth_key=" + KEY, body, null).status()).isEqualTo(200);
        assertThat(send("POST", "/apps/herald/events", body, "bearer " + KEY).status()).isEqualTo(200);
        assertThat(send("GET", "/apps/herald/channels?auth_key=" + KEY, null, null).status()).isEqualTo(200);
    }

    @Test
    void badRequests() {
        Recorder r = subscribe("s", "orders");
        assertError(post("/apps/herald/events", "{\"channel\":\"orders\",\"name\":"), 400, "invalid JSON");
        assertError(post("/apps/herald/events", "not json at all"), 400, "invalid JSON");
        assertError(post("/apps/herald/events", ""), 400, "JSON");
        assertError(post("/apps/herald/events", "[1,2]"), 400, "JSON object");
        assertError(post("/apps/herald/events", "{\"channel\":\"orders\",\"data\":{}}"), 400, "\"name\"");
        assertError(post("/apps/herald/events", "{\"channel\":\"orders\",\"name\":\"\"}"), 400, "\"name\"");
        assertError(post("/apps/herald/events", "{\"channel\":\"orders\",\"name\":7}"), 400, "\"name\"");
        assertError(post("/apps/herald/events", "{\"name\":\"e\",\"data\":{}}"), 400, "\"channel\"");
        assertError(post("/apps/herald/events", "{\"channels\":[],\"name\":\"e\"}"), 400, "\"channel\"");
        assertError(post("/apps/herald/events", "{\"channel\":5,\"name\":\"e\"}"), 400, "\"channel\"");
        assertError(post("/apps/herald/events", "{\"channels\":\"orders\",\"name\":\"e\"}"), 400, "\"channels\"");
        assertError(post("/apps/herald/events", "{\"channel\":\"bad name\",\"name\":\"e\"}"), 400, "invalid character");
        assertError(post("/apps/herald/events", "{\"channel\":\"\",\"name\":\"e\"}"), 400, "empty");
        assertError(post("/apps/herald/events", "{\"channel\":\"" + "x".repeat(201) + "\",\"name\":\"e\"}"), 400, "longer");
        // one bad channel among good ones: nothing is published
        assertError(post("/apps/herald/events", "{\"channels\":[\"orders\",\"bad/name\"],\"name\":\"e\"}"), 400, "invalid character");
        assertError(post("/apps/herald/events", "{\"channel\":\"orders\",\"name\":\"" + "e".repeat(201) + "\"}"), 400, "\"name\"");
        assertThat(r.received()).isEmpty();
    }

    @Test
    void unknownAppAndEndpoints() {
        String body = "{\"channel\":\"orders\",\"name\":\"e\"}";
        assertError(post("/apps/other/events", body), 404, "unknown app");
        assertError(send("POST", "/apps/other/events", body, null), 401, "API key");
        assertError(get("/apps/other/channels"), 404, "unknown app");
        assertError(get("/apps/herald/nothing"), 404, "no such endpoint");
        assertError(get("/no/such/page"), 404, "no such endpoint");
    }

    @Test
    void wrongMethodsGet405() {
        assertError(get("/apps/herald/events"), 405, "method");
        assertError(send("PUT", "/apps/herald/events", "{}", "Bearer " + KEY), 405, "method");
        assertError(send("DELETE", "/apps/herald/channels", null, "Bearer " + KEY), 405, "method");
        assertError(post("/apps/herald/channels", "{}"), 405, "method");
        assertError(post("/apps/herald/channels/orders", "{}"), 405, "method");
        assertError(post("/health", "{}"), 405, "method");
    }

    @Test
    void aBodyOverMaxPayloadIsRefusedWith413() throws IOException {
        // headers only: the declared length alone must get the refusal, before any body is read
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            String head = "POST /apps/herald/events HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + KEY
                    + "\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            assertThat(statusLine).startsWith("HTTP/1.1 413");
        }
    }

    // ------------------------------------------------------------------ queries

    @Test
    void channelCounts() {
        subscribe("s1", "orders", "orders.1", "chat");
        subscribe("s2", "orders");
        subscribe("s3", "orders", "chat");

        JsonNode all = get("/apps/herald/channels").json();
        assertThat(all).isEqualTo(json("{\"channels\":{"
                + "\"chat\":{\"subscription_count\":2,\"occupied\":true},"
                + "\"orders\":{\"subscription_count\":3,\"occupied\":true},"
                + "\"orders.1\":{\"subscription_count\":1,\"occupied\":true}}}"));
        assertThat(get("/apps/herald/channels?filter_by_prefix=orders").json().get("channels").properties())
                .extracting(java.util.Map.Entry::getKey).containsExactly("orders", "orders.1");

        assertThat(get("/apps/herald/channels/orders").json()).isEqualTo(json("{\"subscription_count\":3,\"occupied\":true}"));
        assertThat(get("/apps/herald/channels/nobody").json()).isEqualTo(json("{\"subscription_count\":0,\"occupied\":false}"));
        assertThat(get("/apps/herald/channels/orders%2E1").json().path("subscription_count").asInt()).isEqualTo(1);
        assertError(get("/apps/herald/channels/bad%20name"), 400, "invalid character");

        server.node().disconnect(recorders.get(0));
        assertThat(get("/apps/herald/channels").json().get("channels").properties())
                .extracting(java.util.Map.Entry::getKey).containsExactly("chat", "orders");
    }

    @Test
    void health() {
        Response r = send("GET", "/health", null, null);
        assertThat(r.status()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.path("status").asText()).isEqualTo("ok");
        assertThat(body.path("broker").asText()).isEqualTo("memory");
        assertThat(body.path("brokerHealthy").asBoolean()).isTrue();
        assertThat(body.path("appId").asText()).isEqualTo("herald");
        assertThat(body.has("connections")).isTrue();
        assertThat(body.has("published")).isTrue();
        assertThat(body.has("uptimeSeconds")).isTrue();
        assertThat(body.path("slowConsumersClosed").isIntegralNumber()).as("slowConsumersClosed in %s", body).isTrue();
        assertThat(body.path("overloadShed").asLong(-1)).as("overloadShed in %s", body).isZero();
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
