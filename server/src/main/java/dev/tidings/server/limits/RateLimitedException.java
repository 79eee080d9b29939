package dev.tidings.server.limits;

import java.time.Duration;

/** A client went past one of its limits; it may try again after {@link #retryAfter()}. */
public class RateLimitedException extends RuntimeException {

    private final Duration retryAfter;

    public RateLimitedException(String detail, Duration retryAfter) {
        super(detail);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
