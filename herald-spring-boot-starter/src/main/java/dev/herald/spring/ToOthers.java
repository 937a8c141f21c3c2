package dev.herald.spring;

import dev.herald.broadcasting.ShouldBroadcast;
import java.util.Objects;

/**
 * Any {@link ShouldBroadcast} event, broadcast to everyone except one socket (Laravel's
 * {@code broadcast($event)->toOthers()}), for events whose class does not implement {@link BroadcastToOthers}:
 *
 * <pre>{@code
 * publisher.publishEvent(new ToOthers(new OrderPaid(42, "paid"), request.getHeader("X-Socket-ID")));
 * }</pre>
 *
 * <p>It is broadcast like the event itself (after the transaction commits, or at once without one), with the event's
 * own channels, name, data and {@code broadcastWhen()}. Spring delivers the wrapper, not the event, so the
 * application's own listeners for the event's class do not see it.
 *
 * @param event    the event to broadcast
 * @param socketId the Socket.IO socket id to leave out (the request's {@code X-Socket-ID} header), or
 *                 {@code null}/blank for everyone
 */
public record ToOthers(ShouldBroadcast event, String socketId) {

    public ToOthers {
        Objects.requireNonNull(event, "event");
    }
}
