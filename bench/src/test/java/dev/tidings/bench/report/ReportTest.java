package dev.tidings.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tidings.bench.report.Results.IdleRun;
import dev.tidings.bench.report.Results.Latency;
import dev.tidings.bench.report.Results.LoadRun;
import dev.tidings.bench.report.Results.RestartTiming;
import dev.tidings.bench.report.Results.RollingClients;
import dev.tidings.bench.report.Results.RollingRun;
import dev.tidings.bench.report.Results.StormRun;
import dev.tidings.bench.report.Results.ThroughputRun;
import dev.tidings.bench.report.Results.ThroughputStep;

class ReportTest {

    private static Latency latency(long p50Micros, long p99Micros) {
        Histogram histogram = new Histogram(1, 60_000_000, 3);
        histogram.recordValueWithCount(p50Micros, 98);
        histogram.recordValueWithCount(p99Micros, 2);
        return Latency.of(histogram);
    }

    private static LoadRun fanout(String server, int n, long lost, double cpuPerMillion, long p50, long p99) {
        return run("fanout", server, n, 10, lost, cpuPerMillion, p50, p99, "");
    }

    static LoadRun run(String scenario, String server, int n, double rate, long lost, double cpuPerMillion,
            long p50, long p99, String note) {
        return new LoadRun(scenario, server, n, 1, rate, n, 30, 300, 0, 0, 10L * n * 30, 10.0 * n, 300L * n, lost, 0,
                0, 0, 0, latency(p50, p99), 0.5, 1.2, cpuPerMillion * 3 * n / 1e3, cpuPerMillion, 1.5, 200_000, 900,
                1_000_000, 1_030_000, Map.of("vert.x-eventloo", 2.5), note);
    }

    static Results sample() {
        return new Results("2026-11-21T12:00:00Z", "bench/run.sh", false,
                Map.of("CPU", "test CPU, 2 cores"), Map.of("JDK", "17"), Map.of("mode", "full"),
                List.of(fanout("tidings", 1000, 0, 2.0, 900, 2500), fanout("nchan", 1000, 0, 3.0, 1000, 3000),
                        fanout("node", 1000, 0, 5.0, 2000, 9000),
                        fanout("tidings", 10000, 0, 1.5, 1500, 4000), fanout("nchan", 10000, 0, 2.5, 1400, 5000),
                        fanout("node", 10000, 12, 6.0, 5000, 40000)),
                List.of(run("gzip", "tidings", 2000, 10, 0, 9.0, 1200, 3500, "received HTTP/1.1 identity on 2000 stream opens"),
                        run("rate", "nchan", 2000, 20, 0, 8.0, 1100, 3000, ""),
                        run("rate", "tidings", 2000, 20, 0, 7.5, 1000, 3200, ""),
                        run("h2c", "tidings", 2000, 10, 0, 6.0, 900, 2800,
                                "received HTTP/2 identity on 2000 stream opens over 20 connections")),
                List.of(new LoadRun("chat", "tidings", 10000, 1000, 1000, 10000, 30, 30000, 0, 0, 300000, 10000,
                        300000, 0, 0, 3, 0, 0, latency(800, 2000), 0.6, 2.5, 4, 13.3, 2, 300_000, 900, 1_000_000,
                        1_030_000, Map.of(), "")),
                List.of(new IdleRun("tidings", 10000, 10000, 100_000, 160_000, 99_000, 150_000, 5222.4, 6144, 10, 0.2,
                        900, ""), new IdleRun("nchan", 10000, 10000, 10_000, 40_000, 9_000, 30_000, 2150.4, 3072, 10,
                        0.1, 20, "")),
                List.of(new StormRun("tidings", 5000, 5000, 300, 950, 2400, 5000, 150, 20, 750000, 35000, 0, 5000,
                        Map.of(503, 12L), "")),
                List.of(new ThroughputRun("tidings", List.of(
                        new ThroughputStep(1, 3, 6000, 0, 2000, 0.4, 1.1, Map.of()),
                        new ThroughputStep(2, 3, 12000, 0, 4000, 0.45, 1.3, Map.of()),
                        new ThroughputStep(4, 3, 9000, 3, 3000, 0.9, 4.0, Map.of("HTTP 503", 3L))),
                        4000, 2, 4, 0, 0, "")),
                Map.of("tidings", List.of(900L, 1100L, 1000L), "nchan", List.of(20L)), List.of(), List.of());
    }

