package dev.herald.demo.shop;

import java.util.Locale;

/** What the demo shop sells: one product. */
public record Product(String sku, String name, String tagline, String description, int amountCents, String currency) {

    public static final Product NOTEBOOK = new Product("field-notebook-a5", "Field Notebook, A5",
            "Dot grid, 192 pages, lay-flat binding",
            "Smooth 100 g/m² paper that takes fountain pens without bleeding, a linen cover that ages well, and an "
                    + "elastic closure. Ships in two working days.",
            2400, "EUR");

    public String price() {
        return Money.format(amountCents, currency);
    }

    /** Formats money for the pages. */
    public static final class Money {
        private Money() {}

        public static String format(long cents, String currency) {
            String symbol = switch (currency) {
                case "EUR" -> "€";
                case "USD" -> "$";
                case "GBP" -> "£";
                default -> currency + " ";
            };
            return symbol + String.format(Locale.ROOT, "%d.%02d", cents / 100, cents % 100);
        }
    }
}
