package dev.herald.spring;

/**
 * Laravel's {@code broadcast($event)->toOthers()} for events published with Spring's
 * {@code ApplicationEventPublisher}: a {@link dev.herald.broadcasting.ShouldBroadcast} event that also implements
 * this interface is delivered to every subscriber of its channels except the browser whose Socket.IO socket id is
 * {@link #socketId()} (the page that caused the event, which already shows the change).
 *
 * <pre>{@code
 * record CommentPosted(long postId, String text, String socketId) implements ShouldBroadcast, BroadcastToOthers {
 *     public List<Channel> broadcastOn() { return List.of(new Channel("posts." + postId)); }
 *     public Object broadcastWith() { return Map.of("postId", postId, "text", text); } // keep socketId out of the data
 * }
 * publisher.publishEvent(new CommentPosted(7, "hi", request.getHeader("X-Socket-ID")));
 * }</pre>
 *
 * <p>An event whose class does not implement it can be wrapped instead: {@code publisher.publishEvent(new ToOthers(event, socketId))}
 * (see {@link ToOthers}).
 *
 * <p>Note that the default {@code broadcastWith()} (a record's components) includes a {@code socketId} component in
 * the data; as in Laravel the data always carries the sender's id as {@code socket} anyway.
 */
public interface BroadcastToOthers {

    /**
     * The Socket.IO socket id to leave out: the request's {@code X-Socket-ID} header, which Laravel Echo sets. A
     * {@code null} or blank id delivers to everyone (a request without the header), as in Laravel.
     */
    String socketId();
}
