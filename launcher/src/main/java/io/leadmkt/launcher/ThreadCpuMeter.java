package io.leadmkt.launcher;

import io.leadmkt.launcher.ThreadComponents.Component;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The CPU time this JVM's threads spend between {@link #start()} and {@link #stop()}, summed by
 * {@link ThreadComponents component}, and the whole process's over the same window; and the bytes
 * those threads allocate on the heap, which, unlike CPU time, barely moves with how busy the machine
 * is, so a change to a hot path shows in it from one run.
 *
 * <p>A thread's CPU time is only readable while it lives, so threads are sampled every
 * {@code period}, not just at both ends: a thread that ends in between keeps what it had used at its
 * last sample (only the part since then is lost), and one born in between counts from zero. Thread
 * ids are never reused, so a delta per id is a delta per thread.
 */
final class ThreadCpuMeter implements AutoCloseable {

    /** The sampler's own thread, so the classification can put it with the harness. */
    static final String THREAD_NAME = "cpu-sampler";

    /**
     * CPU nanoseconds and heap bytes allocated by component over a window of wall time, and the process's CPU
     * (GC, JIT, native threads too).
     */
    record Usage(Map<Component, Long> threadNanos, Map<Component, Long> allocatedBytes, long processNanos,
                 Duration window) {
        Usage {
            threadNanos = Map.copyOf(threadNanos);
            allocatedBytes = Map.copyOf(allocatedBytes);
        }

        long threadTotalNanos() {
            return threadNanos.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * One thread: its name, its CPU time and allocated bytes when the window opened (0 if born later) and at
     * its last sample.
     */
    private static final class Track {
        final String name;
        final long fromNanos;
        final long fromBytes;
        long lastNanos;
        long lastBytes;

        Track(String name, long fromNanos, long fromBytes, long lastNanos, long lastBytes) {
            this.name = name;
            this.fromNanos = fromNanos;
            this.fromBytes = fromBytes;
            this.lastNanos = lastNanos;
            this.lastBytes = lastBytes;
        }
    }

    private final ThreadComponents components;
    private final Duration period;
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, THREAD_NAME);
        thread.setDaemon(true);
        return thread;
    });
    private final Map<Long, Track> tracks = new HashMap<>();
    private ScheduledFuture<?> sampling;
    private long processFromNanos;
    private long wallFromNanos;

    ThreadCpuMeter(ThreadComponents components, Duration period) {
        if (!threads.isThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot measure CPU time per thread");
        }
        threads.setThreadCpuTimeEnabled(true);
        if (threads.isThreadAllocatedMemorySupported()) {
            threads.setThreadAllocatedMemoryEnabled(true);
        }
        this.components = components;
        this.period = period;
    }

    /** Opens a window: every live thread's CPU time so far is the baseline. */
    synchronized void start() {
        if (sampling != null) {
            sampling.cancel(false);
        }
        tracks.clear();
        wallFromNanos = System.nanoTime();
        processFromNanos = os.getProcessCpuTime();
        sample(true);
        sampling = sampler.scheduleAtFixedRate(() -> sample(false), period.toMillis(), period.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Closes the window; a meter never started reports nothing used over no time. */
    synchronized Usage stop() {
        Map<Component, Long> byComponent = new EnumMap<>(Component.class);
        Map<Component, Long> allocated = new EnumMap<>(Component.class);
        for (Component component : Component.values()) {
            byComponent.put(component, 0L);
            allocated.put(component, 0L);
        }
        if (sampling == null) {
            return new Usage(byComponent, allocated, 0, Duration.ZERO);
        }
        sampling.cancel(false);
        sampling = null;
        sample(false);
        long process = os.getProcessCpuTime() - processFromNanos;
        Duration window = Duration.ofNanos(System.nanoTime() - wallFromNanos);
        for (Track track : tracks.values()) {
            Component component = components.of(track.name);
            byComponent.merge(component, Math.max(0, track.lastNanos - track.fromNanos), Long::sum);
            allocated.merge(component, Math.max(0, track.lastBytes - track.fromBytes), Long::sum);
        }
        return new Usage(byComponent, allocated, process, window);
    }

    private synchronized void sample(boolean baseline) {
        long[] ids = threads.getAllThreadIds();
        long[] cpu = threads.getThreadCpuTime(ids);
        // -1 each where the JVM cannot tell: the window then reports no allocation, not a wrong one.
        long[] bytes = threads.isThreadAllocatedMemoryEnabled() ? threads.getThreadAllocatedBytes(ids) : new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            if (cpu[i] < 0) {
                continue; // ended since the id list was taken
            }
            long allocated = Math.max(0, bytes[i]);
            Track track = tracks.get(ids[i]);
            if (track != null) {
                track.lastNanos = cpu[i];
                track.lastBytes = Math.max(track.lastBytes, allocated);
                continue;
            }
            ThreadInfo info = threads.getThreadInfo(ids[i]);
            if (info != null) {
                tracks.put(ids[i], new Track(info.getThreadName(), baseline ? cpu[i] : 0, baseline ? allocated : 0,
                        cpu[i], allocated));
            }
        }
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
