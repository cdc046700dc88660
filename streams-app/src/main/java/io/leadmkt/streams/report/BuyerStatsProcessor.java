package io.leadmkt.streams.report;

import io.leadmkt.schema.BuyerStats;
import io.leadmkt.schema.PostReasons;
import io.leadmkt.schema.PostResult;
import io.leadmkt.schema.PostStatus;
import io.leadmkt.schema.serde.AvroSerde;
import io.leadmkt.streams.StateStores;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Each buyer's last {@value #WINDOW} post results, from post results re-keyed by buyer id: ACCEPTED
 * counts as {@code A}, REJECTED, ERROR and TIMEOUT as {@code R}, except a post the connector says it
 * never sent ({@link PostReasons#neverSent}), which is not counted at all. On every new result it forwards the
 * buyer's {@link BuyerStats} (keyed by buyer id, for the compacted {@code buyers.stats} topic) with
 * {@code acceptanceRateBasisPoints = accepted * 10000 / results} (integer division, so exact).
 *
 * <p>Idempotency: a post result can arrive twice — redelivered after a crash under at-least-once,
 * or written both by the connector and as the auction's own TIMEOUT marker for the same attempt. So
 * next to the window ({@link #STORE}) the processor keeps, per buyer, the {@code leadId:attempt} of
 * each result in it ({@link #SEEN_STORE}, same order, same length, evicted together). A result
 * whose key is still in the window is ignored: the first answer for an attempt counts. This costs
 * at most 100 short ids per buyer and one extra read and write per result; a duplicate arriving
 * after its original left the window (100 later results of that buyer) would count again, which a
 * redelivery — seconds, not a hundred posts, late — does not do in practice.
 */
public final class BuyerStatsProcessor implements Processor<String, PostResult, String, BuyerStats> {
    public static final String STORE = "buyer-stats-store";
    public static final String SEEN_STORE = "buyer-stats-seen-store";
    /** How many recent post results a buyer is judged on. */
    public static final int WINDOW = 100;
    public static final char ACCEPTED = 'A';
    public static final char NOT_ACCEPTED = 'R';
    /** Between the keys of one buyer's window: lead ids never hold a line break (intake allows [A-Za-z0-9._:-]). */
    private static final String SEPARATOR = "\n";

    private ProcessorContext<String, BuyerStats> context;
    private KeyValueStore<String, BuyerStats> stats;
    private KeyValueStore<String, String> seen;
    /**
     * Each buyer's window keys as this task last wrote them to {@link #SEEN_STORE}, split: reading the stored
     * string back (~2.5 KB) and splitting it into 100 keys on every post result was 7 % of the heap a lead
     * cost at 300 leads/s (JFR allocation samples). Cleared with the task's state on (re)initialisation.
     */
    private final Map<String, List<String>> decodedKeys = StateStores.decodedValues(1_024);

    public static ProcessorSupplier<String, PostResult, String, BuyerStats> supplier(AvroSerde<BuyerStats> serde,
                                                                                     boolean inMemory) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, PostResult, String, BuyerStats> get() {
                return new BuyerStatsProcessor();
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(
                        StateStores.keyValue(STORE, Serdes.String(), serde, inMemory),
                        StateStores.keyValue(SEEN_STORE, Serdes.String(), Serdes.String(), inMemory));
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, BuyerStats> context) {
        this.context = context;
        this.stats = context.getStateStore(STORE);
        this.seen = context.getStateStore(SEEN_STORE);
        decodedKeys.clear();
    }

    @Override
    public void process(Record<String, PostResult> record) {
        String buyerId = record.key();
        PostResult result = record.value();
        if (buyerId == null || result == null || result.getStatus() == null) {
            return; // nothing to attribute: unreadable results are dead-lettered upstream
        }
        if (PostReasons.neverSent(result)) {
            // The connector never sent the post: no verdict on the buyer, whose rate ranks it and discounts
            // its bids. (The auction's NO_POST_RESULT marker counts: here, with no buyer documents, it cannot
            // be told from a Kafka-native buyer ignoring the post, which must not keep a perfect rate.)
            return;
        }
        String resultKey = result.getLeadId() + ":" + result.getAttempt();
        BuyerStats previous = stats.get(buyerId);
        String recent = previous == null || previous.getRecent() == null ? "" : previous.getRecent();
        List<String> cached = decodedKeys.get(buyerId);
        List<String> keys = cached != null && cached.size() == recent.length()
                ? cached : keys(seen.get(buyerId), recent.length());
        if (keys.contains(resultKey)) {
            return; // a redelivery of a result already counted
        }
        recent = recent + (result.getStatus() == PostStatus.ACCEPTED ? ACCEPTED : NOT_ACCEPTED);
        keys.add(resultKey);
        int overflow = recent.length() - WINDOW;
        if (overflow > 0) {
            recent = recent.substring(overflow);
            keys.subList(0, overflow).clear();
        }
        BuyerStats updated = BuyerStats.newBuilder()
                .setBuyerId(buyerId)
                .setRecent(recent)
                .setAcceptanceRateBasisPoints(rateBasisPoints(recent))
                .setUpdatedAt(context.currentSystemTimeMs())
                .build();
        stats.put(buyerId, updated);
        seen.put(buyerId, String.join(SEPARATOR, keys));
        decodedKeys.put(buyerId, keys);
        // Stamped now, not with the post result's time: results of one buyer come from several
        // partitions out of time order, and the global stats table warns (a log line per record,
        // measured ~28 a second at 100 leads/s) on every update older than the one it holds.
        context.forward(record.withValue(updated).withTimestamp(updated.getUpdatedAt()));
    }

    /** accepted * 10000 / results, rounded down; 0 for no results. */
    public static int rateBasisPoints(String recent) {
        if (recent == null || recent.isEmpty()) {
            return 0;
        }
        long accepted = recent.chars().filter(c -> c == ACCEPTED).count();
        return (int) (accepted * 10_000 / recent.length());
    }

    /**
     * The stored keys, aligned with the window: if the two ever disagree in length (e.g. a stats
     * record restored without its keys), the newest keys are kept and the older slots left blank.
     */
    private static List<String> keys(String stored, int windowLength) {
        List<String> keys = new ArrayList<>(windowLength + 1);
        if (stored != null && !stored.isEmpty()) {
            keys.addAll(Arrays.asList(stored.split(SEPARATOR, -1)));
        }
        while (keys.size() > windowLength) {
            keys.remove(0);
        }
        while (keys.size() < windowLength) {
            keys.add(0, "");
        }
        return keys;
    }
}
