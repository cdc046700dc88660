package io.leadmkt.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The paced sweep over a real (in-memory) store: how much one call visits, where the next resumes. */
class StoreSweepTest {
    private KeyValueStore<String, String> store;

    @BeforeEach
    void setUp() {
        MockProcessorContext<Void, Void> context = new MockProcessorContext<>();
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("swept"), Serdes.String(), Serdes.String())
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
    }

    private void fill(int entries, int everyNthOver) {
        for (int i = 0; i < entries; i++) {
            store.put(String.format("k%05d", i), i % everyNthOver == 0 ? "over" : "live");
        }
    }

    private List<String> sweepAndDelete(StoreSweep<String, String> sweep) {
        List<String> forgotten = new ArrayList<>();
        for (KeyValue<String, String> entry : sweep.next(store, "over"::equals)) {
            store.delete(entry.key);
            forgotten.add(entry.key);
        }
        return forgotten;
    }

    @Test
    void shouldVisitOnlyASliceWhenTheStoreIsLargerThanAPassAllowsAtOnce() {
        fill(10_000, 1);
        StoreSweep<String, String> sweep = new StoreSweep<>(Duration.ofSeconds(500));

        List<String> first = sweepAndDelete(sweep);

        // 10,000 entries in a 500 s pass, one call every 10 s: 200 per call, from the first key.
        assertThat(first).hasSize(200).startsWith("k00000").endsWith("k00199");
        assertThat(store.approximateNumEntries()).isEqualTo(9_800);
    }

    @Test
    void shouldForgetEveryEndedEntryExactlyOnceInAPassWhenCallsResumeWhereTheLastStopped() {
        fill(1_000, 3);
        StoreSweep<String, String> sweep = new StoreSweep<>(Duration.ofSeconds(100));

        List<String> forgotten = new ArrayList<>();
        for (int call = 0; call < 10; call++) {
            forgotten.addAll(sweepAndDelete(sweep));
        }

        assertThat(forgotten).doesNotHaveDuplicates().hasSize(334).allMatch(k -> Integer.parseInt(k.substring(1)) % 3 == 0);
        assertThat(store.approximateNumEntries()).isEqualTo(666);
    }

    @Test
    void shouldStartAgainFromTheFirstKeyWhenAPassReachedTheEnd() {
        fill(150, 1_000);
        StoreSweep<String, String> sweep = new StoreSweep<>(Duration.ofHours(1));
        sweepAndDelete(sweep); // k00000 (over) and 99 live ones
        sweepAndDelete(sweep); // the last 50: the end of the pass
        store.put("k00001", "over");

        assertThat(sweepAndDelete(sweep)).containsExactly("k00001");
    }

    @Test
    void shouldResumeAfterTheLastKeyVisitedWhenTheCallerDeletedIt() {
        fill(300, 100);
        StoreSweep<String, String> sweep = new StoreSweep<>(Duration.ofHours(1));

        assertThat(sweepAndDelete(sweep)).containsExactly("k00000");
        store.put("k00099", "over"); // the last key the first slice visited, ended since: the next pass's
        assertThat(sweepAndDelete(sweep)).containsExactly("k00100");
        assertThat(sweepAndDelete(sweep)).containsExactly("k00200");
        assertThat(sweepAndDelete(sweep)).containsExactly("k00099");
    }

    @Test
    void shouldVisitWhatAPassNeedsButAtLeastTheMinimumWhenSizingASlice() {
        assertThat(StoreSweep.sliceOf(8_640_000, Duration.ofDays(1).dividedBy(4).toMillis())).isEqualTo(4_000);
        assertThat(StoreSweep.sliceOf(10, Duration.ofDays(1).toMillis())).isEqualTo(StoreSweep.MIN_SLICE);
        assertThatThrownBy(() -> new StoreSweep<>(Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
