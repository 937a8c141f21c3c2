package dev.herald.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.socketio.testing.NodeScript;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * The flaw of the system Herald replaces was that every event went to every socket. Here 20 sockets (three
 * node processes: two on WebSocket, one on long-polling) hold 12 channels, some shared, one socket two of
 * them; a burst of events goes to random channels (some without subscribers) from two publishers at once,
 * in-process and over the HTTP API. Each socket must receive exactly its own channels' events: none foreign,
 * none lost, none twice, each publisher's events in their order.
 */
class IsolationTest extends RelayTestBase {

    // Not "default" (polling upgraded to WebSocket) until the lost-flush bug after an upgrade is fixed: see
    // LaravelEchoRelayTest.aBurstReachesUpgradedEchoClientsCompletelyAndInOrder.
    private static final List<String> TRANSPORTS = List.of("websocket", "polling", "websocket");
    private static final int SOCKETS = 20;
    private static final int CHANNELS = 12;
    private static final int EVENTS_PER_PUBLISHER = 200;

    /** One received or expected event: which publisher, its sequence number, the channel it was sent to. */
    private record Receipt(String publisher, int seq, String channel) {}

    @Test
    void eachSocketReceivesExactlyItsOwnChannelsEvents() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String run = unique("iso");
        List<String> channels = new ArrayList<>();
        for (int c = 0; c < CHANNELS; c++) channels.add(run + ".c" + c);
        String ghost = run + ".nobody"; // published to, subscribed by no one

        // socket k (0..19) subscribes channel k % 12: sockets 12..19 share with 0..7; socket 19 also holds c9
        List<Set<String>> subscriptions = new ArrayList<>();
        for (int k = 0; k < SOCKETS; k++) {
            Set<String> own = new LinkedHashSet<>();
            own.add(channels.get(k % CHANNELS));
            if (k == 19) own.add(channels.get(9));
            subscriptions.add(own);
        }
        // socket k lives in process k % 3 as its socket number k / 3
        List<NodeScript> processes = new ArrayList<>();
        for (int p = 0; p < TRANSPORTS.size(); p++) {
            List<Set<String>> own = new ArrayList<>();
            for (int k = p; k < SOCKETS; k += TRANSPORTS.size()) own.add(subscriptions.get(k));
            processes.add(startProcess(TRANSPORTS.get(p), own));
        }
        for (NodeScript process : processes) process.await("all-ready");

        // the burst: two publishers at once, each to random channels (the ghost one included)
        List<String> targets = new ArrayList<>(channels);
        targets.add(ghost);
        List<Receipt> inProcess = new ArrayList<>();
        List<Receipt> overHttp = new ArrayList<>();
        for (int i = 0; i < EVENTS_PER_PUBLISHER; i++) {
            inProcess.add(new Receipt("node", i, targets.get(random.nextInt(targets.size()))));
            overHttp.add(new Receipt("http", i, targets.get(random.nextInt(targets.size()))));
        }
        ExecutorService publishers = Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<Void> a = CompletableFuture.runAsync(() -> {
                for (Receipt r : inProcess) publish(r.channel(), "order.paid", data(r));
            }, publishers);
            CompletableFuture<Void> b = CompletableFuture.runAsync(() -> {
                for (Receipt r : overHttp) publishHttp(r.channel(), "order.paid", data(r), null);
            }, publishers);
            CompletableFuture.allOf(a, b).join();
        } finally {
            publishers.shutdown();
        }

        // markers after the burst, on every channel: once a socket has its markers, everything before is in
        for (String channel : channels) publish(channel, "marker", "{}");
        for (int k = 0; k < subscriptions.size(); k++) {
            NodeScript process = processes.get(k % TRANSPORTS.size());
            int index = k / TRANSPORTS.size();
            process.awaitCount(l -> isEvent(l, index) && l.path("event").asText().equals("marker"),
                    subscriptions.get(k).size(), "markers at socket " + index);
        }

        List<Receipt> all = new ArrayList<>(inProcess);
        all.addAll(overHttp);
        for (int k = 0; k < subscriptions.size(); k++) {
            NodeScript process = processes.get(k % TRANSPORTS.size());
            int index = k / TRANSPORTS.size();
            Set<String> own = subscriptions.get(k);
            List<JsonNode> lines = process.lines(l -> isEvent(l, index));
            List<Receipt> received = new ArrayList<>();
            List<String> markers = new ArrayList<>();
            for (JsonNode line : lines) {
                if (line.path("event").asText().equals("marker")) {
                    markers.add(line.path("channel").asText());
                    continue;
                }
                JsonNode d = line.path("data");
                received.add(new Receipt(d.path("publisher").asText(), d.path("seq").asInt(), line.path("channel").asText()));
                assertThat(d.path("channel").asText()).as("channel argument = channel in the data (seed %s)", seed)
                        .isEqualTo(line.path("channel").asText());
            }
            String what = "socket " + k + " (" + TRANSPORTS.get(k % TRANSPORTS.size()) + ") on " + own + " (seed " + seed + ")";
            assertThat(markers).as("markers of %s", what).containsExactlyInAnyOrderElementsOf(own);
            assertThat(received).as("foreign events at %s", what).allMatch(r -> own.contains(r.channel()));
            List<Receipt> expected = all.stream().filter(r -> own.contains(r.channel())).toList();
            assertThat(received).as("events of %s", what).containsExactlyInAnyOrderElementsOf(expected);
            for (String publisher : List.of("node", "http")) {
                assertThat(received.stream().filter(r -> r.publisher().equals(publisher)).map(Receipt::seq).toList())
                        .as("order of %s's events at %s", publisher, what).isSorted();
            }
        }
        Map<String, Integer> expectedCounts = new HashMap<>();
        for (Set<String> own : subscriptions) for (String c : own) expectedCounts.merge(c, 1, Integer::sum);
        assertThat(server.node().channelCounts()).isEqualTo(expectedCounts);
    }

    private NodeScript startProcess(String transports, List<Set<String>> subscriptions) {
        List<String> args = new ArrayList<>(List.of("--transports", transports));
        for (Set<String> own : subscriptions) {
            args.add("--socket");
            args.add(String.join(",", own));
        }
        return socketIoClient(args.toArray(String[]::new));
    }

    private static boolean isEvent(JsonNode line, int socket) {
        return line.path("type").asText().equals("event") && line.path("socket").asInt() == socket;
    }

    private static String data(Receipt r) {
        return "{\"publisher\":\"" + r.publisher() + "\",\"seq\":" + r.seq() + ",\"channel\":\"" + r.channel() + "\"}";
    }
}
