package dev.herald.socketio.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import io.netty.util.ResourceLeakTracker;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Turns a Netty leak report into a test failure.
 *
 * <p>Registered for every test class of a module through {@code META-INF/services/org.junit.jupiter.api.extension.Extension}
 * and {@code junit.jupiter.extensions.autodetection.enabled=true}; other modules reuse it through the
 * {@code herald-socketio} test-jar. JUnit instantiates auto-detected extensions when the engine starts, before
 * any test class is initialized, so the static initializer below runs before the first {@code ByteBuf} is
 * allocated and can install a {@link ResourceLeakDetectorFactory} whose detectors record every leak they report
 * (and still log it). {@link #mode()} says whether that worked; when a detector already existed (a test class
 * touched Netty before JUnit started), the gate falls back to a {@link ResourceLeakDetector.LeakListener} on the
 * {@code ByteBuf} detector plus a Logback appender on {@code io.netty.util.ResourceLeakDetector} capturing the
 * {@code LEAK:} errors of detectors it does not own.
 *
 * <p>After each test (and after each class, once the test instances are unreachable) it provokes detection:
 * full GCs, each confirmed by a phantom-reachable sentinel reaching its queue, then one forced tracking per
 * detector so it drains its reference queue; a leak recorded since the previous check fails the test with the
 * leak records. Leak detection only sees what it tracks: with {@code -Dio.netty.leakDetection.level=paranoid}
 * (set by the build; forced here when no level is configured) every pooled and direct buffer, but never
 * unpooled heap buffers such as {@code Unpooled.copiedBuffer(...)}.
 */
public final class LeakDetectionExtension implements AfterEachCallback, AfterAllCallback {

    /** How leaks are captured. */
    public enum Mode {
        /** Every detector comes from this extension's factory: leaks are recorded directly. */
        FACTORY,
        /** The ByteBuf detector predates the factory: leaks come from its listener and the leak log. */
        LISTENER_AND_LOG
    }

    /**
     * One leak as Netty reported it.
     *
     * @param resourceType the leaked resource's type, {@code ByteBuf} for buffers
     * @param report       the whole report: what leaked, then its access records (hints, stack traces)
     */
    public record Leak(String resourceType, String report) {

        static Leak of(String resourceType, String records) {
            return new Leak(resourceType, "LEAK: " + resourceType
                    + ".release() was not called before it was garbage-collected."
                    + (records.isEmpty() ? " (no access records: leak detection level below advanced)" : records));
        }

        @Override
        public String toString() { return report; }
    }

    private static final Logger log = LoggerFactory.getLogger(LeakDetectionExtension.class);
    private static final String LEVEL_PROPERTY = "io.netty.leakDetection.level";
    private static final int DETECTION_ROUNDS = 2;
    private static final int GC_ATTEMPTS = 5;
    private static final long GC_WAIT_MILLIS = 200;

    private static final Queue<Leak> LEAKS = new ConcurrentLinkedQueue<>();
    private static final List<RecordingLeakDetector<?>> DETECTORS = new CopyOnWriteArrayList<>();
    private static final Mode MODE = install();

    /** The way leaks are captured in this JVM. */
    public static Mode mode() { return MODE; }

    @Override
    public void afterEach(ExtensionContext context) {
        verifyNoLeaks(context.getDisplayName() + " (" + context.getRequiredTestClass().getName() + ")");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // The test instances are gone now: leaks they still referenced in afterEach become visible.
        verifyNoLeaks("class " + context.getRequiredTestClass().getName());
    }

    /**
     * Provokes leak detection and fails when a leak was recorded since the previous check.
     *
     * @param where what ran since the previous check, for the failure message
     * @throws AssertionError listing the leaks and their records
     */
    public static void verifyNoLeaks(String where) {
        List<Leak> leaks = collectLeaks();
        if (!leaks.isEmpty()) {
            StringBuilder message = new StringBuilder("Netty reported ").append(leaks.size())
                    .append(" leak(s) during or before ").append(where).append(':');
            for (Leak leak : leaks) message.append(System.lineSeparator()).append(leak);
            throw new AssertionError(message.toString());
        }
    }

    /** Provokes leak detection, then returns and forgets the leaks recorded since the previous check. */
    public static List<Leak> collectLeaks() {
        for (int round = 0; round < DETECTION_ROUNDS; round++) {
            awaitFullGc();
            drainDetectors();
        }
        List<Leak> leaks = new ArrayList<>();
        for (Leak leak; (leak = LEAKS.poll()) != null; ) leaks.add(leak);
        return leaks;
    }

    // ------------------------------------------------------------------ installation

