package io.leadmkt.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadmkt.schema.serde.AvroSerde;
import io.leadmkt.schema.serde.EmbeddedSchemaIdResolver;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class PiiSealTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final AvroSerde<Lead> serde = new AvroSerde<>(Lead.class, new EmbeddedSchemaIdResolver());

    static Lead lead(String leadId) {
        return Lead.newBuilder().setLeadId(leadId).setSourceId("seller-1").setCampaignId("camp")
                .setContact(Contact.newBuilder().setFirstName("Ada").setLastName("Lovelace")
                        .setEmail("ada@example.com").setPhone("+15125550147").setStreetAddress("12 Main St")
                        .setIpAddress("203.0.113.9").build())
                .setConsent(Consent.newBuilder().setMethod("web_form").setCertificateId("cert-1")
                        .setUserAgent("Mozilla/5.0 Ada's laptop").setNamedBuyers(List.of()).build())
                .build();
    }

    @Test
    void shouldLeaveNoPiiInTheRecordBytesWhenSealed() {
        DataKey key = PiiSeal.newKey("hash-1", 1_000L, RANDOM);
        Lead sealed = PiiSeal.seal(lead("lead-1"), key, RANDOM);

        String bytes = new String(serde.serializer().serialize("leads", sealed), StandardCharsets.ISO_8859_1);
        assertThat(bytes).doesNotContain("Ada", "Lovelace", "ada@example.com", "5125550147", "Main St", "203.0.113.9",
                "Mozilla");
        assertThat(sealed.getContact()).isNull();
        assertThat(sealed.getConsent().getUserAgent()).isNull();
        assertThat(sealed.getConsent().getCertificateId()).isEqualTo("cert-1");
        assertThat(sealed.getSealed().getKeyId()).isEqualTo("hash-1");
    }

    @Test
    void shouldRestoreEveryPiiFieldWhenUnsealedWithItsKeyAfterATopicRoundTrip() {
        DataKey key = PiiSeal.newKey("hash-1", 1_000L, RANDOM);
        byte[] onTopic = serde.serializer().serialize("posts", PiiSeal.seal(lead("lead-1"), key, RANDOM));

        Lead restored = PiiSeal.unseal(serde.deserializer().deserialize("posts", onTopic), key);

        assertThat(restored).isEqualTo(lead("lead-1"));
    }

    @Test
    void shouldRefuseToUnsealWhenTheKeyIsAnotherOrTheBlobMovedToAnotherLead() {
        DataKey key = PiiSeal.newKey("hash-1", 1_000L, RANDOM);
        Lead sealed = PiiSeal.seal(lead("lead-1"), key, RANDOM);

        assertThatThrownBy(() -> PiiSeal.unseal(Lead.newBuilder(sealed).build(), PiiSeal.newKey("hash-1", 2_000L, RANDOM)))
                .isInstanceOf(IllegalArgumentException.class);
        Lead moved = Lead.newBuilder(sealed).setLeadId("lead-2").build();
        assertThatThrownBy(() -> PiiSeal.unseal(moved, key)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not authenticate");
        DataKey forged = DataKey.newBuilder(PiiSeal.newKey("hash-1", 1_000L, RANDOM)).build();
        assertThatThrownBy(() -> PiiSeal.unseal(Lead.newBuilder(sealed).build(), forged))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldLeaveALeadWithoutPiiUnchangedWhenSealedTwiceOrUnsealedUnsealed() {
        DataKey key = PiiSeal.newKey("hash-1", 1_000L, RANDOM);
        Lead once = PiiSeal.seal(lead("lead-1"), key, RANDOM);
        var blob = once.getSealed();

        assertThat(PiiSeal.seal(once, key, RANDOM).getSealed()).isSameAs(blob);
        assertThat(PiiSeal.unseal(lead("lead-2"), key)).isEqualTo(lead("lead-2"));
    }
}
