package io.leadmkt.streams.intake;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the HTTP door ({@link #admit}) decides on: how many leads this instance is selling now, how
 * many it decides per second, and how far behind its queues are. While it holds as many leads as it
 * decides in a bound's time, or its queues are behind (a slow machine, a burst, a takeover), a new lead
 * would only queue behind the others and age, so the HTTP intake answers 503 with Retry-After instead
 * and the pipeline sells what it already has at normal speed.
 *
 * <p>Leads in flight ({@link #leadsInFlight}) are counted, not estimated: those the door is writing,
 * those it wrote to a partition this instance reads that intake has not read yet (by offset), and each
 * auction task's open auctions. The decision rate is the auctions' outcomes per second.
 *
 * <p>How far behind the queues are is estimated from four observations. Two cover intake: the age of
 * each lead intake reads (now minus its record timestamp, its arrival), remembered for {@link
 * #MEMORY_MS}; and, per {@code leads.inbound}
 * partition this instance reads, the oldest lead its own HTTP intake wrote there that intake has not
 * read yet — which catches a pipeline that has stalled and reads nothing at all. Partitions
 * another instance reads are that instance's to judge. A third observation covers the backlog
 * downstream of intake (the repartition topics, the auction's queue), which intake cannot see: how
 * long leads took from intake to their auction's opening, remembered the same way. A fourth covers
 * the auctions' own queue: how long buyers' answers (bids, post results) waited between being written
 * and being read by the auction, counted twice, since a lead taken now waits behind it for its bids and
 * again for its post's result. Above capacity that queue holds as much of a lead's time as intake's
 * (the one stream thread serves both), so a door that only watched intake would let in leads that
 * then wait seconds for their answers. Approximate by design: it needs no extra records, stores or
 * round trips on the hot path. Thread-safe.
 */
public final class IntakeBacklog {
    /** How long an observed age counts: long enough to span a few polls, short enough to recover fast. */
    public static final long MEMORY_MS = 1_000;
    /** The seconds the decision rate is measured over: long enough to smooth commits and GC pauses. */
    static final int RATE_SECONDS = 5;
    /**
     * The fewest leads in flight the door allows while the queues keep up, whatever the rate: a burst from
     * an idle market (a seller's batch) is taken at once, and the rate it then shows raises the bound. Not
     * while they are behind ({@link #maxLeadsInFlight}).
     */
    public static final long MIN_IN_FLIGHT = 50;
    /** Leads decided, per second. */
    private final PerSecond decided = new PerSecond();
    /** How long the auctions of those leads were open, in ms, per second they closed in. */
    private final PerSecond openMs = new PerSecond();
    /** How long the auctions' answers waited to be read, in ms, per second they were read in. */
    private final PerSecond answerWaitMs = new PerSecond();
    /** How long pings waited for the connector to call their buyers, in ms, and how many, per second. */
    private final PerSecond pingWaitMs = new PerSecond();
    private final PerSecond pingsWaited = new PerSecond();

    /**
     * Sums per epoch second over a ring of {@link #RATE_SECONDS} + 1 slots (the current second and the
     * last five), for rates over whole seconds. Guarded by the backlog's lock.
     */
    private static final class PerSecond {
        private final long[] second = new long[RATE_SECONDS + 1];
        private final long[] sum = new long[RATE_SECONDS + 1];

        void add(long now, long value) {
            long current = Math.floorDiv(now, 1000);
            int slot = (int) Math.floorMod(current, (long) second.length);
            if (second[slot] != current) {
                second[slot] = current;
                sum[slot] = 0;
            }
            sum[slot] += value;
        }

        /** The total over the last {@link #RATE_SECONDS} whole seconds before {@code now}. */
        long total(long now) {
            long current = Math.floorDiv(now, 1000);
            long total = 0;
            for (int slot = 0; slot < second.length; slot++) {
                long age = current - second[slot];
                if (age >= 1 && age <= RATE_SECONDS) {
                    total += sum[slot];
                }
            }
            return total;
        }
    }

    /** The largest of the values seen within {@link #MEMORY_MS} of the last one kept: 0 once that is old. */
    private static final class Recent {
        private long value;
        private long seenAt = Long.MIN_VALUE / 2;

        void saw(long observed, long now) {
            if (now - seenAt > MEMORY_MS || observed >= value) {
                value = observed;
                seenAt = now;
            }
        }

        long at(long now) {
            return now - seenAt <= MEMORY_MS ? value : 0;
        }
    }

    private final Recent age = new Recent();
    private final Recent downstream = new Recent();
    private final Recent answerWait = new Recent();
    private final Set<Integer> reading = new HashSet<>();
    /** A lead this instance's HTTP intake wrote: where, and when it arrived. */
    private record DoorLead(long offset, long arrivedAt) {
    }

    /** Partition → the leads this instance's HTTP intake wrote there that intake has not read yet, oldest first. */
    private final Map<Integer, Deque<DoorLead>> unread = new HashMap<>();
    /** Partition → the offset of the last lead intake read there, so a write acknowledged after its read is not counted. */
    private final Map<Integer, Long> lastRead = new HashMap<>();
    /** Leads the door took and is writing (not acknowledged yet). */
    private int writing;
    /** One counter per auction task on this instance: its open auctions. */
    private final Set<AtomicInteger> openAuctions = ConcurrentHashMap.newKeySet();

    /** This instance's intake reads {@code partition} of leads.inbound (its task started). */
    public synchronized void reading(int partition) {
        reading.add(partition);
    }

    /** This instance's intake no longer reads {@code partition} (its task moved or closed). */
    public synchronized void stoppedReading(int partition) {
        reading.remove(partition);
        unread.remove(partition);
        lastRead.remove(partition);
    }

    /** Intake read the lead at {@code offset} of {@code partition}, which arrived at {@code arrivedAt}. */
    public synchronized void read(int partition, long offset, long arrivedAt, long now) {
        age.saw(Math.max(0, now - arrivedAt), now);
        lastRead.merge(partition, offset, Math::max);
        Deque<DoorLead> waiting = unread.get(partition);
        while (waiting != null && !waiting.isEmpty() && waiting.peekFirst().offset() <= offset) {
            waiting.pollFirst();
        }
    }

    /**
     * What the door does with a lead at {@code now}: it takes it unless a lead taken now would wait longer
     * than {@code maxLagMs} in the queues ({@link #lagMs}) or this instance already has {@link
     * #maxLeadsInFlight} leads in flight. A lead taken counts as in flight from here, so requests
     * arriving together cannot all slip under the bound; the caller must then report {@link #written} or
     * {@link #notWritten}.
     */
    public synchronized Admission admit(long now, long maxLagMs, long inFlightMs) {
        long lag = lagMs(now);
        int inFlight = leadsInFlight();
        long maxInFlight = maxLeadsInFlight(now, inFlightMs, lag);
        boolean taken = lag <= maxLagMs && inFlight < maxInFlight;
        if (taken) {
            writing++;
        }
        return new Admission(taken, lag, inFlight, maxInFlight);
    }

    /**
     * The door's answer for one lead, and what it was based on.
     *
     * @param lagMs         how long a lead taken now would likely wait in the queues ({@link #lagMs})
     * @param leadsInFlight this instance's leads in flight before this one
     * @param maxInFlight   the bound they are held to ({@link #maxLeadsInFlight})
     */
    public record Admission(boolean taken, long lagMs, int leadsInFlight, long maxInFlight) {
        /** Seconds a refused seller should wait: the lag's, at least one ({@link #retryAfterSeconds(long)}). */
        public long retryAfterSeconds() {
            return IntakeBacklog.retryAfterSeconds(lagMs);
        }
    }

    /** A lead the door took could not be written: it is not in flight. */
    public synchronized void notWritten() {
        writing = Math.max(0, writing - 1);
    }

    /**
     * A lead the door took ({@link #admit}) arrived at {@code arrivedAt} at {@code offset} of {@code
     * partition}: until intake reads it, it counts in flight here if this instance reads that partition.
     */
    public synchronized void written(int partition, long offset, long arrivedAt) {
        writing = Math.max(0, writing - 1);
        // Acknowledgements of one partition come in offset order; one can come after intake read the lead.
        if (reading.contains(partition) && offset > lastRead.getOrDefault(partition, -1L)) {
            unread.computeIfAbsent(partition, p -> new ArrayDeque<>()).addLast(new DoorLead(offset, arrivedAt));
        }
    }

    /**
     * A counter of the open auctions of one auction task on this instance, for {@link #leadsInFlight()}:
     * the task sets it as auctions open and close, and hands it back with {@link #release} when it closes.
     */
    public AtomicInteger openAuctionsCounter() {
        AtomicInteger counter = new AtomicInteger();
        openAuctions.add(counter);
        return counter;
    }

    /**
     * An auction of this instance that opened at {@code openedAt} closed at {@code now}: a lead decided,
     * for {@link #decidedPerSecond}, and how long it took, for {@link #buyersMs}. A lead shed ({@code
     * shed}: too old to offer, or its buyers never reached, e.g. at the backstop while the connector is
     * gone) counts no buyers' time: its auction's length says nothing about how long buyers take, and
     * while the connector is gone the door must not widen for leads nobody can sell.
     */
    public synchronized void auctionClosed(long now, long openedAt, boolean shed) {
        decided.add(now, 1);
        openMs.add(now, shed ? 0 : Math.max(0, now - openedAt));
    }

    /** Leads this instance decided per second over the last {@link #RATE_SECONDS} whole seconds before {@code now}. */
    public synchronized double decidedPerSecond(long now) {
        return decided.total(now) / (double) RATE_SECONDS;
    }

    /**
     * How long a lead's auction takes here apart from waiting for the stream thread, on average over the
     * last {@link #RATE_SECONDS} whole seconds: the time auctions were open less the time their answers
     * waited to be read. That is the buyers' own time, the connector's and the commits' — the time a
     * lead is in flight at normal speed; 0 while nothing was decided.
     */
    public synchronized long buyersMs(long now) {
        long leads = decided.total(now);
        return leads == 0 ? 0 : Math.max(0, (openMs.total(now) - answerWaitMs.total(now)) / leads);
    }

    /**
     * How many leads this instance may have in flight for one taken now to be decided within {@code
     * targetMs} of the time its buyers take ({@link #buyersMs}): Little's law, the leads it decides in that
     * time. Above capacity the rate is what the machine does today, so the bound follows a slow day down;
     * below it, the leads in flight stay far under the bound, which rises with the rate. Auctions that are
     * many only because their buyers are slow (a second to answer a post is common) widen the bound
     * instead of filling it: the door refuses for our lag, never for the buyers' pace.
     *
     * <p>At least {@link #MIN_IN_FLIGHT} while the queues keep up (a lead taken now would wait no longer
     * than {@code targetMs}, {@link #lagMs}), so a burst into an idle pipeline is taken. Not while they are
     * behind: on a cold start of every process on 2 cores the instances decided a few leads a second, the
     * floor let 50 in at every dip of the lag, and those waited past their campaign's 5 s and were shed
     * after their 202 (the door's gauges every half second, 2026-12-02).
     */
    public synchronized long maxLeadsInFlight(long now, long targetMs) {
        return maxLeadsInFlight(now, targetMs, lagMs(now));
    }

    private long maxLeadsInFlight(long now, long targetMs, long lagMs) {
        long byRate = (long) Math.ceil(decidedPerSecond(now) * (targetMs + buyersMs(now)) / 1000.0);
        return lagMs <= targetMs ? Math.max(MIN_IN_FLIGHT, byRate) : byRate;
    }

    /** The task that held {@code counter} closed (or moved): its auctions are no longer this instance's. */
    public void release(AtomicInteger counter) {
        openAuctions.remove(counter);
    }

    /**
     * Leads this instance is selling now: those its HTTP intake is writing or wrote that intake has not
     * read yet, and its open auctions (from the ping to the decision). Unlike the queues' ages, which rise only once
     * the leads at their head have waited, this rises the moment a lead is taken, so a door that limits
     * it lets in no more than the pipeline holds (Little's law: time to decision = leads in flight /
     * leads decided per second).
     */
    public synchronized int leadsInFlight() {
        int written = unread.values().stream().mapToInt(Deque::size).sum();
        return writing + written + openAuctions.stream().mapToInt(AtomicInteger::get).sum();
    }

    /** An auction opened for a lead that intake had read at {@code readAt}. */
    public synchronized void auctionOpened(long readAt, long now) {
        downstream.saw(Math.max(0, now - readAt), now);
    }

    /** The auction read a buyer's answer (a bid or a post result) written at {@code writtenAt}. */
    public synchronized void answerRead(long writtenAt, long now) {
        long waited = Math.max(0, now - writtenAt);
        answerWait.saw(waited, now);
        answerWaitMs.add(now, waited);
    }

    /**
     * A ping's buyers were called {@code waitedMs} after the auction wrote it ({@link
     * io.leadmkt.streams.auction.AuctionMachine#pingWaitMs}): its wait for the commit and the connector.
     */
    public synchronized void pingWaited(long waitedMs, long now) {
        pingWaitMs.add(now, Math.max(0, waitedMs));
        pingsWaited.add(now, 1);
    }

    /**
     * How long pings wait for the connector to call their buyers, on average over the last {@link
     * #RATE_SECONDS} whole seconds; 0 while none was measured. The mean, not the worst: a lead whose ping
     * would likely be read in time is offered, and only the ones likely to be read too late are shed.
     */
    public synchronized long pingWaitMs(long now) {
        long pings = pingsWaited.total(now);
        return pings == 0 ? 0 : pingWaitMs.total(now) / pings;
    }

    /** How long a lead read now will likely wait between intake and its auction; 0 when that keeps up. */
    public synchronized long downstreamMs(long now) {
        return downstream.at(now);
    }

    /**
     * How long a lead read now will likely wait before its buyers are called, which is what its campaign's
     * time to decision bounds: the wait for its auction to open, then for its ping to reach the connector.
     * Above capacity the leads intake takes are all near that bound, and a ping read a few milliseconds past
     * it is not sent: every stage's work on the lead was spent for nothing. 0 when the pipeline keeps up.
     */
    public synchronized long untilOfferMs(long now) {
        return downstream.at(now) + pingWaitMs(now);
    }

    /**
     * How long a lead read now will likely spend in our queues before its decision: the wait for its
     * auction to open, then for its bids and for its post's result to be read. The buyers' own time is not
     * in it: theirs, bounded by their timeouts. 0 when the pipeline keeps up. The pings' and posts' wait for
     * the connector is left out: counted in (twice), a campaign deciding within its time sold 9–16 % fewer
     * leads above capacity and decided them no sooner (p99 6.2–8.6 against 5.7–6.6 s, 2026-12-02).
     */
    public synchronized long untilDecisionMs(long now) {
        return downstream.at(now) + 2 * answerWait.at(now);
    }

    /**
     * How long a lead taken now would likely wait in the pipeline's queues: the age of the leads waiting
     * to be read, what waits behind intake, and twice the auctions' answer queue; 0 when it keeps up.
     */
    public synchronized long lagMs(long now) {
        long waiting = unread.values().stream().filter(leads -> !leads.isEmpty())
                .mapToLong(leads -> Math.max(0, now - leads.peekFirst().arrivedAt())).max().orElse(0);
        return Math.max(age.at(now), waiting) + untilDecisionMs(now);
    }

    /** Seconds a client should wait before retrying, for a lag of {@code lagMs}: at least 1, at most 60. */
    public static long retryAfterSeconds(long lagMs) {
        return Math.max(1, Math.min(60, (lagMs + 999) / 1000));
    }
}
