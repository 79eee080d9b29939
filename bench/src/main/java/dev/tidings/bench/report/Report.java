package dev.tidings.bench.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

import dev.tidings.bench.report.Charts.Axis;
import dev.tidings.bench.report.Charts.Dash;
import dev.tidings.bench.report.Charts.Series;
import dev.tidings.bench.report.Results.IdleRun;
import dev.tidings.bench.report.Results.LoadRun;
import dev.tidings.bench.report.Results.RollingClients;
import dev.tidings.bench.report.Results.RollingRun;
import dev.tidings.bench.report.Results.StormRun;
import dev.tidings.bench.report.Results.ThroughputRun;
import dev.tidings.bench.report.Results.ThroughputStep;

/** Renders {@link Results} as the Markdown report and its PNG charts. */
public final class Report {

    /** Memory per idle connection the issue sets as Tidings's ceiling. */
    public static final double IDLE_BYTES_TARGET = 8 * 1024;
    /** Process start to first SSE byte the issue sets as Tidings's ceiling. */
    public static final long STARTUP_MILLIS_TARGET = 1500;

    /** How far above the embedded bus's the Redis bus's CPU per delivered event may be. */
    public static final double REDIS_CPU_MARGIN = 0.15;

    static final List<String> ORDER = List.of("tidings", "tidings-native", "tidings-redis", "tidings-redis-x2",
            "tidings-redis-x3", "nchan", "nchan-redis-x3", "node");
    static final Map<String, String> LABELS = Map.of("tidings", "Tidings", "tidings-native", "Tidings, native executable",
            "tidings-redis", "Tidings, Redis bus", "tidings-redis-x2", "Tidings, Redis bus, 2 replicas", "tidings-redis-x3", "Tidings, Redis bus, 3 replicas",
            "nchan", "nchan", "nchan-redis-x3", "nchan, Redis storage, 3 instances",
            "node", "Node.js");
    static final Map<String, Color> COLORS = Map.of(
            "tidings", new Color(31, 100, 190),
            "tidings-native", new Color(0, 170, 190),
            "tidings-redis", new Color(130, 60, 170),
            "tidings-redis-x2", new Color(200, 40, 110),
            "tidings-redis-x3", new Color(150, 30, 60),
            "nchan", new Color(0, 150, 80),
            "nchan-redis-x3", new Color(0, 100, 50),
            "node", new Color(210, 90, 20));
    private static final List<String> REDIS = List.of("tidings-redis", "tidings-redis-x2", "tidings-redis-x3");
    /** Columns shown only when the run measured them. */
    private static final List<String> OPTIONAL = List.of("tidings-native", "tidings-redis", "tidings-redis-x2",
            "tidings-redis-x3", "nchan-redis-x3");
    /** The longest time without a connection (p99) the rolling restart allows a client on the Redis bus. */
    public static final long ROLLING_OFFLINE_P99_MILLIS = 5000;

    public static final String CHART_FANOUT_LATENCY = "fanout-latency.png";
    public static final String CHART_FANOUT_CPU = "fanout-cpu.png";
    public static final String CHART_LATENCY_DISTRIBUTION = "fanout-latency-distribution.png";
    public static final String CHART_IDLE_MEMORY = "idle-memory.png";
    public static final String CHART_THROUGHPUT = "publish-throughput.png";

    private Report() {
    }

    // --- charts

