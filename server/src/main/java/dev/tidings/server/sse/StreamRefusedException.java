package dev.tidings.server.sse;

import java.time.Duration;

/** A stream that cannot be opened now: too many open (429) or shutting down (503). */
public class StreamRefusedException extends RuntimeException {

    private final int status;
    private final Duration retryAfter;

    StreamRefusedException(int status, String detail, Duration retryAfter) {
        super(detail);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
