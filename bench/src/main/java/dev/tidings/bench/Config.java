package dev.tidings.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The bench's settings: the full run's defaults, {@code --quick}'s smaller ones, and overrides. */
final class Config {

    static final List<String> ALL_SERVERS = List.of("tidings", "nchan", "node");
    /** Tidings on the Redis bus: one replica, and two replicas sharing one Redis. */
    static final List<String> REDIS_SERVERS = List.of("tidings-redis", "tidings-redis-x2", "tidings-redis-x3");
    /** nchan with its Redis storage, three instances sharing one Redis (the rolling restart's peer). */
    static final String NCHAN_REDIS = "nchan-redis-x3";
    static final List<String> KNOWN_SERVERS = List.of("tidings", "tidings-redis", "tidings-redis-x2",
            "tidings-redis-x3", "tidings-native", "nchan", NCHAN_REDIS, "node");
    static final List<String> ALL_SCENARIOS = List.of("fanout", "rate", "h2c", "gzip", "chat", "idle", "storm",
            "throughput");
    /** The default scenarios and the rolling restart, which runs only when named (it needs a balancer). */
    static final List<String> KNOWN_SCENARIOS = List.of("fanout", "rate", "h2c", "gzip", "chat", "idle", "storm",
            "throughput", "rolling");
    /** What {@code --rolling} runs: three replicas on the Redis bus, nchan's peer of it, and the embedded bus for contrast. */
    static final List<String> ROLLING_SERVERS = List.of("tidings-redis-x3", NCHAN_REDIS, "tidings");

    /** A fan-out load: this many subscribers of one topic, this many events a second published to it. */
    record Shape(int subscribers, double rate) {

        /** {@code 2000x20}: 2 000 subscribers, 20 events/s. */
        static Shape parse(String text) {
            String[] parts = text.trim().split("x", -1);
            if (parts.length != 2) {
                throw new NumberFormatException(text);
            }
            Shape shape = new Shape(Integer.parseInt(parts[0].trim()), Double.parseDouble(parts[1].trim()));
            if (shape.subscribers < 1 || !(shape.rate > 0)) {
                throw new NumberFormatException(text);
            }
            return shape;
        }

        /** The run's label in logs and file names: {@code 2000x20}. */
        String label() {
            return subscribers + "x" + number(rate);
        }

        @Override
        public String toString() {
            return subscribers + " × " + number(rate) + "/s";
        }

        private static String number(double value) {
            return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
        }
    }

    boolean quick;
    Path root = Path.of(".");
    Path report;
    Path resultsDir;
    Path renderOnly;
    List<String> servers = ALL_SERVERS;
    List<String> scenarios = ALL_SCENARIOS;

    List<Integer> fanoutSizes = List.of(1000, 2000, 5000, 10000);
    double fanoutRate = 10;
    Shape rateRow = new Shape(2000, 20);
    Shape h2cRow = new Shape(2000, 10);
    int h2cStreamsPerConnection = 100;
    Shape gzipRow = new Shape(2000, 10);
    /**
     * Publishes each server takes at least (more while a JVM's compilers are busy) before a fan-out,
     * chat or throughput run's warm-up, to a topic {@link #PRIME_READERS} other streams read: a server's
     * publish path gets a few hundred calls in a run's own warm-up, too few for a JIT to compile
     * it, so without them the JVM's interpreter and compiler would be measured.
     */
    int primePublishes = 20000;
    /** Streams of the run's transport that read the priming publishes. */
    static final int PRIME_READERS = 50;
    int warmupSeconds = 10;
    int durationSeconds = 30;
    int drainSeconds = 10;

    int chatRooms = 1000;
    int chatMembers = 10;
    double chatRate = 1000;

    int idleConnections = 10000;
    int idleHoldSeconds = 10;

    int stormSubscribers = 5000;
    double stormRate = 10;
    int stormBeforeSeconds = 5;
    int stormAfterSeconds = 5;
    int stormMaxWaitSeconds = 90;

    int rollingSdk = 1000;
    int rollingRaw = 200;
    int rollingPrograms = 10;
    double rollingRate = 20;
    /** How many replicas the rolling restart restarts, first ones first; 0 for all. */
    int rollingRestarts;
    int rollingSettleSeconds = 3;