    @Test
    void rendersEveryScenarioWithTheTargetsJudged() {
        String md = Report.markdown(sample(), "results/", List.of(Report.CHART_FANOUT_LATENCY, Report.CHART_IDLE_MEMORY));

        assertThat(md).contains("# Tidings benchmark results", "## Fan-out", "## Chat", "## Idle hold",
                "## Reconnect storm", "## Publish throughput", "## Start-up", "## How it was measured");
        assertThat(md).doesNotContain("Quick smoke run");
        assertThat(md).contains("At every fan-out size and at the higher rate, Tidings's server CPU per delivered event");
        assertThat(md).contains("| zero loss and zero duplicates, every fan-out row | lost 0, duplicates 0 "
                + "| lost 0, duplicates 0 | lost 12, duplicates 0 | **met** |");
        assertThat(md).contains("| CPU per delivered event ≤ nchan's, 1 000 × 10/s | 2.00 s per million "
                + "| 3.00 s per million | 5.00 s per million | **met** |");
        assertThat(md).contains("| CPU per delivered event ≤ nchan's, 10 000 × 10/s | 1.50 s per million "
                + "| 2.50 s per million | 6.00 s per million | **met** |");
        // p99 of 4 ms against nchan's 5 ms
        assertThat(md).contains("| p99 latency ≤ nchan's, 10 000 × 10/s | 4.00 ms | 5.00 ms | 40.0 ms | **met** |");
        // the higher-rate row is a target too, after the sweep; h2c and gzip are not
        assertThat(md).contains("| p99 latency ≤ nchan's, 2 000 × 20/s | 3.20 ms | 3.00 ms | – | **missed** |");
        assertThat(md.indexOf("nchan's, 10 000 × 10/s")).isLessThan(md.indexOf("nchan's, 2 000 × 20/s"));
        assertThat(md).doesNotContain("nchan's, 2 000 × 10/s");
        // the other fan-out rows: rate, then h2c, then gzip, with what the subscribers received
        assertThat(md).contains("## Fan-out: higher rate, HTTP/2 and compression");
        assertThat(md.indexOf("| Tidings | 2 000 × 20/s |")).isLessThan(md.indexOf("| nchan | 2 000 × 20/s |"));
        assertThat(md.indexOf("| nchan | 2 000 × 20/s |")).isLessThan(md.indexOf("| Tidings | 2 000 × 10/s, h2c |"));
        assertThat(md.indexOf("| Tidings | 2 000 × 10/s, h2c |")).isLessThan(md.indexOf("| Tidings | 2 000 × 10/s, gzip |"));
        assertThat(md).contains("received HTTP/2 identity on 2000 stream opens over 20 connections |");
        assertThat(md).contains("received HTTP/1.1 identity on 2000 stream opens |");
        assertThat(md).contains("| memory per idle connection ≤ 8 KiB | 5.10 KiB | 2.10 KiB | – | **met** |");
        assertThat(md).contains("| process start to first SSE byte < 1.5 s (median) | 1000 ms | 20 ms | – | **met** |");
        assertThat(md).contains("![Fan-out latency against subscribers](results/fanout-latency.png)");
        assertThat(md).doesNotContain("fanout-cpu.png");
        // fan-out rows grouped by size, servers in order
        assertThat(md.indexOf("| Tidings | 1 000 |")).isLessThan(md.indexOf("| nchan | 1 000 |"));
        assertThat(md.indexOf("| Node.js | 1 000 |")).isLessThan(md.indexOf("| Tidings | 10 000 |"));
        assertThat(md).contains("| Tidings | 10 000 (1000 rooms) |");
        assertThat(md).contains("| 2.50 | 4.00 | 13.30 |"); // publish p99, server CPU, CPU per million of the chat run
        assertThat(md).contains("| 35000 | 0 | 5000 | reconnects refused: 12 × 503 |");
        assertThat(md).contains("| Tidings | 4 000 | 2 | 4 in flight | 0 | 0 |  |");
        assertThat(md).contains("| Tidings | 4 | 3 000 | 0.90 | 4.00 | 3 {HTTP 503=3} |");
    }

