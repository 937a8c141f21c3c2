package dev.herald.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** A channel's members, below and past the size where they move from an immutable to a concurrent set. */
class MembersTest {

    private final RecordingSink sink = new RecordingSink();

    private List<Subscriber> subscribers(int n) {
        return new ArrayList<>(IntStream.range(0, n).mapToObj(i -> (Subscriber) new TestSubscriber("s" + i, sink)).toList());
    }

    private static List<Subscriber> inSnapshot(Members members) {
        List<Subscriber> all = new ArrayList<>();
        for (Members.Share share : members.snapshot().shares()) {
            for (TargetGroup group : share.groups()) all.addAll(group.members());
        }
        return all;
    }

    @Test
    void joinsAndLeavesAcrossTheSmallSize() {
        Members members = new Members();
        List<Subscriber> all = subscribers(Members.SMALL * 3);
        for (int i = 0; i < all.size(); i++) {
            assertThat(members.add(all.get(i))).isTrue();
            assertThat(members.add(all.get(i))).as("a second join of the same subscriber").isFalse();
            assertThat(members.size()).isEqualTo(i + 1);
            assertThat(inSnapshot(members)).containsExactlyInAnyOrderElementsOf(all.subList(0, i + 1));
        }
        for (int i = 0; i < all.size(); i++) {
            assertThat(members.remove(all.get(i))).isTrue();
            assertThat(members.remove(all.get(i))).as("a second leave").isFalse();
            assertThat(inSnapshot(members)).containsExactlyInAnyOrderElementsOf(all.subList(i + 1, all.size()));
        }
        assertThat(members.isEmpty()).isTrue();
        assertThat(members.add(all.get(0))).isTrue();
        assertThat(inSnapshot(members)).containsExactly(all.get(0));
    }

    @Test
    void aSmallChannelLeavesAndRejoins() {
        Members members = new Members();
        List<Subscriber> two = subscribers(2);
        members.add(two.get(0));
        members.add(two.get(1));
        assertThat(members.remove(two.get(0))).isTrue();
        assertThat(inSnapshot(members)).containsExactly(two.get(1));
        assertThat(members.add(two.get(0))).isTrue();
        assertThat(inSnapshot(members)).containsExactlyInAnyOrderElementsOf(two);
        assertThat(members.remove(subscribers(1).get(0))).as("someone who never joined").isFalse();
    }
}
