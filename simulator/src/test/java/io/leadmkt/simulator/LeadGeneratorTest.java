package io.leadmkt.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.Topics;
import io.leadmkt.simulator.LeadGenerator.Kind;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class LeadGeneratorTest {

    private static final Topics TOPICS = Topics.embedded();
    private static final Deserializer<Lead> LEADS = TOPICS.leadsInbound().valueSerde().deserializer();
    private static final Pattern ZIP = Pattern.compile("\\d{5}");
    private static final List<CampaignConfig> CAMPAIGNS = List.of(
            CampaignConfig.newBuilder().setCampaignId("camp-auto").setVertical("auto_insurance").build(),
            CampaignConfig.newBuilder().setCampaignId("camp-solar").setVertical("solar").build());

    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());

    private LeadGenerator generator(double badFraction, long seed) {
        return new LeadGenerator(producer, TOPICS, new LeadGenerator.Options(100, badFraction, seed, CAMPAIGNS));
    }

    @Test
    void shouldProduceCompleteValidLeadsKeyedByLeadIdWhenNoBadFraction() {
        LeadGenerator generator = generator(0, 7);

        for (int i = 0; i < 50; i++) {
            generator.sendNext();
        }

        assertThat(producer.history()).hasSize(50);
        for (ProducerRecord<String, byte[]> record : producer.history()) {
            assertThat(record.topic()).isEqualTo(Topics.LEADS_INBOUND);
            Lead lead = LEADS.deserialize(record.topic(), record.value());
            assertThat(lead.getLeadId()).isEqualTo(record.key());
            assertThat(lead.getContact().getPhone().replaceAll("\\D", "")).hasSizeBetween(10, 11);
            assertThat(lead.getContact().getEmail()).contains("@");
            assertThat(lead.getContact().getFirstName()).isNotBlank();
            assertThat(lead.getContact().getStreetAddress()).isNotBlank();
            assertThat(lead.getProfile().getZip()).matches(ZIP);
            assertThat(lead.getProfile().getState()).hasSize(2);
            assertThat(lead.getProfile().getAttributes()).isNotEmpty();
            assertThat(lead.getConsent().getMethod()).isEqualTo("web_form");
            assertThat(lead.getConsent().getCertificateId()).isNotBlank();
            assertThat(lead.getCreatedAt()).isPositive();
            CampaignConfig campaign = CAMPAIGNS.stream()
                    .filter(c -> c.getCampaignId().equals(lead.getCampaignId())).findFirst().orElseThrow();
            assertThat(lead.getProfile().getVertical()).isEqualTo(campaign.getVertical());
        }
        assertThat(generator.countsByKind()).containsEntry(Kind.VALID, 50L);
        assertThat(generator.sent()).hasSize(50);
    }

    @Test
    void shouldProduceEachBadKindAsIntendedWhenAskedForIt() {
        LeadGenerator generator = generator(0, 11);
        generator.send(Kind.VALID);

        Map<Kind, LeadGenerator.Sent> sent = List.of(Kind.INVALID_PHONE, Kind.INVALID_ZIP, Kind.NO_CONSENT,
                        Kind.SUPPRESSED, Kind.DUPLICATE, Kind.UNDECODABLE).stream()
                .collect(Collectors.toMap(kind -> kind, generator::send));

        Map<String, byte[]> values = producer.history().stream()
                .collect(Collectors.toMap(ProducerRecord::key, ProducerRecord::value));
        Lead original = LEADS.deserialize(Topics.LEADS_INBOUND, producer.history().get(0).value());

        assertThat(read(values, sent.get(Kind.INVALID_PHONE)).getContact().getPhone().replaceAll("\\D", ""))
                .satisfiesAnyOf(digits -> assertThat(digits).hasSizeLessThan(10),
                        digits -> assertThat(digits).startsWith("1"),
                        digits -> assertThat(digits).hasSizeGreaterThan(10));
        assertThat(read(values, sent.get(Kind.INVALID_ZIP)).getProfile().getZip()).doesNotMatch(ZIP);
        assertThat(read(values, sent.get(Kind.NO_CONSENT)).getConsent()).isNull();
        String suppressed = "+1" + read(values, sent.get(Kind.SUPPRESSED)).getContact().getPhone()
                .replaceAll("\\D", "").replaceFirst("^1(\\d{10})$", "$1");
        assertThat(LeadGenerator.SUPPRESSED_PHONES).contains(suppressed);
        Lead duplicate = read(values, sent.get(Kind.DUPLICATE));
        assertThat(duplicate.getLeadId()).isNotEqualTo(original.getLeadId());
        assertThat(duplicate.getContact().getPhone()).isEqualTo(original.getContact().getPhone());
        byte[] undecodable = values.get(sent.get(Kind.UNDECODABLE).leadId());
        assertThat(undecodable).isNotNull();
        assertThatThrownBy(() -> LEADS.deserialize(Topics.LEADS_INBOUND, undecodable))
                .isInstanceOf(SerializationException.class);
        assertThat(sent.values()).allSatisfy(s -> assertThat(s.kind().expectedReasonCode()).isPresent());
        assertThat(Kind.VALID.expectedReasonCode()).isEmpty();
    }

    @Test
    void shouldMixBadKindsInRoughProportionWhenBadFractionIsSet() {
        LeadGenerator generator = generator(0.3, 3);

        for (int i = 0; i < 1000; i++) {
            generator.sendNext();
        }

        Map<Kind, Long> counts = generator.countsByKind();
        assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1000);
        assertThat(counts.get(Kind.VALID)).isBetween(620L, 780L);
        for (Kind bad : List.of(Kind.INVALID_PHONE, Kind.INVALID_ZIP, Kind.NO_CONSENT, Kind.SUPPRESSED,
                Kind.DUPLICATE, Kind.UNDECODABLE)) {
            assertThat(counts.get(bad)).as(bad.name()).isPositive();
        }
        assertThat(producer.history()).extracting(ProducerRecord::key).doesNotHaveDuplicates();
    }

    @Test
    void shouldRepeatTheSameLeadsWhenSeedIsTheSame() {
        MockProducer<String, byte[]> other = new MockProducer<>(true, null, new StringSerializer(),
                new ByteArraySerializer());
        LeadGenerator first = generator(0.2, 99);
        LeadGenerator second = new LeadGenerator(other, TOPICS, new LeadGenerator.Options(100, 0.2, 99, CAMPAIGNS));

        for (int i = 0; i < 30; i++) {
            first.sendNext();
            second.sendNext();
        }

        assertThat(other.history()).extracting(ProducerRecord::key)
                .containsExactlyElementsOf(producer.history().stream().map(ProducerRecord::key).toList());
    }

    @Test
    void shouldRefuseDuplicateWhenNoEarlierValidLead() {
        LeadGenerator generator = generator(0, 5);

        assertThatThrownBy(() -> generator.send(Kind.DUPLICATE)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldSendAtTargetRateWhenStarted() {
        LeadGenerator generator = generator(0, 5);
        generator.start();

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> generator.sentCount() >= 50);
        generator.stop();

        assertThat(producer.history()).hasSize(generator.sentCount());
    }

    private static Lead read(Map<String, byte[]> values, LeadGenerator.Sent sent) {
        return LEADS.deserialize(Topics.LEADS_INBOUND, values.get(sent.leadId()));
    }
}
