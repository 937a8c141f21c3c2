package dev.herald.demo;

import dev.herald.demo.support.BrowserFlows;
import dev.herald.demo.support.Chromium;
import dev.herald.demo.support.HeraldServerProcess;
import dev.herald.demo.support.TestSupport;
import dev.herald.redis.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Both flows in headless Chromium with the demo in Redis mode, as {@code ./herald demo --redis-url URL --push-url URL}
 * runs it: the demo publishes through a real redis-server (on a free port, never 6379), and the pages connect to the
 * real {@code herald server}, a separate process subscribed to that Redis.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "herald.server.embedded=false",
        "herald.broadcast.driver=redis",
        "spring.datasource.url=jdbc:h2:mem:herald-demo-redis;DB_CLOSE_DELAY=-1"})
@Import(TestSupport.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class RedisModeBrowserTest {

    static RedisServer redis;
    static HeraldServerProcess herald;
    static Chromium chromium;

    @LocalServerPort
    int port;

    /** Evaluated when the Spring context starts, after {@link #startInfrastructure()}. */
    @DynamicPropertySource
    static void redisAndPushUrl(DynamicPropertyRegistry registry) {
        registry.add("herald.broadcast.redis-url", () -> redis.url());
        registry.add("demo.push-url", () -> herald.url());
    }

    @BeforeAll
    static void startInfrastructure() {
        chromium = Chromium.launch();
        redis = new RedisServer().start();
        herald = HeraldServerProcess.start(redis.url());
    }

    @AfterAll
    static void stopInfrastructure() {
        if (chromium != null) chromium.close();
        if (herald != null) herald.close();
        if (redis != null) redis.close();
    }

    private BrowserFlows flows() {
        return new BrowserFlows(chromium, "http://localhost:" + port, "redis");
    }

    @Test
    void payment() {
        flows().payment();
    }

    @Test
    void qrLogin() {
        flows().login();
    }
}
