package io.leadmkt.streams.caps;

import io.leadmkt.schema.BuyerCapStatus;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.CapDecision;
import io.leadmkt.schema.CapRequest;
import io.leadmkt.schema.CapReservation;
import io.leadmkt.schema.CapUsage;
import io.leadmkt.schema.serde.AvroSerde;
import io.leadmkt.streams.ConfigTables;
import io.leadmkt.streams.StateStores;
import io.leadmkt.streams.StoreSweep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a buyer's caps and balance are counted. Why it cannot race: every cap request is
 * keyed by buyer id, so all requests for one buyer — from any auction, on any instance or stream
 * thread — land on one partition and are judged one at a time by the single task that owns it,
 * against usage in that task's store. A grant counts the price at once (a hold), before the lead is
 * posted; a post that is not accepted releases its hold; an accepted one confirms it. Under
 * exactly-once the hold, the store update and the answer commit together, so a crash neither loses
 * nor doubles one; every request is also idempotent by lead and attempt for at-least-once.
 *
 * <p>Holds make the cap strict: while a post to a buyer is in flight its price already counts, so
 * two auctions can never both take the last lead under a cap. The cost is that a lead may be
 * refused while an earlier hold is about to be released; it then goes to the next-best bid.
 */
public final class CapKeeper implements Processor<String, CapRequest, String, Object> {
    public static final String USAGE_STORE = "caps-usage-store";
    public static final String RESERVATIONS_STORE = "caps-reservations-store";
    public static final String STATUS_STORE = "caps-status-last-store";
    /** Settled holds are remembered this long, so a redelivered request is recognised. */
    static final long SETTLED_RETENTION_MS = Duration.ofDays(1).toMillis();
    private static final Logger LOG = LoggerFactory.getLogger(CapKeeper.class);

    private ProcessorContext<String, Object> context;
    private ConfigTables config;
    private KeyValueStore<String, CapUsage> usage;
    private KeyValueStore<String, CapReservation> reservations;
    private KeyValueStore<String, BuyerCapStatus> statuses;

