package dev.tidings.bench.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import dev.tidings.bench.sse.SseResponse;

/**
 * Polls a starting server with SSE subscriptions until one is answered with {@code 200}: the time
 * from process start to that first byte of an SSE response is the server's start-up time.
 */
final class FirstByteProbe {

    private static final int POLL_MILLIS = 5;

    private FirstByteProbe() {
    }

    /**
     * @return {@link System#nanoTime()} when the head of a {@code 200} SSE response was read
     * @throws IOException when the process died or no stream was answered before the deadline
     */
    static long await(String host, int port, String path, Process process, long deadlineNanos)
            throws IOException, InterruptedException {
        return poll(process, deadlineNanos, POLL_MILLIS, () -> once(host, port, path),
                "no SSE stream was answered before the deadline");
    }

    /**
     * Polls {@code path} with plain GETs until one is answered with {@code status}, as a readiness
     * probe does.
     *
     * @return {@link System#nanoTime()} when that answer's head was read
     */
    static long awaitStatus(String host, int port, String path, int status, Process process, long deadlineNanos)
            throws IOException, InterruptedException {
        return poll(process, deadlineNanos, POLL_MILLIS * 10,
                () -> statusOf(host, port, path) == status ? System.nanoTime() : null,
                "GET " + path + " did not answer " + status + " before the deadline");
    }

    /** One try: the time it succeeded, or null to try again. */
    private interface Attempt {
        Long once() throws IOException;
    }

    private static long poll(Process process, long deadlineNanos, long pauseMillis, Attempt attempt, String timedOut)
            throws IOException, InterruptedException {
        IOException last = null;
        while (System.nanoTime() < deadlineNanos) {
            if (!process.isAlive()) {
                throw new IOException("the server exited with status " + process.exitValue() + " while starting");
            }
            try {
                Long succeeded = attempt.once();
                if (succeeded != null) {
                    return succeeded;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(pauseMillis);
        }
        throw new IOException(timedOut, last);
    }

    private static int statusOf(String host, int port, String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            byte[] line = new byte[12];
            int read = socket.getInputStream().readNBytes(line, 0, line.length);
            String head = new String(line, 0, read, StandardCharsets.ISO_8859_1);
            return head.startsWith("HTTP/1.1 ") && read == 12 ? Integer.parseInt(head.substring(9, 12)) : -1;
        }
    }

    /** One attempt: the time of a 200 head, or null when the server answered something else. */
    private static Long once(String host, int port, String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                    + "\r\nAccept: text/event-stream\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            int[] status = {-1};
            SseResponse response = new SseResponse(new SseResponse.Handler() {
                @Override
                public void onHead(int code) {
                    status[0] = code;
                }

                @Override
                public void onEvent(byte[] data, int length, String type) {
                }
            });
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            int n;
            while (!response.headComplete() && (n = in.read(buffer)) > 0) {
                response.feed(buffer, 0, n);
            }
            long at = System.nanoTime();
            return status[0] == 200 ? at : null;
        }
    }
}
