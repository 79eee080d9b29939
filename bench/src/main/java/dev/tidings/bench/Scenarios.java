package dev.tidings.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.HdrHistogram.Histogram;

import dev.tidings.bench.load.DeliveryStats;
import dev.tidings.bench.load.LoadClient;
import dev.tidings.bench.load.OfflineTimes;
import dev.tidings.bench.load.Publisher;
import dev.tidings.bench.load.SdkSubscribers;
import dev.tidings.bench.load.SubscriberGroup;
import dev.tidings.bench.load.TopicLedger;
import dev.tidings.bench.load.Transport;
import dev.tidings.bench.proc.Proc;
import dev.tidings.bench.report.Results.IdleRun;
import dev.tidings.bench.report.Results.Latency;
import dev.tidings.bench.report.Results.LoadRun;
import dev.tidings.bench.report.Results.RestartTiming;
import dev.tidings.bench.report.Results.RollingClients;
import dev.tidings.bench.report.Results.RollingRun;
import dev.tidings.bench.report.Results.StormRun;
import dev.tidings.bench.report.Results.ThroughputRun;
import dev.tidings.bench.report.Results.ThroughputStep;
import dev.tidings.bench.server.Balancer;
import dev.tidings.bench.server.ServerUnderTest;
import dev.tidings.bench.server.TidingsServer;

/**
 * The scenarios. Each run starts the server fresh, drives it, reads its cost from {@code /proc}
 * and stops it; every wait is bounded, so a run ends by itself whatever the server does.
 */
final class Scenarios {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_PUBLISH_IN_FLIGHT = 64;
    private static final int PRIME_MAX_SECONDS = 60;
    private static final int SETTLE_MAX_SECONDS = 60;
    private static final long SETTLE_SAMPLE_MILLIS = 2000;
    /** Compiler CPU, as a share of one core, below which the JIT counts as settled. */
    private static final double SETTLED_COMPILER_SHARE = 0.02;

    private final Config config;
    private final LoadClient load;

    Scenarios(Config config, LoadClient load) {
        this.config = config;
        this.load = load;
    }

    // --- fan-out and chat

    /**
     * @param scenario what the run is reported as: {@code fanout} (the sweep), {@code rate},
     *        {@code h2c}, {@code gzip} or {@code profile}
     */
    LoadRun fanout(ServerUnderTest server, String scenario, Config.Shape shape, Transport transport)
            throws Exception {
        TopicLedger topic = new TopicLedger("fan");
        List<TopicLedger> topicOfEach = new ArrayList<>();
        for (int i = 0; i < shape.subscribers(); i++) {
            topicOfEach.add(topic);
        }
        return loadRun(scenario, server, scenario + "-" + shape.label(), topicOfEach, List.of(topic), shape.rate(), 1,
                transport);
    }

    LoadRun chat(ServerUnderTest server) throws Exception {
        List<TopicLedger> rooms = new ArrayList<>();
        for (int r = 0; r < config.chatRooms; r++) {
            rooms.add(new TopicLedger("room-" + r));
        }
        List<TopicLedger> topicOfEach = new ArrayList<>();
        for (int i = 0; i < config.chatRooms * config.chatMembers; i++) {
            topicOfEach.add(rooms.get(i % config.chatRooms)); // a room's members on different loops and addresses
        }
        return loadRun("chat", server, "chat", topicOfEach, rooms, config.chatRate, config.chatRooms,
                Transport.HTTP1);
    }

