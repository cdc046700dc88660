package io.leadmkt.streams.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.leadmkt.schema.FieldError;
import io.leadmkt.schema.Lead;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step of every HTTP lead intake, {@code POST /v1/leads} and the capture forms alike: a
 * lead with errors is answered 400 naming each; a clean one is handed to the {@link LeadIntake}
 * as it came (the stream checks it again like any other source's) and answered once the intake has
 * it: 202 with its id, 503 {@code overloaded} with {@code Retry-After} while the pipeline is behind,
 * 503 {@code not_ready} with {@code Retry-After} while the instance has not started selling,
 * 503 {@code intake_unavailable} when Kafka cannot take it within the timeout. Nothing is written
 * on a 4xx or a 503, so a retry with the same lead id is always safe.
 */
public final class LeadSubmitter {
    private static final Logger log = LoggerFactory.getLogger(LeadSubmitter.class);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final LeadIntake intake;
    private final Duration timeout;

    public LeadSubmitter(LeadIntake intake, Duration timeout) {
        this.intake = intake;
        this.timeout = timeout;
    }

    /** 400 {@code invalid_lead} with {@code errors} when there are any; else submits {@code raw} and answers for it. */
    public void submit(Context ctx, Lead raw, List<FieldError> errors) {
        if (!errors.isEmpty()) {
            ObjectNode json = JSON.objectNode().put("error", "invalid_lead");
            json.set("errors", LeadStatusJson.errors(errors));
            JsonResponses.respond(ctx, 400, json);
            return;
        }
        ctx.future(() -> answer(ctx, raw));
    }

    /**
     * Submits {@code raw}, a lead without errors, and answers for it: the future completes once the
     * answer is written (202, or 503 with its reason), never exceptionally.
     */
    public CompletableFuture<Void> answer(Context ctx, Lead raw) {
        CompletableFuture<Void> submitted;
        try {
            submitted = intake.submit(raw);
        } catch (RuntimeException e) {
            submitted = CompletableFuture.failedFuture(e);
        }
        if (submitted == null) {
            submitted = CompletableFuture.failedFuture(new IllegalStateException("intake returned no future"));
        }
        return respond(ctx, raw, submitted);
    }

    /** Answers for {@code raw} as if the intake had refused it with {@code refusal}; nothing is written. */
    public CompletableFuture<Void> refuse(Context ctx, Lead raw, RuntimeException refusal) {
        return respond(ctx, raw, CompletableFuture.failedFuture(refusal));
    }

    private CompletableFuture<Void> respond(Context ctx, Lead raw, CompletableFuture<Void> submitted) {
        // A copy, so the timeout does not complete (and so cancel) the intake's own future.
        CompletableFuture<Void> bounded = submitted.copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return bounded.handle((ignored, failure) -> {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof IntakeOverloadedException overloaded) {
                // Shed at the door, visibly: the seller retries the same lead later; nothing was written.
                ctx.header("Retry-After", Long.toString(overloaded.retryAfterSeconds()));
                JsonResponses.respond(ctx, 503, JSON.objectNode().put("error", "overloaded").put("retryable", true)
                        .put("lagMs", overloaded.lagMs()).put("leadsInFlight", overloaded.leadsInFlight())
                        .put("maxLeadsInFlight", overloaded.maxLeadsInFlight())
                        .put("retryAfterSeconds", overloaded.retryAfterSeconds()));
            } else if (cause instanceof IntakeNotReadyException notReady) {
                ctx.header("Retry-After", Long.toString(IntakeNotReadyException.RETRY_AFTER_SECONDS));
                JsonResponses.respond(ctx, 503, JSON.objectNode().put("error", "not_ready").put("retryable", true)
                        .put("message", notReady.getMessage()));
            } else if (failure != null) {
                log.warn("intake could not take lead {}: {}", raw.getLeadId(), failure.toString());
                JsonResponses.respond(ctx, 503, JSON.objectNode().put("error", "intake_unavailable").put("retryable", true));
            } else {
                JsonResponses.respond(ctx, 202, JSON.objectNode()
                        .put("leadId", raw.getLeadId())
                        .put("status", "accepted")
                        .put("statusUrl", "/v1/leads/" + raw.getLeadId()));
            }
            return null;
        });
    }
}
