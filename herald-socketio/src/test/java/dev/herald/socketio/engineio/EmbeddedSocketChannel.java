package dev.herald.socketio.engineio;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketChannelConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * An {@link EmbeddedChannel} that is a {@link SocketChannel}, so that the real {@link ServerChannelInitializer}
 * (a {@code ChannelInitializer<SocketChannel>}) can build its pipeline on it. Bytes in, bytes out; no socket.
 * Socket options read as defaults and ignore writes.
 */
final class EmbeddedSocketChannel extends EmbeddedChannel implements SocketChannel {

    static final InetSocketAddress LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 3000);
    static final InetSocketAddress REMOTE = new InetSocketAddress(InetAddress.getLoopbackAddress(), 54321);

    /** No initializer on purpose: {@link #config()} may be called by the super constructor. */
    private SocketChannelConfig socketConfig;

    @Override
    public ServerSocketChannel parent() { return null; }

    @Override
    public SocketChannelConfig config() {
        if (socketConfig == null) socketConfig = socketConfig(new DefaultChannelConfig(this));
        return socketConfig;
    }

    @Override
    public InetSocketAddress localAddress() { return LOCAL; }

    @Override
    public InetSocketAddress remoteAddress() { return REMOTE; }

    @Override
    public boolean isInputShutdown() { return !isOpen(); }

    @Override
    public ChannelFuture shutdownInput() { return close(); }

    @Override
    public ChannelFuture shutdownInput(ChannelPromise promise) { return close(promise); }

    @Override
    public boolean isOutputShutdown() { return !isOpen(); }

    @Override
    public ChannelFuture shutdownOutput() { return close(); }

    @Override
    public ChannelFuture shutdownOutput(ChannelPromise promise) { return close(promise); }

    @Override
    public boolean isShutdown() { return !isOpen(); }

    @Override
    public ChannelFuture shutdown() { return close(); }

    @Override
    public ChannelFuture shutdown(ChannelPromise promise) { return close(promise); }

    /** A SocketChannelConfig view of a plain ChannelConfig. */
    private static SocketChannelConfig socketConfig(DefaultChannelConfig delegate) {
        return (SocketChannelConfig) Proxy.newProxyInstance(EmbeddedSocketChannel.class.getClassLoader(),
                new Class<?>[] {SocketChannelConfig.class}, (proxy, method, args) -> {
                    Method target;
                    try {
                        target = DefaultChannelConfig.class.getMethod(method.getName(), method.getParameterTypes());
                    } catch (NoSuchMethodException socketOption) {
                        Class<?> type = method.getReturnType();
                        if (type == boolean.class) return false;
                        if (type == int.class) return 0;
                        if (type.isInstance(proxy)) return proxy; // a setter
                        return null;
                    }
                    try {
                        Object result = target.invoke(delegate, args);
                        return result == delegate ? proxy : result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
