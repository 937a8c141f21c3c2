package dev.herald.demo.login;

import dev.herald.demo.Db;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.util.Optional;

/** Table {@code login_ticket}. Every state change is a conditional update, so each can happen once. */
@Repository
class LoginTicketRepository {

    private static final RowMapper<LoginTicket> ROW = (rs, n) -> new LoginTicket(rs.getLong("id"),
            rs.getString("channel_token"), rs.getString("scan_token"), LoginTicket.Status.valueOf(rs.getString("status")),
            rs.getString("login_token"), rs.getString("user_name"), Db.instant(rs, "created_at"),
            Db.instant(rs, "expires_at"), Db.instant(rs, "confirmed_at"), Db.instant(rs, "used_at"));

    private final JdbcClient jdbc;

    LoginTicketRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long insert(String channelToken, String scanToken, Instant now, Instant expiresAt) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("""
                        insert into login_ticket (channel_token, scan_token, status, created_at, expires_at)
                        values (:channel, :scan, 'WAITING', :now, :expires)""")
                .param("channel", channelToken).param("scan", scanToken).param("now", Db.ts(now))
                .param("expires", Db.ts(expiresAt)).update(keys, "id");
        return keys.getKeyAs(Number.class).longValue();
    }

    Optional<LoginTicket> find(long id) {
        return jdbc.sql("select * from login_ticket where id = :id").param("id", id).query(ROW).optional();
    }

    Optional<LoginTicket> findByScanToken(String scanToken) {
        return jdbc.sql("select * from login_ticket where scan_token = :scan").param("scan", scanToken).query(ROW).optional();
    }

    /** WAITING (and not expired) to CONFIRMED; false for a ticket already confirmed, used or expired. */
    boolean confirm(long id, String loginToken, String userName, Instant now) {
        return jdbc.sql("""
                        update login_ticket set status = 'CONFIRMED', login_token = :token, user_name = :user, confirmed_at = :now
                        where id = :id and status = 'WAITING' and expires_at > :now""")
                .param("token", loginToken).param("user", userName).param("now", Db.ts(now)).param("id", id).update() == 1;
    }

    /** CONFIRMED to USED, for the right token, confirmed after {@code confirmedAfter}; false otherwise. */
    boolean use(long id, String loginToken, Instant confirmedAfter, Instant now) {
        return jdbc.sql("""
                        update login_ticket set status = 'USED', used_at = :now
                        where id = :id and status = 'CONFIRMED' and login_token = :token and confirmed_at > :after""")
                .param("now", Db.ts(now)).param("id", id).param("token", loginToken).param("after", Db.ts(confirmedAfter))
                .update() == 1;
    }
}
