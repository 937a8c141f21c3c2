package dev.herald.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.wire.ChannelName;
import dev.herald.wire.Publication;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hub hands a sink its subscribers grouped by affinity, as a snapshot shared by every publication until the
 * channel's membership changes; what a sink derives from a group is computed once per snapshot.
 */
class GroupedDeliveryTest {

    private static final ChannelName ORDERS = ChannelName.of("orders");
    private static final Object LOOP_1 = new Object();
    private static final Object LOOP_2 = new Object();

    /** Records the groups it is handed, and derives a value per group, counting the derivations. */
    private static final class GroupingSink implements DeliverySink {
        final List<List<TargetGroup>> calls = new CopyOnWriteArrayList<>();
        final AtomicInteger derivations = new AtomicInteger();

        @Override
        public void deliver(Publication publication, List<Subscriber> targets) {
            throw new AssertionError("the grouped path is used");
        }

        @Override
        public int deliverGroups(Publication publication, List<TargetGroup> groups) {
            calls.add(groups);
            int count = 0;
            for (TargetGroup group : groups) {
                group.derived(g -> derivations.incrementAndGet());
                for (Subscriber member : group.members()) {
                    if (!member.id().equals(publication.socket())) count++;
                }
            }
            return count;
        }
    }

    private record Member(String id, DeliverySink sink, Object affinity) implements Subscriber {}

    private final Node node = new Node(new MemoryBroker());
    private final GroupingSink sink = new GroupingSink();

    @BeforeEach
    void start() {
        node.start();
    }

    @AfterEach
    void close() {
        node.close();
    }

    private void subscribe(Subscriber subscriber) {
        assertThat(node.subscribe(ORDERS, subscriber)).succeedsWithin(Duration.ofSeconds(5));
    }

    private void publish(String socket) {
        assertThat(node.publish(new Publication(ORDERS, "paid", "{}", socket))).succeedsWithin(Duration.ofSeconds(5));
    }

    @Test
    void subscribersAreGroupedByAffinityAndTheGroupsAreReusedUntilMembershipChanges() {
        Member a = new Member("a", sink, LOOP_1), b = new Member("b", sink, LOOP_2), c = new Member("c", sink, LOOP_1);
        subscribe(a);
        subscribe(b);
        subscribe(c);

        publish(null);
        publish(null);

        assertThat(sink.calls).hasSize(2);
        List<TargetGroup> first = sink.calls.get(0);
        assertThat(first).extracting(TargetGroup::affinity).containsExactlyInAnyOrder(LOOP_1, LOOP_2);
        assertThat(first).filteredOn(g -> g.affinity() == LOOP_1).singleElement()
                .satisfies(g -> assertThat(g.members()).containsExactlyInAnyOrder(a, c));
        assertThat(sink.calls.get(1)).as("the same group objects").containsExactlyElementsOf(first);
        assertThat(sink.derivations).as("derived once per group, not per publication").hasValue(2);

        Member d = new Member("d", sink, LOOP_2);
        subscribe(d);
        publish(null);

        List<TargetGroup> after = sink.calls.get(2);
        assertThat(after).doesNotContainAnyElementsOf(first);
        assertThat(after).filteredOn(g -> g.affinity() == LOOP_2).singleElement()
                .satisfies(g -> assertThat(g.members()).containsExactlyInAnyOrder(b, d));
        assertThat(sink.derivations).hasValue(4);
        assertThat(node.stats().delivered()).isEqualTo(3 + 3 + 4);
    }

    @Test
    void anUnsubscribedMemberIsNotInTheNextSnapshot() {
        Member a = new Member("a", sink, LOOP_1), b = new Member("b", sink, LOOP_1);
        subscribe(a);
        subscribe(b);
        publish(null);
        node.unsubscribe(ORDERS, a);

        publish(null);

        assertThat(sink.calls.get(1)).singleElement().satisfies(g -> assertThat(g.members()).containsExactly(b));
    }

    @Test
    void theDefaultGroupedDeliveryFlattensAndLeavesOutTheSender() {
        List<List<Subscriber>> flat = new CopyOnWriteArrayList<>();
        DeliverySink plain = (publication, targets) -> flat.add(List.copyOf(targets));
        Member a = new Member("a", plain, LOOP_1), b = new Member("b", plain, LOOP_2), sender = new Member("s", plain, LOOP_1);
        subscribe(a);
        subscribe(b);
        subscribe(sender);

        publish("s");

        assertThat(flat).singleElement().satisfies(targets -> assertThat(targets).containsExactlyInAnyOrder(a, b));
        assertThat(node.stats().delivered()).isEqualTo(2);
    }

    @Test
    void subscribersWithoutAffinityFormOneGroup() {
        subscribe(new Member("a", sink, null));
        subscribe(new Member("b", sink, null));

        publish(null);

        assertThat(sink.calls).singleElement().satisfies(groups -> assertThat(groups).singleElement()
                .satisfies(g -> assertThat(g.members()).hasSize(2)));
    }
}
