package dev.herald.spring.testapp;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** What an application does: save, then announce, in one {@code @Transactional} method. */
@Service
public class OrderService {

    private final JdbcTemplate jdbc;
    private final ApplicationEventPublisher events;

    public OrderService(JdbcTemplate jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    /** Marks the order paid and announces it: broadcast once the transaction commits. */
    @Transactional
    public void pay(long orderId, String channel) {
        jdbc.update("INSERT INTO orders (id, status) VALUES (?, 'paid')", orderId);
        events.publishEvent(new OrderPaid(orderId, channel));
    }

    /** Saves and announces, then fails: the transaction rolls back, so nothing may be broadcast. */
    @Transactional
    public void payThenFail(long orderId, String channel) {
        pay(orderId, channel);
        throw new IllegalStateException("the payment provider said no");
    }

    /** An inner transaction of its own, committed whatever happens to the caller's. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void payInNewTransaction(long orderId, String channel) {
        pay(orderId, channel);
    }

    public boolean saved(long orderId) {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM orders WHERE id = ?", Integer.class, orderId);
        return count != null && count > 0;
    }
}