    @Test
    void aServerWhoseMemoryFellWhileHoldingConnectionsHasNoFigurePerConnection() {
        Results base = sample();
        Results results = new Results(base.date(), base.command(), false, base.machine(), base.versions(),
                base.settings(), base.fanout(), List.of(), List.of(), List.of(
                        new IdleRun("tidings", 10000, 10000, 100_000, 160_000, 99_000, 150_000, 5222.4, 6144, 10, 0.2, 900, ""),
                        new IdleRun("node", 10000, 10000, 170_000, 151_000, 170_000, 151_000, -1928, -1928, 10, 0.01, 60, "")),
                List.of(), List.of(), base.startupMillis(), List.of(), List.of());

        String md = Report.markdown(results, "", List.of());

        assertThat(md).contains("| memory per idle connection ≤ 8 KiB | 5.10 KiB | – | not measured: memory fell while held "
                + "| **met** |");
        assertThat(md).contains("| not measured: memory fell while held | not measured: memory fell while held |");
        assertThat(md).doesNotContain("-1928");
    }

    @Test
    void saysWhichTargetsAreMissed() {
        Results base = sample();
        List<LoadRun> fanout = List.of(fanout("tidings", 10000, 3, 4.0, 1500, 8000),
                fanout("nchan", 10000, 0, 2.5, 1400, 5000));
        Results results = new Results(base.date(), base.command(), true, base.machine(), base.versions(),
                base.settings(), fanout, List.of(), List.of(), List.of(new IdleRun("tidings", 300, 300, 1, 2, 100, 10_000,
                        33_000, 33_000, 2, 0, 2000, "")), List.of(), List.of(), Map.of("tidings", List.of(2000L)), List.of(),
                List.of());

        String md = Report.markdown(results, "", List.of());

        assertThat(md).contains("Quick smoke run", "(a quick run: its sizes are not the issue's)");
        assertThat(md).contains("| zero loss and zero duplicates, every fan-out row | lost 3, duplicates 0 "
                + "| lost 0, duplicates 0 | – | **missed** |");
        assertThat(md).contains("≤ nchan's, 10 000 × 10/s | 4.00 s per million | 2.50 s per million | – | **missed** |");
        assertThat(md).contains("| p99 latency ≤ nchan's, 10 000 × 10/s | 8.00 ms | 5.00 ms | – | **missed** |");
        assertThat(md).doesNotContain("## Fan-out: higher rate");
        assertThat(md).contains("| memory per idle connection ≤ 8 KiB | 32.23 KiB | – | – | **missed** |");
        assertThat(md).contains("(median) | 2000 ms | – | – | **missed** |");
        assertThat(md).doesNotContain("## Chat").doesNotContain("## Reconnect storm");
    }

    @Test
    void judgesTheRedisBusAgainstTheEmbeddedBusInTheSameRun() {
        Results base = sample();
        List<LoadRun> fanout = List.of(fanout("tidings", 1000, 0, 2.0, 900, 2500),
                fanout("tidings-redis", 1000, 0, 2.2, 1000, 2600), fanout("tidings-redis-x2", 1000, 0, 2.3, 1000, 2700),
                fanout("nchan", 1000, 0, 3.0, 1000, 3000),
                fanout("tidings", 10000, 0, 1.5, 1500, 4000), fanout("tidings-redis", 10000, 0, 1.6, 1500, 4000),
                fanout("tidings-redis-x2", 10000, 0, 1.8, 1500, 4000));
        List<StormRun> storm = List.of(new StormRun("tidings", 5000, 5000, 300, 950, 2400, 5000, 150, 0, 750000, 0, 0,
                5000, Map.of(), ""), new StormRun("tidings-redis", 5000, 5000, 300, 950, 2600, 5000, 150, 0, 750000, 0,
                0, 0, Map.of(), ""));
        Results results = new Results(base.date(), base.command(), false, base.machine(), base.versions(),
                base.settings(), fanout, List.of(), List.of(), List.of(), storm, List.of(),
                Map.of("tidings", List.of(900L), "tidings-redis", List.of(950L), "tidings-redis-x2", List.of(1400L)), List.of(),
                List.of());

        String md = Report.markdown(results, "", List.of());

        assertThat(md).contains("| target | Tidings | Tidings, Redis bus | Tidings, Redis bus, 2 replicas | nchan "
                + "| Node.js | Tidings meets it |\n|---|---|---|---|---|---|---|\n");
        assertThat(md).contains("| Redis bus CPU per delivered event within 15 % of the embedded bus's, 1 000 × 10/s "
                + "| 2.00 s per million | 2.20 s per million (+10.0 %) | 2.30 s per million (+15.0 %) "
                + "| 3.00 s per million | – | **met** |");
        assertThat(md).contains("| Redis bus CPU per delivered event within 15 % of the embedded bus's, 10 000 × 10/s "
                + "| 1.50 s per million | 1.60 s per million (+6.7 %) | 1.80 s per million (+20.0 %) | – | – "
                + "| **missed** |");
        assertThat(md).contains("| reconnect storm on the Redis bus: 0 lost, 0 duplicates, 0 resets "
                + "| lost 0, duplicates 0, resets 5000 | lost 0, duplicates 0, resets 0 | – | – | – | **met** |");
        assertThat(md).contains("| Tidings, Redis bus, 2 replicas | 10 000 |");
    }