    List<Integer> throughputSteps = List.of(1, 2, 4, 8, 16, 32, 64, 128, 256);
    int throughputStepSeconds = 3;
    int throughputWarmupSeconds = 3;

    /** Runs of each fan-out size and of the rate row per server; the report gives each server's median. */
    int repeats = 1;

    int eventLoops = 2;
    int sourceAddresses = 8;
    int connectRate = 2000;
    int maxPendingConnects = 256;
    int publishConnections = 8;
    int pauseSeconds = 2;

    String nchanWorkers = "auto";
    Path tidingsApp;
    /** The native executable {@code tidings-native} runs; default the one in server/target. */
    Path tidingsBinary;
    /** The JDK the Tidings server runs on; default the bench's own. */
    Path tidingsJavaHome;
    List<String> tidingsJvmOptions = List.of();
    /** Whether Tidings verifies a token on every publish (--tidings-auth jwt). */
    boolean tidingsJwt;
    boolean jfr;
    boolean profile;
    Shape profileRow = new Shape(2000, 20);

    static Config parse(String[] args) {
        Config config = new Config();
        if (Arrays.asList(args).contains("--quick")) {
            config.quickDefaults();
        }
        boolean rolling = false;
        boolean serversGiven = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--quick")) {
                continue;
            }
            if (arg.equals("--rolling")) {
                rolling = true;
                continue;
            }
            serversGiven |= arg.equals("--servers");
            if (arg.equals("--jfr")) {
                config.jfr = true;
                continue;
            }
            if (arg.equals("--profile")) {
                config.profile = true;
                continue;
            }
            if (arg.equals("--help") || arg.equals("-h")) {
                throw new UsageException(null);
            }
            if (!arg.startsWith("--") || i + 1 >= args.length) {
                throw new UsageException("unknown or incomplete option: " + arg);
            }
            String value = args[++i];
            try {
                switch (arg) {
                    case "--root" -> config.root = Path.of(value);
                    case "--report" -> config.report = Path.of(value);
                    case "--results-dir" -> config.resultsDir = Path.of(value);
                    case "--render-only" -> config.renderOnly = Path.of(value);
                    case "--servers" -> config.servers = names(value, KNOWN_SERVERS, arg);
                    case "--scenarios" -> config.scenarios = names(value, KNOWN_SCENARIOS, arg);
                    case "--fanout-sizes" -> config.fanoutSizes = ints(value);
                    case "--rate" -> config.fanoutRate = Double.parseDouble(value);
                    case "--rate-row" -> config.rateRow = Shape.parse(value);
                    case "--h2c-row" -> config.h2cRow = Shape.parse(value);
                    case "--h2c-streams" -> config.h2cStreamsPerConnection = Integer.parseInt(value);
                    case "--gzip-row" -> config.gzipRow = Shape.parse(value);
                    case "--profile-row" -> config.profileRow = Shape.parse(value);
                    case "--prime" -> config.primePublishes = Integer.parseInt(value);
                    case "--warmup" -> config.warmupSeconds = Integer.parseInt(value);
                    case "--duration" -> config.durationSeconds = Integer.parseInt(value);
                    case "--drain" -> config.drainSeconds = Integer.parseInt(value);
                    case "--chat-rooms" -> config.chatRooms = Integer.parseInt(value);
                    case "--chat-members" -> config.chatMembers = Integer.parseInt(value);
                    case "--chat-rate" -> config.chatRate = Double.parseDouble(value);
                    case "--idle" -> config.idleConnections = Integer.parseInt(value);
                    case "--idle-hold" -> config.idleHoldSeconds = Integer.parseInt(value);
                    case "--storm" -> config.stormSubscribers = Integer.parseInt(value);
                    case "--storm-rate" -> config.stormRate = Double.parseDouble(value);
                    case "--rolling-sdk" -> config.rollingSdk = Integer.parseInt(value);
                    case "--rolling-raw" -> config.rollingRaw = Integer.parseInt(value);
                    case "--rolling-programs" -> config.rollingPrograms = Integer.parseInt(value);
                    case "--rolling-rate" -> config.rollingRate = Double.parseDouble(value);
                    case "--rolling-restarts" -> config.rollingRestarts = Integer.parseInt(value);
                    case "--rolling-settle" -> config.rollingSettleSeconds = Integer.parseInt(value);
                    case "--throughput-steps" -> config.throughputSteps = ints(value);
                    case "--step-seconds" -> config.throughputStepSeconds = Integer.parseInt(value);
                    case "--repeats" -> config.repeats = Math.max(1, Integer.parseInt(value));
                    case "--event-loops" -> config.eventLoops = Integer.parseInt(value);
                    case "--addresses" -> config.sourceAddresses = Integer.parseInt(value);
                    case "--connect-rate" -> config.connectRate = Integer.parseInt(value);
                    case "--nchan-workers" -> config.nchanWorkers = value;
                    case "--tidings-app" -> config.tidingsApp = Path.of(value);
                    case "--tidings-binary" -> config.tidingsBinary = Path.of(value);
                    case "--tidings-auth" -> config.tidingsJwt = switch (value) {
                        case "anonymous" -> false;
                        case "jwt" -> true;
                        default -> throw new UsageException("--tidings-auth is 'anonymous' or 'jwt'");
                    };
                    case "--tidings-java" -> config.tidingsJavaHome = Path.of(value);
                    case "--tidings-opts" -> config.tidingsJvmOptions = value.isBlank() ? List.of()
                            : List.of(value.trim().split("\\s+"));
                    default -> throw new UsageException("unknown option: " + arg);
                }
            } catch (NumberFormatException e) {
                throw new UsageException("not a number for " + arg + ": " + value);
            }
        }
        if (config.sourceAddresses < 1 || config.sourceAddresses > 250) {
            throw new UsageException("--addresses must be 1 to 250");
        }
        if (!config.nchanWorkers.equals("auto") && !config.nchanWorkers.matches("[1-9][0-9]?")) {
            throw new UsageException("--nchan-workers is 'auto' or a number");
        }
        if (config.h2cStreamsPerConnection < 1) {
            throw new UsageException("--h2c-streams must be at least 1");
        }
        if (config.rollingPrograms < 1 || config.rollingSdk < 0 || config.rollingRaw < 0 || !(config.rollingRate > 0)) {
            throw new UsageException("--rolling-programs must be at least 1, --rolling-sdk and --rolling-raw at least 0, "
                    + "--rolling-rate above 0");
        }
        if (rolling) {
            config.scenarios = List.of("rolling");
            if (!serversGiven) {
                config.servers = ROLLING_SERVERS;
            }
        }
        if (config.profile) {
            // Only Tidings (on the bus --servers names, embedded by default), only its profile row, under JFR.
            config.servers = List.of(config.servers.contains("tidings-redis") ? "tidings-redis" : "tidings");
            config.scenarios = List.of();
            config.jfr = true;
        }
        if (config.tidingsJavaHome != null && !Files.isExecutable(config.tidingsJavaHome.resolve("bin/java"))) {
            throw new UsageException("--tidings-java names no JDK (no bin/java): " + config.tidingsJavaHome);
        }
        if (config.tidingsApp == null) {
            config.tidingsApp = config.root.resolve("server/target/quarkus-app");
        }
        if (config.tidingsBinary == null) {
            config.tidingsBinary = nativeRunner(config.root.resolve("server/target"));
        }
        Path bench = config.root.resolve("bench");
        String suffix = rolling ? "-rolling" : "";
        Path results = bench.resolve(config.quick ? "results/quick" : "results");
        if (config.report == null) {
            config.report = (config.quick ? results : bench).resolve("RESULTS" + suffix + ".md");
        }
        if (config.resultsDir == null) {
            config.resultsDir = rolling ? results.resolve("rolling") : results;
        }
        return config;
    }

    private void quickDefaults() {
        quick = true;
        fanoutSizes = List.of(100, 300);
        rateRow = new Shape(200, 20);
        h2cRow = new Shape(200, 10);
        gzipRow = new Shape(200, 10);
        profileRow = new Shape(200, 20);
        primePublishes = 500;
        warmupSeconds = 1;
        durationSeconds = 3;
        drainSeconds = 3;
        chatRooms = 30;
        chatMembers = 10;
        chatRate = 100;
        idleConnections = 300;
        idleHoldSeconds = 2;
        stormSubscribers = 300;
        stormBeforeSeconds = 2;
        stormAfterSeconds = 2;
        stormMaxWaitSeconds = 30;
        rollingSdk = 40;
        rollingRaw = 10;
        rollingPrograms = 2;
        rollingSettleSeconds = 1;
        throughputSteps = List.of(1, 4, 16);
        throughputStepSeconds = 1;
        throughputWarmupSeconds = 1;
        pauseSeconds = 1;
    }

    Path benchDir() {
        return root.resolve("bench");
    }

    Path targetDir() {
        return benchDir().resolve("target");
    }

    /** The profile mode's summary: beside the results, never over the comparison's report. */
    Path profileSummary() {
        return resultsDir.resolve("profile.txt");
    }

    /** The settings as shown in the report. */
    Map<String, String> describe() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("mode", quick ? "quick (smoke run: small N, short windows; not for conclusions)" : "full");
        settings.put("fan-out", "subscribers " + fanoutSizes + ", " + fanoutRate + " events/s; each server first takes at least "
                + primePublishes + " publishes to a topic " + PRIME_READERS
                + " other streams read, until a JVM's JIT compilers are idle (fan-out, chat and throughput runs alike), then warm-up "
                + warmupSeconds + " s, measured " + durationSeconds + " s, then drained until nothing arrives for "
                + drainSeconds + " s");
        if (repeats > 1) {
            settings.put("repeats", "each fan-out size and the rate row run " + repeats + " times per server, the "
                    + "servers' order reversed every other round; each row gives the server's median run (CPU from "
                    + "the run with the median CPU per delivered event, latency from the run with the median p99, "
                    + "counts summed over the runs), every run listed under \"Repeated runs\"");
        }
        settings.put("fan-out rows", "rate: " + rateRow + " over HTTP/1.1; h2c: " + h2cRow + ", "
                + h2cStreamsPerConnection + " streams per connection (HTTP/2 with prior knowledge); gzip: " + gzipRow
                + " with Accept-Encoding: gzip, servers started with compression on");
        settings.put("chat", chatRooms + " rooms × " + chatMembers + " members, " + chatRate
                + " messages/s to random rooms");
        settings.put("idle hold", idleConnections + " connections held " + idleHoldSeconds + " s");
        settings.put("reconnect storm", stormSubscribers + " subscribers, " + stormRate + " events/s, restart after "
                + stormBeforeSeconds + " s");
        settings.put("rolling restart", rollingSdk + " Java SDK subscriptions over " + rollingPrograms + " clients and "
                + rollingRaw + " raw EventSource-style streams through nginx, " + rollingRate
                + " events/s published through it (503 and 429 retried after Retry-After); "
                + (rollingRestarts <= 0 ? "every replica" : rollingRestarts + " replica(s)")
                + " restarted in turn, " + rollingSettleSeconds + " s after each is ready");
        settings.put("publish throughput", "in flight " + throughputSteps + ", " + throughputStepSeconds
                + " s per step");
        settings.put("load generator", eventLoops + " event loops, " + sourceAddresses
                + " source addresses from 127.0.0.2, connects ≤ " + connectRate + "/s and ≤ " + maxPendingConnects
                + " pending, " + publishConnections + " publish connections");
        settings.put("nchan worker_processes", nchanWorkers);
        settings.put("Tidings JVM options", "server/jvm.options"
                + (tidingsJvmOptions.isEmpty() ? "" : ", then " + String.join(" ", tidingsJvmOptions)));
        return settings;
    }

    /** The {@code *-runner} a native build leaves in {@code target}, or where it would be. */
    static Path nativeRunner(Path target) {
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(file -> file.getFileName().toString().endsWith("-runner")).findFirst()
                    .orElse(target.resolve("tidings-server-runner"));
        } catch (IOException e) {
            return target.resolve("tidings-server-runner");
        }
    }

    private static List<String> names(String value, List<String> allowed, String option) {
        List<String> names = new ArrayList<>();
        for (String name : value.split(",")) {
            String trimmed = name.trim();
            if (!allowed.contains(trimmed)) {
                throw new UsageException(option + " takes " + allowed + ", not " + trimmed);
            }
            names.add(trimmed);
        }
        return names;
    }

    private static List<Integer> ints(String value) {
        List<Integer> ints = new ArrayList<>();
        for (String part : value.split(",")) {
            ints.add(Integer.parseInt(part.trim()));
        }
        return ints;
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    static final String USAGE = """
            Usage: bench/run.sh [--quick] [options]     (or java -jar bench/target/tidings-bench.jar …)
              --quick                   smoke run: a few hundred connections, seconds per scenario
              --no-build                (run.sh) use the jars already built
              --servers LIST            tidings,nchan,node (default all three, alternating per run); also
                                        tidings-redis (the Redis bus, one replica), tidings-redis-x2 and -x3
                                        (two or three replicas sharing one Redis: subscribers split between
                                        them, publishes taking turns); each run gets a fresh redis-server (no
                                        persistence, kept across the storm's restart) whose CPU counts
                                        with the replicas'; h2c rows use the first replica only;
                                        nchan-redis-x3: three nchan instances on nchan's Redis storage
              --scenarios LIST          fanout,rate,h2c,gzip,chat,idle,storm,throughput (default all),
                                        and rolling (see --rolling)
              --fanout-sizes N,N,…      fan-out subscriber counts (default 1000,2000,5000,10000)
              --rate R                  fan-out events per second (default 10)
              --rate-row NxR            the higher-rate fan-out row (default 2000x20)
              --repeats N               run each fan-out size and the rate row N times per server, the
                                        servers' order reversed every other round, and report the medians
                                        (default 1)
              --h2c-row NxR             the h2c subscribers row (default 2000x10)
              --h2c-streams N           h2c streams per connection (default 100: the Vert.x server's limit)
              --gzip-row NxR            the compression row (default 2000x10)
              --prime N                 publishes each server takes at least, to a topic 50 other streams
                                        read, before a fan-out or chat run's warm-up; they go on until a
                                        JVM's JIT compilers are idle (default 20000; 0: none)
              --warmup S / --duration S / --drain S   fan-out and chat windows in seconds
              --chat-rooms N --chat-members N --chat-rate R
              --idle N --idle-hold S    idle-hold connections and seconds
              --storm N --storm-rate R  reconnect-storm subscribers and events per second
              --throughput-steps N,N,…  publishes in flight per step; --step-seconds S
              --rolling                 the rolling restart alone (scenario rolling) on tidings-redis-x3,
                                        nchan-redis-x3 (raw clients only: the SDK speaks Tidings's API)
                                        and tidings (unless --servers says otherwise), reported in
                                        bench/RESULTS-rolling.md and bench/results/rolling/: nginx in front
                                        of the replicas, each restarted in turn (SIGTERM, drained, started,
                                        ready) under SDK and raw subscribers and a publisher, all through nginx
              --rolling-sdk N --rolling-raw N   SDK subscriptions (default 1000) and raw ones (default 200)
              --rolling-programs N      SDK clients the subscriptions are spread over (default 10)
              --rolling-rate R          events per second published during the roll (default 20)
              --rolling-restarts N      replicas restarted, first ones first (default all)
              --rolling-settle S        seconds before the first restart and after each (default 3)
              --event-loops N           load generator event loops (default 2)
              --addresses N             loopback source addresses from 127.0.0.2 (default 8)
              --connect-rate N          new connections per second (default 2000)
              --nchan-workers auto|N    nginx worker_processes (default auto)
              --tidings-java DIR        the JDK the Tidings server runs on (default the bench's own)
              --tidings-opts "…"        extra JVM options for the Tidings server (the native executable
                                        takes them too: give both the same -Xmx)
              --tidings-app DIR         the Tidings build to run (default server/target/quarkus-app)
              --tidings-binary FILE     the native executable tidings-native runs (default
                                        server/target/*-runner, made by a -Dnative build)
              --tidings-auth MODE       anonymous (default) or jwt: every publish carries an RS256 token
                                        the server verifies
              --jfr                     record a JFR profile of every Tidings run into bench/target/jfr
              --profile                 only Tidings (tidings-redis if --servers names it) at the profile
                                        row (default 2000x20) under JFR; writes
                                        a summary to bench/results/profile.txt (--quick: results/quick/)
              --profile-row NxR         the profile mode's load
              --report FILE --results-dir DIR   where the report, charts and results.json go
              --render-only FILE        re-render the report from a results.json, run nothing
              --root DIR                repository root (default .)
            """;
}
