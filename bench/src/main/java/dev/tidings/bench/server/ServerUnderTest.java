package dev.tidings.bench.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.tidings.bench.load.Endpoint;
import dev.tidings.bench.proc.Proc;

/**
 * One of the servers compared, run as child processes on loopback ports (one per replica, and
 * whatever the replicas share): started fresh for each run, timed from process start to the first
 * byte of an SSE response, sampled through {@code /proc}, and stopped (with all its descendants)
 * at the end.
 */
public abstract class ServerUnderTest implements Endpoint {

    public static final String HOST = "127.0.0.1";
    private static final long START_TIMEOUT_SECONDS = 60;
    private static final long STOP_TIMEOUT_SECONDS = 20;

    private final Path logDir;
    private final List<Long> startupMillis = new ArrayList<>();
    private final List<Process> replicas = new CopyOnWriteArrayList<>(); // the exit hook reads it too
    private List<Integer> ports = List.of();
    /** Each replica's h2c port: its own port, or a second listener of its own. */
    private List<Integer> h2cPorts = List.of();
    private boolean compression;

    /** Null when the replicas share nothing. */
    private final RedisProcess redis;

    protected ServerUnderTest(Path logDir) {
        this(logDir, false);
    }

    /** @param sharedRedis whether the replicas keep their messages in a redis-server started for each run */
    protected ServerUnderTest(Path logDir, boolean sharedRedis) {
        this.logDir = logDir;
        this.redis = sharedRedis ? new RedisProcess(logDir) : null;
    }

    /** The Redis the replicas share, or null. */
    protected RedisProcess redis() {
        return redis;
    }

    /** {@code tidings}, {@code tidings-redis-x2}, {@code nchan}, {@code node}. */
    public abstract String name();

    /** What it is, with its version, for the report. */
    public abstract String describe();

    /**
     * How to start one replica of the server this time.
     *
     * @param replica which replica, from 0
     * @param port its HTTP/1.1 port (publishing, and subscribing over HTTP/1.1)
     * @param h2cPort its HTTP/2 port with prior knowledge: the same as {@code port} when the server
     *        takes both on one listener
     * @param compression whether responses are compressed for clients that accept it
     * @param label names the run's log file
     */
    protected record Launch(int replica, int port, int h2cPort, boolean compression, String label) {
    }

    /** The command that runs one replica in the foreground as {@code launch} says. */
    protected abstract List<String> command(Launch launch) throws IOException;

    /** How many processes serve, each on a port of its own: more than one only with a shared bus. */
    protected int replicaCount() {
        return 1;
    }

    /**
     * Starts what the replicas share (their Redis) before a fresh start; it keeps running across
     * {@link #stopReplicas()} and {@link #startOnSamePort}, and {@link #stop()} ends it.
     */
    private void startShared(String label) throws IOException, InterruptedException {
        if (redis != null) {
            redis.start(label);
        }
    }

    private void stopShared() {
        if (redis != null) {
            redis.stop();
        }
    }

    /** The processes of what the replicas share, whose cost counts with theirs. */
    private List<Integer> sharedPids() {
        return redis == null ? List.of() : redis.pids();
    }

    /** Whether h2c needs a listener of its own (nginx and Node.js cannot take both on one port). */
    protected boolean separateH2cListener() {
        return true;
    }

    @Override
    public String host() {
        return HOST;
    }

    /** The first replica's port. */
    @Override
    public int port() {
        return ports.get(0);
    }

    @Override
    public List<Integer> ports() {
        return ports;
    }

    @Override
    public int h2cPort() {
        return h2cPorts.get(0);
    }

    /** Milliseconds from process start to the first SSE byte (of the last replica to answer), one entry per start. */
    public List<Long> startupMillis() {
        return List.copyOf(startupMillis);
    }

    /** Starts the server on fresh free ports, without response compression. */
    public long start(String label) throws IOException, InterruptedException {
        return start(label, false);
    }

    /**
     * Starts the server on fresh free ports, with fresh shared state.
     *
     * @param compression whether it compresses responses for clients that accept it
     * @return milliseconds from process start to the first SSE byte of every replica
     */
    public long start(String label, boolean compression) throws IOException, InterruptedException {
        int listeners = separateH2cListener() ? 2 : 1;
        List<Integer> fresh = new ArrayList<>();
        while (fresh.size() < replicaCount() * listeners) {
            int port = freePort();
            if (!fresh.contains(port)) {
                fresh.add(port);
            }
        }
        ports = List.copyOf(fresh.subList(0, replicaCount()));
        h2cPorts = List.copyOf(fresh.subList(fresh.size() - replicaCount(), fresh.size()));
        this.compression = compression;
        startShared(label);
        try {
            return startOnSamePort(label);
        } catch (IOException | RuntimeException e) {
            stopShared();
            throw e;
        }
    }