    private static Mode install() {
        if (System.getProperty(LEVEL_PROPERTY) == null
                && ResourceLeakDetector.getLevel().ordinal() < ResourceLeakDetector.Level.PARANOID.ordinal()) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID); // e.g. run from an IDE
        }
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
        boolean logCapture = LogCapture.install();
        ResourceLeakDetector<?> byteBufDetector = byteBufDetector();
        if (byteBufDetector instanceof RecordingLeakDetector) return Mode.FACTORY;
        log.warn("Netty's ByteBuf leak detector existed before {} was installed (a test touched Netty before JUnit "
                + "started?); capturing leaks through its listener{}", LeakDetectionExtension.class.getSimpleName(),
                logCapture ? " and the leak log" : "");
        if (byteBufDetector != null) {
            byteBufDetector.setLeakListener((type, records) -> LEAKS.add(Leak.of(type, records)));
        }
        return Mode.LISTENER_AND_LOG;
    }

    /** {@code AbstractByteBuf.leakDetector}, initializing the class (after the factory is in place). */
    private static ResourceLeakDetector<?> byteBufDetector() {
        try {
            Field field = Class.forName("io.netty.buffer.AbstractByteBuf").getDeclaredField("leakDetector");
            field.setAccessible(true);
            return (ResourceLeakDetector<?>) field.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("cannot read AbstractByteBuf.leakDetector: {}", e.toString());
            return null;
        }
    }

    // ------------------------------------------------------------------ detection

    /** One full GC, confirmed by a phantom reference to a garbage object reaching its queue. */
    private static void awaitFullGc() {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        PhantomReference<Object> sentinel = new PhantomReference<>(new Object(), queue);
        try {
            for (int attempt = 0; attempt < GC_ATTEMPTS; attempt++) {
                System.gc();
                if (queue.remove(GC_WAIT_MILLIS) != null) return;
            }
            log.warn("no GC observed after {} System.gc() calls: leak detection may be late", GC_ATTEMPTS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            Reference.reachabilityFence(sentinel);
        }
    }

    /** Makes every detector report what its reference queue holds. */
    private static void drainDetectors() {
        for (RecordingLeakDetector<?> detector : DETECTORS) detector.drain();
        // Detectors this extension does not own only drain when they track a new object: allocate a few buffers.
        release(ByteBufAllocator.DEFAULT.buffer(8));
        release(PooledByteBufAllocator.DEFAULT.heapBuffer(8));
        release(PooledByteBufAllocator.DEFAULT.directBuffer(8));
        release(UnpooledByteBufAllocator.DEFAULT.directBuffer(8));
    }

    private static void release(ByteBuf buf) {
        buf.writeByte(1);
        buf.release();
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        @SuppressWarnings("deprecation")
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                                                                   long maxActive) {
            RecordingLeakDetector<T> detector = new RecordingLeakDetector<>(resource, samplingInterval);
            DETECTORS.add(detector);
            return detector;
        }

        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
            return newResourceLeakDetector(resource, samplingInterval, Long.MAX_VALUE);
        }
    }

    private static final class RecordingLeakDetector<T> extends ResourceLeakDetector<T> {

        private static final Logger leakLog = LoggerFactory.getLogger(LeakDetectionExtension.class.getName() + ".leaks");

        RecordingLeakDetector(Class<?> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        /** Report even when Netty's own logger would not print the leak. */
        @Override
        protected boolean needReport() { return true; }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            record(Leak.of(resourceType, records));
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            record(Leak.of(resourceType, ""));
        }

        private static void record(Leak leak) {
            LEAKS.add(leak);
            leakLog.error("{}", leak);
        }

        /** Tracking an object makes the detector report the leaks waiting in its reference queue. */
        @SuppressWarnings("unchecked")
        void drain() {
            T probe = (T) new Object(); // erased: the detector never looks at the object's type
            ResourceLeakTracker<T> tracker = trackForcibly(probe);
            if (tracker != null) tracker.close(probe);
        }
    }

    // ------------------------------------------------------------------ fallback: the leak log

    /** Captures the {@code LEAK:} errors Netty logs for detectors this extension does not own (Logback only). */
    private static final class LogCapture {

        static boolean install() {
            try {
                Class.forName("ch.qos.logback.classic.LoggerContext", false, LeakDetectionExtension.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                return false;
            }
            return LogbackAppender.attach();
        }
    }

    private static final class LogbackAppender
            extends ch.qos.logback.core.AppenderBase<ch.qos.logback.classic.spi.ILoggingEvent> {

        static boolean attach() {
            if (!(LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context)) return false;
            ch.qos.logback.classic.Logger nettyLeakLogger = context.getLogger(ResourceLeakDetector.class.getName());
            if (!nettyLeakLogger.isErrorEnabled()) nettyLeakLogger.setLevel(ch.qos.logback.classic.Level.ERROR);
            LogbackAppender appender = new LogbackAppender();
            appender.setContext(context);
            appender.setName("herald-leak-capture");
            appender.start();
            nettyLeakLogger.addAppender(appender);
            return true;
        }

        @Override
        protected void append(ch.qos.logback.classic.spi.ILoggingEvent event) {
            if (!event.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.ERROR)) return;
            String message = event.getFormattedMessage();
            int start = message == null ? -1 : message.indexOf("LEAK: ");
            if (start < 0) return;
            int end = message.indexOf(".release()", start);
            String type = end > start ? message.substring(start + "LEAK: ".length(), end) : "unknown";
            LEAKS.add(new Leak(type, message.substring(start)));
        }
    }
}
