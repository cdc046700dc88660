package io.leadmkt.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadmkt.simulator.HttpSeller;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The arithmetic of {@link ProcessBench}, apart from the processes: its phase plan ({@code burst:RATE:COUNT},
 * {@code idle:SECONDS}, {@code one}, {@code kill:PROCESS}, {@code stop:PROCESS}, {@code restart:PROCESS}), each phase's figures as a table row, and the run as
 * one JSON line.
 */
final class ProcessBenchPhases {

    /** The bench's own JVM: the simulated buyers, the lead generator and the outcome tracker; not the platform. */
    static final String HARNESS = "buyers+generator";
    /** The burst right at start: leads the sellers send while the processes are still starting. */
    static final Phase START_BURST = Phase.burst(20, 60);
    static final Duration DEFAULT_IDLE = Duration.ofSeconds(30);

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProcessBenchPhases() {
    }

    /**
     * One phase: {@code leads} leads at {@code ratePerSecond}, or (no leads) {@code idle} with nothing sent, or
     * (no leads, no idle) an {@code action} on the child process {@code victim}.
     */
    record Phase(String label, double ratePerSecond, int leads, Duration idle, String victim, Action action) {

        /** What a phase does to a child process. */
        enum Action {
            /** SIGKILL, a crash as a host failure makes it: nothing is committed or left. */
            KILL,
            /** SIGTERM, as a rolling deploy or a supervisor stops it: it commits, leaves its groups and exits. */
            STOP,
            /** The killed or stopped process started again as it was first started. */
            RESTART
        }

        Phase(String label, double ratePerSecond, int leads, Duration idle) {
            this(label, ratePerSecond, leads, idle, null, null);
        }

        static Phase burst(double ratePerSecond, int leads) {
            if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
                throw new IllegalArgumentException("the rate must be > 0 leads/s: " + ratePerSecond);
            }
            if (leads < 1) {
                throw new IllegalArgumentException("a burst sends at least 1 lead: " + leads);
            }
            return new Phase("burst:" + CapacityBench.number(ratePerSecond) + ":" + leads, ratePerSecond, leads, Duration.ZERO);
        }

        static Phase idle(Duration length) {
            if (length.isNegative() || length.isZero()) {
                throw new IllegalArgumentException("an idle phase lasts at least 1 s: " + length);
            }
            return new Phase("idle:" + length.toSeconds(), 0, 0, length);
        }

        static Phase one() {
            return new Phase("one", 1, 1, Duration.ZERO);
        }

        /** A crash: the process named {@code victim} ({@code streams-1}, {@code connector}...) gets SIGKILL. */
        static Phase kill(String victim) {
            return acting(Action.KILL, victim);
        }

        /** A graceful stop: the process named {@code victim} gets SIGTERM, and the phase waits for it to exit. */
        static Phase stop(String victim) {
            return acting(Action.STOP, victim);
        }

        /** The killed or stopped process started again as it was first started (its supervisor restarting it). */
        static Phase restart(String victim) {
            return acting(Action.RESTART, victim);
        }

        private static Phase acting(Action action, String victim) {
            return new Phase(action.name().toLowerCase(Locale.ROOT) + ":" + checkedVictim(victim), 0, 0, Duration.ZERO,
                    victim, action);
        }

        private static String checkedVictim(String victim) {
            if (victim.isBlank() || victim.equals("broker")) {
                throw new IllegalArgumentException("name a streams instance or the connector: '" + victim + "'");
            }
            return victim;
        }

        boolean sendsLeads() {
            return leads > 0;
        }

        /** Kills or stops its victim: the process is down after it. */
        boolean downs() {
            return action == Action.KILL || action == Action.STOP;
        }

        boolean restarts() {
            return action == Action.RESTART;
        }

        /** {@code burst:RATE:COUNT} (leads/s, leads), {@code idle:SECONDS} or {@code one} (a single lead). */
        static Phase parse(String text) {
            String[] parts = text.trim().split(":", -1);
            try {
                switch (parts[0]) {
                    case "burst":
                        if (parts.length == 3) {
                            return burst(Double.parseDouble(parts[1]), Integer.parseInt(parts[2]));
                        }
                        break;
                    case "idle":
                        if (parts.length == 2) {
                            return idle(Duration.ofSeconds(Long.parseLong(parts[1])));
                        }
                        break;
                    case "one":
                        if (parts.length == 1) {
                            return one();
                        }
                        break;
                    case "kill":
                        if (parts.length == 2) {
                            return kill(parts[1]);
                        }
                        break;
                    case "stop":
                        if (parts.length == 2) {
                            return stop(parts[1]);
                        }
                        break;
                    case "restart":
                        if (parts.length == 2) {
                            return restart(parts[1]);
                        }
                        break;
                    default:
                        break;
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("phase '" + text + "': not a number: " + e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("phase '" + text + "': " + e.getMessage(), e);
            }
            throw new IllegalArgumentException("phase '" + text + "': expected burst:RATE:COUNT, idle:SECONDS, one, kill:PROCESS, stop:PROCESS or restart:PROCESS");
        }
    }

    /** The phases as given on the command line, in order. */
    static List<Phase> plan(List<String> phases) {
        if (phases.isEmpty()) {
            throw new IllegalArgumentException("no phases: give at least one of burst:RATE:COUNT, idle:SECONDS, one, kill:PROCESS, stop:PROCESS, restart:PROCESS");
        }
        return phases.stream().map(Phase::parse).toList();
    }

    /**
     * The plan the separate-process runs were measured with: a burst while the processes start, idle, a
     * single lead, idle, then {@code minutes} one-minute phases at {@code ratePerSecond}, then idle.
     */
    static List<Phase> defaultPlan(double ratePerSecond, int minutes) {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("--rate must be > 0 leads/s: " + ratePerSecond);
        }
        if (minutes < 1) {
            throw new IllegalArgumentException("--minutes must be >= 1: " + minutes);
        }
        List<Phase> plan = new ArrayList<>(List.of(START_BURST, Phase.idle(DEFAULT_IDLE), Phase.one(),
                Phase.idle(DEFAULT_IDLE)));
        Phase minute = Phase.burst(ratePerSecond, (int) Math.max(1, Math.round(ratePerSecond * 60)));
        for (int i = 0; i < minutes; i++) {
            plan.add(minute);
        }
        plan.add(Phase.idle(DEFAULT_IDLE));
        return plan;
    }

