package io.leadmkt.streams.report;

import static io.leadmkt.streams.MarketFixtures.buyer;
import static io.leadmkt.streams.MarketFixtures.campaign;
import static io.leadmkt.streams.MarketFixtures.lead;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.PostStatus;
import io.leadmkt.schema.Rejection;
import io.leadmkt.schema.ReportFigures;
import io.leadmkt.streams.MarketHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The report figures the topology keeps, against the outcomes and rejections it wrote, lead by lead. */
class ReportTopologyTest {
    private static final Instant FIRST_HOUR = MarketHarness.START;
    private static final Instant SECOND_HOUR = FIRST_HOUR.plus(Duration.ofHours(1));

    private MarketHarness market;
    private final List<Outcome> outcomes = new ArrayList<>();
    private final List<Rejection> rejections = new ArrayList<>();

    @BeforeEach
    void setUp() {
        market = new MarketHarness();
        market.campaign(campaign(1_000, 500).build());
        market.buyer(buyer("alpha").build());
        market.buyer(buyer("bravo").build());
    }

    @AfterEach
    void tearDown() {
        market.close();
    }

    @Test
    void shouldTotalExactlyWhatTheOutcomesSayWhenLeadsEndInTwoHours() {
        // first hour: one sale to alpha, one lead nobody bid on, one duplicate
        Lead first = sell("L1", "TX", Map.of("alpha", 1_537L, "bravo", 1_200L), PostStatus.ACCEPTED);
        sell("L2", "TX", Map.of(), null);
        market.submit(lead("L2-again", market.now()).setContact(first.getContact()).build());
        // second hour: alpha turns its win down, bravo takes it
        market.advance(Duration.ofHours(1));
        Post rejected = offer("L3", "CA", Map.of("alpha", 2_003L, "bravo", 1_411L));
        market.postResult(rejected, PostStatus.REJECTED);
        market.postResult(market.posts.readValue(), PostStatus.ACCEPTED);
        collect();

        assertThat(outcomes).extracting(Outcome::getStatus)
                .containsExactlyInAnyOrder(OutcomeStatus.SOLD, OutcomeStatus.UNSOLD, OutcomeStatus.SOLD);
        assertThat(rejections).extracting(Rejection::getReasonCode).containsExactly("DUPLICATE");

        ReportTable bySeller = report(ReportDimension.SELLER, ReportBucket.HOUR);
        assertThat(bySeller.rows().keySet()).containsExactly(
                new ReportTable.Cell(FIRST_HOUR, "seller-1"), new ReportTable.Cell(SECOND_HOUR, "seller-1"));
        ReportRow sellerTotal = bySeller.total();
        assertThat(sellerTotal.get(Figure.LEADS)).isEqualTo(outcomes.size() + rejections.size());
        assertThat(sellerTotal.get(Figure.REJECTED)).isEqualTo(1);
        assertThat(sellerTotal.rejectedByReason()).isEqualTo(Map.of("DUPLICATE", 1L));
        assertMoneyMatchesOutcomes(sellerTotal);
        assertThat(report(ReportDimension.SELLER, ReportBucket.DAY).rows().values()).containsExactly(sellerTotal);

        ReportTable byState = report(ReportDimension.STATE, ReportBucket.DAY);
        assertThat(byState.rows().keySet()).extracting(ReportTable.Cell::value).containsExactly("CA", "TX");
        assertMoneyMatchesOutcomes(byState.total());
        assertMoneyMatchesOutcomes(report(ReportDimension.CAMPAIGN, ReportBucket.HOUR).total());
        assertMoneyMatchesOutcomes(report(ReportDimension.SOURCE, ReportBucket.HOUR).total());

        ReportTable byBuyer = report(ReportDimension.BUYER, ReportBucket.DAY);
        assertMoneyMatchesOutcomes(byBuyer.total());
        ReportRow alpha = byBuyer.rows().get(new ReportTable.Cell(ReportBucket.DAY.startOf(FIRST_HOUR), "alpha"));
        ReportRow bravo = byBuyer.rows().get(new ReportTable.Cell(ReportBucket.DAY.startOf(FIRST_HOUR), "bravo"));
        assertThat(List.of(alpha.get(Figure.PINGS), alpha.get(Figure.BIDS), alpha.get(Figure.WINS),
                alpha.get(Figure.POSTS), alpha.get(Figure.ACCEPTED), alpha.get(Figure.SOLD), alpha.get(Figure.REVENUE)))
                .as("alpha: pings, bids, wins, posts, accepted, sold, revenue")
                .containsExactly(3L, 2L, 2L, 2L, 1L, 1L, 1_537L);
        assertThat(List.of(bravo.get(Figure.PINGS), bravo.get(Figure.BIDS), bravo.get(Figure.WINS),
                bravo.get(Figure.POSTS), bravo.get(Figure.ACCEPTED), bravo.get(Figure.SOLD)))
                .as("bravo: pings, bids, wins, posts, accepted, sold")
                .containsExactly(3L, 2L, 0L, 1L, 1L, 1L);
        assertThat(List.of(alpha.get(Figure.BIDS_10_TO_20), alpha.get(Figure.BIDS_20_TO_50)))
                .as("alpha's $15.37 and $20.03 in their price bands").containsExactly(1L, 1L);
        assertThat(Bands.ANSWER_MS.stream().mapToLong(band -> alpha.get(band.figure())).sum())
                .as("every answer in one time band").isEqualTo(alpha.get(Figure.PINGS));
    }

