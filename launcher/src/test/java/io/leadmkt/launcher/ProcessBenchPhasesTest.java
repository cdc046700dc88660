package io.leadmkt.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadmkt.launcher.ProcessBenchPhases.NotSold;
import io.leadmkt.launcher.ProcessBenchPhases.Phase;
import io.leadmkt.launcher.ProcessBenchPhases.Result;
import io.leadmkt.simulator.HttpSeller;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessBenchPhasesTest {

    @Test
    void shouldReadEveryKindOfPhaseWhenThePlanIsGiven() {
        List<Phase> plan = ProcessBenchPhases.plan(List.of("burst:20:60", "idle:30", "one", "kill:streams-1",
                "restart:streams-1", "stop:connector", "restart:connector", "burst:12.5:100"));

        assertThat(plan).containsExactly(Phase.burst(20, 60), Phase.idle(Duration.ofSeconds(30)), Phase.one(),
                Phase.kill("streams-1"), Phase.restart("streams-1"), Phase.stop("connector"), Phase.restart("connector"),
                Phase.burst(12.5, 100));
        assertThat(plan).extracting(Phase::label).containsExactly("burst:20:60", "idle:30", "one", "kill:streams-1",
                "restart:streams-1", "stop:connector", "restart:connector", "burst:12.5:100");
        assertThat(plan).extracting(Phase::sendsLeads).containsExactly(true, false, true, false, false, false, false, true);
        assertThat(plan).extracting(Phase::action).containsExactly(null, null, null, Phase.Action.KILL,
                Phase.Action.RESTART, Phase.Action.STOP, Phase.Action.RESTART, null);
        assertThat(plan).extracting(Phase::downs).containsExactly(false, false, false, true, false, true, false, false);
        assertThat(plan).extracting(Phase::restarts).containsExactly(false, false, false, false, true, false, true, false);
    }

    @Test
    void shouldRunTheMeasuredPlanWhenNoPhasesAreGiven() {
        assertThat(ProcessBenchPhases.defaultPlan(30, 3)).extracting(Phase::label).containsExactly("burst:20:60",
                "idle:30", "one", "idle:30", "burst:30:1800", "burst:30:1800", "burst:30:1800", "idle:30");
    }

    @Test
    void shouldSendAtLeastOneLeadAMinuteWhenTheRateIsBelowOneAMinute() {
        assertThat(ProcessBenchPhases.defaultPlan(0.001, 1).get(4)).isEqualTo(Phase.burst(0.001, 1));
    }

    @Test
    void shouldNameThePhaseAndWhatIsWrongWhenAPhaseIsMalformed() {
        assertThatThrownBy(() -> ProcessBenchPhases.plan(List.of("idle:30", "burst:20")))
                .hasMessage("phase 'burst:20': expected burst:RATE:COUNT, idle:SECONDS, one, kill:PROCESS, stop:PROCESS or restart:PROCESS");
        assertThatThrownBy(() -> Phase.parse("kill")).hasMessageContaining("phase 'kill': expected");
        assertThatThrownBy(() -> Phase.parse("kill:broker")).hasMessage(
                "phase 'kill:broker': name a streams instance or the connector: 'broker'");
        assertThatThrownBy(() -> Phase.parse("stop:")).hasMessage("phase 'stop:': name a streams instance or the connector: ''");
        assertThatThrownBy(() -> Phase.parse("sprint:5:5")).hasMessageContaining("phase 'sprint:5:5': expected");
        assertThatThrownBy(() -> Phase.parse("one:1")).hasMessageContaining("phase 'one:1': expected");
        assertThatThrownBy(() -> Phase.parse("burst:fast:10")).hasMessageStartingWith("phase 'burst:fast:10': not a number");
        assertThatThrownBy(() -> Phase.parse("idle:30s")).hasMessageStartingWith("phase 'idle:30s': not a number");
    }

    @Test
    void shouldSayWhenTheLeadsNotSoldWereSentWhenSomeWereNot() {
        assertThat(NotSold.of(List.of(true, false, true, false, false, true), 2))
                .isEqualTo(new NotSold(3, 0.5, 2.0));
        assertThat(NotSold.of(List.of(true, true), 2)).isEqualTo(NotSold.NONE);
    }

    @Test
    void shouldRefuseThePlanBeforeStartingAnythingWhenItKillsAProcessTheBenchDoesNotRun() {
        assertThatThrownBy(() -> new ProcessBench(2, null, false, List.of(Phase.kill("streams-3")), Map.of(), System.out))
                .hasMessage("phase 'kill:streams-3': the processes are streams-1..streams-2 and connector");
        assertThatThrownBy(() -> new ProcessBench(2, null, false, List.of(Phase.kill("streams-0")), Map.of(), System.out))
                .hasMessageContaining("the processes are");
        assertThat(new ProcessBench(2, null, false, List.of(Phase.kill("streams-2"), Phase.kill("connector"),
                Phase.restart("connector")), Map.of(), System.out)).isNotNull();
        assertThatThrownBy(() -> new ProcessBench(2, null, false, List.of(Phase.restart("connector")), Map.of(), System.out))
                .hasMessage("phase 'restart:connector': connector was not killed or stopped before");
        assertThatThrownBy(() -> new ProcessBench(2, null, false, List.of(Phase.kill("connector"),
                Phase.kill("connector")), Map.of(), System.out)).hasMessage("phase 'kill:connector': connector is down already");
        assertThatThrownBy(() -> new ProcessBench(2, null, false, List.of(Phase.stop("streams-1"),
                Phase.kill("streams-1")), Map.of(), System.out)).hasMessage("phase 'kill:streams-1': streams-1 is down already");
        assertThat(new ProcessBench(2, null, false, List.of(Phase.stop("streams-1"), Phase.restart("streams-1"),
                Phase.kill("streams-1")), Map.of(), System.out)).isNotNull();
    }

    @Test
    void shouldRefuseThePhaseWhenItsRateOrCountOrLengthIsNotPositive() {
        assertThatThrownBy(() -> Phase.parse("burst:0:10")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("phase 'burst:0:10': the rate must be > 0 leads/s: 0.0");
        assertThatThrownBy(() -> Phase.parse("burst:-5:10")).hasMessageContaining("the rate must be > 0");
        assertThatThrownBy(() -> Phase.parse("burst:NaN:10")).hasMessageContaining("the rate must be > 0");
        assertThatThrownBy(() -> Phase.parse("burst:5:0")).hasMessage("phase 'burst:5:0': a burst sends at least 1 lead: 0");
        assertThatThrownBy(() -> Phase.parse("idle:0")).hasMessageContaining("phase 'idle:0': an idle phase lasts at least 1 s");
    }

    @Test
    void shouldRefuseTheDefaultPlanWhenTheRateOrMinutesAreNotPositive() {
        assertThatThrownBy(() -> ProcessBenchPhases.defaultPlan(0, 3)).hasMessage("--rate must be > 0 leads/s: 0.0");
        assertThatThrownBy(() -> ProcessBenchPhases.defaultPlan(-1, 3)).hasMessageContaining("--rate must be > 0");
        assertThatThrownBy(() -> ProcessBenchPhases.defaultPlan(30, 0)).hasMessage("--minutes must be >= 1: 0");
    }

    @Test
    void shouldRefuseAnEmptyPlanWhenNoPhaseIsGiven() {
        assertThatThrownBy(() -> ProcessBenchPhases.plan(List.of())).hasMessageStartingWith("no phases");
    }

    @Test
    void shouldChargeCpuPerLeadAndOverTheWallTimeWhenAPhaseSentLeads() {
        Result result = leads(Phase.burst(30, 1800), 60_000, 1800, cpu(9_000, 27_000, 24_000, 6_000, 12_000));

        assertThat(result.platformCpuMs()).as("the bench's own JVM is not the platform").isEqualTo(66_000);
        assertThat(result.msPerLead(result.platformCpuMs())).isEqualTo(36.666, org.assertj.core.data.Offset.offset(0.001));
        assertThat(result.percentOfCore(result.platformCpuMs())).isEqualTo(110.0);
        assertThat(result.msPerLead(result.cpuMs().get("broker"))).isEqualTo(5.0);
        assertThat(result.percentOfCore(result.cpuMs().get(ProcessBenchPhases.HARNESS))).isEqualTo(20.0);
    }

    @Test
    void shouldShowPercentOfACoreAndNoLeadFiguresWhenThePhaseIsIdle() {
        Result idle = new Result(Phase.idle(Duration.ofSeconds(30)), 30_000, 0, null, 0, cpu(300, 1_500, 1_200, 60, 30), null);

        assertThat(idle.sent()).isZero();
        assertThat(idle.msPerLead(1_500)).isZero();
        assertThat(idle.percentOfCore(1_500)).isEqualTo(5.0);
        assertThat(idle.toLine()).startsWith("idle:30             30.0      -").contains("% core")
                .endsWith("| % core       1.0       5.0       4.0       0.2              0.1 |     10.2        -");
        assertThat(idle.reasons()).isEmpty();
    }

    @Test
    void shouldPrintCountsLatencyAndCpuPerLeadWhenAPhaseSentLeads() {
        Result result = leads(Phase.burst(20, 60), 24_000, 60, cpu(600, 3_000, 2_400, 300, 120));

        assertThat(result.toLine()).isEqualTo("burst:20:60         24.0     60     50      7      2      1    812.5   4096.0"
                + " | ms/lead     10.0      50.0      40.0       5.0              2.0 |     26.3    105.0");
        assertThat(result.reasons()).isEqualTo("shed STALE_AT_AUCTION 2, STALE_AT_INTAKE 5; unsold NO_BIDS 2");

        Result afterKill = new Result(result.phase(), result.wallMs(), result.sendMs(), result.summary(),
                result.unanswered(), result.cpuMs(), null, new NotSold(10, 0.05, 2.5));
        assertThat(afterKill.reasons()).endsWith("; the 10 not sold were sent 0.1-2.5 s into the phase");
        assertThat(afterKill.toJson().get("not_sold_sent_until_s").asDouble()).isEqualTo(2.5);
        assertThat(result.toJson().has("not_sold_sent_from_s")).isFalse();

        Result kill = new Result(Phase.kill("streams-1"), 120, 0, null, 0, cpu(30, 0, 90, 10, 5), null);
        assertThat(kill.toLine()).isEqualTo("kill:streams-1       0.1   SIGKILL to streams-1");
        Result stop = new Result(Phase.stop("streams-2"), 1_450, 0, null, 0, cpu(30, 0, 90, 10, 5), null);
        assertThat(stop.toLine()).isEqualTo("stop:streams-2       1.5   SIGTERM to streams-2");
        Result restart = new Result(Phase.restart("streams-1"), 20, 0, null, 0, Map.of(), null);
        assertThat(restart.toLine()).isEqualTo("restart:streams-1     0.0   started again: streams-1");
    }

    @Test
    void shouldLineTheColumnsUpWhenTheHeaderIsPrinted() {
        String[] header = ProcessBenchPhases.header(List.of("broker", "streams-1", "streams-2", "connector",
                ProcessBenchPhases.HARNESS)).split(System.lineSeparator());
        String row = leads(Phase.burst(20, 60), 24_000, 60, cpu(600, 3_000, 2_400, 300, 120)).toLine();

        assertThat(header).hasSize(2);
        assertThat(header[0]).hasSameSizeAs(row).endsWith("| platform platform");
        assertThat(header[1]).hasSameSizeAs(row).endsWith("  % core  ms/lead");
        assertThat(header[0].indexOf("p99 ms")).isEqualTo(row.indexOf("4096.0"));
    }

    @Test
    void shouldWriteEveryPhaseWithItsSetupWhenTheRunIsPrintedAsJson() throws Exception {
        Map<String, Long> ready = new LinkedHashMap<>();
        ready.put("broker", 1_500L);
        ready.put("streams-1", 14_000L);
        ready.put("streams-2", null);
        ready.put("connector", 4_000L);
        Result burst = leads(Phase.burst(20, 60), 24_000, 60, cpu(600, 3_000, 2_400, 300, 120));
        Result idle = new Result(Phase.idle(Duration.ofSeconds(30)), 30_000, 0, null, 0, cpu(300, 1_500, 1_200, 60, 30), null);

        String json = ProcessBenchPhases.toJson(2, "-XX:+UseParallelGC", ready, List.of(burst, idle));

        assertThat(json).doesNotContain(System.lineSeparator());
        JsonNode root = new ObjectMapper().readTree(json);
        assertThat(root.get("bench").asText()).isEqualTo("processes");
        assertThat(root.get("streams_instances").asInt()).isEqualTo(2);
        assertThat(root.get("java_options").asText()).isEqualTo("-XX:+UseParallelGC");
        assertThat(root.get("ready_ms").get("streams-2").isNull()).isTrue();
        assertThat(root.get("ready_ms").get("streams-1").asLong()).isEqualTo(14_000);
        JsonNode first = root.get("phases").get(0);
        assertThat(first.get("phase").asText()).isEqualTo("burst:20:60");
        assertThat(first.get("sent").asLong()).isEqualTo(60);
        assertThat(first.get("sold").asLong()).isEqualTo(50);
        assertThat(first.get("shed_reasons").get("STALE_AT_INTAKE").asLong()).isEqualTo(5);
        assertThat(first.get("unsold_reasons").get("NO_BIDS").asLong()).isEqualTo(2);
        assertThat(first.get("unanswered").asLong()).isEqualTo(1);
        assertThat(first.get("p99_ms").asDouble()).isEqualTo(4096.0);
        assertThat(first.get("cpu_ms_per_lead").get("streams-1").asDouble()).isEqualTo(50.0);
        assertThat(first.get("platform_ms_per_lead").asDouble()).isEqualTo(105.0);
        assertThat(first.get("platform_pct_of_core").asDouble()).isEqualTo(26.25);
        assertThat(first.get("cpu_ms").fieldNames()).toIterable().containsExactly("broker", "streams-1", "streams-2",
                "connector", ProcessBenchPhases.HARNESS);
        JsonNode second = root.get("phases").get(1);
        assertThat(second.get("phase").asText()).isEqualTo("idle:30");
        assertThat(second.has("sent")).as("an idle phase sends nothing").isFalse();
        assertThat(second.has("cpu_ms_per_lead")).isFalse();
        assertThat(second.get("cpu_pct_of_core").get("streams-1").asDouble()).isEqualTo(5.0);
    }

    @Test
    void shouldSayWhatTheDoorsDidWhenTheLeadsWentOverHttp() throws Exception {
        Result plain = leads(Phase.burst(20, 60), 24_000, 60, cpu(600, 3_000, 2_400, 300, 120));
        HttpSeller.Stats doors = new HttpSeller.Stats(60, 58, 0, 2, 140, 1, 20, 0, 35, 9_000, 12_000, 4, 20);
        Result http = new Result(plain.phase(), plain.wallMs(), plain.sendMs(), plain.summary(), plain.unanswered(),
                plain.cpuMs(), doors);

        assertThat(http.reasons()).endsWith("; doors: 58 taken, 2 given up, 140 answers 503 overloaded, 1 other "
                + "failures; sellers' wait for a taken lead p50 35, max 12000 ms");
        JsonNode phase = new ObjectMapper().readTree(ProcessBenchPhases.toJson(2, "", Map.of(), List.of(http)))
                .get("phases").get(0);
        assertThat(phase.get("http_intake").get("overloaded_answers").asLong()).isEqualTo(140);
        assertThat(phase.get("http_intake").get("gave_up").asLong()).isEqualTo(2);
        assertThat(new ObjectMapper().readTree(ProcessBenchPhases.toJson(2, "", Map.of(), List.of(plain)))
                .get("phases").get(0).has("http_intake")).as("leads on Kafka met no door").isFalse();
    }

    private static Result leads(Phase phase, long wallMs, long sent, Map<String, Long> cpu) {
        long shedAtIntake = sent == 60 ? 5 : 0;
        long shedAtAuction = sent == 60 ? 2 : 0;
        long unsold = sent == 60 ? 2 : 0;
        long unanswered = sent == 60 ? 1 : 0;
        long sold = sent - shedAtIntake - shedAtAuction - unsold - unanswered;
        Map<String, Long> shed = new LinkedHashMap<>();
        if (shedAtIntake > 0) {
            shed.put(Summary.STALE_AT_INTAKE, shedAtIntake);
            shed.put(Summary.STALE_AT_AUCTION, shedAtAuction);
        }
        Summary summary = new Summary(sent, 0, sold, unsold, shedAtIntake + shedAtAuction, shed,
                unsold > 0 ? Map.of("NO_BIDS", unsold) : Map.of(), Map.of(), 0, 0, 0, 812.5, 4096.0);
        return new Result(phase, wallMs, wallMs / 2, summary, unanswered, cpu, null);
    }

    private static Map<String, Long> cpu(long broker, long streams1, long streams2, long connector, long harness) {
        Map<String, Long> cpu = new LinkedHashMap<>();
        cpu.put("broker", broker);
        cpu.put("streams-1", streams1);
        cpu.put("streams-2", streams2);
        cpu.put("connector", connector);
        cpu.put(ProcessBenchPhases.HARNESS, harness);
        return cpu;
    }
}
