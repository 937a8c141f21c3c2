package dev.herald.redis;

import io.lettuce.core.RedisURI;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * A parsed {@code redis://} or {@code rediss://} URL. Checked here rather than by Lettuce so that every error
 * names the problem without repeating the URL, which may hold a password.
 */
record RedisUrl(boolean tls, String username, String password, String host, int port, int database) {

    static final int DEFAULT_PORT = 6379;

    static RedisUrl parse(String url) {
        if (url == null || url.isBlank()) throw new IllegalArgumentException("redisUrl is empty (expected e.g. redis://127.0.0.1:6379/0)");
        if (!url.contains("://")) {
            throw new IllegalArgumentException("redisUrl must start with redis:// or rediss:// (scheme is missing)");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("redisUrl is not a valid URL: " + e.getReason() + " at index " + e.getIndex()
                    + " (percent-encode special characters in the password)");
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
            throw new IllegalArgumentException("redisUrl must start with redis:// or rediss:// (scheme is "
                    + (scheme == null ? "missing" : "'" + scheme + "'") + ")");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("redisUrl has no host (expected " + scheme
                    + "://[:password@]host[:port][/database]; percent-encode special characters in the password)");
        }
        int port = uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
        if (port < 1 || port > 65535) throw new IllegalArgumentException("redisUrl port must be between 1 and 65535");
        int database = 0;
        String path = uri.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            try {
                database = Integer.parseInt(path.substring(1));
            } catch (NumberFormatException e) {
                database = -1;
            }
            if (database < 0) throw new IllegalArgumentException("redisUrl database must be a non-negative number, as in redis://host:6379/0");
        }
        if (uri.getRawQuery() != null) {
            throw new IllegalArgumentException("redisUrl must not have ?parameters (the timeout is the broker's commandTimeout)");
        }
        if (uri.getRawFragment() != null) throw new IllegalArgumentException("redisUrl must not have a #fragment");
        String username = null;
        String password = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            // Lettuce's convention: user:password, :password, or a lone password.
            int colon = userInfo.indexOf(':');
            if (colon < 0) {
                password = decode(userInfo);
            } else {
                username = colon == 0 ? null : decode(userInfo.substring(0, colon));
                password = decode(userInfo.substring(colon + 1));
            }
            if (password != null && password.isEmpty()) password = null;
        }
        return new RedisUrl("rediss".equals(scheme), username, password, uri.getHost(), port, database);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("redisUrl has an invalid percent-escape in its user or password");
        }
    }

    /** The URL without its password, for logs and health output: {@code redis://[user@]host:port/db}. */
    String redacted() {
        StringBuilder sb = new StringBuilder(tls ? "rediss://" : "redis://");
        if (username != null) sb.append(username).append('@');
        sb.append(host).append(':').append(port).append('/').append(database);
        return sb.toString();
    }

    /** A new Lettuce URI (they are mutable, so one per use). */
    RedisURI toRedisUri(Duration timeout) {
        String bareHost = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        RedisURI.Builder builder = RedisURI.builder().withHost(bareHost).withPort(port).withDatabase(database)
                .withSsl(tls).withTimeout(timeout);
        if (password != null) {
            if (username != null) builder.withAuthentication(username, password.toCharArray());
            else builder.withPassword(password.toCharArray());
        }
        return builder.build();
    }

    @Override
    public String toString() { return redacted(); }
}
