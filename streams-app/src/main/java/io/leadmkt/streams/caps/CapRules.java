package io.leadmkt.streams.caps;

import io.leadmkt.schema.BuyerCap;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.CapUsage;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Whether one more lead at a price fits a buyer's caps and balance, judged against its current
 * usage (sold leads plus holds not yet settled). Pure: the cap keeper owns the usage and applies
 * the verdict.
 */
public final class CapRules {
    public static final String BALANCE = "BALANCE";
    public static final String BAD_TIME_ZONE = "BAD_TIME_ZONE";
    public static final String UNKNOWN_BUYER = "UNKNOWN_BUYER";

    private CapRules() {
    }

    /**
     * @param granted whether the lead fits
     * @param reason  why not, e.g. DAY_LEADS_CAP, MONTH_SPEND_CAP, BALANCE; null when granted
     * @param spans   every usage the lead counts in (each cap's current period, then the lifetime total)
     */
    public record Verdict(boolean granted, String reason, List<CapPeriods.Span> spans) {
    }

    /** Whether a buyer has anything to keep: caps or a balance. Such a buyer's posts need a hold first. */
    public static boolean capped(BuyerConfig buyer) {
        return !buyer.getCaps().isEmpty() || buyer.getPrepaidCents() != null;
    }

    public static Verdict judge(BuyerConfig buyer, long priceCents, long now, Function<String, CapUsage> usage) {
        if (buyer == null) {
            return new Verdict(false, UNKNOWN_BUYER, List.of());
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(buyer.getTimeZone());
        } catch (DateTimeException | NullPointerException e) {
            return new Verdict(false, BAD_TIME_ZONE, List.of()); // config apply refuses these; never guess a midnight
        }
        List<CapPeriods.Span> spans = new ArrayList<>();
        for (BuyerCap cap : buyer.getCaps()) {
            CapPeriods.Span span = CapPeriods.of(buyer.getBuyerId(), cap.getPeriod(), zone, now);
            spans.add(span);
            CapUsage used = usage.apply(span.key());
            int leads = used == null ? 0 : used.getLeads();
            long spend = used == null ? 0 : used.getSpendCents();
            if (cap.getMaxLeads() != null && leads + 1L > cap.getMaxLeads()) {
                return new Verdict(false, cap.getPeriod() + "_LEADS_CAP", spans);
            }
            if (cap.getMaxSpendCents() != null && spend > cap.getMaxSpendCents() - priceCents) {
                return new Verdict(false, cap.getPeriod() + "_SPEND_CAP", spans);
            }
        }
        CapPeriods.Span lifetime = CapPeriods.lifetime(buyer.getBuyerId());
        spans.add(lifetime);
        if (buyer.getPrepaidCents() != null) {
            CapUsage used = usage.apply(lifetime.key());
            long spent = used == null ? 0 : used.getSpendCents();
            long available = buyer.getPrepaidCents() + Math.max(0, buyer.getCreditLimitCents());
            if (spent > available - priceCents) {
                return new Verdict(false, BALANCE, spans);
            }
        }
        return new Verdict(true, null, spans);
    }

    /**
     * Every usage a sale made at {@code at} was counted in, as the buyer's caps are now: each cap's
     * period holding {@code at}, then the lifetime total. What a refund gives back.
     */
    public static List<CapPeriods.Span> spans(BuyerConfig buyer, long at) {
        List<CapPeriods.Span> spans = new ArrayList<>();
        try {
            ZoneId zone = ZoneId.of(buyer.getTimeZone());
            for (BuyerCap cap : buyer.getCaps()) {
                spans.add(CapPeriods.of(buyer.getBuyerId(), cap.getPeriod(), zone, at));
            }
        } catch (DateTimeException | NullPointerException e) {
            // no telling which periods: the lifetime total is all that can be credited
        }
        spans.add(CapPeriods.lifetime(buyer.getBuyerId()));
        return spans;
    }

    /** What a buyer can still spend, and until when that figure holds. */
    public record SpendLeft(long cents, long until) {
    }

    /**
     * The least the buyer can still spend under any spend cap or its balance, with the end of the
     * period that binds (Long.MAX_VALUE for the balance); empty when nothing limits its spend.
     */
    public static java.util.Optional<SpendLeft> spendLeft(BuyerConfig buyer, long now,
                                                          Function<String, CapUsage> usage) {
        ZoneId zone;
        try {
            zone = ZoneId.of(buyer.getTimeZone());
        } catch (DateTimeException | NullPointerException e) {
            return java.util.Optional.empty();
        }
        SpendLeft least = null;
        for (BuyerCap cap : buyer.getCaps()) {
            if (cap.getMaxSpendCents() != null) {
                CapPeriods.Span span = CapPeriods.of(buyer.getBuyerId(), cap.getPeriod(), zone, now);
                CapUsage used = usage.apply(span.key());
                long left = Math.max(0, cap.getMaxSpendCents() - (used == null ? 0 : used.getSpendCents()));
                if (least == null || left < least.cents()) {
                    least = new SpendLeft(left, span.endsAt());
                }
            }
        }
        if (buyer.getPrepaidCents() != null) {
            CapUsage used = usage.apply(CapPeriods.lifetime(buyer.getBuyerId()).key());
            long available = buyer.getPrepaidCents() + Math.max(0, buyer.getCreditLimitCents());
            long left = Math.max(0, available - (used == null ? 0 : used.getSpendCents()));
            if (least == null || left < least.cents()) {
                least = new SpendLeft(left, Long.MAX_VALUE);
            }
        }
        return java.util.Optional.ofNullable(least);
    }

    /** Whether a refusal was for spend (a cap's spend or the balance) rather than for a count. */
    public static boolean spendRefusal(String reason) {
        return reason != null && (reason.endsWith("_SPEND_CAP") || reason.equals(BALANCE));
    }

    /**
     * Until when the buyer cannot take even one more lead: the latest end among exhausted periods,
     * {@link Long#MAX_VALUE} when its balance is used up, 0 when it can still take one.
     */
    public static long fullUntil(BuyerConfig buyer, long now, Function<String, CapUsage> usage) {
        ZoneId zone;
        try {
            zone = ZoneId.of(buyer.getTimeZone());
        } catch (DateTimeException | NullPointerException e) {
            return 0;
        }
        long until = 0;
        for (BuyerCap cap : buyer.getCaps()) {
            CapPeriods.Span span = CapPeriods.of(buyer.getBuyerId(), cap.getPeriod(), zone, now);
            CapUsage used = usage.apply(span.key());
            int leads = used == null ? 0 : used.getLeads();
            long spend = used == null ? 0 : used.getSpendCents();
            boolean full = (cap.getMaxLeads() != null && leads >= cap.getMaxLeads())
                    || (cap.getMaxSpendCents() != null && spend >= cap.getMaxSpendCents());
            if (full) {
                until = Math.max(until, span.endsAt());
            }
        }
        if (buyer.getPrepaidCents() != null) {
            CapUsage used = usage.apply(CapPeriods.lifetime(buyer.getBuyerId()).key());
            long spent = used == null ? 0 : used.getSpendCents();
            if (spent >= buyer.getPrepaidCents() + Math.max(0, buyer.getCreditLimitCents())) {
                until = Long.MAX_VALUE;
            }
        }
        return until;
    }
}