    @Test
    void shouldBreakASourcesLeadsDownBySubIdWhenTwoSourcesShareOne() {
        sellFrom("L1", "src-a", "a7", Map.of("alpha", 1_500L), PostStatus.ACCEPTED);
        sellFrom("L2", "src-a", "a7", Map.of(), null);
        sellFrom("L3", "src-b", "a7", Map.of("bravo", 1_250L), PostStatus.ACCEPTED);
        sellFrom("L4", "src/with%slash", null, Map.of("alpha", 1_100L), PostStatus.ACCEPTED);
        collect();

        ReportTable bySubId = report(ReportDimension.SUBID, ReportBucket.DAY);
        Map<String, ReportRow> rows = new java.util.TreeMap<>();
        bySubId.rows().forEach((cell, row) -> rows.put(cell.value(), row));
        assertThat(rows.keySet()).as("a sub-id within its source; none is unknown")
                .containsExactly("src%2Fwith%25slash/unknown", "src-a/a7", "src-b/a7");
        assertThat(List.of(rows.get("src-a/a7").get(Figure.LEADS), rows.get("src-a/a7").get(Figure.SOLD),
                rows.get("src-a/a7").get(Figure.REVENUE))).containsExactly(2L, 1L, 1_500L);
        assertThat(rows.get("src-b/a7").get(Figure.REVENUE)).isEqualTo(1_250L);
        assertThat(ReportDimension.sourceOfSubId("src%2Fwith%25slash/unknown")).isEqualTo("src/with%slash");
        assertMoneyMatchesOutcomes(bySubId.total());
    }

    private void sellFrom(String leadId, String sourceId, String subId, Map<String, Long> bids, PostStatus answer) {
        market.submit(lead(leadId, market.now()).setSourceId(sourceId).setSubId(subId).build());
        market.onlyPing();
        answer(leadId, bids);
        if (answer != null) {
            market.postResult(market.posts.readValue(), answer);
        }
    }

    private void assertMoneyMatchesOutcomes(ReportRow total) {
        List<Outcome> sold = outcomes.stream().filter(o -> o.getStatus() == OutcomeStatus.SOLD).toList();
        assertThat(total.get(Figure.SOLD)).isEqualTo(sold.size());
        assertThat(total.get(Figure.REVENUE)).isEqualTo(sold.stream().mapToLong(Outcome::getPriceCents).sum());
        assertThat(total.get(Figure.SELLER_PAYOUT))
                .isEqualTo(sold.stream().mapToLong(Outcome::getSellerPayoutCents).sum());
        assertThat(total.get(Figure.PLATFORM_FEE)).isEqualTo(sold.stream().mapToLong(Outcome::getPlatformFeeCents).sum());
    }

    /** Submits a lead from {@code state}, has the buyers bid (a PASS for those not named) and answers the first post. */
    private Lead sell(String leadId, String state, Map<String, Long> bids, PostStatus answer) {
        Lead lead = lead(leadId, market.now()).build();
        lead.getProfile().setState(state);
        market.submit(lead);
        market.onlyPing();
        answer(leadId, bids);
        if (answer != null) {
            market.postResult(market.posts.readValue(), answer);
        }
        return lead;
    }

    private Post offer(String leadId, String state, Map<String, Long> bids) {
        sell(leadId, state, bids, null);
        return market.posts.readValue();
    }

    private void answer(String leadId, Map<String, Long> bids) {
        for (String buyerId : List.of("alpha", "bravo")) {
            Long price = bids.get(buyerId);
            market.answer(leadId, buyerId, price == null ? BidStatus.PASS : BidStatus.BID, price);
        }
    }

    private void collect() {
        outcomes.addAll(market.outcomes.readValuesToList());
        rejections.addAll(market.rejected.readValuesToList());
    }

    private ReportTable report(ReportDimension dimension, ReportBucket bucket) {
        ReportRequest request = new ReportRequest(dimension, bucket, bucket.startOf(FIRST_HOUR),
                SECOND_HOUR.plus(Duration.ofHours(1)));
        ReportTable table = new ReportTable(request);
        KeyValueStore<String, ReportFigures> store = market.store(ReportProcessor.STORE);
        try (KeyValueIterator<String, ReportFigures> rows = store.range(request.lowestKey(), request.highestKey())) {
            rows.forEachRemaining(kv -> table.addHour(ReportKey.decode(kv.key), ReportRow.fromAvro(kv.value)));
        }
        return table;
    }
}
