package io.leadmkt.streams.dashboard;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the recent auctions say that the hourly report rows cannot: the prices buyers bid, in bands
 * and percentiles, how long sellers waited for a decision, and how fast each buyer answers its
 * pings. Worked out from the auctions given (the dashboard's recent window), exactly: integer
 * cents and milliseconds, percentiles by nearest rank.
 *
 * @param auctions  how many auctions the figures are of
 * @param sold      of which sold
 * @param bids      every BID answer's price
 * @param decisionMs intake to decision, per auction
 * @param buyers    per buyer (by id), its answers' latencies; answers without a buyer (as a seller sees
 *                  them) are in none
 */
public record LiveFigures(int auctions, int sold, Distribution bids, Percentiles decisionMs,
                          Map<String, BuyerAnswers> buyers) {

    /** The most bands a bid distribution is cut into. */
    static final int MAX_BANDS = 10;
    /** Band widths tried, smallest first: $1, $2, $5, $10, ... in cents. */
    private static final long[] STEPS = {100, 200, 500};

    /** The 50th, 90th and 99th percentiles of {@code count} values; empty when there were none. */
    public record Percentiles(int count, Optional<Long> p50, Optional<Long> p90, Optional<Long> p99) {
        static Percentiles of(long[] values) {
            long[] sorted = values.clone();
            Arrays.sort(sorted);
            return new Percentiles(sorted.length, rank(sorted, 50), rank(sorted, 90), rank(sorted, 99));
        }

        /** Nearest rank: the smallest value with at least {@code percent} % of the values at or below it. */
        private static Optional<Long> rank(long[] sorted, int percent) {
            if (sorted.length == 0) {
                return Optional.empty();
            }
            int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
            return Optional.of(sorted[Math.max(0, index)]);
        }
    }

    /** Bid prices {@code fromCents} (inclusive) to {@code toCents} (exclusive): {@code count} bids. */
    public record Band(long fromCents, long toCents, int count) {
    }

    /** Prices in cents: their percentiles, and counts in bands of one "round" width. */
    public record Distribution(Percentiles cents, List<Band> bands) {
    }

    /** A buyer's answers to pings: how many, of which bids, and how long they took when it answered. */
    public record BuyerAnswers(int answers, int bids, Percentiles latencyMs) {
    }

    public static LiveFigures of(List<RecentAuction> auctions) {
        List<Long> bidCents = new ArrayList<>();
        long[] decisions = new long[auctions.size()];
        Map<String, List<RecentAuction.Answer>> byBuyer = new TreeMap<>();
        int sold = 0;
        for (int i = 0; i < auctions.size(); i++) {
            RecentAuction auction = auctions.get(i);
            decisions[i] = auction.decisionMs();
            if (auction.sold()) {
                sold++;
            }
            for (RecentAuction.Answer answer : auction.answers()) {
                if (answer.buyerId() != null) { // an answer shown without its buyer counts in the bids only
                    byBuyer.computeIfAbsent(answer.buyerId(), id -> new ArrayList<>()).add(answer);
                }
                if (answer.isBid()) {
                    bidCents.add(answer.priceCents());
                }
            }
        }
        Map<String, BuyerAnswers> buyers = new TreeMap<>();
        byBuyer.forEach((buyerId, answers) -> buyers.put(buyerId, new BuyerAnswers(answers.size(),
                (int) answers.stream().filter(RecentAuction.Answer::isBid).count(),
                Percentiles.of(answers.stream().filter(a -> a.latencyMs() != null)
                        .mapToLong(RecentAuction.Answer::latencyMs).toArray()))));
        long[] prices = bidCents.stream().mapToLong(Long::longValue).toArray();
        return new LiveFigures(auctions.size(), sold, new Distribution(Percentiles.of(prices), bands(prices)),
                Percentiles.of(decisions), buyers);
    }

    /**
     * The prices counted in bands of the smallest round width ($1, $2, $5, $10, $20, ...) that cuts
     * their range into at most {@link #MAX_BANDS}; every band from the lowest price's to the highest's,
     * empty ones included, so the chart's axis has no gaps.
     */
    static List<Band> bands(long[] cents) {
        if (cents.length == 0) {
            return List.of();
        }
        long min = Arrays.stream(cents).min().orElseThrow();
        long max = Arrays.stream(cents).max().orElseThrow();
        long width = STEPS[0];
        for (long scale = 1; ; scale *= 10) {
            boolean found = false;
            for (long step : STEPS) {
                width = step * scale;
                if (max / width - min / width + 1 <= MAX_BANDS) {
                    found = true;
                    break;
                }
            }
            if (found) {
                break;
            }
        }
        long first = min / width;
        int[] counts = new int[(int) (max / width - first + 1)];
        for (long price : cents) {
            counts[(int) (price / width - first)]++;
        }
        List<Band> bands = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            long from = (first + i) * width;
            bands.add(new Band(from, from + width, counts[i]));
        }
        return bands;
    }
}