    private static RollingRun rolling(String server, int replicas, long lost, long silentlyLost, long resets,
            long offlineP99) {
        List<RollingClients> clients = List.of(
                new RollingClients("Java SDK", 1000, 1000, 1000, 600_000, 600_000 - lost, lost, silentlyLost, 0, resets,
                        resets > 0 ? 1000 : 0, 1500, 2400, offlineP99, offlineP99 + 100),
                new RollingClients("raw EventSource", 200, 200, 200, 120_000, 120_000, 0, 0, 0, 0, 0, 300, 150, 300, 400));
        return new RollingRun(server, replicas, replicas, 20, 45.5, 600, 3, 3, 1, Map.of("HTTP 502", 1L), clients,
                List.of(new RestartTiming(5150, 2400)), 60.5, 1.2, "");
    }

    @Test
    void judgesTheRollingRestartOnTheRedisBusAndShowsTheEmbeddedBusForContrast() {
        Results base = sample();
        Results results = new Results(base.date(), base.command(), false, base.machine(), base.versions(),
                base.settings(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), Map.of(),
                List.of(rolling("tidings", 1, 900, 0, 1000, 9800), rolling("tidings-redis-x3", 3, 0, 0, 0, 3000),
                        rolling("nchan-redis-x3", 3, 0, 0, 0, 250)), List.of());

        String md = Report.markdown(results, "", List.of());

        assertThat(md).contains("| rolling restart on the Redis bus: 0 lost, 0 duplicates, 0 resets for every client, "
                + "p99 time without a connection < 5 s | lost 900, duplicates 0, resets 1000, offline p99 9800 ms "
                + "| lost 0, duplicates 0, resets 0, offline p99 3000 ms |");
        assertThat(md).contains("## Rolling restart");
        assertThat(md).contains("| Tidings, Redis bus, 3 replicas | 1000 | Java SDK | 1000 | 600000 | 0 | 0 | 0 | 0 (0) "
                + "| 1500 | 2400 | 3000 | 3100 |");
        assertThat(md).contains("| Tidings, embedded bus, 1 replica | 1000 | Java SDK | 1000 | 600000 | 900 | 0 | 0 "
                + "| 1000 (1000) |");
        assertThat(md).contains("| Tidings, Redis bus, 3 replicas | 3 of 3 | 5150 | 2400 | 20 | 600 | 3 | 3 "
                + "| 1 {HTTP 502=1} | 60.5 | 1.2 |");
        assertThat(md.lines().filter(line -> line.startsWith("| rolling restart on the Redis bus")))
                .singleElement().asString().endsWith("| **met** |");
        assertThat(md).contains("| nchan, Redis storage, 3 instances | 200 | raw EventSource |")
                .doesNotContain("nchan, Redis storage, 3 instances, embedded bus");
        assertThat(md).as("starts under a rolling restart are not the start-up target's")
                .doesNotContain("process start to first SSE byte").doesNotContain("memory per idle connection");

        Results slow = new Results(base.date(), base.command(), false, base.machine(), base.versions(),
                base.settings(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), Map.of(),
                List.of(rolling("tidings-redis-x3", 3, 0, 0, 0, 5000)), List.of());
        assertThat(Report.markdown(slow, "", List.of()).lines()
                .filter(line -> line.startsWith("| rolling restart on the Redis bus"))).singleElement().asString()
                .as("a p99 of 5 s is not under 5 s").endsWith("| **missed** |");
        assertThat(Report.markdown(sample(), "", List.of())).doesNotContain("## Rolling restart");
    }

