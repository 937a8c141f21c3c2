package dev.herald.demo;

import dev.herald.broadcasting.Broadcaster;
import dev.herald.broadcasting.Channel;
import dev.herald.broadcasting.ShouldBroadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;

/**
 * The redis driver connects on its first broadcast; the demo broadcasts a startup notice at once, so that the first
 * payment does not wait for the connection (and a wrong --redis-url shows up in the log right away).
 */
@Component
class BroadcastWarmUp {

    private static final Logger log = LoggerFactory.getLogger(BroadcastWarmUp.class);

    private final Broadcaster broadcaster;

    BroadcastWarmUp(Broadcaster broadcaster) {
        this.broadcaster = broadcaster;
    }

    /** On a channel no page subscribes to. */
    record Started() implements ShouldBroadcast {
        @Override
        public List<Channel> broadcastOn() { return List.of(new Channel("herald-demo.started")); }

        @Override
        public String broadcastAs() { return "demo.started"; }

        @Override
        public Object broadcastWith() { return Map.of(); }
    }

    @EventListener(ApplicationReadyEvent.class)
    void connect() {
        if (!"redis".equals(broadcaster.driver())) return;
        broadcaster.broadcastAsync(new Started()).whenComplete((ok, error) -> {
            if (error != null) log.error("cannot broadcast through Redis: {}", error.getMessage());
            else log.info("broadcasting through Redis: connected");
        });
    }
}
