package dev.herald.broadcasting.events;

import dev.herald.broadcasting.Channel;
import dev.herald.broadcasting.ShouldBroadcast;

import java.util.List;

/** The usual Java event: a record with a short {@code broadcastAs()} name. */
public record OrderPaid(long orderId) implements ShouldBroadcast {

    @Override
    public List<Channel> broadcastOn() {
        return List.of(new Channel("orders." + orderId));
    }

    @Override
    public String broadcastAs() {
        return "order.paid";
    }
}
