package dev.tidings.client;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/** What every stream of one client shares: reconnection rules and request headers. */
final class StreamSettings {

    private final BackoffPolicy backoff;
    private final FailurePolicy failurePolicy;
    private final Duration readTimeout;
    private final Duration resetBackoffAfter;
    private final Supplier<String> tokenSupplier;
    private final Map<String, String> headers;

    StreamSettings(BackoffPolicy backoff, FailurePolicy failurePolicy, Duration readTimeout,
            Duration resetBackoffAfter, Supplier<String> tokenSupplier, Map<String, String> headers) {
        this.backoff = backoff;
        this.failurePolicy = failurePolicy;
        this.readTimeout = readTimeout;
        this.resetBackoffAfter = resetBackoffAfter;
        this.tokenSupplier = tokenSupplier;
        this.headers = Map.copyOf(headers);
    }

    BackoffPolicy backoff() {
        return backoff;
    }

    FailurePolicy failurePolicy() {
        return failurePolicy;
    }

    /** Zero disables the read timeout. */
    Duration readTimeout() {
        return readTimeout;
    }

    Duration resetBackoffAfter() {
        return resetBackoffAfter;
    }

    Supplier<String> tokenSupplier() {
        return tokenSupplier;
    }

    Map<String, String> headers() {
        return headers;
    }
}
