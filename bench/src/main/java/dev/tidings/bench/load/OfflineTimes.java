package dev.tidings.bench.load;

import org.HdrHistogram.Histogram;

/**
 * How long subscriptions were without a connection: from the moment an open stream ended or broke
 * to the moment the next one opened, in milliseconds. Safe from any thread.
 */
public final class OfflineTimes {

    private static final long MAX_MILLIS = 3_600_000;

    private final Histogram millis = new Histogram(1, MAX_MILLIS, 3);
    private long cuts;

    /** One stream was cut at {@code lostNanos} and its subscription was open again at {@code backNanos}. */
    public synchronized void record(long lostNanos, long backNanos) {
        cuts++;
        millis.recordValue(Math.max(1, Math.min(MAX_MILLIS, (backNanos - lostNanos) / 1_000_000)));
    }

    /** Streams cut and opened again. */
    public synchronized long cuts() {
        return cuts;
    }

    public synchronized long percentileMillis(double percentile) {
        return cuts == 0 ? 0 : millis.getValueAtPercentile(percentile);
    }

    public synchronized long maxMillis() {
        return cuts == 0 ? 0 : millis.getMaxValue();
    }
}
