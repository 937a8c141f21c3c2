package dev.herald.broadcasting;

import java.util.List;

/**
 * An event that is broadcast to browsers, as Laravel's {@code Illuminate\Contracts\Broadcasting\ShouldBroadcast}.
 * A {@link Broadcaster} publishes it on every channel of {@link #broadcastOn()} as Laravel's RedisBroadcaster does:
 * {@code {"event":<broadcastAs()>,"data":<broadcastWith() + "socket">,"socket":<socket id or null>}}.
 *
 * <pre>{@code
 * record OrderPaid(long orderId, String status) implements ShouldBroadcast {
 *     public List<Channel> broadcastOn() { return List.of(new PrivateChannel("orders." + orderId)); }
 *     public String broadcastAs() { return "order.paid"; }
 * }
 * // published: {"event":"order.paid","data":{"orderId":42,"status":"paid","socket":null},"socket":null}
 * }</pre>
 *
 * <p>Only {@link #broadcastOn()} is required; the other methods have Laravel's defaults.
 */
public interface ShouldBroadcast {

    /**
     * The channels to publish on; the same payload is published once per channel, in this order. An empty list
     * publishes nothing (as Laravel).
     */
    List<Channel> broadcastOn();

    /**
     * The event name browsers listen for. Laravel's default is the event's fully-qualified class name, e.g.
     * {@code App\Events\OrderShipped}; here it is {@link Class#getName()}, e.g. {@code com.shop.events.OrderShipped}
     * (dots instead of PHP's backslashes, {@code $} for nested classes). Laravel Echo's {@code listen("OrderShipped")}
     * expands names to {@code App\Events\...}, so it never matches a Java class name: apps usually override this with
     * a short name such as {@code order.paid} and listen for {@code ".order.paid"} (the leading dot turns off Echo's
     * namespace).
     */
    default String broadcastAs() {
        return getClass().getName();
    }

    /**
     * The event's data, the {@code data} object of the payload. The default is Laravel's: the event's public
     * properties, which here are the components of a record, or else the public non-static fields of the class and
     * its superclasses (the class's own first, each in declaration order), as a map from name to value.
     *
     * <p>Override it to return any object Jackson serializes into a JSON object (a {@code Map}, a record, a bean, a
     * {@code JsonNode}); values are encoded as PHP's {@code json_encode} would encode them (see
     * {@link PhpJsonMapper}). As in Laravel, a {@code socket} key holding the sender's socket id (or {@code null})
     * is added to the data (see {@link BroadcastEncoder}); returning {@code null} falls back to the default.
     */
    default Object broadcastWith() {
        return PublicProperties.of(this);
    }

    /**
     * Whether to broadcast at all, Laravel's {@code broadcastWhen()}: when {@code false} the broadcaster publishes
     * nothing and reports success.
     */
    default boolean broadcastWhen() {
        return true;
    }
}
