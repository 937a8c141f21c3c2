package dev.herald.demo.support;

import dev.herald.spring.EmbeddedHerald;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** Beans every demo test context gets: a clock the tests can move, and recorders of what was published. */
@TestConfiguration(proxyBeanMethods = false)
public class TestSupport {

    @Bean
    @Primary
    MutableClock mutableClock() {
        return new MutableClock();
    }

    /** Registered on the embedded server's node when there is one (embedded mode). */
    @Bean
    PublicationRecorder publicationRecorder(ObjectProvider<EmbeddedHerald> embedded) {
        PublicationRecorder recorder = new PublicationRecorder();
        embedded.ifAvailable(herald -> herald.node().addFirehose(recorder));
        return recorder;
    }

    @Bean
    ApplicationEventRecorder applicationEventRecorder() {
        return new ApplicationEventRecorder();
    }
}
