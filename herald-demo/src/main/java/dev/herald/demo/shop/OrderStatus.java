package dev.herald.demo.shop;

/** An order's state as the pages show it. EXPIRED is never stored: it is a PENDING order past its expiry. */
public enum OrderStatus {
    PENDING, PAID, FAILED, EXPIRED;

    public boolean isFinal() {
        return this != PENDING;
    }
}
