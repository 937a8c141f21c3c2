package dev.herald.socketio.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakTracker;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The leak gate itself: it is installed before Netty's first buffer, and a leaked buffer makes its check fail
 * with the leak's records. The deliberate leaks are consumed by these tests, so they cannot fail the build
 * later; a gate that never reports them fails these tests instead of passing them.
 */
class LeakDetectionExtensionTest {

    private static final Duration DETECTION_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void installedBeforeTheFirstBufferWasAllocated() {
        assertThat(LeakDetectionExtension.mode()).isEqualTo(LeakDetectionExtension.Mode.FACTORY);
        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
    }

    @Test
    void aLeakedBufferFailsTheCheckWithItsRecords() {
        String hint = "deliberate-leak-" + UUID.randomUUID();
        leakABuffer(hint);

        AssertionError failure = awaitFailure(() -> { });

        assertThat(failure)
                .hasMessageContaining("Netty reported 1 leak(s)")
                .hasMessageContaining("LEAK: ByteBuf.release() was not called")
                .hasMessageContaining(hint)
                .hasMessageContaining(LeakDetectionExtensionTest.class.getName() + ".leakABuffer");
        // Reported once: the next check (and this test's afterEach) passes.
        LeakDetectionExtension.verifyNoLeaks("second check");
    }

    @Test
    void aReleasedBufferIsNotALeak() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(16);
        buf.writeLong(42);
        buf.release();

        assertThat(LeakDetectionExtension.collectLeaks()).isEmpty();
    }

    /**
     * A detector the extension's factory did not create (as one created before the extension would be) is
     * still caught, through the leak it logs.
     */
    @Test
    void aLeakLoggedByAForeignDetectorFailsTheCheck() {
        @SuppressWarnings("deprecation")
        ResourceLeakDetector<Object> foreign = new ResourceLeakDetector<>(ForeignResource.class, 1);
        String hint = "deliberate-foreign-leak-" + UUID.randomUUID();
        leakATrackedObject(foreign, hint);

        AssertionError failure = awaitFailure(() -> drain(foreign));

        assertThat(failure)
                .hasMessageContaining("Netty reported 1 leak(s)")
                .hasMessageContaining("LEAK: LeakDetectionExtensionTest$ForeignResource.release()")
                .hasMessageContaining(hint);
        LeakDetectionExtension.verifyNoLeaks("second check");
    }

    /** Polls the gate until it fails; a failure about another leak fails this test with that leak's records. */
    private static AssertionError awaitFailure(Runnable beforeEachCheck) {
        AtomicReference<AssertionError> failure = new AtomicReference<>();
        await().atMost(DETECTION_TIMEOUT).pollDelay(Duration.ZERO).until(() -> {
            beforeEachCheck.run();
            try {
                LeakDetectionExtension.verifyNoLeaks("the deliberate leak");
                return false;
            } catch (AssertionError e) {
                failure.set(e);
                return true;
            }
        });
        return failure.get();
    }

    /** Allocates in a frame of its own, so nothing on the test's stack keeps the buffer reachable. */
    private static void leakABuffer(String hint) {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.heapBuffer(16);
        buf.writeInt(7);
        buf.touch(hint);
    }

    private static void leakATrackedObject(ResourceLeakDetector<Object> detector, String hint) {
        ResourceLeakTracker<Object> tracker = detector.track(new ForeignResource());
        assertThat(tracker).isNotNull();
        tracker.record(hint);
    }

    /** A detector reports the leaks in its queue when it tracks something new. */
    private static void drain(ResourceLeakDetector<Object> detector) {
        Object probe = new Object();
        ResourceLeakTracker<Object> tracker = detector.track(probe);
        if (tracker != null) tracker.close(probe);
    }

    private static final class ForeignResource { }
}
