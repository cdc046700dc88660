package io.leadmkt.streams.capture;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;

/**
 * Trivial abuse of the open capture forms kept small: at most {@code perMinute} submissions per
 * client address a minute, over every form of this instance. A resilience4j rate limiter per
 * address, kept while the address is active (forgotten two minutes after its last submission,
 * at most {@value #MAX_ADDRESSES} addresses), so a flood of addresses cannot grow the heap.
 */
public final class FormRateLimit {
    static final long MAX_ADDRESSES = 100_000;
    private static final Duration PERIOD = Duration.ofMinutes(1);

    private final RateLimiterConfig config;
    private final Cache<String, RateLimiter> byAddress = Caffeine.newBuilder()
            .expireAfterAccess(PERIOD.multipliedBy(2))
            .maximumSize(MAX_ADDRESSES)
            .build();

    public FormRateLimit(int perMinute) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("perMinute must be at least 1");
        }
        this.config = RateLimiterConfig.custom()
                .limitForPeriod(perMinute)
                .limitRefreshPeriod(PERIOD)
                .timeoutDuration(Duration.ZERO) // refuse at once: a form never waits for its turn
                .build();
    }

    /** Whether {@code address} may submit now (and so counts this submission). */
    public boolean tryAcquire(String address) {
        return byAddress.get(address, key -> RateLimiter.of("form-" + key, config)).acquirePermission();
    }

    /** Whole seconds until {@code address} may submit again (at least 1): when its period turns. */
    public long retryAfterSeconds(String address) {
        RateLimiter limiter = byAddress.getIfPresent(address);
        if (limiter instanceof AtomicRateLimiter atomic) {
            long nanos = atomic.getDetailedMetrics().getNanosToWait();
            return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
        }
        return PERIOD.toSeconds();
    }
}
