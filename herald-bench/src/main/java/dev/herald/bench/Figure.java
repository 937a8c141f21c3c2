package dev.herald.bench;

/** A measured figure: its key in results.json, its label in the tables, and how many decimals to show. */
public enum Figure {
    CONNECTED("connected", "connections open", 0),
    CONNECT_FAILURES("connect_failures", "connections failed", 0),
    PUBLISHED("published", "events published (measured)", 0),
    EXPECTED("expected", "deliveries expected", 0),
    DELIVERED("delivered", "deliveries received", 0),
    LOST("lost", "lost (not received within the drain time)", 0),
    FOREIGN("foreign", "foreign (another user's event received)", 0),
    DELIVERED_PER_S("delivered_per_s", "delivered events/s (own, measured)", 0),
    FRAMES_PER_S("frames_per_s", "event frames/s received (own and foreign)", 0),
    LATENCY_P50("latency_p50_ms", "latency p50 (ms)", 2),
    LATENCY_P99("latency_p99_ms", "latency p99 (ms)", 2),
    LATENCY_P999("latency_p999_ms", "latency p99.9 (ms)", 2),
    LATENCY_MAX("latency_max_ms", "latency max (ms)", 2),
    LATENCY_COUNT("latency_count", "latencies recorded", 0),
    CPU_US_PER_FRAME("cpu_us_per_frame", "server CPU µs per frame", 2),
    SERVER_CPU_PCT("server_cpu_pct", "server CPU (% of one core)", 0),
    RSS_START("rss_start_mib", "server RSS at start of measurement (MiB)", 1),
    RSS_MAX("rss_max_mib", "server RSS max (MiB)", 1),
    RSS_GROWTH("rss_growth_mib", "server RSS growth during the run (MiB)", 1),
    RSS_BASE("rss_base_mib", "server RSS without connections (MiB)", 1),
    RSS("rss_mib", "server RSS with the connections (MiB)", 1),
    HEAP_BASE("heap_base_mib", "server heap after GC without connections (MiB)", 1),
    HEAP("heap_mib", "server heap after GC with the connections (MiB)", 1),
    RSS_PER_CONN("rss_per_conn_kib", "RSS per connection (KiB)", 2),
    HEAP_PER_CONN("heap_per_conn_kib", "heap per connection (KiB)", 2),
    IDLE_CPU_PCT("idle_cpu_pct", "server CPU while idle (% of one core)", 2),
    CONNECTS_PER_S("connects_per_s", "connections accepted per second", 0),
    CPU_US_PER_CONNECT("cpu_us_per_connect", "server CPU µs per connection", 0),
    CONNECT_P50("connect_p50_ms", "connect time p50 (ms)", 1),
    CONNECT_P99("connect_p99_ms", "connect time p99 (ms)", 1),
    LOADGEN_CPU_PCT("loadgen_cpu_pct", "load generator CPU (% of one core, all its processes)", 0),
    LOADGEN_PROCESSES("loadgen_processes", "load generator processes", 0),
    REDIS_CPU_PCT("redis_cpu_pct", "redis-server CPU (% of one core)", 0);

    final String key;
    final String label;
    final int decimals;

    Figure(String key, String label, int decimals) {
        this.key = key;
        this.label = label;
        this.decimals = decimals;
    }
}
