package dev.tidings.client;

import java.time.Duration;

/**
 * How long to wait before a reconnection attempt. The client counts attempts: 1 for the first
 * reconnection after a loss, and back to 1 once a connection has stayed open for the
 * reset-after period. A {@code Retry-After} header, when present, is used instead.
 */
@FunctionalInterface
public interface BackoffPolicy {

    /**
     * @param attempt 1 for the first reconnection, 2 for the next, …
     * @param serverRetry the reconnection time the server sent in its last {@code retry:} field,
     *        or null when it sent none
     */
    Duration delay(int attempt, Duration serverRetry);
}
