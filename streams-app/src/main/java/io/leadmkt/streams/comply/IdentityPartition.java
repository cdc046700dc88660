package io.leadmkt.streams.comply;

import io.leadmkt.schema.Lead;
import io.leadmkt.streams.enrich.LeadEnricher;
import io.leadmkt.streams.intake.IntakeResult;
import io.leadmkt.streams.intake.LeadNormalizer;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import org.apache.kafka.common.utils.Utils;

/**
 * The partition of a consumer's identity: where dedupe, the key vault and the auction of that
 * consumer's leads run. A source that writes a lead to this partition of {@code leads.inbound} (the
 * HTTP intake does; so does the demo's generator) saves the lead its {@code leads-by-identity} hop, an
 * exactly-once hop that waits for a commit ({@link IdentityRoute}); any other partition is still
 * correct, one hop slower.
 */
public final class IdentityPartition {

    private static final LeadNormalizer NORMALIZER = new LeadNormalizer();

    private IdentityPartition() {
    }

    /** The partition of {@code identityHash} among {@code partitions}: Kafka's own hash of the key's bytes. */
    public static int of(String identityHash, int partitions) {
        return Utils.toPositive(Utils.murmur2(identityHash.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /**
     * The partition of a lead as its source holds it (not yet normalised), as intake will see it at
     * {@code nowMs}; empty for a lead intake will reject, which any partition serves.
     */
    public static OptionalInt ofRaw(Lead raw, int partitions, long nowMs) {
        IntakeResult normalised = NORMALIZER.normalize(raw, nowMs);
        return normalised.ok()
                ? OptionalInt.of(of(LeadEnricher.identityHash(normalised.lead()), partitions))
                : OptionalInt.empty();
    }

    /**
     * The partition of {@code leads.inbound} (of {@code inboundPartitions}) to write {@code raw} to: its
     * identity's among the app's {@code partitions}; null (the producer's choice, by key) for a lead intake
     * will reject or a topic without that partition.
     */
    public static Integer toWrite(Lead raw, int partitions, int inboundPartitions, long nowMs) {
        OptionalInt partition = ofRaw(raw, partitions, nowMs);
        return partition.isPresent() && partition.getAsInt() < inboundPartitions ? partition.getAsInt() : null;
    }
}
