package io.leadmkt.connector;

import java.util.TreeSet;

/**
 * Which records of one assigned partition are still being worked on, so that only the offsets
 * below the oldest unfinished record are committed: a crash re-delivers everything unfinished and
 * loses nothing. Used by the poll thread only. A fresh instance is made on every assignment, so
 * completions that arrive for an earlier assignment can be recognised and ignored.
 */
final class PartitionProgress {

    private final TreeSet<Long> unfinished = new TreeSet<>();
    private long next = -1;
    private long committed = -1;

    void started(long offset) {
        unfinished.add(offset);
        next = Math.max(next, offset + 1);
    }

    void finished(long offset) {
        unfinished.remove(offset);
    }

    int unfinished() {
        return unfinished.size();
    }

    /** The offset to commit (every record below it is handled), or -1 before the first record. */
    long committable() {
        return unfinished.isEmpty() ? next : unfinished.first();
    }

    boolean hasUncommitted() {
        return committable() > committed;
    }

    void committed(long offset) {
        committed = Math.max(committed, offset);
    }
}
