package io.leadmkt.streams.api;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Which copy of each partition of a store a fanned-out query reads: the active one while its
 * instance answers; else a standby (this instance's own first, as it needs no network hop, then
 * the others in host order, so one instance serves as many as it can in one request); else none,
 * and the answer waits for the group to rebalance. A standby may lag its active a little, so the
 * answer says which partitions it served.
 *
 * <p>This covers the window between an instance going away without leaving the group (a crash, a
 * hung host, Kafka Streams closing without {@code LEAVE_GROUP}) and the group noticing
 * ({@code session.timeout.ms}), during which the metadata still names it active.
 */
public final class PartitionChoice {
    private static final Comparator<HostInfo> HOST_ORDER = Comparator.comparing(HostInfo::host)
            .thenComparingInt(HostInfo::port);

    private PartitionChoice() {
    }

    /** Where one partition's copies are: its active instance (empty while it has none) and its standbys. */
    public record Copies(Optional<HostInfo> active, Set<HostInfo> standbys) {
        public Copies {
            standbys = Set.copyOf(standbys);
        }
    }

    /** One read: on {@code host}, from its active partitions or ({@code standby}) from named partitions of its standbys. */
    public record Read(HostInfo host, boolean standby) {
    }

    /** The reads that cover the partitions, and the partitions no copy can answer. */
    public record Plan(Map<Read, SortedSet<Integer>> reads, SortedSet<Integer> unavailable) {
    }

    /**
     * Per partition of {@code copies}: its active copy unless its instance is {@code down}, else a
     * standby not {@code down} ({@code self}'s first), else unavailable. {@code self} is never down.
     */
    public static Plan choose(Map<Integer, Copies> copies, HostInfo self, Set<HostInfo> down) {
        Map<Read, SortedSet<Integer>> reads = new LinkedHashMap<>();
        SortedSet<Integer> unavailable = new TreeSet<>();
        new TreeMap<>(copies).forEach((partition, where) -> {
            Optional<Read> read = where.active().filter(host -> host.equals(self) || !down.contains(host))
                    .map(host -> new Read(host, false))
                    .or(() -> where.standbys().stream()
                            .filter(host -> host.equals(self) || !down.contains(host))
                            .min(Comparator.comparing((HostInfo host) -> !host.equals(self)).thenComparing(HOST_ORDER))
                            .map(host -> new Read(host, true)));
            if (read.isPresent()) {
                reads.computeIfAbsent(read.get(), r -> new TreeSet<>()).add(partition);
            } else {
                unavailable.add(partition);
            }
        });
        return new Plan(reads, unavailable);
    }
}
