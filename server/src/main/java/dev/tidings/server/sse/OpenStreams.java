package dev.tidings.server.sse;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.tidings.server.config.TidingsConfig;
import dev.tidings.server.hub.Hub;
import dev.tidings.server.hub.TopicFilter;
import dev.tidings.server.metrics.TidingsMetrics;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;

/**
 * Opens every SSE stream of this replica and keeps track of them: admission (the stream limit),
 * the response headers every stream has, one {@link StreamLoop} per event loop (heartbeats,
 * fan-out executor) and ending all streams on shutdown. Streams are opened on their event loop.
 */
@Singleton
public class OpenStreams {

    private static final Logger LOG = Logger.getLogger(OpenStreams.class);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    private final TidingsConfig config;
    private final TidingsMetrics metrics;
    private final Hub hub;
    private final SseFrame retryFrame;
    private final Map<Thread, StreamLoop> loops = new ConcurrentHashMap<>();
    private final Map<StreamFamily, AtomicInteger> openByFamily = new EnumMap<>(StreamFamily.class);
    private final AtomicInteger open = new AtomicInteger();

    public OpenStreams(TidingsConfig config, TidingsMetrics metrics, Hub hub) {
        this.config = config;
        this.metrics = metrics;
        this.hub = hub;
        this.retryFrame = SseEncoder.retry(config.sse().retry());
        for (StreamFamily family : StreamFamily.values()) {
            AtomicInteger count = new AtomicInteger();
            openByFamily.put(family, count);
            metrics.openStreams(family.tag(), count::get);
        }
    }

    TidingsConfig.Sse config() {
        return config.sse();
    }

    TidingsMetrics metrics() {
        return metrics;
    }

    SseFrame retryFrame() {
        return retryFrame;
    }

    public int count() {
        return open.get();
    }

    /**
     * A stream of published events: replay after {@code lastEventId} (may be null), then live,
     * ended cleanly at {@code endsAt} (when the token it was opened with expires).
     *
     * @throws StreamRefusedException 503 while shutting down, 429 over the stream limit
     */
    public SseStream topics(StreamFamily family, TopicFilter filter, String lastEventId,
            HttpServerResponse response, Optional<Instant> endsAt) {
        admit(family);
        TopicStream stream = new TopicStream(loop(), family, this, response, hub, filter, config.sse().maxReplay());
        opened(stream, response, endsAt);
        stream.start(lastEventId);
        return stream;
    }

    /** Per-connection ticks after {@code lastSequence}. @throws StreamRefusedException as {@link #topics} */
    public SseStream timer(Duration period, long lastSequence, HttpServerResponse response, Optional<Instant> endsAt) {
        admit(StreamFamily.TIMER);
        TimerStream stream = new TimerStream(loop(), this, response, period, lastSequence);
        opened(stream, response, endsAt);
        stream.start(Vertx.currentContext().owner());
        return stream;
    }

    void unregister(SseStream stream) {
        if (stream.loop().remove(stream)) {
            openByFamily.get(stream.family()).decrementAndGet();
            open.decrementAndGet();
        }
    }

    /**
     * Ends every stream cleanly at the start of shutdown, before the HTTP server goes away, so
     * clients resume elsewhere, after {@code tidings.sse.shutdown-retry}; new streams get 503 from here on, and so do publishes unless the
     * bus keeps events beyond this replica ({@link Hub#publish}).
     */
    void onShutdown(@Observes ShutdownDelayInitiatedEvent event) {
        hub.stopAccepting();
        LOG.infof("Shutting down: ending %d open streams", open.get());
        CountDownLatch ended = new CountDownLatch(loops.size());
        SseFrame comeBackSoon = SseEncoder.retry(config.sse().shutdownRetry());
        loops.values().forEach(loop -> loop.endAll(comeBackSoon, ended::countDown));
        try {
            if (!ended.await(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Some streams had not ended when shutdown went on");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void admit(StreamFamily family) {
        if (!hub.isAccepting()) {
            throw new StreamRefusedException(503, "The server is shutting down; connect to another replica",
                    Duration.ofSeconds(1));
        }
        if (open.incrementAndGet() > config.sse().maxStreams()) {
            open.decrementAndGet();
            throw new StreamRefusedException(429, "This server holds its maximum of " + config.sse().maxStreams()
                    + " open streams", config.sse().retry());
        }
        openByFamily.get(family).incrementAndGet();
    }

    private void opened(SseStream stream, HttpServerResponse response, Optional<Instant> endsAt) {
        response.putHeader("Cache-Control", "no-cache").putHeader("X-Accel-Buffering", "no");
        stream.loop().add(stream);
        endsAt.ifPresent(at -> endAt(stream, at));
    }

    /** A stream never outlives the token it was opened with: its client reconnects with a fresh one. */
    private static void endAt(SseStream stream, Instant at) {
        Vertx vertx = Vertx.currentContext().owner();
        long timer = vertx.setTimer(Math.max(1, Duration.between(Instant.now(), at).toMillis()), id -> stream.end());
        stream.onClose(() -> vertx.cancelTimer(timer));
    }

    /** The calling event loop's streams, made on the first stream opened there. */
    private StreamLoop loop() {
        Context context = Vertx.currentContext();
        if (context == null || !Context.isOnEventLoopThread()) {
            throw new IllegalStateException("Streams are opened on an event loop");
        }
        return loops.computeIfAbsent(Thread.currentThread(),
                thread -> new StreamLoop(context, config.sse().heartbeat()));
    }
}
