package dev.tidings.server.bus;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;

import dev.tidings.server.config.TidingsConfig;
import dev.tidings.server.hub.Bus;
import dev.tidings.server.hub.BusListener;
import dev.tidings.server.hub.Event;
import dev.tidings.server.hub.EventId;
import dev.tidings.server.hub.History;
import dev.tidings.server.hub.HistoryPage;
import dev.tidings.server.hub.Replay;
import dev.tidings.server.hub.TopicFilter;
import dev.tidings.server.metrics.TidingsMetrics;

/** The embedded bus: one process, history in memory. */
@Singleton
@Typed(LocalBus.class)
public class LocalBus implements Bus {

    private final History history;
    private final Clock clock;
    private BusListener listener;
    private EventId lastId;
    private final Map<String, Integer> members = new HashMap<>();

    public LocalBus(TidingsConfig config, TidingsMetrics metrics) {
        this.clock = Clock.systemUTC();
        TidingsConfig.History bounds = config.history();
        this.history = new History(bounds.size(), bounds.maxBytes().asLongValue(), bounds.ttl(), clock);
        metrics.retainedHistory(history::retainedEvents, history::retainedBytes);
    }

    @Override
    public synchronized void start(BusListener listener) {
        this.listener = listener;
    }

    /**
     * Id assignment, storage and hand-off to the fan-out happen under one lock, so the fan-out
     * sees events in id order. The listener only enqueues, so the lock is held briefly.
     */
    @Override
    public synchronized CompletionStage<Event> publish(String topic, String type, String data) {
        long now = clock.millis();
        lastId = EventId.next(lastId, now);
        Event event = new Event(lastId, topic, type, Instant.ofEpochMilli(now), data);
        history.append(event);
        listener.event(event);
        return CompletableFuture.completedFuture(event);
    }

    @Override
    public CompletionStage<Replay> replay(String lastEventId, TopicFilter filter, int maxEvents) {
        return CompletableFuture.completedFuture(history.after(lastEventId, filter, maxEvents));
    }

    @Override
    public CompletionStage<HistoryPage> read(String topic, Optional<String> afterId, int limit, long maxBytes) {
        try {
            return CompletableFuture.completedFuture(history.read(topic, afterId, limit, maxBytes));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletionStage<List<Event>> last(String topic, int count) {
        return CompletableFuture.completedFuture(history.last(topic, count));
    }

    @Override
    public CompletionStage<Map<String, String>> latestIds() {
        return CompletableFuture.completedFuture(history.latestIds());
    }

    /** Under the bus's lock, so that the counts reach the listener in the order they happened. */
    @Override
    public synchronized void changeMembers(String room, int delta) {
        int count = members.merge(room, delta, Integer::sum);
        if (count <= 0) {
            members.remove(room);
        }
        listener.members(room, Math.max(0, count));
    }

    @Override
    public boolean isReady() {
        return true;
    }
}
