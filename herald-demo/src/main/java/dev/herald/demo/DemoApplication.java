package dev.herald.demo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Herald's demo shop: a payment whose provider callback, and a QR-code login whose phone confirmation, reach the
 * waiting browser page through Herald. Run it with {@code ./herald demo} (see the README).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DemoApplication {

    public static void main(String[] args) {
        SpringApplication.run(DemoApplication.class, args);
    }
}
