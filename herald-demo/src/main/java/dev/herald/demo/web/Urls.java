package dev.herald.demo.web;

import dev.herald.demo.DemoProperties;
import jakarta.servlet.http.HttpServletRequest;

/** Absolute URLs for links and QR codes: {@code demo.public-url}, or what the browser used to reach this page. */
public final class Urls {

    private Urls() {}

    public static String publicBase(HttpServletRequest request, DemoProperties properties) {
        String configured = properties.publicUrl();
        if (configured != null && !configured.isBlank()) return stripSlash(configured);
        return request.getScheme() + "://" + hostPort(request.getServerName(), request.getScheme(), request.getServerPort())
                + request.getContextPath();
    }

    static String hostPort(String host, String scheme, int port) {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host; // IPv6 literal
        boolean defaultPort = ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        return defaultPort ? h : h + ":" + port;
    }

    static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
