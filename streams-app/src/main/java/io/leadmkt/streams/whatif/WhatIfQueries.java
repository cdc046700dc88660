package io.leadmkt.streams.whatif;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadmkt.schema.WhatIfAuction;
import io.leadmkt.streams.api.InstanceFanOut;
import io.leadmkt.streams.api.JsonResponses;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * The recorded auctions of a window, from every partition of every instance ({@link InstanceFanOut}
 * over {@link WhatIfRecorder#STORE}). The what-if needs them all in one place (a buyer's accept
 * rate is the whole window's), so instances send their records, not figures; at most
 * {@link #MAX_AUCTIONS} of them, so one question cannot exhaust an instance.
 */
public final class WhatIfQueries {
    /** The most decided leads one what-if replays; a wider window is refused, naming {@code from}. */
    public static final int MAX_AUCTIONS = 100_000;
    /** The route that serves a window's recorded auctions (this instance's share with {@code ?scope=local}). */
    public static final String AUCTIONS_PATH = "/v1/whatif/auctions";

    private final InstanceFanOut instances;

    public WhatIfQueries(InstanceFanOut instances) {
        this.instances = instances;
    }

    /** Leads decided from {@code from} (inclusive) to {@code to} (exclusive), of one campaign or (null) all. */
    public record Window(String campaign, Instant from, Instant to) {
        boolean holds(WhatIfAuction auction) {
            return campaign == null || campaign.equals(auction.getOutcome().getCampaignId());
        }

        String query() {
            return "from=" + encode(from.toString()) + "&to=" + encode(to.toString())
                    + (campaign == null ? "" : "&campaign=" + encode(campaign));
        }

        private static String encode(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8);
        }
    }

    /** A window's recorded auctions, oldest decision first per partition; {@code truncated} when there were more than allowed. */
    public record Recorded(List<WhatIfAuction> auctions, boolean truncated) {
        Recorded merge(Recorded other) {
            List<WhatIfAuction> all = new ArrayList<>(auctions);
            all.addAll(other.auctions);
            return new Recorded(all, truncated || other.truncated || all.size() > MAX_AUCTIONS);
        }
    }

    /**
     * Every partition's auctions of the window, naming the partitions a standby served;
     * {@code authorization} is sent on to the other instances.
     */
    public InstanceFanOut.Answer<Recorded> everywhere(Window window, String authorization) {
        return instances.everywhere(WhatIfRecorder.STORE, share -> here(window, share),
                AUCTIONS_PATH + "?" + window.query(), authorization, WhatIfQueries::read, Recorded::merge);
    }

    /** This instance's share: the auctions of the partitions {@code share} names here. */
    public InstanceFanOut.Part<Recorded> here(Window window, InstanceFanOut.Share share) {
        List<WhatIfAuction> auctions = new ArrayList<>();
        boolean[] truncated = {false};
        Set<Integer> partitions = instances.<WhatIfAuction>rangeHere(WhatIfRecorder.STORE, share,
                WhatIfRecords.lowest(window.from()), WhatIfRecords.lowest(window.to()), kv -> {
                    if (window.holds(kv.value)) {
                        if (auctions.size() < MAX_AUCTIONS) {
                            auctions.add(kv.value);
                        } else {
                            truncated[0] = true;
                        }
                    }
                });
        return new InstanceFanOut.Part<>(partitions, new Recorded(auctions, truncated[0]));
    }

    /** A share as JSON: {@code {"partitions":[…],"truncated":false,"auctions":[…]}}, each auction in Avro's JSON encoding. */
    public static ObjectNode json(InstanceFanOut.Part<Recorded> part) {
        ObjectNode body = JsonResponses.MAPPER.createObjectNode();
        part.partitions().forEach(body.putArray("partitions")::add);
        body.put("truncated", part.value().truncated());
        ArrayNode auctions = body.putArray("auctions");
        SpecificDatumWriter<WhatIfAuction> writer = new SpecificDatumWriter<>(WhatIfAuction.class);
        try {
            for (WhatIfAuction auction : part.value().auctions()) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                Encoder encoder = EncoderFactory.get().jsonEncoder(WhatIfAuction.getClassSchema(), out);
                writer.write(auction, encoder);
                encoder.flush();
                auctions.add(JsonResponses.MAPPER.readTree(out.toByteArray()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return body;
    }

    static Recorded read(JsonNode body) {
        SpecificDatumReader<WhatIfAuction> reader = new SpecificDatumReader<>(WhatIfAuction.class);
        List<WhatIfAuction> auctions = new ArrayList<>();
        try {
            for (JsonNode auction : body.path("auctions")) {
                auctions.add(reader.read(null, DecoderFactory.get().jsonDecoder(WhatIfAuction.getClassSchema(),
                        auction.toString())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Recorded(auctions, body.path("truncated").asBoolean());
    }
}
