package io.leadmkt.launcher;

import io.leadmkt.launcher.ThreadComponents.Component;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;

/**
 * How many leads a second this machine sells: ramps the fast market (buyers that always bid in 1-5 ms)
 * through offered rates, a fresh broker and market per step, and stops after the first step that does
 * not sustain its rate. Per step it reports the sale rate, shed leads, latency and the CPU each lead
 * costs by component, from per-thread CPU time over the step's timed part.
 */
public final class CapacityBench {

    public static final List<Double> DEFAULT_RATES = List.of(25.0, 50.0, 100.0, 150.0, 200.0, 300.0, 400.0, 500.0);

    /** Share of valid leads a step must sell to sustain its rate, as a fraction of 1,000. */
    private static final long SUSTAINED_PER_MILLE = 999;
    /**
     * A step that keeps sending faster than it ends leads has failed anyway: waiting long for its backlog
     * would only lengthen the bench; a sustained one has answered its last leads well within this.
     */
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SAMPLE_PERIOD = Duration.ofSeconds(1);
    /** The chosen hot-path settings (the streams app's and connector's defaults), nothing overridden. */
    /** Only the ids are read from these settings; each step starts its own broker. */
    private static final String NO_BROKER_YET = "in-process:0";

    /**
     * One step: the rate the generator was asked for and the one it achieved over the timed part; the
     * timed leads' counts, latency, platform overhead and time per hop; leads of the whole step without a final answer; CPU
     * and heap allocated per timed lead.
     */
    public record Step(double offeredPerSecond, double generatedPerSecond, Summary timed,
                       LeadHops.Percentiles overhead, String hops, String streamThread, String brokerErrors,
                       long unanswered,
                       Map<Component, Double> cpuMsPerLead, Map<Component, Double> allocatedKbPerLead,
                       double processCpuMsPerLead, TopicRecords records, long allLeads) {
        public Step {
            cpuMsPerLead = Map.copyOf(cpuMsPerLead);
            allocatedKbPerLead = Map.copyOf(allocatedKbPerLead);
        }

        /** Sold share of the valid (not rejected) timed leads, in percent; shed leads are not sold. */
        public double soldPercent() {
            return timed.valid() == 0 ? 0 : 100.0 * timed.sold() / timed.valid();
        }

        /** At least 99.9 % of the valid leads sold, and every lead of the step answered. */
        public boolean sustained() {
            return unanswered == 0 && timed.valid() > 0 && timed.sold() * 1000 >= timed.valid() * SUSTAINED_PER_MILLE;
        }

        public double threadCpuMsPerLead() {
            return cpuMsPerLead.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        public double threadAllocatedKbPerLead() {
            return allocatedKbPerLead.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        /** The heap each lead cost by component: steadier than CPU from one hour to the next. */
        String allocatedLine() {
            return "heap allocated KB/lead: " + byComponent(allocatedKbPerLead, "%s %.1f", " ")
                    + String.format(Locale.ROOT, " threads %.1f", threadAllocatedKbPerLead());
        }

        /** Cores the whole process kept busy over the timed part: near the machine's count, it is saturated. */
        public double processCores() {
            return processCpuMsPerLead * generatedPerSecond / 1000;
        }

        String toLine() {
            return String.format(Locale.ROOT,
                    "offered %5s/s generated %6.1f/s | leads %6d sold %6.2f%% shed %5d unsold %5d unanswered %5d"
                            + " | p50 %7.1f ms p99 %7.1f ms overhead %d/%d ms | cpu ms/lead %s threads %.2f process %.2f (%.2f cores) | %s",
                    number(offeredPerSecond), generatedPerSecond, timed.leads(), soldPercent(), timed.shed(),
                    timed.unsold(), unanswered, timed.p50Ms(), timed.p99Ms(), overhead.p50Ms(), overhead.p99Ms(),
                    byComponent(cpuMsPerLead, "%s %.2f", " "), threadCpuMsPerLead(), processCpuMsPerLead, processCores(), sustained() ? "sustained" : "NOT sustained");
        }

        String toJson() {
            return String.format(Locale.ROOT,
                    "{\"offered_per_s\":%s,\"generated_per_s\":%.1f,\"leads\":%d,\"rejected\":%d,\"sold\":%d,"
                            + "\"sold_pct\":%.2f,\"unsold\":%d,\"unsold_reasons\":%s,\"shed\":%d,\"shed_reasons\":%s,"
                            + "\"unanswered\":%d,"
                            + "\"p50_ms\":%.1f,\"p99_ms\":%.1f,\"overhead_p50_ms\":%d,\"overhead_p99_ms\":%d,"
                            + "\"cpu_ms_per_lead\":{%s,\"threads\":%.2f,\"process\":%.2f},"
                            + "\"alloc_kb_per_lead\":{%s,\"threads\":%.1f},"
                            + "\"process_cores\":%.2f,\"records_per_lead\":%s,\"sustained\":%b}",
                    number(offeredPerSecond), generatedPerSecond, timed.leads(), timed.rejected(), timed.sold(),
                    soldPercent(), timed.unsold(), Summary.jsonCounts(timed.unsoldReasons()), timed.shed(),
                    Summary.jsonCounts(timed.shedReasons()), unanswered, timed.p50Ms(), timed.p99Ms(),
                    overhead.p50Ms(), overhead.p99Ms(),
                    byComponent(cpuMsPerLead, "\"%s\":%.2f", ","), threadCpuMsPerLead(), processCpuMsPerLead,
                    byComponent(allocatedKbPerLead, "\"%s\":%.1f", ","), threadAllocatedKbPerLead(),
                    processCores(), records.toJson(allLeads), sustained());
        }

        private static String byComponent(Map<Component, Double> values, String format, String separator) {
            return values.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .map(e -> String.format(Locale.ROOT, format, e.getKey().label(), e.getValue()))
                    .collect(Collectors.joining(separator));
        }
    }

    /**
     * The highest offered rate a step sustained, and that step; with none sustained, 0 and the first
     * step (what the market did at the gentlest rate tried).
     */
    public record Capacity(double leadsPerSecond, Step at) {

        public static Capacity of(List<Step> steps) {
            if (steps.isEmpty()) {
                throw new IllegalArgumentException("no steps");
            }
            return steps.stream().filter(Step::sustained).max(Comparator.comparingDouble(Step::offeredPerSecond))
                    .map(step -> new Capacity(step.offeredPerSecond(), step))
                    .orElse(new Capacity(0, steps.get(0)));
        }

        /** The bench's last line: the headline numbers (CPU is the process's), then every step. */
        public String toJson(List<Step> steps) {
            return String.format(Locale.ROOT,
                    "{\"capacity_leads_per_s\":%s,\"cpu_ms_per_lead\":%.2f,\"p99_ms_at_capacity\":%.1f,\"steps\":[%s]}",
                    number(leadsPerSecond), at.processCpuMsPerLead(), at.timed().p99Ms(),
                    steps.stream().map(Step::toJson).collect(Collectors.joining(",")));
        }
    }

    private final List<Double> rates;
    private final Duration step;
    private final Duration warmup;
    private final int buyers;
    private final PrintStream out;
    private final ThreadComponents components;
    private final StreamThreadTime streamThread;
    private final Bench.Profile settings;
    private final boolean httpSellers;

    /** @param settings overrides of the default settings for every step ({@code --set}), to compare side by side */
    public CapacityBench(List<Double> rates, Duration step, Duration warmup, int buyers, Map<String, String> settings,
                         PrintStream out) {
        this(rates, step, warmup, buyers, settings, false, out);
    }

    /** @param httpSellers the leads go through {@code POST /v1/leads} ({@link Demo.Options#httpSellers()}) */
    public CapacityBench(List<Double> rates, Duration step, Duration warmup, int buyers, Map<String, String> settings,
                         boolean httpSellers, PrintStream out) {
        this.httpSellers = httpSellers;
        this.settings = new Bench.Profile(settings.isEmpty() ? "defaults" : settings.toString(), Map.copyOf(settings));
        if (rates.isEmpty() || rates.stream().anyMatch(rate -> rate <= 0)) {
            throw new IllegalArgumentException("rates must be > 0, at least one: " + rates);
        }
        if (warmup.isNegative() || warmup.compareTo(step) >= 0) {
            throw new IllegalArgumentException("the warm-up (" + warmup + ") must be shorter than a step (" + step + ")");
        }
        this.rates = List.copyOf(rates);
        this.step = step;
        this.warmup = warmup;
        this.buyers = buyers;
        this.out = out;
        // The ids the steps' own settings give their clients, so the thread names can be told apart.
        Settings stepSettings = options(rates.get(0), step).settings();
        String applicationId = stepSettings.streamsConfig(NO_BROKER_YET, 0, null).applicationId();
        this.components = new ThreadComponents(applicationId, stepSettings.connectorConfig(NO_BROKER_YET).groupId());
        this.streamThread = new StreamThreadTime(applicationId);
    }

    /** Runs the ramp; prints a header, a line per step and, last, the JSON result. */
    public Capacity run() throws Exception {
        printHeader();
        out.println("  " + Bench.warmUpJvm(options(Bench.warmUpRate(rates.get(0)), Bench.warmUpLength(warmup))));
        out.flush();
        List<Step> steps = new ArrayList<>();
        try (ThreadCpuMeter meter = new ThreadCpuMeter(components, SAMPLE_PERIOD)) {
            for (double rate : rates) {
                Step result = runStep(rate, meter);
                steps.add(result);
                out.println(result.toLine());
                out.println("  " + result.allocatedLine());
                out.println("  " + result.hops());
                out.println("  " + result.streamThread());
                out.println("  " + result.brokerErrors());
                out.println("  " + result.records().toLine(result.allLeads()));
                out.println("  " + result.records().changelogEntryBytesLine());
                out.flush();
                if (!result.sustained()) {
                    break; // a higher rate would only fail harder, and take as long
                }
            }
        }
        Capacity capacity = Capacity.of(steps);
        out.println(capacity.toJson(steps));
        out.flush();
        return capacity;
    }

    private Step runStep(double rate, ThreadCpuMeter meter) throws Exception {
        ThreadCpuMeter.Usage[] usage = new ThreadCpuMeter.Usage[1];
        TopicRecords[] records = {new TopicRecords(Map.of())};
        String[] brokerErrors = {"broker error answers: not read"};
        StreamThreadTime.Totals[] thread = new StreamThreadTime.Totals[2];
        Demo demo = new Demo(options(rate, step), Bench.QUIET, new Demo.Phases() {
            @Override
            public void timingStarted() {
                meter.start();
                thread[0] = streamThread.now();
            }

            @Override
            public void generatingStopped() {
                usage[0] = meter.stop();
                thread[1] = streamThread.now();
            }

            @Override
            public void settled(Admin admin, int leadsSent) throws Exception {
                records[0] = TopicRecords.of(admin);
                brokerErrors[0] = BrokerErrors.line(); // before the step's broker stops and its metrics go
            }
        });
        Summary all = demo.run();
        Summary timed = demo.timedSummary();
        ThreadCpuMeter.Usage used = usage[0];
        double seconds = used.window().toNanos() / 1e9;
        Map<Component, Double> perLead = new EnumMap<>(Component.class);
        used.threadNanos().forEach((component, nanos) -> perLead.put(component, msPerLead(nanos, timed.leads())));
        Map<Component, Double> allocatedPerLead = new EnumMap<>(Component.class);
        used.allocatedBytes().forEach((component, bytes) ->
                allocatedPerLead.put(component, timed.leads() == 0 ? 0 : bytes / 1024.0 / timed.leads()));
        return new Step(rate, seconds == 0 ? 0 : timed.leads() / seconds, timed, demo.overhead(),
                demo.stageReport(), thread[0] == null || thread[1] == null ? "stream thread: not measured"
                        : StreamThreadTime.line(thread[0], thread[1]), brokerErrors[0], all.leads() - all.accounted(), perLead,
                allocatedPerLead, msPerLead(used.processNanos(), timed.leads()), records[0], all.leads());
    }

    private Demo.Options options(double rate, Duration length) {
        Demo.Options options = Bench.fastMarket(settings, rate, length, warmup, buyers, 0, SETTLE_TIMEOUT);
        return httpSellers ? options.withHttpSellers() : options;
    }

    private static double msPerLead(long nanos, long leads) {
        return leads == 0 ? 0 : nanos / 1e6 / leads;
    }

    private void printHeader() {
        out.printf(Locale.ROOT, "capacity bench: fast market (%d buyers, always bid in 1-5 ms), offered %s leads/s, "
                        + "%ds per step (first %ds untimed), fresh broker and market per step, %d cores%n",
                buyers, rates.stream().map(CapacityBench::number).collect(Collectors.joining(",")), step.toSeconds(),
                warmup.toSeconds(), Runtime.getRuntime().availableProcessors());
        out.println("  settings: " + settings.name());
        if (httpSellers) {
            out.println("  leads sent to POST /v1/leads by sellers that retry a 503 after its Retry-After (the "
                    + "generator's CPU includes their HTTP client; the streams app's, its Jetty); a lead they give up "
                    + "is shed OVERLOADED_AT_DOOR, so a step the door turns leads away from does not sustain its rate");
        }
        out.println("  a step sustains its rate when >= 99.9% of its valid (not rejected) timed leads are sold (shed "
                + "leads are not) and no lead of the step is left without a final answer; the ramp stops after the "
                + "first step that does not");
        out.println("  counts, latency (send -> outcome visible) and CPU are over the timed part; cpu ms/lead = CPU "
                + "time of each thread (sampled every " + SAMPLE_PERIOD.toSeconds() + " s) / timed leads, by thread "
                + "name, first match wins:");
        components.rules().forEach(rule -> out.println("    " + rule.describe()));
        out.println("  overhead = p50/p99 of lead in -> outcome visible minus the buyers' own answer times (bid and "
                + "post); each step's hops follow its line");
        out.println("  stream thread = shares of the market's stream thread's wall time over the timed part: on a CPU, "
                + "blocked in the exactly-once commit (producer flush, sending offsets, committing), and the rest "
                + "(waiting in poll for input, or for a core)");
        out.println("  records/lead = log-end offsets of every topic (internal ones and transaction markers "
                + "included) after the step / all leads of the step (warm-up too)");
        out.println("  heap allocated KB/lead = bytes each thread allocated over the timed part (sampled with its CPU "
                + "time) / timed leads, by the same names");
        out.println("  process = the JVM's whole CPU time, "
                + "so process - threads = GC, JIT, RocksDB's native threads and threads that ended between samples");
        out.flush();
    }

    /** A rate as given: 25, not 25.0; 12.5 stays. */
    static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
