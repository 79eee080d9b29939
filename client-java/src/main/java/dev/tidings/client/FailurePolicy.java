package dev.tidings.client;

/** Which failures end a subscription and which lead to a reconnection. */
public interface FailurePolicy {

    /** True when a stream refused with {@code status} should be tried again. */
    boolean isRetryable(int status);

    /** True when a network failure (refused, reset, timed out…) should be tried again. */
    default boolean isRetryable(Throwable failure) {
        return true;
    }

    /**
     * The contract's rule: 204 and every 4xx other than 408 and 429 stop; 5xx, 408, 429, any
     * other status and network errors retry.
     */
    static FailurePolicy standard() {
        return status -> status != 204 && !(status >= 400 && status < 500 && status != 408 && status != 429);
    }
}
