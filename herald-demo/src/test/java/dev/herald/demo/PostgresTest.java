package dev.herald.demo;

import dev.herald.demo.DemoConfiguration.WebhookSecret;
import dev.herald.demo.provider.PaymentEvent;
import dev.herald.demo.shop.Order;
import dev.herald.demo.shop.OrderPaid;
import dev.herald.demo.shop.OrderRepository;
import dev.herald.demo.shop.OrderService;
import dev.herald.demo.support.ApplicationEventRecorder;
import dev.herald.demo.support.DemoHttp;
import dev.herald.demo.support.MutableClock;
import dev.herald.demo.support.PublicationRecorder;
import dev.herald.demo.support.TestSupport;
import dev.herald.demo.support.Webhooks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The demo on PostgreSQL ({@code --database-url}), as the CI machine runs it: 127.0.0.1:5432, database {@code test},
 * user {@code postgres}, trust authentication. Flyway migrates a schema of this test's own (dropped afterwards).
 * Skipped, with a message, when nothing answers on 127.0.0.1:5432.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "herald.server.embedded=true",
        "herald.server.port=0",
        "spring.datasource.username=postgres",
        "spring.flyway.create-schemas=true"})
@Import(TestSupport.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class PostgresTest {

    static final String HOST = "127.0.0.1";
    static final int PORT = 5432;
    static final String SCHEMA = "herald_demo_test_" + Tokens.random(6);
    static final String URL = "jdbc:postgresql://" + HOST + ":" + PORT + "/test";

    @LocalServerPort
    int port;
    @Autowired
    OrderService orders;
    @Autowired
    OrderRepository orderRows;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    PublicationRecorder published;
    @Autowired
    ApplicationEventRecorder applicationEvents;
    @Autowired
    WebhookSecret secret;
    @Autowired
    MutableClock clock;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    ApplicationEventPublisher events;

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> URL + "?currentSchema=" + SCHEMA);
        registry.add("spring.flyway.schemas", () -> SCHEMA);
    }

    @BeforeAll
    static void requirePostgres() {
        assumeTrue(reachable(), "PostgreSQL is not reachable on " + HOST + ":" + PORT
                + " (the CI machine runs one: trust auth, database test, user postgres); skipping the PostgreSQL tests");
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        if (!reachable()) return;
        try (Connection c = DriverManager.getConnection(URL, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("drop schema if exists " + SCHEMA + " cascade");
        }
    }

    static boolean reachable() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, PORT), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private DemoHttp http() {
        return new DemoHttp("http://localhost:" + port);
    }

    @Test
    void flywayMigratedTheSchemaOnPostgres() {
        assertThat(jdbc.sql("select current_schema()").query(String.class).single()).isEqualTo(SCHEMA);
        assertThat(jdbc.sql("select count(*) from flyway_schema_history where success").query(Long.class).single()).isPositive();
        assertThat(jdbc.sql("select version()").query(String.class).single()).startsWith("PostgreSQL");
    }

    @Test
    void aPaymentConfirmedAtTheProviderReachesTheOrderOnceThroughTheSignedWebhook() {
        DemoHttp buyer = http();
        String orderPath = buyer.postForm("/orders").location().map(l -> URI.create(l).getPath()).orElseThrow();
        String checkout = buyer.get(orderPath).find("href=\"(http[^\"]*/provider/checkout/pay_[0-9a-f]{32})\"");
        String token = orderPath.substring("/orders/".length());
        Order order = orders.find(token).orElseThrow();

        http().postForm(URI.create(checkout).getPath() + "/approve"); // the provider then calls the webhook
        await().atMost(Duration.ofSeconds(10)).until(() -> buyer.get(orderPath + "/status").body().contains("\"PAID\""));
        assertThat(published.on(order.channel())).hasSize(1);

        // The provider's event, delivered once more: recognised by its id, nothing new.
        String eventId = jdbc.sql("select event_id from webhook_delivery where payment_id = :p")
                .param("p", order.providerPaymentId()).query(String.class).single();
        byte[] body = Webhooks.body(eventId, PaymentEvent.SUCCEEDED, order);
        DemoHttp.Response again = http().postWebhook(body, Webhooks.sign(secret.value(), clock.instant(), body));
        assertThat(again.body()).contains("\"duplicate\"");
        assertThat(published.on(order.channel())).hasSize(1);
        assertThat(jdbc.sql("select outcome from webhook_delivery where event_id = :e").param("e", eventId)
                .query(String.class).single()).isEqualTo("APPLIED");
    }

    @Test
    void aRolledBackTransactionBroadcastsNothingOnPostgres() {
        Order order = orders.create(dev.herald.demo.shop.Product.NOTEBOOK, "http://127.0.0.1:9/unused", "http://localhost:" + port);
        tx.executeWithoutResult(status -> {
            orderRows.markPaid(order.id(), clock.instant());
            events.publishEvent(OrderPaid.of(order, clock.instant()));
            status.setRollbackOnly();
        });
        assertThat(applicationEvents.onChannel(order.channel())).hasSize(1);
        assertThat(published.on(order.channel())).isEmpty();
        assertThat(http().get("/orders/" + order.token() + "/status").body()).contains("\"PENDING\"");
    }

    @Test
    void qrLoginOnPostgres() {
        DemoHttp desktop = http();
        DemoHttp.Response page = desktop.get("/login");
        String channel = page.find("data-channel=\"(login\\.[0-9a-f]{32})\"");
        String scanPath = URI.create(page.find("href=\"(http[^\"]*/login/scan/[0-9a-f]{32})\"")).getPath();

        http().postForm(scanPath + "/confirm");
        assertThat(published.on(channel)).hasSize(1);
        Matcher m = Pattern.compile("\"token\":\"([0-9a-f]{32})\"").matcher(published.on(channel).get(0).data());
        assertThat(m.find()).isTrue();

        assertThat(desktop.postJson("/login/exchange", "{\"token\":\"" + m.group(1) + "\"}").body()).contains("/dashboard");
        assertThat(desktop.get("/dashboard").body()).contains("Ada Lovelace");
        assertThat(http().postForm(scanPath + "/confirm").body()).contains("already been used");
        assertThat(published.on(channel)).hasSize(1);
    }
}
