package io.leadmkt.streams.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import io.leadmkt.schema.BuyerCap;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.CaptureForm;
import io.leadmkt.schema.CapPeriod;
import io.leadmkt.schema.DayPart;
import io.leadmkt.schema.Delivery;
import io.leadmkt.schema.FieldFilter;
import io.leadmkt.schema.FilterOp;
import io.leadmkt.schema.ReturnApproval;
import io.leadmkt.schema.ReturnPolicy;
import io.leadmkt.schema.MarketplaceMode;
import io.leadmkt.schema.Money;
import io.leadmkt.schema.RoutingMode;
import io.leadmkt.schema.SourceAdjustment;
import io.leadmkt.schema.WaterfallOrder;
import io.leadmkt.streams.eligibility.FieldFilters;
import io.leadmkt.streams.returns.ReturnRules;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The one place where buyer and campaign documents (YAML or JSON) become {@link BuyerConfig} and
 * {@link CampaignConfig} records: shared by {@code leadmkt config apply} and the admin API, so a
 * document means the same thing on both roads.
 *
 * <p>Each document is checked against the published schemas ({@code leadmkt/buyer.schema.json},
 * {@code leadmkt/campaign.schema.json}), then its integration document by the given
 * {@link IntegrationCheck}. Every problem is reported at once, naming its path, e.g.
 * {@code buyers[2].pingTimeoutMs: must have a minimum value of 50}.
 *
 * <p>A file holds one document, a list of documents, or {@code {buyers: [...], campaigns: [...]}}.
 * In a list (or alone) a document is a buyer when it has {@code buyerId}, a campaign when it has
 * {@code campaignId} (or says so with {@code kind}). Money is a decimal string of dollars
 * ({@code floor: "5.00"}), converted exactly by {@link Money}.
 */
public final class ConfigDocuments {

    public static final String BUYER_SCHEMA = "leadmkt/buyer.schema.json";
    public static final String CAMPAIGN_SCHEMA = "leadmkt/campaign.schema.json";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Schema BUYER = loadSchema(BUYER_SCHEMA);
    private static final Schema CAMPAIGN = loadSchema(CAMPAIGN_SCHEMA);

    private enum Kind { BUYER, CAMPAIGN }

    private final IntegrationCheck integrationCheck;

    public ConfigDocuments(IntegrationCheck integrationCheck) {
        this.integrationCheck = integrationCheck;
    }

