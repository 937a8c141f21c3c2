package dev.herald.demo.web;

import dev.herald.demo.DemoProperties;
import dev.herald.spring.EmbeddedHerald;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Prints where to open the demo once it is up. */
@Component
class ReadyBanner {

    private final DemoProperties properties;
    private final Environment env;
    private final ObjectProvider<EmbeddedHerald> embedded;

    ReadyBanner(DemoProperties properties, Environment env, ObjectProvider<EmbeddedHerald> embedded) {
        this.properties = properties;
        this.env = env;
        this.embedded = embedded;
    }

    @EventListener
    void ready(ApplicationReadyEvent event) {
        if (!(event.getApplicationContext() instanceof WebServerApplicationContext web)) return;
        int port = web.getWebServer().getPort();
        EmbeddedHerald herald = embedded.getIfAvailable();
        String push = !properties.pushUrl().isBlank() ? properties.pushUrl()
                : "http://localhost:" + (herald != null ? herald.port() : 6001);
        System.out.println();
        System.out.println("Herald demo is running: open http://localhost:" + port + "/");
        System.out.println("  payment: http://localhost:" + port + "/    QR login: http://localhost:" + port + "/login");
        System.out.println("  push: " + push + (herald != null ? " (embedded Herald, in-memory broker)"
                : " (Herald server; events published through " + env.getProperty("herald.broadcast.driver", "?") + ")"));
        System.out.println("  database: " + env.getProperty("spring.datasource.url"));
        System.out.println();
    }
}
