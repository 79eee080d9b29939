package dev.tidings.client;

/**
 * Callbacks of a subscription, called one at a time on the client's delivery executor, in the
 * order things happened on the connection.
 */
public interface TidingsListener {

    /** An event, after de-duplication: each id at most once, in order. */
    void onEvent(TidingsEvent event);

    /**
     * The server could not resume from the last id seen, so events may have been missed (see
     * {@link TidingsEvent#isGap()}). By default handed to {@link #onEvent} so it is never lost
     * silently; override to re-sync from another source.
     */
    default void onGap(TidingsEvent reset) {
        onEvent(reset);
    }

    /** CONNECTING, OPEN, RECONNECTING (with attempt, delay and cause), CLOSED. */
    default void onStateChange(ConnectionStateChange change) {
    }

    /** The subscription stopped for good: a fatal status or an error it will not retry. */
    default void onError(Throwable failure) {
    }
}
