package dev.herald.demo.login;

import dev.herald.broadcasting.Channel;
import dev.herald.broadcasting.ShouldBroadcast;

import java.util.List;
import java.util.Map;

/**
 * The tutorial's {@code WechatLoginedEvent}: broadcast as {@code wechat.login} on the desktop page's login channel,
 * with the one-time token the page exchanges for a session.
 */
public record WechatLogin(String channel, String token) implements ShouldBroadcast {

    @Override
    public List<Channel> broadcastOn() {
        return List.of(new Channel(channel));
    }

    @Override
    public String broadcastAs() {
        return "wechat.login";
    }

    @Override
    public Object broadcastWith() {
        return Map.of("token", token);
    }
}
