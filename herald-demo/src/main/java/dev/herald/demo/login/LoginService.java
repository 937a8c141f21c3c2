package dev.herald.demo.login;

import dev.herald.demo.DemoProperties;
import dev.herald.demo.Tokens;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * QR login: a desktop page gets a ticket; the phone confirms the ticket's scan token; the desktop page receives a
 * one-time login token on its channel and exchanges it for a session. Tickets expire after {@code demo.login-ttl},
 * login tokens after {@code demo.login-token-ttl}; each step happens at most once.
 */
@Service
public class LoginService {

    private final LoginTicketRepository tickets;
    private final ApplicationEventPublisher events;
    private final DemoProperties properties;
    private final Clock clock;

    LoginService(LoginTicketRepository tickets, ApplicationEventPublisher events, DemoProperties properties, Clock clock) {
        this.tickets = tickets;
        this.events = events;
        this.properties = properties;
        this.clock = clock;
    }

    @Transactional
    public LoginTicket issue() {
        Instant now = clock.instant();
        long id = tickets.insert(Tokens.random128(), Tokens.random128(), now, now.plus(properties.loginTtl()));
        return tickets.find(id).orElseThrow();
    }

    @Transactional(readOnly = true)
    public Optional<LoginTicket> find(long id) {
        return tickets.find(id);
    }

    @Transactional(readOnly = true)
    public Optional<LoginTicket> findByScanToken(String scanToken) {
        return Tokens.plausible(scanToken) ? tickets.findByScanToken(scanToken) : Optional.empty();
    }

    /**
     * The phone confirmed: the ticket becomes CONFIRMED and {@code wechat.login} is broadcast (after commit) with a
     * fresh one-time token. False, and nothing broadcast, when the ticket was already confirmed, used or has expired.
     */
    @Transactional
    public boolean confirm(String scanToken, String userName) {
        Optional<LoginTicket> ticket = findByScanToken(scanToken);
        if (ticket.isEmpty()) return false;
        String loginToken = Tokens.random128();
        if (!tickets.confirm(ticket.get().id(), loginToken, userName, clock.instant())) return false;
        events.publishEvent(new WechatLogin(ticket.get().channel(), loginToken));
        return true;
    }

    /**
     * The desktop page's exchange: the ticket it was given (from its session) and the token it received. Returns the
     * user to sign in, once; empty for a wrong, used or expired token.
     */
    @Transactional
    public Optional<String> exchange(long ticketId, String loginToken) {
        if (!Tokens.plausible(loginToken)) return Optional.empty();
        Instant now = clock.instant();
        if (!tickets.use(ticketId, loginToken, now.minus(properties.loginTokenTtl()), now)) return Optional.empty();
        return tickets.find(ticketId).map(LoginTicket::userName);
    }
}
