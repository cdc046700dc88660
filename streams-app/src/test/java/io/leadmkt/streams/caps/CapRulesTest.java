package io.leadmkt.streams.caps;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.BuyerCap;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.CapPeriod;
import io.leadmkt.schema.CapUsage;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cap periods in the buyer's own time zone, and the verdict on one more lead. */
class CapRulesTest {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private final Map<String, CapUsage> usage = new HashMap<>();

    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    private static BuyerConfig buyer(String zone, List<BuyerCap> caps, Long prepaid, long credit) {
        return BuyerConfig.newBuilder().setBuyerId("b1").setTimeZone(zone).setCaps(caps)
                .setPrepaidCents(prepaid).setCreditLimitCents(credit).build();
    }

    private static BuyerCap cap(CapPeriod period, Integer leads, Long spend) {
        return BuyerCap.newBuilder().setPeriod(period).setMaxLeads(leads).setMaxSpendCents(spend).build();
    }

    /** Applies a grant the way the keeper does. */
    private void take(CapRules.Verdict verdict, long price) {
        for (CapPeriods.Span span : verdict.spans()) {
            CapUsage used = usage.getOrDefault(span.key(), new CapUsage(0, 0L, span.endsAt()));
            usage.put(span.key(), new CapUsage(used.getLeads() + 1, used.getSpendCents() + price, span.endsAt()));
        }
    }

    @Test
    void shouldStartTheDayAtTheBuyersLocalMidnightWhenItIsNotUtcMidnight() {
        // 04:59 UTC is 23:59 in New York (EST, UTC-5): still Friday there.
        CapPeriods.Span friday = CapPeriods.of("b1", CapPeriod.DAY, NEW_YORK, at("2026-11-28T04:59:00Z"));
        CapPeriods.Span saturday = CapPeriods.of("b1", CapPeriod.DAY, NEW_YORK, at("2026-11-28T05:00:00Z"));
        assertThat(friday.key()).isNotEqualTo(saturday.key());
        assertThat(friday.endsAt()).isEqualTo(at("2026-11-28T05:00:00Z"));
        assertThat(saturday.startsAt()).isEqualTo(at("2026-11-28T05:00:00Z"));
        assertThat(saturday.endsAt()).isEqualTo(at("2026-11-29T05:00:00Z"));
    }

    @Test
    void shouldSpanTwentyFiveHoursWhenTheDayFallsBack() {
        // 2026-11-01: New York leaves daylight time at 02:00 local.
        CapPeriods.Span day = CapPeriods.of("b1", CapPeriod.DAY, NEW_YORK, at("2026-11-01T12:00:00Z"));
        assertThat(day.endsAt() - day.startsAt()).isEqualTo(25L * 3600_000);
        CapPeriods.Span firstOne = CapPeriods.of("b1", CapPeriod.HOUR, NEW_YORK, at("2026-11-01T05:30:00Z"));
        CapPeriods.Span repeatedOne = CapPeriods.of("b1", CapPeriod.HOUR, NEW_YORK, at("2026-11-01T06:30:00Z"));
        assertThat(firstOne.key()).as("the repeated 01:00 hour is its own period").isNotEqualTo(repeatedOne.key());
    }

    @Test
    void shouldStartTheWeekOnMondayAndTheMonthOnTheFirstInTheBuyersZone() {
        // Sunday 2026-11-29 23:30 in New York is Monday 04:30 UTC.
        CapPeriods.Span week = CapPeriods.of("b1", CapPeriod.WEEK, NEW_YORK, at("2026-11-30T04:30:00Z"));
        assertThat(week.startsAt()).isEqualTo(at("2026-11-23T05:00:00Z"));
        assertThat(week.endsAt()).isEqualTo(at("2026-11-30T05:00:00Z"));
        CapPeriods.Span month = CapPeriods.of("b1", CapPeriod.MONTH, NEW_YORK, at("2026-12-01T03:00:00Z"));
        assertThat(month.startsAt()).as("still November in New York").isEqualTo(at("2026-11-01T04:00:00Z"));
    }

    @Test
    void shouldRefuseTheLeadPastTheDailyCountAndGrantAgainAfterLocalMidnight() {
        BuyerConfig buyer = buyer("America/New_York", List.of(cap(CapPeriod.DAY, 2, null)), null, 0);
        long evening = at("2026-11-28T04:00:00Z"); // 23:00 Friday in New York
        take(CapRules.judge(buyer, 100, evening, usage::get), 100);
        take(CapRules.judge(buyer, 100, evening, usage::get), 100);
        CapRules.Verdict third = CapRules.judge(buyer, 100, evening, usage::get);
        assertThat(third.granted()).isFalse();
        assertThat(third.reason()).isEqualTo("DAY_LEADS_CAP");
        assertThat(CapRules.fullUntil(buyer, evening, usage::get)).isEqualTo(at("2026-11-28T05:00:00Z"));

        long afterMidnight = at("2026-11-28T05:00:00Z");
        assertThat(CapRules.judge(buyer, 100, afterMidnight, usage::get).granted()).isTrue();
        assertThat(CapRules.fullUntil(buyer, afterMidnight, usage::get)).isZero();
    }

