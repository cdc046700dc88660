package io.leadmkt.streams.access;

import io.leadmkt.schema.ApiKey;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keys this instance knows, as {@link ApiKeyFeed} reads them from {@code config.apikeys}: by id
 * (for listing and revoking) and by the SHA-256 of the key (for each request). Looking a key up by
 * its hash in a map tells a caller nothing a timing attack could use: the hash of a guess says
 * nothing about how close the guess is.
 */
public final class ApiKeyTable {
    private final Map<String, ApiKey> byId = new ConcurrentHashMap<>();
    private final Map<String, ApiKey> byHash = new ConcurrentHashMap<>();
    private final java.util.concurrent.CountDownLatch loaded = new java.util.concurrent.CountDownLatch(1);

    /** A key as the topic has it now; null (a tombstone) revokes it. */
    public synchronized void put(String keyId, ApiKey key) {
        ApiKey before = key == null ? byId.remove(keyId) : byId.put(keyId, key);
        if (before != null) {
            byHash.remove(before.getKeyHash());
        }
        if (key != null) {
            byHash.put(key.getKeyHash(), key);
        }
    }

    /** Who the key sent with a request is; empty when no key in force has that hash. */
    public Optional<Caller> find(String key) {
        ApiKey found = byHash.get(ApiKeys.hash(key));
        return found == null ? Optional.empty() : Caller.of(found);
    }

    public Optional<ApiKey> byId(String keyId) {
        return Optional.ofNullable(byId.get(keyId));
    }

    /** Every key in force, oldest first. */
    public List<ApiKey> all() {
        return byId.values().stream().sorted(Comparator.comparingLong(ApiKey::getCreatedAt)
                .thenComparing(ApiKey::getKeyId)).toList();
    }

    /** Whether the topic has been read up to where it ended at start: until then an unknown key may just be late. */
    public boolean loaded() {
        return loaded.getCount() == 0;
    }

    /** Waits up to {@code timeout} for {@link #loaded()}; whether it is. */
    public boolean awaitLoaded(java.time.Duration timeout) throws InterruptedException {
        return loaded.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    void markLoaded() {
        loaded.countDown();
    }

    /** A table that holds just these keys and counts as loaded: for tests and tools. */
    public static ApiKeyTable of(ApiKey... keys) {
        ApiKeyTable table = new ApiKeyTable();
        for (ApiKey key : keys) {
            table.put(key.getKeyId(), key);
        }
        table.markLoaded();
        return table;
    }
}
