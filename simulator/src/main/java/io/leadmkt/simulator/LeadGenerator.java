package io.leadmkt.simulator;

import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.Consent;
import io.leadmkt.schema.Contact;
import io.leadmkt.schema.IdentityHash;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.Profile;
import io.leadmkt.schema.SuppressionEntry;
import io.leadmkt.schema.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Produces leads to {@code leads.inbound} (key = lead id) the way sellers do: mostly good ones, plus
 * a configurable fraction of the bad input intake must refuse. It remembers, for every lead id, when
 * it was sent and what intake should make of it, so a run can be checked lead by lead.
 *
 * <p>Thread-safe: {@link #start()} sends from a scheduler at the target rate while other threads
 * may {@link #send(Kind)} specific leads.
 */
public final class LeadGenerator implements AutoCloseable {
    /** The affiliates generated leads come from. */
    public static final List<String> SOURCES = java.util.stream.IntStream.range(100, 108)
            .mapToObj(n -> "aff-" + n).toList();


    /** What a generated lead is, and so what intake should do with it. */
    public enum Kind {
        VALID(null),
        INVALID_PHONE("INVALID"),
        INVALID_ZIP("INVALID"),
        NO_CONSENT("NO_CONSENT"),
        SUPPRESSED("SUPPRESSED"),
        DUPLICATE("DUPLICATE"),
        UNDECODABLE("UNDECODABLE");

        private final String reasonCode;

        Kind(String reasonCode) {
            this.reasonCode = reasonCode;
        }

        /** The rejection reason code intake should give; empty for a lead that should reach an auction. */
        public Optional<String> expectedReasonCode() {
            return Optional.ofNullable(reasonCode);
        }
    }

    private static final List<Kind> BAD_KINDS = List.of(Kind.INVALID_PHONE, Kind.INVALID_ZIP, Kind.NO_CONSENT,
            Kind.SUPPRESSED, Kind.DUPLICATE, Kind.UNDECODABLE);

    /** Do-not-contact numbers (E.164). The demo writes their hashes to {@code config.suppression}. */
    public static final List<String> SUPPRESSED_PHONES = List.of("+15125550100", "+12145550101", "+13055550102",
            "+13125550103", "+16025550104", "+14045550105", "+17045550106", "+12065550107");

    /** Leads this many sends back or older may be duplicated, so the original is through intake first. */
    private static final int DUPLICATE_DISTANCE = 20;

    /**
     * @param ratePerSecond leads per second when running with {@link #start()}
     * @param badFraction   share of leads that are bad input, spread evenly over the bad kinds
     * @param seed          seed of every random choice
     * @param campaigns     campaigns leads are generated for (each lead gets the campaign's vertical)
     */
    public record Options(double ratePerSecond, double badFraction, long seed, List<CampaignConfig> campaigns) {
        public Options {
            if (campaigns.isEmpty()) {
                throw new IllegalArgumentException("at least one campaign is needed");
            }
            if (badFraction < 0 || badFraction > 1) {
                throw new IllegalArgumentException("badFraction must be within [0, 1]");
            }
            campaigns = List.copyOf(campaigns);
        }
    }

    /**
     * One lead as sent.
     *
     * @param lead        the record, or null for UNDECODABLE bytes
     * @param sentAtNanos {@link System#nanoTime()} just before the send, for latency in this JVM
     */
    public record Sent(String leadId, Kind kind, long sentAtMillis, long sentAtNanos, Lead lead) {
    }

    /**
     * Where a generated lead goes: {@code leads.inbound} through a producer (a seller on Kafka), or the
     * HTTP intake ({@link HttpSeller}). Called under the generator's lock, so it must not block.
     */
    public interface Sink {
        /**
         * @param sent the lead as sent ({@link Sent#lead()} null for UNDECODABLE input)
         * @param undecodable the bytes of an UNDECODABLE lead; null otherwise
         */
        void send(Sent sent, byte[] undecodable);

        /** Pushes out whatever is buffered (the generator has stopped). */
        default void flush() {
        }
    }

    private final Sink sink;
    private final AtomicLong failedSends = new AtomicLong();
    private final Options options;
    private final Random random;
    private final Map<String, Sent> sent = new ConcurrentHashMap<>();
    private final Map<Kind, AtomicLong> counts = new EnumMap<>(Kind.class);
    private final List<Lead> validHistory = new ArrayList<>();
    private final Set<String> usedPhones = new HashSet<>();
    private ScheduledExecutorService scheduler;

    public LeadGenerator(Producer<String, byte[]> producer, Topics topics, Options options) {
        this(producer, topics, options, lead -> null);
    }

    /**
     * @param partitionOf the partition to send a lead to, null for the producer's choice (by lead id): a
     *                    source that knows the app's partitioning sends each lead to its consumer's
     */
    public LeadGenerator(Producer<String, byte[]> producer, Topics topics, Options options,
                         Function<Lead, Integer> partitionOf) {
        this(options, null, producer, topics, partitionOf);
    }

    /** Leads go to {@code sink} instead of a producer (e.g. {@link HttpSeller#sink()}). */
    public LeadGenerator(Options options, Sink sink) {
        this(options, sink, null, null, null);
    }

    private LeadGenerator(Options options, Sink sink, Producer<String, byte[]> producer, Topics topics,
                          Function<Lead, Integer> partitionOf) {
        this.sink = sink != null ? sink : kafkaSink(producer, topics, partitionOf, failedSends);
        this.options = options;
        this.random = new Random(options.seed());
        for (Kind kind : Kind.values()) {
            counts.put(kind, new AtomicLong());
        }
        usedPhones.addAll(SUPPRESSED_PHONES);
    }

    /** A seller writing Avro to {@code leads.inbound}, each lead to the partition {@code partitionOf} names. */
    private static Sink kafkaSink(Producer<String, byte[]> producer, Topics topics, Function<Lead, Integer> partitionOf,
                                  AtomicLong failedSends) {
        String topic = topics.leadsInbound().name();
        Serializer<Lead> serializer = topics.leadsInbound().valueSerde().serializer();
        return new Sink() {
            @Override
            public void send(Sent sent, byte[] undecodable) {
                byte[] bytes = sent.lead() == null ? undecodable : serializer.serialize(topic, sent.lead());
                Integer partition = sent.lead() == null ? null : partitionOf.apply(sent.lead());
                producer.send(new ProducerRecord<>(topic, partition, sent.leadId(), bytes), (metadata, error) -> {
                    if (error != null) {
                        failedSends.incrementAndGet();
                    }
                });
            }

            @Override
            public void flush() {
                producer.flush();
            }
        };
    }

    /** The suppression list matching {@link #SUPPRESSED_PHONES}, keyed by hash on {@code config.suppression}. */
    public static List<SuppressionEntry> suppressionEntries(long addedAt) {
        return SUPPRESSED_PHONES.stream()
                .map(phone -> SuppressionEntry.newBuilder()
                        .setHash(IdentityHash.ofPhone(phone))
                        .setKind("phone")
                        .setReason("consumer_request")
                        .setAddedAt(addedAt)
                        .build())
                .toList();
    }

    /** Sends leads at {@link Options#ratePerSecond()} until {@link #stop()}. */
    public synchronized void start() {
        if (scheduler != null) {
            throw new IllegalStateException("already started");
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "lead-generator");
            thread.setDaemon(true);
            return thread;
        });
        long startedAt = System.nanoTime();
        AtomicLong issued = new AtomicLong();
        // A token bucket refilled from elapsed time: the rate holds even when a tick runs late.
        scheduler.scheduleAtFixedRate(() -> {
            double elapsedSeconds = (System.nanoTime() - startedAt) / 1e9;
            long due = (long) (elapsedSeconds * options.ratePerSecond());
            while (issued.get() < due && !Thread.currentThread().isInterrupted()) {
                sendNext();
                issued.incrementAndGet();
            }
        }, 0, 5, TimeUnit.MILLISECONDS);
    }

    /** Stops the scheduled sending and flushes what was sent. */
    public void stop() {
        ScheduledExecutorService running;
        synchronized (this) {
            running = scheduler;
            scheduler = null;
        }
        if (running != null) {
            running.shutdownNow();
            try {
                running.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        sink.flush();
    }

    /** Sends one lead whose kind is drawn per {@link Options#badFraction()}. */
    public synchronized Sent sendNext() {
        Kind kind = Kind.VALID;
        if (random.nextDouble() < options.badFraction()) {
            kind = SampleData.pick(random, BAD_KINDS);
        }
        if (kind == Kind.DUPLICATE && validHistory.isEmpty()) {
            kind = Kind.VALID;
        }
        return send(kind);
    }

    /** Sends one lead of the given kind. DUPLICATE needs an earlier VALID lead to copy. */
    public synchronized Sent send(Kind kind) {
        String leadId = newLeadId();
        long now = System.currentTimeMillis();
        byte[] undecodable = null;
        Lead lead = null;
        if (kind == Kind.UNDECODABLE) {
            undecodable = ("{\"leadId\":\"" + leadId + "\",\"note\":\"JSON where Avro belongs, and cut sho")
                    .getBytes(StandardCharsets.UTF_8);
        } else {
            lead = lead(kind, leadId, now);
        }
        Sent record = new Sent(leadId, kind, now, System.nanoTime(), lead);
        sent.put(leadId, record);
        counts.get(kind).incrementAndGet();
        sink.send(record, undecodable);
        return record;
    }

    /** A lead of the given kind without sending it (for HTTP intake or hand-made tests). */
    public synchronized Lead lead(Kind kind) {
        if (kind == Kind.UNDECODABLE) {
            throw new IllegalArgumentException("UNDECODABLE input is bytes, not a Lead");
        }
        return lead(kind, newLeadId(), System.currentTimeMillis());
    }

    private Lead lead(Kind kind, String leadId, long now) {
        CampaignConfig campaign = SampleData.pick(random, options.campaigns());
        if (kind == Kind.DUPLICATE) {
            if (validHistory.isEmpty()) {
                throw new IllegalStateException("a DUPLICATE needs an earlier VALID lead");
            }
            int newest = Math.max(0, validHistory.size() - 1 - DUPLICATE_DISTANCE);
            Lead original = validHistory.get(random.nextInt(newest + 1));
            return Lead.newBuilder(original)
                    .setLeadId(leadId)
                    .setCreatedAt(now)
                    .setEnrichment(null)
                    .build();
        }
        SampleData.Place place = SampleData.pick(random, SampleData.PLACES);
        String first = SampleData.pick(random, SampleData.FIRST_NAMES);
        String last = SampleData.pick(random, SampleData.LAST_NAMES);
        String phone = switch (kind) {
            case INVALID_PHONE -> SampleData.pick(random, List.of("555-0147", "(123) 456-7890", "call me maybe",
                    "512-555-01478"));
            case SUPPRESSED -> SampleData.humanFormat(random, SampleData.pick(random, SUPPRESSED_PHONES).substring(2));
            default -> SampleData.humanFormat(random, uniqueNationalNumber(place));
        };
        String zip = kind == Kind.INVALID_ZIP
                ? SampleData.pick(random, List.of("7870", "ABCDE", "787012", "00000-"))
                : SampleData.zip(random, place);
        Contact contact = Contact.newBuilder()
                .setFirstName(first)
                .setLastName(last)
                .setEmail((first + "." + last + (1 + random.nextInt(999)) + "@"
                        + SampleData.pick(random, SampleData.EMAIL_DOMAINS)).toLowerCase(Locale.ROOT))
                .setPhone(phone)
                .setStreetAddress((100 + random.nextInt(9900)) + " " + SampleData.pick(random, SampleData.STREETS))
                .setIpAddress("198.51.100." + (1 + random.nextInt(254)))
                .build();
        Profile profile = Profile.newBuilder()
                .setVertical(campaign.getVertical())
                .setState(place.state())
                .setZip(zip)
                .setCity(place.city())
                .setAttributes(new HashMap<>(SampleData.attributes(random, campaign.getVertical())))
                .build();
        Consent consent = kind == Kind.NO_CONSENT ? null : Consent.newBuilder()
                .setMethod("web_form")
                .setCertificateId("https://cert.trustedform.example/" + Long.toHexString(random.nextLong()))
                .setCapturedAt(now - 1_000 - random.nextInt(60_000))
                .setDisclosure("By clicking Get Quotes I agree to be contacted by up to 4 partners at the number "
                        + "provided, including by autodialer or prerecorded message.")
                .setPageUrl("https://quotes.example.com/" + campaign.getVertical())
                .build();
        Lead lead = Lead.newBuilder()
                .setLeadId(leadId)
                .setSourceId(SOURCES.get(random.nextInt(SOURCES.size())))
                .setSubId(random.nextInt(3) == 0 ? null : "sub-" + random.nextInt(50))
                .setCampaignId(campaign.getCampaignId())
                .setCreatedAt(now)
                .setContact(contact)
                .setProfile(profile)
                .setConsent(consent)
                .build();
        if (kind == Kind.VALID) {
            validHistory.add(lead);
        }
        return lead;
    }

    private String uniqueNationalNumber(SampleData.Place place) {
        String national;
        do {
            national = SampleData.nationalNumber(random, place);
        } while (!usedPhones.add("+1" + national));
        return national;
    }

    private String newLeadId() {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    /** Every lead sent so far, by lead id. */
    public Map<String, Sent> sent() {
        return Map.copyOf(sent);
    }

    public Optional<Sent> sent(String leadId) {
        return Optional.ofNullable(sent.get(leadId));
    }

    public int sentCount() {
        return sent.size();
    }

    public Map<Kind, Long> countsByKind() {
        Map<Kind, Long> result = new EnumMap<>(Kind.class);
        counts.forEach((kind, count) -> result.put(kind, count.get()));
        return result;
    }

    /** Sends the producer reported as failed (those leads never reached Kafka); 0 with another sink. */
    public long failedSends() {
        return failedSends.get();
    }

    @Override
    public void close() {
        stop();
    }
}
