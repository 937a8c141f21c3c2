package dev.herald.spring;

import dev.herald.broadcasting.BroadcastDriver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Herald's settings under {@code herald.*}: how events are broadcast ({@code herald.broadcast.*}) and the optional
 * embedded Herald server ({@code herald.server.*}).
 *
 * <pre>
 * herald.broadcast.driver=redis
 * herald.broadcast.redis-url=redis://127.0.0.1:6379
 * herald.broadcast.redis-prefix=laravel-database-
 * </pre>
 */
@ConfigurationProperties("herald")
public class HeraldProperties {

    private final Broadcast broadcast = new Broadcast();

    private final Server server = new Server();

    public Broadcast getBroadcast() {
        return broadcast;
    }

    public Server getServer() {
        return server;
    }

    /** How events are broadcast: {@code herald.broadcast.*}. */
    public static class Broadcast {

        /**
         * The broadcast driver: redis (PUBLISH Laravel's payload for a Herald server), log (one INFO line per
         * channel), null (drop every event) or memory (hand publications to the embedded Herald server). Default:
         * memory when herald.server.embedded=true, otherwise log.
         */
        private BroadcastDriver driver;

        /** The Redis URL of the redis driver (redis://[:password@]host[:port][/db], rediss:// for TLS). */
        private String redisUrl = "redis://127.0.0.1:6379";

        /**
         * Prepended to every channel name to form the Redis channel (Laravel's laravel_database_ or
         * laravel-database-); the Herald server must strip the same prefix.
         */
        private String redisPrefix = "";

        /** The bound of one attempt to publish on one channel, connecting included. */
        private Duration timeout = Duration.ofSeconds(5);

        /** How many more times a failed channel is tried before the failure is logged. */
        private int retries = 0;

        /** The pause before each retry. */
        private Duration retryDelay = Duration.ofMillis(200);

        public BroadcastDriver getDriver() {
            return driver;
        }

        public void setDriver(BroadcastDriver driver) {
            this.driver = driver;
        }

        public String getRedisUrl() {
            return redisUrl;
        }

        public void setRedisUrl(String redisUrl) {
            this.redisUrl = redisUrl;
        }

        public String getRedisPrefix() {
            return redisPrefix;
        }

        public void setRedisPrefix(String redisPrefix) {
            this.redisPrefix = redisPrefix;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public int getRetries() {
            return retries;
        }

        public void setRetries(int retries) {
            this.retries = retries;
        }

        public Duration getRetryDelay() {
            return retryDelay;
        }

        public void setRetryDelay(Duration retryDelay) {
            this.retryDelay = retryDelay;
        }
    }

    /** The embedded Herald server: {@code herald.server.*}. */
    public static class Server {

        /**
         * Whether to run a Herald server (Socket.IO, HTTP API and console) inside this application, on the in-memory
         * broker: for single-node apps and development. The broadcast driver then defaults to memory.
         */
        private boolean embedded = false;

        /** The embedded server's port (Socket.IO, HTTP API and console); 0 picks a free port. */
        private int port = 6001;

        /** The address the embedded server binds. */
        private String host = "0.0.0.0";

        /** The key of the embedded server's HTTP API (at least 8 characters); random when unset. */
        private String apiKey;

        /** How events are emitted to Socket.IO clients: echo (laravel-echo) or seed (the tutorial's channel:event). */
        private EventFormat eventFormat = EventFormat.ECHO;

        /** The CORS origins allowed for long-polling and the HTTP API; * for any. */
        private List<String> allowedOrigins = new ArrayList<>(List.of("*"));

        public boolean isEmbedded() {
            return embedded;
        }

        public void setEmbedded(boolean embedded) {
            this.embedded = embedded;
        }

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }

        public String getHost() {
            return host;
        }

        public void setHost(String host) {
            this.host = host;
        }

        public String getApiKey() {
            return apiKey;
        }

        public void setApiKey(String apiKey) {
            this.apiKey = apiKey;
        }

        public EventFormat getEventFormat() {
            return eventFormat;
        }

        public void setEventFormat(EventFormat eventFormat) {
            this.eventFormat = eventFormat;
        }

        public List<String> getAllowedOrigins() {
            return allowedOrigins;
        }

        public void setAllowedOrigins(List<String> allowedOrigins) {
            this.allowedOrigins = allowedOrigins;
        }
    }

    /**
     * How the embedded server emits a publication to Socket.IO clients (the server's
     * {@code dev.herald.server.relay.EventFormat}, repeated here so that these properties bind without herald-server).
     */
    public enum EventFormat {
        /** laravel-echo's socket.io connector: event {@code <event>} with arguments {@code (channel, data)}. */
        ECHO,
        /** The tutorial's server: event {@code <channel>:<event>} with the data alone. */
        SEED
    }
}
