package dev.tidings.server.support;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;

/**
 * Reads one SSE response over a chosen protocol (HTTP/1.1, h2c with prior knowledge, HTTP/2 over
 * TLS with ALPN, or HTTP/1.1 asking for gzip) on its own Vert.x instance and connection, parsing
 * frames as the bytes arrive. {@link #pause()} stops reading: on HTTP/2 no more flow-control window
 * is granted for the stream, on HTTP/1.1 the socket is no longer read, so the server sees
 * backpressure as from a reader that stalled.
 */
public final class ProtocolSseClient implements AutoCloseable {

    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Frame END = new Frame(null, null, null, List.of(), null);

    public enum Protocol {
        HTTP_1_1(HttpVersion.HTTP_1_1),
        H2C(HttpVersion.HTTP_2),
        H2_TLS(HttpVersion.HTTP_2),
        HTTP_1_1_GZIP(HttpVersion.HTTP_1_1);

        private final HttpVersion version;

        Protocol(HttpVersion version) {
            this.version = version;
        }

        /** The HTTP version a response over this protocol must come with. */
        public HttpVersion version() {
            return version;
        }

        HttpClientOptions clientOptions() {
            HttpClientOptions options = new HttpClientOptions()
                    .setConnectTimeout((int) TIMEOUT.toMillis())
                    .setMaxPoolSize(1)
                    .setProtocolVersion(version)
                    // Bytes are read as they come, compressed or not: decoding is this client's own.
                    .setDecompressionSupported(false);
            return switch (this) {
                case H2C -> options.setHttp2ClearTextUpgrade(false);
                case H2_TLS -> options.setSsl(true).setUseAlpn(true).setTrustAll(true).setVerifyHost(false);
                default -> options;
            };
        }
    }

    /** A frame: the fields of one block; {@code comments} holds its comment lines' text. */
    public record Frame(String id, String event, String data, List<String> comments, Long retry) {

        public boolean isEvent() {
            return data != null;
        }
    }

    /** How the response ended: cleanly, or by a reset or closed connection ({@code cause}). */
    public record End(boolean clean, Throwable cause, int framesBefore) {
    }

    private final Vertx vertx;
    private final HttpClient http;
    private final Context context;
    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<End> end = new CompletableFuture<>();
    private volatile HttpClientResponse response;
    private volatile String contentEncoding;
    private volatile int framesReceived;

    private ProtocolSseClient(Vertx vertx, HttpClient http) {
        this.vertx = vertx;
        this.http = http;
        this.context = vertx.getOrCreateContext();
    }

    public static ProtocolSseClient open(Protocol protocol, URI uri) {
        return open(protocol, uri, Map.of());
    }

    public static ProtocolSseClient open(Protocol protocol, URI uri, Map<String, String> headers) {
        return open(protocol, uri, headers, protocol.clientOptions());
    }

    /**
     * Opens a stream whose socket has a small receive buffer, so that once paused, little is held in
     * the client's kernel and the server's own queue fills soon.
     */
    public static ProtocolSseClient openWithSmallReceiveBuffer(Protocol protocol, URI uri) {
        return open(protocol, uri, Map.of(), protocol.clientOptions().setReceiveBufferSize(4096));
    }