    /**
     * What one phase did. {@code wallMs}: from its first lead sent until its last lead answered (or the wait
     * for answers gave up), the idle time for an idle phase; {@code sendMs}: the sending part alone.
     * {@code summary} is null for an idle phase; {@code cpuMs}: CPU time of each process over {@code wallMs},
     * in table order, {@link #HARNESS} among them; {@code door}: what the HTTP doors did to the phase's
     * leads, null when they went to Kafka.
     */
    record Result(Phase phase, long wallMs, long sendMs, Summary summary, long unanswered, Map<String, Long> cpuMs,
                  HttpSeller.Stats door, NotSold notSold) {

        Result {
            cpuMs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(cpuMs));
        }

        Result(Phase phase, long wallMs, long sendMs, Summary summary, long unanswered, Map<String, Long> cpuMs,
               HttpSeller.Stats door) {
            this(phase, wallMs, sendMs, summary, unanswered, cpuMs, door, NotSold.NONE);
        }

        long sent() {
            return summary == null ? 0 : summary.leads();
        }

        /** The marketplace's processes, not the bench's own. */
        long platformCpuMs() {
            return cpuMs.entrySet().stream().filter(e -> !e.getKey().equals(HARNESS)).mapToLong(Map.Entry::getValue).sum();
        }

        double percentOfCore(long cpu) {
            return wallMs <= 0 ? 0 : 100.0 * cpu / wallMs;
        }

        double msPerLead(long cpu) {
            return sent() == 0 ? 0 : (double) cpu / sent();
        }

        /** A table row under {@link #header}: CPU in ms per lead for a phase that sent leads, else % of a core. */
        String toLine() {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-16s %7.1f", phase.label(), wallMs / 1000.0));
            if (phase.action() != null) {
                // Over the instant a kill or a start takes, CPU shares are noise: the phases around it tell.
                String what = switch (phase.action()) {
                    case KILL -> "   SIGKILL to ";
                    // Its wall time is how long the process took to close and exit.
                    case STOP -> "   SIGTERM to ";
                    case RESTART -> "   started again: ";
                };
                return line.append(what).append(phase.victim()).toString();
            }
            if (summary == null) {
                line.append(String.format(Locale.ROOT, " %6s %6s %6s %6s %6s %8s %8s | %-7s", "-", "-", "-", "-", "-", "-", "-", "% core"));
            } else {
                line.append(String.format(Locale.ROOT, " %6d %6d %6d %6d %6d %8.1f %8.1f | %-7s", sent(), summary.sold(),
                        summary.shed(), summary.unsold(), unanswered, summary.p50Ms(), summary.p99Ms(), "ms/lead"));
            }
            cpuMs.forEach((process, cpu) -> line.append(String.format(Locale.ROOT, " %" + width(process) + ".1f",
                    summary == null ? percentOfCore(cpu) : msPerLead(cpu))));
            line.append(String.format(Locale.ROOT, " | %8.1f %8s", percentOfCore(platformCpuMs()),
                    summary == null ? "-" : String.format(Locale.ROOT, "%.1f", msPerLead(platformCpuMs()))));
            return line.toString();
        }

        /** Why leads were shed, unsold or rejected, for the line under the row; empty when none was. */
        String reasons() {
            if (summary == null) {
                return "";
            }
            List<String> parts = new ArrayList<>();
            if (!summary.shedReasons().isEmpty()) {
                parts.add("shed " + counts(summary.shedReasons()));
            }
            if (!summary.unsoldReasons().isEmpty()) {
                parts.add("unsold " + counts(summary.unsoldReasons()));
            }
            if (summary.rejected() > 0) {
                parts.add("rejected " + summary.rejected());
            }
            if (notSold.leads() > 0) {
                parts.add(String.format(Locale.ROOT, "the %d not sold were sent %.1f-%.1f s into the phase",
                        notSold.leads(), notSold.firstS(), notSold.lastS()));
            }
            if (door != null) {
                parts.add(String.format(Locale.ROOT, "doors: %d taken, %d given up, %d answers 503 overloaded, "
                        + "%d other failures; sellers' wait for a taken lead p50 %d, max %d ms", door.accepted(),
                        door.gaveUp(), door.overloadedAnswers(), door.otherFailures(), door.waitP50Ms(), door.waitMaxMs()));
            }
            return String.join("; ", parts);
        }

