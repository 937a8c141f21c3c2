package dev.herald.demo.login;

import dev.herald.demo.DemoProperties;
import dev.herald.demo.web.QrCodes;
import dev.herald.demo.web.Urls;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseBody;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The QR login pages: {@code /login} (desktop, waits on its channel), {@code /login/scan/{token}} (the phone's confirm
 * page, the URL in the QR code), the token exchange, and {@code /dashboard}.
 */
@Controller
class LoginController {

    static final String TICKET = "login.ticket";
    static final String USER = "user";

    private final LoginService logins;
    private final DemoProperties properties;
    private final Clock clock;

    LoginController(LoginService logins, DemoProperties properties, Clock clock) {
        this.logins = logins;
        this.properties = properties;
        this.clock = clock;
    }

    @GetMapping("/login")
    String login(HttpSession session, HttpServletRequest request, Model model) {
        if (session.getAttribute(USER) != null) return "redirect:/dashboard";
        LoginTicket ticket = logins.issue();
        session.setAttribute(TICKET, ticket.id()); // the exchange accepts this ticket's token from this session only
        String scanUrl = Urls.publicBase(request, properties) + "/login/scan/" + ticket.scanToken();
        model.addAttribute("channel", ticket.channel());
        model.addAttribute("scanUrl", scanUrl);
        model.addAttribute("qr", QrCodes.svgDataUri(scanUrl));
        model.addAttribute("expiresInMs", Duration.between(clock.instant(), ticket.expiresAt()).toMillis());
        return "login";
    }

    /** The session's ticket, for a page whose socket is down or has just reconnected; carries the token once confirmed. */
    @GetMapping(path = "/login/status", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    ResponseEntity<Map<String, Object>> status(HttpSession session) {
        Optional<LoginTicket> ticket = sessionTicket(session);
        if (ticket.isEmpty()) return ResponseEntity.status(404).body(Map.of("error", "no login in progress"));
        Instant now = clock.instant();
        LoginTicket t = ticket.get();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", t.status(now).name());
        if (t.status() == LoginTicket.Status.CONFIRMED && t.confirmedAt().plus(properties.loginTokenTtl()).isAfter(now)) {
            body.put("token", t.loginToken());
        }
        return ResponseEntity.ok(body);
    }

    record TokenBody(String token) {}

    @PostMapping(path = "/login/exchange", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    ResponseEntity<Map<String, String>> exchange(@RequestBody TokenBody body, HttpSession session, HttpServletRequest request) {
        Object ticketId = session.getAttribute(TICKET);
        Optional<String> user = ticketId instanceof Long id && body != null && body.token() != null
                ? logins.exchange(id, body.token()) : Optional.empty();
        if (user.isEmpty()) return ResponseEntity.status(403).body(Map.of("error", "this sign-in link is no longer valid"));
        session.removeAttribute(TICKET);
        session.setAttribute(USER, user.get());
        request.changeSessionId(); // a new session id for the signed-in session
        return ResponseEntity.ok(Map.of("redirect", "/dashboard"));
    }

    @GetMapping("/login/scan/{scanToken}")
    String phone(@PathVariable String scanToken, Model model) {
        model.addAttribute("scanToken", scanToken);
        model.addAttribute("user", properties.phoneUser());
        model.addAttribute("state", state(scanToken));
        return "login-phone";
    }

    @PostMapping("/login/scan/{scanToken}/confirm")
    String confirm(@PathVariable String scanToken, Model model) {
        boolean confirmed = logins.confirm(scanToken, properties.phoneUser()); // a second confirm changes nothing
        model.addAttribute("scanToken", scanToken);
        model.addAttribute("user", properties.phoneUser());
        model.addAttribute("state", confirmed ? "DONE" : state(scanToken)); // why not: used, expired or unknown
        return "login-phone";
    }

    private String state(String scanToken) {
        return logins.findByScanToken(scanToken).map(t -> t.status(clock.instant()).name()).orElse("UNKNOWN");
    }

    @GetMapping("/dashboard")
    String dashboard(HttpSession session, Model model) {
        Object user = session.getAttribute(USER);
        if (user == null) return "redirect:/login";
        model.addAttribute("user", user);
        return "dashboard";
    }

    @PostMapping("/logout")
    String logout(HttpSession session) {
        session.invalidate();
        return "redirect:/";
    }

    private Optional<LoginTicket> sessionTicket(HttpSession session) {
        return session.getAttribute(TICKET) instanceof Long id ? logins.find(id) : Optional.empty();
    }
}
