package dev.tidings.server.support;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The packaged server run as a separate process, so a test can signal it like an orchestrator does. */
public final class ServerProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String RUNNER = System.getProperty("tidings.server.runner");

    private final Process process;
    private final int port;

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the server the build packaged and waits until it reports ready. */
    public static ServerProcess start(File log, String... systemProperties) throws IOException {
        return start(log, freePort(), systemProperties);
    }

    /** Starts the server on a given port, e.g. the port of a server stopped before, to test reconnection. */
    public static ServerProcess start(File log, int port, String... systemProperties) throws IOException {
        return start(log, port, Map.of(), List.of(systemProperties));
    }

    /**
     * Starts the server as a container runs it: with the environment given (on top of this process's)
     * and these arguments (JVM options for the jar; a native executable takes {@code -D} and
     * {@code -X} options alike).
     */
    public static ServerProcess start(File log, int port, Map<String, String> environment, List<String> jvmArguments)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command(port, jvmArguments)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log));
        builder.environment().putAll(environment);
        Process process = builder.start();
        ServerProcess server = new ServerProcess(process, port);
        await("server ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> server.status("/q/health/ready") == 200);
        return server;
    }

    /**
     * The command that runs the packaged server on a port: the native executable when the build
     * made one and names it ({@code tidings.server.runner}, set by {@code -Dnative}), else the fast jar.
     */
    public static List<String> command(int port, List<String> arguments) {
        List<String> command = new ArrayList<>();
        if (isNative()) {
            command.add(RUNNER);
        } else {
            command.add(ProcessHandle.current().info().command().orElse("java"));
        }
        command.add("-Dquarkus.http.port=" + port);
        command.addAll(arguments);
        if (!isNative()) {
            command.add("-jar");
            command.add(System.getProperty("tidings.server.jar", "target/quarkus-app/quarkus-run.jar"));
        }
        return command;
    }

    /** Whether the server under test is the native executable rather than the jar. */
    public static boolean isNative() {
        return RUNNER != null && !RUNNER.isBlank();
    }

    public int port() {
        return port;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public int status(String path) {
        try {
            return get(path).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    public HttpResponse<String> get(String path) throws IOException {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    public HttpResponse<String> postJson(String path, String json) throws IOException {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** Posts with {@code Authorization: Bearer token}. */
    public HttpResponse<String> postJson(String path, String json, String token) throws IOException {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /**
     * The system properties that make a server trust the tokens of {@code security.TestTokens}
     * (the test resources' key and issuer).
     */
    public static String[] trustingTestTokens() {
        return new String[] {
            "-Dmp.jwt.verify.publickey.location=" + new File("target/test-classes/tokens/publicKey.pem").getAbsolutePath(),
            "-Dmp.jwt.verify.issuer=" + dev.tidings.server.security.TestTokens.ISSUER,
        };
    }

    /** SIGTERM, as Kubernetes sends when it stops a pod. */
    public void terminate() {
        process.destroy();
    }

    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
