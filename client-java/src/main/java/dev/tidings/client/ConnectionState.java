package dev.tidings.client;

/** Where a subscription's connection stands. */
public enum ConnectionState {
    /** A request is on its way; no answer yet. */
    CONNECTING,
    /** The server answered {@code 200 text/event-stream}; events flow. */
    OPEN,
    /** The connection was lost or refused with a retryable status; the next attempt is scheduled. */
    RECONNECTING,
    /** Closed by the caller or stopped by a fatal error; it will not reconnect. */
    CLOSED
}
