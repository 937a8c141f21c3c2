package dev.herald.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a bench run's results: {@code results.json} (every figure of every run), {@code results.md} (one table per
 * scenario point: Herald, reference, and the ratio Herald / reference) and PNG plots rendered from the same results
 * ({@code latency-vs-load.png}, {@code throughput-vs-load.png}, {@code memory-vs-connections.png}).
 */
final class Report {

    static final Color HERALD = new Color(0, 114, 178);
    static final Color REFERENCE = new Color(213, 94, 0);

    private static final Map<String, List<Figure>> ROWS = Map.of(
            "broadcast", List.of(Figure.CONNECTED, Figure.PUBLISHED, Figure.EXPECTED, Figure.DELIVERED, Figure.LOST,
                    Figure.FOREIGN, Figure.DELIVERED_PER_S, Figure.FRAMES_PER_S, Figure.LATENCY_P50, Figure.LATENCY_P99,
                    Figure.LATENCY_P999, Figure.LATENCY_MAX, Figure.CPU_US_PER_FRAME, Figure.SERVER_CPU_PCT,
                    Figure.RSS_START, Figure.RSS_MAX, Figure.RSS_GROWTH, Figure.LOADGEN_CPU_PCT, Figure.REDIS_CPU_PCT,
                    Figure.LOADGEN_PROCESSES),
            "idle", List.of(Figure.CONNECTED, Figure.RSS_BASE, Figure.RSS, Figure.RSS_PER_CONN, Figure.HEAP_BASE, Figure.HEAP,
                    Figure.HEAP_PER_CONN, Figure.IDLE_CPU_PCT, Figure.LOADGEN_PROCESSES),
            "connect-storm", List.of(Figure.CONNECTED, Figure.CONNECT_FAILURES, Figure.CONNECTS_PER_S,
                    Figure.CPU_US_PER_CONNECT, Figure.CONNECT_P50, Figure.CONNECT_P99, Figure.SERVER_CPU_PCT,
                    Figure.LOADGEN_CPU_PCT, Figure.RSS, Figure.LOADGEN_PROCESSES));

    private Report() {}

    static void write(Path dir, List<Result> results, String header) throws IOException {
        Files.createDirectories(dir);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        json.writeValue(dir.resolve("results.json").toFile(), results);
        Files.writeString(dir.resolve("results.md"), header + markdown(results));
        plots(dir, results);
    }

    static String markdown(List<Result> results) {
        Map<String, List<Result>> byKey = new LinkedHashMap<>();
        for (Result r : results) byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
        StringBuilder md = new StringBuilder();
        for (List<Result> group : byKey.values()) {
            Result first = group.get(0);
            Result herald = find(group, "herald");
            Result reference = find(group, "reference");
            md.append("### ").append(title(first)).append("\n\n");
            md.append("| figure | Herald | reference | Herald / reference |\n|---|---:|---:|---:|\n");
            for (Figure f : ROWS.getOrDefault(first.scenario(), ROWS.get("broadcast"))) {
                double h = herald == null ? Double.NaN : herald.get(f);
                double r = reference == null ? Double.NaN : reference.get(f);
                // One load generator process is the usual case: the row is shown only when there were more.
                if (f == Figure.LOADGEN_PROCESSES && !(h > 1) && !(r > 1)) continue;
                md.append("| ").append(f.label).append(" | ").append(num(h, f.decimals)).append(" | ")
                        .append(num(r, f.decimals)).append(" | ").append(ratio(h, r)).append(" |\n");
            }
            md.append('\n');
            for (Result r : group) {
                for (String note : r.notes()) md.append("- ").append(r.target()).append(": ").append(note).append('\n');
            }
            if (group.stream().anyMatch(r -> !r.notes().isEmpty())) md.append('\n');
        }
        return md.toString();
    }