    /** Draws the charts into {@code dir}; returns the file names drawn. */
    public static List<String> charts(Results results, Path dir) throws IOException {
        List<String> drawn = new ArrayList<>();
        List<LoadRun> fanout = results.fanout();
        if (!fanout.isEmpty()) {
            List<Series> latency = new ArrayList<>();
            List<Series> cpu = new ArrayList<>();
            for (String server : servers(fanout, LoadRun::server)) {
                List<LoadRun> runs = fanout.stream().filter(r -> r.server().equals(server) && r.latency().count() > 0)
                        .toList();
                latency.add(new Series(label(server) + " p50", color(server), Dash.SOLID,
                        points(runs, r -> r.subscribers(), r -> r.latency().p50() / 1000.0)));
                latency.add(new Series(label(server) + " p99", color(server), Dash.DASHED,
                        points(runs, r -> r.subscribers(), r -> r.latency().p99() / 1000.0)));
                latency.add(new Series(label(server) + " p99.9", color(server), Dash.DOTTED,
                        points(runs, r -> r.subscribers(), r -> r.latency().p999() / 1000.0)));
                cpu.add(new Series(label(server), color(server), Dash.SOLID,
                        points(runs, r -> r.subscribers(), LoadRun::cpuSecondsPerMillion)));
            }
            Charts.line(dir.resolve(CHART_FANOUT_LATENCY),
                    "Fan-out: publish-to-receive latency at " + Charts.number(fanout.get(0).publishRate()) + " events/s",
                    Axis.linear("subscribers on one topic"), Axis.log("latency (ms, log scale)"), latency, true, null);
            drawn.add(CHART_FANOUT_LATENCY);
            Charts.line(dir.resolve(CHART_FANOUT_CPU), "Fan-out: server CPU per delivered event",
                    Axis.linear("subscribers on one topic"), Axis.linear("server CPU seconds per million events"),
                    cpu, true, null);
            drawn.add(CHART_FANOUT_CPU);

            int largest = fanout.stream().mapToInt(LoadRun::subscribers).max().orElse(0);
            List<Series> distribution = new ArrayList<>();
            for (String server : servers(fanout, LoadRun::server)) {
                fanout.stream().filter(r -> r.server().equals(server) && r.subscribers() == largest).findFirst()
                        .ifPresent(run -> {
                            List<double[]> points = new ArrayList<>();
                            for (Results.Point point : run.latency().curve()) {
                                if (point.percentile() < 100) {
                                    points.add(new double[] {1 / (1 - point.percentile() / 100), point.micros() / 1000.0});
                                }
                            }
                            distribution.add(new Series(label(server), color(server), Dash.SOLID, points));
                        });
            }
            Charts.line(dir.resolve(CHART_LATENCY_DISTRIBUTION),
                    "Latency distribution at " + Charts.number(largest) + " subscribers",
                    new Axis("percentile", true, Report::percentileLabel), Axis.log("latency (ms, log scale)"),
                    distribution, false, null);
            drawn.add(CHART_LATENCY_DISTRIBUTION);
        }
        List<IdleRun> idle = sorted(results.idle(), IdleRun::server).stream().filter(r -> r.bytesPerConnection() >= 0)
                .toList();
        if (!idle.isEmpty()) {
            Charts.bars(dir.resolve(CHART_IDLE_MEMORY),
                    "Memory per idle connection (" + Charts.number(idle.get(0).connections()) + " held)",
                    "bytes per connection (PSS)", idle.stream().map(r -> label(r.server())).toList(),
                    idle.stream().map(IdleRun::bytesPerConnection).toList(),
                    idle.stream().map(r -> color(r.server())).toList(), IDLE_BYTES_TARGET, "8 KiB target");
            drawn.add(CHART_IDLE_MEMORY);
        }
        if (!results.throughput().isEmpty()) {
            List<Series> series = new ArrayList<>();
            for (ThroughputRun run : sorted(results.throughput(), ThroughputRun::server)) {
                List<double[]> points = run.steps().stream()
                        .map(s -> new double[] {s.inFlight(), s.acceptedPerSecond()}).toList();
                series.add(new Series(label(run.server()), color(run.server()), Dash.SOLID, points));
            }
            Charts.line(dir.resolve(CHART_THROUGHPUT), "Publish throughput (until the first failed publish)",
                    Axis.log("publishes in flight"), Axis.linear("accepted publishes per second"), series, true, null);
            drawn.add(CHART_THROUGHPUT);
        }
        return drawn;
    }

    static String percentileLabel(double x) {
        double percentile = 100 * (1 - 1 / x);
        return trimNumber(String.format(Locale.ROOT, "%.4f", percentile)) + "%";
    }

    // --- markdown

