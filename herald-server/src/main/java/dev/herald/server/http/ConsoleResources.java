package dev.herald.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web console's static files, served from the jar ({@code /console/...} on the classpath). Only the listed
 * files exist; everything is read once and kept in memory.
 */
final class ConsoleResources {

    private static final Map<String, String> FILES = Map.of(
            "/", "console/index.html",
            "/index.html", "console/index.html",
            "/console/console.js", "console/console.js",
            "/console/console.css", "console/console.css",
            "/console/socket.io.min.js", "console/vendor/socket.io.min.js");

    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    /** @return false when the path is not a console file */
    boolean serve(Channel channel, boolean keepAlive, String path) {
        String resource = FILES.get(path);
        if (resource == null) return false;
        byte[] bytes = cache.computeIfAbsent(resource, ConsoleResources::load);
        if (bytes.length == 0) {
            HttpResponses.error(channel, keepAlive, HttpResponseStatus.NOT_FOUND, resource + " is missing from this build");
            return true;
        }
        HttpResponses.send(channel, keepAlive, HttpResponseStatus.OK, contentType(resource), Unpooled.wrappedBuffer(bytes));
        return true;
    }

    private static byte[] load(String resource) {
        try (InputStream in = ConsoleResources.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String contentType(String resource) {
        if (resource.endsWith(".html")) return "text/html; charset=UTF-8";
        if (resource.endsWith(".js")) return "text/javascript; charset=UTF-8";
        if (resource.endsWith(".css")) return "text/css; charset=UTF-8";
        return "application/octet-stream";
    }
}