    private LoadRun loadRun(String scenario, ServerUnderTest server, String label, List<TopicLedger> topicOfEach,
            List<TopicLedger> topics, double rate, int rooms, Transport transport) throws Exception {
        int n = topicOfEach.size();
        long startup = server.start(label, transport.compressed());
        log("%s %s: started in %d ms; opening %d streams over %s", server.name(), label, startup, n,
                transport.label());
        DeliveryStats stats = new DeliveryStats();
        SubscriberGroup group = subscribers(server, transport, stats, topicOfEach);
        Publisher publisher = load.publisher(server, config.publishConnections);
        List<String> notes = new ArrayList<>();
        try {
            int connected = group.open(config.connectRate, config.maxPendingConnects, connectTimeout(n));
            if (connected < n) {
                notes.add(connected + " of " + n + " streams opened (" + group.rejectedByStatus() + " rejected, "
                        + group.connectFailures() + " connect failures)");
            }
            prime(server, transport);
            Thread.sleep(1000);
            publisher.startRate(rate, chooser(topics), MAX_PUBLISH_IN_FLIGHT);
            Thread.sleep(TimeUnit.SECONDS.toMillis(config.warmupSeconds));
            awaitCompilersIdle(server);

            Publisher.Window warmup = publisher.takeWindow();
            stats.startWindow();
            long dropsBefore = group.dropped();
            Proc.Sample server0 = server.sample();
            Map<String, Proc.Sample> parts0 = server.sampleByPart();
            Map<String, Long> threads0 = server.threadTicks();
            Proc.Sample bench0 = Proc.sample(List.of((int) ProcessHandle.current().pid()));
            long t0 = System.nanoTime();
            long windowStart = System.currentTimeMillis();
            log("%s %s: %d streams open, measuring %d s", server.name(), label, group.openCount(), config.durationSeconds);
            Thread.sleep(TimeUnit.SECONDS.toMillis(config.durationSeconds));

            publisher.stop();
            int stuck = publisher.awaitIdle(Publisher.REQUEST_TIMEOUT_MILLIS + 1000);
            if (stuck > 0) {
                notes.add(stuck + " publishes never answered");
            }
            long lost = drain(group);
            long t1 = System.nanoTime();
            long windowEnd = System.currentTimeMillis();
            Proc.Sample server1 = server.sample();
            Map<String, Proc.Sample> parts1 = server.sampleByPart();
            Map<String, Double> threadCpu = threadCpuSeconds(threads0, server.threadTicks());
            Proc.Sample bench1 = Proc.sample(List.of((int) ProcessHandle.current().pid()));
            Publisher.Window window = publisher.takeWindow();
            Histogram latency = stats.latencyInWindow();
            long delivered = stats.deliveredInWindow();
            SubscriberGroup.Accounting accounting = group.account();

            double seconds = (t1 - t0) / 1e9;
            double cpu = Proc.seconds(server1.cpuTicks() - server0.cpuTicks());
            long published = topics.stream().mapToLong(TopicLedger::acknowledgedCount).sum();
            long failed = topics.stream().mapToLong(TopicLedger::failedCount).sum();
            if (group.dropped() > dropsBefore) {
                notes.add((group.dropped() - dropsBefore) + " streams dropped by the server while measuring");
            }
            if (group.unparsable() > 0) {
                notes.add(group.unparsable() + " events without sequence or time");
            }
            if (group.protocolErrors() > 0) {
                notes.add(group.protocolErrors() + " protocol errors: " + group.lastProtocolError());
            }
            if (!window.failures().isEmpty() || !warmup.failures().isEmpty()) {
                Map<String, Long> failures = new TreeMap<>(warmup.failures());
                window.failures().forEach((k, v) -> failures.merge(k, v, Long::sum));
                notes.add("publish failures " + failures);
            }
            if (transport != Transport.HTTP1) {
                notes.add(carriedAs(group));
            }
            if (!parts1.isEmpty()) {
                notes.add(cpuByPart(parts0, parts1));
            }
            LoadRun run = new LoadRun(scenario, server.name(), n, rooms, rate, connected, seconds, published, failed,
                    warmup.skipped() + window.skipped(), delivered, delivered / seconds, accounting.expected(), lost,
                    accounting.duplicates(), accounting.reordered(), group.dropped(), group.resets(),
                    Latency.of(latency), window.roundTrip().getValueAtPercentile(50) / 1000.0,
                    window.roundTrip().getValueAtPercentile(99) / 1000.0, cpu, delivered == 0 ? 0 : cpu / (delivered / 1e6),
                    Proc.seconds(bench1.cpuTicks() - bench0.cpuTicks()), server1.rssKiB(), startup, windowStart,
                    windowEnd, threadCpu, String.join("; ", notes));
            log("%s %s: %.0f events/s delivered, p50 %.2f ms, p99 %.2f ms, lost %d, duplicates %d, "
                    + "server CPU %.2f s (%.2f s per million)", server.name(), label, run.deliveredPerSecond(),
                    run.latency().p50() / 1000.0, run.latency().p99() / 1000.0, run.lost(), run.duplicates(),
                    run.serverCpuSeconds(), run.cpuSecondsPerMillion());
            return run;
        } finally {
            publisher.close();
            shutDown(server, group);
        }
    }

