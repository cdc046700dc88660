package io.leadmkt.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadmkt.launcher.CapacityBench.Capacity;
import io.leadmkt.launcher.CapacityBench.Step;
import io.leadmkt.launcher.ThreadComponents.Component;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CapacityBenchTest {

    @Test
    void shouldSustainARateWhenAtLeast999PerMilleOfValidLeadsAreSold() {
        assertThat(step(100, 10_000, 0, 9_990, 0, 0).sustained()).isTrue();
        assertThat(step(100, 10_000, 0, 9_989, 0, 0).sustained()).isFalse();
    }

    @Test
    void shouldNotHoldRejectedLeadsAgainstTheRateWhenSomeInputIsBad() {
        Step step = step(100, 1_000, 100, 900, 0, 0);

        assertThat(step.soldPercent()).isEqualTo(100.0);
        assertThat(step.sustained()).isTrue();
    }

    @Test
    void shouldCountShedLeadsAsNotSoldWhenTheAppShedsLoad() {
        Step step = step(300, 10_000, 0, 9_980, 20, 0);

        assertThat(step.soldPercent()).isEqualTo(99.8);
        assertThat(step.sustained()).isFalse();
    }

    @Test
    void shouldNotSustainARateWhenAnyLeadIsLeftWithoutAFinalAnswer() {
        assertThat(step(100, 10_000, 0, 10_000, 0, 1).sustained()).isFalse();
    }

    @Test
    void shouldNotSustainARateWhenNoValidLeadWasSent() {
        assertThat(step(100, 0, 0, 0, 0, 0).sustained()).isFalse();
    }

    @Test
    void shouldTakeTheHighestSustainedRateWhenSomeStepsFailed() {
        Step at50 = step(50, 1_000, 0, 1_000, 0, 0);
        Step at100 = step(100, 2_000, 0, 2_000, 0, 0);
        Step at150 = step(150, 3_000, 0, 2_500, 500, 0);

        Capacity capacity = Capacity.of(List.of(at100, at50, at150));

        assertThat(capacity.leadsPerSecond()).isEqualTo(100);
        assertThat(capacity.at()).isSameAs(at100);
    }

    @Test
    void shouldReportZeroAndTheFirstStepWhenNoStepWasSustained() {
        Step first = step(25, 500, 0, 100, 0, 400);
        Step second = step(50, 1_000, 0, 10, 0, 990);

        Capacity capacity = Capacity.of(List.of(first, second));

        assertThat(capacity.leadsPerSecond()).isZero();
        assertThat(capacity.at()).isSameAs(first);
    }

    @Test
    void shouldRefuseToJudgeWhenThereAreNoSteps() {
        assertThatThrownBy(() -> Capacity.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldEndWithTheHeadlineNumbersThenEveryStepWhenPrintedAsJson() {
        Step at25 = step(25, 500, 0, 500, 0, 0);
        Step at50 = step(50, 1_000, 0, 890, 100, 0);

        String json = Capacity.of(List.of(at25, at50)).toJson(List.of(at25, at50));

        assertThat(json).startsWith("{\"capacity_leads_per_s\":25,\"cpu_ms_per_lead\":12.50,\"p99_ms_at_capacity\":99.0,"
                + "\"steps\":[{\"offered_per_s\":25,\"generated_per_s\":25.0,\"leads\":500,\"rejected\":0,\"sold\":500,"
                + "\"sold_pct\":100.00,\"unsold\":0,\"unsold_reasons\":{},\"shed\":0,\"shed_reasons\":{},\"unanswered\":0,"
                + "\"p50_ms\":10.0,"
                + "\"p99_ms\":99.0,\"overhead_p50_ms\":40,\"overhead_p99_ms\":180,\"cpu_ms_per_lead\":{\"broker\":4.00,\"streams\":5.00,\"connector\":1.00,"
                + "\"buyers\":1.00,\"generator\":0.25,\"other\":0.25,\"threads\":11.50,\"process\":12.50},"
                + "\"alloc_kb_per_lead\":{\"broker\":40.0,\"streams\":60.5,\"connector\":0.0,\"buyers\":0.0,"
                + "\"generator\":0.0,\"other\":0.0,\"threads\":100.5},"
                + "\"process_cores\":0.31,\"records_per_lead\":{\"total\":9.00,\"audit\":9.00},\"sustained\":true},"
                + "{\"offered_per_s\":50,");
        assertThat(json).contains("\"unsold\":10,\"unsold_reasons\":{\"NO_BIDS\":10},\"shed\":100,"
                + "\"shed_reasons\":{\"STALE_AT_AUCTION\":100}");
        assertThat(json).endsWith("\"sustained\":false}]}");
    }

    private static Step step(double offered, long leads, long rejected, long sold, long shed, long unanswered) {
        long unsold = leads - rejected - sold - shed;
        Summary timed = new Summary(leads, rejected, sold, Math.max(0, unsold), shed,
                shed == 0 ? Map.of() : Map.of(Summary.STALE_AT_AUCTION, shed),
                unsold > 0 ? Map.of("NO_BIDS", unsold) : Map.of(), Map.of(), 0, 0, 0, 10.0, 99.0);
        Map<Component, Double> cpu = new EnumMap<>(Map.of(Component.BROKER, 4.0, Component.STREAMS, 5.0,
                Component.CONNECTOR, 1.0, Component.BUYERS, 1.0, Component.GENERATOR, 0.25, Component.OTHER, 0.25));
        Map<Component, Double> allocated = new EnumMap<>(Component.class);
        for (Component component : Component.values()) {
            allocated.put(component, 0.0);
        }
        allocated.put(Component.BROKER, 40.0);
        allocated.put(Component.STREAMS, 60.5);
        return new Step(offered, offered, timed, new LeadHops.Percentiles(40, 180), "hops p50/p99 ms: overhead 40/180",
                "stream thread: not measured", "broker error answers: none",
                unanswered, cpu, allocated, 12.5, new TopicRecords(Map.of("audit", 900L)), 100);
    }
}