    /**
     * Starts the replicas on the ports they had, as they were, sharing what they shared (a restart:
     * clients reconnect to the same addresses).
     *
     * @return milliseconds from process start to the first SSE byte of every replica
     */
    public long startOnSamePort(String label) throws IOException, InterruptedException {
        if (!replicas.isEmpty()) {
            throw new IllegalStateException(name() + " is already running");
        }
        List<Path> logs = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < ports.size(); i++) {
            logs.add(launch(i, label));
        }
        long deadline = started + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        long lastFirstByte = started;
        for (int i = 0; i < replicas.size(); i++) {
            try {
                lastFirstByte = Math.max(lastFirstByte,
                        FirstByteProbe.await(HOST, ports.get(i), subscribePath("bench-probe"), replicas.get(i), deadline));
            } catch (IOException e) {
                stopReplicas();
                throw new IOException(name() + " did not start (see " + logs.get(i) + "): " + e.getMessage(), e);
            }
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(lastFirstByte - started);
        startupMillis.add(millis);
        return millis;
    }

    /** Starts replica {@code i} on its port, appending to its log; returns the log. */
    private Path launch(int i, String label) throws IOException {
        Files.createDirectories(logDir);
        String name = replicaCount() == 1 ? label : label + "-r" + (i + 1);
        Path log = logDir.resolve(name() + "-" + name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command(new Launch(i, ports.get(i), h2cPorts.get(i), compression, name)))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process process = builder.start();
        if (i < replicas.size()) {
            replicas.set(i, process);
        } else {
            replicas.add(process);
        }
        return log;
    }

    /**
     * One replica's restart in a rolling update.
     *
     * @param stopMillis from SIGTERM to the process's exit (its shutdown delay and drain)
     * @param readyMillis from the new process's start until it was ready
     */
    public record Restart(long stopMillis, long readyMillis) {
    }

    /**
     * Restarts replica {@code i} as a rolling update does, the others serving on: SIGTERM, waits
     * for it to exit (SIGKILL after the grace period), starts it again on its port and waits until
     * it is ready ({@link #readinessPath()}), so the next one may go.
     */
    public Restart restartReplica(int i, String label) throws IOException, InterruptedException {
        Process old = replicas.get(i);
        List<ProcessHandle> descendants = old.descendants().toList();
        long t0 = System.nanoTime();
        stop(old.toHandle());
        descendants.forEach(ServerUnderTest::stop);
        long stopped = System.nanoTime();
        Path log = launch(i, label);
        long deadline = stopped + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        try {
            long ready = readinessPath() == null
                    ? FirstByteProbe.await(HOST, ports.get(i), subscribePath("bench-probe"), replicas.get(i), deadline)
                    : FirstByteProbe.awaitStatus(HOST, ports.get(i), readinessPath(), 200, replicas.get(i), deadline);
            return new Restart(TimeUnit.NANOSECONDS.toMillis(stopped - t0), TimeUnit.NANOSECONDS.toMillis(ready - stopped));
        } catch (IOException e) {
            throw new IOException(name() + " replica " + (i + 1) + " did not come back (see " + log + "): "
                    + e.getMessage(), e);
        }
    }

    /** Where a replica answers {@code 200} once it is ready for traffic; null when it is ready at its first SSE byte. */
    protected String readinessPath() {
        return null;
    }

    /** CPU and memory of the server's processes now: every replica's tree (for nginx: master and workers) and what they share. */
    public Proc.Sample sample() {
        return Proc.sample(pids());
    }

    /**
     * CPU and memory by part ({@code replica 1}, {@code replica 2}, {@code shared}) when the server
     * has more than one part; empty otherwise.
     */
    public Map<String, Proc.Sample> sampleByPart() {
        Map<String, Proc.Sample> parts = new LinkedHashMap<>();
        if (replicas.size() + (sharedPids().isEmpty() ? 0 : 1) > 1) {
            for (int i = 0; i < replicas.size(); i++) {
                parts.put("replica " + (i + 1), Proc.sampleTree((int) replicas.get(i).pid()));
            }
            parts.put("shared", Proc.sample(sharedPids()));
        }
        return parts;
    }

    /** CPU ticks of the server's threads by thread group (see {@link Proc#threadGroup}). */
    public Map<String, Long> threadTicks() {
        return Proc.threadTicks(pids());
    }

    private List<Integer> pids() {
        List<Integer> pids = new ArrayList<>();
        replicas.forEach(replica -> pids.addAll(Proc.tree((int) replica.pid())));
        pids.addAll(sharedPids());
        return pids;
    }

    /** Stops the server and what its replicas share, and waits for them to exit. */
    public void stop() throws InterruptedException {
        stopReplicas();
        stopShared();
    }

    /**
     * Stops every replica (SIGTERM, then SIGKILL after a grace period, at once for all of them) and
     * waits for them to exit; what they share keeps running.
     */
    public void stopReplicas() throws InterruptedException {
        List<ProcessHandle> descendants = new ArrayList<>();
        replicas.forEach(replica -> descendants.addAll(replica.descendants().toList()));
        replicas.forEach(Process::destroy);
        for (Process replica : replicas) {
            if (!replica.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                replica.destroyForcibly();
                replica.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        }
        for (ProcessHandle child : descendants) {
            stop(child);
        }
        replicas.clear();
    }

    /** Stops one process: SIGTERM, then SIGKILL after the grace period. */
    protected static void stop(ProcessHandle process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            process.onExit().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
        }
    }

    /** Kills the server and what it shares at once, for the exit hook. */
    public void kill() {
        for (Process replica : replicas) {
            replica.descendants().forEach(ProcessHandle::destroyForcibly);
            replica.destroyForcibly();
        }
        sharedPids().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
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
