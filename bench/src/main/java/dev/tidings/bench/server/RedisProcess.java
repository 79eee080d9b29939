package dev.tidings.bench.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The redis-server Tidings's replicas share in a Redis-bus run: on a fresh loopback port for each
 * run, without persistence (it is not restarted within a run, so nothing needs to survive on disk),
 * up once it answers {@code PING}.
 */
final class RedisProcess {

    private static final long START_TIMEOUT_SECONDS = 20;

    private final Path logDir;
    private Process process;
    private int port;

    RedisProcess(Path logDir) {
        this.logDir = logDir;
    }

    int port() {
        return port;
    }

    List<Integer> pids() {
        Process p = process;
        return p == null || !p.isAlive() ? List.of() : List.of((int) p.pid());
    }

    void start(String label) throws IOException, InterruptedException {
        stop();
        port = ServerUnderTest.freePort();
        Files.createDirectories(logDir);
        Path log = logDir.resolve("redis-" + label + ".log");
        process = new ProcessBuilder("redis-server", "--bind", ServerUnderTest.HOST, "--port", Integer.toString(port),
                "--save", "", "--appendonly", "no")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        while (!answersPing()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                stop();
                throw new IOException("redis-server did not start on port " + port + " (see " + log + ")");
            }
            Thread.sleep(20);
        }
    }

    void stop() {
        if (process != null) {
            ServerUnderTest.stop(process.toHandle());
            process = null;
        }
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(ServerUnderTest.HOST, port), 500);
            socket.setSoTimeout(500);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] answer = new byte[7];
            int read = in.readNBytes(answer, 0, answer.length);
            return new String(answer, 0, read, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code Redis 7.0.15}, from {@code redis-server --version}. */
    static String version() {
        String text = ServerUnderTest.output("redis-server", "--version");
        int start = text.indexOf("v=");
        return start < 0 ? "Redis (redis-server not found)" : "Redis " + text.substring(start + 2, text.indexOf(' ', start));
    }
}
