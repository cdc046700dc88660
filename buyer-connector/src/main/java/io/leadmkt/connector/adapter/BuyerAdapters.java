package io.leadmkt.connector.adapter;

import io.leadmkt.connector.http.BuyerRequest;
import io.leadmkt.connector.http.HttpAnswer;
import io.leadmkt.connector.integration.Integration;
import io.leadmkt.connector.integration.IntegrationParser;
import io.leadmkt.connector.integration.InvalidIntegrationException;
import io.leadmkt.connector.limits.BuyerLimits;
import io.leadmkt.schema.Bid;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.Ping;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.PostResult;
import io.leadmkt.schema.PostStatus;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the adapter for a buyer: its own API when its config carries an {@code integration}
 * document with ping and post templates ({@link TemplateBuyerAdapter}), else the built-in JSON
 * protocol; and the buyer's {@link BuyerLimits} (the document's {@code limits}, else defaults).
 *
 * <p>Documents are parsed and validated once per distinct text (so once per config version), not
 * per request. A document that does not validate is logged once with its errors, and that buyer's
 * pings and posts become ERROR events with reason {@link #BAD_INTEGRATION}, sending nothing.
 */
public final class BuyerAdapters {

    public static final String BAD_INTEGRATION = "BAD_INTEGRATION";

    /** Past this many distinct documents the cache starts over: old config versions must not pile up. */
    private static final int MAX_CACHED = 4096;

    private static final Logger log = LoggerFactory.getLogger(BuyerAdapters.class);

    private final BuyerAdapter defaultAdapter;
    private final Clock clock;
    private final Map<String, Resolved> byIntegration = new ConcurrentHashMap<>();

    /** What one integration document amounts to: who speaks to the buyer, and how hard. */
    private record Resolved(BuyerAdapter adapter, BuyerLimits limits, Integration integration) {
    }

    public BuyerAdapters(BuyerAdapter defaultAdapter, Clock clock) {
        this.defaultAdapter = defaultAdapter;
        this.clock = clock;
    }

    public BuyerAdapters(BuyerAdapter defaultAdapter) {
        this(defaultAdapter, Clock.systemUTC());
    }

    /** The JSON protocol by default, integration documents where buyers have one. */
    public static BuyerAdapters json() {
        return new BuyerAdapters(new JsonBuyerAdapter());
    }

    public BuyerAdapter forBuyer(BuyerConfig buyer) {
        return resolve(buyer).adapter();
    }

    /**
     * The limits the connector keeps towards {@code buyer}: its document's {@code limits}, the
     * defaults where it has none (or its document is invalid, in which case nothing is sent anyway).
     */
    public BuyerLimits limits(BuyerConfig buyer) {
        return resolve(buyer).limits();
    }

    /** The buyer's valid integration document; empty when it has none or it is invalid. */
    public java.util.Optional<Integration> integration(BuyerConfig buyer) {
        return java.util.Optional.ofNullable(resolve(buyer).integration());
    }

    private Resolved resolve(BuyerConfig buyer) {
        String integration = buyer.getIntegration();
        if (integration == null) {
            return new Resolved(defaultAdapter, BuyerLimits.DEFAULTS, null);
        }
        Resolved cached = byIntegration.get(integration);
        if (cached != null) {
            return cached;
        }
        if (byIntegration.size() >= MAX_CACHED) {
            byIntegration.clear();
        }
        return byIntegration.computeIfAbsent(integration, document -> resolve(buyer.getBuyerId(), document));
    }

    private Resolved resolve(String buyerId, String document) {
        try {
            Integration integration = IntegrationParser.parse(document);
            // A document holding only limits leaves the buyer on the built-in protocol.
            BuyerAdapter adapter = integration.hasTemplates() ? new TemplateBuyerAdapter(integration, clock)
                    : defaultAdapter;
            return new Resolved(adapter, integration.buyerLimits(), integration);
        } catch (InvalidIntegrationException e) {
            log.error("buyer {} has an invalid integration; its pings and posts fail with {} until it is fixed: {}",
                    buyerId, BAD_INTEGRATION, e.errors());
            return new Resolved(new Refusing(String.join("; ", e.errors())), BuyerLimits.DEFAULTS, null);
        } catch (RuntimeException e) {
            log.error("buyer {} has an unusable integration; its pings and posts fail with {}", buyerId,
                    BAD_INTEGRATION, e);
            return new Resolved(new Refusing(String.valueOf(e.getMessage())), BuyerLimits.DEFAULTS, null);
        }
    }

    /** Stands in for a buyer whose integration is invalid: builds no request. */
    private record Refusing(String errors) implements BuyerAdapter {

        @Override
        public BuyerRequest pingRequest(Ping ping, BuyerConfig buyer, long timeoutMs) {
            throw new RequestRefusedException(BAD_INTEGRATION, errors);
        }

        @Override
        public Bid toBid(Ping ping, BuyerConfig buyer, HttpAnswer answer) {
            return Answers.failedBid(ping.getLeadId(), buyer.getBuyerId(), BidStatus.ERROR, BAD_INTEGRATION,
                    answer.receivedAt(), answer.latencyMs());
        }

        @Override
        public BuyerRequest postRequest(Post post, BuyerConfig buyer) {
            throw new RequestRefusedException(BAD_INTEGRATION, errors);
        }

        @Override
        public PostResult toPostResult(Post post, HttpAnswer answer) {
            return Answers.postResult(post, PostStatus.ERROR, null, BAD_INTEGRATION, answer.receivedAt(),
                    answer.latencyMs());
        }
    }
}
