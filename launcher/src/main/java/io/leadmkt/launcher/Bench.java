package io.leadmkt.launcher;

import io.leadmkt.schema.RoutingMode;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the whole marketplace once per latency profile (processing guarantee, commit interval,
 * producer linger, store type) on the same well-behaved simulated market, and prints one line
 * per profile: where the hot-path settings in {@code StreamsAppConfig.defaults} come from.
 */
public final class Bench {

    /**
     * A named set of streams-app settings, as {@code --set} keys of the launcher; {@code capped}: every
     * buyer has a (never reached) daily cap, so every sale takes the cap keeper's hold round trip.
     */
    public record Profile(String name, Map<String, String> settings, boolean capped) {
        Profile(String name, Map<String, String> settings) {
            this(name, settings, false);
        }
    }

    /** The settings the app ships with (StreamsAppConfig's and ConnectorConfig's defaults). */
    private static final Profile DEFAULTS = profile("eos-commit10-linger5", "exactly_once_v2", 10, 5, "rocksdb");

    public static final List<Profile> PROFILES = List.of(
            profile("streams-defaults-eos", "exactly_once_v2", 100, 100, "rocksdb"),
            profile("eos-commit100-linger0", "exactly_once_v2", 100, 0, "rocksdb"),
            profile("eos-commit50-linger0", "exactly_once_v2", 50, 0, "rocksdb"),
            profile("eos-commit20-linger0", "exactly_once_v2", 20, 0, "rocksdb"),
            profile("eos-commit10-linger0", "exactly_once_v2", 10, 0, "rocksdb"),
            profile("eos-commit20-linger5", "exactly_once_v2", 20, 5, "rocksdb"),
            DEFAULTS,
            profile("eos-commit20-linger0-inmemory", "exactly_once_v2", 20, 0, "in_memory"),
            profile("alos-commit10-linger0", "at_least_once", 10, 0, "rocksdb"));

    /** Punctuality of deadlines: every auction waits for a buyer that never answers in time. */
    public static final List<Profile> DEADLINE_PROFILES = List.of(
            withPoll(profile("eos-commit10-poll10", "exactly_once_v2", 10, 0, "rocksdb"), 10),
            withPoll(profile("eos-commit10-poll100", "exactly_once_v2", 10, 0, "rocksdb"), 100));

    /** What a cap costs: the chosen settings, buyers without and with caps. */
    public static final List<Profile> CAP_PROFILES = List.of(
            DEFAULTS,
            capped(new Profile(DEFAULTS.name() + "-capped", DEFAULTS.settings())));

    private static Profile capped(Profile profile) {
        return new Profile(profile.name(), profile.settings(), true);
    }

    private static Profile withPoll(Profile profile, long pollMs) {
        Map<String, String> settings = new LinkedHashMap<>(profile.settings());
        settings.put("streams.poll.ms", Long.toString(pollMs));
        return new Profile(profile.name(), settings);
    }

