package dev.herald.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each open of the load generator connects from addresses the previous opens did not use (their TIME_WAIT). */
class FleetSourcesTest {

    @Test
    void consecutiveOpensGetDisjointBlocksInRange() {
        int previousFirst = Fleet.nextSources(3);
        int previousLast = previousFirst + 2;
        for (int i = 0; i < 300; i++) {
            int count = 1 + i % 7;
            int first = Fleet.nextSources(count);
            int last = first + count - 1;
            assertThat(first).isBetween(1, 254);
            assertThat(last).isBetween(1, 254);
            boolean wrapped = first < previousFirst;
            if (wrapped) assertThat(first).isEqualTo(1);
            else assertThat(first).isGreaterThan(previousLast);   // never one of the last block's addresses
            previousFirst = first;
            previousLast = last;
        }
    }

    @Test
    void aBlockMustFitTheLoopbackRange() {
        assertThatThrownBy(() -> Fleet.nextSources(255)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1..254");
        assertThatThrownBy(() -> Fleet.nextSources(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Fleet.nextSources(254)).isEqualTo(1);
    }
}
