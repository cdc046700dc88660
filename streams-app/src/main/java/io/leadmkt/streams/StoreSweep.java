package io.leadmkt.streams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Finds a store's ended entries a slice at a time, so that keeping a store bounded never holds the
 * stream thread for long. A processor calls {@link #next} every {@link #EVERY} from a wall-clock
 * punctuator and deletes what it returns; each call visits the entries after the last one the previous
 * call visited, as many as a whole pass in {@code pass} needs at the store's current size, and starts
 * again from the first key after the last.
 *
 * <p>Why not a whole scan every few minutes, as before: a store that keeps a day or a week of leads holds
 * millions of entries in steady state (the dedupe store 8.6 million at 100 leads/s), and a whole scan
 * of one million took 0.4-0.5 s on this project's machine, during which no lead moved. A pass spread over
 * {@code pass} costs the same per entry and stalls for milliseconds (at 100 leads/s the dedupe store's
 * slice is 4,000 entries). With {@code pass} a quarter of the entries' retention ({@link #quarterOf}),
 * each entry is visited about four times in its life, and an ended one is forgotten within a quarter of
 * its retention after it ended.
 */
public final class StoreSweep<K, V> {
    /**
     * How often a sweeping processor calls {@link #next}. Every call opens an iterator over the store and its
     * record cache, which costs about as much as visiting a few hundred entries (JFR: at 100 leads/s, once a
     * second per store, the sweeps were 1.9 % of the stream thread's samples, most of it opening iterators).
     */
    public static final Duration EVERY = Duration.ofSeconds(10);
    /** The fewest entries a call visits: a small store is swept whole on every call. */
    static final long MIN_SLICE = 100;

    private final long passMs;
    /** The last key visited, where the next slice resumes; null to start from the first key. */
    private K visitedLast;

    /** @param pass how long a whole pass over the store should take (at least {@link #EVERY}) */
    public StoreSweep(Duration pass) {
        if (pass.compareTo(EVERY) < 0) {
            throw new IllegalArgumentException("a pass (" + pass + ") must take at least " + EVERY);
        }
        this.passMs = pass.toMillis();
    }

    /** A sweep whose pass takes a quarter of {@code retention} (at least {@link #EVERY}). */
    public static <K, V> StoreSweep<K, V> quarterOf(Duration retention) {
        Duration quarter = retention.dividedBy(4);
        return new StoreSweep<>(quarter.compareTo(EVERY) < 0 ? EVERY : quarter);
    }

    /** How many entries a call visits in a store of {@code entries}. */
    static long sliceOf(long entries, long passMs) {
        return Math.max(MIN_SLICE, (long) Math.ceil(entries * (double) EVERY.toMillis() / passMs));
    }

    /**
     * The entries of the next slice of {@code store} that {@code ended} says are over, for the caller to
     * delete (after this returns: a store must not change under its own iterator).
     */
    public List<KeyValue<K, V>> next(KeyValueStore<K, V> store, Predicate<V> ended) {
        long slice = sliceOf(store.approximateNumEntries(), passMs);
        List<KeyValue<K, V>> over = new ArrayList<>();
        K resumeAfter = visitedLast;
        boolean more;
        try (KeyValueIterator<K, V> it = resumeAfter == null ? store.all() : store.range(resumeAfter, null)) {
            long visited = 0;
            while (visited < slice && it.hasNext()) {
                KeyValue<K, V> entry = it.next();
                if (entry.key.equals(resumeAfter)) {
                    continue; // a range includes its lower bound, visited by the previous slice
                }
                visited++;
                visitedLast = entry.key;
                if (ended.test(entry.value)) {
                    over.add(entry);
                }
            }
            more = it.hasNext();
        }
        if (!more) {
            visitedLast = null;
        }
        return over;
    }
}
