package dev.tidings.server.support;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;

/**
 * A real Redis for tests, on a free loopback port: a {@code redis:7} container through
 * Testcontainers where a Docker engine is available, else the {@code redis-server} binary (Debian
 * package {@code redis-server}). It can be stopped and started again on the same port, keeping its
 * data when persistent (append-only file) and losing it otherwise.
 */
public final class RedisServer implements AutoCloseable {

    private static final String IMAGE = "redis:7";

    private final int port;
    private final boolean persistent;
    private final Path dataDir;
    private GenericContainer<?> container;
    private Process process;

    private RedisServer(int port, boolean persistent) throws IOException {
        this.port = port;
        this.persistent = persistent;
        this.dataDir = Files.createTempDirectory("tidings-redis");
    }

    /** Why no Redis can be started here, or empty when one can. */
    public static Optional<String> unavailableReason() {
        if (dockerAvailable() || onPath("redis-server")) {
            return Optional.empty();
        }
        return Optional.of("neither a Docker engine nor a redis-server binary is available (apt-get install -y redis-server)");
    }

    public static RedisServer start(boolean persistent) throws IOException {
        RedisServer redis = new RedisServer(ServerProcess.freePort(), persistent);
        redis.start();
        return redis;
    }

    /** {@code redis://127.0.0.1:<port>}, for {@code quarkus.redis.hosts}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Starts it again on the same port, after {@link #stop()}. */
    public void start() {
        try {
            if (dockerAvailable()) {
                startContainer();
            } else {
                startBinary();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await("redis on port " + port).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> "+PONG".equals(commandOrNull("PING")));
    }

    /** Shuts it down as an operator would ({@code SHUTDOWN}: a persistent one writes its data first). */
    public void stop() throws InterruptedException {
        commandOrNull("SHUTDOWN", persistent ? "SAVE" : "NOSAVE");
        if (process != null) {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            process = null;
        }
        if (container != null) {
            container.stop();
            container = null;
        }
    }

    /**
     * Sends one command and answers the first line of the reply ({@code +OK}, {@code :3}, …).
     *
     * @throws IOException when Redis cannot be reached
     */
    public String command(String... arguments) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            StringBuilder request = new StringBuilder("*").append(arguments.length).append("\r\n");
            for (String argument : arguments) {
                request.append('$').append(argument.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
                        .append(argument).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            String reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            if (reply == null) {
                throw new IOException("Redis closed the connection");
            }
            return reply;
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    private String commandOrNull(String... arguments) {
        try {
            return command(arguments);
        } catch (IOException e) {
            return null;
        }
    }

    private List<String> serverArguments() {
        return List.of("--bind", "127.0.0.1", "--save", "", "--appendonly", persistent ? "yes" : "no",
                "--appendfsync", "always");
    }

    private void startBinary() throws IOException {
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(port), "--dir",
                dataDir.toString()));
        command.addAll(serverArguments());
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("redis.log").toFile())).start();
    }

    @SuppressWarnings("resource")
    private void startContainer() {
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", "6379"));
        command.addAll(serverArguments().stream().map(argument -> argument.equals("127.0.0.1") ? "0.0.0.0" : argument).toList());
        // A fixed host port, so that a restarted container is found where the servers look for it.
        container = new GenericContainer<>(IMAGE).withExposedPorts(6379).withCommand(command.toArray(String[]::new))
                .withFileSystemBind(dataDir.toString(), "/data")
                .withCreateContainerCmdModifier(create -> create.getHostConfig().withPortBindings(
                        new PortBinding(Ports.Binding.bindIpAndPort("127.0.0.1", port), ExposedPort.tcp(6379))));
        container.start();
    }

    private static boolean dockerAvailable() {
        boolean engineHinted = System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"));
        return engineHinted && DockerClientFactory.instance().isDockerAvailable();
    }

    private static boolean onPath(String binary) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator)).anyMatch(dir -> Files.isExecutable(Path.of(dir, binary)));
    }
}
