package dev.tidings.bench.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.tidings.bench.load.Endpoint;
import dev.tidings.bench.proc.Proc;

/**
 * One of the servers compared, run as a child process on a loopback port: started fresh for
 * each run, timed from process start to the first byte of an SSE response, sampled through
 * {@code /proc}, and stopped (with all its descendants) at the end.
 */
public abstract class ServerUnderTest implements Endpoint {

    public static final String HOST = "127.0.0.1";
    private static final long START_TIMEOUT_SECONDS = 60;
    private static final long STOP_TIMEOUT_SECONDS = 20;

    private final Path logDir;
    private final List<Long> startupMillis = new ArrayList<>();
    private Process process;
    private int port;
    private int h2cPort;
    private boolean compression;

    protected ServerUnderTest(Path logDir) {
        this.logDir = logDir;
    }

    /** {@code tidings}, {@code nchan}, {@code node}. */
    public abstract String name();

    /** What it is, with its version, for the report. */
    public abstract String describe();

    /**
     * How to start the server this time.
     *
     * @param port its HTTP/1.1 port (publishing, and subscribing over HTTP/1.1)
     * @param h2cPort its HTTP/2 port with prior knowledge: the same as {@code port} when the server
     *        takes both on one listener
     * @param compression whether responses are compressed for clients that accept it
     * @param label names the run's log file
     */
    protected record Launch(int port, int h2cPort, boolean compression, String label) {
    }

    /** The command that runs the server in the foreground as {@code launch} says. */
    protected abstract List<String> command(Launch launch) throws IOException;

    /** Whether h2c needs a listener of its own (nginx and Node.js cannot take both on one port). */
    protected boolean separateH2cListener() {
        return true;
    }

    @Override
    public String host() {
        return HOST;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public int h2cPort() {
        return h2cPort;
    }

    /** Milliseconds from process start to the first SSE byte, one entry per start. */
    public List<Long> startupMillis() {
        return List.copyOf(startupMillis);
    }

    /** Starts the server on fresh free ports, without response compression. */
    public long start(String label) throws IOException, InterruptedException {
        return start(label, false);
    }

    /**
     * Starts the server on fresh free ports.
     *
     * @param compression whether it compresses responses for clients that accept it
     * @return milliseconds from process start to the first SSE byte
     */
    public long start(String label, boolean compression) throws IOException, InterruptedException {
        port = freePort();
        h2cPort = port;
        while (separateH2cListener() && h2cPort == port) {
            h2cPort = freePort();
        }
        this.compression = compression;
        return startOnSamePort(label);
    }

    /**
     * Starts the server on the ports it had, as it was (a restart: clients reconnect to the same address).
     *
     * @return milliseconds from process start to the first SSE byte
     */
    public long startOnSamePort(String label) throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name() + " is already running");
        }
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name() + "-" + label + ".log");
        ProcessBuilder builder = new ProcessBuilder(command(new Launch(port, h2cPort, compression, label)))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        long started = System.nanoTime();
        process = builder.start();
        try {
            long firstByte = FirstByteProbe.await(HOST, port, subscribePath("bench-probe"), process,
                    started + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS));
            long millis = TimeUnit.NANOSECONDS.toMillis(firstByte - started);
            startupMillis.add(millis);
            return millis;
        } catch (IOException e) {
            stop();
            throw new IOException(name() + " did not start (see " + log + "): " + e.getMessage(), e);
        }
    }

    /** CPU and memory of the server's processes now (for nginx: master and workers). */
    public Proc.Sample sample() {
        if (process == null) {
            return new Proc.Sample(List.of(), 0, 0, 0);
        }
        return Proc.sampleTree((int) process.pid());
    }

    /** CPU ticks of the server's threads by thread group (see {@link Proc#threadGroup}). */
    public Map<String, Long> threadTicks() {
        if (process == null) {
            return Map.of();
        }
        return Proc.threadTicks(Proc.tree((int) process.pid()));
    }

    /** Stops the server (SIGTERM, then SIGKILL after a grace period) and waits for it to exit. */
    public void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        for (ProcessHandle child : descendants) {
            if (child.isAlive()) {
                child.destroy();
                try {
                    child.onExit().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (Exception e) {
                    child.destroyForcibly();
                }
            }
        }
        process = null;
    }

    /** Kills the server at once, for the exit hook. */
    public void kill() {
        Process p = process;
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(HOST, 0));
            return socket.getLocalPort();
        }
    }

    /** Runs a short command and returns its output (stdout and stderr), or "" when it fails. */
    static String output(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