    @Test
    void showsTheNativeExecutableBesideTheJvmOnlyWhenTheRunMeasuredIt() {
        Results base = sample();
        List<LoadRun> fanout = List.of(fanout("tidings", 10000, 0, 1.5, 1500, 4000),
                fanout("tidings-native", 10000, 0, 1.6, 1500, 4000), fanout("nchan", 10000, 0, 1.7, 1500, 4000));
        Results results = new Results(base.date(), base.command(), false, base.machine(), base.versions(),
                base.settings(), fanout, List.of(), List.of(), List.of(), List.of(), List.of(),
                Map.of("tidings", List.of(1400L), "tidings-native", List.of(70L)), List.of(), List.of());

        String md = Report.markdown(results, "", List.of());

        assertThat(md).contains("| target | Tidings | Tidings, native executable | nchan | Node.js | Tidings meets it |");
        assertThat(md).contains("| CPU per delivered event ≤ nchan's, 10 000 × 10/s | 1.50 s per million "
                + "| 1.60 s per million | 1.70 s per million | – | **met** |");
        assertThat(md).contains("| Tidings, native executable | 1 | 70 | 70 | 70 |");
        assertThat(Report.markdown(sample(), "", List.of())).doesNotContain("native executable");
    }

    @Test
    void drawsReadableChartsAndSurvivesAJsonRoundTrip(@TempDir Path dir) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Results results = json.readValue(json.writeValueAsString(sample()), Results.class);
        assertThat(results).isEqualTo(sample());

        List<String> charts = Report.charts(results, dir);

        assertThat(charts).containsExactly(Report.CHART_FANOUT_LATENCY, Report.CHART_FANOUT_CPU,
                Report.CHART_LATENCY_DISTRIBUTION, Report.CHART_IDLE_MEMORY, Report.CHART_THROUGHPUT);
        for (String chart : charts) {
            BufferedImage image = ImageIO.read(dir.resolve(chart).toFile());
            assertThat(image.getWidth()).isEqualTo(Charts.WIDTH);
            assertThat(image.getHeight()).isEqualTo(Charts.HEIGHT);
            assertThat(distinctColours(image)).as(chart).isGreaterThan(10);
        }
        assertThat(Files.size(dir.resolve(Report.CHART_FANOUT_LATENCY))).isGreaterThan(5_000);
    }

    @Test
    void readsAResultsFileWrittenBeforeTheFanoutRows() throws Exception {
        ObjectMapper json = new ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode tree = json.valueToTree(sample());
        tree.remove("fanoutRows");
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("fanout").get(0)).remove("serverThreadCpuSeconds");

        Results results = json.treeToValue(tree, Results.class);

        assertThat(results.fanoutRows()).isEmpty();
        assertThat(results.fanout().get(0).serverThreadCpuSeconds()).isEmpty();
        assertThat(Report.markdown(results, "", List.of())).contains("## Fan-out\n")
                .doesNotContain("## Fan-out: higher rate");
    }

    @Test
    void formatsNumbersForTables() {
        assertThat(Report.grouped(1234567.4)).isEqualTo("1 234 567");
        assertThat(Report.grouped(999)).isEqualTo("999");
        assertThat(Report.ms(1234)).isEqualTo("1.23");
        assertThat(Report.ms(123_456)).isEqualTo("123.5");
        assertThat(Report.bytes(5222.4)).isEqualTo("5.10 KiB");
        assertThat(Report.bytes(800)).isEqualTo("800 B");
        assertThat(Report.cell("a|b\nc")).isEqualTo("a\\|b c");
        assertThat(Report.percentileLabel(1000)).isEqualTo("99.9%");
        assertThat(Charts.number(1_500_000)).isEqualTo("1.5M");
        assertThat(Charts.number(20_000)).isEqualTo("20k");
        assertThat(Charts.number(0.05)).isEqualTo("0.05");
    }

    @Test
    void ticksAreRoundNumbersInsideTheRange() {
        assertThat(Charts.ticks(new double[] {0, 9.3}, false)).containsExactly(0.0, 2.0, 4.0, 6.0, 8.0);
        assertThat(Charts.ticks(new double[] {0.8, 120}, true)).containsExactly(1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0);
    }

    private static int distinctColours(BufferedImage image) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int x = 0; x < image.getWidth(); x += 3) {
            for (int y = 0; y < image.getHeight(); y += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
