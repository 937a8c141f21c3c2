package dev.herald.demo.support;

import dev.herald.broadcasting.ShouldBroadcast;
import org.springframework.context.event.EventListener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every {@link ShouldBroadcast} the application published with {@code ApplicationEventPublisher}, at the moment it
 * was published (synchronously, committed or not): shows that a refused or repeated webhook did not even try.
 */
public final class ApplicationEventRecorder {

    private final List<ShouldBroadcast> events = new CopyOnWriteArrayList<>();

    @EventListener
    void on(ShouldBroadcast event) {
        events.add(event);
    }

    public List<ShouldBroadcast> onChannel(String channel) {
        return events.stream().filter(e -> e.broadcastOn().stream().anyMatch(c -> c.name().equals(channel))).toList();
    }
}
