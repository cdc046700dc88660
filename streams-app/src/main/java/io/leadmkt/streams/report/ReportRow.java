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
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
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
 *
 * <p>The figures are an array by {@link Figure} ordinal, copied once per change: an auction's close
 * changes a row per buyer and an outcome six, and building maps per added figure was a fifth of
 * everything the process allocated at 200 leads/s (JFR allocation samples).
 */
public final class ReportRow {
    private static final Figure[] FIGURES = Figure.values();
    public static final ReportRow EMPTY = new ReportRow(new long[FIGURES.length], Map.of());

    /** By figure ordinal; never changed once the row is built. */
    private final long[] amounts;
    /** Sorted by reason, unmodifiable; shared between rows until a rejection changes it. */
    private final Map<String, Long> rejectedByReason;

    public ReportRow(Map<Figure, Long> figures, Map<String, Long> rejectedByReason) {
        this(amounts(figures), Collections.unmodifiableMap(new TreeMap<>(rejectedByReason)));
    }

    private ReportRow(long[] amounts, Map<String, Long> rejectedByReason) {
        this.amounts = amounts;
        this.rejectedByReason = rejectedByReason;
    }

    private static long[] amounts(Map<Figure, Long> figures) {
        long[] amounts = new long[FIGURES.length];
        figures.forEach((figure, amount) -> amounts[figure.ordinal()] = amount);
        return amounts;
    }

    /** The figures that are not zero. */
    public Map<Figure, Long> figures() {
        EnumMap<Figure, Long> figures = new EnumMap<>(Figure.class);
        for (Figure figure : FIGURES) {
            if (amounts[figure.ordinal()] != 0) {
                figures.put(figure, amounts[figure.ordinal()]);
            }
        }
        return Collections.unmodifiableMap(figures);
    }

    /** Rejected leads by reason code, sorted by reason. */
    public Map<String, Long> rejectedByReason() {
        return rejectedByReason;
    }

    public long get(Figure figure) {
        return amounts[figure.ordinal()];
    }

    public ReportRow plus(Figure figure, long amount) {
        return amount == 0 ? this : adding().add(figure, amount).row();
    }

    /** A copy of this row's figures to add to, for a change of several figures at once. */
    private Sum adding() {
        return new Sum(amounts.clone(), rejectedByReason);
    }

    /** Figures being added up; becomes a row once, by {@link #row()}. */
    private static final class Sum {
        private final long[] amounts;
        private Map<String, Long> rejectedByReason;

        Sum(long[] amounts, Map<String, Long> rejectedByReason) {
            this.amounts = amounts;
            this.rejectedByReason = rejectedByReason;
        }

        Sum add(Figure figure, long amount) {
            amounts[figure.ordinal()] = Math.addExact(amounts[figure.ordinal()], amount);
            return this;
        }

        Sum addAll(ReportRow other) {
            for (int i = 0; i < amounts.length; i++) {
                amounts[i] = Math.addExact(amounts[i], other.amounts[i]);
            }
            return addReasons(other.rejectedByReason);
        }

        Sum addReasons(Map<String, Long> reasons) {
            if (!reasons.isEmpty()) {
                Map<String, Long> sum = new TreeMap<>(rejectedByReason);
                reasons.forEach((reason, count) -> sum.merge(reason, count, Math::addExact));
                rejectedByReason = Collections.unmodifiableMap(sum);
            }
            return this;
        }

        ReportRow row() {
            return new ReportRow(amounts, rejectedByReason);
        }
    }

    /** A lead's outcome, for the rows of its seller, source, campaign and state. */
    public ReportRow withOutcome(Outcome outcome) {
        Sum sum = adding().add(Figure.LEADS, 1);
        if (Shed.isShed(outcome)) {
            sum.add(Figure.SHED, 1);
        }
        return addSale(sum, outcome).row();
    }

    /** A sale's money only, for the row of the buyer that bought it (its leads are counted by pings). */
    public ReportRow withSale(Outcome outcome) {
        if (outcome.getStatus() != OutcomeStatus.SOLD) {
            return this;
        }
        return addSale(adding(), outcome).row();
    }

    private static Sum addSale(Sum sum, Outcome outcome) {
        if (outcome.getStatus() != OutcomeStatus.SOLD) {
            return sum;
        }
        return sum.add(Figure.SOLD, 1)
                .add(Figure.REVENUE, orZero(outcome.getPriceCents()))
                .add(Figure.SELLER_PAYOUT, orZero(outcome.getSellerPayoutCents()))
                .add(Figure.PLATFORM_FEE, orZero(outcome.getPlatformFeeCents()));
    }