    static String title(Result r) {
        String n = String.format(Locale.ROOT, "%,d", r.connections());
        return switch (r.scenario()) {
            case "broadcast" -> String.format(Locale.ROOT, "broadcast: %s connections on one channel × %,.0f events/s, %.0f s", n, r.rate(), r.seconds());
            case "per-user" -> String.format(Locale.ROOT, "per-user: %s connections, one channel each, %,.0f events/s to random users, %.0f s", n, r.rate(), r.seconds());
            case "idle" -> String.format(Locale.ROOT, "idle: %s connections", n);
            case "connect-storm" -> String.format(Locale.ROOT, "connect storm: %s connections", n);
            default -> r.scenario();
        };
    }

    private static Result find(List<Result> group, String target) {
        for (Result r : group) if (r.target().equals(target)) return r;
        return null;
    }

    static String num(double v, int decimals) {
        if (Double.isNaN(v)) return "–";
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    static String ratio(double h, double r) {
        if (Double.isNaN(h) || Double.isNaN(r)) return "–";
        if (r == 0) return h == 0 ? "=" : "∞";
        double q = h / r;
        return String.format(Locale.ROOT, q >= 100 ? "%,.0f×" : q >= 10 ? "%.1f×" : "%.2f×", q);
    }

    // ------------------------------------------------------------------ plots

    static void plots(Path dir, List<Result> results) throws IOException {
        LinePlot latency = new LinePlot("Broadcast latency against load (publish → receive)",
                "offered deliveries/s (connections × events/s)", "latency, ms (log scale)", true);
        LinePlot throughput = new LinePlot("Broadcast: deliveries/s received against offered",
                "offered deliveries/s (connections × events/s)", "delivered events/s", false);
        for (String target : List.of("herald", "reference")) {
            Color c = target.equals("herald") ? HERALD : REFERENCE;
            List<LinePlot.Point> p50 = new ArrayList<>();
            List<LinePlot.Point> p99 = new ArrayList<>();
            List<LinePlot.Point> delivered = new ArrayList<>();
            for (Result r : results) {
                if (!r.scenario().equals("broadcast") || !r.target().equals(target)) continue;
                double offered = r.connections() * r.rate();
                p50.add(new LinePlot.Point(offered, r.get(Figure.LATENCY_P50)));
                p99.add(new LinePlot.Point(offered, r.get(Figure.LATENCY_P99)));
                delivered.add(new LinePlot.Point(offered, r.get(Figure.DELIVERED_PER_S)));
            }
            latency.add(label(target) + " p50", c, false, p50).add(label(target) + " p99", c, true, p99);
            throughput.add(label(target), c, false, delivered);
        }
        LinePlot memory = new LinePlot("Server memory against idle connections", "connections", "RSS, MiB", false);
        for (String target : List.of("herald", "reference")) {
            Color c = target.equals("herald") ? HERALD : REFERENCE;
            List<LinePlot.Point> rss = new ArrayList<>();
            List<LinePlot.Point> heap = new ArrayList<>();
            for (Result r : results) {
                if (!r.scenario().equals("idle") || !r.target().equals(target)) continue;
                if (rss.isEmpty()) rss.add(new LinePlot.Point(0, r.get(Figure.RSS_BASE)));
                if (heap.isEmpty()) heap.add(new LinePlot.Point(0, r.get(Figure.HEAP_BASE)));
                rss.add(new LinePlot.Point(r.get(Figure.CONNECTED), r.get(Figure.RSS)));
                heap.add(new LinePlot.Point(r.get(Figure.CONNECTED), r.get(Figure.HEAP)));
            }
            memory.add(label(target) + " RSS", c, false, rss).add(label(target) + " heap after GC", c, true, heap);
        }
        if (!latency.isEmpty()) latency.write(dir.resolve("latency-vs-load.png"));
        if (!throughput.isEmpty()) throughput.write(dir.resolve("throughput-vs-load.png"));
        if (!memory.isEmpty()) memory.write(dir.resolve("memory-vs-connections.png"));
    }

    private static String label(String target) {
        return target.equals("herald") ? "Herald" : "reference (tutorial's Node server)";
    }
}