    /** Opens the stream and returns once the response headers have arrived. */
    private static ProtocolSseClient open(Protocol protocol, URI uri, Map<String, String> headers,
            HttpClientOptions options) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        ProtocolSseClient client = new ProtocolSseClient(vertx, vertx.createHttpClient(options));
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(uri.toString())
                .putHeader("accept", "text/event-stream");
        if (protocol == Protocol.HTTP_1_1_GZIP) {
            request.putHeader("accept-encoding", "gzip");
        }
        // HTTP/2 header names are lower case; HTTP/1.1 ignores case.
        headers.forEach((name, value) -> request.putHeader(name.toLowerCase(), value));
        // Requested from the client's own context, so the response reaches receive() in the same
        // turn as its head, before any body byte: a body handler set later would miss bytes.
        CompletableFuture<Void> head = new CompletableFuture<>();
        client.context.runOnContext(ignored -> client.http.request(request)
                .compose(HttpClientRequest::send)
                .onComplete(result -> {
                    if (result.succeeded()) {
                        client.receive(result.result());
                        head.complete(null);
                    } else {
                        head.completeExceptionally(result.cause());
                    }
                }));
        try {
            await(head, TIMEOUT);
        } catch (TimeoutException | IllegalStateException e) {
            client.close();
            throw new IllegalStateException("Could not open " + uri + " over " + protocol, e);
        }
        return client;
    }

    /** Runs on the client's context as the head arrives, before any body byte is delivered. */
    private void receive(HttpClientResponse response) {
        this.response = response;
        this.contentEncoding = response.getHeader("content-encoding");
        SseFrameParser parser = new SseFrameParser(this::arrived);
        Consumer<byte[]> body = bodyDecoder(parser);
        response.handler(buffer -> {
            try {
                body.accept(buffer.getBytes());
            } catch (RuntimeException e) {
                ended(false, e);
            }
        });
        response.endHandler(ignored -> ended(true, null));
        response.exceptionHandler(cause -> ended(false, cause));
        response.request().connection().closeHandler(ignored -> ended(false, new IllegalStateException(
                "The connection was closed")));
    }

    private Consumer<byte[]> bodyDecoder(SseFrameParser parser) {
        if (contentEncoding == null || contentEncoding.equalsIgnoreCase("identity")) {
            return parser::feed;
        }
        if (contentEncoding.equalsIgnoreCase("gzip")) {
            GzipStreamDecoder gzip = new GzipStreamDecoder();
            return bytes -> parser.feed(gzip.decode(bytes));
        }
        return bytes -> {
            throw new IllegalStateException("Content-Encoding " + contentEncoding + " was not asked for");
        };
    }

    private void arrived(Frame frame) {
        if (!end.isDone()) {
            framesReceived++;
            frames.add(frame);
        }
    }

    private void ended(boolean clean, Throwable cause) {
        if (end.complete(new End(clean, cause, framesReceived))) {
            frames.add(END);
        }
    }

    public int status() {
        return response.statusCode();
    }

    public MultiMap headers() {
        return response.headers();
    }

    /** The protocol version the response came over (what ALPN or prior knowledge negotiated). */
    public HttpVersion version() {
        return response.version();
    }

    /** The {@code Content-Encoding} the server chose; null when it sent none. */
    public String contentEncoding() {
        return contentEncoding;
    }

    /** Stops reading: what the server writes from now on backs up towards it. */
    public void pause() {
        onEventLoop(HttpClientResponse::pause);
    }

    /** Reads again, from what was held back. */
    public void resume() {
        onEventLoop(HttpClientResponse::resume);
    }

    private void onEventLoop(Consumer<HttpClientResponse> action) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(ignored -> {
            action.accept(response);
            done.complete(null);
        });
        try {
            await(done, TIMEOUT);
        } catch (TimeoutException e) {
            throw new IllegalStateException("The client's event loop did not answer within " + TIMEOUT, e);
        }
    }

    /** The next frame of any kind; fails when none comes in time or the stream ended. */
    public Frame next() {
        Frame frame = poll(TIMEOUT);
        if (frame == null) {
            throw new AssertionError("No frame within " + TIMEOUT);
        }
        if (frame == END) {
            frames.add(END);
            throw new AssertionError("The stream ended: " + end.join());
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

    /** Frames that have arrived so far and were not taken yet, without waiting. */
    public List<Frame> drain() {
        List<Frame> arrived = new ArrayList<>();
        frames.drainTo(arrived);
        if (arrived.remove(END)) {
            frames.add(END);
        }
        return arrived;
    }

    /** How the stream ended, if it has. */
    public Optional<End> ending() {
        return Optional.ofNullable(end.getNow(null));
    }

    /** Waits for the stream to end in any way; fails when it is still open after {@code timeout}. */
    public End awaitEnd(Duration timeout) {
        try {
            return await(end, timeout);
        } catch (TimeoutException e) {
            throw new AssertionError("The stream did not end within " + timeout);
        }
    }

    private Frame poll(Duration timeout) {
        try {
            return frames.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            // Closing the instance closes its client and connection.
            await(vertx.close().toCompletionStage().toCompletableFuture(), TIMEOUT);
        } catch (TimeoutException e) {
            throw new IllegalStateException("The client did not close within " + TIMEOUT, e);
        }
    }

    /** The future's value; a {@link TimeoutException} when it has none after {@code timeout}. */
    private static <T> T await(CompletableFuture<T> future, Duration timeout) throws TimeoutException {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
