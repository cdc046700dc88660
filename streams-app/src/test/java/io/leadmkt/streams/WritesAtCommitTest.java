package io.leadmkt.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.CachedStateStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WritesAtCommitTest {

    /** Values encoded for the store below: what holding writes to the commit saves. */
    private final AtomicInteger encodings = new AtomicInteger();
    private MockProcessorContext<String, String> context;
    private KeyValueStore<String, String> store;

    @BeforeEach
    void setUp() {
        StringSerializer strings = new StringSerializer();
        Serde<String> counted = Serdes.serdeFrom((topic, value) -> {
            encodings.incrementAndGet();
            return strings.serialize(topic, value);
        }, Serdes.String().deserializer());
        context = new MockProcessorContext<>();
        store = WritesAtCommit.around(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("auctions"),
                Serdes.String(), counted).withLoggingDisabled()).build();
        store.init(context.getStateStoreContext(), store);
    }

    private void commit() {
        ((CachedStateStore<?, ?>) store).flushCache();
    }

    private List<KeyValue<String, String>> all() {
        List<KeyValue<String, String>> entries = new ArrayList<>();
        try (KeyValueIterator<String, String> it = store.all()) {
            it.forEachRemaining(entries::add);
        }
        return entries;
    }

    @Test
    void shouldEncodeAKeyOnceAtTheCommitWhenItIsRewrittenBetweenCommits() {
        store.put("L1", "collecting");
        store.put("L1", "collecting, 1 bid");
        store.put("L1", "posting");

        assertThat(store.get("L1")).as("pending writes are read back").isEqualTo("posting");
        assertThat(encodings).as("nothing encoded before the commit").hasValue(0);
        commit();
        assertThat(encodings).hasValue(1);
        assertThat(store.get("L1")).isEqualTo("posting");
        commit();
        assertThat(encodings).as("nothing pending the second time").hasValue(1);
    }

    @Test
    void shouldGiveBackTheSameObjectWhenAPendingValueIsRead() {
        StringBuilder auction = new StringBuilder("open");
        KeyValueStore<String, Object> objects = WritesAtCommit.around(Stores.<String, Object>keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore("objects"), Serdes.String(), Serdes.serdeFrom(
                        (topic, value) -> value.toString().getBytes(), (topic, bytes) -> new String(bytes)))
                .withLoggingDisabled()).build();
        objects.init(context.getStateStoreContext(), objects);

        objects.put("L1", auction);

        assertThat(objects.get("L1")).isSameAs(auction);
    }

    @Test
    void shouldReadADeletedKeyAsAbsentAndDeleteItBelowAtTheCommitWhenItWasStored() {
        store.put("L1", "closed");
        commit();

        assertThat(store.delete("L1")).isEqualTo("closed");
        assertThat(store.get("L1")).isNull();
        commit();
        assertThat(all()).isEmpty();
    }

    @Test
    void shouldWriteNothingWhenAKeyIsPutAndDeletedBetweenCommits() {
        store.put("L1", "lead with PII");
        store.delete("L1");
        commit();

        assertThat(encodings).hasValue(0);
        assertThat(all()).isEmpty();
    }

    @Test
    void shouldSeePendingWritesWhenTheStoreIsScanned() {
        store.put("L1", "a");
        store.put("L2", "b");

        assertThat(all()).containsExactly(KeyValue.pair("L1", "a"), KeyValue.pair("L2", "b"));
        assertThat(store.putIfAbsent("L1", "other")).isEqualTo("a");
        assertThat(store.putIfAbsent("L3", "c")).isNull();
        assertThat(store.get("L3")).isEqualTo("c");
    }

    @Test
    void shouldReadTheStoreAgainWhenTheTaskIsRevivedAfterAnAbortedTransaction() {
        store.put("L1", "committed");
        commit();
        store.put("L1", "not committed");

        // An aborted transaction: Streams drops the task's caches, or re-initialises its stores.
        ((CachedStateStore<?, ?>) store).clearCache();
        assertThat(store.get("L1")).isEqualTo("committed");

        store.put("L1", "not committed either");
        store.init(context.getStateStoreContext(), store);
        assertThat(store.get("L1")).isEqualTo("committed");
    }

    @Test
    void shouldShowAnotherThreadOnlyWhatWasCommittedWhenAnInteractiveQueryReads() throws Exception {
        store.put("R1", "committed");
        commit();
        store.put("R1", "pending");
        store.put("R2", "pending");

        java.util.concurrent.FutureTask<List<Object>> query = new java.util.concurrent.FutureTask<>(
                () -> List.of(String.valueOf(store.get("R1")), String.valueOf(store.get("R2")), all()));
        Thread http = new Thread(query, "http-query");
        http.start();
        http.join();

        assertThat(query.get()).containsExactly("committed", "null", List.of(KeyValue.pair("R1", "committed")));
        assertThat(store.get("R2")).as("the task still sees its own writes").isEqualTo("pending");
        assertThat(encodings).as("the query handed nothing down").hasValue(1);
    }
}
