package io.leadmkt.connector.ping;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AnswerPulseTest {

    private final AnswerPulse pulse = new AnswerPulse();

    @Test
    void shouldHearNothingWhenNoPingWasAnswered() {
        assertThat(pulse.heardSince(0)).isFalse();
    }

    @Test
    void shouldHearOnlyPingsCalledAtOrAfterTheSilentOneWhenOthersAnswer() {
        pulse.answered(1_000);

        assertThat(pulse.heardSince(999)).isTrue();
        assertThat(pulse.heardSince(1_000)).isTrue();
        assertThat(pulse.heardSince(1_001)).isFalse();
    }

    @Test
    void shouldKeepTheLatestCallWhenAnOlderCallIsAnsweredLater() {
        pulse.answered(2_000);
        pulse.answered(1_000);

        assertThat(pulse.heardSince(2_000)).isTrue();
    }
}
