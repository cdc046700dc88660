package io.leadmkt.connector.post;

import io.leadmkt.connector.BuyerDirectory;
import io.leadmkt.connector.adapter.Answers;
import io.leadmkt.connector.adapter.BuyerAdapter;
import io.leadmkt.connector.adapter.TemplateBuyerAdapter;
import io.leadmkt.connector.integration.Sources;
import io.leadmkt.connector.adapter.BuyerAdapters;
import io.leadmkt.connector.adapter.RequestRefusedException;
import io.leadmkt.connector.http.BuyerHttpExecutor;
import io.leadmkt.connector.http.BuyerRequest;
import io.leadmkt.connector.http.HttpAnswer;
import io.leadmkt.connector.http.HttpFailure;
import io.leadmkt.connector.http.HttpResult;
import io.leadmkt.connector.limits.BuyerGate;
import io.leadmkt.connector.limits.BuyerGate.Permit;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.PostResult;
import io.leadmkt.schema.PostStatus;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a {@link Post} (the full lead) to the one buyer it names and turns the answer into
 * exactly one {@link PostResult}; the future never completes exceptionally. No other buyer is
 * ever called. As with pings, the buyer's time counts from its call: the timeout is {@code min(the
 * buyer's post timeout, the post's budget)} however late the post reached us (a restart, a backlog),
 * as long as it is read by its {@code sendBy}; the auction waits for the answer until then. A post
 * read after its {@code sendBy} is not sent (the auction may have moved on to the next-best bid): its
 * result is a TIMEOUT {@value #DEADLINE_PASSED} at once.
 *
 * <p>A post is sent even when the {@link BuyerGate} has the buyer paused or at its limits: the
 * buyer already won this lead with a bid it made while healthy, and refusing the post would turn
 * its win into an error, pushing the lead to a lower bid or to UNSOLD, when the post may well
 * succeed (a pause is a guess about the ping endpoint). Posts do count as the buyer's in-flight
 * requests, and their answers leave its pause state alone.
 */
public final class PostDispatcher {

    private static final Logger log = LoggerFactory.getLogger(PostDispatcher.class);
    /** Reason of the TIMEOUT for a post read after the last moment it could be sent. */
    public static final String DEADLINE_PASSED = io.leadmkt.schema.PostReasons.DEADLINE_PASSED;

    private final BuyerDirectory directory;
    private final BuyerAdapters adapters;
    private final BuyerHttpExecutor http;
    private final Clock clock;
    private final BuyerGate gate;

    public PostDispatcher(BuyerDirectory directory, BuyerAdapters adapters, BuyerHttpExecutor http, Clock clock) {
        this(directory, adapters, http, clock, new BuyerGate(clock));
    }

    public PostDispatcher(BuyerDirectory directory, BuyerAdapters adapters, BuyerHttpExecutor http, Clock clock,
                          BuyerGate gate) {
        this.gate = gate;
        this.directory = directory;
        this.adapters = adapters;
        this.http = http;
        this.clock = clock;
    }

    /**
     * The result of posting; empty when the buyer takes its leads over Kafka and answers on the
     * post-results topic itself.
     */
    public Optional<CompletableFuture<PostResult>> dispatchIfWebhook(Post post) {
        Optional<BuyerConfig> buyer = directory.find(post.getBuyerId());
        if (buyer.isPresent() && BuyerDirectory.answersOnKafka(buyer.get())) {
            return Optional.empty();
        }
        return Optional.of(dispatch(post));
    }

    /**
     * How long the buyer has to answer a post called {@code now}: the post's whole budget while it may still
     * be sent, nothing after its {@code sendBy}. A post written before {@code sendBy} existed (0) keeps its
     * old rule: what is left until its deadline.
     */
    public static long budgetMs(Post post, long now) {
        if (post.getSendBy() <= 0) {
            return post.getDeadlineAt() - now;
        }
        return now > post.getSendBy() ? 0 : Math.max(1, post.getDeadlineAt() - post.getPostedAt());
    }

    public CompletableFuture<PostResult> dispatch(Post post) {
        long now = clock.millis();
        Optional<BuyerConfig> found = directory.find(post.getBuyerId());
        if (found.isEmpty() || !found.get().getActive() || found.get().getPostUrl() == null
                || found.get().getPostUrl().isBlank()) {
            return CompletableFuture.completedFuture(
                    Answers.postResult(post, PostStatus.ERROR, null, "UNKNOWN_BUYER", now, 0));
        }
        BuyerConfig buyer = found.get();
        long timeoutMs = Math.min(buyer.getPostTimeoutMs(), budgetMs(post, now));
        if (timeoutMs <= 0) {
            return CompletableFuture.completedFuture(
                    Answers.postResult(post, PostStatus.TIMEOUT, null, DEADLINE_PASSED, now, 0));
        }
        BuyerAdapter adapter = adapters.forBuyer(buyer);
        BuyerRequest request;
        try {
            request = adapter.postRequest(post, buyer);
        } catch (RequestRefusedException e) {
            // Already logged once by whoever refused (e.g. an invalid integration): not per lead.
            return CompletableFuture.completedFuture(
                    Answers.postResult(post, PostStatus.ERROR, null, e.reason(), now, 0));
        } catch (RuntimeException e) {
            log.warn("cannot build post of lead {} for buyer {}", post.getLeadId(), post.getBuyerId(), e);
            return CompletableFuture.completedFuture(
                    Answers.postResult(post, PostStatus.ERROR, null, "BAD_REQUEST", now, 0));
        }
        Permit permit = gate.admitPost(post.getBuyerId());
        CompletableFuture<HttpResult> call;
        try {
            call = http.execute(request, timeoutMs);
        } catch (RuntimeException e) {
            permit.cancelled();
            throw e;
        }
        return call.thenApply(result -> {
            permit.done();
            if (result instanceof HttpFailure failure) {
                return Answers.postResult(post, failure.timedOut() ? PostStatus.TIMEOUT : PostStatus.ERROR, null,
                        failure.reasonCode(), failure.failedAt(), failure.latencyMs());
            }
            HttpAnswer answer = (HttpAnswer) result;
            try {
                PostResult posted = adapter.toPostResult(post, answer);
                if (posted.getStatus() == PostStatus.ERROR || posted.getStatus() == PostStatus.REJECTED) {
                    // Kept for the audit trail, with the lead's PII values redacted.
                    posted.setRawResponse(TemplateBuyerAdapter.rawBody(answer, Sources.piiOf(post)));
                }
                return posted;
            } catch (RuntimeException e) {
                log.warn("adapter failed on the answer of buyer {} to post of lead {}", post.getBuyerId(),
                        post.getLeadId(), e);
                return Answers.postResult(post, PostStatus.ERROR, null, "ADAPTER_ERROR", answer.receivedAt(),
                        answer.latencyMs());
            }
        });
    }
}
