package dev.tidings.client.support;

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
import java.util.Arrays;
import java.util.List;

/** The packaged Tidings server (built by the server module earlier in the reactor) as a child process. */
public final class ServerProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int port;

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts the jar on a free loopback port with extra {@code -D} settings and waits until it is ready.
     * The server lets anonymous callers publish anywhere and lifts the per-client limits: these tests
     * are about the SDK's connection handling, not the server's rules (its tokens are sent by the SDK
     * as unit tests show; later settings override these).
     */
    public static ServerProcess start(String name, String... systemProperties) throws IOException {
        File jar = new File(System.getProperty("tidings.server.jar", "../server/target/quarkus-app/quarkus-run.jar"));
        if (!jar.isFile()) {
            throw new IllegalStateException("No server jar at " + jar + ": package the server module first");
        }
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx256m");
        command.add("-Dquarkus.http.host=127.0.0.1");
        command.add("-Dquarkus.http.port=" + port);
        command.add("-Dtidings.publish.anonymous=**");
        command.add("-Dtidings.limits.publish-rate=1000000");
        command.add("-Dtidings.limits.publish-burst=1000000");
        command.add("-Dtidings.limits.streams=1000000");
        command.addAll(Arrays.asList(systemProperties));
        command.add("-jar");
        command.add(jar.getAbsolutePath());
        File log = new File("target/" + name + "-server.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log)).start();
        ServerProcess server = new ServerProcess(process, port);
        try {
            await(name + " server ready").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !process.isAlive() || server.ready());
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
        if (!process.isAlive()) {
            throw new IllegalStateException("The server exited at start; see " + log);
        }
        return server;
    }

    public int port() {
        return port;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** SIGTERM: streams end cleanly, then the process exits. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean ready() {
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(uri().resolve("/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
