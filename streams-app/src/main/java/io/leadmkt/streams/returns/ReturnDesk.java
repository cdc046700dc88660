package io.leadmkt.streams.returns;

import io.leadmkt.schema.AuditEvent;
import io.leadmkt.schema.AuditType;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.CapRequest;
import io.leadmkt.schema.CapRequestKind;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.Postback;
import io.leadmkt.schema.PostbackDecision;
import io.leadmkt.schema.PostbackStatus;
import io.leadmkt.schema.PostbackType;
import io.leadmkt.schema.ReturnPolicy;
import io.leadmkt.schema.ReturnTally;
import io.leadmkt.schema.SoldLead;
import io.leadmkt.schema.serde.AvroSerde;
import io.leadmkt.streams.ConfigTables;
import io.leadmkt.streams.StateStores;
import io.leadmkt.streams.StoreSweep;
import io.leadmkt.streams.audit.Audit;
import io.leadmkt.streams.caps.CapPeriods;
import io.leadmkt.streams.caps.CapRules;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
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
 * Where buyers' conversions and returns are judged. Sales and postbacks arrive keyed by buyer, so
 * every sale of one buyer and every postback it sends meet on one partition and are judged one at a
 * time: a return is judged against the sale (kept in {@value #SALES_STORE} until its windows end) and
 * against the buyer's returns and sales of the period (in {@value #TALLY_STORE}), so its maximum
 * return share holds however many instances run.
 *
 * <p>One decision per lead and type: a postback repeated (a retried request, a redelivered record,
 * a replayed signed URL) changes nothing. An accepted return credits the buyer through its cap
 * keeper (a {@code REFUND} on {@code caps.requests}, for a buyer with caps or a balance) and takes
 * the seller's payout back when the campaign says so; the decision on {@code postbacks.decisions}
 * carries both amounts for the reports.
 *
 * <p>A return as it comes, and every decision made, also go on the lead's audit trail
 * ({@code RETURN_REQUESTED}, {@code RETURN_DECIDED}, {@code CONVERSION_REPORTED}), keyed by lead id
 * like every audit event, so they join the lead's timeline the way its other steps do. A postback for
 * a lead the buyer did not buy is refused on {@code postbacks.decisions} only: that lead's trail is not
 * the buyer's to write on.
 */
public final class ReturnDesk implements Processor<String, SpecificRecord, String, SpecificRecord> {
    public static final String SALES_STORE = "returns-sales-store";
    public static final String TALLY_STORE = "returns-tally-store";
    /** The audit detail of a return or a decision naming its reason code. */
    public static final String REASON_DETAIL = "reason";
    private static final Logger LOG = LoggerFactory.getLogger(ReturnDesk.class);

    /** Sales past their windows and tallies past their spans, found a slice at a time. */
    private final StoreSweep<String, SoldLead> saleSweep;
    private final StoreSweep<String, ReturnTally> tallySweep;
    private ProcessorContext<String, SpecificRecord> context;
    private ConfigTables config;
    private KeyValueStore<String, SoldLead> sales;
    private KeyValueStore<String, ReturnTally> tallies;

    /** @param sweepPass how long a sweep's whole pass over each store takes: how long an ended entry may outlive its end */
    ReturnDesk(Duration sweepPass) {
        this.saleSweep = new StoreSweep<>(sweepPass);
        this.tallySweep = new StoreSweep<>(sweepPass);
    }

    public static ProcessorSupplier<String, SpecificRecord, String, SpecificRecord> supplier(
            AvroSerde<SoldLead> saleSerde, AvroSerde<ReturnTally> tallySerde, Duration sweepPass, boolean inMemory) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, SpecificRecord, String, SpecificRecord> get() {
                return new ReturnDesk(sweepPass);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(StateStores.writeThrough(SALES_STORE, Serdes.String(), saleSerde, inMemory),
                        StateStores.keyValue(TALLY_STORE, Serdes.String(), tallySerde, inMemory));
            }
        };
    }

    /** The sale of a SOLD outcome, as the desk keeps it; empty for an unsold lead. */
    public static Optional<SoldLead> sale(Outcome outcome) {
        if (outcome.getBuyerId() == null || outcome.getPriceCents() == null) {
            return Optional.empty();
        }
        return Optional.of(SoldLead.newBuilder()
                .setLeadId(outcome.getLeadId())
                .setBuyerId(outcome.getBuyerId())
                .setPriceCents(outcome.getPriceCents())
                .setSellerPayoutCents(outcome.getSellerPayoutCents() == null ? 0 : outcome.getSellerPayoutCents())
                .setCampaignId(outcome.getCampaignId())
                .setSourceId(outcome.getSourceId())
                .setState(outcome.getState())
                .setSubId(outcome.getSubId())
                .setSoldAt(outcome.getDecidedAt())
                .setKeepUntil(0)
                .build());
    }

    /** The store key of a buyer's sale: the store is partitioned by buyer, so its id leads. */
    public static String saleKey(String buyerId, String leadId) {
        return buyerId + "|" + leadId;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.config = new ConfigTables(context);
        this.sales = context.getStateStore(SALES_STORE);
        this.tallies = context.getStateStore(TALLY_STORE);
        context.schedule(StoreSweep.EVERY, PunctuationType.WALL_CLOCK_TIME, this::forgetEnded);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        if (record.value() instanceof SoldLead sale) {
            remember(sale);
        } else if (record.value() instanceof Postback postback) {
            // The postbacks topic is broker-timed: a buyer cannot backdate a return into its window.
            long at = record.timestamp();
            if (postback.getType() == PostbackType.RETURN_REVIEW) {
                review(record, postback, at);
                return;
            }
            SoldLead sale = sales.get(saleKey(postback.getBuyerId(), postback.getLeadId()));
            if (sale == null) {
                emit(record, refusedUnknown(postback, at));
            } else if (decided(sale, postback.getType()) == null) { // one decision per lead and type: the first stands
                if (postback.getType() == PostbackType.RETURN) {
                    emit(record, returnRequested(postback, at));
                }
                settle(record, sale, postback.getType() == PostbackType.CONVERSION ? convert(sale, postback, at)
                        : giveBack(record, sale, postback, at));
            }
        }
    }

    private void remember(SoldLead sale) {
        String key = saleKey(sale.getBuyerId(), sale.getLeadId());
        if (sales.get(key) != null) {
            return; // the outcome redelivered
        }
        Optional<BuyerConfig> buyer = config.buyer(sale.getBuyerId());
        ReturnPolicy policy = buyer.map(BuyerConfig::getReturns).orElse(null);
        long conversionWindow = buyer.map(BuyerConfig::getConversionWindowMs).orElse(ReturnRules.DEFAULT_CONVERSION_WINDOW_MS);
        sale.setKeepUntil(sale.getSoldAt() + Math.max(conversionWindow, policy == null ? 0 : policy.getWindowMs()));
        sales.put(key, sale);
        period(buyer.orElse(null), sale.getSoldAt()).ifPresent(span -> tally(span, 1, 0));
    }

    private PostbackDecision convert(SoldLead sale, Postback postback, long at) {
        long window = config.buyer(sale.getBuyerId()).map(BuyerConfig::getConversionWindowMs)
                .orElse(ReturnRules.DEFAULT_CONVERSION_WINDOW_MS);
        ReturnRules.Verdict verdict = ReturnRules.judgeConversion(window, sale.getSoldAt(), at);
        return decision(sale, PostbackType.CONVERSION, verdict.status(), verdict.reason(), at)
                .setValueCents(verdict.status() == PostbackStatus.ACCEPTED && postback.getValueCents() != null
                        ? postback.getValueCents() : 0)
                .build();
    }

    private PostbackDecision giveBack(Record<String, SpecificRecord> record, SoldLead sale, Postback postback, long at) {
        BuyerConfig buyer = config.buyer(sale.getBuyerId()).orElse(null);
        ReturnPolicy policy = buyer == null ? null : buyer.getReturns();
        Optional<CapPeriods.Span> period = period(buyer, at);
        ReturnTally tally = period.map(span -> tallies.get(span.key())).orElse(null);
        ReturnRules.Verdict verdict = ReturnRules.judgeReturn(policy, sale.getSoldAt(), postback.getReason(), at,
                tally == null ? 0 : tally.getSold(), tally == null ? 0 : tally.getReturned());
        if (verdict.status() != PostbackStatus.REFUSED) {
            // Held returns count against the share too, or a flood of them could pass it once approved.
            period.ifPresent(span -> tally(span, 0, 1));
        }
        return verdict.status() == PostbackStatus.ACCEPTED
                ? accepted(record, sale, postback.getReason(), at, at)
                : decision(sale, PostbackType.RETURN, verdict.status(),
                        verdict.status() == PostbackStatus.REFUSED ? verdict.reason() : postback.getReason(), at).build();
    }

    /** The seller's answer to a held return; anything else (no such return, already decided) changes nothing. */
    private void review(Record<String, SpecificRecord> record, Postback review, long at) {
        SoldLead sale = sales.get(saleKey(review.getBuyerId(), review.getLeadId()));
        PostbackDecision held = sale == null ? null : sale.getReturned();
        if (held == null || held.getStatus() != PostbackStatus.PENDING_REVIEW) {
            LOG.info("review of {} by {} ignored: no return waits for review", review.getLeadId(), review.getReviewedBy());
            return;
        }
        PostbackDecision decision;
        if (Boolean.TRUE.equals(review.getApproved())) {
            decision = accepted(record, sale, held.getReason(), held.getReceivedAt(), at);
        } else {
            BuyerConfig buyer = config.buyer(sale.getBuyerId()).orElse(null);
            period(buyer, held.getReceivedAt()).ifPresent(span -> tally(span, 0, -1));
            decision = decision(sale, PostbackType.RETURN, PostbackStatus.REFUSED, ReturnRules.SELLER_REFUSED,
                    held.getReceivedAt()).setDecidedAt(at).build();
        }
        settle(record, sale, decision);
    }

    /** The sale's decision on a postback of {@code type} (CONVERSION or RETURN); null: none yet. */
    static PostbackDecision decided(SoldLead sale, PostbackType type) {
        return type == PostbackType.CONVERSION ? sale.getConversion() : sale.getReturned();
    }

    /**
     * The decision kept with the sale (what the buyer reads back), written for the reports, and put on
     * the lead's audit trail (its timeline).
     */
    private void settle(Record<String, SpecificRecord> record, SoldLead sale, PostbackDecision decision) {
        if (decision.getType() == PostbackType.CONVERSION) {
            sale.setConversion(decision);
        } else {
            sale.setReturned(decision);
        }
        sales.put(saleKey(sale.getBuyerId(), sale.getLeadId()), sale);
        emit(record, decision);
        emit(record, audited(decision));
    }

    /** A buyer's return of a lead it bought, on the lead's audit trail as it came: its reason, before any judgement. */
    private static AuditEvent returnRequested(Postback postback, long at) {
        return Audit.buyerEvent(postback.getLeadId(), AuditType.RETURN_REQUESTED, at, postback.getBuyerId(), null, null,
                null, postback.getReason() == null ? Map.of() : Map.of(REASON_DETAIL, postback.getReason()));
    }

    /**
     * A decision on the lead's audit trail: a conversion ({@code CONVERSION_REPORTED}) or a return
     * ({@code RETURN_DECIDED}) with its status and reason, and the money it moves for the buyer: the
     * conversion's value, the return's credit. Not the seller's clawback: the buyer reads its own
     * steps of a lead's timeline, and the seller's payout is not its business.
     */
    private static AuditEvent audited(PostbackDecision decision) {
        boolean conversion = decision.getType() == PostbackType.CONVERSION;
        boolean accepted = decision.getStatus() == PostbackStatus.ACCEPTED;
        Long cents = !accepted ? null : conversion ? decision.getValueCents() : decision.getCreditCents();
        return Audit.buyerEvent(decision.getLeadId(), conversion ? AuditType.CONVERSION_REPORTED : AuditType.RETURN_DECIDED,
                decision.getDecidedAt(), decision.getBuyerId(), null, decision.getStatus().name(), cents,
                decision.getReason() == null ? Map.of() : Map.of(REASON_DETAIL, decision.getReason()));
    }

    /** An accepted return: the buyer's money back through its cap keeper, the seller's payout where the campaign says. */
    private PostbackDecision accepted(Record<String, SpecificRecord> record, SoldLead sale, CharSequence reason,
                                      long receivedAt, long now) {
        boolean clawback = config.campaign(sale.getCampaignId()).map(CampaignConfig::getClawbackOnReturn).orElse(false);
        PostbackDecision decision = decision(sale, PostbackType.RETURN, PostbackStatus.ACCEPTED,
                reason == null ? null : reason.toString(), receivedAt)
                .setCreditCents(sale.getPriceCents())
                .setClawbackCents(clawback ? sale.getSellerPayoutCents() : 0)
                .setDecidedAt(now)
                .build();
        if (config.buyer(sale.getBuyerId()).filter(CapRules::capped).isPresent()) {
            context.forward(new Record<String, SpecificRecord>(sale.getBuyerId(), CapRequest.newBuilder()
                    .setLeadId(sale.getLeadId())
                    .setBuyerId(sale.getBuyerId())
                    .setAttempt(0)
                    .setKind(CapRequestKind.REFUND)
                    .setPriceCents(sale.getPriceCents())
                    .setRequestedAt(now)
                    .setCountedAt(sale.getSoldAt())
                    .build(), record.timestamp(), record.headers()));
        }
        return decision;
    }

    private PostbackDecision.Builder decision(SoldLead sale, PostbackType type, PostbackStatus status, String reason,
                                              long receivedAt) {
        return PostbackDecision.newBuilder()
                .setLeadId(sale.getLeadId())
                .setBuyerId(sale.getBuyerId())
                .setType(type)
                .setStatus(status)
                .setReason(reason)
                .setCampaignId(sale.getCampaignId())
                .setSourceId(sale.getSourceId())
                .setState(sale.getState())
                .setSubId(sale.getSubId())
                .setSoldAt(sale.getSoldAt())
                .setReceivedAt(receivedAt)
                .setDecidedAt(receivedAt);
    }

    /** A postback for a lead the buyer did not buy: refused, and written, so nothing sent is lost without a word. */
    private static PostbackDecision refusedUnknown(Postback postback, long at) {
        return PostbackDecision.newBuilder()
                .setLeadId(postback.getLeadId())
                .setBuyerId(postback.getBuyerId())
                .setType(postback.getType() == PostbackType.CONVERSION ? PostbackType.CONVERSION : PostbackType.RETURN)
                .setStatus(PostbackStatus.REFUSED)
                .setReason(ReturnRules.NOT_BOUGHT)
                .setReceivedAt(at)
                .setDecidedAt(at)
                .build();
    }

    private void emit(Record<String, SpecificRecord> record, PostbackDecision decision) {
        forwardOnLead(record, decision.getLeadId(), decision);
    }

    private void emit(Record<String, SpecificRecord> record, AuditEvent event) {
        forwardOnLead(record, event.getLeadId(), event);
    }

    /** Keyed by lead id: postbacks.decisions and audit are both partitioned by lead, like the lead's other events. */
    private void forwardOnLead(Record<String, SpecificRecord> record, String leadId, SpecificRecord event) {
        context.forward(new Record<>(leadId, event, record.timestamp(), record.headers()));
    }

    /** The period of the buyer's return policy holding {@code at}; empty when no share is limited. */
    private static Optional<CapPeriods.Span> period(BuyerConfig buyer, long at) {
        if (buyer == null || buyer.getReturns() == null || buyer.getReturns().getMaxPercentBasisPoints() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(CapPeriods.of(buyer.getBuyerId(), buyer.getReturns().getPeriod(),
                    ZoneId.of(buyer.getTimeZone()), at));
        } catch (DateTimeException e) {
            return Optional.empty(); // config apply refuses unknown zones; never guess a period's start
        }
    }

    private void tally(CapPeriods.Span span, int sold, int returned) {
        ReturnTally tally = tallies.get(span.key());
        if (tally == null) {
            tally = ReturnTally.newBuilder().setSold(0).setReturned(0).setEndsAt(span.endsAt()).build();
        }
        tally.setSold(tally.getSold() + sold);
        tally.setReturned(Math.max(0, tally.getReturned() + returned));
        tallies.put(span.key(), tally);
    }

    private void forgetEnded(long now) {
        saleSweep.next(sales, sale -> sale.getKeepUntil() <= now).forEach(ended -> sales.delete(ended.key));
        tallySweep.next(tallies, tally -> tally.getEndsAt() <= now).forEach(ended -> tallies.delete(ended.key));
    }
}
