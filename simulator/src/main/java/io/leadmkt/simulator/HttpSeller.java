package io.leadmkt.simulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sellers sending leads to the HTTP intake ({@code POST /v1/leads}) the way a careful integration
 * does, so a run can show what the door's load shedding means to them:
 * <ul>
 *   <li>at most {@code maxInFlight} requests at once; the rest wait their turn, oldest first;</li>
 *   <li>{@code 202} is final: the marketplace has the lead;</li>
 *   <li>{@code 400} or {@code 413} is final: the lead is refused, and {@link Listener#refused} says why;</li>
 *   <li>{@code 503} or {@code 429} is retried with the same {@code leadId} (nothing was written) after the
 *       {@code Retry-After} it names, and each further refusal of the same lead waits longer (doubling, up
 *       to a maximum backoff, {@link #MAX_BACKOFF} unless told otherwise; never less than the
 *       {@code Retry-After}), with up to a quarter more at random, so refused leads do not all come back in
 *       the same second;</li>
 *   <li>a connection failure or another status is retried the same way after a second;</li>
 *   <li>a lead not taken within {@code patience} of its first offer is given up ({@link Listener#gaveUp}):
 *       a lead's value falls with its age, and a seller sells it elsewhere.</li>
 * </ul>
 * Thread-safe.
 */
public final class HttpSeller implements AutoCloseable {
    /** The longest a seller's own doubling backoff grows between two tries of one lead. */
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** A lead the intake refused for good: its status and the answer's body (which names the bad fields). */
    public record Refusal(String leadId, int status, String body) {
    }

    /** Told about leads that end at the door. Called on the seller's threads; must not block. */
    public interface Listener {
        void refused(Refusal refusal);

        void gaveUp(String leadId, int attempts);
    }

    /** A listener that keeps what it is told, for a run or a test to look at afterwards. */
    public static final class Recording implements Listener {
        private final List<Refusal> refused = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final List<String> gaveUp = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void refused(Refusal refusal) {
            refused.add(refusal);
        }

        @Override
        public void gaveUp(String leadId, int attempts) {
            gaveUp.add(leadId);
        }

        public List<Refusal> refused() {
            return List.copyOf(refused);
        }

        public List<String> gaveUp() {
            return List.copyOf(gaveUp);
        }
    }

    /**
     * What the door did to the leads offered.
     *
     * @param overloadedAnswers {@code 503 overloaded} answers (a lead can get several)
     * @param otherFailures     connection failures and other statuses, retried
     * @param retriedLeads      leads sent more than once
     * @param waiting           leads neither taken, refused nor given up yet
     * @param waitP50Ms         from a taken lead's first offer to its taking attempt: what the door cost the seller
     * @param answerP50Ms       the taking attempt, from its start to its 202
     */
    public record Stats(long offered, long accepted, long refused, long gaveUp, long overloadedAnswers,
                        long otherFailures, long retriedLeads, long waiting, long waitP50Ms, long waitP99Ms,
                        long waitMaxMs, long answerP50Ms, long answerP99Ms) {
        /** One JSON object, for the demo's summary line. */
        public String toJson() {
            return String.format(Locale.ROOT, "{\"offered\":%d,\"accepted\":%d,\"refused\":%d,\"gave_up\":%d,"
                            + "\"overloaded_answers\":%d,\"other_failures\":%d,\"retried_leads\":%d,\"waiting\":%d,"
                            + "\"seller_wait_ms\":{\"p50\":%d,\"p99\":%d,\"max\":%d},"
                            + "\"accepted_answer_ms\":{\"p50\":%d,\"p99\":%d}}",
                    offered, accepted, refused, gaveUp, overloadedAnswers, otherFailures, retriedLeads, waiting,
                    waitP50Ms, waitP99Ms, waitMaxMs, answerP50Ms, answerP99Ms);
        }
    }

    private static final class Offer {
        final String leadId;
        final byte[] body;
        final long firstNanos;
        int attempts;
        volatile long attemptNanos;
        volatile boolean sending;
        volatile boolean done;

        Offer(String leadId, byte[] body, long firstNanos) {
            this.leadId = leadId;
            this.body = body;
            this.firstNanos = firstNanos;
        }
    }

    private final List<URI> intakes;
    /** Requests sent so far: which of {@link #intakes} the next one goes to. */
    private final AtomicLong requests = new AtomicLong();
    private final String apiKey;
    private final Duration patience;
    private final Duration maxBackoff;
    private final Listener listener;
    private final Semaphore permits;
    private final Queue<Offer> ready = new ConcurrentLinkedQueue<>();
    private final Map<String, Offer> offers = new ConcurrentHashMap<>();
    private final ExecutorService io;
    private final HttpClient client;
    private final ScheduledExecutorService timer;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong gaveUp = new AtomicLong();
    private final AtomicLong overloadedAnswers = new AtomicLong();
    private final AtomicLong otherFailures = new AtomicLong();
    private final AtomicLong retriedLeads = new AtomicLong();
    private final List<Long> waitsMs = new ArrayList<>();
    private final List<Long> answersMs = new ArrayList<>();

    /**
     * @param intake      the {@code POST /v1/leads} URL
     * @param apiKey      a seller's key for the sources the leads name
     * @param maxInFlight requests at once
     * @param patience    how long after its first offer a lead is given up
     */
    public HttpSeller(URI intake, String apiKey, int maxInFlight, Duration patience, Listener listener) {
        this(intake, apiKey, maxInFlight, patience, MAX_BACKOFF, listener);
    }

    /** @param maxBackoff the longest the seller's own doubling backoff grows (a test's sellers come back sooner) */
    public HttpSeller(URI intake, String apiKey, int maxInFlight, Duration patience, Duration maxBackoff,
                      Listener listener) {
        this(List.of(intake), apiKey, maxInFlight, patience, maxBackoff, listener);
    }

    /**
     * Sellers behind a load balancer's round robin: each request, a retry too, goes to the next of {@code
     * intakes} (the {@code POST /v1/leads} URLs of several instances).
     */
    public HttpSeller(List<URI> intakes, String apiKey, int maxInFlight, Duration patience, Duration maxBackoff,
                      Listener listener) {
        if (intakes.isEmpty()) {
            throw new IllegalArgumentException("no intake URL");
        }
        this.intakes = List.copyOf(intakes);
        this.apiKey = apiKey;
        this.patience = patience;
        this.maxBackoff = maxBackoff;
        this.listener = listener;
        this.permits = new Semaphore(maxInFlight);
        this.io = Executors.newFixedThreadPool(2, daemon("http-seller-io"));
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(io)
                .connectTimeout(Duration.ofSeconds(5)).build();
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("http-seller-retry"));
    }

    /** The generator's sink: each lead as JSON (UNDECODABLE input as its bytes, which the intake refuses). */
    public LeadGenerator.Sink sink() {
        return (sent, undecodable) -> offer(sent.leadId(), sent.lead() == null ? undecodable : LeadJson.of(sent.lead()));
    }

    /** Sends {@code body} as lead {@code leadId} now or when a request slot frees up. */
    public void offer(String leadId, byte[] body) {
        Offer offer = new Offer(leadId, body, System.nanoTime());
        offers.put(leadId, offer);
        ready.add(offer);
        pump();
    }

    /** When the attempt that got the lead taken (or the latest one) was started, in {@link System#nanoTime()}. */
    public OptionalLong attemptNanos(String leadId) {
        Offer offer = offers.get(leadId);
        return offer == null || offer.attempts == 0 ? OptionalLong.empty() : OptionalLong.of(offer.attemptNanos);
    }

    /** Gives up every lead waiting for a try (the run is over); one whose request is out gets its answer. */
    public void giveUpWaiting() {
        offers.values().stream().filter(offer -> !offer.sending).forEach(this::finishGivingUp);
    }

    public Stats stats() {
        long[] waits;
        long[] answers;
        synchronized (waitsMs) {
            waits = waitsMs.stream().mapToLong(Long::longValue).sorted().toArray();
            answers = answersMs.stream().mapToLong(Long::longValue).sorted().toArray();
        }
        long offered = offers.size();
        return new Stats(offered, accepted.get(), refused.get(), gaveUp.get(), overloadedAnswers.get(),
                otherFailures.get(), retriedLeads.get(), offered - accepted.get() - refused.get() - gaveUp.get(),
                percentile(waits, 50), percentile(waits, 99), waits.length == 0 ? 0 : waits[waits.length - 1],
                percentile(answers, 50), percentile(answers, 99));
    }

    private void pump() {
        while (!ready.isEmpty() && permits.tryAcquire()) {
            Offer offer = ready.poll();
            if (offer == null) {
                permits.release();
                return;
            }
            send(offer);
        }
    }

    private void send(Offer offer) {
        synchronized (offer) {
            if (offer.done) {
                permits.release();
                return;
            }
            offer.attempts++;
            offer.attemptNanos = System.nanoTime();
            offer.sending = true;
        }
        HttpRequest request = HttpRequest.newBuilder(intakes.get((int) (requests.getAndIncrement() % intakes.size())))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .timeout(REQUEST_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(offer.body))
                .build();
        client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
            offer.sending = false;
            permits.release();
            try {
                answered(offer, response, error);
            } finally {
                pump();
            }
        });
    }

    private void answered(Offer offer, HttpResponse<String> response, Throwable error) {
        if (error != null) {
            otherFailures.incrementAndGet();
            retry(offer, 1);
            return;
        }
        int status = response.statusCode();
        if (status == 202) {
            if (finish(offer)) {
                accepted.incrementAndGet();
                synchronized (waitsMs) {
                    waitsMs.add(TimeUnit.NANOSECONDS.toMillis(offer.attemptNanos - offer.firstNanos));
                    answersMs.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - offer.attemptNanos));
                }
            }
        } else if (status == 400 || status == 413) {
            if (finish(offer)) {
                refused.incrementAndGet();
                listener.refused(new Refusal(offer.leadId, status, response.body()));
            }
        } else if (status == 503 || status == 429) {
            if (response.body() != null && response.body().contains("\"overloaded\"")) {
                overloadedAnswers.incrementAndGet();
            } else {
                otherFailures.incrementAndGet();
            }
            retry(offer, response.headers().firstValueAsLong("Retry-After").orElse(1));
        } else {
            otherFailures.incrementAndGet();
            retry(offer, 1);
        }
    }

    private void retry(Offer offer, long retryAfterSeconds) {
        if (System.nanoTime() - offer.firstNanos > patience.toNanos()) {
            finishGivingUp(offer);
            return;
        }
        if (offer.attempts == 1) {
            retriedLeads.incrementAndGet();
        }
        long delayMs = backoffMs(retryAfterSeconds, offer.attempts, maxBackoff.toMillis(),
                ThreadLocalRandom.current().nextDouble());
        timer.schedule(() -> {
            ready.add(offer);
            pump();
        }, delayMs, TimeUnit.MILLISECONDS);
    }

    /**
     * How long to wait before the next try of a lead refused {@code attempts} times, the last time with
     * {@code Retry-After: retryAfterSeconds}: the longer of that and the doubling backoff (1, 2, 4, ... s,
     * at most {@code maxBackoffMs}), plus {@code jitter} (0 to 1) of a quarter of it.
     */
    static long backoffMs(long retryAfterSeconds, int attempts, long maxBackoffMs, double jitter) {
        long doubling = Math.min(maxBackoffMs, 1000L << Math.min(20, Math.max(0, attempts - 1)));
        long base = Math.max(TimeUnit.SECONDS.toMillis(retryAfterSeconds), doubling);
        return base + (long) (base * 0.25 * jitter);
    }

    private void finishGivingUp(Offer offer) {
        if (finish(offer)) {
            gaveUp.incrementAndGet();
            listener.gaveUp(offer.leadId, offer.attempts);
        }
    }

    /** Marks {@code offer} done; true the first time only. */
    private static boolean finish(Offer offer) {
        synchronized (offer) {
            if (offer.done) {
                return false;
            }
            offer.done = true;
            return true;
        }
    }

    private static long percentile(long[] sorted, double percentile) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        timer.shutdownNow();
        io.shutdownNow();
    }
}
