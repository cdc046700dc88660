package io.leadmkt.streams.eligibility;

import io.leadmkt.schema.BuyerCapStatus;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.DayPart;
import io.leadmkt.schema.Delivery;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.LeadPreview;
import io.leadmkt.streams.comply.ConsentRules;
import io.leadmkt.streams.ping.PingFactory;
import io.leadmkt.schema.MarketplaceMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which buyers may be pinged for a lead: active buyers (webhook buyers with ping and post URLs, or
 * Kafka-native buyers, which need no URL) that take the lead's state, zip, source and sub-id, the
 * campaign's vertical and the campaign itself, whose score range the lead is in, whose day-parts
 * (in the buyer's own time zone) include {@code now}, whom the seller has not blocked and, for a
 * PRIVATE campaign, whom the seller has allowed; whom the consumer's consent names, when it names
 * buyers (one-to-one consent); and, checked separately by {@link #capFull},
 * who the cap keeper does not say is full.
 * A pure function of the lead, the config tables and the wall clock.
 *
 * <p>Zips: with {@code zipCodes} and {@code zipPrefixes} both empty every zip (and a lead with none)
 * matches; otherwise the lead's zip must be listed or start with a listed prefix. Allow lists empty
 * take everything; block lists always win. A buyer whose time zone id is not a valid IANA id (only
 * possible when written to the topic bypassing the documents) is never eligible: logged once.
 */
public final class BuyerEligibility {
    private static final Logger LOG = LoggerFactory.getLogger(BuyerEligibility.class);
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private BuyerEligibility() {
    }

    public static List<String> eligibleBuyers(Lead lead, CampaignConfig campaign, List<BuyerConfig> buyers, long now) {
        return eligible(lead, campaign, buyers, now).stream().map(BuyerConfig::getBuyerId).toList();
    }

    /**
     * The eligible buyers' documents, sorted by buyer id. Caps are not looked at here: a buyer full
     * by {@code caps.status} is filtered afterwards with {@link #capFull}, so it can be audited.
     */
    public static List<BuyerConfig> eligible(Lead lead, CampaignConfig campaign, List<BuyerConfig> buyers, long now) {
        String state = lead.getProfile().getState();
        String zip = lead.getProfile().getZip();
        int score = lead.getEnrichment().getScore();
        LeadPreview preview = PingFactory.preview(lead);
        List<String> named = ConsentRules.namedBuyers(lead);
        return buyers.stream()
                .filter(BuyerConfig::getActive)
                .filter(b -> reachable(b, state))
                .filter(b -> b.getStates().isEmpty() || b.getStates().contains(state))
                .filter(b -> zipMatches(b, zip))
                .filter(b -> b.getVerticals().isEmpty() || b.getVerticals().contains(campaign.getVertical()))
                .filter(b -> b.getCampaigns().isEmpty() || b.getCampaigns().contains(campaign.getCampaignId()))
                .filter(b -> score >= b.getMinScore() && score <= b.getMaxScore())
                .filter(b -> allowed(b.getSourceAllow(), b.getSourceBlock(), lead.getSourceId()))
                .filter(b -> allowed(b.getSubIdAllow(), b.getSubIdBlock(), lead.getSubId()))
                .filter(b -> sellerAllows(campaign, b.getBuyerId()))
                .filter(b -> namedInConsent(named, b))
                .filter(b -> inDayParts(b, now))
                .filter(b -> FieldFilters.matches(b.getFieldFilters(), preview))
                .sorted(Comparator.comparing(BuyerConfig::getBuyerId))
                .toList();
    }

    /**
     * Whether leads can reach the buyer: Kafka-native buyers get pings and posts on their own topics
     * (no URL needed); a webhook buyer needs a post URL, and a ping URL unless it buys leads from
     * {@code state} at a fixed price (it is never pinged for them).
     */
    static boolean reachable(BuyerConfig buyer, String state) {
        if (buyer.getDelivery() == Delivery.KAFKA) {
            return true;
        }
        boolean pinged = BuyerTermsResolver.fixedPriceCents(buyer, state) == null;
        return buyer.getPostUrl() != null && (!pinged || buyer.getPingUrl() != null);
    }

    /**
     * Whether the cap keeper says the buyer is full at {@code now}: {@code fullUntil} is later than
     * now (0: open; {@code Long.MAX_VALUE}: until its balance is topped up). No status: open. A
     * status older than the buyer's last config change ({@code buyerChangedAt}) no longer holds: a
     * raised cap or a top-up must reopen the buyer at once, and only its cap keeper can say whether
     * it is still full — it will, on the next hold it refuses.
     */
    public static boolean capFull(BuyerCapStatus status, long buyerChangedAt, long now) {
        return status != null && status.getFullUntil() > now && status.getUpdatedAt() >= buyerChangedAt;
    }

    /**
     * What the buyer can still spend, when its cap keeper has said so (after refusing a hold for
     * spend) and that still holds: same staleness rule as {@link #capFull}. Null: no limit known.
     */
    public static Long spendLeftCents(BuyerCapStatus status, long buyerChangedAt, long now) {
        boolean current = status != null && status.getSpendLeftCents() != null && status.getSpendLeftUntil() > now
                && status.getUpdatedAt() >= buyerChangedAt;
        return current ? status.getSpendLeftCents() : null;
    }

    /**
     * The seller's own say: a blocked buyer never, in either mode; a PRIVATE campaign takes only
     * its allow-list (an empty list then takes nobody); an OPEN campaign ignores the allow-list.
     */
    static boolean sellerAllows(CampaignConfig campaign, String buyerId) {
        if (campaign.getBlockedBuyers().contains(buyerId)) {
            return false;
        }
        return campaign.getMarketplace() != MarketplaceMode.PRIVATE || campaign.getAllowedBuyers().contains(buyerId);
    }

    /**
     * One-to-one consent: a consumer who agreed to hear from named buyers is offered to those only
     * (by buyer id or name, see {@link ConsentRules#names}); consent naming nobody leaves the choice
     * to the other rules (a one-to-one campaign has already rejected such a lead at compliance).
     */
    static boolean namedInConsent(List<String> named, BuyerConfig buyer) {
        return named.isEmpty() || named.stream().anyMatch(n -> ConsentRules.names(n, buyer.getBuyerId(), buyer.getName()));
    }

    /** The floor of this lead's auction: the campaign's floor for the lead's state when it has one, else its floor. */
    public static long floorCents(CampaignConfig campaign, Lead lead) {
        return floorCents(campaign, lead.getProfile() == null ? null : lead.getProfile().getState());
    }

    /** The floor for a lead from {@code state} (null: unknown): the campaign's floor for that state, else its floor. */
    public static long floorCents(CampaignConfig campaign, String state) {
        Map<String, Long> floors = campaign.getStateFloorsCents();
        if (state != null && floors != null) {
            Long floor = floors.get(state.toUpperCase(Locale.ROOT));
            if (floor != null) {
                return floor;
            }
        }
        return campaign.getFloorCents();
    }

    static boolean zipMatches(BuyerConfig buyer, String zip) {
        if (buyer.getZipCodes().isEmpty() && buyer.getZipPrefixes().isEmpty()) {
            return true;
        }
        if (zip == null) {
            return false;
        }
        return buyer.getZipCodes().contains(zip) || buyer.getZipPrefixes().stream().anyMatch(zip::startsWith);
    }

    /** Block wins; an empty allow list takes every value, a missing value included. */
    static boolean allowed(List<String> allow, List<String> block, String value) {
        if (value != null && block.contains(value)) {
            return false;
        }
        return allow.isEmpty() || (value != null && allow.contains(value));
    }

    static boolean inDayParts(BuyerConfig buyer, long now) {
        Optional<ZoneId> zone = zone(buyer);
        if (zone.isEmpty()) {
            return false;
        }
        if (buyer.getDayParts().isEmpty()) {
            return true;
        }
        ZonedDateTime local = Instant.ofEpochMilli(now).atZone(zone.get());
        String day = local.getDayOfWeek().name().substring(0, 3);
        int minute = local.getHour() * 60 + local.getMinute();
        for (DayPart part : buyer.getDayParts()) {
            if (part.getDays().stream().anyMatch(d -> d.toUpperCase(Locale.ROOT).equals(day))
                    && minute >= part.getFromMinute() && minute < part.getToMinute()) {
                return true;
            }
        }
        return false;
    }

    private static Optional<ZoneId> zone(BuyerConfig buyer) {
        String id = buyer.getTimeZone();
        try {
            return Optional.of(ZoneId.of(id == null ? "UTC" : id));
        } catch (DateTimeException e) {
            if (WARNED.add(buyer.getBuyerId() + "/" + id)) {
                LOG.warn("buyer {} has an invalid time zone '{}': not eligible until fixed", buyer.getBuyerId(), id);
            }
            return Optional.empty();
        }
    }
}
