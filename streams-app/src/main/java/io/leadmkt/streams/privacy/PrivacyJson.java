package io.leadmkt.streams.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadmkt.schema.BuyerContact;
import io.leadmkt.schema.DeletionEvent;
import io.leadmkt.schema.Disclosure;
import java.time.Instant;
import java.util.Collection;

/** The privacy API's answers as JSON: times as ISO instants, hashes and ids only, never PII. */
final class PrivacyJson {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private PrivacyJson() {
    }

    static ObjectNode disclosure(Disclosure d) {
        ObjectNode json = JSON.objectNode().put("leadId", d.getLeadId()).put("campaignId", d.getCampaignId())
                .put("sourceId", d.getSourceId()).put("qualifiedAt", instant(d.getQualifiedAt()));
        ObjectNode consent = json.putObject("consent");
        d.getConsent().forEach(consent::put);
        ArrayNode pinged = json.putArray("pinged");
        for (BuyerContact ping : d.getPinged()) {
            pinged.addObject().put("buyerId", ping.getBuyerId()).put("at", instant(ping.getAt()));
        }
        ArrayNode posted = json.putArray("receivedFullLead");
        for (BuyerContact post : d.getPosted()) {
            posted.addObject().put("buyerId", post.getBuyerId()).put("at", instant(post.getAt()))
                    .put("attempt", post.getAttempt()).put("result", post.getStatus());
        }
        if (d.getErasedBy() != null) {
            json.put("erasedBy", d.getErasedBy());
        }
        return json;
    }

    static ObjectNode progress(DeletionProgress p) {
        ObjectNode json = JSON.objectNode().put("deletionId", p.deletionId()).put("status", p.status())
                .put("requestedBy", p.requestedBy()).put("requestedAt", instant(p.requestedAt()))
                .put("erasedAt", instant(p.erasedAt()));
        strings(json.putArray("hashes"), p.hashes());
        json.put("partitions", p.partitions()).put("partitionsSearched", p.partitionsSearched().size());
        strings(json.putArray("leads"), p.leads());
        strings(json.putArray("keysErased"), p.keysErased());
        ArrayNode buyers = json.putArray("buyers");
        p.buyers().values().forEach(b -> {
            ObjectNode buyer = buyers.addObject().put("buyerId", b.buyerId()).put("status", b.status())
                    .put("notifiedAt", instant(b.notifiedAt())).put("acknowledgedAt", instant(b.acknowledgedAt()))
                    .put("attempts", b.attempts()).put("lastError", b.lastError());
            strings(buyer.putArray("leads"), b.leads());
        });
        ArrayNode proof = json.putArray("proof");
        for (DeletionEvent event : p.events()) {
            ObjectNode e = proof.addObject().put("type", event.getType().name()).put("at", instant(event.getAt()));
            if (event.getPartition() >= 0) {
                e.put("partition", event.getPartition());
            }
            if (event.getBuyerId() != null) {
                e.put("buyerId", event.getBuyerId());
            }
            if (event.getRequestedBy() != null) {
                e.put("requestedBy", event.getRequestedBy());
            }
            if (!event.getHashes().isEmpty()) {
                strings(e.putArray("hashes"), event.getHashes());
            }
            if (!event.getLeadIds().isEmpty()) {
                strings(e.putArray("leadIds"), event.getLeadIds());
            }
            if (event.getCount() > 0) {
                e.put("count", event.getCount());
            }
            if (!event.getDetail().isEmpty()) {
                ObjectNode detail = e.putObject("detail");
                event.getDetail().forEach(detail::put);
            }
        }
        return json;
    }

    private static void strings(ArrayNode array, Collection<? extends CharSequence> values) {
        values.forEach(v -> array.add(v.toString()));
    }

    private static String instant(Long epochMillis) {
        return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis).toString();
    }

    static JsonNode leads(Collection<JsonNode> leads) {
        ArrayNode array = JSON.arrayNode();
        leads.forEach(array::add);
        return array;
    }
}