    /** A lead refused before the auction: shed when it was too old to offer, else rejected for its reason. */
    public ReportRow withRejection(Rejection rejection) {
        Sum sum = adding().add(Figure.LEADS, 1);
        if (Shed.isShed(rejection)) {
            return sum.add(Figure.SHED, 1).row();
        }
        return sum.add(Figure.REJECTED, 1).addReasons(Map.of(rejection.getReasonCode(), 1L)).row();
    }

    /**
     * A buyer's answer to a ping, as the auction judged it, counted in its bands: the price band of a
     * bid ({@code priceCents}, the price ranked) and the answer-time band ({@code latencyMs}).
     */
    public ReportRow withAnswer(BidStatus status, Long priceCents, int latencyMs) {
        Sum sum = addAnswer(adding(), status);
        if (status == BidStatus.BID && priceCents != null) {
            sum.add(Bands.of(Bands.BID_CENTS, priceCents), 1);
        }
        return sum.add(Bands.of(Bands.ANSWER_MS, latencyMs), 1).row();
    }

    /** A buyer's answer to a ping, as the auction judged it; {@code null}: it never answered. */
    public ReportRow withAnswer(BidStatus status) {
        return addAnswer(adding(), status).row();
    }

    private static Sum addAnswer(Sum sum, BidStatus status) {
        sum.add(Figure.PINGS, 1);
        if (status == null || status == BidStatus.TIMEOUT) {
            return sum.add(Figure.TIMEOUTS, 1);
        }
        return switch (status) {
            case BID -> sum.add(Figure.BIDS, 1);
            case ERROR -> sum.add(Figure.ERRORS, 1);
            default -> sum;
        };
    }

    /** The full lead sent to a buyer, on post attempt {@code attempt} (1: the auction's first choice). */
    public ReportRow withPost(int attempt) {
        return adding().add(Figure.POSTS, 1).add(Figure.WINS, attempt == 1 ? 1 : 0).row();
    }

    /** A ping our side never got to the buyer in time, or whose answer it never heard: an offer, no answer of the buyer's. */
    public ReportRow withPingNotReached() {
        return adding().add(Figure.PINGS, 1).add(Figure.PINGS_NOT_REACHED, 1).row();
    }

    /** A post our side never delivered or never heard back from: no answer of the buyer's. */
    public ReportRow withPostNotReached() {
        return plus(Figure.POSTS_NOT_REACHED, 1);
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
            case RETURN -> adding().add(Figure.RETURNS, 1).add(Figure.RETURN_CREDIT, decision.getCreditCents())
                    .add(Figure.CLAWBACK, decision.getClawbackCents()).row();
            case CONVERSION -> adding().add(Figure.CONVERSIONS, 1).add(Figure.CONVERSION_VALUE, decision.getValueCents())
                    .row();
            default -> this;
        };
    }

    /** Both rows' figures added: the same dimension value from two partitions, or two hours of one day. */
    public ReportRow merge(ReportRow other) {
        return adding().addAll(other).row();
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
        // In figure order, so a row's stored bytes do not depend on a hash seed.
        Map<String, Long> named = new LinkedHashMap<>();
        for (Figure figure : FIGURES) {
            if (amounts[figure.ordinal()] != 0) {
                named.put(figure.label(), amounts[figure.ordinal()]);
            }
        }
        return ReportFigures.newBuilder().setFigures(named).setRejectedByReason(rejectedByReason).build();
    }

    /** A stored row; a figure name this build does not know (written by a newer one) is left out. */
    public static ReportRow fromAvro(ReportFigures stored) {
        if (stored == null) {
            return EMPTY;
        }
        long[] amounts = new long[FIGURES.length];
        for (Figure figure : FIGURES) {
            Long amount = stored.getFigures().get(figure.label());
            if (amount != null) {
                amounts[figure.ordinal()] = amount;
            }
        }
        Map<String, Long> reasons = stored.getRejectedByReason().isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new TreeMap<>(stored.getRejectedByReason()));
        return new ReportRow(amounts, reasons);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReportRow other && Arrays.equals(amounts, other.amounts)
                && rejectedByReason.equals(other.rejectedByReason);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(amounts) + rejectedByReason.hashCode();
    }

    @Override
    public String toString() {
        return "ReportRow[figures=" + figures() + ", rejectedByReason=" + rejectedByReason + "]";
    }

    private static long orZero(Long cents) {
        return cents == null ? 0 : cents;
    }
}
