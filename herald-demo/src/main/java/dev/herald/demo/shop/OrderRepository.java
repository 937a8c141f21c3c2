package dev.herald.demo.shop;

import dev.herald.demo.Db;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.util.Optional;

/** Orders in table {@code shop_order}. Status changes are conditional updates: only a pending order changes. */
@Repository
public class OrderRepository {

    private static final RowMapper<Order> ROW = (rs, n) -> new Order(rs.getLong("id"), rs.getString("token"),
            rs.getString("product_sku"), rs.getString("product_name"), rs.getInt("amount_cents"), rs.getString("currency"),
            OrderStatus.valueOf(rs.getString("status")), rs.getString("provider_payment_id"), Db.instant(rs, "created_at"),
            Db.instant(rs, "expires_at"), Db.instant(rs, "paid_at"), Db.instant(rs, "failed_at"));

    private final JdbcClient jdbc;

    public OrderRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public long insert(String token, Product product, Instant now, Instant expiresAt) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("""
                        insert into shop_order (token, product_sku, product_name, amount_cents, currency, status, created_at, expires_at)
                        values (:token, :sku, :name, :amount, :currency, 'PENDING', :now, :expires)""")
                .param("token", token).param("sku", product.sku()).param("name", product.name())
                .param("amount", product.amountCents()).param("currency", product.currency())
                .param("now", Db.ts(now)).param("expires", Db.ts(expiresAt))
                .update(keys, "id");
        return keys.getKeyAs(Number.class).longValue();
    }

    public void setProviderPayment(long id, String paymentId) {
        jdbc.sql("update shop_order set provider_payment_id = :payment where id = :id")
                .param("payment", paymentId).param("id", id).update();
    }

    public Optional<Order> findByToken(String token) {
        return jdbc.sql("select * from shop_order where token = :token").param("token", token).query(ROW).optional();
    }

    public Optional<Order> findByPaymentId(String paymentId) {
        return jdbc.sql("select * from shop_order where provider_payment_id = :payment").param("payment", paymentId)
                .query(ROW).optional();
    }

    /** PENDING to PAID; false when the order was not pending (already paid, or failed). */
    public boolean markPaid(long id, Instant now) {
        return jdbc.sql("update shop_order set status = 'PAID', paid_at = :now where id = :id and status = 'PENDING'")
                .param("now", Db.ts(now)).param("id", id).update() == 1;
    }

    /** PENDING to FAILED; false when the order was not pending. */
    public boolean markFailed(long id, Instant now) {
        return jdbc.sql("update shop_order set status = 'FAILED', failed_at = :now where id = :id and status = 'PENDING'")
                .param("now", Db.ts(now)).param("id", id).update() == 1;
    }
}
