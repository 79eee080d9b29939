package dev.tidings.bench.server;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Tidings, from its packaged Quarkus application, on the bench's JDK or the one named: one process on the
 * embedded bus ({@code tidings}), or replicas on the Redis bus sharing a redis-server the bench
 * starts for the run ({@code tidings-redis}, {@code tidings-redis-x2}), whose CPU counts with theirs;
 * or the native executable of the same build on the embedded bus ({@code tidings-native}).
 */
public final class TidingsServer extends ServerUnderTest {

    public static final String NATIVE = "tidings-native";

    /** Frames JFR keeps of each stack trace. */
    public static final int JFR_STACK_DEPTH = 256;

    private final Path quarkusApp;
    /** The JDK the server runs on. */
    private final Path javaHome;
    private final List<String> jvmOptions;
    private final Path jfrDir;
    private final Path logDir;
    /** Null when publishes are anonymous. */
    private final BenchTokens tokens;
    private final int replicas;
    /** Null when the server runs on the JVM. */
    private final Path binary;

    /**
     * @param quarkusApp {@code server/target/quarkus-app}
     * @param javaHome the JDK to run the server on, or null for the bench's own
     * @param jvmOptions extra options for the server JVM
     * @param jfrDir where to write a JFR recording per run, or null for none
     * @param jwt whether every publish carries a token the server verifies, as a deployment's do
     * @param replicas 0 for one process on the embedded bus; otherwise how many replicas share one Redis
     * @param binary the native executable to run instead of the JVM (embedded bus, no JFR), or null
     */
    public TidingsServer(Path logDir, Path quarkusApp, Path javaHome, List<String> jvmOptions, Path jfrDir,
            boolean jwt, int replicas, Path binary) {
        super(logDir, replicas > 0);
        this.logDir = logDir;
        this.quarkusApp = quarkusApp;
        this.javaHome = javaHome != null ? javaHome : Path.of(System.getProperty("java.home"));
        this.jvmOptions = List.copyOf(jvmOptions);
        this.jfrDir = jfrDir;
        this.tokens = jwt ? new BenchTokens() : null;
        this.replicas = Math.max(1, replicas);
        this.binary = binary;
    }

    /** {@code tidings}, {@code tidings-redis} or {@code tidings-redis-x<replicas>}. */
    public static String name(int replicas) {
        return replicas == 0 ? "tidings" : replicas == 1 ? "tidings-redis" : "tidings-redis-x" + replicas;
    }

    @Override
    public String name() {
        return binary != null ? NATIVE : name(redis() == null ? 0 : replicas);
    }

    @Override
    public String describe() {
        String bus = redis() == null ? ""
                : "; Redis bus, " + (replicas == 1 ? "one replica" : replicas + " replicas") + " on "
                        + RedisProcess.version() + " (no persistence, kept across restarts), its CPU counted";
        String runtime = binary != null ? "native executable " + binary.getFileName()
                : "JDK " + javaVersion();
        return "Tidings (Quarkus " + quarkusVersion() + ", " + runtime + bus
                + (tokens == null ? ")" : "; every publish with an RS256 token)");
    }

    /** The server JDK's version, from its {@code release} file. */
    private String javaVersion() {
        try (Stream<String> lines = Files.lines(javaHome.resolve("release"))) {
            return lines.filter(line -> line.startsWith("JAVA_RUNTIME_VERSION=")).findFirst()
                    .map(line -> line.substring(line.indexOf('=') + 1).replace("\"", ""))
                    .orElse(System.getProperty("java.version"));
        } catch (IOException e) {
            return System.getProperty("java.version");
        }
    }

    @Override
    protected int replicaCount() {
        return replicas;
    }

