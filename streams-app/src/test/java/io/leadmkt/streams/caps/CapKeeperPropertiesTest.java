package io.leadmkt.streams.caps;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.BuyerCap;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.CapDecision;
import io.leadmkt.schema.CapPeriod;
import io.leadmkt.schema.CapRequest;
import io.leadmkt.schema.CapRequestKind;
import io.leadmkt.schema.CapUsage;
import io.leadmkt.schema.Topics;
import io.leadmkt.streams.LeadMarketTopology;
import io.leadmkt.streams.MarketFixtures;
import io.leadmkt.streams.MarketHarness;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Named;

/**
 * The cap keeper as a property (jqwik) against a plain model of holds: one buyer's caps (a day's leads,
 * a day's spend, a prepaid balance with credit), and random holds asked, confirmed and released for
 * random leads and attempts, any of them delivered again. The keeper runs alone on its own topology
 * (the config tables and the keeper), so no auction answers its grants. Every answer must be the
 * model's: a new hold granted exactly when the lead fits beside the holds and sales that still count,
 * a redelivered one answered as before, a released one never granted again — so the caps are never
 * passed, and nothing is counted twice. {@link CapsTopologyTest} checks the keeper with the auction.
 */
class CapKeeperPropertiesTest {
    private static final String BUYER = "a";

    /** One request to the keeper: which lead and attempt, and at what price for a hold. */
    record Ask(CapRequestKind kind, int lead, int attempt, long priceCents) {
    }

    /** The buyer's limits; null: none of that kind. */
    record Limits(Integer dayLeads, Long daySpendCents, Long prepaidCents, long creditCents) {
    }

    @Provide
    Arbitrary<Limits> limits() {
        return Combinators.combine(
                Arbitraries.integers().between(1, 4).injectNull(0.3),
                Arbitraries.longs().between(0, 4_000).injectNull(0.4),
                Arbitraries.longs().between(0, 5_000).injectNull(0.5),
                Arbitraries.of(0L, 0L, 500L))
                .as(Limits::new)
                .filter(l -> l.dayLeads() != null || l.daySpendCents() != null || l.prepaidCents() != null);
    }

    @Provide
    Arbitrary<List<Ask>> asks() {
        Arbitrary<Ask> ask = Combinators.combine(
                Arbitraries.of(CapRequestKind.RESERVE, CapRequestKind.RESERVE, CapRequestKind.CONFIRM,
                        CapRequestKind.RELEASE),
                Arbitraries.integers().between(1, 6),
                Arbitraries.integers().between(1, 2),
                Arbitraries.longs().between(0, 1_500))
                .as(Ask::new);
        return ask.list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 60)
    void shouldAnswerEveryHoldAsTheCountOfHoldsAndSalesAllowsWhateverComesTwice(
            @ForAll("limits") Limits limits, @ForAll("asks") List<Ask> asks) {
        List<CapDecision> decisions = new ArrayList<>();
        Topics topics = Topics.embedded();
        try (TopologyTestDriver driver = keeperAlone(topics, decisions)) {
            StringSerializer keys = new StringSerializer();
            driver.createInputTopic(Topics.CONFIG_BUYERS, keys, topics.buyers().valueSerde().serializer())
                    .pipeInput(BUYER, buyer(limits));
            TestInputTopic<String, CapRequest> requests = driver.createInputTopic(Topics.CAP_REQUESTS, keys,
                    topics.capRequests().valueSerde().serializer());
            Map<String, Hold> model = new HashMap<>();
            for (Ask ask : asks) {
                String key = "L" + ask.lead() + "|" + ask.attempt();
                Hold held = model.get(key);
                decisions.clear();

                requests.pipeInput(BUYER, request(ask, held == null ? ask.priceCents() : held.priceCents));

                if (ask.kind() != CapRequestKind.RESERVE) {
                    assertThat(decisions).as("%s answered", ask).isEmpty();
                    if (held != null && held.state == State.HELD) {
                        held.state = ask.kind() == CapRequestKind.CONFIRM ? State.SOLD : State.RELEASED;
                    }
                    continue;
                }
                boolean expected = held != null ? held.state != State.RELEASED : fits(limits, model, ask.priceCents());
                assertThat(decisions).as("%s with %s", ask, model).singleElement()
                        .satisfies(d -> assertThat(d.getGranted()).as("granted: %s", d.getReason()).isEqualTo(expected));
                if (held == null && expected) {
                    model.put(key, new Hold(ask.priceCents()));
                }
            }
            // what the keeper counts for the day is exactly the holds and sales that still count
            List<Hold> counting = model.values().stream().filter(h -> h.state != State.RELEASED).toList();
            CapUsage lifetime = driver.<String, CapUsage>getKeyValueStore(CapKeeper.USAGE_STORE)
                    .get(CapPeriods.lifetime(BUYER).key());
            assertThat(lifetime == null ? 0 : lifetime.getSpendCents())
                    .isEqualTo(counting.stream().mapToLong(h -> h.priceCents).sum());
            assertThat(lifetime == null ? 0 : lifetime.getLeads()).isEqualTo(counting.size());
        }
    }

