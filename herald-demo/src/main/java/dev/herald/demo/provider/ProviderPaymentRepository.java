package dev.herald.demo.provider;

import dev.herald.demo.Db;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.util.Optional;

/** The provider's table {@code provider_payment}. */
@Repository
class ProviderPaymentRepository {

    private static final RowMapper<ProviderPayment> ROW = (rs, n) -> new ProviderPayment(rs.getString("id"),
            rs.getString("merchant_name"), rs.getString("merchant_reference"), rs.getString("description"),
            rs.getInt("amount_cents"), rs.getString("currency"), rs.getString("callback_url"), rs.getString("return_url"),
            ProviderPayment.Status.valueOf(rs.getString("status")), Db.instant(rs, "created_at"),
            Db.instant(rs, "expires_at"), Db.instant(rs, "completed_at"));

    private final JdbcClient jdbc;

    ProviderPaymentRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(String id, PaymentRequest request, Instant now, Instant expiresAt) {
        jdbc.sql("""
                        insert into provider_payment (id, merchant_name, merchant_reference, description, amount_cents, currency,
                                                      callback_url, return_url, status, created_at, expires_at)
                        values (:id, :merchant, :reference, :description, :amount, :currency, :callback, :return, 'OPEN', :now, :expires)""")
                .param("id", id).param("merchant", request.merchantName()).param("reference", request.merchantReference())
                .param("description", request.description()).param("amount", request.amountCents())
                .param("currency", request.currency()).param("callback", request.callbackUrl())
                .param("return", request.returnUrl()).param("now", Db.ts(now)).param("expires", Db.ts(expiresAt))
                .update();
    }

    Optional<ProviderPayment> find(String id) {
        return jdbc.sql("select * from provider_payment where id = :id").param("id", id).query(ROW).optional();
    }

    /** OPEN (and not expired) to {@code status}; false when the payment was already completed or has expired. */
    boolean complete(String id, ProviderPayment.Status status, Instant now) {
        return jdbc.sql("""
                        update provider_payment set status = :status, completed_at = :now
                        where id = :id and status = 'OPEN' and expires_at > :now""")
                .param("status", status.name()).param("now", Db.ts(now)).param("id", id).update() == 1;
    }
}