    /**
     * What the responses said carried the streams, and over how many connections when they were
     * multiplexed: {@code received HTTP/2 identity on 2000 stream opens over 20 connections}.
     */
    static String carriedAs(SubscriberGroup group) {
        List<String> parts = new ArrayList<>();
        group.openedAs().forEach((protocol, count) -> parts.add(protocol + " on " + count + " stream opens"));
        String carried = parts.isEmpty() ? "no stream opened" : "received " + String.join(", ", parts);
        return group.connections() > 0 ? carried + " over " + group.connections() + " connections" : carried;
    }

    /** {@code CPU: replica 1 2.10 s, replica 2 2.05 s, shared 0.12 s}. */
    static String cpuByPart(Map<String, Proc.Sample> before, Map<String, Proc.Sample> after) {
        List<String> parts = new ArrayList<>();
        after.forEach((part, sample) -> {
            Proc.Sample earlier = before.get(part);
            long ticks = sample.cpuTicks() - (earlier == null ? 0 : earlier.cpuTicks());
            parts.add(String.format(Locale.ROOT, "%s %.2f s", part, Proc.seconds(ticks)));
        });
        return "CPU: " + String.join(", ", parts);
    }

    /** CPU seconds by thread group between two samples; groups whose threads all ended are left out. */
    static Map<String, Double> threadCpuSeconds(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Double> seconds = new TreeMap<>();
        after.forEach((group, ticks) -> {
            long used = ticks - before.getOrDefault(group, 0L);
            if (used > 0) {
                seconds.put(group, Proc.seconds(used));
            }
        });
        return seconds;
    }

    /** However slowly events still arrive, the drain ends this long after publishing stopped. */
    private static final long DRAIN_CAP_SECONDS = 120;

    /**
     * Waits until every subscription has every acknowledged event. It gives up when nothing
     * more arrived for {@code --drain} seconds (what is missing then is lost, not late), or at
     * {@link #DRAIN_CAP_SECONDS}; returns what is still missing.
     */
    private long drain(SubscriberGroup group) throws InterruptedException {
        return drain(() -> group.account().lost());
    }

    /** {@link #drain(SubscriberGroup)} over whatever {@code missing} counts. */
    private long drain(LongSupplier missingNow) throws InterruptedException {
        long now = System.nanoTime();
        long cap = now + TimeUnit.SECONDS.toNanos(DRAIN_CAP_SECONDS);
        long idleLimit = TimeUnit.SECONDS.toNanos(config.drainSeconds);
        long deadline = now + idleLimit;
        long lost = missingNow.getAsLong();
        while (lost > 0 && System.nanoTime() < Math.min(deadline, cap)) {
            Thread.sleep(200);
            long missing = missingNow.getAsLong();
            if (missing < lost) {
                deadline = System.nanoTime() + idleLimit; // still arriving: late, not lost yet
            }
            lost = missing;
        }
        return lost;
    }

    // --- idle hold

