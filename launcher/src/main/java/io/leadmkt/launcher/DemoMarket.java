package io.leadmkt.launcher;

import io.leadmkt.schema.BuyerCap;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.CapPeriod;
import io.leadmkt.schema.RoutingMode;
import io.leadmkt.schema.SuppressionEntry;
import io.leadmkt.schema.KafkaClients;
import io.leadmkt.schema.Topics;
import io.leadmkt.simulator.LeadGenerator;
import io.leadmkt.simulator.SampleData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The demo's sellers and the writing of market configuration to the compacted config topics. */
public final class DemoMarket {

    private DemoMarket() {
    }

    /** Buyers per tier in the demo's tiers mode; in waterfall mode each buyer is its own step. */
    static final int TIER_SIZE = 3;

    /** Three sellers' campaigns, one per sample vertical, parallel auctions. */
    public static List<CampaignConfig> campaigns() {
        return campaigns(RoutingMode.PARALLEL);
    }

    /**
     * The demo sellers' time to decision: real-time web leads, offered within 5 s of arrival or shed.
     * Above capacity this is what keeps the rest selling at normal speed: intake drops what is already
     * too old, cheaply, instead of auctioning a backlog late.
     */
    static final int DEMO_MAX_LEAD_AGE_MS = 5_000;

    /** Three sellers' campaigns, one per sample vertical, all routed by {@code mode}. */
    public static List<CampaignConfig> campaigns(RoutingMode mode) {
        List<CampaignConfig> campaigns = List.of(
                campaign("camp-auto", "seller-quotewizard", SampleData.AUTO_INSURANCE, 500, 500),
                campaign("camp-solar", "seller-sunleads", SampleData.SOLAR, 1_500, 500),
                campaign("camp-home", "seller-homepros", SampleData.HOME_SERVICES, 800, 500));
        campaigns.forEach(campaign -> {
            campaign.setRouting(mode);
            campaign.setMaxLeadAgeMs(DEMO_MAX_LEAD_AGE_MS);
        });
        return campaigns;
    }

    /** The buyers, each taking at most {@code leads} leads a day (in its own time zone). */
    public static List<BuyerConfig> withDailyCap(List<BuyerConfig> buyers, int leads) {
        return buyers.stream().map(b -> BuyerConfig.newBuilder(b).setCaps(List.of(BuyerCap.newBuilder()
                .setPeriod(CapPeriod.DAY).setMaxLeads(leads).setMaxSpendCents(null).build())).build())
                .toList();
    }

    /**
     * The simulated buyers with priorities that make tiers of {@link #TIER_SIZE} in buyer-id order
     * (priority 10 for the first tier, 20 for the next, ...): a waterfall walks them one by one in
     * that order, tiers run an auction per tier. Parallel auctions ignore priorities.
     */
    public static List<BuyerConfig> inTiers(List<BuyerConfig> buyers) {
        List<BuyerConfig> sorted = buyers.stream()
                .sorted(java.util.Comparator.comparing(BuyerConfig::getBuyerId)).toList();
        List<BuyerConfig> out = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            out.add(BuyerConfig.newBuilder(sorted.get(i)).setPriority((i / TIER_SIZE + 1) * 10).build());
        }
        return out;
    }

    public static CampaignConfig campaign(String campaignId, String sellerId, String vertical, long floorCents,
                                          int pingDeadlineMs) {
        return CampaignConfig.newBuilder()
                .setCampaignId(campaignId)
                .setSellerId(sellerId)
                .setVertical(vertical)
                .setActive(true)
                .setFloorCents(floorCents)
                .setPingDeadlineMs(pingDeadlineMs)
                .setPostTimeoutMs(3_000)
                .setBlockedBuyers(new ArrayList<>())
                .build();
    }

    /** A producer for the marketplace's topics: values already serialised, no batching delay. */
    public static KafkaProducer<String, byte[]> producer(KafkaClients kafka, String clientId) {
        return new KafkaProducer<>(kafka.producer(Map.of(ProducerConfig.CLIENT_ID_CONFIG, clientId,
                ProducerConfig.LINGER_MS_CONFIG, "0", ProducerConfig.ACKS_CONFIG, "all")),
                new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * A producer for {@link #seed}: not idempotent, one request at a time. It writes to config topics
     * created a moment before, where an idempotent producer was seen (Kafka 4.4, one broker, about one
     * start in ten) to be told NOT_LEADER_OR_FOLLOWER for a batch the broker had appended, then to retry
     * it as OUT_OF_ORDER_SEQUENCE_NUMBER until its delivery timeout: the run failed two minutes later.
     * Config records are upserts by key on compacted topics, so a retry's duplicate changes nothing.
     */
    public static KafkaProducer<String, byte[]> configProducer(KafkaClients kafka, String clientId) {
        return new KafkaProducer<>(kafka.producer(Map.of(ProducerConfig.CLIENT_ID_CONFIG, clientId,
                ProducerConfig.LINGER_MS_CONFIG, "0", ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false",
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1")),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** Writes campaigns, buyers and the suppression list, and waits until the broker has them all. */
    public static void seed(Producer<String, byte[]> producer, Topics topics, List<CampaignConfig> campaigns,
                            List<BuyerConfig> buyers, List<SuppressionEntry> suppression) {
        List<java.util.concurrent.Future<?>> sends = new ArrayList<>();
        for (CampaignConfig campaign : campaigns) {
            sends.add(producer.send(new ProducerRecord<>(topics.campaigns().name(), campaign.getCampaignId(),
                    topics.campaigns().valueSerde().serializer().serialize(topics.campaigns().name(), campaign))));
        }
        for (BuyerConfig buyer : buyers) {
            sends.add(producer.send(new ProducerRecord<>(topics.buyers().name(), buyer.getBuyerId(),
                    topics.buyers().valueSerde().serializer().serialize(topics.buyers().name(), buyer))));
        }
        for (SuppressionEntry entry : suppression) {
            sends.add(producer.send(new ProducerRecord<>(topics.suppression().name(), entry.getHash(),
                    topics.suppression().valueSerde().serializer().serialize(topics.suppression().name(), entry))));
        }
        producer.flush();
        for (java.util.concurrent.Future<?> send : sends) {
            try {
                send.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("cannot write market config: " + e.getCause().getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing market config", e);
            }
        }
    }

    /** The suppression list the demo's generator draws its SUPPRESSED leads from. */
    public static List<SuppressionEntry> suppression() {
        return LeadGenerator.suppressionEntries(System.currentTimeMillis());
    }

    static Map<String, String> describe(List<CampaignConfig> campaigns) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        campaigns.forEach(c -> out.put(c.getCampaignId(), c.getVertical() + " floor $"
                + io.leadmkt.schema.Money.format(c.getFloorCents()) + " deadline " + c.getPingDeadlineMs() + " ms "
                + c.getRouting().name().toLowerCase(java.util.Locale.ROOT)));
        return out;
    }
}