    /** The Quarkus version of the packaged application, from its quarkus-core jar. */
    public String quarkusVersion() {
        try (Stream<Path> jars = Files.list(quarkusApp.resolve("lib/main"))) {
            return jars.map(path -> path.getFileName().toString())
                    .filter(name -> name.startsWith("io.quarkus.quarkus-core-") && name.endsWith(".jar"))
                    .map(name -> name.substring("io.quarkus.quarkus-core-".length(), name.length() - ".jar".length()))
                    .findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    @Override
    protected String readinessPath() {
        return "/q/health/ready"; // the readinessProbe of deploy/
    }

    @Override
    protected boolean separateH2cListener() {
        return false; // Vert.x takes h2c with prior knowledge on its HTTP/1.1 port
    }

    /** Where the JFR recording of the run labelled {@code label} goes, or null when none is made. */
    public Path recording(String label) {
        return jfrDir == null ? null : jfrDir.resolve("tidings-" + label + ".jfr");
    }

    @Override
    protected List<String> command(Launch launch) throws IOException {
        List<String> command = new ArrayList<>();
        if (binary != null) {
            if (!Files.isExecutable(binary)) {
                throw new IOException(binary + " is missing: build the native executable first (README, \"Native executable\")");
            }
            command.add(binary.toString());
            command.addAll(jvmOptions);
        } else {
            command.addAll(jvm(launch));
        }
        if (redis() != null) {
            command.add("-Dtidings.bus=redis");
            command.add("-Dquarkus.redis.hosts=redis://" + HOST + ":" + redis().port());
        }
        if (launch.compression()) {
            command.add("-Dquarkus.http.enable-compression=true");
        }
        command.add("-Dquarkus.http.host=" + HOST);
        command.add("-Dquarkus.http.port=" + launch.port());
        command.add("-Dquarkus.banner.enabled=false");
        if (tokens == null) {
            // Peers run open: anonymous publishing anywhere.
            command.add("-Dtidings.publish.anonymous=**");
        } else {
            Path key = tokens.writePublicKey(logDir.resolve("bench-jwt-public.pem"));
            command.add("-Dmp.jwt.verify.publickey.location=" + key.toAbsolutePath());
            command.add("-Dmp.jwt.verify.issuer=" + BenchTokens.ISSUER);
        }
        // No per-client budgets: one load client stands for many users.
        command.add("-Dtidings.limits.publish-rate=100000000");
        command.add("-Dtidings.limits.publish-burst=100000000");
        command.add("-Dtidings.limits.streams=100000000");
        if (binary == null) {
            command.add("-jar");
            command.add(quarkusApp.resolve("quarkus-run.jar").toString());
        }
        return command;
    }

    /** The JVM and its options: the README's run command's (server/jvm.options), then the bench's own. */
    private List<String> jvm(Launch launch) throws IOException {
        Path jar = quarkusApp.resolve("quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IOException(jar + " is missing: build the server first (./mvnw -B -DskipTests package -pl server)");
        }
        List<String> command = new ArrayList<>();
        command.add(javaHome.resolve("bin/java").toString());
        Path serverOptions = quarkusApp.resolve("../../jvm.options").normalize();
        if (Files.isRegularFile(serverOptions)) {
            command.add("@" + serverOptions);
        }
        command.addAll(jvmOptions);
        if (jfrDir != null) {
            Files.createDirectories(jfrDir);
            // Netty, Vert.x and Quarkus REST stacks run deeper than JFR's default 64 frames.
            command.add("-XX:FlightRecorderOptions=stackdepth=" + JFR_STACK_DEPTH);
            command.add("-XX:StartFlightRecording=filename=" + recording(launch.label())
                    + ",settings=profile,dumponexit=true");
        }
        return command;
    }

    @Override
    public String subscribePath(String topic) {
        return "/api/v1/events?topic=" + URLEncoder.encode(topic, StandardCharsets.UTF_8);
    }

    @Override
    public String publishPath(String topic) {
        return "/api/v1/topics/" + topic + "/events";
    }

    @Override
    public Map<String, String> publishHeaders() {
        return tokens == null ? Map.of() : Map.of("Authorization", "Bearer " + tokens.token());
    }

    @Override
    public String publishBody(String payloadJson) {
        return "{\"type\":\"message\",\"data\":" + payloadJson + "}";
    }
}
