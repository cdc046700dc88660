package io.leadmkt.streams.report;

import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.schema.PostStatus;
import io.leadmkt.schema.PostbackDecision;
import io.leadmkt.schema.PostbackStatus;
import io.leadmkt.schema.Rejection;
import io.leadmkt.schema.ReportFigures;
import io.leadmkt.streams.outcome.Shed;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The figures of one report row (one dimension value in one bucket), and the rules that add an
 * event to them. Immutable: each {@code with...} returns a new row. Money is integer cents.
 *
 * <p>Leads: every lead counts once, by its rejection or by its outcome (the marketplace gives each
 * lead exactly one of them). {@code valid = leads - rejected}: shed leads were valid, just not
 * offered in time. EPL = seller payout / valid leads; RPL = revenue / sold leads.
 */
public record ReportRow(Map<Figure, Long> figures, Map<String, Long> rejectedByReason) {
    public static final ReportRow EMPTY = new ReportRow(Map.of(), Map.of());

    public ReportRow {
        // Zeros left out, so two rows with the same figures are equal however they were built.
        EnumMap<Figure, Long> copy = new EnumMap<>(Figure.class);
        figures.forEach((figure, amount) -> {
            if (amount != 0) {
                copy.put(figure, amount);
            }
        });
        figures = Collections.unmodifiableMap(copy);
        rejectedByReason = Collections.unmodifiableMap(new TreeMap<>(rejectedByReason));
    }

    public long get(Figure figure) {
        return figures.getOrDefault(figure, 0L);
    }

    public ReportRow plus(Figure figure, long amount) {
        if (amount == 0) {
            return this;
        }
        EnumMap<Figure, Long> sum = new EnumMap<>(Figure.class);
        sum.putAll(figures);
        sum.merge(figure, amount, Math::addExact);
        return new ReportRow(sum, rejectedByReason);
    }

    /** A lead's outcome, for the rows of its seller, source, campaign and state. */
    public ReportRow withOutcome(Outcome outcome) {
        ReportRow row = plus(Figure.LEADS, 1);
        if (Shed.isShed(outcome)) {
            row = row.plus(Figure.SHED, 1);
        }
        return row.withSale(outcome);
    }

    /** A sale's money only, for the row of the buyer that bought it (its leads are counted by pings). */
    public ReportRow withSale(Outcome outcome) {
        if (outcome.getStatus() != OutcomeStatus.SOLD) {
            return this;
        }
        return plus(Figure.SOLD, 1)
                .plus(Figure.REVENUE, orZero(outcome.getPriceCents()))
                .plus(Figure.SELLER_PAYOUT, orZero(outcome.getSellerPayoutCents()))
                .plus(Figure.PLATFORM_FEE, orZero(outcome.getPlatformFeeCents()));
    }

    /** A lead refused before the auction: shed when it was too old to offer, else rejected for its reason. */
    public ReportRow withRejection(Rejection rejection) {
        ReportRow row = plus(Figure.LEADS, 1);
        if (Shed.isShed(rejection)) {
            return row.plus(Figure.SHED, 1);
        }
        Map<String, Long> reasons = new TreeMap<>(rejectedByReason);
        reasons.merge(rejection.getReasonCode(), 1L, Math::addExact);
        return new ReportRow(row.plus(Figure.REJECTED, 1).figures, reasons);
    }

    /**
     * A buyer's answer to a ping, as the auction judged it, counted in its bands: the price band of a
     * bid ({@code priceCents}, the price ranked) and the answer-time band ({@code latencyMs}).
     */
    public ReportRow withAnswer(BidStatus status, Long priceCents, int latencyMs) {
        ReportRow row = withAnswer(status);
        if (status == BidStatus.BID && priceCents != null) {
            row = row.plus(Bands.of(Bands.BID_CENTS, priceCents), 1);
        }
        return row.plus(Bands.of(Bands.ANSWER_MS, latencyMs), 1);
    }

