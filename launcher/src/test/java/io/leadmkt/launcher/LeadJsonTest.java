package io.leadmkt.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.Lead;
import io.leadmkt.simulator.LeadGenerator;
import io.leadmkt.simulator.LeadJson;
import io.leadmkt.streams.intake.IntakeResult;
import io.leadmkt.streams.intake.JsonLeadReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo's HTTP sellers send what the intake reads back as the same lead. */
class LeadJsonTest {
    private static final List<CampaignConfig> CAMPAIGNS = List.of(
            CampaignConfig.newBuilder().setCampaignId("camp-auto").setVertical("auto_insurance").build(),
            CampaignConfig.newBuilder().setCampaignId("camp-solar").setVertical("solar").build());

    @Test
    void shouldReadBackTheSameLeadWhenTheIntakeParsesWhatASellerSent() {
        LeadGenerator generator = new LeadGenerator(new LeadGenerator.Options(1, 0, 5, CAMPAIGNS), (sent, bytes) -> { });
        for (int i = 0; i < 50; i++) {
            Lead lead = generator.lead(i % 7 == 0 ? LeadGenerator.Kind.NO_CONSENT : LeadGenerator.Kind.VALID);

            IntakeResult read = new JsonLeadReader().read(LeadJson.of(lead), 0);

            assertThat(read.errors()).isEmpty();
            assertThat(read.lead()).isEqualTo(lead);
        }
    }
}
