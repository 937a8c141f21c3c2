package dev.herald.bench;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.HdrHistogram.Histogram;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.BitSet;
import java.util.List;
import java.util.zip.DataFormatException;

/**
 * The control protocol between the bench runner and its load generator workers: one JSON object per line, commands
 * on the worker's stdin, one reply per command on its stdout (the worker's logs go to stderr). Every command is
 * answered before the next is sent, so a reply needs no id.
 *
 * <pre>
 * worker → {"type":"hello","pid":...,"maxOpenFiles":...}                  once started
 * runner → {"type":"clock"}       worker → {"type":"clock","nanoTime":...}  the clock check (see Fleet)
 * runner → {"type":"open",...}    worker → {"type":"opened",...}           its slice, connected (and subscribed)
 * runner → {"type":"poll"}        worker → {"type":"tally",...}            frames and deliveries so far
 * runner → {"type":"measure"}     worker → {"type":"tally",...}            latencies recorded so far are dropped
 * runner → {"type":"collect"}     worker → {"type":"report",...}           counts, per-connection, latency histogram
 * runner → {"type":"close"}       worker → {"type":"done"}                 its connections closed, the worker stays
 * runner → {"type":"stop"}        worker → {"type":"done"}                 then it exits; so does it when stdin closes
 * any command may be answered by {"type":"failed","message":...}
 * </pre>
 *
 * Histograms travel as HdrHistogram's compressed encoding in base64 (lossless: the runner's merge is exact), sets of
 * connections as a {@link BitSet}'s bytes in base64.
 */
final class Protocol {

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Protocol() {}

    // ------------------------------------------------------------------ commands: runner → worker

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = Open.class, name = "open"),
            @JsonSubTypes.Type(value = Poll.class, name = "poll"),
            @JsonSubTypes.Type(value = Measure.class, name = "measure"),
            @JsonSubTypes.Type(value = Collect.class, name = "collect"),
            @JsonSubTypes.Type(value = Close.class, name = "close"),
            @JsonSubTypes.Type(value = Clock.class, name = "clock"),
            @JsonSubTypes.Type(value = Stop.class, name = "stop")})
    sealed interface Command permits Open, Poll, Measure, Collect, Close, Clock, Stop {}

    /**
     * Opens connections {@code first .. first+count-1} (global indexes: they name the channels) to {@code host:port},
     * from the source addresses 127.0.0.{@code firstSource} .. +{@code sources}-1, with at most {@code concurrency}
     * handshakes in flight, each given {@code timeoutMillis}. Replaces the slice's previous connections, if any.
     */
    record Open(String host, int port, int first, int count, Bench.Naming naming, boolean subscribe, int threads,
                int concurrency, int firstSource, int sources, long timeoutMillis) implements Command {}

    record Poll() implements Command {}

    /** The measurement starts: latencies recorded so far are dropped. */
    record Measure() implements Command {}

    record Collect() implements Command {}

    record Close() implements Command {}

    record Clock() implements Command {}

    record Stop() implements Command {}

    // ------------------------------------------------------------------ replies: worker → runner

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = Hello.class, name = "hello"),
            @JsonSubTypes.Type(value = ClockReading.class, name = "clock"),
            @JsonSubTypes.Type(value = Opened.class, name = "opened"),
            @JsonSubTypes.Type(value = Tally.class, name = "tally"),
            @JsonSubTypes.Type(value = SliceReport.class, name = "report"),
            @JsonSubTypes.Type(value = Done.class, name = "done"),
            @JsonSubTypes.Type(value = Failed.class, name = "failed")})
    sealed interface Reply permits Hello, ClockReading, Opened, Tally, SliceReport, Done, Failed {}

    record Hello(long pid, long maxOpenFiles) implements Reply {}

    /** The worker's {@link System#nanoTime()} when it answered. */
    record ClockReading(long nanoTime) implements Reply {}

    /**
     * The slice's {@link LoadGenerator.OpenResult}: {@code startNanos} on the shared clock, {@code connectMicros} an
     * encoded histogram, {@code ready} the slice's connections (local index) ready when the opening ended.
     */
    record Opened(int requested, int connected, int failed, long startNanos, long elapsedNanos, String connectMicros,
                  List<String> errors, String ready) implements Reply {

        static Opened of(LoadGenerator.OpenResult r, BitSet ready) {
            return new Opened(r.requested(), r.connected(), r.failed(), r.startNanos(), r.elapsedNanos(),
                    encode(r.connectMicros()), r.firstErrors(), encode(ready));
        }

        LoadGenerator.OpenResult result() {
            return new LoadGenerator.OpenResult(requested, connected, failed, startNanos, elapsedNanos,
                    decode(connectMicros), errors);
        }
    }

    /** Event frames received (own or foreign, measured or not) and measured deliveries, so far. */
    record Tally(long frames, long delivered) implements Reply {}

    /**
     * What the slice's connections saw: {@link ClientStats}' counts, measured deliveries per connection (local
     * index: connection {@code first + i} is element i) and the latencies recorded since {@link Measure}.
     */
    record SliceReport(long frames, long delivered, long foreign, long unparsable, long unexpectedCloses,
                       long[] deliveredPerConnection, String latency) implements Reply {

        static SliceReport of(ClientStats stats, int connections) {
            long[] per = new long[connections];
            for (int i = 0; i < connections; i++) per[i] = stats.deliveredTo(i);
            Histogram latency = stats.takeLatencies();
            return new SliceReport(stats.frames(), stats.delivered(), stats.foreign(), stats.unparsable(),
                    stats.unexpectedCloses(), per, encode(latency));
        }

        Histogram latencyHistogram() { return decode(latency); }
    }

    record Done() implements Reply {}

    record Failed(String message) implements Reply {}

    // ------------------------------------------------------------------ codec

    /** The command's type as it travels ("open", ...), for messages about it. */
    static String nameOf(Command command) {
        return command.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    static String write(Object message) {
        try {
            return JSON.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message, e);
        }
    }

    static Command readCommand(String line) throws JsonProcessingException {
        return JSON.readValue(line, Command.class);
    }

    static Reply readReply(String line) throws JsonProcessingException {
        return JSON.readValue(line, Reply.class);
    }

    /** A histogram in the clients' range (µs, up to an hour, 3 significant digits): the one the runner merges into. */
    static Histogram newHistogram() {
        return new Histogram(3_600_000_000L, 3);
    }

    static String encode(Histogram h) {
        ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int length = h.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length));
    }

    static Histogram decode(String base64) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("not an encoded histogram", e);
        }
    }

    static String encode(BitSet bits) {
        return Base64.getEncoder().encodeToString(bits.toByteArray());
    }

    static BitSet decodeBits(String base64) {
        return BitSet.valueOf(Base64.getDecoder().decode(base64));
    }
}
