package io.leadmkt.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class BrokerErrorsTest {

    /** The shape of the broker's Yammer meters in JMX: only {@code Count} is read. */
    public interface MeterMBean {
        long getCount();
    }

    public record Meter(long count) implements MeterMBean {
        @Override
        public long getCount() {
            return count;
        }
    }

    /** A server of its own (not tracked by the factory), so nothing of this JVM's is read. */
    private final MBeanServer jmx = MBeanServerFactory.newMBeanServer();

    private void answered(String request, String error, long count) throws Exception {
        jmx.registerMBean(new Meter(count), new ObjectName(
                "kafka.network:type=RequestMetrics,name=ErrorsPerSec,request=" + request + ",error=" + error));
    }

    @Test
    void shouldListTheErrorAnswersMostFirstWhenTheBrokerGaveSome() throws Exception {
        answered("Produce", "NONE", 90_000);
        answered("AddPartitionsToTxn", "CONCURRENT_TRANSACTIONS", 88);
        answered("TxnOffsetCommit", "CONCURRENT_TRANSACTIONS", 4);
        answered("Metadata", "UNKNOWN_TOPIC_OR_PARTITION", 6);
        answered("Fetch", "NOT_LEADER_OR_FOLLOWER", 0);

        assertThat(BrokerErrors.line(jmx)).isEqualTo("broker error answers (the whole step, start-up included): "
                + "AddPartitionsToTxn CONCURRENT_TRANSACTIONS 88 | Metadata UNKNOWN_TOPIC_OR_PARTITION 6"
                + " | TxnOffsetCommit CONCURRENT_TRANSACTIONS 4");
    }

    @Test
    void shouldSayNoneWhenEveryAnswerWasWithoutError() throws Exception {
        answered("Produce", "NONE", 90_000);

        assertThat(BrokerErrors.line(jmx)).isEqualTo("broker error answers: none");
    }
}