    /** A buyer's answer to a ping, as the auction judged it; {@code null}: it never answered. */
    public ReportRow withAnswer(BidStatus status) {
        ReportRow row = plus(Figure.PINGS, 1);
        if (status == null || status == BidStatus.TIMEOUT) {
            return row.plus(Figure.TIMEOUTS, 1);
        }
        return switch (status) {
            case BID -> row.plus(Figure.BIDS, 1);
            case ERROR -> row.plus(Figure.ERRORS, 1);
            default -> row;
        };
    }

    /** The full lead sent to a buyer, on post attempt {@code attempt} (1: the auction's first choice). */
    public ReportRow withPost(int attempt) {
        return plus(Figure.POSTS, 1).plus(Figure.WINS, attempt == 1 ? 1 : 0);
    }

    /** The buyer's answer to a post, as the auction judged it. */
    public ReportRow withPostResult(PostStatus status) {
        return switch (status) {
            case ACCEPTED -> plus(Figure.ACCEPTED, 1);
            case TIMEOUT -> plus(Figure.TIMEOUTS, 1);
            case ERROR -> plus(Figure.ERRORS, 1);
            case REJECTED -> this;
        };
    }

    /**
     * A buyer's postback as the returns desk decided it: an accepted return (its credit to the buyer
     * and the payout clawed back from the seller) or an accepted conversion (and its value). Refused
     * and held returns change no figure.
     */
    public ReportRow withPostback(PostbackDecision decision) {
        if (decision.getStatus() != PostbackStatus.ACCEPTED) {
            return this;
        }
        return switch (decision.getType()) {
            case RETURN -> plus(Figure.RETURNS, 1).plus(Figure.RETURN_CREDIT, decision.getCreditCents())
                    .plus(Figure.CLAWBACK, decision.getClawbackCents());
            case CONVERSION -> plus(Figure.CONVERSIONS, 1).plus(Figure.CONVERSION_VALUE, decision.getValueCents());
            default -> this;
        };
    }

    /** Both rows' figures added: the same dimension value from two partitions, or two hours of one day. */
    public ReportRow merge(ReportRow other) {
        EnumMap<Figure, Long> sum = new EnumMap<>(Figure.class);
        sum.putAll(figures);
        other.figures.forEach((figure, amount) -> sum.merge(figure, amount, Math::addExact));
        Map<String, Long> reasons = new TreeMap<>(rejectedByReason);
        other.rejectedByReason.forEach((reason, count) -> reasons.merge(reason, count, Math::addExact));
        return new ReportRow(sum, reasons);
    }

    public long valid() {
        return get(Figure.LEADS) - get(Figure.REJECTED);
    }

    /** Earnings per lead: seller payout per valid lead, in cents rounded half up; empty without valid leads. */
    public Optional<Long> eplCents() {
        return perLead(get(Figure.SELLER_PAYOUT), valid());
    }

    /** Revenue per lead: revenue per sold lead, in cents rounded half up; empty when nothing sold. */
    public Optional<Long> rplCents() {
        return perLead(get(Figure.REVENUE), get(Figure.SOLD));
    }

    private static Optional<Long> perLead(long cents, long leads) {
        if (leads <= 0) {
            return Optional.empty();
        }
        return Optional.of(BigDecimal.valueOf(cents).divide(BigDecimal.valueOf(leads), 0, RoundingMode.HALF_UP)
                .longValueExact());
    }

    public ReportFigures toAvro() {
        Map<String, Long> named = new TreeMap<>();
        figures.forEach((figure, amount) -> named.put(figure.label(), amount));
        return ReportFigures.newBuilder().setFigures(Map.copyOf(named)).setRejectedByReason(Map.copyOf(rejectedByReason))
                .build();
    }

    /** A stored row; a figure name this build does not know (written by a newer one) is left out. */
    public static ReportRow fromAvro(ReportFigures stored) {
        if (stored == null) {
            return EMPTY;
        }
        EnumMap<Figure, Long> figures = new EnumMap<>(Figure.class);
        for (Figure figure : Figure.values()) {
            Long amount = stored.getFigures().get(figure.label());
            if (amount != null) {
                figures.put(figure, amount);
            }
        }
        Map<String, Long> reasons = new TreeMap<>();
        reasons.putAll(stored.getRejectedByReason());
        return new ReportRow(figures, reasons);
    }

    private static long orZero(Long cents) {
        return cents == null ? 0 : cents;
    }
}
