package io.leadmkt.launcher;

import io.leadmkt.connector.BuyerConnector;
import io.leadmkt.connector.ConnectorConfig;
import io.leadmkt.launcher.ThreadComponents.Component;
import io.leadmkt.schema.Bid;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.KafkaClients;
import io.leadmkt.schema.LeadPreview;
import io.leadmkt.schema.Ping;
import io.leadmkt.schema.TopicProvisioner;
import io.leadmkt.schema.RoundAnswers;
import io.leadmkt.schema.Topics;
import io.leadmkt.simulator.BuyerFarm;
import io.leadmkt.simulator.SimulatedBuyer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures the buyer-connector alone: an embedded broker, {@code n} fast loopback buyers (1-5 ms,
 * always bid), one {@link BuyerConnector}, and pings produced straight to the {@code pings} topic
 * at a fixed rate, each naming every buyer with a deadline one second ahead. It reads the
 * {@code bids} topic and prints the pings per second achieved, bids per second, and ping-to-bid
 * latency percentiles (from {@code Ping.pingedAt} to the bid being read, so it includes both Kafka
 * hops), leaving out a warm-up period; the last line is the one-line summary.
 *
 * <p>Entry point for the launcher: {@link #run(String[])}, or register {@link ConnectorBenchCommand}
 * as the {@code connector-bench} subcommand.
 */
public final class ConnectorBench {

    /** Bids still missing this long after the last ping are counted as lost. */
    private static final Duration DRAIN = Duration.ofSeconds(5);
    private static final long DEADLINE_MS = 1000;

    /**
     * @param rate       pings per second to produce
     * @param buyers     loopback buyers, all named on every ping
     * @param duration   how long to produce pings, warm-up included
     * @param warmup     first part of the run left out of the numbers
     * @param partitions partitions of the lead-keyed topics
     * @param seed       seed of the simulated buyers
     */
    public record Options(double rate, int buyers, Duration duration, Duration warmup, int partitions, long seed) {
    }

    /**
     * What one run measured, over the pings sent after the warm-up.
     *
     * @param bidsByStatus measured bids by status (anything but BID means a buyer did not keep up)
     * @param missingBids  bids of measured pings not read by the end of the drain
     */
    public record Result(double pingsPerSecond, double bidsPerSecond, long p50Ms, long p90Ms, long p99Ms, long maxMs,
                         long pings, long bids, Map<BidStatus, Long> bidsByStatus, long missingBids,
                         ThreadCpuMeter.Usage cpu) {

        public String summaryLine(Options options) {
            return String.format(Locale.ROOT,
                    "connector-bench: rate=%.0f/s buyers=%d measured=%ds pings/s=%.1f bids/s=%.1f "
                            + "ping->bid p50=%dms p90=%dms p99=%dms max=%dms pings=%d bids=%d %s missing=%d "
                            + "cpu ms/ping: connector %.3f buyers %.3f broker %.3f other %.3f process %.3f",
                    options.rate(), options.buyers(), options.duration().minus(options.warmup()).toSeconds(),
                    pingsPerSecond, bidsPerSecond, p50Ms, p90Ms, p99Ms, maxMs, pings, bids, statuses(), missingBids,
                    msPerPing(cpu.threadNanos().get(Component.CONNECTOR)), msPerPing(cpu.threadNanos().get(Component.BUYERS)),
                    msPerPing(cpu.threadNanos().get(Component.BROKER)), msPerPing(cpu.threadNanos().get(Component.OTHER)),
                    msPerPing(cpu.processNanos()));
        }

        private double msPerPing(Long nanos) {
            return pings == 0 || nanos == null ? 0 : nanos / 1e6 / pings;
        }

        private String statuses() {
            StringBuilder text = new StringBuilder();
            for (BidStatus status : BidStatus.values()) {
                text.append(text.isEmpty() ? "" : " ").append(status.name().toLowerCase(Locale.ROOT)).append('=')
                        .append(bidsByStatus.getOrDefault(status, 0L));
            }
            return "(" + text + ")";
        }
    }

    private final Options options;
    private final PrintStream out;
    private final Topics topics = Topics.embedded();

    public ConnectorBench(Options options, PrintStream out) {
        if (options.rate() <= 0 || options.buyers() < 1 || options.duration().compareTo(options.warmup()) <= 0) {
            throw new IllegalArgumentException("need rate > 0, buyers >= 1 and duration > warmup: " + options);
        }
        this.options = options;
        this.out = out;
    }

    /** Parses {@code args} as the subcommand does and runs the bench; returns the exit code. */
    public static int run(String[] args) {
        return new CommandLine(new ConnectorBenchCommand())
                .registerConverter(Duration.class, new DurationConverter())
                .execute(args);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    @Command(name = "connector-bench", mixinStandardHelpOptions = true,
            description = "Pings loopback buyers through the buyer-connector alone (embedded broker, pings produced "
                    + "directly) and prints pings/s, bids/s and ping-to-bid latency percentiles.")
    public static final class ConnectorBenchCommand implements Callable<Integer> {
        @Option(names = "--rate", defaultValue = "500", description = "Pings per second (default ${DEFAULT-VALUE}).")
        double rate;
        @Option(names = "--buyers", defaultValue = "8", description = "Loopback buyers named on every ping (default ${DEFAULT-VALUE}).")
        int buyers;
        @Option(names = "--duration", defaultValue = "20s", description = "How long to ping, warm-up included (default ${DEFAULT-VALUE}).")
        Duration duration;
        @Option(names = "--warmup", defaultValue = "5s", description = "Unmeasured start (default ${DEFAULT-VALUE}).")
        Duration warmup;
        @Option(names = "--partitions", defaultValue = "4", description = "Partitions of the lead-keyed topics (default ${DEFAULT-VALUE}).")
        int partitions;
        @Option(names = "--seed", defaultValue = "42", description = "Seed of the simulated buyers (default ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() throws Exception {
            Options options = new Options(rate, buyers, duration, warmup, partitions, seed);
            Result result = new ConnectorBench(options, System.out).run();
            System.out.println(result.summaryLine(options));
            return result.missingBids() == 0 ? 0 : 1;
        }
    }

    public Result run() throws Exception {
        out.printf(Locale.ROOT, "connector-bench: %.0f pings/s to %d buyers for %ds (first %ds unmeasured), %d cores%n",
                options.rate(), options.buyers(), options.duration().toSeconds(), options.warmup().toSeconds(),
                Runtime.getRuntime().availableProcessors());
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.onFreePorts().start();
             BuyerFarm farm = BuyerFarm.start(BuyerFarm.fastSpecs(options.buyers(), 0, options.seed()),
                     SimulatedBuyer.Memory.COUNTS);
             KafkaProducer<String, byte[]> producer = producer(broker.clients())) {
            try (Admin admin = broker.admin()) {
                TopicProvisioner.ensureTopics(admin, topics, options.partitions(), (short) 1);
            }
            writeBuyers(producer, farm.configs());
            List<String> buyerIds = farm.configs().stream().map(BuyerConfig::getBuyerId).toList();
            ConnectorConfig config = ConnectorConfig.defaults(broker.bootstrapServers());
            ThreadComponents components = new ThreadComponents("no-streams-app", config.groupId());
            try (BuyerConnector connector = BuyerConnector.start(config);
                 BidReader bids = new BidReader(broker.clients(), buyerIds.size());
                 ThreadCpuMeter meter = new ThreadCpuMeter(components, Duration.ofSeconds(1))) {
                bids.start();
                Result result = ping(producer, buyerIds, bids, meter);
                out.println(connector.stats().progressLine());
                return result;
            }
        }
    }

    /** Produces pings at the target rate, then waits for the measured pings' bids. */
    private Result ping(KafkaProducer<String, byte[]> producer, List<String> buyerIds, BidReader bids,
                        ThreadCpuMeter meter) throws InterruptedException {
        LeadPreview preview = LeadPreview.newBuilder().setVertical("auto_insurance").setSourceId("bench")
                .setState("TX").setZip("75001").setScore(70).setLeadAgeMs(0).setAttributes(Map.of()).build();
        long intervalNanos = (long) (TimeUnit.SECONDS.toNanos(1) / options.rate());
        long startNanos = System.nanoTime();
        long warmupEndNanos = startNanos + options.warmup().toNanos();
        long endNanos = startNanos + options.duration().toNanos();
        long measuredFromNanos = -1;
        long measuredPings = 0;
        long nextReportNanos = startNanos + TimeUnit.SECONDS.toNanos(5);
        for (long i = 0; ; i++) {
            long due = startNanos + i * intervalNanos;
            if (due >= endNanos) {
                break;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            long now = System.nanoTime();
            boolean measured = now >= warmupEndNanos;
            if (measured && measuredFromNanos < 0) {
                measuredFromNanos = now;
                bids.startMeasuring();
                meter.start();
            }
            String leadId = (measured ? "m-" : "w-") + i;
            long pingedAt = System.currentTimeMillis();
            Ping ping = Ping.newBuilder().setLeadId(leadId).setCampaignId("bench").setFloorCents(100)
                    .setPingedAt(pingedAt).setDeadlineAt(pingedAt + DEADLINE_MS).setBuyers(buyerIds)
                    .setPreview(preview).build();
            if (measured) {
                bids.expect(leadId, pingedAt);
                measuredPings++;
            }
            producer.send(new ProducerRecord<>(Topics.PINGS, leadId,
                    topics.pings().valueSerde().serializer().serialize(Topics.PINGS, ping)));
            if (now >= nextReportNanos) {
                out.printf(Locale.ROOT, "  %ds: %d pings sent, %d bids read%n",
                        TimeUnit.NANOSECONDS.toSeconds(now - startNanos), i + 1, bids.read());
                nextReportNanos += TimeUnit.SECONDS.toNanos(5);
            }
        }
        producer.flush();
        double measuredSeconds = (System.nanoTime() - measuredFromNanos) / 1e9;
        bids.awaitAll(DRAIN);
        return bids.result(measuredPings, measuredSeconds, meter.stop());
    }

    private void writeBuyers(KafkaProducer<String, byte[]> producer, List<BuyerConfig> buyers)
            throws InterruptedException {
        List<Future<?>> sends = new ArrayList<>();
        for (BuyerConfig buyer : buyers) {
            sends.add(producer.send(new ProducerRecord<>(Topics.CONFIG_BUYERS, buyer.getBuyerId(),
                    topics.buyers().valueSerde().serializer().serialize(Topics.CONFIG_BUYERS, buyer))));
        }
        producer.flush();
        for (Future<?> send : sends) {
            try {
                send.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("cannot write buyer configs: " + e.getCause().getMessage(), e);
            }
        }
    }

    private static KafkaProducer<String, byte[]> producer(KafkaClients kafka) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "connector-bench-pinger");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // Like the streams app's hot path: every ping leaves at once.
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return new KafkaProducer<>(kafka.producer(props), new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Reads the bids topic on its own thread and records, for each measured ping, the time from its
     * {@code pingedAt} to each of its bids being read.
     */
    private final class BidReader implements AutoCloseable {

        private final KafkaConsumer<String, byte[]> consumer;
        private final int buyersPerPing;
        private final Map<String, Long> pingedAt = new ConcurrentHashMap<>();
        private final Map<String, Integer> outstanding = new ConcurrentHashMap<>();
        private final Histogram latencyMs = new Histogram(TimeUnit.MINUTES.toMillis(10), 3);
        private final Map<BidStatus, Long> byStatus = new EnumMap<>(BidStatus.class);
        private final AtomicLong read = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread = new Thread(this::readAll, "connector-bench-bids");
        private volatile long measuringSinceNanos = -1;
        private volatile long lastMeasuredBidNanos;
        private long measuredBids;

        BidReader(KafkaClients kafka, int buyersPerPing) {
            this.buyersPerPing = buyersPerPing;
            Map<String, Object> props = new HashMap<>();
            props.put(ConsumerConfig.CLIENT_ID_CONFIG, "connector-bench-bids");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
            this.consumer = new KafkaConsumer<>(kafka.consumer(props), new StringDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.BIDS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void startMeasuring() {
            measuringSinceNanos = System.nanoTime();
        }

        /** Registered before the ping is sent, so its bids can never arrive first. */
        void expect(String leadId, long pingedAtMillis) {
            outstanding.put(leadId, buyersPerPing);
            pingedAt.put(leadId, pingedAtMillis);
        }

        long read() {
            return read.get();
        }

        private void readAll() {
            try {
                while (running.get()) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                        long readAt = System.currentTimeMillis();
                        read.incrementAndGet();
                        Long sentAt = pingedAt.get(record.key());
                        if (sentAt == null) {
                            continue;
                        }
                        List<Bid> answers = RoundAnswers.each(
                                topics.bids().valueSerde().deserializer().deserialize(Topics.BIDS, record.value()));
                        synchronized (this) {
                            for (Bid bid : answers) {
                                latencyMs.recordValue(Math.max(0, Math.min(latencyMs.getHighestTrackableValue(),
                                        readAt - sentAt)));
                                byStatus.merge(bid.getStatus(), 1L, Long::sum);
                                measuredBids++;
                            }
                        }
                        lastMeasuredBidNanos = System.nanoTime();
                        if (outstanding.merge(record.key(), -answers.size(), Integer::sum) <= 0) {
                            outstanding.remove(record.key());
                            pingedAt.remove(record.key());
                        }
                    }
                }
            } catch (org.apache.kafka.common.errors.WakeupException e) {
                // closing
            }
        }

        void awaitAll(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!outstanding.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }

        synchronized Result result(long pings, double sendSeconds, ThreadCpuMeter.Usage cpu) {
            long missing = outstanding.values().stream().mapToLong(Integer::longValue).sum();
            // Bids per second over the span in which measured bids were read.
            double readSeconds = Math.max(sendSeconds, (lastMeasuredBidNanos - measuringSinceNanos) / 1e9);
            return new Result(pings / sendSeconds, measuredBids / readSeconds,
                    latencyMs.getValueAtPercentile(50), latencyMs.getValueAtPercentile(90),
                    latencyMs.getValueAtPercentile(99), latencyMs.getMaxValue(), pings, measuredBids,
                    Map.copyOf(byStatus), missing, cpu);
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            consumer.wakeup();
            thread.join(5000);
            consumer.close(Duration.ofSeconds(2));
        }
    }
}
