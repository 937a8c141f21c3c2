package dev.herald.bench;

/** A push server under test, listening on 127.0.0.1. */
public interface Target extends AutoCloseable {

    /** {@code herald} or {@code reference}. */
    String name();

    int port();

    /** The process whose CPU and memory are measured. */
    long pid();

    /**
     * Whether clients subscribe to their channel (Herald) or just listen to {@code <channel>:<event>} (the
     * reference sends every event to every socket).
     */
    boolean subscribes();

    /** Heap (or JS heap) in use right after a full GC, bytes; -1 when unknown. */
    long heapAfterGc() throws Exception;

    /** Whether the server process is still running. */
    boolean isAlive();

    @Override
    void close();
}
