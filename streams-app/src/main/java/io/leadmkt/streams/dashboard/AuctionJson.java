package io.leadmkt.streams.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadmkt.schema.Money;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Recent auctions and their live figures as JSON: money as decimal strings, times as ISO instants. */
final class AuctionJson {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private AuctionJson() {
    }

    static ObjectNode auction(RecentAuction auction) {
        ObjectNode json = JSON.objectNode()
                .put("leadId", auction.leadId())
                .put("status", auction.status())
                .put("reason", auction.reason())
                .put("buyer", auction.buyerId())
                .put("price", auction.priceCents() == null ? null : Money.format(auction.priceCents()))
                .put("campaign", auction.campaignId())
                .put("source", auction.sourceId())
                .put("state", auction.state())
                .put("decidedAt", Instant.ofEpochMilli(auction.decidedAt()).toString())
                .put("decisionMs", auction.decisionMs())
                .put("buyersPinged", auction.buyersPinged())
                .put("bidsReceived", auction.bidsReceived())
                .put("postAttempts", auction.postAttempts());
        ArrayNode answers = json.putArray("answers");
        auction.answers().forEach(answer -> answers.addObject()
                .put("buyer", answer.buyerId())
                .put("status", answer.status())
                .put("price", answer.priceCents() == null ? null : Money.format(answer.priceCents()))
                .put("latencyMs", answer.latencyMs()));
        return json;
    }

    /** The recent window: its newest {@code shown} auctions and the figures of all of them. */
    static ObjectNode recent(List<RecentAuction> window, int shown) {
        ObjectNode body = JSON.objectNode();
        ArrayNode auctions = body.putArray("auctions");
        window.stream().limit(shown).forEach(auction -> auctions.add(auction(auction)));
        body.set("figures", figures(LiveFigures.of(window)));
        return body;
    }

    static ObjectNode figures(LiveFigures figures) {
        ObjectNode json = JSON.objectNode().put("auctions", figures.auctions()).put("sold", figures.sold());
        json.set("decisionMs", percentiles(figures.decisionMs(), null));
        ObjectNode bids = json.putObject("bids");
        bids.set("price", percentiles(figures.bids().cents(), Money::format));
        ArrayNode bands = bids.putArray("bands");
        figures.bids().bands().forEach(band -> bands.addObject()
                .put("from", Money.format(band.fromCents()))
                .put("to", Money.format(band.toCents()))
                .put("count", band.count()));
        ObjectNode buyers = json.putObject("buyers");
        figures.buyers().forEach((buyerId, answers) -> {
            ObjectNode buyer = buyers.putObject(buyerId).put("answers", answers.answers()).put("bids", answers.bids());
            buyer.set("latencyMs", percentiles(answers.latencyMs(), null));
        });
        return json;
    }

    /**
     * Percentiles as numbers (milliseconds: {@code format} null) or as {@code format} writes them
     * (money: decimal strings); null when there was nothing to rank.
     */
    private static ObjectNode percentiles(LiveFigures.Percentiles p, Function<Long, String> format) {
        ObjectNode json = JSON.objectNode().put("count", p.count());
        put(json, "p50", p.p50(), format);
        put(json, "p90", p.p90(), format);
        put(json, "p99", p.p99(), format);
        return json;
    }

    private static void put(ObjectNode json, String field, Optional<Long> value, Function<Long, String> format) {
        if (value.isEmpty()) {
            json.putNull(field);
        } else if (format == null) {
            json.put(field, value.get());
        } else {
            json.put(field, format.apply(value.get()));
        }
    }
}