    IdleRun idle(ServerUnderTest server) throws Exception {
        int n = config.idleConnections;
        long startup = server.start("idle");
        log("%s idle: started in %d ms; warming up with %d streams", server.name(), startup, n);
        List<TopicLedger> topics = new ArrayList<>();
        TopicLedger topic = new TopicLedger("idle");
        for (int i = 0; i < n; i++) {
            topics.add(topic);
        }
        List<String> notes = new ArrayList<>();
        SubscriberGroup warmup = load.subscribers(server, new DeliveryStats(), topics);
        SubscriberGroup held = load.subscribers(server, new DeliveryStats(), topics);
        try {
            // Open and close N once first, so buffers and pools that stay allocated afterwards
            // are in the baseline for every server alike.
            warmup.open(config.connectRate, config.maxPendingConnects, connectTimeout(n));
            Thread.sleep(1000);
            warmup.close(CLOSE_TIMEOUT);
            Thread.sleep(3000);
            Proc.Sample base = server.sample();

            int connected = held.open(config.connectRate, config.maxPendingConnects, connectTimeout(n));
            if (connected < n) {
                notes.add(connected + " of " + n + " streams opened (" + held.rejectedByStatus() + " rejected)");
            }
            Proc.Sample opened = server.sample();
            long t0 = System.nanoTime();
            Thread.sleep(TimeUnit.SECONDS.toMillis(config.idleHoldSeconds));
            Proc.Sample after = server.sample();
            double hold = (System.nanoTime() - t0) / 1e9;
            if (held.dropped() > 0) {
                notes.add(held.dropped() + " streams dropped while held");
            }
            int count = Math.max(1, connected);
            IdleRun run = new IdleRun(server.name(), n, connected, base.rssKiB(), after.rssKiB(), base.pssKiB(),
                    after.pssKiB(), (after.pssKiB() - base.pssKiB()) * 1024.0 / count,
                    (after.rssKiB() - base.rssKiB()) * 1024.0 / count, hold,
                    Proc.seconds(after.cpuTicks() - opened.cpuTicks()), startup, String.join("; ", notes));
            log("%s idle: %d streams, %.0f bytes each (PSS; RSS %.0f)", server.name(), connected,
                    run.bytesPerConnection(), run.rssBytesPerConnection());
            return run;
        } finally {
            warmup.close(CLOSE_TIMEOUT);
            shutDown(server, held);
        }
    }

    // --- reconnect storm

    StormRun storm(ServerUnderTest server) throws Exception {
        int n = config.stormSubscribers;
        long startup = server.start("storm");
        log("%s storm: started in %d ms; opening %d streams", server.name(), startup, n);
        TopicLedger topic = new TopicLedger("storm");
        List<TopicLedger> topics = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            topics.add(topic);
        }
        SubscriberGroup group = load.subscribers(server, new DeliveryStats(), topics);
        Publisher publisher = load.publisher(server, config.publishConnections);
        List<String> notes = new ArrayList<>();
        try {
            int connected = group.open(config.connectRate, config.maxPendingConnects, connectTimeout(n));
            publisher.startRate(config.stormRate, () -> topic, MAX_PUBLISH_IN_FLIGHT);
            Thread.sleep(TimeUnit.SECONDS.toMillis(config.stormBeforeSeconds));

            long opensBefore = group.opened();
            long t0 = System.nanoTime();
            server.stopReplicas(); // a shared Redis stays up, as it does when a Deployment restarts
            long stopped = System.nanoTime();
            long restart = server.startOnSamePort("storm-restart");
            long up = System.nanoTime();
            log("%s storm: restarted (stop %d ms, start %d ms); waiting for %d streams", server.name(),
                    TimeUnit.NANOSECONDS.toMillis(stopped - t0), restart, n);
            long deadline = up + TimeUnit.SECONDS.toNanos(config.stormMaxWaitSeconds);
            while ((group.openCount() < n || group.opened() - opensBefore < n) && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            long allBack = System.nanoTime();
            int back = group.openCount();
            if (back < n) {
                notes.add(back + " of " + n + " back after " + config.stormMaxWaitSeconds + " s");
            }
            Thread.sleep(TimeUnit.SECONDS.toMillis(config.stormAfterSeconds));
            publisher.stop();
            publisher.awaitIdle(Publisher.REQUEST_TIMEOUT_MILLIS + 1000);
            long lost = drain(group);
            SubscriberGroup.Accounting accounting = group.account();
            Publisher.Window window = publisher.takeWindow();
            if (!window.failures().isEmpty()) {
                notes.add("publish failures " + window.failures());
            }
            StormRun run = new StormRun(server.name(), n, connected, TimeUnit.NANOSECONDS.toMillis(stopped - t0),
                    restart, back < n ? -1 : TimeUnit.NANOSECONDS.toMillis(allBack - t0), back,
                    topic.acknowledgedCount(), topic.failedCount(), accounting.expected(), lost,
                    accounting.duplicates(), group.resets(), group.rejectedByStatus(), String.join("; ", notes));
            log("%s storm: all %d back %d ms after the restart began; lost %d, duplicates %d, resets %d",
                    server.name(), back, run.allBackMillis(), lost, run.duplicates(), run.resets());
            return run;
        } finally {
            publisher.close();
            shutDown(server, group);
        }
    }

