package dev.tidings.server.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Reads a real SSE response over a real HTTP connection and splits it into frames (one per
 * blank-line-terminated block), keeping comments and {@code retry:} so tests can see them.
 */
public final class SseTestClient implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private static final Frame END = new Frame(null, null, null, null, null);
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpResponse<InputStream> response;
    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile IOException failure;

    /** A frame: the fields of one block; {@code comment} holds the last comment line's text. */
    public record Frame(String id, String event, String data, String comment, Long retry) {

        public boolean isEvent() {
            return data != null;
        }
    }

    private SseTestClient(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-test-reader");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    public static SseTestClient open(URI uri) {
        return open(uri, Map.of());
    }

    /** Opens the stream and returns once the response headers have arrived. */
    public static SseTestClient open(URI uri, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
        headers.forEach(request::header);
        try {
            return new SseTestClient(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new IllegalStateException("Could not open " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int status() {
        return response.statusCode();
    }

    public HttpHeaders headers() {
        return response.headers();
    }

    /** The next frame of any kind; fails when none comes in time or the stream ended. */
    public Frame next() {
        return next(TIMEOUT);
    }

    /** The next frame of any kind; fails when none comes {@code within} or the stream ended. */
    public Frame next(Duration within) {
        Frame frame = poll(within);
        if (frame == null) {
            throw new AssertionError("No frame within " + within);
        }
        if (frame == END) {
            frames.add(END);
            throw new AssertionError("The stream ended" + (failure == null ? "" : ": " + failure));
        }
        return frame;
    }

    /** The next frame that is an event (has data), skipping comments and retry blocks. */
    public Frame nextEvent() {
        return nextMatching(Frame::isEvent);
    }

    public Frame nextMatching(Predicate<Frame> wanted) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Frame frame = next();
            if (wanted.test(frame)) {
                return frame;
            }
        }
        throw new AssertionError("No matching frame within " + TIMEOUT);
    }

    public List<Frame> nextEvents(int count) {
        List<Frame> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(nextEvent());
        }
        return events;
    }

    /** Waits for the server to end the stream; true when it ended without a transport error. */
    public boolean awaitCleanEnd(Duration timeout) {
        awaitEnd(timeout);
        return failure == null;
    }

    /** Waits for the stream to end in any way and answers the frames that came before the end. */
    public List<Frame> framesUntilEnd(Duration timeout) {
        List<Frame> before = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        Frame frame;
        while ((frame = poll(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) != null) {
            if (frame == END) {
                frames.add(END);
                return before;
            }
            before.add(frame);
        }
        throw new AssertionError("The stream did not end within " + timeout + "; frames so far: " + before);
    }

    /** Waits for the stream to end in any way (clean end or connection closed by the server). */
    public void awaitEnd(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Frame frame;
        while ((frame = poll(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) != null) {
            if (frame == END) {
                frames.add(END);
                return;
            }
        }
        throw new AssertionError("The stream did not end within " + timeout);
    }

    /** Frames that have arrived so far, without waiting. */
    public List<Frame> drain() {
        List<Frame> arrived = new ArrayList<>();
        frames.drainTo(arrived);
        if (arrived.remove(END)) {
            frames.add(END);
        }
        return arrived;
    }

    private Frame poll(Duration timeout) {
        try {
            return frames.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void read() {
        SseFrameParser parser = new SseFrameParser(frame -> frames.add(new Frame(frame.id(), frame.event(), frame.data(),
                frame.comments().isEmpty() ? null : frame.comments().get(frame.comments().size() - 1), frame.retry())));
        try (InputStream body = response.body()) {
            byte[] buffer = new byte[8192];
            int read;
            while ((read = body.read(buffer)) >= 0) {
                parser.feed(Arrays.copyOf(buffer, read));
            }
        } catch (IOException e) {
            failure = e;
        } catch (IllegalStateException e) {
            failure = new IOException(e.getMessage(), e);
        } finally {
            frames.add(END);
        }
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException e) {
            // closing a stream the server already ended
        }
        reader.interrupt();
    }
}
