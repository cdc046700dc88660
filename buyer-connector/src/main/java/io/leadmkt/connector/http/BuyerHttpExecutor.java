package io.leadmkt.connector.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that talks HTTP to buyers: a single {@link OkHttpClient} (one dispatcher, one
 * connection pool) shared by every ping and post, so connections to a buyer are reused and the
 * total number of in-flight requests is bounded.
 *
 * <p>Calls are asynchronous. Each has a hard deadline that starts when the call is sent, not when it
 * is handed over: time queued behind the concurrency cap is ours, and a buyer that answers within its
 * timeout of being called is never late because of it (nor is its latency). Whichever of OkHttp's call
 * timeout or our own guard fires first completes the future with {@link HttpFailure.Kind#TIMEOUT} and
 * cancels the call. A call still queued when its deadline has passed since it was handed over is
 * never sent ({@link HttpFailure.Kind#NOT_SENT}). The returned futures never complete exceptionally.
 */
public final class BuyerHttpExecutor implements AutoCloseable {

    /** Bodies are cut here: a buyer answering megabytes must not cost us megabytes per lead. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private static final Logger log = LoggerFactory.getLogger(BuyerHttpExecutor.class);

    /** Parsed URLs kept: one per buyer endpoint, with room to spare. */
    static final int URLS_KEPT = 1_024;

    private final ExecutorService threads;
    private final OkHttpClient client;
    private final ConcurrentHashMap<String, HttpUrl> urls = new ConcurrentHashMap<>();
    private final int urlsKept;

    public BuyerHttpExecutor(int maxConcurrentRequests) {
        this(maxConcurrentRequests, URLS_KEPT);
    }

    BuyerHttpExecutor(int maxConcurrentRequests, int urlsKept) {
        this.urlsKept = urlsKept;
        int max = Math.max(1, maxConcurrentRequests);
        AtomicInteger n = new AtomicInteger();
        // OkHttp's own default executor, but with named daemon threads we can shut down.
        this.threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> {
                    Thread t = new Thread(r, "buyer-http-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        Dispatcher dispatcher = new Dispatcher(threads);
        dispatcher.setMaxRequests(max);
        // Many buyers may sit behind one host (a ping tree vendor, the simulator): the cap that
        // matters is the global one.
        dispatcher.setMaxRequestsPerHost(max);
        this.client = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                // Runs on the dispatcher's thread as the call starts: its clock starts here, or it was given up.
                .addInterceptor(chain -> {
                    CallClock clock = chain.request().tag(CallClock.class);
                    if (clock != null && !clock.start()) {
                        throw new IOException("not sent: queued past its deadline");
                    }
                    return chain.proceed(chain.request());
                })
                .connectionPool(new ConnectionPool(Math.min(max, 256), 5, TimeUnit.MINUTES))
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(30))
                .writeTimeout(Duration.ofSeconds(30))
                // A redirect of a POST is a misconfigured buyer, not something to follow with PII.
                .followRedirects(false)
                .followSslRedirects(false)
                .build();
    }

    /**
     * Sends {@code request} and completes with the buyer's answer, or with a failure when there
     * is none within {@code timeoutMs}.
     */
    public CompletableFuture<HttpResult> execute(BuyerRequest request, long timeoutMs) {
        CompletableFuture<HttpResult> result = new CompletableFuture<>();
        CallClock clock = new CallClock();
        Request okRequest;
        try {
            okRequest = toOkHttp(request, clock);
        } catch (IllegalArgumentException e) {
            result.complete(new HttpFailure(HttpFailure.Kind.INVALID_REQUEST, e.getMessage(), 0, System.currentTimeMillis()));
            return result;
        }
        Call call = client.newCall(okRequest);
        // OkHttp's own call timeout starts when the dispatcher runs the call, as our clock does.
        call.timeout().timeout(timeoutMs, TimeUnit.MILLISECONDS);
        result.whenComplete((r, e) -> {
            if (r instanceof HttpFailure f && (f.kind() == HttpFailure.Kind.TIMEOUT || f.kind() == HttpFailure.Kind.NOT_SENT)) {
                call.cancel();
            }
        });
        guard(result, clock, timeoutMs, timeoutMs);
        call.enqueue(new Callback() {
            @Override
            public void onFailure(Call c, IOException e) {
                result.complete(failure(e, clock.startNanos()));
            }

            @Override
            public void onResponse(Call c, Response response) {
                try (response) {
                    BufferedSource source = response.body().source();
                    source.request(MAX_BODY_BYTES + 1L);
                    Buffer buffer = source.getBuffer();
                    boolean truncated = buffer.size() > MAX_BODY_BYTES;
                    byte[] body = buffer.readByteArray(Math.min(buffer.size(), MAX_BODY_BYTES));
                    result.complete(new HttpAnswer(response.code(), body, response.headers().toMultimap(),
                            elapsedMs(clock.startNanos()), System.currentTimeMillis(), truncated));
                } catch (IOException e) {
                    result.complete(failure(e, clock.startNanos()));
                } catch (RuntimeException e) {
                    log.warn("unexpected failure reading answer from {}", request.url(), e);
                    result.complete(new HttpFailure(HttpFailure.Kind.IO_ERROR, String.valueOf(e),
                            elapsedMs(clock.startNanos()), System.currentTimeMillis()));
                }
            }
        });
        return result;
    }

    /**
     * Completes {@code result} when its call's deadline has passed: {@code timeoutMs} after the call was
     * sent, or, if it is still queued {@code timeoutMs} after it was handed over, at once and unsent. One
     * timer per call when it is sent at once (the usual case); a call that queued gets a second for the rest.
     */
    private static void guard(CompletableFuture<HttpResult> result, CallClock clock, long timeoutMs, long delayMs) {
        CompletableFuture.delayedExecutor(delayMs, TimeUnit.MILLISECONDS, Runnable::run).execute(() -> {
            if (result.isDone()) {
                return;
            }
            if (clock.giveUp()) {
                result.complete(new HttpFailure(HttpFailure.Kind.NOT_SENT, "queued behind the concurrency cap for "
                        + timeoutMs + " ms", 0, System.currentTimeMillis()));
                return;
            }
            long left = timeoutMs - elapsedMs(clock.startNanos());
            if (left > 1) {
                guard(result, clock, timeoutMs, left);
            } else {
                result.complete(new HttpFailure(HttpFailure.Kind.TIMEOUT, "no answer within " + timeoutMs + " ms",
                        timeoutMs, System.currentTimeMillis()));
            }
        });
    }

    /** When a call was sent; a call is either sent or given up, never both. */
    private static final class CallClock {
        private static final long QUEUED = Long.MIN_VALUE;
        private static final long GIVEN_UP = Long.MIN_VALUE + 1;
        private final AtomicLong sentAt = new AtomicLong(QUEUED);

        /** The call is being sent now; false if it was given up. */
        boolean start() {
            return sentAt.compareAndSet(QUEUED, System.nanoTime());
        }

        /** Gives the call up unless it was sent; true if it was given up. */
        boolean giveUp() {
            return sentAt.compareAndSet(QUEUED, GIVEN_UP) || sentAt.get() == GIVEN_UP;
        }

        /** When the call was sent (now, if it was not: its latency is then 0). */
        long startNanos() {
            long at = sentAt.get();
            return at == QUEUED || at == GIVEN_UP ? System.nanoTime() : at;
        }
    }

    /**
     * Sends {@code calls} requests at once to a throwaway server on loopback and waits for their
     * answers, so that the first real leads do not pay for class loading, the first compilations and
     * thread creation in the HTTP stack (measured: a cold connector's first burst of 40 pings took
     * ~360 ms against buyers that answer at once — most of a 500 ms budget). No buyer is called.
     *
     * @return how many of the calls got an answer
     */
    public int warmUp(int calls, Duration timeout) {
        com.sun.net.httpserver.HttpServer server;
        try {
            server = com.sun.net.httpserver.HttpServer.create(
                    new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), calls);
        } catch (IOException e) {
            log.warn("cannot warm up the HTTP client: {}", e.toString());
            return 0;
        }
        ExecutorService serverThreads = java.util.concurrent.Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "buyer-http-warmup");
            t.setDaemon(true);
            return t;
        });
        byte[] answer = "{\"bid\":false,\"reason\":\"warm-up\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            }
        });
        server.setExecutor(serverThreads);
        server.start();
        try {
            String url = "http://" + server.getAddress().getAddress().getHostAddress() + ":"
                    + server.getAddress().getPort() + "/warm-up";
            java.util.List<CompletableFuture<HttpResult>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < calls; i++) {
                answers.add(execute(BuyerRequest.post(url, java.util.Map.of(), "application/json",
                        "{\"leadId\":\"warm-up\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)), timeout.toMillis()));
            }
            return (int) answers.stream().map(CompletableFuture::join).filter(HttpAnswer.class::isInstance).count();
        } finally {
            server.stop(0);
            serverThreads.shutdownNow();
            // Not kept: real buyers live elsewhere, and a pooled loopback connection would only linger.
            client.connectionPool().evictAll();
        }
    }

    private Request toOkHttp(BuyerRequest request, CallClock clock) {
        HttpUrl url = url(request.url() == null ? "" : request.url());
        if (url == null) {
            throw new IllegalArgumentException("not an http(s) URL: " + request.url());
        }
        MediaType type = request.contentType() == null ? null : MediaType.parse(request.contentType());
        RequestBody body = request.body() == null ? null : RequestBody.create(request.body(), type);
        Request.Builder builder = new Request.Builder().url(url).method(request.method(), body)
                .tag(CallClock.class, clock);
        request.headers().forEach(builder::header);
        return builder.build();
    }

    /**
     * A buyer's URL, parsed once: parsing canonicalises the host through OkHttp's IDNA table, about a tenth
     * of the connector's CPU samples at 300 leads/s when done on every call. URLs that carry the lead (a
     * query-string format) are all different, so the map is emptied whenever it fills rather than grown.
     */
    private HttpUrl url(String text) {
        HttpUrl parsed = urls.get(text);
        if (parsed == null) {
            parsed = HttpUrl.parse(text);
            if (parsed != null) {
                if (urls.size() >= urlsKept) {
                    urls.clear();
                }
                urls.put(text, parsed);
            }
        }
        return parsed;
    }

    private static HttpFailure failure(IOException e, long startNanos) {
        HttpFailure.Kind kind;
        if (e instanceof ConnectException) {
            kind = HttpFailure.Kind.CONNECTION_REFUSED;
        } else if (e instanceof SSLException) {
            kind = HttpFailure.Kind.TLS_ERROR;
        } else if (e instanceof InterruptedIOException) {
            // OkHttp's call timeout, connect/read socket timeouts
            kind = HttpFailure.Kind.TIMEOUT;
        } else {
            kind = HttpFailure.Kind.IO_ERROR;
        }
        return new HttpFailure(kind, String.valueOf(e.getMessage()), elapsedMs(startNanos), System.currentTimeMillis());
    }

    private static long elapsedMs(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /** Calls not yet answered (running or queued behind the concurrency cap). */
    public int inFlight() {
        return client.dispatcher().runningCallsCount() + client.dispatcher().queuedCallsCount();
    }

    /** Cancels what is still running and releases threads and pooled connections. */
    @Override
    public void close() {
        client.dispatcher().cancelAll();
        threads.shutdown();
        client.connectionPool().evictAll();
        try {
            if (!threads.awaitTermination(1, TimeUnit.SECONDS)) {
                threads.shutdownNow();
            }
        } catch (InterruptedException e) {
            threads.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
