package io.leadmkt.streams.report;

import java.util.List;
import java.util.Optional;

/**
 * A buyer's bid prices and ping-answer times, counted in fixed bands ({@link Figure}s), so the
 * distribution of any hour, day or range is the sum of its rows' counts, exactly, on every instance;
 * a percentile read off the bands is the upper bound of the band holding it (nearest rank), which is
 * what a report over counts can say exactly.
 */
public final class Bands {
    /** One band: the values below {@code below} and at or above the previous band's bound. */
    public record Band(Figure figure, long below) {
    }

    /** Bid prices in cents. */
    public static final List<Band> BID_CENTS = List.of(
            new Band(Figure.BIDS_UNDER_5, 500), new Band(Figure.BIDS_5_TO_10, 1_000),
            new Band(Figure.BIDS_10_TO_20, 2_000), new Band(Figure.BIDS_20_TO_50, 5_000),
            new Band(Figure.BIDS_50_TO_100, 10_000), new Band(Figure.BIDS_100_UP, Long.MAX_VALUE));
    /** Answer times in milliseconds: a band holds the values at most its bound ({@code below} is bound + 1). */
    public static final List<Band> ANSWER_MS = List.of(
            new Band(Figure.ANSWERS_IN_10MS, 11), new Band(Figure.ANSWERS_IN_50MS, 51),
            new Band(Figure.ANSWERS_IN_100MS, 101), new Band(Figure.ANSWERS_IN_250MS, 251),
            new Band(Figure.ANSWERS_IN_500MS, 501), new Band(Figure.ANSWERS_IN_1S, 1_001),
            new Band(Figure.ANSWERS_OVER_1S, Long.MAX_VALUE));

    private Bands() {
    }

    /** The band {@code value} falls in. */
    public static Figure of(List<Band> bands, long value) {
        for (Band band : bands) {
            if (value < band.below()) {
                return band.figure();
            }
        }
        return bands.get(bands.size() - 1).figure();
    }

    /**
     * The exclusive upper bound of the band holding the {@code quantile} (0–1] value of the row's counts,
     * by nearest rank; empty when the row counts nothing, or the value is in the open top band.
     */
    public static Optional<Long> quantileBelow(ReportRow row, List<Band> bands, double quantile) {
        long total = bands.stream().mapToLong(band -> row.get(band.figure())).sum();
        if (total == 0) {
            return Optional.empty();
        }
        long rank = Math.max(1, (long) Math.ceil(quantile * total));
        long seen = 0;
        for (Band band : bands) {
            seen += row.get(band.figure());
            if (seen >= rank) {
                return band.below() == Long.MAX_VALUE ? Optional.empty() : Optional.of(band.below());
            }
        }
        return Optional.empty();
    }
}
