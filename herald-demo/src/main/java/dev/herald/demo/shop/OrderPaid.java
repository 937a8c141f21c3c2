package dev.herald.demo.shop;

import dev.herald.broadcasting.Channel;
import dev.herald.broadcasting.ShouldBroadcast;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Broadcast on the order's channel once the payment webhook has been applied and committed:
 * {@code socket.on('order.paid', (channel, data) => ...)}.
 */
public record OrderPaid(String orderToken, String reference, String amount, String paidAt) implements ShouldBroadcast {

    public static OrderPaid of(Order order, java.time.Instant paidAt) {
        return new OrderPaid(order.token(), order.reference(), order.price(), paidAt.toString());
    }

    @Override
    public List<Channel> broadcastOn() {
        return List.of(new Channel(Order.channelOf(orderToken)));
    }

    @Override
    public String broadcastAs() {
        return "order.paid";
    }

    @Override
    public Object broadcastWith() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("status", OrderStatus.PAID.name());
        data.put("reference", reference);
        data.put("amount", amount);
        data.put("paidAt", paidAt);
        return data;
    }
}
