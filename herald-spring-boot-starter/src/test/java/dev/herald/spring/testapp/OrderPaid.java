package dev.herald.spring.testapp;

import dev.herald.broadcasting.Channel;
import dev.herald.broadcasting.ShouldBroadcast;
import java.util.List;

/** The test event: {@code order.paid} on the given channel, data {@code {"orderId":..,"status":..}}. */
public record OrderPaid(long orderId, String channel, String status) implements ShouldBroadcast {

    public OrderPaid(long orderId, String channel) {
        this(orderId, channel, "paid");
    }

    @Override
    public List<Channel> broadcastOn() {
        return List.of(new Channel(channel));
    }

    @Override
    public String broadcastAs() {
        return "order.paid";
    }

    @Override
    public Object broadcastWith() {
        return new Data(orderId, status);
    }

    record Data(long orderId, String status) {}
}
