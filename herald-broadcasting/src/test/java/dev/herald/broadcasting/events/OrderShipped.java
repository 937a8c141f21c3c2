package dev.herald.broadcasting.events;

import dev.herald.broadcasting.Channel;
import dev.herald.broadcasting.PrivateChannel;
import dev.herald.broadcasting.ShouldBroadcast;

import java.util.List;

/** Laravel's documentation example, {@code App\Events\OrderShipped}, with public properties and no overrides. */
public class OrderShipped implements ShouldBroadcast {

    public static final String IGNORED_CONSTANT = "static fields are not properties";

    public final long orderId;
    public String trackingUrl;
    private final String internalNote = "private fields are not broadcast";
    protected String alsoHidden = "nor protected ones";

    public OrderShipped(long orderId, String trackingUrl) {
        this.orderId = orderId;
        this.trackingUrl = trackingUrl;
    }

    @Override
    public List<Channel> broadcastOn() {
        return List.of(new PrivateChannel("orders." + orderId));
    }
}
