package io.leadmkt.streams.auction;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * When each open auction of one task is due (its round's backstop, its post's or hold's deadline),
 * in time order, in memory. It is derived from the auction stores, not stored beside it: a task
 * rebuilds it from them when it starts, so its stores restore it after a crash or a move.
 * Keeping it in memory saves a changelog write per timer change (about five per lead) and a
 * changelog partition in every transaction. Closed auctions are not here: they are forgotten by a
 * sweep of the store, so memory holds only what is in flight.
 */
final class OpenAuctionTimers {
    private record Timer(long at, String leadId) {
    }

    private static final Comparator<Timer> ORDER = Comparator.comparingLong(Timer::at).thenComparing(Timer::leadId);

    private final TreeSet<Timer> timers = new TreeSet<>(ORDER);

    /** Moves the auction's timer from {@code before} to {@code after}; {@code Long.MIN_VALUE}: none. */
    void move(String leadId, long before, long after) {
        if (before == after) {
            return;
        }
        if (before != Long.MIN_VALUE) {
            timers.remove(new Timer(before, leadId));
        }
        if (after != Long.MIN_VALUE) {
            timers.add(new Timer(after, leadId));
        }
    }

    /** Removes and returns the auctions due at {@code now}, earliest first. */
    List<String> takeDue(long now) {
        List<String> due = new ArrayList<>();
        while (!timers.isEmpty() && timers.first().at() <= now) {
            due.add(timers.pollFirst().leadId());
        }
        return due;
    }

    void clear() {
        timers.clear();
    }

    int size() {
        return timers.size();
    }
}
