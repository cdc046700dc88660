package io.leadmkt.streams.eligibility;

import static io.leadmkt.streams.MarketFixtures.buyer;
import static io.leadmkt.streams.MarketFixtures.campaign;
import static io.leadmkt.streams.MarketFixtures.lead;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.DayPart;
import io.leadmkt.schema.Ping;
import io.leadmkt.streams.MarketHarness;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Day-parting on the whole topology, the wall clock driven by the test. {@link MarketHarness#START}
 * (2026-11-28T03:00Z) is already Saturday in UTC but still Friday 22:00 in New York.
 */
class DayPartingTopologyTest {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final List<String> WEEKDAYS = List.of("MON", "TUE", "WED", "THU", "FRI");

    private MarketHarness market;
    private int leads;

    @BeforeEach
    void setUp() {
        market = new MarketHarness();
        market.campaign(campaign(1_000, 500).build());
        // The buyer of the brief: New York office hours.
        market.buyer(buyer("ny-office").setTimeZone("America/New_York")
                .setDayParts(List.of(part(WEEKDAYS, "09:00", "17:00"))).build());
        // Weekday evenings up to local midnight, so the Friday/Saturday midnight itself decides.
        market.buyer(buyer("ny-evenings").setTimeZone("America/New_York")
                .setDayParts(List.of(part(WEEKDAYS, "17:00", "24:00"))).build());
        // The same weekday rule read in UTC: already Saturday at START.
        market.buyer(buyer("utc-weekdays").setDayParts(List.of(part(WEEKDAYS, "00:00", "24:00"))).build());
    }

    @AfterEach
    void tearDown() {
        market.close();
    }

    private static DayPart part(List<String> days, String from, String to) {
        return DayPart.newBuilder().setDays(days).setFromMinute(minutes(from)).setToMinute(minutes(to)).build();
    }

    private static int minutes(String hhmm) {
        return Integer.parseInt(hhmm.substring(0, 2)) * 60 + Integer.parseInt(hhmm.substring(3));
    }

    private ZonedDateTime newYorkNow() {
        return Instant.ofEpochMilli(market.now()).atZone(NEW_YORK);
    }

    /** The buyers pinged for a fresh lead submitted now; none when no ping went out. */
    private List<String> pingedNow() {
        market.pings.readValuesToList();
        String id = "L" + (++leads);
        market.submit(lead(id, market.now()).build());
        List<Ping> pings = market.pings.readValuesToList().stream().filter(p -> p.getLeadId().equals(id)).toList();
        return pings.isEmpty() ? List.of() : pings.get(0).getBuyers();
    }

    @Test
    void shouldPingBeforeNewYorkMidnightAndNotAfterWhenFridayTurnsSaturday() {
        assertThat(newYorkNow().toString()).startsWith("2026-11-27T22:00-05:00");
        assertThat(pingedNow()).containsExactly("ny-evenings");

        market.advance(Duration.ofMinutes(119)); // Friday 23:59 in New York
        assertThat(newYorkNow().getDayOfWeek().name()).isEqualTo("FRIDAY");
        assertThat(pingedNow()).containsExactly("ny-evenings");

        market.advance(Duration.ofMinutes(2)); // Saturday 00:01 in New York
        assertThat(newYorkNow().getDayOfWeek().name()).isEqualTo("SATURDAY");
        assertThat(pingedNow()).isEmpty();
    }

    @Test
    void shouldPingTheOfficeHoursBuyerOnlyInsideItsLocalHoursWhenTheWeekStarts() {
        assertThat(pingedNow()).doesNotContain("ny-office");

        // Monday 2026-11-30 08:59 in New York = 13:59Z: Monday in UTC as well.
        market.advance(Duration.ofDays(2).plusHours(10).plusMinutes(59));
        assertThat(newYorkNow().toString()).startsWith("2026-11-30T08:59-05:00");
        assertThat(pingedNow()).containsExactly("utc-weekdays");

        market.advance(Duration.ofMinutes(1)); // 09:00 New York
        assertThat(pingedNow()).containsExactly("ny-office", "utc-weekdays");

        market.advance(Duration.ofHours(8).minusMinutes(1)); // 16:59 New York
        assertThat(pingedNow()).containsExactly("ny-office", "utc-weekdays");

        market.advance(Duration.ofMinutes(1)); // 17:00 New York: office closed, evenings open
        assertThat(pingedNow()).containsExactly("ny-evenings", "utc-weekdays");
    }

    @Test
    void shouldPingTheOfficeBuyerOnFridayAfternoonAndNotOnSaturdayWhenAWeekPasses() {
        // Friday 2026-12-04 16:30 in New York.
        market.advance(Duration.ofDays(6).plusHours(18).plusMinutes(30));
        assertThat(newYorkNow().toString()).startsWith("2026-12-04T16:30-05:00");
        assertThat(pingedNow()).containsExactly("ny-office", "utc-weekdays");

        // Saturday 2026-12-05 09:30 in New York: the same hours, the wrong day.
        market.advance(Duration.ofHours(17));
        assertThat(newYorkNow().getDayOfWeek().name()).isEqualTo("SATURDAY");
        assertThat(pingedNow()).isEmpty();
    }
}
