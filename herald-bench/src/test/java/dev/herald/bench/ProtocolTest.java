package dev.herald.bench;

import dev.herald.bench.Protocol.Command;
import dev.herald.bench.Protocol.Open;
import dev.herald.bench.Protocol.Opened;
import dev.herald.bench.Protocol.Reply;
import dev.herald.bench.Protocol.SliceReport;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The runner/worker protocol: messages survive the JSON line, and the runner's merge of slice reports is exact. */
class ProtocolTest {

    @Test
    void aWorkersReportSurvivesTheLineWithItsHistogramIntact() throws Exception {
        ClientStats stats = new ClientStats(3);
        record(stats, 0, 120, 450, 9_000_000);
        record(stats, 2, 75);
        stats.frames.add(7);
        stats.foreign.increment();
        stats.unparsable.add(2);

        String line = Protocol.write(SliceReport.of(stats, 3));
        assertThat(line).doesNotContain("\n");
        Reply decoded = Protocol.readReply(line);

        assertThat(decoded).isInstanceOf(SliceReport.class);
        SliceReport r = (SliceReport) decoded;
        assertThat(r.frames()).isEqualTo(7);
        assertThat(r.delivered()).isEqualTo(4);
        assertThat(r.foreign()).isEqualTo(1);
        assertThat(r.unparsable()).isEqualTo(2);
        assertThat(r.deliveredPerConnection()).containsExactly(3, 0, 1);
        Histogram latency = r.latencyHistogram();
        assertThat(latency.getTotalCount()).isEqualTo(4);
        assertThat(latency.getMinValue()).isEqualTo(75);
        assertThat(latency.valuesAreEquivalent(latency.getMaxValue(), 9_000_000)).isTrue();
    }

    @Test
    void slicesHistogramsMergeIntoTheHistogramOfAllTheirValues() throws Exception {
        ClientStats a = new ClientStats(2);
        ClientStats b = new ClientStats(2);
        Histogram direct = Protocol.newHistogram();
        for (int v = 1; v <= 5000; v++) {
            long micros = v * 37L;
            record(v % 3 == 0 ? b : a, v % 2, micros);
            direct.recordValue(micros);
        }

        Histogram merged = Protocol.newHistogram();
        for (ClientStats slice : List.of(a, b)) {
            SliceReport r = (SliceReport) Protocol.readReply(Protocol.write(SliceReport.of(slice, 2)));
            merged.add(r.latencyHistogram());
        }

        assertThat(merged.getTotalCount()).isEqualTo(5000);
        assertThat(merged).isEqualTo(direct);
        assertThat(merged.getValueAtPercentile(99)).isEqualTo(direct.getValueAtPercentile(99));
    }

    @Test
    void openAndOpenedCarryTheSliceAndItsReadyConnections() throws Exception {
        Open open = new Open("127.0.0.1", 6001, 13, 13, Bench.Naming.PER_USER, true, 2, 166, 2, 1, 60_000);
        Command command = Protocol.readCommand(Protocol.write(open));
        assertThat(command).isEqualTo(open);
        assertThat(((Open) command).naming().channel(13 + 4)).isEqualTo("bench-user.17");

        Histogram connect = Protocol.newHistogram();
        connect.recordValue(1500);
        BitSet ready = new BitSet();
        ready.set(0);
        ready.set(12);
        Opened opened = Opened.of(new LoadGenerator.OpenResult(13, 12, 1, 42, 1_000_000, connect, List.of("refused")), ready);
        Opened decoded = (Opened) Protocol.readReply(Protocol.write(opened));

        LoadGenerator.OpenResult r = decoded.result();
        assertThat(r.requested()).isEqualTo(13);
        assertThat(r.connected()).isEqualTo(12);
        assertThat(r.failed()).isEqualTo(1);
        assertThat(r.startNanos()).isEqualTo(42);
        assertThat(r.elapsedNanos()).isEqualTo(1_000_000);
        assertThat(r.connectMicros()).isEqualTo(connect);
        assertThat(r.firstErrors()).containsExactly("refused");
        assertThat(Protocol.decodeBits(decoded.ready())).isEqualTo(ready);
    }

    @Test
    void everyCommandHasItsTypeOnTheLine() throws Exception {
        for (Command c : List.of(new Protocol.Poll(), new Protocol.Measure(), new Protocol.Collect(), new Protocol.Close(),
                new Protocol.Clock(), new Protocol.Stop())) {
            String line = Protocol.write(c);
            assertThat(line).isEqualTo("{\"type\":\"" + Protocol.nameOf(c) + "\"}");
            assertThat(Protocol.readCommand(line)).isEqualTo(c);
        }
    }

    /** Measured deliveries to {@code connection}, as BenchConnection records them. */
    private static void record(ClientStats stats, int connection, long... micros) {
        for (long m : micros) {
            stats.delivered.increment();
            stats.deliveredPerConnection.incrementAndGet(connection);
            stats.latency.recordValue(m);
        }
    }
}
