package dev.herald.server.broadcasting;

import dev.herald.broadcasting.Channel;
import dev.herald.broadcasting.ShouldBroadcast;
import java.util.List;

/**
 * The Java twin of the Laravel event in docs/laravel.md: its public property {@code orderId} is the data (no
 * {@code broadcastWith()}), {@code broadcastAs()} is {@code order.paid}; the channel is a private field, so not data.
 */
public final class OrderPaid implements ShouldBroadcast {

    public final long orderId;
    private final String channel;

    public OrderPaid(long orderId, String channel) {
        this.orderId = orderId;
        this.channel = channel;
    }

    @Override
    public List<Channel> broadcastOn() {
        return List.of(new Channel(channel));
    }

    @Override
    public String broadcastAs() {
        return "order.paid";
    }
}
