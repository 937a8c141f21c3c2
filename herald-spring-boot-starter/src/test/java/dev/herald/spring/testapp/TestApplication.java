package dev.herald.spring.testapp;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * A small Boot application: auto-configuration (an embedded H2 DataSource, its transaction manager, Herald) and an
 * {@link OrderService}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(OrderService.class)
public class TestApplication {
}
