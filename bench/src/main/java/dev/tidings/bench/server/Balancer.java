package dev.tidings.bench.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.tidings.bench.load.Endpoint;
import dev.tidings.bench.proc.Proc;

/**
 * nginx as the load balancer in front of a server's replicas, from the config template
 * {@code bench/rolling/balancer.conf}: clients and publishers talk to it as they would to a
 * Kubernetes Service, and it speaks the backend's protocol (paths, bodies, tokens) unchanged.
 */
public final class Balancer implements Endpoint, AutoCloseable {

    private static final long START_TIMEOUT_SECONDS = 20;

    private final Path template;
    private final Path workRoot;
    private final Path logDir;
    private final ServerUnderTest backend;
    private Process process;
    private int port;

    /**
     * @param template the nginx config with {@code @PORT@} and {@code @UPSTREAMS@}
     * @param workRoot where the prefix directory goes
     */
    public Balancer(Path template, Path workRoot, Path logDir, ServerUnderTest backend) {
        this.template = template;
        this.workRoot = workRoot;
        this.logDir = logDir;
        this.backend = backend;
    }

    /** Starts nginx on a fresh port in front of the backend's replicas, as they are now. */
    public void start(String label) throws IOException, InterruptedException {
        port = ServerUnderTest.freePort();
        Path prefix = workRoot.resolve("balancer-" + port).toAbsolutePath();
        Files.createDirectories(prefix.resolve("logs"));
        Files.createDirectories(prefix.resolve("tmp"));
        Files.createDirectories(logDir);
        String upstreams = backend.ports().stream()
                .map(p -> "        server " + ServerUnderTest.HOST + ":" + p + " max_fails=1 fail_timeout=1s;")
                .collect(Collectors.joining("\n"));
        Path conf = prefix.resolve("nginx.conf");
        Files.writeString(conf, Files.readString(template)
                .replace("@PORT@", Integer.toString(port))
                .replace("@UPSTREAMS@", upstreams));
        Path log = logDir.resolve("balancer-" + label + ".log");
        process = new ProcessBuilder(NchanServer.nginx(), "-p", prefix + "/", "-e", "logs/error.log", "-c", conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        while (!accepts()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                close();
                throw new IOException("nginx did not start as the balancer on port " + port + " (see " + log + " and "
                        + prefix.resolve("logs/error.log") + ")");
            }
            Thread.sleep(20);
        }
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(ServerUnderTest.HOST, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** CPU and memory of nginx's master and worker. */
    public Proc.Sample sample() {
        Process p = process;
        return p == null ? Proc.sample(List.of()) : Proc.sampleTree((int) p.pid());
    }

    @Override
    public void close() {
        Process p = process;
        if (p != null) {
            List<ProcessHandle> workers = p.descendants().toList();
            ServerUnderTest.stop(p.toHandle());
            workers.forEach(ServerUnderTest::stop);
            process = null;
        }
    }

    @Override
    public String host() {
        return ServerUnderTest.HOST;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String subscribePath(String topic) {
        return backend.subscribePath(topic);
    }

    @Override
    public String publishPath(String topic) {
        return backend.publishPath(topic);
    }

    @Override
    public Map<String, String> publishHeaders() {
        return backend.publishHeaders();
    }

    @Override
    public String publishBody(String payloadJson) {
        return backend.publishBody(payloadJson);
    }

    /** {@code nginx/1.22.1}. */
    public static String describe() {
        return NchanServer.nginxVersion();
    }
}
