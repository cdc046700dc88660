package io.leadmkt.launcher;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Where the market's stream threads spend their wall time over a bench step: on a CPU, blocked in
 * the exactly-once commit (flushing the producer, sending the input offsets, committing the
 * transaction) or neither (waiting in poll for input, or runnable and waiting for a core). A hop
 * that queues at the stream thread while its CPU is well below 100 % is waiting on commits or on
 * cores, not on its own code; this line tells which.
 *
 * <p>Read from the clients' own JMX metrics (the producer's {@code *-time-ns-total}, the stream
 * thread's {@code commit-total}) and the JVM's per-thread CPU time, so it needs no hook in the app.
 */
final class StreamThreadTime {

    /** Totals summed over the market's stream threads at one moment (nanoseconds, except commits). */
    record Totals(long cpuNanos, double flushNanos, double sendOffsetsNanos, double txnCommitNanos, double commits,
                  int threads, long atNanos) {
    }

    /** Suffix Kafka Streams gives the client id of each stream thread's (transactional) producer. */
    private static final String PRODUCER_SUFFIX = "-producer";

    private final Pattern threadName;
    private final MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
    private final java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    /** @param applicationId the market's {@code application.id} (not the reports' own, whose id only starts with it) */
    StreamThreadTime(String applicationId) {
        this.threadName = Pattern.compile(Pattern.quote(applicationId)
                + "-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-StreamThread-\\d+");
    }

    Totals now() {
        long cpu = 0;
        int found = 0;
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && threadName.matcher(info.getThreadName()).matches()) {
                long nanos = threads.getThreadCpuTime(info.getThreadId());
                if (nanos > 0) {
                    cpu += nanos;
                    found++;
                }
            }
        }
        double flush = 0;
        double sendOffsets = 0;
        double txnCommit = 0;
        double commits = 0;
        try {
            for (ObjectName name : jmx.queryNames(new ObjectName("kafka.producer:type=producer-metrics,client-id=*"), null)) {
                String client = name.getKeyProperty("client-id");
                if (client.endsWith(PRODUCER_SUFFIX) && threadName.matcher(
                        client.substring(0, client.length() - PRODUCER_SUFFIX.length())).matches()) {
                    flush += number(name, "flush-time-ns-total");
                    sendOffsets += number(name, "txn-send-offsets-time-ns-total");
                    txnCommit += number(name, "txn-commit-time-ns-total");
                }
            }
            for (ObjectName name : jmx.queryNames(new ObjectName("kafka.streams:type=stream-thread-metrics,thread-id=*"), null)) {
                if (threadName.matcher(name.getKeyProperty("thread-id")).matches()) {
                    commits += number(name, "commit-total");
                }
            }
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
        return new Totals(cpu, flush, sendOffsets, txnCommit, commits, found, System.nanoTime());
    }

    private double number(ObjectName name, String attribute) {
        try {
            return jmx.getAttribute(name, attribute) instanceof Number n ? n.doubleValue() : 0;
        } catch (javax.management.JMException e) {
            return 0; // a metric this client version does not have
        }
    }

    /** One line for the bench: shares of the wall time between two readings, per stream thread. */
    static String line(Totals from, Totals to) {
        int threads = Math.max(1, to.threads());
        double wall = (double) (to.atNanos() - from.atNanos()) * threads;
        if (wall <= 0 || to.threads() == 0) {
            return "stream thread: not found";
        }
        double cpu = share(to.cpuNanos() - from.cpuNanos(), wall);
        double flush = share(to.flushNanos() - from.flushNanos(), wall);
        double offsets = share(to.sendOffsetsNanos() - from.sendOffsetsNanos(), wall);
        double commit = share(to.txnCommitNanos() - from.txnCommitNanos(), wall);
        double commits = to.commits() - from.commits();
        double rest = Math.max(0, 100 - cpu - flush - offsets - commit);
        Duration window = Duration.ofNanos(to.atNanos() - from.atNanos());
        return String.format(Locale.ROOT,
                "stream thread%s wall time: on CPU %.0f %% | blocked in commits %.0f %% (flush %.0f, send offsets %.0f, "
                        + "commit txn %.0f) | rest %.0f %% (poll waits, waiting for a core) | %.0f commits, one per %.0f ms",
                threads > 1 ? "s (" + threads + ")" : "", cpu, flush + offsets + commit, flush, offsets, commit, rest,
                commits, commits == 0 ? 0 : window.toMillis() * threads / commits);
    }

    private static double share(double nanos, double wallNanos) {
        return 100.0 * Math.max(0, nanos) / wallNanos;
    }
}
