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

/** Tidings, from its packaged Quarkus application, on the same JDK as the bench. */
public final class TidingsServer extends ServerUnderTest {

    /** Frames JFR keeps of each stack trace. */
    public static final int JFR_STACK_DEPTH = 256;

    private final Path quarkusApp;
    private final List<String> jvmOptions;
    private final Path jfrDir;
    private final Path logDir;
    /** Null when publishes are anonymous. */
    private final BenchTokens tokens;
    private final boolean redis;

    /**
     * @param quarkusApp {@code server/target/quarkus-app}
     * @param jvmOptions extra options for the server JVM
     * @param jfrDir where to write a JFR recording per run, or null for none
     * @param jwt whether every publish carries a token the server verifies, as a deployment's do
     * @param redis whether the server runs the Redis bus, on a redis-server started with it
     */
    public TidingsServer(Path logDir, Path quarkusApp, List<String> jvmOptions, Path jfrDir, boolean jwt,
            boolean redis) {
        super(logDir);
        this.logDir = logDir;
        this.quarkusApp = quarkusApp;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.jfrDir = jfrDir;
        this.tokens = jwt ? new BenchTokens() : null;
        this.redis = redis;
    }

    @Override
    public String name() {
        return "tidings";
    }

    @Override
    public String describe() {
        return "Tidings (Quarkus " + quarkusVersion() + ", JDK " + System.getProperty("java.version")
                + (redis ? "; Redis bus on " + redisVersion() + ", its CPU counted" : "")
                + (tokens == null ? ")" : "; every publish with an RS256 token)");
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

    private static String redisVersion() {
        try {
            Process version = new ProcessBuilder("redis-server", "--version").redirectErrorStream(true).start();
            String text = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int start = text.indexOf("v=");
            return start < 0 ? "Redis" : "Redis " + text.substring(start + 2, text.indexOf(' ', start));
        } catch (IOException e) {
            return "Redis (redis-server not found)";
        }
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
        Path jar = quarkusApp.resolve("quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IOException(jar + " is missing: build the server first (./mvnw -B -DskipTests package -pl server)");
        }
        List<String> command = new ArrayList<>();
        if (redis) {
            // Started by a shell that then becomes the JVM: redis-server is the server's child, so
            // its CPU is sampled with the server's and it is stopped with it.
            int redisPort = freePort();
            command.addAll(List.of("sh", "-c", "redis-server --bind " + HOST + " --port " + redisPort
                    + " --save '' --appendonly no >/dev/null 2>&1 & exec \"$@\"", "sh"));
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Dtidings.bus=redis");
            command.add("-Dquarkus.redis.hosts=redis://" + HOST + ":" + redisPort);
        } else {
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        }
        // The options the README's run command uses (server/jvm.options), then the bench's own.
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
        command.add("-jar");
        command.add(jar.toString());
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
