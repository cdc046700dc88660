package io.leadmkt.schema.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadmkt.schema.Bid;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.Contact;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.Profile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    private final EmbeddedSchemaIdResolver resolver = new EmbeddedSchemaIdResolver();
    private final AvroSerde<Lead> leads = new AvroSerde<>(Lead.class, resolver);

    private static Lead lead() {
        return Lead.newBuilder().setLeadId("L1").setSourceId("s1").setCampaignId("c1").setCreatedAt(42L)
                .setContact(Contact.newBuilder().setPhone("+15551234567").build())
                .setProfile(Profile.newBuilder().setState("TX").setZip("75001").setAttributes(Map.of("homeowner", "true")).build())
                .build();
    }

    @Test
    void shouldWriteConfluentWireFormatWhenSerializing() {
        byte[] bytes = leads.serialize("leads.inbound", lead());

        assertThat(bytes[0]).isEqualTo((byte) 0);
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        assertThat(id).isEqualTo(EmbeddedSchemaIdResolver.fingerprintId(Lead.getClassSchema()));
        assertThat(resolver.schemaFor(id)).isEqualTo(Lead.getClassSchema());
    }

    @Test
    void shouldRoundTripWhenReadingWhatItWrote() {
        assertThat(leads.deserialize("t", leads.serialize("t", lead()))).isEqualTo(lead());
    }

    @Test
    void shouldWriteEachRecordWholeWhenOneThreadWritesLargeAndSmallOnesInTurn() {
        // The thread's buffer is kept between records, and dropped once a record grew it past 64 KB.
        Lead large = lead();
        large.getProfile().setAttributes(Map.of("notes", "x".repeat(100_000)));
        byte[] smallBefore = leads.serialize("t", lead());

        for (int i = 0; i < 3; i++) {
            assertThat(leads.deserialize("t", leads.serialize("t", large))).isEqualTo(large);
            assertThat(leads.serialize("t", lead())).isEqualTo(smallBefore);
            assertThat(leads.deserialize("t", smallBefore)).isEqualTo(lead());
        }
    }

    @Test
    void shouldKeepThreadsApartWhenManySerialiseAndReadAtOnce() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            java.util.List<java.util.concurrent.Future<Boolean>> runs = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                String id = "L" + t;
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        Lead mine = lead();
                        mine.setLeadId(id + "-" + i);
                        if (!leads.deserialize("t", leads.serialize("t", mine)).equals(mine)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (java.util.concurrent.Future<Boolean> run : runs) {
                assertThat(run.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldFailWithSerializationExceptionWhenBytesAreNotAvro() {
        assertThatThrownBy(() -> leads.deserialize("t", "{\"leadId\":1}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("magic byte");
        assertThatThrownBy(() -> leads.deserialize("t", new byte[] {0, 1}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("too short");
    }

    @Test
    void shouldFailWithUnknownSchemaWhenIdIsNotRegistered() {
        byte[] bytes = leads.serialize("t", lead());
        bytes[1] = (byte) 0x7f;
        bytes[2] = (byte) 0x7f;
        assertThatThrownBy(() -> leads.deserialize("t", bytes)).isInstanceOf(UnknownSchemaException.class);
    }

    @Test
    void shouldFailWhenRecordWasWrittenWithAnotherSchema() {
        AvroSerde<Bid> bids = new AvroSerde<>(Bid.class, resolver);
        byte[] bid = bids.serialize("t", Bid.newBuilder().setLeadId("L").setBuyerId("b").setStatus(BidStatus.PASS)
                .setRespondedAt(1).build());
        assertThatThrownBy(() -> leads.deserialize("t", bid)).isInstanceOf(WrongSchemaException.class);
    }

    @Test
    void shouldFailWhenBodyIsTruncated() {
        byte[] bytes = leads.serialize("t", lead());
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 6);
        assertThatThrownBy(() -> leads.deserialize("t", truncated)).isInstanceOf(SerializationException.class);
    }

    @Test
    void shouldReadOlderWriterSchemaWhenRegistered() {
        Schema older = SchemaBuilder.record("Lead").namespace("io.leadmkt.schema").fields()
                .requiredString("leadId").endRecord();
        resolver.register(older);
        org.apache.avro.generic.GenericRecord rec = new org.apache.avro.generic.GenericData.Record(older);
        rec.put("leadId", "old-1");
        Lead read = leads.deserialize("t", framed(older, rec));
        assertThat(read.getLeadId()).isEqualTo("old-1");
        assertThat(read.getContact()).isNull();
    }

    @Test
    void shouldReadRecordsOfTheEarlierReleaseWhenFieldsWereAddedSince() {
        Schema earlierCampaign = earlier("CampaignConfig");
        org.apache.avro.generic.GenericRecord campaign = new org.apache.avro.generic.GenericData.Record(earlierCampaign);
        earlierCampaign.getFields().forEach(f -> campaign.put(f.name(), f.hasDefaultValue()
                ? org.apache.avro.generic.GenericData.get().getDefaultValue(f) : null));
        campaign.put("campaignId", "c-old");
        campaign.put("vertical", "solar");
        Schema earlierEntry = earlier("SuppressionEntry");
        org.apache.avro.generic.GenericRecord entry = new org.apache.avro.generic.GenericData.Record(earlierEntry);
        entry.put("hash", "ab12");
        entry.put("kind", "phone");
        entry.put("addedAt", 7L);
        EmbeddedSchemaIdResolver fresh = new EmbeddedSchemaIdResolver();

        io.leadmkt.schema.CampaignConfig read = new AvroSerde<>(io.leadmkt.schema.CampaignConfig.class, fresh)
                .deserialize("config.campaigns", framed(earlierCampaign, campaign));
        io.leadmkt.schema.SuppressionEntry readEntry = new AvroSerde<>(io.leadmkt.schema.SuppressionEntry.class, fresh)
                .deserialize("config.suppression", framed(earlierEntry, entry));

        assertThat(read.getCampaignId()).isEqualTo("c-old");
        assertThat(read.getRequiredConsentEvidence()).isEmpty();
        assertThat(read.getOneToOneConsent()).isFalse();
        assertThat(read.getMaxConsentAgeMs()).isZero();
        assertThat(readEntry.getHash()).isEqualTo("ab12");
        assertThat(readEntry.getExpiresAt()).as("permanent").isNull();
        assertThat(readEntry.getSource()).isNull();
    }

    private static Schema earlier(String name) {
        return io.leadmkt.schema.SchemaCatalog.earlier().stream().filter(s -> s.getName().equals(name)).findFirst()
                .orElseThrow();
    }

    /** Confluent framing of a generic record with its schema's id (which a reader must already know). */
    private static byte[] framed(Schema schema, org.apache.avro.generic.GenericRecord record) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(0);
        out.writeBytes(ByteBuffer.allocate(4).putInt(EmbeddedSchemaIdResolver.fingerprintId(schema)).array());
        try {
            var enc = org.apache.avro.io.EncoderFactory.get().binaryEncoder(out, null);
            new org.apache.avro.generic.GenericDatumWriter<org.apache.avro.generic.GenericRecord>(schema).write(record, enc);
            enc.flush();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }
}
