package io.leadmkt.connector.limits;

import io.leadmkt.connector.limits.BuyerHealth.State;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Decides, per buyer, whether the connector may call it now: its concurrency limit, its ping rate
 * (a token bucket holding one second's worth) and its pause state (a circuit breaker: N
 * consecutive ERROR/TIMEOUT answers, or a 429 with Retry-After, pause the buyer; when the pause
 * ends ONE probe ping is let through, whose answer resumes the buyer or pauses it again).
 *
 * <p>A ping that is let through holds a {@link Permit} until its answer is in; the caller reports
 * the answer on it exactly once. A ping that is not let through gets a {@link Refusal} naming
 * {@link #THROTTLED} or {@link #PAUSED}, which the dispatcher turns into the buyer's ERROR bid at
 * once, so every pinged buyer still yields exactly one bid and a sick buyer costs no HTTP call.
 *
 * <p>Posts are never refused: the buyer already won the lead, and refusing would only turn its win
 * into an error and push the lead to the next bidder or UNSOLD, while the post may well succeed.
 * Posts count towards a buyer's in-flight requests, but their answers do not move its pause state
 * (a post endpoint failing says little about the ping endpoint, which probes test directly).
 *
 * <p>Thread-safe: each buyer's state is guarded by its own lock, so buyers never contend with each
 * other. Time comes from the injected clock only, so tests drive it explicitly.
 */
public final class BuyerGate {

    public static final String THROTTLED = "THROTTLED";
    public static final String PAUSED = "PAUSED";

    private final Clock clock;
    private final Map<String, Buyer> buyers = new ConcurrentHashMap<>();

    public BuyerGate(Clock clock) {
        this.clock = clock;
    }

    /** Lets a ping to {@code buyerId} through under {@code limits}, or says why not. */
    public Admission admitPing(String buyerId, BuyerLimits limits) {
        return buyer(buyerId).admitPing(clock.millis(), limits);
    }

    /** Always lets a post through (see the class comment), counting it as in flight. */
    public Permit admitPost(String buyerId) {
        return buyer(buyerId).admitPost();
    }

    /** Every buyer the gate has seen, by id. */
    public List<BuyerHealth> health() {
        long now = clock.millis();
        return buyers.entrySet().stream()
                .map(e -> e.getValue().health(e.getKey(), now))
                .sorted(Comparator.comparing(BuyerHealth::buyerId))
                .toList();
    }

    public Optional<BuyerHealth> health(String buyerId) {
        Buyer buyer = buyers.get(buyerId);
        return buyer == null ? Optional.empty() : Optional.of(buyer.health(buyerId, clock.millis()));
    }

    /** Ids of the buyers not being pinged right now (paused, or waiting on their probe). */
    public List<String> paused() {
        return health().stream().filter(h -> h.state() != State.ACTIVE).map(BuyerHealth::buyerId).toList();
    }

    private Buyer buyer(String buyerId) {
        return buyers.computeIfAbsent(buyerId, id -> new Buyer());
    }

    /** What {@link #admitPing} decided. */
    public sealed interface Admission permits Permit, Refusal {
    }

    /** Not let through: the buyer is not called, its bid is an ERROR with this reason. */
    public record Refusal(String reason) implements Admission {
    }

    /** A call let through; report how it went exactly once (later reports are ignored). */
    public final class Permit implements Admission {

        private final Buyer buyer;
        private final BuyerLimits limits;
        private final boolean ping;
        private final boolean probe;
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit(Buyer buyer, BuyerLimits limits, boolean ping, boolean probe) {
            this.buyer = buyer;
            this.limits = limits;
            this.ping = ping;
            this.probe = probe;
        }

        /** Whether this is the half-open probe whose answer resumes or re-pauses the buyer. */
        public boolean probe() {
            return probe;
        }

        /** The buyer answered (a BID or a PASS). */
        public void succeeded() {
            release(Outcome.SUCCEEDED, Duration.ZERO);
        }

        /** The buyer failed (an ERROR or a TIMEOUT). */
        public void failed() {
            release(Outcome.FAILED, Duration.ZERO);
        }

        /** The buyer answered 429 and asked us to wait {@code retryAfter}: it is paused until then. */
        public void rateLimited(Duration retryAfter) {
            release(Outcome.RATE_LIMITED, retryAfter);
        }

        /** The call was not made after all (e.g. its request could not be built): no verdict on the buyer. */
        public void cancelled() {
            release(Outcome.NO_VERDICT, Duration.ZERO);
        }

        /**
         * The buyer did not answer, but nothing shows the silence was its own (e.g. every buyer called
         * then was silent: our lag): no verdict, neither a failure nor a good answer.
         */
        public void unjudged() {
            release(Outcome.NO_VERDICT, Duration.ZERO);
        }

        /** A post is over, however it went: it is no longer in flight, and says nothing about pings. */
        public void done() {
            release(Outcome.NO_VERDICT, Duration.ZERO);
        }

        private void release(Outcome outcome, Duration retryAfter) {
            if (released.compareAndSet(false, true)) {
                buyer.release(this, outcome, retryAfter, clock.millis());
            }
        }
    }

    private enum Outcome { SUCCEEDED, FAILED, RATE_LIMITED, NO_VERDICT }

    /** One buyer's state; every access holds its lock. */
    private final class Buyer {

        private State state = State.ACTIVE;
        private long pausedUntil;
        /**
         * The probe in flight of the current half-open spell, if any. Held by identity: a probe of an
         * earlier spell (the buyer was paused again meanwhile, say by another call's 429) answers like any
         * ping, so it neither resumes a buyer paused since nor cuts that pause short by failing.
         */
        private Permit probe;
        private int consecutiveErrors;
        private int inFlight;
        private double tokens;
        private long refilledAt = Long.MIN_VALUE;

        synchronized Admission admitPing(long now, BuyerLimits limits) {
            if (state == State.PAUSED) {
                if (now < pausedUntil) {
                    return new Refusal(PAUSED);
                }
                state = State.HALF_OPEN;
                probe = null;
            }
            if (state == State.HALF_OPEN && probe != null) {
                return new Refusal(PAUSED);
            }
            if (inFlight >= limits.maxConcurrent()) {
                return new Refusal(THROTTLED);
            }
            if (limits.rateLimited() && !takeToken(now, limits.pingsPerSecond())) {
                return new Refusal(THROTTLED);
            }
            inFlight++;
            Permit permit = new Permit(this, limits, true, state == State.HALF_OPEN);
            if (permit.probe) {
                probe = permit;
            }
            return permit;
        }

        synchronized Permit admitPost() {
            inFlight++;
            return new Permit(this, BuyerLimits.DEFAULTS, false, false);
        }

        private boolean takeToken(long now, double perSecond) {
            double capacity = Math.max(1, perSecond);
            tokens = refilledAt == Long.MIN_VALUE ? capacity
                    : Math.min(capacity, tokens + Math.max(0, now - refilledAt) * perSecond / 1000.0);
            refilledAt = now;
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }

        synchronized void release(Permit permit, Outcome outcome, Duration retryAfter, long now) {
            inFlight--;
            boolean currentProbe = permit == probe;
            if (currentProbe) {
                probe = null;
            }
            if (!permit.ping || outcome == Outcome.NO_VERDICT) {
                return;
            }
            switch (outcome) {
                case SUCCEEDED -> {
                    consecutiveErrors = 0;
                    if (currentProbe) {
                        state = State.ACTIVE;
                    }
                }
                case FAILED -> {
                    consecutiveErrors++;
                    BuyerLimits limits = permit.limits;
                    if (currentProbe) {
                        pause(now + limits.pauseForMs());
                    } else if (state == State.ACTIVE && limits.pausesOnErrors()
                            && consecutiveErrors >= limits.pauseAfterErrors()) {
                        pause(now + limits.pauseForMs());
                    }
                }
                case RATE_LIMITED -> {
                    consecutiveErrors++;
                    long until = now + Math.max(0, retryAfter.toMillis());
                    pause(state == State.PAUSED ? Math.max(pausedUntil, until) : until);
                }
                default -> throw new IllegalStateException("unexpected " + outcome);
            }
        }

        private void pause(long until) {
            state = State.PAUSED;
            pausedUntil = until;
            probe = null;
        }

        synchronized BuyerHealth health(String buyerId, long now) {
            State shown = state == State.PAUSED && now >= pausedUntil ? State.HALF_OPEN : state;
            Instant until = shown == State.PAUSED ? Instant.ofEpochMilli(pausedUntil) : null;
            return new BuyerHealth(buyerId, shown, until, consecutiveErrors, inFlight);
        }
    }
}
