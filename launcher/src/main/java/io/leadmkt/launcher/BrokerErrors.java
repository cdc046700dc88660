package io.leadmkt.launcher;

import java.lang.management.ManagementFactory;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The error answers an in-process broker gave, by request and error, from its own request metrics.
 *
 * <p>Why a bench prints them: an exactly-once commit that starts while the broker is still writing the
 * previous transaction's markers is answered {@code CONCURRENT_TRANSACTIONS} and retried after a backoff
 * (the broker's {@code add.partitions.to.txn.retry.backoff.ms}, 20 ms, for a produce; the client's for
 * {@code TxnOffsetCommit}), and the stream thread waits through it. Commits asked for sooner than the
 * commit interval ran into that hundreds of times a step (history: <i>Committing sooner</i>); the count
 * shows such a change at once, where latency alone would only look noisy.
 */
final class BrokerErrors {

    private static final String PATTERN = "kafka.network:type=RequestMetrics,name=ErrorsPerSec,*";
    /** The metric's entry for answers without an error, which every request has. */
    private static final String NO_ERROR = "NONE";

    private BrokerErrors() {
    }

    /** The counts of this JVM's broker, since it started (a bench step starts its own). */
    static String line() {
        return line(ManagementFactory.getPlatformMBeanServer());
    }

    static String line(MBeanServer jmx) {
        Map<String, Long> counts = new LinkedHashMap<>();
        try {
            for (ObjectName name : jmx.queryNames(new ObjectName(PATTERN), null)) {
                String error = name.getKeyProperty("error");
                if (error != null && !NO_ERROR.equals(error)
                        && jmx.getAttribute(name, "Count") instanceof Number count && count.longValue() > 0) {
                    counts.merge(name.getKeyProperty("request") + " " + error, count.longValue(), Long::sum);
                }
            }
        } catch (JMException e) {
            return "broker error answers: not readable (" + e.getMessage() + ")";
        }
        if (counts.isEmpty()) {
            return "broker error answers: none";
        }
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(" | ", "broker error answers (the whole step, start-up included): ", ""));
    }
}