        ObjectNode toJson() {
            ObjectNode node = JSON.createObjectNode();
            node.put("phase", phase.label());
            node.put("wall_ms", wallMs);
            if (summary != null) {
                node.put("rate_per_s", phase.ratePerSecond());
                node.put("send_ms", sendMs);
                node.put("sent", sent());
                node.put("sold", summary.sold());
                node.put("shed", summary.shed());
                node.set("shed_reasons", JSON.valueToTree(new TreeMap<>(summary.shedReasons())));
                node.put("unsold", summary.unsold());
                node.set("unsold_reasons", JSON.valueToTree(new TreeMap<>(summary.unsoldReasons())));
                node.put("rejected", summary.rejected());
                node.put("unanswered", unanswered);
                node.put("p50_ms", round(summary.p50Ms()));
                node.put("p99_ms", round(summary.p99Ms()));
                if (notSold.leads() > 0) {
                    node.put("not_sold_sent_from_s", round(notSold.firstS()));
                    node.put("not_sold_sent_until_s", round(notSold.lastS()));
                }
            }
            if (door != null) {
                try {
                    node.set("http_intake", JSON.readTree(door.toJson()));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("the sellers' figures are not JSON: " + door.toJson(), e);
                }
            }
            node.set("cpu_ms", JSON.valueToTree(cpuMs));
            ObjectNode percent = node.putObject("cpu_pct_of_core");
            cpuMs.forEach((process, cpu) -> percent.put(process, round(percentOfCore(cpu))));
            if (summary != null) {
                ObjectNode perLead = node.putObject("cpu_ms_per_lead");
                cpuMs.forEach((process, cpu) -> perLead.put(process, round(msPerLead(cpu))));
            }
            node.put("platform_cpu_ms", platformCpuMs());
            node.put("platform_pct_of_core", round(percentOfCore(platformCpuMs())));
            if (summary != null) {
                node.put("platform_ms_per_lead", round(msPerLead(platformCpuMs())));
            }
            return node;
        }
    }

    /**
     * When in a phase its leads that were not sold (shed, unsold, rejected, unanswered) were sent: after a
     * {@code kill:} phase, the window in which the platform could not sell.
     */
    record NotSold(int leads, double firstS, double lastS) {
        static final NotSold NONE = new NotSold(0, 0, 0);

        /** {@code sold.get(i)}: whether the phase's i-th lead, sent at i / rate s, was sold. */
        static NotSold of(List<Boolean> sold, double ratePerSecond) {
            int count = 0;
            int first = -1;
            int last = -1;
            for (int i = 0; i < sold.size(); i++) {
                if (!sold.get(i)) {
                    count++;
                    first = first < 0 ? i : first;
                    last = i;
                }
            }
            return count == 0 ? NONE : new NotSold(count, first / ratePerSecond, last / ratePerSecond);
        }
    }

    /** The column names over {@link Result#toLine()}'s rows, for these processes in this order. */
    static String header(List<String> processes) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-16s %7s %6s %6s %6s %6s %6s %8s %8s | %-7s",
                "phase", "wall s", "sent", "sold", "shed", "unsold", "unansd", "p50 ms", "p99 ms", "cpu in"));
        processes.forEach(process -> line.append(String.format(Locale.ROOT, " %" + width(process) + "s", process)));
        line.append(String.format(Locale.ROOT, " | %8s %8s", "platform", "platform"));
        // The second line puts the platform columns' units under their names.
        int platformColumns = line.length() - 17;
        line.append(System.lineSeparator()).append(" ".repeat(platformColumns)).append(String.format(Locale.ROOT,
                "%8s %8s", "% core", "ms/lead"));
        return line.toString();
    }

    /**
     * The run as one JSON line: how it was set up, then every phase.
     *
     * @param readyMs per process, ms from its start until it first answered ready (null: never within the run)
     */
    static String toJson(int streamsInstances, String javaOptions, Map<String, Long> readyMs, List<Result> results) {
        ObjectNode root = JSON.createObjectNode();
        root.put("bench", "processes");
        root.put("streams_instances", streamsInstances);
        root.put("java_options", javaOptions);
        root.put("cores", Runtime.getRuntime().availableProcessors());
        root.set("ready_ms", JSON.valueToTree(readyMs));
        ArrayNode phases = root.putArray("phases");
        results.forEach(result -> phases.add(result.toJson()));
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the result as JSON", e);
        }
    }

    private static int width(String process) {
        return Math.max(process.length(), 8);
    }

    private static String counts(Map<String, Long> counts) {
        return new TreeMap<>(counts).entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