    private static Profile profile(String name, String guarantee, long commitMs, int lingerMs, String store) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("streams.processing.guarantee", guarantee);
        settings.put("streams.commit.interval.ms", Long.toString(commitMs));
        settings.put("streams.producer.linger.ms", Integer.toString(lingerMs));
        settings.put("connector.producer.linger.ms", Integer.toString(lingerMs));
        settings.put("streams.store.type", store);
        return new Profile(name, settings);
    }

    private final double rate;
    private final Duration duration;
    private final Duration warmup;
    private final int buyers;
    private final int slowBuyers;
    private final PrintStream out;

    public Bench(double rate, Duration duration, Duration warmup, int buyers, int slowBuyers, PrintStream out) {
        this.rate = rate;
        this.duration = duration;
        this.warmup = warmup;
        this.buyers = buyers;
        this.slowBuyers = slowBuyers;
        this.out = out;
    }

    private Demo.Options options(Profile profile, Duration length) {
        return fastMarket(profile, rate, length, warmup, buyers, slowBuyers, Duration.ofSeconds(30));
    }

    /**
     * A run of the well-behaved market every bench measures: the same seed, no bad input, no HTTP API
     * port to collide on, parallel auctions, the profile's settings over the defaults.
     */
    static Demo.Options fastMarket(Profile profile, double rate, Duration length, Duration warmup, int buyers,
                                   int slowBuyers, Duration settleTimeout) {
        return new Demo.Options(length, rate, buyers, 0, 42, 0.0, settleTimeout,
                Settings.empty().with(profile.settings()), warmup, true, slowBuyers, RoutingMode.PARALLEL,
                profile.capped() ? Integer.MAX_VALUE : 0);
    }

    /** The highest rate the JVM warm-up offers: what a cold C2 JVM sustains here while it compiles (measured). */
    static final double WARM_UP_MAX_RATE = 50;
    /** How long the JVM warm-up runs at least: C2 compiles the hot paths in about this time at {@link #WARM_UP_MAX_RATE}. */
    static final Duration WARM_UP_LENGTH = Duration.ofSeconds(45);

    /**
     * The rate of the unrecorded warm-up run before a bench whose first measured run offers {@code firstRate}:
     * never above {@link #WARM_UP_MAX_RATE}. The benches run on C2, which sheds leads while it compiles: started
     * straight at 100 leads/s after a 15 s warm-up at that rate, two capacity runs sold 98 % and 43 % of their
     * first step, so a high first rate measured the compiler, not the market.
     */
    static double warmUpRate(double firstRate) {
        return Math.min(firstRate, WARM_UP_MAX_RATE);
    }

    /** How long the warm-up run lasts: at least {@link #WARM_UP_LENGTH}, and longer than its untimed start. */
    static Duration warmUpLength(Duration untimed) {
        Duration past = untimed.plusSeconds(5);
        return past.compareTo(WARM_UP_LENGTH) > 0 ? past : WARM_UP_LENGTH;
    }

    /**
     * One unrecorded run, so the first measured run does not pay for the JVM's warm-up (JIT, class loading)
     * alone. It lasts {@code options.duration()} at least and then until the JIT has settled
     * ({@link JitSettle}), {@link JitSettle#MAX} at most.
     *
     * @return what the warm-up took, for the bench's header
     */
    static String warmUpJvm(Demo.Options options) throws Exception {
        long started = System.nanoTime();
        Demo demo = new Demo(options.withDuration(JitSettle.MAX), QUIET);
        AtomicReference<String> verdict = new AtomicReference<>(
                "JIT not settled within " + JitSettle.MAX.toSeconds() + " s");
        Thread watcher = new Thread(() -> stopWhenJitSettled(demo, options.duration(), verdict), "warm-up-jit-watch");
        watcher.setDaemon(true);
        watcher.start();
        try {
            demo.run();
        } finally {
            watcher.interrupt();
        }
        return String.format(Locale.ROOT, "warm-up %d s at %.0f leads/s: %s",
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), options.ratePerSecond(), verdict.get());
    }

    /** Stops {@code demo} after {@code minimum}, once a {@link JitSettle#WINDOW} ending then or later was quiet. */
    private static void stopWhenJitSettled(Demo demo, Duration minimum, AtomicReference<String> verdict) {
        try {
            Thread.sleep(Math.max(0, minimum.minus(JitSettle.WINDOW).toMillis()));
            while (true) {
                Optional<JitSettle> window = JitSettle.start();
                if (window.isEmpty()) {
                    verdict.set("fixed length, this JVM does not report compile time");
                    demo.requestStop();
                    return;
                }
                Thread.sleep(JitSettle.WINDOW.toMillis());
                if (window.get().settledNow()) {
                    verdict.set(String.format(Locale.ROOT, "JIT settled (%.0f ms of compiling per s)",
                            window.get().compileMsPerSecond()));
                    demo.requestStop();
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Where a bench sends the runs' own progress lines: it prints its own. */
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    public List<String> run(List<Profile> profiles) throws Exception {
        out.printf(Locale.ROOT, "bench: %.0f leads/s for %ds (first %ds untimed), %d buyers (%d never in time), %d cores%n",
                rate, duration.toSeconds(), warmup.toSeconds(), buyers, slowBuyers,
                Runtime.getRuntime().availableProcessors());
        out.println("  " + warmUpJvm(fastMarket(profiles.get(0), warmUpRate(rate), warmUpLength(warmup), warmup, buyers,
                slowBuyers, Duration.ofSeconds(30))));
        List<String> lines = new ArrayList<>();
        for (Profile profile : profiles) {
            Demo demo = new Demo(options(profile, duration), QUIET);
            Summary summary = demo.run();
            String line = String.format(Locale.ROOT,
                    "%-30s leads %5d sold %5d unsold %4d | lead->outcome p50 %7.1f ms p99 %7.1f ms | %s",
                    profile.name(), summary.leads(), summary.sold(), summary.unsold(), summary.p50Ms(),
                    summary.p99Ms(), demo.stageReport().replace("hops p50/p99 ms: ", ""));
            out.println(line);
            out.flush();
            lines.add(line);
        }
        return lines;
    }
}
