package dev.tidings.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.tidings.bench.load.LoadClient;
import dev.tidings.bench.load.Transport;
import dev.tidings.bench.profile.JfrProfile;
import dev.tidings.bench.profile.ProfileSummary;
import dev.tidings.bench.report.Repeats;
import dev.tidings.bench.report.Report;
import dev.tidings.bench.report.Results;
import dev.tidings.bench.report.Results.IdleRun;
import dev.tidings.bench.report.Results.LoadRun;
import dev.tidings.bench.report.Results.RollingRun;
import dev.tidings.bench.report.Results.StormRun;
import dev.tidings.bench.report.Results.ThroughputRun;
import dev.tidings.bench.server.NchanServer;
import dev.tidings.bench.server.NodeServer;
import dev.tidings.bench.server.ServerUnderTest;
import dev.tidings.bench.server.TidingsServer;

/**
 * Runs the comparison: every scenario against every server, the servers alternating run by run,
 * then writes {@code results.json}, the PNG charts and the Markdown report.
 */
public final class Main {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Config config;
    private final String command;
    private final Map<String, ServerUnderTest> servers = new LinkedHashMap<>();
    private final List<LoadRun> fanout = new ArrayList<>();
    private final List<LoadRun> fanoutRows = new ArrayList<>();
    private final List<LoadRun> chat = new ArrayList<>();
    private final List<IdleRun> idle = new ArrayList<>();
    private final List<StormRun> storm = new ArrayList<>();
    private final List<ThroughputRun> throughput = new ArrayList<>();
    private final List<RollingRun> rolling = new ArrayList<>();
    private final String date = ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS)
            .format(DateTimeFormatter.ISO_INSTANT);

    private Main(Config config, String command) {
        this.config = config;
        this.command = command;
    }

    public static void main(String[] args) throws Exception {
        Config config;
        try {
            config = Config.parse(args);
        } catch (Config.UsageException e) {
            if (e.getMessage() != null) {
                System.err.println(e.getMessage());
            }
            System.err.print(Config.USAGE);
            System.exit(e.getMessage() == null ? 0 : 2);
            return;
        }
        if (config.renderOnly != null) {
            Results results = JSON.readValue(config.renderOnly.toFile(), Results.class);
            write(config, results);
            return;
        }
        String command = System.getProperty("bench.command", "bench/run.sh " + String.join(" ", args)).trim();
        new Main(config, command).run();
    }

    private void run() throws Exception {
        Path logs = config.targetDir().resolve("logs");
        Path benchDir = config.benchDir();
        for (String name : config.servers) {
            ServerUnderTest server = switch (name) {
                case "tidings", "tidings-redis", "tidings-redis-x2", "tidings-redis-x3" -> new TidingsServer(logs, config.tidingsApp,
                        config.tidingsJavaHome, config.tidingsJvmOptions, config.jfr ? config.targetDir().resolve("jfr") : null,
                        config.tidingsJwt, Config.REDIS_SERVERS.indexOf(name) + 1, null);
                case TidingsServer.NATIVE -> new TidingsServer(logs, config.tidingsApp, null, config.tidingsJvmOptions, null,
                        config.tidingsJwt, 0, config.tidingsBinary);
                case "nchan", Config.NCHAN_REDIS -> new NchanServer(logs, benchDir.resolve("nchan/nginx.conf"),
                        config.targetDir(), config.nchanWorkers, name.equals("nchan") ? 0 : 3);
                case "node" -> new NodeServer(logs, benchDir.resolve("node/server.js"));
                default -> throw new IllegalArgumentException(name);
            };
            servers.put(name, server);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> servers.values().forEach(ServerUnderTest::kill)));
        Scenarios.log("Tidings bench (%s): servers %s, scenarios %s; logs in %s", config.quick ? "quick" : "full",
                config.servers, config.profile ? List.of("profile") : config.scenarios, logs);

        try (LoadClient load = new LoadClient(config.eventLoops, config.sourceAddresses)) {
            Scenarios scenarios = new Scenarios(config, load);
            if (config.profile) {
                profile(scenarios, (TidingsServer) servers.values().iterator().next());
                return;
            }
            for (String scenario : config.scenarios) {
                switch (scenario) {
                    case "fanout" -> {
                        for (int n : config.fanoutSizes) {
                            Config.Shape shape = new Config.Shape(n, config.fanoutRate);
                            repeated(server -> fanout.add(scenarios.fanout(server, "fanout", shape, Transport.HTTP1)),
                                    "fan-out " + shape);
                        }
                    }
                    case "rate" -> repeated(server -> fanoutRows.add(
                            scenarios.fanout(server, "rate", config.rateRow, Transport.HTTP1)),
                            "fan-out " + config.rateRow);
                    case "h2c" -> each(server -> fanoutRows.add(
                            scenarios.fanout(server, "h2c", config.h2cRow, Transport.H2C)),
                            "h2c fan-out " + config.h2cRow);
                    case "gzip" -> each(server -> fanoutRows.add(
                            scenarios.fanout(server, "gzip", config.gzipRow, Transport.GZIP)),
                            "gzip fan-out " + config.gzipRow);
                    case "chat" -> each(server -> chat.add(scenarios.chat(server)), "chat");
                    case "idle" -> each(server -> idle.add(scenarios.idle(server)), "idle hold");
                    case "storm" -> each(server -> storm.add(scenarios.storm(server)), "reconnect storm");
                    case "throughput" -> each(server -> throughput.add(scenarios.throughput(server)), "throughput");
                    case "rolling" -> each(server -> rolling.add(scenarios.rolling(server)), "rolling restart");
                    default -> throw new IllegalArgumentException(scenario);
                }
                write(config, results()); // a partial report survives an interrupted run
            }
        } finally {
            for (ServerUnderTest server : servers.values()) {
                server.stop();
            }
        }
        Path report = write(config, results());
        Scenarios.log("report: %s", report);
    }

    /** Tidings alone at the profile row under JFR; the summary goes beside the results. */
    private void profile(Scenarios scenarios, TidingsServer server) throws Exception {
        LoadRun run;
        try {
            run = scenarios.fanout(server, "profile", config.profileRow, Transport.HTTP1);
        } finally {
            server.stop(); // the recording is written as the JVM exits
        }
        Path recording = server.recording("profile-" + config.profileRow.label());
        JfrProfile profile = JfrProfile.read(recording, Instant.ofEpochMilli(run.windowStartMillis()),
                Instant.ofEpochMilli(run.windowEndMillis()));
        Path summary = config.profileSummary();
        Files.createDirectories(summary.toAbsolutePath().getParent());
        Files.writeString(summary, ProfileSummary.render(run, profile, date, command, versions()));
        Scenarios.log("profile: %s (recording %s)", summary, recording);
    }

    private interface Step {
        void run(ServerUnderTest server) throws Exception;
    }

    /**
     * {@link #each} {@code config.repeats} times, the servers' order reversed every other round so
     * that neither always runs first after the previous row.
     */
    private void repeated(Step step, String what) throws InterruptedException {
        for (int round = 0; round < config.repeats; round++) {
            List<ServerUnderTest> order = new ArrayList<>(servers.values());
            if (round % 2 == 1) {
                Collections.reverse(order);
            }
            each(order, step, what);
        }
    }

    private void each(Step step, String what) throws InterruptedException {
        each(servers.values(), step, what);
    }

    /** One run per server, in order; a failed run is logged and the others go on. */
    private void each(Collection<ServerUnderTest> order, Step step, String what) throws InterruptedException {
        for (ServerUnderTest server : order) {
            try {
                step.run(server);
            } catch (Exception e) {
                Scenarios.log("%s %s FAILED: %s", server.name(), what, e);
                e.printStackTrace(System.out);
                server.stop();
            }
            Thread.sleep(config.pauseSeconds * 1000L);
        }
    }

    private Results results() {
        Map<String, List<Long>> startups = new LinkedHashMap<>();
        servers.forEach((name, server) -> startups.put(name, server.startupMillis()));
        List<LoadRun> repeatedRuns = new ArrayList<>();
        if (config.repeats > 1) {
            repeatedRuns.addAll(fanout);
            repeatedRuns.addAll(fanoutRows.stream().filter(r -> r.scenario().equals("rate")).toList());
        }
        return new Results(date, command, config.quick, Environment.machine(), versions(), config.describe(),
                Repeats.medians(fanout), Repeats.medians(fanoutRows), chat, idle, storm, throughput, startups, rolling,
                repeatedRuns);
    }

    private Map<String, String> versions() {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("JDK", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        servers.values().forEach(server -> versions.put(server.name(), server.describe()));
        versions.put("load generator", "Vert.x " + Environment.vertxVersion() + ", HdrHistogram "
                + Environment.hdrHistogramVersion());
        return versions;
    }

    /** Writes results.json, the charts and the report; returns the report's path. */
    private static Path write(Config config, Results results) throws IOException {
        Path dir = config.resultsDir;
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve("results.json").toFile(), results);
        List<String> charts = Report.charts(results, dir);
        Path report = config.report;
        Path reportDir = report.toAbsolutePath().getParent();
        Files.createDirectories(reportDir);
        String chartPath = reportDir.relativize(dir.toAbsolutePath()).toString();
        chartPath = chartPath.isEmpty() ? "" : chartPath.replace('\\', '/') + "/";
        Files.writeString(report, Report.markdown(results, chartPath, charts));
        return report;
    }
}
