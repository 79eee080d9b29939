package dev.tidings.client.internal;

import java.time.Duration;

/** Time as the client sees it: a clock and delayed tasks. Tests drive a manual one. */
public interface Scheduler {

    /** Monotonic time in nanoseconds, as {@link System#nanoTime()}. */
    long nanoTime();

    /** Runs {@code task} once after {@code delay}. */
    Cancellable schedule(Runnable task, Duration delay);

    /** A scheduled task that may be called off. */
    interface Cancellable {
        void cancel();
    }
}