    // --- rolling restart

    /**
     * Restarts the replicas one after another behind a load balancer, as a Deployment rolls with
     * {@code maxUnavailable: 0}, under SDK and raw subscribers and a steady publisher, all through
     * the balancer; then accounts, per client, for every event the server accepted.
     */
    RollingRun rolling(ServerUnderTest server) throws Exception {
        long startup = server.start("rolling");
        int replicas = server.ports().size();
        int restarts = config.rollingRestarts <= 0 ? replicas : Math.min(replicas, config.rollingRestarts);
        Balancer balancer = new Balancer(config.benchDir().resolve("rolling/balancer.conf"), config.targetDir(),
                config.targetDir().resolve("logs"), server);
        TopicLedger topic = new TopicLedger("rolling");
        SubscriberGroup raw = null;
        SdkSubscribers sdk = null;
        Publisher publisher = null;
        List<String> notes = new ArrayList<>();
        try {
            balancer.start(server.name());
            raw = load.subscribers(balancer, new DeliveryStats(), Collections.nCopies(config.rollingRaw, topic));
            // The Java SDK speaks Tidings's API; a peer gets the raw clients only.
            int sdkSubscriptions = server instanceof TidingsServer ? config.rollingSdk : 0;
            log("%s rolling: %d replicas started in %d ms behind nginx on port %d; opening %d SDK and %d raw streams",
                    server.name(), replicas, startup, balancer.port(), sdkSubscriptions, raw.size());
            sdk = new SdkSubscribers(URI.create("http://" + balancer.host() + ":" + balancer.port()), topic,
                    sdkSubscriptions, config.rollingPrograms);
            int sdkConnected = sdk.open(config.connectRate, connectTimeout(config.rollingSdk));
            int rawConnected = raw.open(config.connectRate, config.maxPendingConnects, connectTimeout(raw.size()));
            log("%s rolling: open %d of %d SDK and %d of %d raw streams", server.name(), sdkConnected, sdk.size(),
                    rawConnected, raw.size());
            publisher = load.publisher(balancer, config.publishConnections).retryRefused();
            long cpu0 = server.sample().cpuTicks() + Proc.reapedChildrenTicks();
            long balancer0 = balancer.sample().cpuTicks();
            long t0 = System.nanoTime();
            publisher.startRate(config.rollingRate, () -> topic, MAX_PUBLISH_IN_FLIGHT);
            Thread.sleep(TimeUnit.SECONDS.toMillis(config.rollingSettleSeconds));

            List<RestartTiming> timings = new ArrayList<>();
            for (int i = 0; i < restarts; i++) {
                ServerUnderTest.Restart restart = server.restartReplica(i, "rolling-restart");
                timings.add(new RestartTiming(restart.stopMillis(), restart.readyMillis()));
                log("%s rolling: replica %d of %d restarted (exit %d ms after SIGTERM, ready %d ms after start); "
                        + "open: %d SDK, %d raw", server.name(), i + 1, replicas, restart.stopMillis(),
                        restart.readyMillis(), sdk.openCount(), raw.openCount());
                Thread.sleep(TimeUnit.SECONDS.toMillis(config.rollingSettleSeconds));
            }
            publisher.stop();
            int stuck = publisher.awaitIdle(Publisher.REQUEST_TIMEOUT_MILLIS * 2);
            if (stuck > 0) {
                notes.add(stuck + " publishes never settled");
            }
            SdkSubscribers sdkClients = sdk;
            SubscriberGroup rawClients = raw;
            // A client still waiting out its backoff has not lost its events yet: let every one come back first.
            awaitUntil(() -> sdkClients.openCount() == sdkClients.size() && rawClients.openCount() == rawClients.size(),
                    DRAIN_CAP_SECONDS);
            drain(() -> sdkClients.account().lost() + rawClients.account().lost());
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpu = Proc.seconds(server.sample().cpuTicks() + Proc.reapedChildrenTicks() - cpu0);
            double balancerCpu = Proc.seconds(balancer.sample().cpuTicks() - balancer0);
            Publisher.Window window = publisher.takeWindow();
            if (sdk.unparsable() + raw.unparsable() > 0) {
                notes.add((sdk.unparsable() + raw.unparsable()) + " events without a sequence");
            }
            if (sdk.openCount() < sdk.size()) {
                notes.add("SDK subscriptions not open at the end: " + sdk.states());
            }
            if (!raw.rejectedByStatus().isEmpty()) {
                notes.add("raw reconnects refused " + raw.rejectedByStatus());
            }
            List<RollingClients> clients = new ArrayList<>();
            if (sdk.size() > 0) {
                clients.add(clients("Java SDK", sdk.size(), sdkConnected, sdk.openCount(), sdk.account(), sdk.resets(),
                        sdk.subscribersWithResets(), sdk.offline()));
            }
            clients.add(clients("raw EventSource", raw.size(), rawConnected, raw.openCount(), raw.account(), raw.resets(),
                    raw.subscribersWithResets(), raw.offline()));
            RollingRun run = new RollingRun(server.name(), replicas, restarts, config.rollingRate, seconds,
                    topic.acknowledgedCount(), window.refused(), window.acceptedAfterRefusal(), topic.failedCount(),
                    window.failures(), clients, timings, cpu, balancerCpu, String.join("; ", notes));
            for (RollingClients c : clients) {
                log("%s rolling, %s: %d clients, lost %d, duplicates %d, resets %d; %d cuts, offline p50 %d ms, "
                        + "p99 %d ms, max %d ms", server.name(), c.kind(), c.clients(), c.lost(), c.duplicates(),
                        c.resets(), c.cuts(), c.offlineP50Millis(), c.offlineP99Millis(), c.offlineMaxMillis());
            }
            log("%s rolling: %d accepted, %d refusals retried (%d accepted after one), %d failed %s; server CPU %.1f s",
                    server.name(), run.published(), run.refused(), run.acceptedAfterRefusal(), run.publishFailed(),
                    run.publishFailures(), cpu);
            return run;
        } finally {
            if (publisher != null) {
                publisher.close();
            }
            if (raw != null) {
                raw.reconnects(false);
            }
            if (sdk != null) {
                sdk.close();
            }
            server.stop();
            balancer.close();
            if (raw != null) {
                raw.close(CLOSE_TIMEOUT);
            }
        }
    }

