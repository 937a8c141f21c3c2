package dev.herald.demo.web;

import dev.herald.demo.DemoProperties;
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

    ReadyBanner(DemoProperties properties, Environment env) {
        this.properties = properties;
        this.env = env;
    }

    @EventListener
    void ready(ApplicationReadyEvent event) {
        if (!(event.getApplicationContext() instanceof WebServerApplicationContext web)) return;
        int port = web.getWebServer().getPort();
        boolean embedded = env.getProperty("herald.server.embedded", Boolean.class, false);
        String push = !properties.pushUrl().isBlank() ? properties.pushUrl()
                : "http://localhost:" + env.getProperty("herald.server.port", "6001");
        System.out.println();
        System.out.println("Herald demo is running: open http://localhost:" + port + "/");
        System.out.println("  payment: http://localhost:" + port + "/    QR login: http://localhost:" + port + "/login");
        System.out.println("  push: " + push + (embedded ? " (embedded Herald, in-memory broker)"
                : " (Herald server; events published through " + env.getProperty("herald.broadcast.driver", "?") + ")"));
        System.out.println("  database: " + env.getProperty("spring.datasource.url"));
        System.out.println();
    }
}