    private enum State { HELD, SOLD, RELEASED }

    private static final class Hold {
        final long priceCents;
        State state = State.HELD;

        Hold(long priceCents) {
            this.priceCents = priceCents;
        }

        @Override
        public String toString() {
            return state + " " + priceCents;
        }
    }

    /** Whether one more lead at {@code priceCents} fits beside the holds and sales that still count. */
    private static boolean fits(Limits limits, Map<String, Hold> model, long priceCents) {
        List<Hold> counting = model.values().stream().filter(h -> h.state != State.RELEASED).toList();
        long spent = counting.stream().mapToLong(h -> h.priceCents).sum();
        return (limits.dayLeads() == null || counting.size() + 1 <= limits.dayLeads())
                && (limits.daySpendCents() == null || spent + priceCents <= limits.daySpendCents())
                && (limits.prepaidCents() == null || spent + priceCents <= limits.prepaidCents() + limits.creditCents());
    }

    private static BuyerConfig buyer(Limits limits) {
        List<BuyerCap> caps = new ArrayList<>();
        if (limits.dayLeads() != null || limits.daySpendCents() != null) {
            caps.add(BuyerCap.newBuilder().setPeriod(CapPeriod.DAY).setMaxLeads(limits.dayLeads())
                    .setMaxSpendCents(limits.daySpendCents()).build());
        }
        return MarketFixtures.buyer(BUYER).setTimeZone("America/New_York").setCaps(caps)
                .setPrepaidCents(limits.prepaidCents()).setCreditLimitCents(limits.creditCents()).build();
    }

    private static CapRequest request(Ask ask, long priceCents) {
        return CapRequest.newBuilder().setLeadId("L" + ask.lead()).setBuyerId(BUYER).setAttempt(ask.attempt())
                .setKind(ask.kind()).setPriceCents(priceCents).setRequestedAt(MarketHarness.START.toEpochMilli())
                .build();
    }

    /** The config tables and the cap keeper, wired as in the market, its decisions collected; nothing else answers them. */
    private static TopologyTestDriver keeperAlone(Topics topics, List<CapDecision> decisions) {
        StreamsBuilder builder = new StreamsBuilder();
        LeadMarketTopology.configTables(builder, topics);
        LeadMarketTopology.capKeeper(builder, topics, true).foreach((key, value) -> {
            if (value instanceof CapDecision decision) {
                decisions.add(decision);
            }
        }, Named.as("collect"));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "caps-properties");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG,
                Path.of("target", "ttd-state", UUID.randomUUID().toString()).toString());
        return new TopologyTestDriver(builder.build(), props, MarketHarness.START);
    }
}
