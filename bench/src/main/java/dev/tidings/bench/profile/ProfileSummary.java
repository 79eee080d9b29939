package dev.tidings.bench.profile;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.tidings.bench.report.Report;
import dev.tidings.bench.report.Results.LoadRun;
import dev.tidings.bench.server.TidingsServer;

/**
 * The profile mode's text summary: the run's figures, the server's CPU by thread, the hot
 * methods, garbage collection and allocation in the measured window. Short enough to paste
 * into a note whole.
 */
public final class ProfileSummary {

    static final int HOT_METHODS = 25;
    static final int NATIVE_METHODS = 10;
    static final int ALLOCATING_CLASSES = 15;
    static final int THREAD_GROUPS = 12;

    private ProfileSummary() {
    }

    public static String render(LoadRun run, JfrProfile profile, String date, String command,
            Map<String, String> versions) {
        StringBuilder out = new StringBuilder();
        double seconds = profile.window().toMillis() / 1000.0;
        line(out, "Tidings profile: %s subscribers × %s events/s over HTTP/1.1, under JFR (settings=profile, "
                + "stacks of up to %d frames)", Report.grouped(run.subscribers()), number(run.publishRate()),
                TidingsServer.JFR_STACK_DEPTH);
        line(out, "run %s with `%s`; %s; %s", date, command, versions.getOrDefault("tidings", "Tidings"),
                versions.getOrDefault("JDK", "JDK ?"));
        out.append('\n');

        line(out, "Load, over the measured window of %.1f s (JFR's own cost included)", seconds);
        line(out, "  delivered %s/s, lost %d, duplicates %d, streams open %s of %s",
                Report.grouped(run.deliveredPerSecond()), run.lost(), run.duplicates(), Report.grouped(run.connected()), Report.grouped(run.subscribers()));
        line(out, "  latency ms: p50 %s, p90 %s, p99 %s, p99.9 %s, max %s", Report.ms(run.latency().p50()),
                Report.ms(run.latency().p90()), Report.ms(run.latency().p99()), Report.ms(run.latency().p999()),
                Report.ms(run.latency().max()));
        line(out, "  server CPU %.2f s = %.2f s per million delivered events", run.serverCpuSeconds(),
                run.cpuSecondsPerMillion());
        if (!Double.isNaN(profile.machineCpuLoad())) {
            line(out, "  machine (jdk.CPULoad, mean): all processes %s of all cores, the server's JVM %s",
                    percent(profile.machineCpuLoad()), percent(profile.jvmCpuLoad()));
        }
        out.append('\n');

        threadCpu(out, run.serverThreadCpuSeconds());

        line(out, "Java execution samples: %s (jdk.ExecutionSample: threads running Java code, every 10 ms)",
                Report.grouped(profile.executionSamples()));
        line(out, "by thread:");
        shares(out, profile.sampledThreads().top(THREAD_GROUPS), false);
        line(out, "hot methods, top frame (self), top %d:", HOT_METHODS);
        shares(out, profile.selfMethods().top(HOT_METHODS), false);
        line(out, "on the stack (self and callees), top %d:", HOT_METHODS);
        // A method is on the stack of at most every sample: its share is of the samples, not of a sum.
        List<Tally.Share> onStack = profile.stackMethods().top(HOT_METHODS).stream()
                .map(s -> new Tally.Share(s.key(), s.amount(), fraction(s.amount(), profile.executionSamples())))
                .toList();
        shares(out, onStack, false);
        out.append('\n');

        line(out, "Threads in native code, top frame, top %d (jdk.NativeMethodSample every 20 ms; waits such as "
                + "epollWait count too): %s samples", NATIVE_METHODS, Report.grouped(profile.nativeMethods().total()));
        shares(out, profile.nativeMethods().top(NATIVE_METHODS), false);
        out.append('\n');

        long collections = profile.gcCount().total();
        double pauseMillis = profile.gcPauses().total() / 1e6;
        line(out, "Garbage collection: %d collections, pauses %.1f ms in total (%s of the window), longest %.1f ms",
                collections, pauseMillis, percent(pauseMillis / 1000 / seconds),
                profile.longestGcPause().toNanos() / 1e6);
        for (Tally.Share collector : profile.gcCount().all()) {
            long nanos = profile.gcPauses().all().stream().filter(s -> s.key().equals(collector.key()))
                    .mapToLong(Tally.Share::amount).sum();
            line(out, "  %s: %d collections, %.1f ms", collector.key(), collector.amount(), nanos / 1e6);
        }
        out.append('\n');

        long allocated = profile.allocatedBytes().total();
        line(out, "Allocation (jdk.ObjectAllocationSample weights): %s in the window, %s/s; top %d classes",
                bytes(allocated), bytes((long) (allocated / seconds)), ALLOCATING_CLASSES);
        shares(out, profile.allocatedBytes().top(ALLOCATING_CLASSES), true);
        return out.toString();
    }

    private static void threadCpu(StringBuilder out, Map<String, Double> threads) {
        double total = threads.values().stream().mapToDouble(Double::doubleValue).sum();
        line(out, "Server CPU by thread, %.2f s (/proc; the kernel keeps 15 characters of a thread's name)", total);
        threads.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(THREAD_GROUPS)
                .forEach(e -> line(out, "  %6.2f s %6s  %s", e.getValue(), percent(fraction(e.getValue(), total)),
                        e.getKey()));
        out.append('\n');
    }

    private static void shares(StringBuilder out, List<Tally.Share> shares, boolean inBytes) {
        if (shares.isEmpty()) {
            line(out, "  (none)");
        }
        for (Tally.Share share : shares) {
            line(out, "  %6s %9s  %s", percent(share.fraction()),
                    inBytes ? bytes(share.amount()) : Report.grouped(share.amount()), share.key());
        }
    }

    private static double fraction(double part, double whole) {
        return whole == 0 ? 0 : part / whole;
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }

    /** 1536 → "1.5 KiB". */
    static String bytes(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
