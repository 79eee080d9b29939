package dev.tidings.bench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

import dev.tidings.bench.report.Results.LoadRun;

/**
 * Repeated runs of one row, reported as the server's median: on a shared machine two runs of the
 * same build minutes apart differ by more than the servers do, so one run per row decides little.
 */
public final class Repeats {

    private Repeats() {
    }

    /**
     * One run per row (scenario, server, subscribers, rate), in the order rows first appear: a row
     * run once is kept as it is, a repeated one is its {@linkplain #median median}.
     */
    public static List<LoadRun> medians(List<LoadRun> runs) {
        Map<List<Object>, List<LoadRun>> rows = new LinkedHashMap<>();
        for (LoadRun run : runs) {
            rows.computeIfAbsent(List.of(run.scenario(), run.server(), run.subscribers(), run.publishRate()),
                    row -> new ArrayList<>()).add(run);
        }
        return rows.values().stream().map(Repeats::median).toList();
    }

    /**
     * The runs of one row as one: CPU and throughput from the run with the median CPU per
     * delivered event, latency from the run with the median p99 (with an even count, the higher of
     * the middle two, for both), and loss, duplicates and the other counts summed over every run so
     * that a loss in any run shows.
     */
    static LoadRun median(List<LoadRun> runs) {
        if (runs.size() == 1) {
            return runs.get(0);
        }
        LoadRun cpu = middle(runs, LoadRun::cpuSecondsPerMillion);
        LoadRun latency = middle(runs, run -> run.latency().p99());
        String note = "median of " + runs.size() + " runs; CPU s per million "
                + joined(runs, LoadRun::cpuSecondsPerMillion, 2) + ", p99 ms "
                + joined(runs, run -> run.latency().p99() / 1000.0, 1);
        String notes = runs.stream().map(LoadRun::note).filter(n -> !n.isEmpty()).distinct()
                .collect(Collectors.joining("; "));
        return new LoadRun(cpu.scenario(), cpu.server(), cpu.subscribers(), cpu.rooms(), cpu.publishRate(),
                cpu.connected(), cpu.windowSeconds(), sum(runs, LoadRun::published), sum(runs, LoadRun::publishFailed),
                sum(runs, LoadRun::publishSkipped), sum(runs, LoadRun::delivered), cpu.deliveredPerSecond(),
                sum(runs, LoadRun::expected), sum(runs, LoadRun::lost), sum(runs, LoadRun::duplicates),
                sum(runs, LoadRun::reordered), sum(runs, LoadRun::dropped), sum(runs, LoadRun::resets),
                latency.latency(), latency.publishP50Millis(), latency.publishP99Millis(), cpu.serverCpuSeconds(),
                cpu.cpuSecondsPerMillion(), cpu.benchCpuSeconds(), cpu.serverRssKiB(), cpu.startupMillis(),
                cpu.windowStartMillis(), cpu.windowEndMillis(), cpu.serverThreadCpuSeconds(),
                notes.isEmpty() ? note : note + "; " + notes);
    }

    private static LoadRun middle(List<LoadRun> runs, ToDoubleFunction<LoadRun> by) {
        List<LoadRun> sorted = runs.stream().sorted(Comparator.comparingDouble(by)).toList();
        return sorted.get(sorted.size() / 2);
    }

    private static String joined(List<LoadRun> runs, ToDoubleFunction<LoadRun> value, int decimals) {
        return runs.stream().map(run -> Report.fixed(value.applyAsDouble(run), decimals))
                .collect(Collectors.joining(" / "));
    }

    private static long sum(List<LoadRun> runs, ToLongFunction<LoadRun> count) {
        return runs.stream().mapToLong(count).sum();
    }
}