    public static ProcessorSupplier<String, CapRequest, String, Object> supplier(
            AvroSerde<CapUsage> usageSerde, AvroSerde<CapReservation> reservationSerde,
            AvroSerde<BuyerCapStatus> statusSerde, Duration sweepPass, boolean inMemory) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, CapRequest, String, Object> get() {
                return new CapKeeper(sweepPass);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(
                        StateStores.keyValue(USAGE_STORE, Serdes.String(), usageSerde, inMemory),
                        StateStores.writeThrough(RESERVATIONS_STORE, Serdes.String(), reservationSerde, inMemory),
                        StateStores.keyValue(STATUS_STORE, Serdes.String(), statusSerde, inMemory));
            }
        };
    }

    /** Used-up periods and settled reservations, found a slice at a time. */
    private final StoreSweep<String, CapUsage> usageSweep;
    private final StoreSweep<String, CapReservation> reservationSweep;

    /** @param sweepPass how long a sweep's whole pass over each store takes: how long an ended entry may outlive its end */
    CapKeeper(Duration sweepPass) {
        this.usageSweep = new StoreSweep<>(sweepPass);
        this.reservationSweep = new StoreSweep<>(sweepPass);
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.config = new ConfigTables(context);
        this.usage = context.getStateStore(USAGE_STORE);
        this.reservations = context.getStateStore(RESERVATIONS_STORE);
        this.statuses = context.getStateStore(STATUS_STORE);
        context.schedule(StoreSweep.EVERY, PunctuationType.WALL_CLOCK_TIME, this::forgetExpired);
    }

    @Override
    public void process(Record<String, CapRequest> record) {
        CapRequest request = record.value();
        if (request == null) {
            return;
        }
        long now = context.currentSystemTimeMs();
        String key = request.getLeadId() + "|" + request.getAttempt();
        CapReservation held = reservations.get(key);
        switch (request.getKind()) {
            case RESERVE -> reserve(record, request, key, held, now);
            case CONFIRM -> {
                if (held != null && !held.getUsageKeys().isEmpty() && !held.getConfirmed()) {
                    held.setConfirmed(true);
                    held.setAt(now);
                    reservations.put(key, held);
                }
            }
            case RELEASE -> {
                if (held != null && !held.getConfirmed() && !held.getUsageKeys().isEmpty()) {
                    giveBack(held.getUsageKeys(), held.getPriceCents());
                    // Kept, emptied, so a redelivered RESERVE is not granted again.
                    held.setUsageKeys(List.of());
                    held.setAt(now);
                    reservations.put(key, held);
                    publishStatus(record, request.getBuyerId(), null, now);
                }
            }
            case REFUND -> refund(record, request, now);
            default -> LOG.warn("unknown cap request kind {}", request.getKind());
        }
    }

    /** One lead less and its price back in every usage given that still counts (a period already over is gone). */
    private List<String> giveBack(List<? extends CharSequence> usageKeys, long priceCents) {
        List<String> credited = new ArrayList<>();
        for (CharSequence usageKey : usageKeys) {
            CapUsage used = usage.get(usageKey.toString());
            if (used != null) {
                used.setLeads(Math.max(0, used.getLeads() - 1));
                used.setSpendCents(Math.max(0, used.getSpendCents() - priceCents));
                usage.put(usageKey.toString(), used);
                credited.add(usageKey.toString());
            }
        }
        return credited;
    }

    /**
     * An accepted return: the sale no longer counts against the periods it was made in, nor against
     * the balance. Remembered like a settled hold, so a redelivered refund credits nothing twice.
     */
    private void refund(Record<String, CapRequest> record, CapRequest request, long now) {
        String key = request.getLeadId() + "|refund";
        BuyerConfig buyer = config.buyer(request.getBuyerId()).orElse(null);
        if (reservations.get(key) != null || buyer == null) {
            return;
        }
        List<String> spans = CapRules.spans(buyer, request.getCountedAt()).stream().map(CapPeriods.Span::key).toList();
        reservations.put(key, CapReservation.newBuilder()
                .setLeadId(request.getLeadId())
                .setBuyerId(request.getBuyerId())
                .setAttempt(request.getAttempt())
                .setPriceCents(request.getPriceCents())
                .setUsageKeys(giveBack(spans, request.getPriceCents()))
                .setConfirmed(true)
                .setAt(now)
                .build());
        publishStatus(record, request.getBuyerId(), null, now);
    }

    private void reserve(Record<String, CapRequest> record, CapRequest request, String key, CapReservation held,
                         long now) {
        if (held != null) {
            // A redelivered request: answer as before, change nothing.
            boolean granted = !held.getUsageKeys().isEmpty() || held.getConfirmed();
            answer(record, request, granted, granted ? null : "ALREADY_RELEASED", now);
            return;
        }
        BuyerConfig buyer = config.buyer(request.getBuyerId()).orElse(null);
        CapRules.Verdict verdict = CapRules.judge(buyer, request.getPriceCents(), now, usage::get);
        if (!verdict.granted()) {
            answer(record, request, false, verdict.reason(), now);
            if (buyer != null) {
                publishStatus(record, buyer.getBuyerId(), verdict.reason(), now);
            }
            return;
        }
        List<String> keys = new ArrayList<>();
        for (CapPeriods.Span span : verdict.spans()) {
            CapUsage used = usage.get(span.key());
            if (used == null) {
                used = CapUsage.newBuilder().setLeads(0).setSpendCents(0).setEndsAt(span.endsAt()).build();
            }
            used.setLeads(used.getLeads() + 1);
            used.setSpendCents(used.getSpendCents() + request.getPriceCents());
            usage.put(span.key(), used);
            keys.add(span.key());
        }
        reservations.put(key, CapReservation.newBuilder()
                .setLeadId(request.getLeadId())
                .setBuyerId(request.getBuyerId())
                .setAttempt(request.getAttempt())
                .setPriceCents(request.getPriceCents())
                .setUsageKeys(keys)
                .setConfirmed(false)
                .setAt(now)
                .build());
        answer(record, request, true, null, now);
        publishStatus(record, request.getBuyerId(), null, now);
    }

    private void answer(Record<String, CapRequest> record, CapRequest request, boolean granted, String reason,
                        long now) {
        context.forward(new Record<String, Object>(request.getLeadId(), CapDecision.newBuilder()
                .setLeadId(request.getLeadId())
                .setBuyerId(request.getBuyerId())
                .setAttempt(request.getAttempt())
                .setGranted(granted)
                .setReason(reason)
                .setDecidedAt(now)
                .setAuctionPartition(request.getAuctionPartition()) // back to the auction that asked
                .build(), record.timestamp(), record.headers()));
    }

    /**
     * Tells eligibility when the buyer is full (so it is not pinged for leads it could not take) and,
     * once a hold was refused for spend, how much it can still spend (so a bid above that is not even
     * tried: a nearly spent buyer would otherwise top auction after auction only to be refused, each
     * refusal costing the lead a round trip). Written only when that changes, so a buyer far from its
     * limits costs no writes.
     */
    private void publishStatus(Record<String, CapRequest> record, String buyerId, String refusal, long now) {
        BuyerConfig buyer = config.buyer(buyerId).orElse(null);
        if (buyer == null) {
            return;
        }
        long fullUntil = CapRules.fullUntil(buyer, now, usage::get);
        BuyerCapStatus last = statuses.get(buyerId);
        boolean lastCurrent = last != null && last.getUpdatedAt() >= config.buyerChangedAt(buyerId);
        long lastUntil = !lastCurrent || last.getFullUntil() <= now ? 0 : last.getFullUntil();
        boolean watchSpend = CapRules.spendRefusal(refusal)
                || (lastCurrent && last.getSpendLeftCents() != null && last.getSpendLeftUntil() > now);
        Optional<CapRules.SpendLeft> left = watchSpend ? CapRules.spendLeft(buyer, now, usage::get) : Optional.empty();
        Long spendLeft = left.map(CapRules.SpendLeft::cents).orElse(null);
        Long lastLeft = lastCurrent && last.getSpendLeftUntil() > now ? last.getSpendLeftCents() : null;
        if (fullUntil == lastUntil && Objects.equals(spendLeft, lastLeft)) {
            return;
        }
        BuyerCapStatus status = BuyerCapStatus.newBuilder()
                .setBuyerId(buyerId)
                .setFullUntil(fullUntil)
                .setReason(fullUntil == 0 && spendLeft == null ? null : Objects.requireNonNullElse(refusal, "FULL"))
                .setUpdatedAt(now)
                .setSpendLeftCents(spendLeft)
                .setSpendLeftUntil(left.map(CapRules.SpendLeft::until).orElse(0L))
                .build();
        statuses.put(buyerId, status);
        context.forward(new Record<String, Object>(buyerId, status, record.timestamp(), record.headers()));
    }

    private void forgetExpired(long now) {
        usageSweep.next(usage, used -> used.getEndsAt() <= now).forEach(ended -> usage.delete(ended.key));
        reservationSweep.next(reservations, held -> (held.getConfirmed() || held.getUsageKeys().isEmpty())
                && now - held.getAt() > SETTLED_RETENTION_MS).forEach(settled -> reservations.delete(settled.key));
    }
}