    @Test
    void shouldAllowSpendUpToTheCapExactlyAndNotACentMore() {
        BuyerConfig buyer = buyer("UTC", List.of(cap(CapPeriod.HOUR, null, 1_000L)), null, 0);
        long now = at("2026-11-28T10:15:00Z");
        take(CapRules.judge(buyer, 600, now, usage::get), 600);
        assertThat(CapRules.judge(buyer, 401, now, usage::get).reason()).isEqualTo("HOUR_SPEND_CAP");
        CapRules.Verdict exact = CapRules.judge(buyer, 400, now, usage::get);
        assertThat(exact.granted()).isTrue();
        take(exact, 400);
        assertThat(CapRules.fullUntil(buyer, now, usage::get)).isEqualTo(at("2026-11-28T11:00:00Z"));
    }

    @Test
    void shouldBoundLifetimeSpendByDepositsPlusCreditWhenABalanceIsKept() {
        BuyerConfig buyer = buyer("UTC", List.of(), 1_000L, 500);
        long now = at("2026-11-28T10:15:00Z");
        take(CapRules.judge(buyer, 1_200, now, usage::get), 1_200);
        assertThat(CapRules.judge(buyer, 301, now, usage::get).reason()).isEqualTo(CapRules.BALANCE);
        take(CapRules.judge(buyer, 300, now, usage::get), 300);
        assertThat(CapRules.fullUntil(buyer, now, usage::get)).isEqualTo(Long.MAX_VALUE);
        BuyerConfig toppedUp = buyer("UTC", List.of(), 2_000L, 500);
        assertThat(CapRules.judge(toppedUp, 1_000, now, usage::get).granted()).isTrue();
    }

    @Test
    void shouldReportTheTightestSpendLimitAndWhenItEnds() {
        BuyerConfig buyer = buyer("UTC", List.of(cap(CapPeriod.DAY, null, 5_000L), cap(CapPeriod.HOUR, 10, null)),
                4_000L, 0);
        long now = at("2026-11-28T10:15:00Z");
        take(CapRules.judge(buyer, 3_000, now, usage::get), 3_000);

        assertThat(CapRules.spendLeft(buyer, now, usage::get)).contains(new CapRules.SpendLeft(1_000, Long.MAX_VALUE));
        BuyerConfig richer = buyer("UTC", List.of(cap(CapPeriod.DAY, null, 5_000L)), 100_000L, 0);
        assertThat(CapRules.spendLeft(richer, now, usage::get))
                .contains(new CapRules.SpendLeft(2_000, at("2026-11-29T00:00:00Z")));
        assertThat(CapRules.spendLeft(buyer("UTC", List.of(cap(CapPeriod.DAY, 3, null)), null, 0), now, usage::get))
                .as("counts only: no spend limit").isEmpty();
        assertThat(CapRules.spendRefusal("DAY_SPEND_CAP")).isTrue();
        assertThat(CapRules.spendRefusal(CapRules.BALANCE)).isTrue();
        assertThat(CapRules.spendRefusal("DAY_LEADS_CAP")).isFalse();
    }

    @Test
    void shouldRefuseRatherThanGuessWhenTheTimeZoneIsBadOrTheBuyerIsGone() {
        BuyerConfig bad = buyer("Mars/Olympus", List.of(cap(CapPeriod.DAY, 5, null)), null, 0);
        assertThat(CapRules.judge(bad, 100, 0, usage::get).reason()).isEqualTo(CapRules.BAD_TIME_ZONE);
        assertThat(CapRules.judge(null, 100, 0, usage::get).reason()).isEqualTo(CapRules.UNKNOWN_BUYER);
    }

    @Test
    void shouldCountOnlyBuyersWithCapsOrABalanceAsCapped() {
        assertThat(CapRules.capped(buyer("UTC", List.of(), null, 0))).isFalse();
        assertThat(CapRules.capped(buyer("UTC", List.of(cap(CapPeriod.MONTH, 1, null)), null, 0))).isTrue();
        assertThat(CapRules.capped(buyer("UTC", List.of(), 0L, 0))).isTrue();
    }
}
