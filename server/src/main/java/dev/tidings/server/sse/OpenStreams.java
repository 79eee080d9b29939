package dev.tidings.server.sse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.tidings.server.api.ProblemException;
import dev.tidings.server.config.TidingsConfig;
import dev.tidings.server.hub.Hub;
import dev.tidings.server.metrics.TidingsMetrics;
import io.netty.channel.EventLoop;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;

/**
 * Every open stream of this replica, per event loop: admission (the stream limit), heartbeats
 * (one timer per loop, not per stream) and ending all streams on shutdown.
 */
@Singleton
public class OpenStreams {

    private static final Logger LOG = Logger.getLogger(OpenStreams.class);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    private final TidingsConfig.Sse config;
    private final TidingsMetrics metrics;
    private final Hub hub;
    private final SseFrame retryFrame;
    private final Map<EventLoop, LoopStreams> loops = new ConcurrentHashMap<>();
    private final Map<StreamFamily, AtomicInteger> openByFamily = new EnumMap<>(StreamFamily.class);
    private final AtomicInteger open = new AtomicInteger();

    public OpenStreams(TidingsConfig config, TidingsMetrics metrics, Hub hub) {
        this.config = config.sse();
        this.metrics = metrics;
        this.hub = hub;
        this.retryFrame = SseEncoder.retry(this.config.retry());
        for (StreamFamily family : StreamFamily.values()) {
            AtomicInteger count = new AtomicInteger();
            openByFamily.put(family, count);
            metrics.openStreams(family.tag(), count::get);
        }
    }

    TidingsConfig.Sse config() {
        return config;
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
     * Admits a stream on its event loop; the stream opens its response itself when it starts.
     *
     * @throws ProblemException 503 while shutting down, 429 over the stream limit
     */
    void register(SseStream stream) {
        if (!hub.isAccepting()) {
            throw ProblemException.unavailable("The server is shutting down; connect to another replica");
        }
        if (open.incrementAndGet() > config.maxStreams()) {
            open.decrementAndGet();
            throw ProblemException.tooManyRequests("This server holds its maximum of " + config.maxStreams()
                    + " open streams", config.retry());
        }
        openByFamily.get(stream.family()).incrementAndGet();
        loops.computeIfAbsent(stream.eventLoop(), LoopStreams::new).streams.add(stream);
    }

    void unregister(SseStream stream) {
        LoopStreams loop = loops.get(stream.eventLoop());
        if (loop != null && loop.streams.remove(stream)) {
            openByFamily.get(stream.family()).decrementAndGet();
            open.decrementAndGet();
        }
    }

    /**
     * Ends every stream cleanly at the start of shutdown, before the HTTP server goes away, so
     * clients resume elsewhere; new streams and publishes get 503 from here on.
     */
    void onShutdown(@Observes ShutdownDelayInitiatedEvent event) {
        hub.stopAccepting();
        LOG.infof("Shutting down: ending %d open streams", open.get());
        CountDownLatch ended = new CountDownLatch(loops.size());
        loops.values().forEach(loop -> loop.endAll(ended));
        try {
            if (!ended.await(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Some streams had not ended when shutdown went on");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The streams of one event loop; touched only on that loop. */
    private final class LoopStreams {

        private final EventLoop loop;
        private final Set<SseStream> streams = new HashSet<>();

        LoopStreams(EventLoop loop) {
            this.loop = loop;
            long period = config.heartbeat().toMillis();
            loop.scheduleAtFixedRate(this::heartbeat, period, period, TimeUnit.MILLISECONDS);
        }

        private void heartbeat() {
            // Copy: a heartbeat into a full queue closes that stream, which unregisters it.
            snapshot().forEach(SseStream::heartbeat);
        }

        void endAll(CountDownLatch ended) {
            loop.execute(() -> {
                snapshot().forEach(SseStream::end);
                ended.countDown();
            });
        }

        private List<SseStream> snapshot() {
            return new ArrayList<>(streams);
        }
    }
}
