package io.leadmkt.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.Topics;
import io.leadmkt.streams.LeadMarketTopology.Part;
import io.leadmkt.streams.auction.AuctionProcessor;
import io.leadmkt.streams.report.LeadStatusProcessor;
import io.leadmkt.streams.report.ReportProcessor;
import io.leadmkt.streams.returns.ReturnDesk;
import io.leadmkt.streams.whatif.WhatIfRecorder;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/** The market and the reports as two applications: together they are the one application, store for store. */
class TopologyPartsTest {

    private static final StreamsAppConfig CONFIG = StreamsAppConfig.defaults("unused:9092", Path.of("unused"));

    @Test
    void shouldPutEveryStoreInExactlyOnePartWhenTheMarketAndTheReportsRunApart() {
        Set<String> market = stores(Part.MARKET);
        Set<String> reports = stores(Part.REPORTS);

        Set<String> both = new HashSet<>(market);
        both.retainAll(reports);
        assertThat(both).as("no store is kept twice").isEmpty();
        Set<String> union = new HashSet<>(market);
        union.addAll(reports);
        assertThat(union).isEqualTo(stores(Part.ALL));
        assertThat(market).contains(AuctionProcessor.LEADS_STORE, ReturnDesk.SALES_STORE)
                .doesNotContain(LeadStatusProcessor.STORE);
        assertThat(reports).contains(LeadStatusProcessor.STORE, LeadStatusProcessor.TIMELINE_STORE,
                ReportProcessor.STORE, WhatIfRecorder.STORE);
    }

    @Test
    void shouldReadWhatTheMarketWritesWhenTheReportsRunApart() {
        Set<String> read = sources(describe(Part.REPORTS));

        assertThat(read).contains(Topics.AUDIT, Topics.OUTCOMES, Topics.LEADS_REJECTED, Topics.POSTBACK_DECISIONS)
                .doesNotContain(Topics.LEADS_INBOUND, Topics.BIDS, Topics.POST_RESULTS);
        assertThat(sources(describe(Part.MARKET))).contains(Topics.LEADS_INBOUND, Topics.BIDS, Topics.OUTCOMES)
                .doesNotContain(Topics.AUDIT, Topics.LEADS_REJECTED);
    }

    @Test
    void shouldKeepTheConfigTablesInBothPartsWhenTheyRunApart() {
        for (Part part : Part.values()) {
            assertThat(describe(part).globalStores()).as("%s", part).hasSize(5);
        }
    }

    private static TopologyDescription describe(Part part) {
        return LeadMarketTopology.build(CONFIG, Topics.embedded(), new io.leadmkt.streams.intake.IntakeBacklog(),
                event -> { }, part).describe();
    }

    private static Set<String> stores(Part part) {
        return describe(part).subtopologies().stream()
                .flatMap(subtopology -> subtopology.nodes().stream())
                .filter(node -> node instanceof TopologyDescription.Processor)
                .flatMap(node -> ((TopologyDescription.Processor) node).stores().stream())
                .collect(Collectors.toSet());
    }

    private static Set<String> sources(TopologyDescription description) {
        return description.subtopologies().stream()
                .flatMap(subtopology -> subtopology.nodes().stream())
                .filter(node -> node instanceof TopologyDescription.Source)
                .flatMap(node -> ((TopologyDescription.Source) node).topicSet().stream())
                .collect(Collectors.toSet());
    }
}
