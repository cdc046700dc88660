package io.leadmkt.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code bench --processes}'s options; only refused command lines run here, as a valid one starts processes. */
class BenchProcessesOptionsTest {

    private final StringWriter err = new StringWriter();

    @Test
    void shouldParseTheProcessesOptionsWhenGiven() {
        CommandLine.ParseResult parsed = LeadMkt.commandLine().parseArgs("bench", "--processes", "--streams-instances",
                "1", "--java-options", "-XX:+UseParallelGC -XX:TieredStopAtLevel=1", "--phases", "burst:20:60 idle:30,one");
        LeadMkt.BenchCommand bench = (LeadMkt.BenchCommand) parsed.subcommand().commandSpec().userObject();

        assertThat(bench.processes).isTrue();
        assertThat(bench.streamsInstances).isEqualTo(1);
        assertThat(bench.javaOptions).isEqualTo("-XX:+UseParallelGC -XX:TieredStopAtLevel=1");
        assertThat(bench.phases).containsExactly("burst:20:60", "idle:30", "one");
        assertThat(bench.rate).as("chosen per bench when not given").isNull();
        assertThat(bench.httpSellers).isFalse();
    }

    @Test
    void shouldTakeHttpSellersWhenTheBenchRunsSeparateProcesses() {
        CommandLine.ParseResult parsed = LeadMkt.commandLine().parseArgs("bench", "--processes", "--http-sellers");
        LeadMkt.BenchCommand bench = (LeadMkt.BenchCommand) parsed.subcommand().commandSpec().userObject();

        assertThat(bench.httpSellers).isTrue();
        assertThat(run("bench", "--http-sellers")).isEqualTo(2);
        assertThat(err.toString()).contains("--http-sellers goes with --capacity or --processes");
    }

    @Test
    void shouldRefuseInProcessOptionsWhenTheBenchRunsSeparateProcesses() {
        assertThat(run("bench", "--processes", "--capacity", "--step", "10s")).isEqualTo(2);
        assertThat(err.toString()).contains("--processes runs its own market of separate processes: no --capacity, --step with it");
    }

    @Test
    void shouldNameTheSettingWhenASettingForTheProcessesIsUnknownOrBad() {
        assertThat(run("bench", "--processes", "--set", "streams.no.such.thing=1")).isEqualTo(2);
        assertThat(err.toString()).contains("streams.no.such.thing");
        err.getBuffer().setLength(0);
        assertThat(run("bench", "--processes", "--set", "streams.commit.interval.ms=fast")).isEqualTo(2);
        assertThat(err.toString()).contains("streams.commit.interval.ms");
    }

    @Test
    void shouldTakeSettingsForTheProcessesWhenTheyAreKnown() {
        CommandLine.ParseResult parsed = LeadMkt.commandLine().parseArgs("bench", "--processes", "--set",
                "streams.kafka.num.standby.replicas=1");
        LeadMkt.BenchCommand bench = (LeadMkt.BenchCommand) parsed.subcommand().commandSpec().userObject();

        assertThat(bench.overrides).containsEntry("streams.kafka.num.standby.replicas", "1");
    }

    @Test
    void shouldRefuseProcessesOptionsWhenTheBenchRunsInOneProcess() {
        assertThat(run("bench", "--capacity", "--minutes", "2")).isEqualTo(2);
        assertThat(err.toString()).contains("--minutes goes with --processes");
    }

    @Test
    void shouldRefuseRateAndMinutesWhenThePhasesAreGiven() {
        assertThat(run("bench", "--processes", "--phases", "one", "--minutes", "2")).isEqualTo(2);
        assertThat(err.toString()).contains("--phases replaces the default plan: no --rate or --minutes with it");
    }

    @Test
    void shouldNameTheBadPhaseWhenAPhaseIsMalformed() {
        assertThat(run("bench", "--processes", "--phases", "burst:20:60,idle")).isEqualTo(2);
        assertThat(err.toString()).contains("phase 'idle': expected burst:RATE:COUNT, idle:SECONDS, one, kill:PROCESS, stop:PROCESS or restart:PROCESS");
    }

    @Test
    void shouldNameTheProcessesWhenAPhaseKillsOneTheBenchDoesNotStart() {
        assertThat(run("bench", "--processes", "--phases", "burst:20:60,kill:streams-3")).isEqualTo(2);
        assertThat(err.toString()).contains("phase 'kill:streams-3': the processes are streams-1..streams-2 and connector");
    }

    @Test
    void shouldRefuseTheRateWhenItIsNotPositive() {
        assertThat(run("bench", "--processes", "--rate", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--rate must be > 0 leads/s: 0.0");
    }

    @Test
    void shouldRefuseTheInstancesWhenThereAreNone() {
        assertThat(run("bench", "--processes", "--streams-instances", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--streams-instances must be >= 1: 0");
    }

    private int run(String... args) {
        CommandLine cli = LeadMkt.commandLine();
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }
}
