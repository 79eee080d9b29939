package dev.tidings.client;

import java.time.Duration;
import java.util.Optional;

/** A subscription entered a new {@link ConnectionState}. */
public final class ConnectionStateChange {

    private final String stream;
    private final ConnectionState state;
    private final int attempt;
    private final Duration delay;
    private final Throwable cause;

    public ConnectionStateChange(String stream, ConnectionState state, int attempt, Duration delay, Throwable cause) {
        this.stream = stream;
        this.state = state;
        this.attempt = attempt;
        this.delay = delay;
        this.cause = cause;
    }

    /** Which stream: its path and query, such as {@code /api/v1/events?topic=orders}. */
    public String stream() {
        return stream;
    }

    public ConnectionState state() {
        return state;
    }

    /**
     * Consecutive failed attempts: 0 on the first connection and once a connection has been
     * stable; on {@link ConnectionState#RECONNECTING} the number of the attempt being scheduled.
     */
    public int attempt() {
        return attempt;
    }

    /** On {@link ConnectionState#RECONNECTING}: how long until the next attempt; otherwise zero. */
    public Duration delay() {
        return delay;
    }

    /** Why the connection was lost, or why the subscription stopped; empty when closed by the caller. */
    public Optional<Throwable> cause() {
        return Optional.ofNullable(cause);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(state.name()).append(' ').append(stream);
        if (state == ConnectionState.RECONNECTING) {
            text.append(" attempt ").append(attempt).append(" in ").append(delay.toMillis()).append("ms");
        }
        if (cause != null) {
            text.append(" (").append(cause).append(')');
        }
        return text.toString();
    }
}
