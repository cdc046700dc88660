package io.leadmkt.streams.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.streams.api.PartitionChoice.Copies;
import io.leadmkt.streams.api.PartitionChoice.Plan;
import io.leadmkt.streams.api.PartitionChoice.Read;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

/** Per partition: the active copy while its instance answers, else a standby, else unavailable. */
class PartitionChoiceTest {
    private static final HostInfo SELF = new HostInfo("10.0.0.1", 8080);
    private static final HostInfo B = new HostInfo("10.0.0.2", 8080);
    private static final HostInfo C = new HostInfo("10.0.0.3", 8080);

    @Test
    void shouldReadEveryPartitionFromItsActiveWhenEveryInstanceAnswers() {
        Plan plan = PartitionChoice.choose(Map.of(
                0, copies(SELF, B),
                1, copies(B, SELF),
                2, copies(B, C)), SELF, Set.of());

        assertThat(plan.reads()).isEqualTo(Map.of(
                new Read(SELF, false), sorted(0),
                new Read(B, false), sorted(1, 2)));
        assertThat(plan.unavailable()).isEmpty();
    }

    @Test
    void shouldReadThisInstancesStandbyFirstWhenTheActiveIsDown() {
        Plan plan = PartitionChoice.choose(Map.of(
                0, copies(SELF, B),
                1, copies(B, C, SELF),
                2, copies(B, C)), SELF, Set.of(B));

        assertThat(plan.reads()).isEqualTo(Map.of(
                new Read(SELF, false), sorted(0),
                new Read(SELF, true), sorted(1),
                new Read(C, true), sorted(2)));
        assertThat(plan.unavailable()).isEmpty();
    }

    @Test
    void shouldReadAStandbyWhenNoInstanceIsActiveForThePartition() {
        Plan plan = PartitionChoice.choose(Map.of(
                0, new Copies(Optional.empty(), Set.of(C)),
                1, new Copies(Optional.empty(), Set.of(SELF, C))), SELF, Set.of());

        assertThat(plan.reads()).isEqualTo(Map.of(
                new Read(C, true), sorted(0),
                new Read(SELF, true), sorted(1)));
    }

    @Test
    void shouldGatherStandbyReadsOnOneInstanceWhenSeveralHoldThem() {
        Plan plan = PartitionChoice.choose(Map.of(
                0, copies(B, C, new HostInfo("10.0.0.4", 8080)),
                1, copies(B, new HostInfo("10.0.0.4", 8080), C)), SELF, Set.of(B));

        assertThat(plan.reads()).isEqualTo(Map.of(new Read(C, true), sorted(0, 1)));
    }

    @Test
    void shouldLeaveAPartitionUnavailableWhenNeitherItsActiveNorAnyStandbyAnswers() {
        Plan plan = PartitionChoice.choose(Map.of(
                0, copies(B, C),
                1, copies(B),
                2, new Copies(Optional.empty(), Set.of()),
                3, copies(SELF)), SELF, Set.of(B, C));

        assertThat(plan.unavailable()).containsExactly(0, 1, 2);
        assertThat(plan.reads()).isEqualTo(Map.of(new Read(SELF, false), sorted(3)));
    }

    @Test
    void shouldNeverTakeThisInstanceForDownWhenItIsListedSo() {
        Plan plan = PartitionChoice.choose(Map.of(0, copies(SELF), 1, copies(B, SELF)), SELF, Set.of(SELF, B));

        assertThat(plan.reads()).isEqualTo(Map.of(new Read(SELF, false), sorted(0), new Read(SELF, true), sorted(1)));
    }

    /** Active on {@code active}, standbys on the others. */
    private static Copies copies(HostInfo active, HostInfo... standbys) {
        return new Copies(Optional.of(active), Set.of(standbys));
    }

    private static TreeSet<Integer> sorted(Integer... partitions) {
        return new TreeSet<>(Set.of(partitions));
    }
}
