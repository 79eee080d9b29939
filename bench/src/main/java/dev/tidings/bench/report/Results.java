package dev.tidings.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;

/**
 * Everything one bench run measured; written as {@code results.json} and rendered as the report.
 * With repeated runs, {@code fanout} and {@code fanoutRows} hold each server's median of a row
 * ({@link Repeats}) and {@code repeatedRuns} every run they came from.
 */
public record Results(
        String date,
        String command,
        boolean quick,
        Map<String, String> machine,
        Map<String, String> versions,
        Map<String, String> settings,
        List<LoadRun> fanout,
        List<LoadRun> fanoutRows,
        List<LoadRun> chat,
        List<IdleRun> idle,
        List<StormRun> storm,
        List<ThroughputRun> throughput,
        Map<String, List<Long>> startupMillis,
        List<RollingRun> rolling,
        List<LoadRun> repeatedRuns) {

    /** A results.json written before a list existed reads as having none. */
    public Results {
        fanoutRows = fanoutRows == null ? List.of() : fanoutRows;
        rolling = rolling == null ? List.of() : rolling;
        repeatedRuns = repeatedRuns == null ? List.of() : repeatedRuns;
    }

    /** Percentile points drawn in the latency distribution chart. */
    static final double[] CURVE = {0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.999};

    /** One point of a latency distribution: {@code micros} at {@code percentile}. */
    public record Point(double percentile, long micros) {
    }

    /** Latency percentiles in microseconds, and the distribution for the chart. */
    public record Latency(long count, double mean, long p50, long p90, long p99, long p999, long max,
            List<Point> curve) {

        public static Latency of(Histogram histogram) {
            if (histogram.getTotalCount() == 0) {
                return new Latency(0, 0, 0, 0, 0, 0, 0, List.of());
            }
            List<Point> curve = new ArrayList<>();
            for (double percentile : CURVE) {
                curve.add(new Point(percentile, histogram.getValueAtPercentile(percentile)));
            }
            curve.add(new Point(100, histogram.getMaxValue()));
            return new Latency(histogram.getTotalCount(), histogram.getMean(),
                    histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(90),
                    histogram.getValueAtPercentile(99), histogram.getValueAtPercentile(99.9),
                    histogram.getMaxValue(), curve);
        }
    }

    /**
     * A fan-out or chat run: subscribers hold streams while events are published at a set rate;
     * counts cover the whole run, rates and costs the measured window.
     *
     * @param scenario {@code fanout} (the sweep over sizes), {@code rate}, {@code h2c}, {@code gzip}
     *        (the other fan-out rows), {@code chat} or {@code profile}
     * @param windowStartMillis start of the measured window, epoch milliseconds
     * @param serverThreadCpuSeconds the server's CPU in the window by thread group
     */
    public record LoadRun(
            String scenario,
            String server,
            int subscribers,
            int rooms,
            double publishRate,
            int connected,
            double windowSeconds,
            long published,
            long publishFailed,
            long publishSkipped,
            long delivered,
            double deliveredPerSecond,
            long expected,
            long lost,
            long duplicates,
            long reordered,
            long dropped,
            long resets,
            Latency latency,
            double publishP50Millis,
            double publishP99Millis,
            double serverCpuSeconds,
            double cpuSecondsPerMillion,
            double benchCpuSeconds,
            long serverRssKiB,
            long startupMillis,
            long windowStartMillis,
            long windowEndMillis,
            Map<String, Double> serverThreadCpuSeconds,
            String note) {

        /** A results.json written before the thread split existed reads as having none. */
        public LoadRun {
            serverThreadCpuSeconds = serverThreadCpuSeconds == null ? Map.of() : serverThreadCpuSeconds;
        }
    }

    /** Idle hold: memory of N open streams over the same server with none. */
    public record IdleRun(
            String server,
            int connections,
            int connected,
            long baseRssKiB,
            long heldRssKiB,
            long basePssKiB,
            long heldPssKiB,
            double bytesPerConnection,
            double rssBytesPerConnection,
            double holdSeconds,
            double serverCpuSeconds,
            long startupMillis,
            String note) {
    }

    /** Reconnect storm: the server restarts under subscribers that resume with Last-Event-ID. */
    public record StormRun(
            String server,
            int subscribers,
            int connectedBefore,
            long stopMillis,
            long restartMillis,
            long allBackMillis,
            int back,
            long published,
            long publishFailed,
            long expected,
            long lost,
            long duplicates,
            long resets,
            Map<Integer, Long> rejectedByStatus,
            String note) {
    }

    /**
     * Rolling restart: replicas behind a load balancer are restarted one after another (SIGTERM,
     * drained, started again, ready before the next) while clients hold streams through the
     * balancer and a publisher publishes through it.
     *
     * @param published events accepted (2xx)
     * @param refused 503 or 429 answers, each retried after its {@code Retry-After}
     * @param acceptedAfterRefusal events accepted on a retry after one or more refusals
     * @param publishFailed events given up: another failure (never retried: the event may have been
     *        stored), or refused too often
     * @param serverCpuSeconds the replicas' and Redis's CPU over the run, replicas that exited included
     */
    public record RollingRun(
            String server,
            int replicas,
            int restarted,
            double publishRate,
            double seconds,
            long published,
            long refused,
            long acceptedAfterRefusal,
            long publishFailed,
            Map<String, Long> publishFailures,
            List<RollingClients> clients,
            List<RestartTiming> restarts,
            double serverCpuSeconds,
            double balancerCpuSeconds,
            String note) {
    }

    /**
     * One kind of client in a rolling restart: the Java SDK, or raw EventSource-style connections.
     *
     * @param expected per client, the events accepted while it was subscribed, summed
     * @param lost per client, accepted events it never received, summed
     * @param silentlyLost the part of {@code lost} missed by clients that never received a {@code reset}
     * @param cuts streams cut and opened again; the offline times are over these
     */
    public record RollingClients(
            String kind,
            int clients,
            int connected,
            int openAtEnd,
            long expected,
            long received,
            long lost,
            long silentlyLost,
            long duplicates,
            long resets,
            long clientsWithResets,
            long cuts,
            long offlineP50Millis,
            long offlineP99Millis,
            long offlineMaxMillis) {
    }

    /** One replica's restart: SIGTERM to exit, and start to ready. */
    public record RestartTiming(long stopMillis, long readyMillis) {
    }

    /** One step of the publish ramp: this many publishes in flight for a few seconds. */
    public record ThroughputStep(
            int inFlight,
            double seconds,
            long accepted,
            long failed,
            double acceptedPerSecond,
            double p50Millis,
            double p99Millis,
            Map<String, Long> failures) {
    }

    public record ThroughputRun(
            String server,
            List<ThroughputStep> steps,
            double bestPerSecond,
            int bestInFlight,
            int firstFailureInFlight,
            long subscriberLost,
            long subscriberDuplicates,
            String note) {
    }
}
