package dev.herald.demo.web;

import dev.herald.demo.DemoProperties;
import dev.herald.spring.EmbeddedHerald;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Where the pages' socket.io-client connects, as the model attribute {@code pushUrl} of every page:
 * {@code demo.push-url} (Redis mode: the separate {@code herald server}), or else the embedded Herald server on the
 * host the browser used.
 */
@ControllerAdvice
class PushSettings {

    private final DemoProperties properties;
    private final ObjectProvider<EmbeddedHerald> embedded;

    PushSettings(DemoProperties properties, ObjectProvider<EmbeddedHerald> embedded) {
        this.properties = properties;
        this.embedded = embedded;
    }

    @ModelAttribute("pushUrl")
    String pushUrl(HttpServletRequest request) {
        String configured = properties.pushUrl();
        if (configured != null && !configured.isBlank()) return Urls.stripSlash(configured);
        EmbeddedHerald herald = embedded.getIfAvailable();
        int port = herald != null ? herald.port() : 6001;
        return request.getScheme() + "://" + Urls.hostPort(request.getServerName(), request.getScheme(), port);
    }
}
