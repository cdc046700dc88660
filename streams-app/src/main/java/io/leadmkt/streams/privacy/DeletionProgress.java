package io.leadmkt.streams.privacy;

import io.leadmkt.schema.DeletionEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Where a deletion request is, worked out from its events (pure, so it is tested on plain lists):
 * {@code received} until every partition searched for the consumer's leads and every data key asked
 * for is erased; then {@code erased} (no buyer had the full lead: done), {@code notifying} while a
 * buyer has not confirmed, {@code failing} while a buyer's last attempt failed (it is retried), and
 * {@code completed} once every buyer told confirmed.
 */
public record DeletionProgress(String deletionId, String status, String requestedBy, Long requestedAt,
                               List<String> hashes, int partitions, Set<Integer> partitionsSearched,
                               Set<String> leads, Set<String> keysToErase, Set<String> keysErased, Long erasedAt,
                               Map<String, BuyerProgress> buyers, List<DeletionEvent> events) {

    public static final String RECEIVED = "received";
    public static final String ERASED = "erased";
    public static final String NOTIFYING = "notifying";
    public static final String FAILING = "failing";
    public static final String COMPLETED = "completed";

    /** One buyer's part: the leads it was posted, when it was told, when it confirmed, its last failure. */
    public record BuyerProgress(String buyerId, Set<String> leads, String status, Long notifiedAt,
                                Long acknowledgedAt, int attempts, String lastError) {
    }

    public static DeletionProgress of(String deletionId, List<DeletionEvent> events) {
        String requestedBy = null;
        Long requestedAt = null;
        List<String> hashes = List.of();
        int partitions = Integer.MAX_VALUE;
        Set<Integer> searched = new TreeSet<>();
        Set<String> leads = new LinkedHashSet<>();
        Set<String> keysToErase = new LinkedHashSet<>();
        Set<String> keysErased = new LinkedHashSet<>();
        Long lastKeyErasedAt = null;
        Map<String, BuyerState> buyers = new TreeMap<>();
        for (DeletionEvent event : events) {
            switch (event.getType()) {
                case REQUESTED -> {
                    requestedBy = event.getRequestedBy();
                    requestedAt = event.getAt();
                    hashes = List.copyOf(event.getHashes());
                    partitions = event.getCount();
                    keysToErase.addAll(event.getHashes());
                }
                case LEADS_FOUND -> {
                    searched.add(event.getPartition());
                    leads.addAll(event.getLeadIds());
                    keysToErase.addAll(event.getHashes());
                    String told = event.getDetail().getOrDefault("buyers", "");
                    Arrays.stream(told.split(",")).filter(b -> !b.isBlank())
                            .forEach(b -> buyers.computeIfAbsent(b, BuyerState::new));
                }
                case KEY_ERASED -> {
                    keysErased.addAll(event.getHashes());
                    lastKeyErasedAt = event.getAt();
                }
                case BUYER_NOTIFIED, BUYER_ACKNOWLEDGED, BUYER_FAILING -> {
                    if (event.getBuyerId() != null) {
                        buyers.computeIfAbsent(event.getBuyerId(), BuyerState::new).apply(event);
                    }
                }
            }
        }
        boolean erased = requestedAt != null && searched.size() >= partitions && keysErased.containsAll(keysToErase);
        Map<String, BuyerProgress> buyerProgress = new TreeMap<>();
        buyers.forEach((id, state) -> buyerProgress.put(id, state.progress()));
        String status;
        if (!erased) {
            status = RECEIVED;
        } else if (buyerProgress.values().stream().anyMatch(b -> b.status().equals(FAILING))) {
            status = FAILING;
        } else if (buyerProgress.isEmpty()) {
            status = ERASED;
        } else if (buyerProgress.values().stream().allMatch(b -> b.status().equals(BuyerState.ACKNOWLEDGED))) {
            status = COMPLETED;
        } else {
            status = NOTIFYING;
        }
        return new DeletionProgress(deletionId, status, requestedBy, requestedAt, hashes,
                partitions == Integer.MAX_VALUE ? 0 : partitions, searched, leads, keysToErase, keysErased,
                erased ? (lastKeyErasedAt == null ? requestedAt : lastKeyErasedAt) : null, buyerProgress,
                List.copyOf(events));
    }

    private static final class BuyerState {
        static final String PENDING = "pending";
        static final String NOTIFIED = "notified";
        static final String ACKNOWLEDGED = "acknowledged";
        final String buyerId;
        final Set<String> leads = new LinkedHashSet<>();
        String status = PENDING;
        Long notifiedAt;
        Long acknowledgedAt;
        int attempts;
        String lastError;

        BuyerState(String buyerId) {
            this.buyerId = buyerId;
        }

        void apply(DeletionEvent event) {
            leads.addAll(event.getLeadIds());
            attempts = Math.max(attempts, event.getCount());
            switch (event.getType()) {
                case BUYER_NOTIFIED -> {
                    notifiedAt = notifiedAt == null ? event.getAt() : notifiedAt;
                    if (status.equals(PENDING)) {
                        status = NOTIFIED;
                    }
                }
                case BUYER_ACKNOWLEDGED -> {
                    notifiedAt = notifiedAt == null ? event.getAt() : notifiedAt;
                    acknowledgedAt = acknowledgedAt == null ? event.getAt() : acknowledgedAt;
                    status = ACKNOWLEDGED;
                }
                case BUYER_FAILING -> {
                    notifiedAt = notifiedAt == null ? event.getAt() : notifiedAt;
                    lastError = event.getDetail().get("error");
                    if (!status.equals(ACKNOWLEDGED)) {
                        status = FAILING;
                    }
                }
                default -> {
                }
            }
        }

        BuyerProgress progress() {
            return new BuyerProgress(buyerId, new LinkedHashSet<>(new ArrayList<>(leads)), status, notifiedAt,
                    acknowledgedAt, attempts, lastError);
        }
    }
}