    /**
     * Every buyer and campaign in {@code text} (one file's content). Errors are prefixed with
     * {@code source} when it is not null, e.g. {@code buyers.yaml: buyers[2].buyerId: required}.
     */
    public ConfigBatch read(String source, String text) {
        String prefix = source == null ? "" : source + ": ";
        JsonNode root;
        try {
            root = parse(text);
        } catch (IllegalArgumentException e) {
            return new ConfigBatch(List.of(), List.of(), List.of(prefix + "$: " + e.getMessage()));
        }
        Collector out = new Collector(prefix);
        if (root.isArray()) {
            for (int i = 0; i < root.size(); i++) {
                out.document(root.get(i), "[" + i + "]", null);
            }
        } else if (root.isObject() && !root.has("buyerId") && !root.has("campaignId")
                && (root.has("buyers") || root.has("campaigns"))) {
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Kind kind = switch (e.getKey()) {
                    case "buyers" -> Kind.BUYER;
                    case "campaigns" -> Kind.CAMPAIGN;
                    default -> null;
                };
                if (kind == null) {
                    out.errors.add(prefix + e.getKey() + ": unknown section (expected buyers or campaigns)");
                } else if (!e.getValue().isArray()) {
                    out.errors.add(prefix + e.getKey() + ": must be a list");
                } else {
                    for (int i = 0; i < e.getValue().size(); i++) {
                        out.document(e.getValue().get(i), e.getKey() + "[" + i + "]", kind);
                    }
                }
            }
        } else {
            out.document(root, "", null);
        }
        return out.batch();
    }

    /** One buyer document (an admin PUT body); its {@code buyerId} may be left out, else must equal {@code id}. */
    public ConfigBatch buyer(String id, String text) {
        return single(id, text, Kind.BUYER);
    }

    /** One campaign document (an admin PUT body); its {@code campaignId} may be left out, else must equal {@code id}. */
    public ConfigBatch campaign(String id, String text) {
        return single(id, text, Kind.CAMPAIGN);
    }

    private ConfigBatch single(String id, String text, Kind kind) {
        JsonNode root;
        try {
            root = parse(text);
        } catch (IllegalArgumentException e) {
            return new ConfigBatch(List.of(), List.of(), List.of("$: " + e.getMessage()));
        }
        Collector out = new Collector("");
        if (!root.isObject()) {
            out.errors.add("$: must be an object");
            return out.batch();
        }
        String idField = kind == Kind.BUYER ? "buyerId" : "campaignId";
        ObjectNode doc = ((ObjectNode) root).deepCopy();
        JsonNode given = doc.get(idField);
        if (given == null) {
            doc.put(idField, id);
        } else if (!given.isTextual() || !given.asText().equals(id)) {
            out.errors.add(idField + ": must equal the id in the URL ('" + id + "')");
            return out.batch();
        }
        out.document(doc, "", kind);
        return out.batch();
    }

    /** A buyer as its document: what the admin API answers and lists. */
    public static ObjectNode toJson(BuyerConfig buyer) {
        ObjectNode json = NODES.objectNode();
        json.put("buyerId", buyer.getBuyerId());
        if (buyer.getName() != null) {
            json.put("name", buyer.getName());
        }
        json.put("active", buyer.getActive());
        json.put("delivery", buyer.getDelivery().name().toLowerCase(Locale.ROOT));
        if (buyer.getPingUrl() != null) {
            json.put("pingUrl", buyer.getPingUrl());
        }
        if (buyer.getPostUrl() != null) {
            json.put("postUrl", buyer.getPostUrl());
        }
        json.put("pingTimeoutMs", buyer.getPingTimeoutMs());
        json.put("postTimeoutMs", buyer.getPostTimeoutMs());
        json.set("states", strings(buyer.getStates()));
        json.set("verticals", strings(buyer.getVerticals()));
        json.set("campaigns", strings(buyer.getCampaigns()));
        json.put("minScore", buyer.getMinScore());
        json.put("maxScore", buyer.getMaxScore());
        json.set("zipCodes", strings(buyer.getZipCodes()));
        json.set("zipPrefixes", strings(buyer.getZipPrefixes()));
        json.set("sourceAllow", strings(buyer.getSourceAllow()));
        json.set("sourceBlock", strings(buyer.getSourceBlock()));
        json.set("subIdAllow", strings(buyer.getSubIdAllow()));
        json.set("subIdBlock", strings(buyer.getSubIdBlock()));
        json.put("timeZone", buyer.getTimeZone());
        ArrayNode parts = NODES.arrayNode();
        for (DayPart part : buyer.getDayParts()) {
            ObjectNode p = parts.addObject();
            p.set("days", strings(part.getDays()));
            p.put("from", clock(part.getFromMinute()));
            p.put("to", clock(part.getToMinute()));
        }
        json.set("dayParts", parts);
        if (buyer.getIntegration() != null) {
            try {
                json.set("integration", JSON.readTree(buyer.getIntegration()));
            } catch (JsonProcessingException e) {
                // Written by hand to the topic, bypassing validation: show it as it is.
                json.put("integration", buyer.getIntegration());
            }
        }
        ArrayNode caps = NODES.arrayNode();
        for (BuyerCap cap : buyer.getCaps()) {
            ObjectNode c = caps.addObject();
            c.put("period", cap.getPeriod().name().toLowerCase(Locale.ROOT));
            if (cap.getMaxLeads() != null) {
                c.put("leads", cap.getMaxLeads());
            }
            if (cap.getMaxSpendCents() != null) {
                c.put("spend", Money.format(cap.getMaxSpendCents()));
            }
        }
        json.set("caps", caps);
        if (buyer.getPrepaidCents() != null) {
            json.put("prepaid", Money.format(buyer.getPrepaidCents()));
        }
        json.put("creditLimit", Money.format(buyer.getCreditLimitCents()));
        if (buyer.getFixedPriceCents() != null) {
            json.put("fixedPrice", Money.format(buyer.getFixedPriceCents()));
        }
        ObjectNode byState = NODES.objectNode();
        new TreeMap<>(buyer.getFixedPriceByStateCents()).forEach((state, cents) -> byState.put(state.toString(), Money.format(cents)));
        json.set("fixedPriceByState", byState);
        ArrayNode adjustments = NODES.arrayNode();
        for (SourceAdjustment adjustment : buyer.getSourceAdjustments()) {
            ObjectNode a = adjustments.addObject();
            a.put("source", adjustment.getSourceId());
            if (adjustment.getSubId() != null) {
                a.put("subId", adjustment.getSubId());
            }
            a.put("multiplier", multiplier(adjustment.getMultiplierBasisPoints()));
            a.put("penalty", Money.format(adjustment.getPenaltyCents()));
        }
        json.set("sourceAdjustments", adjustments);
        ArrayNode filters = NODES.arrayNode();
        for (FieldFilter filter : buyer.getFieldFilters()) {
            ObjectNode f = filters.addObject();
            f.put("field", filter.getField());
            f.put("op", filter.getOp().name().toLowerCase(Locale.ROOT));
            if (!filter.getValues().isEmpty()) {
                f.set("values", strings(filter.getValues()));
            }
        }
        json.set("fieldFilters", filters);
        if (buyer.getMarginPercentBasisPoints() != null) {
            json.put("marginPercent", Money.format(buyer.getMarginPercentBasisPoints()));
        }
        if (buyer.getMarginFixedCents() != null) {
            json.put("marginFixed", Money.format(buyer.getMarginFixedCents()));
        }
        json.put("priority", buyer.getPriority());
        if (buyer.getPostbackSecret() != null || buyer.getConversionWindowMs() != ReturnRules.DEFAULT_CONVERSION_WINDOW_MS) {
            ObjectNode postbacks = json.putObject("postbacks");
            if (buyer.getPostbackSecret() != null) {
                postbacks.put("secret", buyer.getPostbackSecret());
            }
            postbacks.put("conversionWindow", age(buyer.getConversionWindowMs()));
        }
        ReturnPolicy returns = buyer.getReturns();
        if (returns != null) {
            ObjectNode r = json.putObject("returns");
            r.set("reasons", strings(returns.getReasonCodes()));
            r.put("window", age(returns.getWindowMs()));
            if (returns.getMaxPercentBasisPoints() != null) {
                // basis points have the same two-decimal shape as cents: 1000 -> "10.00" (percent)
                r.put("maxPercent", Money.format(returns.getMaxPercentBasisPoints()));
            }
            r.put("period", returns.getPeriod().name().toLowerCase(Locale.ROOT));
            r.put("approval", returns.getApproval().name().toLowerCase(Locale.ROOT));
        }
        return json;
    }

    /** A campaign as its document, the floor as a decimal string. */
    public static ObjectNode toJson(CampaignConfig campaign) {
        ObjectNode json = NODES.objectNode();
        json.put("campaignId", campaign.getCampaignId());
        if (campaign.getSellerId() != null) {
            json.put("sellerId", campaign.getSellerId());
        }
        json.put("vertical", campaign.getVertical());
        json.put("active", campaign.getActive());
        json.put("floor", Money.format(campaign.getFloorCents()));
        json.put("pingDeadlineMs", campaign.getPingDeadlineMs());
        json.put("maxLeadAgeMs", campaign.getMaxLeadAgeMs());
        json.put("decideWithinMaxLeadAge", campaign.getDecideWithinMaxLeadAge());
        json.put("postTimeoutMs", campaign.getPostTimeoutMs());
        json.set("blockedBuyers", strings(campaign.getBlockedBuyers()));
        // basis points have the same two-decimal shape as cents: 1500 -> "15.00" (percent)
        json.put("marginPercent", Money.format(campaign.getMarginPercentBasisPoints()));
        json.put("marginFixed", Money.format(campaign.getMarginFixedCents()));
        json.put("pricing", campaign.getPricing().name().toLowerCase(java.util.Locale.ROOT));
        json.put("secondPriceIncrement", Money.format(campaign.getSecondPriceIncrementCents()));
        json.set("preferredBuyers", strings(campaign.getPreferredBuyers()));
        ObjectNode floors = NODES.objectNode();
        new java.util.TreeMap<>(campaign.getStateFloorsCents()).forEach((state, cents) -> floors.put(state, Money.format(cents)));
        json.set("stateFloors", floors);
        json.put("marketplace", campaign.getMarketplace().name().toLowerCase(Locale.ROOT));
        json.set("allowedBuyers", strings(campaign.getAllowedBuyers()));
        json.put("routing", campaign.getRouting().name().toLowerCase(Locale.ROOT));
        json.put("waterfallOrder", campaign.getWaterfallOrder().name().toLowerCase(Locale.ROOT));
        ObjectNode priorities = NODES.objectNode();
        new TreeMap<>(campaign.getBuyerPriorities()).forEach((buyer, priority) -> priorities.put(buyer.toString(), priority));
        json.set("buyerPriorities", priorities);
        json.put("acceptanceDiscount", campaign.getAcceptanceDiscount());
        ObjectNode consent = json.putObject("consent");
        consent.set("require", strings(campaign.getRequiredConsentEvidence()));
        if (campaign.getMaxConsentAgeMs() > 0) {
            consent.put("maxAge", age(campaign.getMaxConsentAgeMs()));
        }
        consent.put("oneToOne", campaign.getOneToOneConsent());
        CaptureForm form = campaign.getForm();
        if (form != null) {
            ObjectNode page = json.putObject("form");
            page.put("sourceId", form.getSourceId());
            page.put("disclosure", form.getDisclosure());
            page.put("disclosureVersion", form.getDisclosureVersion());
            page.set("namedBuyers", strings(form.getNamedBuyers()));
            if (form.getTitle() != null) {
                page.put("title", form.getTitle());
            }
        }
        json.put("clawbackOnReturn", campaign.getClawbackOnReturn());
        return json;
    }

    private static ArrayNode strings(List<? extends CharSequence> values) {
        ArrayNode array = NODES.arrayNode();
        values.forEach(v -> array.add(v.toString()));
        return array;
    }

    private static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty document");
        }
        String trimmed = text.strip();
        try {
            JsonNode tree = trimmed.startsWith("{") || trimmed.startsWith("[") ? jsonOrFlowYaml(trimmed)
                    : yamlDocuments(trimmed);
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                throw new IllegalArgumentException("empty document");
            }
            return tree;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON or YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON or YAML: " + e.getMessage());
        }
    }

    /** One YAML document, or several separated by {@code ---}, read as a list of documents. */
    private static JsonNode yamlDocuments(String text) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (com.fasterxml.jackson.databind.MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
            while (it.hasNextValue()) {
                JsonNode document = it.nextValue();
                if (document != null && !document.isNull() && !document.isMissingNode()) {
                    documents.add(document);
                }
            }
        }
        if (documents.size() == 1) {
            return documents.get(0);
        }
        ArrayNode list = NODES.arrayNode();
        documents.forEach(list::add);
        return documents.isEmpty() ? null : list;
    }

    /** JSON, else YAML flow style ({buyerId: a}); a JSON document's own error is the one worth showing. */
    private static JsonNode jsonOrFlowYaml(String text) throws IOException {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException json) {
            try {
                return YAML.readTree(text);
            } catch (JsonProcessingException yaml) {
                throw json;
            }
        }
    }

    /** Gathers records and errors of one file; ids are checked for duplicates within it. */
    private final class Collector {
        final String prefix;
        final List<BuyerConfig> buyers = new ArrayList<>();
        final List<CampaignConfig> campaigns = new ArrayList<>();
        final List<String> errors = new ArrayList<>();
        final Map<String, String> seen = new HashMap<>();

        Collector(String prefix) {
            this.prefix = prefix;
        }

        void document(JsonNode doc, String at, Kind expected) {
            String here = at.isEmpty() ? "$" : at;
            if (!doc.isObject()) {
                errors.add(prefix + here + ": must be an object");
                return;
            }
            Kind kind = expected != null ? expected : kindOf(doc);
            if (kind == null) {
                errors.add(prefix + here + ": neither a buyer (buyerId) nor a campaign (campaignId)");
                return;
            }
            List<String> found = new ArrayList<>();
            for (Error error : (kind == Kind.BUYER ? BUYER : CAMPAIGN).validate(doc.toString(), InputFormat.JSON)) {
                found.add(describe(at, error));
            }
            if (kind == Kind.BUYER && found.isEmpty()) {
                found.addAll(buyerRules(doc, at));
            }
            if (kind == Kind.CAMPAIGN && found.isEmpty()) {
                found.addAll(campaignRules(doc, at));
            }
            if (kind == Kind.BUYER && found.isEmpty() && doc.has("integration")) {
                String path = (at.isEmpty() ? "" : at + ".") + "integration";
                for (String error : integrationCheck.errors(doc.get("integration").toString())) {
                    found.add(error.startsWith("$") ? path + error.substring(1) : path + ": " + error);
                }
            }
            if (!found.isEmpty()) {
                found.forEach(e -> errors.add(prefix + e));
                return;
            }
            String id = doc.get(kind == Kind.BUYER ? "buyerId" : "campaignId").asText();
            String previous = seen.putIfAbsent(kind + "/" + id, here);
            if (previous != null) {
                errors.add(prefix + here + ": " + kind.name().toLowerCase(Locale.ROOT) + " '" + id
                        + "' is already defined at " + previous);
                return;
            }
            if (kind == Kind.BUYER) {
                buyers.add(toBuyer(doc));
            } else {
                campaigns.add(toCampaign(doc));
            }
        }

        ConfigBatch batch() {
            return new ConfigBatch(buyers, campaigns, errors);
        }
    }

    private static Kind kindOf(JsonNode doc) {
        String kind = doc.path("kind").asText("");
        if (kind.equals("buyer") || (kind.isEmpty() && doc.has("buyerId") && !doc.has("campaignId"))) {
            return Kind.BUYER;
        }
        if (kind.equals("campaign") || (kind.isEmpty() && doc.has("campaignId") && !doc.has("buyerId"))) {
            return Kind.CAMPAIGN;
        }
        return null;
    }

    /** Only called on a document the schema accepted: every field present has its type and range. */
    private static BuyerConfig toBuyer(JsonNode doc) {
        // Delivery set even when absent: Avro resolves an enum default by loading the enum class,
        // which its class-trust check refuses until some AvroSerde has trusted our package.
        BuyerConfig.Builder b = BuyerConfig.newBuilder().setBuyerId(doc.get("buyerId").asText())
                .setDelivery(Delivery.WEBHOOK);
        if (doc.has("name")) {
            b.setName(doc.get("name").asText());
        }
        if (doc.has("active")) {
            b.setActive(doc.get("active").asBoolean());
        }
        if (doc.has("delivery")) {
            b.setDelivery(Delivery.valueOf(doc.get("delivery").asText().toUpperCase(Locale.ROOT)));
        }
        if (doc.has("pingUrl")) {
            b.setPingUrl(doc.get("pingUrl").asText());
        }
        if (doc.has("postUrl")) {
            b.setPostUrl(doc.get("postUrl").asText());
        }
        if (doc.has("pingTimeoutMs")) {
            b.setPingTimeoutMs(doc.get("pingTimeoutMs").intValue());
        }
        if (doc.has("postTimeoutMs")) {
            b.setPostTimeoutMs(doc.get("postTimeoutMs").intValue());
        }
        b.setStates(list(doc.get("states")));
        b.setVerticals(list(doc.get("verticals")));
        b.setCampaigns(list(doc.get("campaigns")));
        if (doc.has("minScore")) {
            b.setMinScore(doc.get("minScore").intValue());
        }
        if (doc.has("maxScore")) {
            b.setMaxScore(doc.get("maxScore").intValue());
        }
        b.setZipCodes(list(doc.get("zipCodes")));
        b.setZipPrefixes(list(doc.get("zipPrefixes")));
        b.setSourceAllow(list(doc.get("sourceAllow")));
        b.setSourceBlock(list(doc.get("sourceBlock")));
        b.setSubIdAllow(list(doc.get("subIdAllow")));
        b.setSubIdBlock(list(doc.get("subIdBlock")));
        b.setTimeZone(doc.has("timeZone") ? doc.get("timeZone").asText() : "UTC");
        List<DayPart> parts = new ArrayList<>();
        if (doc.has("dayParts")) {
            for (JsonNode part : doc.get("dayParts")) {
                parts.add(DayPart.newBuilder().setDays(list(part.get("days")))
                        .setFromMinute(minutes(part.get("from").asText()))
                        .setToMinute(minutes(part.get("to").asText())).build());
            }
        }
        b.setDayParts(parts);
        if (doc.has("integration")) {
            // Compact JSON whatever the input was: the connector caches adapters by this text.
            b.setIntegration(doc.get("integration").toString());
        }
        List<BuyerCap> caps = new ArrayList<>();
        for (JsonNode cap : doc.path("caps")) {
            caps.add(BuyerCap.newBuilder()
                    .setPeriod(CapPeriod.valueOf(cap.get("period").asText().toUpperCase(Locale.ROOT)))
                    .setMaxLeads(cap.has("leads") ? Integer.valueOf(cap.get("leads").intValue()) : null)
                    .setMaxSpendCents(cap.has("spend") ? exactCents(cap, "spend") : null)
                    .build());
        }
        b.setCaps(caps);
        b.setPrepaidCents(doc.has("prepaid") ? exactCents(doc, "prepaid") : null);
        b.setCreditLimitCents(doc.has("creditLimit") ? exactCents(doc, "creditLimit") : 0L);
        b.setFixedPriceCents(doc.has("fixedPrice") ? exactCents(doc, "fixedPrice") : null);
        b.setFixedPriceByStateCents(centsByKey(doc.get("fixedPriceByState"), "fixedPriceByState"));
        List<SourceAdjustment> adjustments = new ArrayList<>();
        for (JsonNode adjustment : doc.path("sourceAdjustments")) {
            adjustments.add(SourceAdjustment.newBuilder()
                    .setSourceId(adjustment.get("source").asText())
                    .setSubId(adjustment.has("subId") ? adjustment.get("subId").asText() : null)
                    .setMultiplierBasisPoints(adjustment.has("multiplier")
                            ? multiplierBasisPoints(adjustment.get("multiplier").asText()) : 10_000)
                    .setPenaltyCents(adjustment.has("penalty") ? exactCents(adjustment, "penalty") : 0L)
                    .build());
        }
        b.setSourceAdjustments(adjustments);
        List<FieldFilter> filters = new ArrayList<>();
        for (JsonNode filter : doc.path("fieldFilters")) {
            filters.add(FieldFilter.newBuilder()
                    .setField(filter.get("field").asText())
                    .setOp(FilterOp.valueOf(filter.get("op").asText().toUpperCase(Locale.ROOT)))
                    .setValues(list(filter.get("values")))
                    .build());
        }
        b.setFieldFilters(filters);
        b.setMarginPercentBasisPoints(doc.has("marginPercent")
                ? Integer.valueOf(Math.toIntExact(exactCents(doc, "marginPercent"))) : null);
        b.setMarginFixedCents(doc.has("marginFixed") ? exactCents(doc, "marginFixed") : null);
        if (doc.has("priority")) {
            b.setPriority(doc.get("priority").intValue());
        }
        JsonNode postbacks = doc.path("postbacks");
        b.setPostbackSecret(postbacks.has("secret") ? postbacks.get("secret").asText() : null);
        if (postbacks.has("conversionWindow")) {
            b.setConversionWindowMs(ageMs(postbacks.get("conversionWindow").asText()));
        }
        JsonNode returns = doc.get("returns");
        if (returns != null) {
            // Period and approval set even when absent: Avro resolves an enum default by loading the enum class.
            b.setReturns(ReturnPolicy.newBuilder()
                    .setReasonCodes(list(returns.get("reasons")))
                    .setWindowMs(ageMs(returns.get("window").asText()))
                    .setMaxPercentBasisPoints(returns.has("maxPercent")
                            ? Integer.valueOf(Math.toIntExact(exactCents(returns, "maxPercent"))) : null)
                    .setPeriod(CapPeriod.valueOf(returns.path("period").asText("month").toUpperCase(Locale.ROOT)))
                    .setApproval(ReturnApproval.valueOf(returns.path("approval").asText("auto").toUpperCase(Locale.ROOT)))
                    .build());
        }
        return b.build();
    }

    /** What the schema cannot say: the time zone is a known zone id, each day-part ends after it starts. */
    private static List<String> buyerRules(JsonNode doc, String at) {
        String base = at.isEmpty() ? "" : at + ".";
        List<String> errors = new ArrayList<>();
        if (doc.has("timeZone")) {
            String id = doc.get("timeZone").asText();
            try {
                ZoneId.of(id);
            } catch (DateTimeException e) {
                errors.add(base + "timeZone: unknown time zone '" + id + "' (expected an IANA id, e.g. America/New_York)");
            }
        }
        if (doc.path("minScore").asInt(0) > doc.path("maxScore").asInt(100)) {
            errors.add(base + "maxScore: must be at least minScore");
        }
        JsonNode parts = doc.get("dayParts");
        if (parts != null) {
            for (int i = 0; i < parts.size(); i++) {
                JsonNode part = parts.get(i);
                if (minutes(part.get("to").asText()) <= minutes(part.get("from").asText())) {
                    errors.add(base + "dayParts[" + i + "].to: must be after from (split a window over midnight in two)");
                }
            }
        }
        JsonNode caps = doc.get("caps");
        if (caps != null) {
            Map<String, Integer> periods = new HashMap<>();
            for (int i = 0; i < caps.size(); i++) {
                JsonNode cap = caps.get(i);
                if (!cap.has("leads") && !cap.has("spend")) {
                    errors.add(base + "caps[" + i + "]: needs leads, spend or both (a cap without a limit limits nothing)");
                }
                String period = cap.get("period").asText();
                Integer first = periods.putIfAbsent(period, i);
                if (first != null) {
                    errors.add(base + "caps[" + i + "].period: '" + period + "' is already capped at caps[" + first
                            + "] (one cap per period, with leads and spend together)");
                }
            }
        }
        if (doc.has("creditLimit") && !doc.has("prepaid") && exactCents(doc, "creditLimit") > 0) {
            errors.add(base + "creditLimit: needs prepaid (without a deposit no balance is kept;"
                    + " write prepaid: \"0.00\" for credit only)");
        }
        JsonNode byState = doc.get("fixedPriceByState");
        JsonNode states = doc.get("states");
        if (byState != null && states != null && states.size() > 0) {
            Set<String> taken = new java.util.HashSet<>(list(states));
            for (Iterator<String> it = byState.fieldNames(); it.hasNext(); ) {
                String state = it.next();
                if (!taken.contains(state)) {
                    errors.add(base + "fixedPriceByState." + state + ": the buyer does not take " + state
                            + " (not in states), so this price would never apply");
                }
            }
        }
        errors.addAll(fieldFilterRules(doc.get("fieldFilters"), base));
        JsonNode adjustments = doc.get("sourceAdjustments");
        if (adjustments != null) {
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < adjustments.size(); i++) {
                JsonNode adjustment = adjustments.get(i);
                String source = adjustment.get("source").asText();
                String key = source + "\u0000" + adjustment.path("subId").asText("");
                Integer first = seen.putIfAbsent(key, i);
                if (first != null) {
                    errors.add(base + "sourceAdjustments[" + i + "]: source '" + source + "'"
                            + (adjustment.has("subId") ? " sub-id '" + adjustment.get("subId").asText() + "'" : "")
                            + " is already adjusted at sourceAdjustments[" + first + "]");
                }
            }
        }
        return errors;
    }

    /**
     * What the schema cannot say of field filters: the field is one a buyer may see before it wins
     * (never PII), numeric conditions have one number, list conditions at least one value.
     */
    private static List<String> fieldFilterRules(JsonNode filters, String base) {
        List<String> errors = new ArrayList<>();
        if (filters == null) {
            return errors;
        }
        for (int i = 0; i < filters.size(); i++) {
            JsonNode filter = filters.get(i);
            String at = base + "fieldFilters[" + i + "]";
            String field = filter.path("field").asText();
            if (!FieldFilters.known(field)) {
                errors.add(at + ".field: '" + field + "' is not a lead preview field (one of "
                        + new TreeSet<>(FieldFilters.FIELDS) + " or attributes.<key>); buyers never filter on contact details");
            }
            String op = filter.path("op").asText();
            List<String> values = list(filter.get("values"));
            switch (op) {
                case "in", "not_in" -> {
                    if (values.isEmpty()) {
                        errors.add(at + ".values: at least one value is needed for " + op);
                    }
                }
                case "present", "absent" -> {
                    if (!values.isEmpty()) {
                        errors.add(at + ".values: " + op + " takes no values");
                    }
                }
                default -> {
                    if (values.size() != 1 || !values.get(0).matches("-?[0-9]+(\\.[0-9]+)?")) {
                        errors.add(at + ".values: " + op + " needs exactly one number, e.g. [\"2015\"]");
                    }
                }
            }
        }
        return errors;
    }

    /**
     * What the schema cannot say: a private campaign names at least one allowed buyer; a form of a
     * one-to-one campaign names the buyers, and a form's campaign requires no third-party
     * certificate (its leads would all be rejected otherwise).
     */
    private static List<String> campaignRules(JsonNode doc, String at) {
        String base = at.isEmpty() ? "" : at + ".";
        List<String> errors = new ArrayList<>();
        if ("private".equals(doc.path("marketplace").asText()) && doc.path("allowedBuyers").size() == 0) {
            errors.add(base + "allowedBuyers: required and not empty when marketplace is private"
                    + " (a private campaign with no allowed buyer would sell nothing)");
        }
        if (doc.has("form") && doc.path("consent").path("oneToOne").asBoolean(false)
                && doc.path("form").path("namedBuyers").size() == 0) {
            errors.add(base + "form.namedBuyers: required and not empty when consent.oneToOne is true"
                    + " (the form's consent must name the buyers, or every lead of it is rejected)");
        }
        if (doc.has("form")) {
            for (JsonNode evidence : doc.path("consent").path("require")) {
                if (List.of("trustedFormCertUrl", "leadIdToken").contains(evidence.asText())) {
                    errors.add(base + "form: cannot take leads when consent.require has " + evidence.asText()
                            + " (the form records its own evidence: disclosure, version and hash, capture time, IP,"
                            + " user agent, page URL; no third-party certificate)");
                }
            }
        }
        return errors;
    }

    /** "HH:MM" (checked by the schema; "24:00" allowed) as minutes after midnight. */
    static int minutes(String hhmm) {
        return Integer.parseInt(hhmm.substring(0, 2)) * 60 + Integer.parseInt(hhmm.substring(3, 5));
    }

    static String clock(int minutes) {
        return String.format(Locale.ROOT, "%02d:%02d", minutes / 60, minutes % 60);
    }

    private static CampaignConfig toCampaign(JsonNode doc) {
        CampaignConfig.Builder c = CampaignConfig.newBuilder()
                .setCampaignId(doc.get("campaignId").asText())
                .setVertical(doc.get("vertical").asText());
        if (doc.has("sellerId")) {
            c.setSellerId(doc.get("sellerId").asText());
        }
        if (doc.has("active")) {
            c.setActive(doc.get("active").asBoolean());
        }
        if (doc.has("floor")) {
            c.setFloorCents(exactCents(doc, "floor"));
        }
        if (doc.has("pingDeadlineMs")) {
            c.setPingDeadlineMs(doc.get("pingDeadlineMs").intValue());
        }
        if (doc.has("maxLeadAgeMs")) {
            c.setMaxLeadAgeMs(doc.get("maxLeadAgeMs").intValue());
        }
        if (doc.has("decideWithinMaxLeadAge")) {
            c.setDecideWithinMaxLeadAge(doc.get("decideWithinMaxLeadAge").asBoolean());
        }
        if (doc.has("postTimeoutMs")) {
            c.setPostTimeoutMs(doc.get("postTimeoutMs").intValue());
        }
        c.setBlockedBuyers(list(doc.get("blockedBuyers")));
        if (doc.has("marginPercent")) {
            c.setMarginPercentBasisPoints(Math.toIntExact(exactCents(doc, "marginPercent")));
        }
        if (doc.has("marginFixed")) {
            c.setMarginFixedCents(exactCents(doc, "marginFixed"));
        }
        if (doc.has("pricing")) {
            c.setPricing(io.leadmkt.schema.PricingMode.valueOf(doc.get("pricing").asText().toUpperCase(java.util.Locale.ROOT)));
        }
        if (doc.has("secondPriceIncrement")) {
            c.setSecondPriceIncrementCents(exactCents(doc, "secondPriceIncrement"));
        }
        c.setPreferredBuyers(list(doc.get("preferredBuyers")));
        Map<String, Long> floors = new java.util.LinkedHashMap<>();
        if (doc.has("stateFloors")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = doc.get("stateFloors").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                floors.put(e.getKey(), Money.parseCents(e.getValue().asText()).orElseThrow(
                        () -> new IllegalStateException("schema let through stateFloors." + e.getKey() + " " + e.getValue())));
            }
        }
        c.setStateFloorsCents(floors);
        // Set even when absent: Avro resolves an enum default by loading the enum class (see toBuyer).
        c.setMarketplace(doc.has("marketplace")
                ? MarketplaceMode.valueOf(doc.get("marketplace").asText().toUpperCase(Locale.ROOT))
                : MarketplaceMode.OPEN);
        c.setAllowedBuyers(list(doc.get("allowedBuyers")));
        // Set even when absent, as marketplace above.
        c.setRouting(doc.has("routing")
                ? RoutingMode.valueOf(doc.get("routing").asText().toUpperCase(Locale.ROOT)) : RoutingMode.PARALLEL);
        c.setWaterfallOrder(doc.has("waterfallOrder")
                ? WaterfallOrder.valueOf(doc.get("waterfallOrder").asText().toUpperCase(Locale.ROOT))
                : WaterfallOrder.PRIORITY);
        Map<String, Integer> priorities = new java.util.LinkedHashMap<>();
        if (doc.has("buyerPriorities")) {
            doc.get("buyerPriorities").fields().forEachRemaining(e -> priorities.put(e.getKey(), e.getValue().intValue()));
        }
        c.setBuyerPriorities(priorities);
        if (doc.has("acceptanceDiscount")) {
            c.setAcceptanceDiscount(doc.get("acceptanceDiscount").asBoolean());
        }
        JsonNode consent = doc.path("consent");
        c.setRequiredConsentEvidence(list(consent.get("require")));
        c.setMaxConsentAgeMs(consent.has("maxAge") ? ageMs(consent.get("maxAge").asText()) : 0L);
        c.setOneToOneConsent(consent.path("oneToOne").asBoolean(false));
        JsonNode form = doc.get("form");
        c.setForm(form == null ? null : new CaptureForm(form.get("sourceId").asText(), form.get("disclosure").asText(),
                form.get("disclosureVersion").asText(), list(form.get("namedBuyers")),
                form.has("title") ? form.get("title").asText() : null));
        c.setClawbackOnReturn(doc.path("clawbackOnReturn").asBoolean(false));
        return c.build();
    }

    private static final List<Map.Entry<String, Long>> AGE_UNITS = List.of(Map.entry("d", 86_400_000L),
            Map.entry("h", 3_600_000L), Map.entry("m", 60_000L), Map.entry("s", 1_000L));

    /** A duration the schema already checked ("90d", "72h", "30m", "45s": a consent age, a window) in milliseconds. */
    static long ageMs(String text) {
        String unit = text.substring(text.length() - 1);
        long amount = Long.parseLong(text.substring(0, text.length() - 1));
        return amount * AGE_UNITS.stream().filter(u -> u.getKey().equals(unit)).findFirst().orElseThrow().getValue();
    }

    /** Milliseconds as the largest whole unit: 7776000000 -> "90d"; rounded up to seconds if written by hand. */
    static String age(long ms) {
        for (Map.Entry<String, Long> unit : AGE_UNITS) {
            if (ms % unit.getValue() == 0) {
                return ms / unit.getValue() + unit.getKey();
            }
        }
        return (ms + 999) / 1000 + "s";
    }

    /** A two-decimal string the schema already checked, as an exact whole number of hundredths. */
    private static long exactCents(JsonNode doc, String field) {
        return Money.parseCents(doc.get(field).asText()).orElseThrow(
                () -> new IllegalStateException("schema let through " + field + " " + doc.get(field)));
    }

    /** {state: "12.50", ...} (checked by the schema) as exact cents by key, in the document's order. */
    private static Map<String, Long> centsByKey(JsonNode object, String field) {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        if (object != null) {
            object.fields().forEachRemaining(e -> out.put(e.getKey(), Money.parseCents(e.getValue().asText()).orElseThrow(
                    () -> new IllegalStateException("schema let through " + field + "." + e.getKey() + " " + e.getValue()))));
        }
        return out;
    }

    /** A multiplier "0.80" (0..10, at most four decimals, checked by the schema) as exact basis points: 8000. */
    static int multiplierBasisPoints(String text) {
        return new BigDecimal(text).movePointRight(4).intValueExact();
    }

    /** Basis points as a multiplier with at least two decimals: 8000 -> "0.80", 12345 -> "1.2345". */
    static String multiplier(int basisPoints) {
        BigDecimal value = BigDecimal.valueOf(basisPoints, 4).stripTrailingZeros();
        return value.setScale(Math.max(2, value.scale())).toPlainString();
    }

    private static List<String> list(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(v -> out.add(v.asText()));
        }
        return out;
    }

    /** {@code at.field[1]: message}, {@code at} being where the document sits in its file. */
    private static String describe(String at, Error error) {
        NodePath location = error.getInstanceLocation();
        StringBuilder path = new StringBuilder(at);
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Integer index) {
                path.append('[').append(index).append(']');
            } else {
                path.append(path.isEmpty() ? "" : ".").append(element);
            }
        }
        if ("required".equals(error.getKeyword()) && error.getProperty() != null) {
            return (path.isEmpty() ? "" : path + ".") + error.getProperty() + ": required";
        }
        String message = error.getMessage();
        String own = location + ": ";
        return (path.isEmpty() ? "$" : path.toString()) + ": "
                + (message.startsWith(own) ? message.substring(own.length()) : message);
    }

    private static Schema loadSchema(String resource) {
        try (InputStream in = ConfigDocuments.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing " + resource + " on the classpath");
            }
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in, InputFormat.JSON);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