    /**
     * @param chartPath where the report finds the charts, relative to itself ({@code results/})
     * @param charts the chart files drawn
     */
    public static String markdown(Results results, String chartPath, List<String> charts) {
        StringBuilder md = new StringBuilder();
        md.append("# Tidings benchmark results\n\n");
        if (results.quick()) {
            md.append("> **Quick smoke run**: small numbers of connections and windows of a few seconds, to check the "
                    + "tooling. Do not draw conclusions from it; run `bench/run.sh` without `--quick` on a quiet machine.\n\n");
        }
        md.append("Tidings against nchan and a Node.js EventEmitter server, driven by the same load generator in the "
                + "same run (the servers alternate run by run); Tidings on its embedded bus unless a column says "
                + "Redis. Run on ").append(results.date())
                .append(" with `").append(results.command()).append("`.\n\n");

        targets(md, results);

        md.append("## Machine and versions\n\n| | |\n|---|---|\n");
        results.machine().forEach((k, v) -> md.append("| ").append(k).append(" | ").append(cell(v)).append(" |\n"));
        results.versions().forEach((k, v) -> md.append("| ").append(k).append(" | ").append(cell(v)).append(" |\n"));
        md.append("\n### Settings\n\n| | |\n|---|---|\n");
        results.settings().forEach((k, v) -> md.append("| ").append(k).append(" | ").append(cell(v)).append(" |\n"));
        md.append('\n');

        if (!results.fanout().isEmpty()) {
            md.append("## Fan-out\n\nOne topic, every subscriber on it, events published at a steady rate. Latency is "
                    + "publish (bench clock, before the POST) to receive (bench clock, frame parsed); *publish p99* is "
                    + "the POST's own round trip.\n\n");
            loadTable(md, sorted(results.fanout(), LoadRun::server, LoadRun::subscribers), "subscribers",
                    r -> grouped(r.subscribers()));
            image(md, chartPath, charts, CHART_FANOUT_LATENCY, "Fan-out latency against subscribers");
            image(md, chartPath, charts, CHART_FANOUT_CPU, "Fan-out CPU per event against subscribers");
            image(md, chartPath, charts, CHART_LATENCY_DISTRIBUTION, "Latency distribution at the largest fan-out");
        }
        if (!results.fanoutRows().isEmpty()) {
            md.append(FANOUT_ROWS);
            loadTable(md, sorted(results.fanoutRows(), LoadRun::server, r -> FANOUT_ROW_ORDER.indexOf(r.scenario())),
                    "row", Report::rowLabel);
        }
        if (!results.repeatedRuns().isEmpty()) {
            repeatedRuns(md, results.repeatedRuns());
        }
        if (!results.chat().isEmpty()) {
            LoadRun first = results.chat().get(0);
            md.append("## Chat\n\n").append(first.rooms()).append(" rooms × ")
                    .append(first.subscribers() / Math.max(1, first.rooms())).append(" members, ")
                    .append(Charts.number(first.publishRate()))
                    .append(" messages a second, each to a random room.\n\n");
            loadTable(md, sorted(results.chat(), LoadRun::server), "subscribers",
                    r -> grouped(r.subscribers()) + " (" + r.rooms() + " rooms)");
        }
        if (!results.idle().isEmpty()) {
            md.append("## Idle hold\n\nN streams opened and held with no events; memory is the server's proportional "
                    + "set size (PSS, all its processes) with N open minus the same after N were opened and closed once "
                    + "(so pools that stay allocated count in both), divided by N. RSS is shown too.\n\n");
            md.append("| server | connections | open | before (MiB) | with N (MiB) | per connection, PSS | per connection, RSS "
                    + "| CPU while idle (s) | notes |\n|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
            for (IdleRun r : sorted(results.idle(), IdleRun::server)) {
                md.append("| ").append(label(r.server())).append(" | ").append(r.connections()).append(" | ")
                        .append(r.connected()).append(" | ").append(mib(r.basePssKiB())).append(" | ")
                        .append(mib(r.heldPssKiB())).append(" | ").append(perConnection(r.bytesPerConnection()))
                        .append(" | ").append(perConnection(r.rssBytesPerConnection())).append(" | ")
                        .append(fixed(r.serverCpuSeconds(), 2)).append(" in ").append(fixed(r.holdSeconds(), 0))
                        .append(" s | ").append(cell(r.note())).append(" |\n");
            }
            md.append('\n');
            image(md, chartPath, charts, CHART_IDLE_MEMORY, "Memory per idle connection");
        }
        if (!results.storm().isEmpty()) {
            md.append("## Reconnect storm\n\nSubscribers without an SDK (raw connections that, like EventSource, "
                    + "reconnect and send `Last-Event-ID`) hold streams while events are published; the server is "
                    + "stopped (SIGTERM) and started again on the same port. *All back* is from the start of the "
                    + "stop until every subscriber has an open stream on the new process. *Lost* counts, per "
                    + "subscriber, events the server acknowledged (2xx) that the subscriber never received.\n\n");
            md.append("| server | subscribers | stop (ms) | start (ms) | all back (ms) | published | publish failed "
                    + "| expected | lost | duplicates | resets | notes |\n"
                    + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
            for (StormRun r : sorted(results.storm(), StormRun::server)) {
                List<String> notes = new ArrayList<>();
                if (!r.rejectedByStatus().isEmpty()) {
                    notes.add("reconnects refused: " + r.rejectedByStatus().entrySet().stream()
                            .map(e -> e.getValue() + " × " + e.getKey()).collect(Collectors.joining(", ")));
                }
                if (!r.note().isEmpty()) {
                    notes.add(r.note());
                }
                md.append("| ").append(label(r.server())).append(" | ").append(r.subscribers()).append(" | ")
                        .append(r.stopMillis()).append(" | ").append(r.restartMillis()).append(" | ")
                        .append(r.allBackMillis() < 0 ? "not all (" + r.back() + ")" : Long.toString(r.allBackMillis()))
                        .append(" | ").append(r.published()).append(" | ").append(r.publishFailed()).append(" | ")
                        .append(r.expected()).append(" | ").append(r.lost()).append(" | ").append(r.duplicates())
                        .append(" | ").append(r.resets()).append(" | ").append(cell(String.join("; ", notes)))
                        .append(" |\n");
            }
            md.append('\n');
        }
        if (!results.rolling().isEmpty()) {
            rolling(md, results.rolling());
        }
        if (!results.throughput().isEmpty()) {
            md.append("## Publish throughput\n\nPublishes with a fixed number in flight over keep-alive connections, "
                    + "doubling step by step until a publish fails (non-2xx or no answer); one subscriber listens.\n\n");
            md.append("| server | best accepted/s | at in flight | first failures at | subscriber lost | duplicates | notes |\n"
                    + "|---|---:|---:|---:|---:|---:|---|\n");
            List<ThroughputRun> runs = sorted(results.throughput(), ThroughputRun::server);
            for (ThroughputRun r : runs) {
                md.append("| ").append(label(r.server())).append(" | ").append(grouped(r.bestPerSecond())).append(" | ")
                        .append(r.bestInFlight()).append(" | ")
                        .append(r.firstFailureInFlight() < 0 ? "none" : r.firstFailureInFlight() + " in flight")
                        .append(" | ").append(r.subscriberLost()).append(" | ").append(r.subscriberDuplicates())
                        .append(" | ").append(cell(r.note())).append(" |\n");
            }
            md.append("\n<details><summary>Steps</summary>\n\n| server | in flight | accepted/s | p50 (ms) | p99 (ms) | failed |\n"
                    + "|---|---:|---:|---:|---:|---|\n");
            for (ThroughputRun r : runs) {
                for (ThroughputStep s : r.steps()) {
                    md.append("| ").append(label(r.server())).append(" | ").append(s.inFlight()).append(" | ")
                            .append(grouped(s.acceptedPerSecond())).append(" | ").append(fixed(s.p50Millis(), 2))
                            .append(" | ").append(fixed(s.p99Millis(), 2)).append(" | ")
                            .append(s.failed() == 0 ? "0" : s.failed() + " " + s.failures()).append(" |\n");
                }
            }
            md.append("\n</details>\n\n");
            image(md, chartPath, charts, CHART_THROUGHPUT, "Publish throughput");
        }
        if (!results.startupMillis().isEmpty()) {
            md.append("## Start-up\n\nFrom process start (fork) to the first byte of a `200` SSE response, polling "
                    + "every 5 ms; every server start of the run counts.\n\n| server | starts | min (ms) | median (ms) "
                    + "| max (ms) |\n|---|---:|---:|---:|---:|\n");
            for (String server : ORDER) {
                List<Long> starts = results.startupMillis().get(server);
                if (starts == null || starts.isEmpty()) {
                    continue;
                }
                List<Long> s = starts.stream().sorted().toList();
                md.append("| ").append(label(server)).append(" | ").append(s.size()).append(" | ").append(s.get(0))
                        .append(" | ").append(median(s)).append(" | ").append(s.get(s.size() - 1)).append(" |\n");
            }
            md.append('\n');
        }
        md.append(METHOD);
        return md.toString();
    }

    /** Every run behind a median row, in the order they ran. */
    private static void repeatedRuns(StringBuilder md, List<LoadRun> runs) {
        md.append("### Repeated runs\n\nEvery run the fan-out rows above are the medians of, in the order they ran.\n\n"
                + "| row | server | CPU per million events (s) | p50 (ms) | p99 (ms) | lost | duplicates |\n"
                + "|---|---|---:|---:|---:|---:|---:|\n");
        for (LoadRun r : runs) {
            md.append("| ").append(rowLabel(r)).append(" | ").append(label(r.server()))
                    .append(" | ").append(fixed(r.cpuSecondsPerMillion(), 2)).append(" | ")
                    .append(fixed(r.latency().p50() / 1000.0, 2)).append(" | ")
                    .append(fixed(r.latency().p99() / 1000.0, 2)).append(" | ").append(r.lost()).append(" | ")
                    .append(r.duplicates()).append(" |\n");
        }
        md.append('\n');
    }

    private static void targets(StringBuilder md, Results results) {
        md.append("## Targets\n\n");
        // The sweep by size, then the higher-rate row
        List<LoadRun> compared = new ArrayList<>(sorted(results.fanout(), LoadRun::server, LoadRun::subscribers));
        compared.addAll(sorted(results.fanoutRows().stream().filter(r -> r.scenario().equals("rate")).toList(),
                LoadRun::server));
        if (!compared.isEmpty()) {
            md.append("At every fan-out size and at the higher rate, Tidings's server CPU per delivered event and its "
                    + "p99 latency at or below nchan's, with zero loss and zero duplicates in every fan-out row")
                    .append(results.quick() ? " (a quick run: its sizes are not the issue's)" : "").append(".\n\n");
        }
        List<String> columns = columns(results);
        md.append("| target |");
        columns.forEach(server -> md.append(' ').append(label(server)).append(" |"));
        md.append(" Tidings meets it |\n|---|").append("---|".repeat(columns.size())).append("---|\n");
        List<LoadRun> everyFanout = new ArrayList<>(results.fanout());
        everyFanout.addAll(results.fanoutRows());
        if (!everyFanout.isEmpty()) {
            Map<String, long[]> lossByServer = new LinkedHashMap<>();
            for (LoadRun r : everyFanout) {
                long[] counts = lossByServer.computeIfAbsent(r.server(), s -> new long[3]);
                counts[0] += r.lost();
                counts[1] += r.duplicates();
                counts[2] += r.subscribers() - r.connected();
            }
            long[] tidings = tidingsTotal(lossByServer);
            row(md, columns, "zero loss and zero duplicates, every fan-out row", lossByServer,
                    c -> "lost " + c[0] + ", duplicates " + c[1] + (c[2] > 0 ? ", " + c[2] + " streams not open" : ""),
                    tidings == null ? null : tidings[0] == 0 && tidings[1] == 0 && tidings[2] == 0);
        }
        Map<String, Map<String, LoadRun>> byShape = new LinkedHashMap<>();
        compared.forEach(r -> byShape.computeIfAbsent(shape(r), k -> new LinkedHashMap<>()).put(r.server(), r));
        byShape.forEach((shape, runs) -> {
            LoadRun tidings = runs.get("tidings");
            LoadRun nchan = runs.get("nchan");
            row(md, columns, "CPU per delivered event ≤ nchan's, " + shape, runs,
                    r -> fixed(r.cpuSecondsPerMillion(), 2) + " s per million",
                    tidings == null || nchan == null ? null
                            : tidings.cpuSecondsPerMillion() <= nchan.cpuSecondsPerMillion());
            row(md, columns, "p99 latency ≤ nchan's, " + shape, runs, r -> ms(r.latency().p99()) + " ms",
                    tidings == null || nchan == null ? null : tidings.latency().p99() <= nchan.latency().p99());
            List<LoadRun> onRedis = REDIS.stream().map(runs::get).filter(Objects::nonNull).toList();
            if (tidings != null && !onRedis.isEmpty()) {
                row(md, columns, "Redis bus CPU per delivered event within 15 % of the embedded bus's, " + shape, runs,
                        r -> fixed(r.cpuSecondsPerMillion(), 2) + " s per million" + (REDIS.contains(r.server())
                                ? " (" + percent(r.cpuSecondsPerMillion() / tidings.cpuSecondsPerMillion() - 1) + ")" : ""),
                        onRedis.stream().allMatch(r -> r.cpuSecondsPerMillion()
                                <= tidings.cpuSecondsPerMillion() * (1 + REDIS_CPU_MARGIN)));
            }
        });
        Map<String, StormRun> storms = new LinkedHashMap<>();
        results.storm().forEach(r -> storms.put(r.server(), r));
        List<StormRun> redisStorms = REDIS.stream().map(storms::get).filter(Objects::nonNull).toList();
        if (!redisStorms.isEmpty()) {
            row(md, columns, "reconnect storm on the Redis bus: 0 lost, 0 duplicates, 0 resets", storms,
                    r -> "lost " + r.lost() + ", duplicates " + r.duplicates() + ", resets " + r.resets(),
                    redisStorms.stream().allMatch(r -> r.lost() == 0 && r.duplicates() == 0 && r.resets() == 0
                            && r.allBackMillis() >= 0));
        }
        Map<String, RollingRun> rolls = new LinkedHashMap<>();
        results.rolling().forEach(r -> rolls.put(r.server(), r));
        List<RollingRun> redisRolls = REDIS.stream().map(rolls::get).filter(Objects::nonNull).toList();
        if (!rolls.isEmpty()) {
            row(md, columns, "rolling restart on the Redis bus: 0 lost, 0 duplicates, 0 resets for every client, p99 "
                    + "time without a connection < 5 s", rolls, Report::rollingSummary,
                    redisRolls.isEmpty() ? null : redisRolls.stream().allMatch(Report::rollingMet));
        }

        if (results.fanout().isEmpty() && results.idle().isEmpty() && !results.rolling().isEmpty()) {
            // Starts during a rolling restart are under load: its table gives them, the start-up target is not theirs.
            md.append('\n');
            return;
        }
        Map<String, IdleRun> idle = new LinkedHashMap<>();
        results.idle().forEach(r -> idle.put(r.server(), r));
        IdleRun tidingsIdle = idle.get("tidings");
        row(md, columns, "memory per idle connection ≤ 8 KiB", idle, r -> perConnection(r.bytesPerConnection()),
                tidingsIdle == null || tidingsIdle.bytesPerConnection() < 0 ? null
                        : tidingsIdle.bytesPerConnection() <= IDLE_BYTES_TARGET);

        Map<String, List<Long>> startups = results.startupMillis();
        List<Long> tidingsStarts = startups.getOrDefault("tidings", List.of());
        md.append("| process start to first SSE byte < 1.5 s (median) |");
        for (String server : columns) {
            List<Long> s = startups.getOrDefault(server, List.of());
            md.append(' ').append(s.isEmpty() ? "–" : median(s.stream().sorted().toList()) + " ms").append(" |");
        }
        md.append(' ').append(verdict(tidingsStarts.isEmpty() ? null
                : median(tidingsStarts.stream().sorted().toList()) < STARTUP_MILLIS_TARGET)).append(" |\n\n");
    }

    /** The target table's columns: Tidings and its two peers, and Tidings native or on the Redis bus when the run measured it. */
    static List<String> columns(Results results) {
        Set<String> measured = new HashSet<>(results.startupMillis().keySet());
        results.fanout().forEach(r -> measured.add(r.server()));
        results.storm().forEach(r -> measured.add(r.server()));
        results.rolling().forEach(r -> measured.add(r.server()));
        return ORDER.stream().filter(server -> !OPTIONAL.contains(server) || measured.contains(server)).toList();
    }

    /** Losses, duplicates and unopened streams of Tidings over every bus it ran on; null when it did not run. */
    private static long[] tidingsTotal(Map<String, long[]> byServer) {
        long[] total = null;
        for (String server : List.of("tidings", "tidings-redis", "tidings-redis-x2")) {
            long[] counts = byServer.get(server);
            if (counts != null) {
                total = total == null ? new long[3] : total;
                for (int i = 0; i < 3; i++) {
                    total[i] += counts[i];
                }
            }
        }
        return total;
    }

    private static String rollingSummary(RollingRun run) {
        long lost = run.clients().stream().mapToLong(RollingClients::lost).sum();
        long duplicates = run.clients().stream().mapToLong(RollingClients::duplicates).sum();
        long resets = run.clients().stream().mapToLong(RollingClients::resets).sum();
        long p99 = run.clients().stream().mapToLong(RollingClients::offlineP99Millis).max().orElse(0);
        return "lost " + lost + ", duplicates " + duplicates + ", resets " + resets + ", offline p99 " + p99 + " ms";
    }

    /** Every client of every kind whole: nothing lost or twice, no reset, all open again, back within the bound. */
    static boolean rollingMet(RollingRun run) {
        return run.published() > 0 && run.clients().stream().allMatch(c -> c.lost() == 0 && c.duplicates() == 0
                && c.resets() == 0 && c.openAtEnd() == c.clients() && c.offlineP99Millis() < ROLLING_OFFLINE_P99_MILLIS);
    }

    private static void rolling(StringBuilder md, List<RollingRun> runs) {
        md.append("## Rolling restart\n\nThe replicas sit behind nginx, set up as a Kubernetes Service and an SSE-safe "
                + "Ingress would be (no buffering; a connection error or a 503 goes to the next replica). Java SDK "
                + "clients (the SDK's defaults) and raw EventSource-style clients (reconnect, `Last-Event-ID`) "
                + "subscribe through it and a publisher publishes through it at a steady rate, retrying a 503 or 429 "
                + "after its `Retry-After`. Each replica in turn gets SIGTERM, drains (readiness DOWN, streams ended), "
                + "exits, starts again and is ready before the next goes, as `maxUnavailable: 0` rolls a Deployment. "
                + "*Lost* counts, per client, events the server accepted (2xx) that the client never received, and *lost without a reset* those of clients that were never told "
                + "with a `reset` that they may have missed events (silent loss); "
                + "*offline* is, per cut stream, the time from its end to the next open one. nchan (its Redis storage, "
                + "three instances) gets the raw clients only, since the SDK speaks Tidings's API; SIGTERM is nginx's "
                + "fast shutdown, with no drain.\n\n");
        md.append("| server | clients | kind | open at the end | expected | lost | lost without a reset | duplicates "
                + "| resets (clients) | cuts | offline p50 (ms) | p99 (ms) | max (ms) |\n"
                + "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (RollingRun r : sorted(runs, RollingRun::server)) {
            for (RollingClients c : r.clients()) {
                md.append("| ").append(rollingLabel(r)).append(" | ").append(c.clients()).append(" | ")
                        .append(c.kind()).append(" | ").append(c.openAtEnd()).append(" | ").append(c.expected())
                        .append(" | ").append(c.lost()).append(" | ").append(c.silentlyLost()).append(" | ")
                        .append(c.duplicates()).append(" | ").append(c.resets()).append(" (")
                        .append(c.clientsWithResets()).append(") | ").append(c.cuts()).append(" | ")
                        .append(c.offlineP50Millis()).append(" | ").append(c.offlineP99Millis()).append(" | ")
                        .append(c.offlineMaxMillis()).append(" |\n");
            }
        }
        md.append("\n| server | replicas restarted | exit after SIGTERM (ms) | ready after start (ms) | published/s "
                + "| accepted | refusals retried | accepted after a refusal | given up | server CPU (s) "
                + "| balancer CPU (s) | notes |\n|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (RollingRun r : sorted(runs, RollingRun::server)) {
            String failures = r.publishFailures().isEmpty() ? "" : " " + r.publishFailures();
            md.append("| ").append(rollingLabel(r)).append(" | ").append(r.restarted()).append(" of ")
                    .append(r.replicas()).append(" | ")
                    .append(r.restarts().stream().map(t -> Long.toString(t.stopMillis())).collect(Collectors.joining(", ")))
                    .append(" | ")
                    .append(r.restarts().stream().map(t -> Long.toString(t.readyMillis())).collect(Collectors.joining(", ")))
                    .append(" | ").append(trimNumber(fixed(r.publishRate(), 2))).append(" | ").append(r.published()).append(" | ")
                    .append(r.refused()).append(" | ").append(r.acceptedAfterRefusal()).append(" | ")
                    .append(r.publishFailed()).append(failures).append(" | ").append(fixed(r.serverCpuSeconds(), 1))
                    .append(" | ").append(fixed(r.balancerCpuSeconds(), 1)).append(" | ").append(cell(r.note()))
                    .append(" |\n");
        }
        md.append('\n');
    }

    /** The embedded bus keeps its history in its one process: say so beside the Redis rows. */
    private static String rollingLabel(RollingRun run) {
        return !run.server().equals("tidings") ? label(run.server())
                : label(run.server()) + ", embedded bus, " + run.replicas() + (run.replicas() == 1 ? " replica" : " replicas");
    }

    private static <R> void row(StringBuilder md, List<String> columns, String target, Map<String, R> runs,
            java.util.function.Function<R, String> value, Boolean met) {
        md.append("| ").append(target).append(" |");
        for (String server : columns) {
            R run = runs.get(server);
            md.append(' ').append(run == null ? "–" : value.apply(run)).append(" |");
        }
        md.append(' ').append(verdict(met)).append(" |\n");
    }

    private static String verdict(Boolean met) {
        return met == null ? "not measured" : met ? "**met**" : "**missed**";
    }

    /** {@code 2 000 × 20/s}. */
    static String shape(LoadRun r) {
        return grouped(r.subscribers()) + " × " + Charts.number(r.publishRate()) + "/s";
    }

    /** The row a fan-out run other than the sweep stands for: {@code 2 000 × 10/s, h2c}. */
    static String rowLabel(LoadRun r) {
        return switch (r.scenario()) {
            case "h2c" -> shape(r) + ", h2c";
            case "gzip" -> shape(r) + ", gzip";
            default -> shape(r);
        };
    }

    private static void loadTable(StringBuilder md, List<LoadRun> runs, String firstHeader,
            java.util.function.Function<LoadRun, String> first) {
        md.append("| server | ").append(firstHeader).append(" | open | published | delivered/s | lost | duplicates | p50 (ms) | p90 | p99 "
                + "| p99.9 | max | publish p99 (ms) | server CPU (s) | CPU s per million events | server RSS (MiB) "
                + "| bench CPU (s) | notes |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (LoadRun r : runs) {
            List<String> notes = new ArrayList<>();
            if (r.publishFailed() > 0) {
                notes.add(r.publishFailed() + " publishes failed");
            }
            if (r.publishSkipped() > 0) {
                notes.add(r.publishSkipped() + " publishes skipped (too many in flight)");
            }
            if (r.resets() > 0) {
                notes.add(r.resets() + " resets");
            }
            if (r.reordered() > 0) {
                notes.add(r.reordered() + " out of publish order");
            }
            if (!r.note().isEmpty()) {
                notes.add(r.note());
            }
            md.append("| ").append(label(r.server())).append(" | ").append(first.apply(r))
                    .append(" | ").append(grouped(r.connected()))
                    .append(" | ").append(grouped(r.published())).append(" | ").append(grouped(r.deliveredPerSecond()))
                    .append(" | ").append(r.lost()).append(" | ").append(r.duplicates()).append(" | ")
                    .append(ms(r.latency().p50())).append(" | ").append(ms(r.latency().p90())).append(" | ")
                    .append(ms(r.latency().p99())).append(" | ").append(ms(r.latency().p999())).append(" | ")
                    .append(ms(r.latency().max())).append(" | ").append(fixed(r.publishP99Millis(), 2)).append(" | ")
                    .append(fixed(r.serverCpuSeconds(), 2)).append(" | ")
                    .append(fixed(r.cpuSecondsPerMillion(), 2)).append(" | ").append(mib(r.serverRssKiB()))
                    .append(" | ").append(fixed(r.benchCpuSeconds(), 2)).append(" | ")
                    .append(cell(String.join("; ", notes))).append(" |\n");
        }
        md.append('\n');
    }

    private static void image(StringBuilder md, String chartPath, List<String> charts, String chart, String alt) {
        if (charts.contains(chart)) {
            md.append("![").append(alt).append("](").append(chartPath).append(chart).append(")\n\n");
        }
    }

    /** The fan-out rows besides the sweep, in the order the report shows them. */
    static final List<String> FANOUT_ROW_ORDER = List.of("rate", "h2c", "gzip");

    private static final String FANOUT_ROWS = """
            ## Fan-out: higher rate, HTTP/2 and compression

            The fan-out above with one thing changed. Publishing is HTTP/1.1 in every row.

            - **rate**: more events a second to the same kind of audience, over HTTP/1.1.
            - **h2c**: subscribers over HTTP/2 with prior knowledge (no TLS, no upgrade), their streams \
            multiplexed over a few connections (the notes give how many); Tidings takes h2c on its HTTP port, nchan \
            (`listen … http2`) and Node.js (`http2.createServer`) on a listener of their own.
            - **gzip**: subscribers send `Accept-Encoding: gzip` and inflate the body as it arrives; Tidings runs \
            with `quarkus.http.enable-compression=true`, nchan with `gzip on; gzip_types text/event-stream;`, \
            Node.js gzips with zlib, flushed after each event. The notes say which `Content-Encoding` the \
            subscribers actually received (`identity`: none). Quarkus compresses only the media types of the \
            build-time `quarkus.http.compress-media-types` (by default not `text/event-stream`); nchan 1.3.6 \
            does not gzip eventsource responses (slact/nchan#194).

            """;

    private static final String METHOD = """
            ## How it was measured

            - **Load generator** (`bench/`, Java 17, Vert.x `NetClient`): every HTTP/1.1 subscription is a raw TCP \
            connection that writes its `GET` and scans the chunked SSE bytes as they arrive (inflating them when they \
            come gzipped), with no thread per connection; an h2c subscription is a stream of Vert.x's HTTP/2 client, \
            read on the event loop of its connection. \
            Connections come from several loopback source addresses (127.0.0.2, …) at a bounded rate. Like an \
            `EventSource`, a subscription reconnects when its stream ends or fails, after a random 0–250 ms and then \
            doubling up to 2 s, sending the last id it saw as `Last-Event-ID`.
            - **Events**: each carries `{"s":<sequence per topic>,"t":<System.nanoTime() of the bench>,"p":"<70 bytes>"}`. \
            Latency is receive time minus `t`, on one clock, into HdrHistogram (µs, 3 significant digits). Every \
            subscription records the sequences it received: a repeat is a duplicate; at the end, once publishing has \
            stopped and nothing more has arrived for the drain time, every sequence the server acknowledged (2xx) \
            on the subscription's topic and not received is a loss (late events still count as delivered, with \
            their latency).
            - **Server cost** from `/proc`: CPU is `utime + stime` of the server's processes (the JVM; nginx's master \
            and workers; node) over the measured window divided by the events delivered in that window; memory is \
            `VmRSS`, and for idle connections the proportional set size (`Pss` of `smaps_rollup`, which does not \
            count nginx's shared memory once per worker).
            - **The peers**: nchan from Debian's `libnginx-mod-nchan` with `bench/nchan/nginx.conf` (eventsource \
            subscriber `/sub/<channel>`, publisher `/pub/<channel>`, 10 000 messages kept per channel for 1 h, new \
            subscribers start at the newest message); the Node.js server is `bench/node/server.js`, one \
            `EventEmitter`, no history. Tidings runs from `server/target/quarkus-app` with its default configuration \
            and the JVM options of `server/jvm.options` (as the README's run command), plus any the settings name.
            - **Tidings on the Redis bus** (when the run names `tidings-redis` or `tidings-redis-x2`): \
            `tidings.bus=redis` on a `redis-server` the bench starts for each run on a loopback port, without \
            persistence; the storm restarts the replicas and leaves Redis running, as a Deployment's rollout \
            does. The server cost counts Redis's CPU with the replicas'. With two replicas each subscriber \
            connects to one of them (half each, every source address on both), publishes take turns between \
            them, and CPU per delivered event is both replicas' and Redis's CPU over all deliveries (the notes \
            give each part's share).
            - **Caveat**: the load generator shares the machine with the server under test (the bench CPU column \
            shows its share); all three servers are measured under the same conditions in the same run.
            """;

    // --- formatting

    private static <R> List<String> servers(List<R> runs, java.util.function.Function<R, String> server) {
        List<String> present = runs.stream().map(server).distinct().toList();
        List<String> ordered = new ArrayList<>(ORDER.stream().filter(present::contains).toList());
        present.stream().filter(s -> !ORDER.contains(s)).forEach(ordered::add);
        return ordered;
    }

    @SafeVarargs
    private static <R> List<R> sorted(List<R> runs, java.util.function.Function<R, String> server,
            java.util.function.ToIntFunction<R>... then) {
        Comparator<R> order = Comparator.comparingInt(r -> {
            int i = ORDER.indexOf(server.apply(r));
            return i < 0 ? ORDER.size() : i;
        });
        for (java.util.function.ToIntFunction<R> key : then) {
            order = Comparator.<R>comparingInt(key).thenComparing(order);
        }
        return runs.stream().sorted(order).collect(Collectors.toList());
    }

    private static <R> List<double[]> points(List<R> runs, ToDoubleFunction<R> x, ToDoubleFunction<R> y) {
        return runs.stream().map(r -> new double[] {x.applyAsDouble(r), y.applyAsDouble(r)}).toList();
    }

    static String label(String server) {
        return LABELS.getOrDefault(server, server);
    }

    static Color color(String server) {
        return COLORS.getOrDefault(server, Color.DARK_GRAY);
    }

    static long median(List<Long> sorted) {
        return sorted.get((sorted.size() - 1) / 2);
    }

    public static String ms(long micros) {
        return fixed(micros / 1000.0, micros < 10_000 ? 2 : 1);
    }

    static String mib(long kib) {
        return fixed(kib / 1024.0, 1);
    }

    /**
     * Memory per held connection; a server whose memory fell while it held them (its garbage
     * collector gave back more than the connections took) has no figure to show.
     */
    static String perConnection(double bytes) {
        return bytes < 0 ? "not measured: memory fell while held" : bytes(bytes);
    }

    static String bytes(double bytes) {
        return bytes >= 1024 ? fixed(bytes / 1024, 2) + " KiB" : fixed(bytes, 0) + " B";
    }

    /** {@code +6.9 %}. */
    static String percent(double fraction) {
        return (fraction >= 0 ? "+" : "") + fixed(fraction * 100, 1) + " %";
    }

    static String fixed(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** 12345.6 → "12 346" (a space between thousands, as the issue writes numbers). */
    public static String grouped(double value) {
        String digits = String.format(Locale.ROOT, "%.0f", value);
        boolean negative = digits.startsWith("-");
        if (negative) {
            digits = digits.substring(1);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < digits.length(); i++) {
            if (i > 0 && (digits.length() - i) % 3 == 0) {
                out.append(' ');
            }
            out.append(digits.charAt(i));
        }
        return (negative ? "-" : "") + out;
    }

    static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
    }

    private static String trimNumber(String number) {
        String trimmed = number.replaceAll("0+$", "");
        return trimmed.endsWith(".") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
