package io.leadmkt.schema;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Money is carried as a {@code long} of cents (US dollars) everywhere: never a float. This class
 * is the one place that turns text into cents and cents into text.
 */
public final class Money {
    /** Optional dollar sign, digits with optional thousands commas, at most two decimals. */
    private static final Pattern AMOUNT = Pattern.compile("^\\$?\\s*(\\d{1,3}(,\\d{3})+|\\d+)(\\.\\d{0,2})?$|^\\$?\\s*\\.\\d{1,2}$");

    /**
     * No bid above this is believed ($100,000.00): the connector's default ceiling for HTTP answers
     * and the auction's for Kafka-native ones. A higher price is an ERROR, never a win.
     */
    public static final long MAX_BID_CENTS = 100_000_00L;

    private Money() {
    }

    /** "12.50" for 1250. */
    public static String format(long cents) {
        return BigDecimal.valueOf(cents, 2).toPlainString();
    }

    /**
     * Cents for a buyer- or seller-supplied amount: "12.5", "12.50", "$1,234.00", "7". Empty when the
     * text is not a plain non-negative amount with at most two decimals (so "NaN", "-3", "1e3" and
     * "12.345" are refused rather than guessed at).
     */
    public static Optional<Long> parseCents(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String trimmed = text.trim();
        if (!AMOUNT.matcher(trimmed).matches()) {
            return Optional.empty();
        }
        String digits = trimmed.replace("$", "").replace(",", "").trim();
        try {
            BigDecimal amount = new BigDecimal(digits.endsWith(".") ? digits + "0" : digits);
            return Optional.of(amount.setScale(2, RoundingMode.UNNECESSARY).movePointRight(2).longValueExact());
        } catch (ArithmeticException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Cents for a JSON number already parsed exactly (e.g. Jackson's BigDecimal); empty if not exact to the cent. */
    public static Optional<Long> toCents(BigDecimal amount) {
        if (amount == null || amount.signum() < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(amount.setScale(2, RoundingMode.UNNECESSARY).movePointRight(2).longValueExact());
        } catch (ArithmeticException e) {
            return Optional.empty();
        }
    }
}
