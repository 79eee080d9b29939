package dev.tidings.bench.load;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * Publish-to-receive latency and delivered events, recorded on the event loops that read the
 * streams: one wait-free recorder per loop thread, merged when a window is read.
 */
public final class DeliveryStats {

    /** Latencies are kept in microseconds, from 1 µs to 10 minutes, at 3 significant digits. */
    public static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(10);

    /** The recorder of one event-loop thread; only that thread records into it. */
    public static final class Loop {
        private final SingleWriterRecorder latency = new SingleWriterRecorder(1, MAX_MICROS, 3);

        public void recordNanos(long nanos) {
            latency.recordValue(Math.max(1, Math.min(MAX_MICROS, nanos / 1000)));
        }
    }

    private final Map<Thread, Loop> loops = new ConcurrentHashMap<>();
    private final LongAdder delivered = new LongAdder();
    private long deliveredAtWindowStart;

    /** The recorder of the calling thread. */
    public Loop loop() {
        return loops.computeIfAbsent(Thread.currentThread(), thread -> new Loop());
    }

    /** How many event-loop threads have recorded: the loops the streams are read on. */
    public int readingLoops() {
        return loops.size();
    }

    void delivered() {
        delivered.increment();
    }

    /** Starts a measured window: what was recorded before is discarded. */
    public synchronized void startWindow() {
        loops.values().forEach(loop -> loop.latency.getIntervalHistogram());
        deliveredAtWindowStart = delivered.sum();
    }

    /** Events received since {@link #startWindow()}. */
    public synchronized long deliveredInWindow() {
        return delivered.sum() - deliveredAtWindowStart;
    }

    /** Latencies recorded since {@link #startWindow()} (or the previous call), in microseconds. */
    public synchronized Histogram latencyInWindow() {
        Histogram merged = new Histogram(1, MAX_MICROS, 3);
        loops.values().forEach(loop -> merged.add(loop.latency.getIntervalHistogram()));
        return merged;
    }
}
