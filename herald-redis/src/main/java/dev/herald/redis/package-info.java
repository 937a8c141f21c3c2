/**
 * The Redis broker of Herald: {@link dev.herald.redis.RedisBroker} implements herald-core's
 * {@link dev.herald.core.Broker} on Lettuce, so that Herald nodes share publications through one Redis and receive
 * what Laravel's RedisBroadcaster PUBLISHes ({@code <REDIS_PREFIX><channel>}, payload
 * {@code {"event":...,"data":...,"socket":...}}), configured by {@link dev.herald.redis.RedisBrokerConfig}.
 *
 * <p>Laravel caveat: with phpredis in cluster mode Laravel publishes without the prefix; run such apps with an
 * empty prefix (and {@link dev.herald.redis.SubscribeMode#PATTERN} if every channel must reach every node).
 *
 * <p>The module's test-jar carries {@code dev.herald.redis.testing.RedisServer}, a harness that runs a real
 * {@code redis-server} for tests of other modules.
 */
package dev.herald.redis;
