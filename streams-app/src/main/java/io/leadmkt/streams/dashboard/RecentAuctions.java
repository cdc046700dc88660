package io.leadmkt.streams.dashboard;

import io.leadmkt.schema.AuditAnswer;
import io.leadmkt.schema.AuditEvent;
import io.leadmkt.schema.AuditType;
import io.leadmkt.schema.Outcome;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The last auctions this process saw end, in memory and bounded: what the dashboard's live stream
 * and its live figures (bid prices, latencies) are made of. Nothing here is stored or written to
 * Kafka; a restart starts again from the feed's backfill.
 *
 * <p>An auction is its {@link Outcome} joined with the answers of its rounds, which come earlier on
 * the audit topic ({@code AUCTION_CLOSED}, one record per round): they wait here, per lead, until the
 * outcome arrives. Leads whose outcome never comes here (or came before this process started
 * reading) are forgotten oldest first beyond {@code pendingCapacity}.
 */
public final class RecentAuctions {
    private final int capacity;
    private final int pendingCapacity;
    private final Deque<RecentAuction> auctions = new ArrayDeque<>();
    private final Map<String, List<RecentAuction.Answer>> pending;
    private final List<Consumer<RecentAuction>> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param capacity        auctions kept, newest first; older ones fall off
     * @param pendingCapacity leads whose answers wait for their outcome at most
     */
    public RecentAuctions(int capacity, int pendingCapacity) {
        if (capacity < 1 || pendingCapacity < 1) {
            throw new IllegalArgumentException("capacities must be positive");
        }
        this.capacity = capacity;
        this.pendingCapacity = pendingCapacity;
        this.pending = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, List<RecentAuction.Answer>> eldest) {
                return size() > RecentAuctions.this.pendingCapacity;
            }
        };
    }

    /** A step of a lead's audit trail: the answers of a closed round are kept for the lead's outcome. */
    public void audit(AuditEvent event) {
        if (event.getType() != AuditType.AUCTION_CLOSED) {
            return;
        }
        List<RecentAuction.Answer> answers = new ArrayList<>();
        for (AuditAnswer answer : event.getAnswers()) {
            answers.add(RecentAuction.Answer.of(answer));
        }
        String unanswered = event.getDetail().get("unanswered");
        if (unanswered != null && !unanswered.isEmpty()) {
            for (String buyerId : unanswered.split(",")) {
                answers.add(RecentAuction.Answer.unanswered(buyerId));
            }
        }
        synchronized (this) {
            pending.computeIfAbsent(event.getLeadId(), id -> new ArrayList<>()).addAll(answers);
        }
    }

    /** A lead's final outcome: the auction joins the recent ones and every listener hears of it. */
    public void outcome(Outcome outcome) {
        RecentAuction auction;
        synchronized (this) {
            List<RecentAuction.Answer> answers = pending.remove(outcome.getLeadId());
            auction = RecentAuction.of(outcome, answers == null ? List.of() : answers);
            auctions.addFirst(auction);
            while (auctions.size() > capacity) {
                auctions.removeLast();
            }
        }
        for (Consumer<RecentAuction> listener : listeners) {
            listener.accept(auction);
        }
    }

    /** Up to {@code limit} of the kept auctions that {@code filter} accepts, newest first. */
    public synchronized List<RecentAuction> latest(Predicate<RecentAuction> filter, int limit) {
        List<RecentAuction> chosen = new ArrayList<>();
        for (Iterator<RecentAuction> it = auctions.iterator(); it.hasNext() && chosen.size() < limit; ) {
            RecentAuction auction = it.next();
            if (filter.test(auction)) {
                chosen.add(auction);
            }
        }
        return chosen;
    }

    /** Every kept auction that {@code filter} accepts, newest first. */
    public List<RecentAuction> all(Predicate<RecentAuction> filter) {
        return latest(filter, capacity);
    }

    /** Calls {@code listener} with each auction from now on, on the feed's thread; close to stop. */
    public AutoCloseable subscribe(Consumer<RecentAuction> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    public int capacity() {
        return capacity;
    }
}
