package io.leadmkt.streams.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadmkt.streams.report.ReportRequest;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The share one instance asks another for, as it goes over the wire and is read back. */
class InstanceFanOutTest {

    @Test
    void shouldReadBackTheShareWhenItWentOverTheWire() {
        InstanceFanOut.Share standby = new InstanceFanOut.Share(Set.of(3, 1));

        assertThat(standby.query()).isEqualTo("scope=local&standby=1,3");
        assertThat(InstanceFanOut.share("local", "1,3")).contains(standby);
        assertThat(InstanceFanOut.Share.ACTIVE.query()).isEqualTo("scope=local");
        assertThat(InstanceFanOut.share("local", null)).contains(InstanceFanOut.Share.ACTIVE);
    }

    @Test
    void shouldAskForTheWholeAnswerWhenThereIsNoScope() {
        assertThat(InstanceFanOut.share(null, null)).isEqualTo(Optional.empty());
    }

    @Test
    void shouldNameTheParameterWhenTheScopeOrStandbyIsWrong() {
        assertThatThrownBy(() -> InstanceFanOut.share("everywhere", null)).isInstanceOf(ReportRequest.BadParameter.class)
                .extracting(e -> ((ReportRequest.BadParameter) e).parameter()).isEqualTo("scope");
        for (String standby : new String[] {"", "1,,3", "a", "-2", "3000000000"}) {
            assertThatThrownBy(() -> InstanceFanOut.share("local", standby)).as(standby)
                    .isInstanceOf(ReportRequest.BadParameter.class)
                    .extracting(e -> ((ReportRequest.BadParameter) e).parameter()).isEqualTo("standby");
        }
        assertThatThrownBy(() -> InstanceFanOut.share(null, "1")).isInstanceOf(ReportRequest.BadParameter.class)
                .extracting(e -> ((ReportRequest.BadParameter) e).parameter()).isEqualTo("standby");
    }
}
