package io.leadmkt.launcher;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Optional;

/**
 * When the JIT has compiled a warm-up's hot paths: the compilers spent less than {@link #SETTLED_SHARE}
 * of a window compiling. Measured on 2 cores with broker, streams, connector and buyers in one JVM:
 * C2 alone still used 38–47 % of a core 60 s into a run and under 6 % only after about 2 minutes, so a
 * fixed 45 s warm-up had every first step pay for the compiler (about 3 ms of CPU per lead at 120/s).
 */
record JitSettle(long windowStartCompileMs, long windowStartNanos) {

    /** Compile time per wall time below which the JIT counts as settled: 5 % of one core. */
    static final double SETTLED_SHARE = 0.05;
    /** How often the warm-up looks. */
    static final Duration WINDOW = Duration.ofSeconds(10);
    /** The longest warm-up: a JVM that never settles is measured anyway, and the header says so. */
    static final Duration MAX = Duration.ofMinutes(4);

    private static final CompilationMXBean COMPILER = ManagementFactory.getCompilationMXBean();

    /** Whether the compilers' time from {@code fromCompileMs} to {@code toCompileMs} over {@code windowNanos} of wall time is under the share. */
    static boolean settled(long fromCompileMs, long toCompileMs, long windowNanos) {
        return windowNanos > 0 && (toCompileMs - fromCompileMs) < SETTLED_SHARE * windowNanos / 1e6;
    }

    /** A window starting now; empty when this JVM does not report compile time (then a warm-up runs its fixed length). */
    static Optional<JitSettle> start() {
        if (COMPILER == null || !COMPILER.isCompilationTimeMonitoringSupported()) {
            return Optional.empty();
        }
        return Optional.of(new JitSettle(COMPILER.getTotalCompilationTime(), System.nanoTime()));
    }

    /** Compile ms per second of wall time since this window started. */
    double compileMsPerSecond() {
        long nanos = System.nanoTime() - windowStartNanos;
        return nanos <= 0 ? 0 : (COMPILER.getTotalCompilationTime() - windowStartCompileMs) / (nanos / 1e9);
    }

    /** Whether the compilers were quiet enough since this window started. */
    boolean settledNow() {
        return settled(windowStartCompileMs, COMPILER.getTotalCompilationTime(), System.nanoTime() - windowStartNanos);
    }
}