    /** Waits until {@code done}, for at most {@code maxSeconds}. */
    private static void awaitUntil(BooleanSupplier done, long maxSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    private static RollingClients clients(String kind, int size, int connected, int openAtEnd,
            SubscriberGroup.Accounting accounting, long resets, long withResets, OfflineTimes offline) {
        return new RollingClients(kind, size, connected, openAtEnd, accounting.expected(), accounting.received(),
                accounting.lost(), accounting.silentlyLost(), accounting.duplicates(), resets, withResets,
                offline.cuts(), offline.percentileMillis(50), offline.percentileMillis(99), offline.maxMillis());
    }

    // --- publish throughput

    ThroughputRun throughput(ServerUnderTest server) throws Exception {
        long startup = server.start("throughput");
        log("%s throughput: started in %d ms", server.name(), startup);
        TopicLedger topic = new TopicLedger("tp");
        SubscriberGroup group = load.subscribers(server, new DeliveryStats(), List.of(topic));
        int maxInFlight = config.throughputSteps.stream().mapToInt(Integer::intValue).max().orElse(1);
        int publishers = Math.max(1, Math.min(config.eventLoops, maxInFlight));
        List<Publisher> all = new ArrayList<>();
        for (int i = 0; i < publishers; i++) {
            all.add(load.publisher(server, (maxInFlight + publishers - 1) / publishers));
        }
        List<ThroughputStep> steps = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        try {
            group.open(config.connectRate, config.maxPendingConnects, connectTimeout(1));
            prime(server, Transport.HTTP1);
            // Warm-up, not recorded: the steps' own publish path compiled before the first is measured
            step(all, Math.min(16, maxInFlight), topic, config.throughputWarmupSeconds);
            awaitCompilersIdle(server);
            int firstFailure = -1;
            for (int inFlight : config.throughputSteps) {
                ThroughputStep step = step(all, inFlight, topic, config.throughputStepSeconds);
                steps.add(step);
                log("%s throughput: %d in flight: %.0f accepted/s, p99 %.2f ms, %d failed", server.name(), inFlight,
                        step.acceptedPerSecond(), step.p99Millis(), step.failed());
                if (step.failed() > 0) {
                    firstFailure = inFlight;
                    break;
                }
            }
            long lost = drain(group);
            SubscriberGroup.Accounting accounting = group.account();
            ThroughputStep best = steps.stream().filter(s -> s.failed() == 0)
                    .max((a, b) -> Double.compare(a.acceptedPerSecond(), b.acceptedPerSecond())).orElse(null);
            if (group.dropped() > 0) {
                notes.add("the subscriber was dropped " + group.dropped() + " times");
            }
            return new ThroughputRun(server.name(), steps, best == null ? 0 : best.acceptedPerSecond(),
                    best == null ? 0 : best.inFlight(), firstFailure, lost, accounting.duplicates(),
                    String.join("; ", notes));
        } finally {
            all.forEach(Publisher::close);
            shutDown(server, group);
        }
    }

    private static ThroughputStep step(List<Publisher> publishers, int inFlight, TopicLedger topic, int seconds)
            throws InterruptedException {
        publishers.forEach(Publisher::takeWindow);
        long t0 = System.nanoTime();
        for (int i = 0; i < publishers.size(); i++) {
            int share = inFlight / publishers.size() + (i < inFlight % publishers.size() ? 1 : 0);
            if (share > 0) {
                publishers.get(i).startClosedLoop(share, () -> topic);
            }
        }
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        publishers.forEach(Publisher::stop);
        for (Publisher publisher : publishers) {
            publisher.awaitIdle(Publisher.REQUEST_TIMEOUT_MILLIS + 1000);
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long accepted = 0;
        long failed = 0;
        Histogram roundTrip = new Histogram(1, DeliveryStats.MAX_MICROS, 3);
        Map<String, Long> failures = new TreeMap<>();
        for (Publisher publisher : publishers) {
            Publisher.Window window = publisher.takeWindow();
            accepted += window.accepted();
            failed += window.failed();
            roundTrip.add(window.roundTrip());
            window.failures().forEach((k, v) -> failures.merge(k, v, Long::sum));
        }
        return new ThroughputStep(inFlight, elapsed, accepted, failed, accepted / elapsed,
                roundTrip.getValueAtPercentile(50) / 1000.0, roundTrip.getValueAtPercentile(99) / 1000.0, failures);
    }

    // --- helpers

    /** Stops the server first (its side keeps the TIME_WAIT sockets), then the subscriptions. */
    private static void shutDown(ServerUnderTest server, SubscriberGroup group) throws InterruptedException {
        group.reconnects(false);
        server.stop();
        group.close(CLOSE_TIMEOUT);
    }

    private Duration connectTimeout(int n) {
        return Duration.ofSeconds(30 + 3L * n / Math.max(1, config.connectRate));
    }

    private SubscriberGroup subscribers(ServerUnderTest server, Transport transport, DeliveryStats stats,
            List<TopicLedger> topicOfEach) {
        return switch (transport) {
            case HTTP1 -> load.subscribers(server, stats, topicOfEach);
            case GZIP -> load.gzipSubscribers(server, stats, topicOfEach);
            case H2C -> load.h2cSubscribers(server, stats, topicOfEach, config.h2cStreamsPerConnection);
        };
    }

    /**
     * {@link Config#primePublishes} publishes, as fast as the server takes them, to a topic that
     * {@link Config#PRIME_READERS} streams of the run's transport read and the run's own subscribers do
     * not: a JVM server's publish and delivery paths are compiled before the warm-up, as they are in
     * a server that has been up for a while. The publishes go on until the JIT compilers are idle:
     * a JVM drops queued compilations of methods that have gone cold, so stopping first would
     * leave the publish path in its profiling tier until the run's own slow publishing compiles it
     * in the measured window. Bounded in time; nothing it does is counted.
     */
    private void prime(ServerUnderTest server, Transport transport) throws InterruptedException {
        if (config.primePublishes <= 0) {
            return;
        }
        TopicLedger primer = new TopicLedger("prime");
        SubscriberGroup readers = subscribers(server, transport, new DeliveryStats(),
                Collections.nCopies(Config.PRIME_READERS, primer));
        try (Publisher publisher = load.publisher(server, config.publishConnections)) {
            readers.open(config.connectRate, config.maxPendingConnects, connectTimeout(Config.PRIME_READERS));
            publisher.startClosedLoop(config.publishConnections, () -> primer);
            awaitUntil(() -> primer.acknowledgedCount() >= config.primePublishes, PRIME_MAX_SECONDS);
            awaitCompilersIdle(server);
            publisher.stop();
            publisher.awaitIdle(Publisher.REQUEST_TIMEOUT_MILLIS);
        } finally {
            readers.close(CLOSE_TIMEOUT);
        }
        awaitCompilersIdle(server);
    }

    /**
     * Waits (bounded) until a JVM server's JIT compiler threads are nearly idle: the compilations
     * the priming or the warm-up queued are done before what follows, so the measured window holds
     * the server's steady cost, not the tail of its compile queue. Servers without such threads go
     * on at once.
     */
    private static void awaitCompilersIdle(ServerUnderTest server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SETTLE_MAX_SECONDS);
        long before = compilerTicks(server);
        while (System.nanoTime() < deadline) {
            // The sample's length, not a wait for an event: compiler CPU is read from /proc in ticks.
            Thread.sleep(SETTLE_SAMPLE_MILLIS);
            long now = compilerTicks(server);
            if (Proc.seconds(now - before) <= SETTLE_SAMPLE_MILLIS / 1000.0 * SETTLED_COMPILER_SHARE) {
                return;
            }
            before = now;
        }
        log("%s: JIT compilers still busy after %d s; measuring anyway", server.name(), SETTLE_MAX_SECONDS);
    }

    private static long compilerTicks(ServerUnderTest server) {
        return server.threadTicks().entrySet().stream().filter(group -> group.getKey().contains("CompilerThre"))
                .mapToLong(Map.Entry::getValue).sum();
    }

    private static Supplier<TopicLedger> chooser(List<TopicLedger> topics) {
        if (topics.size() == 1) {
            TopicLedger only = topics.get(0);
            return () -> only;
        }
        return () -> topics.get(ThreadLocalRandom.current().nextInt(topics.size()));
    }

    static void log(String format, Object... args) {
        System.out.printf("%tT  %s%n", System.currentTimeMillis(), String.format(format, args));
        System.out.flush();
    }
}
