package dev.herald.demo.support;

import dev.herald.demo.DemoConfiguration.WebhookSecret;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/**
 * The demo in embedded mode (Herald server in the JVM on a free port, memory driver) on an in-memory H2 database.
 * Every subclass shares one Spring context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "herald.server.embedded=true",
        "herald.server.port=0",
        "spring.datasource.url=jdbc:h2:mem:herald-demo-embedded;DB_CLOSE_DELAY=-1"})
@Import(TestSupport.class)
public abstract class EmbeddedDemoTest {

    @LocalServerPort
    protected int port;

    @Autowired
    protected MutableClock clock;

    @Autowired
    protected PublicationRecorder published;

    @Autowired
    protected ApplicationEventRecorder applicationEvents;

    @Autowired
    protected WebhookSecret secret;

    protected String baseUrl() {
        return "http://localhost:" + port;
    }

    protected DemoHttp http() {
        return new DemoHttp(baseUrl());
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }
}
