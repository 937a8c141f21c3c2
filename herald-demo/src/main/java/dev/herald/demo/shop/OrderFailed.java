package dev.herald.demo.shop;

import dev.herald.broadcasting.Channel;
import dev.herald.broadcasting.ShouldBroadcast;

import java.util.List;
import java.util.Map;

/** Broadcast on the order's channel when the provider reports a declined payment (after commit). */
public record OrderFailed(String orderToken, String reference) implements ShouldBroadcast {

    @Override
    public List<Channel> broadcastOn() {
        return List.of(new Channel(Order.channelOf(orderToken)));
    }

    @Override
    public String broadcastAs() {
        return "order.failed";
    }

    @Override
    public Object broadcastWith() {
        return Map.of("status", OrderStatus.FAILED.name(), "reference", reference);
    }
}
